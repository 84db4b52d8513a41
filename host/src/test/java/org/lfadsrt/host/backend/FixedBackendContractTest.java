package org.lfadsrt.host.backend;

import org.lfadsrt.sim.fixed.KernelImage;

/** The {@code fixed} backend (FixedBackend) meets the same contract as {@code software}. */
class FixedBackendContractTest extends BackendContractTest {
  @Override
  protected InferenceBackend open(KernelImage image) {
    return new FixedBackend(image);
  }
}
