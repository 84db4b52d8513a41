package org.lfadsrt.host.backend;

import org.lfadsrt.sim.fixed.KernelImage;

class SoftwareBackendContractTest extends BackendContractTest {
  @Override
  protected InferenceBackend open(KernelImage image) {
    return new SoftwareBackend(image);
  }
}
