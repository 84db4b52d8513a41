package org.lfadsrt.host.backend;

import org.lfadsrt.sim.fixed.KernelImage;

/**
 * Backend {@code software}: the Java bit-accurate model of the kernel running the same image the hardware
 * would, so its raw outputs are the reference the {@code emu} and {@code xrt} backends must match bit for
 * bit (and the fallback of {@link FailoverBackend}). It is {@link FixedBackend} under the name the device
 * backends' contract uses; {@code --backend fixed} and {@code --backend software} compute the same bits.
 */
public final class SoftwareBackend extends FixedBackend {
  public static final String NAME = "software";

  public SoftwareBackend(KernelImage image) {
    super(image);
  }

  @Override
  public String name() {
    return NAME;
  }
}
