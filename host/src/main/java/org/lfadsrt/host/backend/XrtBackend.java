package org.lfadsrt.host.backend;

import java.nio.file.Path;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * Backend {@code xrt}: an Alveo card through XRT (liblfadsrt's XRT path). Needs the card's index and the
 * {@code .xclbin} holding lfads_kernel; XRT itself needs {@code XILINX_XRT} set. Without a card, opening
 * fails with {@link BackendException.Kind#NOT_AVAILABLE} and XRT's reason. Online sessions use the kernel's online
 * mode ({@link NativeBackend#openOnline()}; built against XRT, not yet run on a card).
 */
public final class XrtBackend extends NativeBackend {
  public static final String NAME = "xrt";

  public XrtBackend(int deviceIndex, Path xclbin, KernelImage image, int timeoutMs) throws BackendException {
    super(NAME, uri(deviceIndex, xclbin), image, timeoutMs);
  }

  static String uri(int deviceIndex, Path xclbin) {
    return "xrt:" + deviceIndex + "?xclbin=" + (xclbin == null ? "" : xclbin.toAbsolutePath());
  }
}
