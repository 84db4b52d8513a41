package org.lfadsrt.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.lfadsrt.host.backend.BackendConfig;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.KernelImageException;
import picocli.CommandLine.Option;

/** Options shared by the commands that open a fixed-point backend ({@code software}, {@code emu}, {@code xrt}). */
public final class DeviceOptions {
  @Option(names = "--image", paramLabel = "K.img",
      description = "kernel image for software/emu/xrt (default: quantize the model on synthetic calibration spikes)")
  Path image;

  @Option(names = "--bits", defaultValue = "16", paramLabel = "W", description = "data width when quantizing (default: ${DEFAULT-VALUE})")
  int bits;

  @Option(names = "--emu-options", defaultValue = "", paramLabel = "K=V&...",
      description = "emulator options: lanes, clock_mhz, trace=FILE.vcd, hang_after=N, lose_after=N, max_trials=N")
  String emuOptions;

  @Option(names = "--xrt-device", defaultValue = "0", paramLabel = "N", description = "Alveo card index (default: ${DEFAULT-VALUE})")
  int xrtDevice;

  @Option(names = "--xclbin", paramLabel = "F.xclbin", description = "kernel binary for --backend xrt")
  Path xclbin;

  @Option(names = "--timeout-ms", defaultValue = "5000", paramLabel = "MS",
      description = "bound on each device run (default: ${DEFAULT-VALUE})")
  int timeoutMs;

  @Option(names = "--failover", description = "switch to the software backend if the device fails (reported on stderr)")
  boolean failover;

  /** The backend configuration these options describe; failovers are reported on {@code err}. */
  public BackendConfig config(PrintWriter err) throws BackendException {
    KernelImage k = null;
    if (image != null) {
      try {
        k = KernelImage.read(image);
      } catch (IOException | KernelImageException e) {
        throw new BackendException(BackendException.Kind.BAD_IMAGE, image + ": " + e.getMessage(), e);
      }
    }
    try {
      return new BackendConfig(k, bits, emuOptions, xrtDevice, xclbin, timeoutMs, failover, f -> {
        err.println("lfads-rt: " + f);
        err.flush();
      });
    } catch (IllegalArgumentException e) {
      throw new BackendException(BackendException.Kind.INVALID_INPUT, e.getMessage());
    }
  }
}
