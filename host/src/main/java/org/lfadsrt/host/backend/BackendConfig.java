package org.lfadsrt.host.backend;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * How {@link Backends#open} opens a backend. Validated once at construction.
 *
 * @param image            kernel image for the fixed-point backends; null = quantize the float model
 *                         ({@link Backends#imageFor}) with {@code bits}
 * @param bits             data width W when quantizing (8..18)
 * @param emuOptions       driver options for {@code emu}, e.g. {@code "trace=run.vcd&hang_after=3"}
 * @param xrtDevice        card index for {@code xrt}
 * @param xclbin           kernel binary for {@code xrt}
 * @param timeoutMs        bound on every device run (device backends), > 0
 * @param failover         wrap a device backend so a device fault switches to {@code software}
 * @param failoverListener told when that switch happens
 */
public record BackendConfig(KernelImage image, int bits, String emuOptions, int xrtDevice, Path xclbin, int timeoutMs,
    boolean failover, Consumer<FailoverBackend.Failover> failoverListener) {

  public BackendConfig {
    if (bits < 8 || bits > 18) throw new IllegalArgumentException("bits must be in 8..18, got " + bits);
    if (timeoutMs <= 0) throw new IllegalArgumentException("timeout must be > 0 ms, got " + timeoutMs);
    if (xrtDevice < 0) throw new IllegalArgumentException("xrt device index must be >= 0, got " + xrtDevice);
    if (emuOptions == null) emuOptions = "";
    if (failoverListener == null) failoverListener = f -> System.err.println("lfads-rt: " + f);
  }

  public static BackendConfig defaults() {
    return new BackendConfig(null, 16, "", 0, null, 5000, false, null);
  }

  public BackendConfig withImage(KernelImage i) {
    return new BackendConfig(i, bits, emuOptions, xrtDevice, xclbin, timeoutMs, failover, failoverListener);
  }

  public BackendConfig withBits(int b) {
    return new BackendConfig(image, b, emuOptions, xrtDevice, xclbin, timeoutMs, failover, failoverListener);
  }

  public BackendConfig withEmuOptions(String o) {
    return new BackendConfig(image, bits, o, xrtDevice, xclbin, timeoutMs, failover, failoverListener);
  }

  public BackendConfig withXrt(int device, Path bin) {
    return new BackendConfig(image, bits, emuOptions, device, bin, timeoutMs, failover, failoverListener);
  }

  public BackendConfig withTimeoutMs(int ms) {
    return new BackendConfig(image, bits, emuOptions, xrtDevice, xclbin, ms, failover, failoverListener);
  }

  public BackendConfig withFailover(boolean on, Consumer<FailoverBackend.Failover> listener) {
    return new BackendConfig(image, bits, emuOptions, xrtDevice, xclbin, timeoutMs, on, listener);
  }
}
