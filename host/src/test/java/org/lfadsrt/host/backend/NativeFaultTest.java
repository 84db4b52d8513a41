package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * Device faults through the whole host -> JNA -> driver -> kernel path, injected by the emulation backend:
 * a hung kernel, a device lost mid-run, a wrong or corrupt image. Each must surface as a typed
 * {@link BackendException} within a bounded time, and {@link FailoverBackend} must carry on in software.
 */
class NativeFaultTest {

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void aHungKernelTimesOutWithinTheConfiguredBound() throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.PLAIN, 51);
    try (EmuBackend emu = new EmuBackend(image, "hang_after=1", 60_000)) {
      InferenceBatch batch = new InferenceBatch(emu.shape(), 1);
      TestImages.fillSpikes(batch, 1, 1);
      emu.infer(batch); // run 1 is healthy
      emu.timeoutMillis(400);
      long t0 = System.nanoTime();
      BackendException e = assertThrows(BackendException.class, () -> emu.infer(batch));
      long took = millisSince(t0);
      assertEquals(BackendException.Kind.TIMEOUT, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("within 400 ms"), e.getMessage());
      // at least the configured 400 ms (the driver's monotonic deadline); the upper bound only guards a hang
      assertTrue(took >= 390 && took < 60_000, "timed out after " + took + " ms");
      // The kernel state is unknown now: the handle refuses further work until reopened.
      BackendException again = assertThrows(BackendException.class, () -> emu.infer(batch));
      assertEquals(BackendException.Kind.DEVICE_ERROR, again.kind());
      assertTrue(again.getMessage().contains("close and reopen"), again.getMessage());
    }
  }

  @Test
  void aDeviceLostMidRunIsReportedAsLost() throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.PLAIN, 52);
    try (EmuBackend emu = new EmuBackend(image, "lose_after=0", 10_000)) {
      InferenceBatch batch = new InferenceBatch(emu.shape(), 1);
      long t0 = System.nanoTime();
      BackendException e = assertThrows(BackendException.class, () -> emu.infer(batch));
      assertEquals(BackendException.Kind.DEVICE_LOST, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("device lost during the run"), e.getMessage());
      assertTrue(millisSince(t0) < 60_000, "a hang guard only");
      assertEquals(BackendException.Kind.DEVICE_LOST, assertThrows(BackendException.class, emu::identity).kind());
    }
  }

  @Test
  void aCorruptImageIsRejectedByTheDriverNamingTheField() throws Exception {
    NativeTestSupport.assumeEmu();
    byte[] bytes = TestImages.image(TestImages.PLAIN, 53).toBytes();
    bytes[bytes.length - 3] ^= 0x40; // one payload bit: only the CRC can tell
    BackendException e = assertThrows(BackendException.class, () -> new EmuBackend(bytes, "", 5_000));
    assertEquals(BackendException.Kind.BAD_IMAGE, e.kind());
    assertTrue(e.getMessage().contains("PAYLOAD_CRC32"), e.getMessage());
    byte[] notAnImage = Files.readAllBytes(Path.of(System.getProperty("lfadsrt.root", "."), "pom.xml"));
    BackendException e2 = assertThrows(BackendException.class, () -> new EmuBackend(notAnImage, "", 5_000));
    assertEquals(BackendException.Kind.BAD_IMAGE, e2.kind());
    assertTrue(e2.getMessage().contains("MAGIC"), e2.getMessage());
  }

  /** An image valid for the driver but beyond the built kernel's memories: the kernel itself rejects it. */
  @Test
  void anImageTooLargeForTheKernelIsRejectedByTheKernel() throws Exception {
    NativeTestSupport.assumeEmu();
    // 512 hidden units: beyond the card's memories (256), which the emulated builds share.
    var tooBig = new org.lfadsrt.sim.model.LfadsConfig(8, 4, 4, 8, 512, 0, 0, 0, 0, 4, 8, 2, 5.0);
    KernelImage image = TestImages.image(tooBig, 57);
    NativeBackend.validateImage(image.toBytes()); // fine as far as the format goes
    BackendException e = assertThrows(BackendException.class, () -> new EmuBackend(image, "", 60_000));
    assertEquals(BackendException.Kind.BAD_IMAGE, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("ERROR_CODE 4 (dimensions too large for this kernel build)"), e.getMessage());
  }

  @Test
  void aWrongImageForTheBatchIsRejected() throws Exception {
    NativeTestSupport.assumeEmu();
    try (EmuBackend emu = new EmuBackend(TestImages.image(TestImages.CONTROLLER, 54), "", 10_000)) {
      InferenceBatch forOtherModel = new InferenceBatch(new SoftwareBackend(TestImages.image(TestImages.PLAIN, 54)).shape(), 1);
      BackendException e = assertThrows(BackendException.class, () -> emu.infer(forOtherModel));
      assertEquals(BackendException.Kind.INVALID_INPUT, e.kind());
    }
  }

  @Test
  void badOptionsAreNamed(@TempDir Path dir) throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.PLAIN, 55);
    BackendException e = assertThrows(BackendException.class, () -> new EmuBackend(image, "hang_afterr=2", 5_000));
    assertEquals(BackendException.Kind.INVALID_INPUT, e.kind());
    assertTrue(e.getMessage().contains("unknown option 'hang_afterr'"), e.getMessage());
    Path vcd = dir.resolve("run.vcd");
    try (EmuBackend emu = new EmuBackend(image, "trace=" + vcd, 60_000)) {
      emu.infer(new InferenceBatch(emu.shape(), 1));
    }
    boolean controlBus = false, endOfHeader = false, valueChanges = false;
    try (var lines = Files.newBufferedReader(vcd)) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (!endOfHeader) {
          controlBus |= line.contains("s_axi_control_awvalid");
          endOfHeader = line.startsWith("$enddefinitions");
        } else if (line.startsWith("#")) {
          valueChanges = true;
          break;
        }
      }
    }
    assertTrue(endOfHeader, "no complete VCD header in " + vcd);
    assertTrue(controlBus, "trace lacks the control bus");
    assertTrue(valueChanges, "trace has no time steps");
  }

  @Test
  void failoverSwitchesToSoftwareAndKeepsTheResultsExact() throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.CONTROLLER, 56);
    List<FailoverBackend.Failover> events = new ArrayList<>();
    EmuBackend emu = new EmuBackend(image, "hang_after=1", 60_000);
    try (FailoverBackend fo = new FailoverBackend(emu, new SoftwareBackend(image), events::add);
         SoftwareBackend reference = new SoftwareBackend(image)) {
      InferenceBatch batch = new InferenceBatch(fo.shape(), 3), want = new InferenceBatch(fo.shape(), 3);
      TestImages.fillSpikes(batch, 3, 8);
      TestImages.fillSpikes(want, 3, 8);
      reference.infer(want);
      fo.infer(batch);
      assertEquals("emu", fo.name());
      assertTrue(events.isEmpty());
      emu.timeoutMillis(300);
      long t0 = System.nanoTime();
      fo.infer(batch); // emu hangs; the batch is re-run in software
      assertTrue(millisSince(t0) < 60_000, "a hang guard only");
      assertEquals("software", fo.name());
      assertEquals(1, events.size());
      assertEquals(BackendException.Kind.TIMEOUT, events.get(0).cause().kind());
      assertTrue(events.get(0).toString().contains("backend emu failed (TIMEOUT"), events.get(0).toString());
      for (int i = 0; i < 3 * fo.shape().outputWordsPerTrial(); i++) {
        assertEquals(want.rawOutputs().get(i), batch.rawOutputs().get(i), "word " + i);
      }
    }
  }
}
