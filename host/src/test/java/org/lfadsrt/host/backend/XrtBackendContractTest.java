package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * The backend contract on an Alveo card (card index from -Dlfadsrt.xrt.device, default 0, kernel binary from
 * -Dlfadsrt.xclbin). Without a card every contract test is skipped with XRT's reason; the no-card open path
 * itself is tested here and must give a clean NOT_AVAILABLE error.
 */
class XrtBackendContractTest extends BackendContractTest {
  @Override
  protected InferenceBackend open(KernelImage image) throws BackendException {
    NativeTestSupport.assumeLibrary();
    int device = Integer.getInteger("lfadsrt.xrt.device", 0);
    String xclbin = System.getProperty("lfadsrt.xclbin", "");
    try {
      return new XrtBackend(device, xclbin.isEmpty() ? null : Path.of(xclbin), image, 10_000);
    } catch (BackendException e) {
      if (e.kind() == BackendException.Kind.NOT_AVAILABLE || e.kind() == BackendException.Kind.INVALID_INPUT) {
        Assumptions.abort("no usable XRT card: " + e.getMessage());
      }
      throw e;
    }
  }

  @Test
  void openingWithoutACardFailsCleanlyWithTheXrtReason() throws Exception {
    NativeTestSupport.assumeLibrary();
    Assumptions.assumeTrue(NativeBackend.libraryVersion().contains("xrt"), "liblfadsrt built without XRT");
    Assumptions.assumeTrue(System.getenv("XILINX_XRT") != null, "XILINX_XRT not set (surefire sets drivers/build/xrt-root)");
    Assumptions.assumeTrue(NativeBackend.xrtDeviceCount() == 0, "an XRT card is present");
    KernelImage image = TestImages.image(TestImages.PLAIN, 41);
    long t0 = System.nanoTime();
    BackendException e = assertThrows(BackendException.class,
        () -> new XrtBackend(0, Path.of("/nonexistent/lfads.xclbin"), image, 1000));
    assertEquals(BackendException.Kind.NOT_AVAILABLE, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("Could not open device with index '0'"), e.getMessage());
    assertTrue(e.getMessage().startsWith("xrt backend: open xrt:0?xclbin="), e.getMessage());
    assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "open hung instead of failing"); // a hang guard only
  }

  @Test
  void aMissingXclbinOptionIsNamed() throws Exception {
    NativeTestSupport.assumeLibrary();
    Assumptions.assumeTrue(NativeBackend.libraryVersion().contains("xrt"), "liblfadsrt built without XRT");
    KernelImage image = TestImages.image(TestImages.PLAIN, 42);
    BackendException e = assertThrows(BackendException.class, () -> new XrtBackend(0, null, image, 1000));
    assertEquals(BackendException.Kind.INVALID_INPUT, e.kind());
    assertTrue(e.getMessage().contains("missing option xclbin=PATH"), e.getMessage());
  }
}
