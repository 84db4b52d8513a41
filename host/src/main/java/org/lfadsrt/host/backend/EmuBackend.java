package org.lfadsrt.host.backend;

import org.lfadsrt.sim.fixed.KernelImage;

/**
 * Backend {@code emu}: the Verilated RTL kernel inside liblfadsrt, driven through the same register map
 * and buffers as a card. Options are the driver's {@code emu:} URI options joined by {@code &}:
 * {@code lanes=N}, {@code clock_mhz=F}, {@code trace=FILE.vcd}, {@code hang_after=N}, {@code lose_after=N},
 * {@code max_trials=N}.
 */
public final class EmuBackend extends NativeBackend {
  public static final String NAME = "emu";

  public EmuBackend(KernelImage image, String options, int timeoutMs) throws BackendException {
    super(NAME, uri(options), image, timeoutMs);
  }

  public EmuBackend(byte[] imageBytes, String options, int timeoutMs) throws BackendException {
    super(NAME, uri(options), imageBytes, timeoutMs);
  }

  /**
   * Opens the emulated device with {@code options} without loading an image and reads its identity and description
   * (configuration, memory timing, the kernel parameters it was Verilated with).
   */
  public static Probe probeOptions(String options) throws BackendException {
    return probeDevice(uri(options));
  }

  static String uri(String options) {
    return options == null || options.isEmpty() ? "emu:" : "emu:?" + options;
  }
}
