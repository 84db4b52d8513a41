package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.contract.OnlineBuffers;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.model.LfadsConfig;

/**
 * The emu backend's online session (the kernel's online mode, docs/kernel-numerics.md §13) against the software
 * backend's online session ({@code FixedOnlineWindow}): the newest step's raw words and doubles bit for bit at every bin
 * of a stream longer than T_enc (warm-up, ring wrap), with saturating counts, bins pushed without a window, a reset, and
 * whole-window runs on the same device in between; the bus cost of every bin against the goals of issue 15; and a
 * hang mid-stream under failover, re-run in software bit-identically.
 */
class EmuOnlineTest {

  static void assertSameNewest(InferenceBatch want, InferenceBatch got, String at) {
    ModelShape s = want.shape();
    int step = s.tEnc() - 1, per = s.facDim() + s.nOut();
    for (int k = 0; k < per; k++) {
      assertEquals(want.rawOutputs().get(step * per + k), got.rawOutputs().get(step * per + k), at + ": raw word " + k);
    }
    for (int k = 0; k < s.facDim(); k++) assertEquals(want.factor(0, step, k), got.factor(0, step, k), 0.0, at + " factor " + k);
    for (int k = 0; k < s.nOut(); k++) assertEquals(want.lograte(0, step, k), got.lograte(0, step, k), 0.0, at + " lograte " + k);
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "controller"})
  void sessionEqualsTheSoftwareSessionAndMeetsTheBusGoals(String which) throws Exception {
    NativeTestSupport.assumeEmu();
    LfadsConfig c = which.equals("controller") ? TestImages.CONTROLLER : TestImages.PLAIN;
    KernelImage image = TestImages.image(c, 81);
    try (EmuBackend emu = new EmuBackend(image, "", 60_000)) {
      SoftwareBackend sw = new SoftwareBackend(image);
      OnlineInference device = emu.openOnline(), soft = sw.openOnline();
      assertNotNull(device, "emu offers online sessions");
      ModelShape s = emu.shape();
      InferenceBatch got = new InferenceBatch(s, 1), want = new InferenceBatch(s, 1), whole = new InferenceBatch(s, 2);
      byte[][] bins = OnlineInferenceTest.stream(4 * s.tEnc() + 5, s.nIn(), 82);
      int resetAt = 2 * s.tEnc() + 1;
      long perBinIn = OnlineBuffers.hostBytesIn(s.nIn()), perBinOut = OnlineBuffers.hostBytesOut(s.facDim(), s.nOut());
      assertTrue(perBinOut <= 4L * (s.facDim() + s.nOut()) + 64, "goal: out bytes <= 4 (F + N_out) + 64");
      int hotBins = 0;
      for (int i = 0; i < bins.length; i++) {
        if (i == resetAt) {
          device.reset();
          soft.reset();
        }
        device.pushBin(bins[i], 0);
        soft.pushBin(bins[i], 0);
        if (i % 7 == 3) continue; // a late bin: it enters the window, no window is inferred for it
        if (i % 5 == 4) { // a whole-window run on the same device between bins: the session refills the kernel's ring
          TestImages.fillSpikes(whole, 2, i);
          emu.infer(whole);
        }
        BusCounters before = emu.totalCounters();
        device.inferWindow(got);
        BusCounters after = emu.totalCounters();
        soft.inferWindow(want);
        assertSameNewest(want, got, which + " bin " + i);
        // the bus cost of the window: one bin pushed, unless the session had to (re)fill the kernel's ring
        // (not steady: a window start and the bin after it, which writes FLAGS back; after a late bin, two bins; a
        // whole-window run and the bin after it: the ring is refilled)
        boolean steady = i >= 2 && i != resetAt && i != resetAt + 1 && (i - 1) % 7 != 3 && i % 5 != 4 && (i - 1) % 5 != 4;
        if (steady) {
          hotBins++;
          assertEquals(0, after.regReads() - before.regReads(), "bin " + i + ": register reads");
          assertEquals(1, after.regWrites() - before.regWrites(), "bin " + i + ": register writes");
          assertEquals(perBinIn, after.bytesToDevice() - before.bytesToDevice(), "bin " + i + ": bytes in");
          assertEquals(perBinOut, after.bytesFromDevice() - before.bytesFromDevice(), "bin " + i + ": bytes out");
          assertEquals(1, after.kernelRuns() - before.kernelRuns(), "bin " + i + ": kernel runs");
        }
        assertEquals(0, after.regReads() - before.regReads(), "bin " + i + ": no register read in any online window");
        if (i % 5 == 4) {
          assertEquals(Math.min(i + 1 - (i >= resetAt ? resetAt : 0), s.tEnc()), after.kernelRuns() - before.kernelRuns(),
              "bin " + i + ": the ring refilled after a whole-window run");
        } else if (i >= 2 && i != resetAt && (i - 1) % 5 != 4) {
          assertTrue(after.regWrites() - before.regWrites() <= 2, "bin " + i + ": register writes");
        }
        assertTrue(emu.lastDeviceCycles() > 0, "the status block's CYCLES");
      }
      assertTrue(hotBins >= s.tEnc(), "steady-state bins checked: " + hotBins);
    }
  }

  /** The session's hot path allocates nothing per bin (as BackendContractTest's probe: 10 bins against 110). */
  @Test
  void aBinAllocatesNothing() throws Exception {
    NativeTestSupport.assumeEmu();
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    KernelImage image = TestImages.image(TestImages.PLAIN, 87);
    try (EmuBackend emu = new EmuBackend(image, "", 60_000)) {
      OnlineInference device = emu.openOnline();
      InferenceBatch got = new InferenceBatch(emu.shape(), 1);
      byte[][] bins = OnlineInferenceTest.stream(16, emu.shape().nIn(), 88);
      for (int i = 0; i < 40; i++) {
        device.pushBin(bins[i % bins.length], 0);
        device.inferWindow(got);
      }
      long tid = Thread.currentThread().getId();
      long t0 = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 10; i++) {
        device.pushBin(bins[i % bins.length], 0);
        device.inferWindow(got);
      }
      long t1 = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 110; i++) {
        device.pushBin(bins[i % bins.length], 0);
        device.inferWindow(got);
      }
      long t2 = threads.getThreadAllocatedBytes(tid);
      long allocated = (t2 - t1) - (t1 - t0);
      assertTrue(allocated < 1000, "100 extra bins allocated " + allocated + " bytes");
    }
  }

  /** The bin after a refill writes FLAGS back to ONLINE: 2 register writes, still no read. */
  @Test
  void theBinAfterAWindowStartWritesFlagsToo() throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.PLAIN, 83);
    try (EmuBackend emu = new EmuBackend(image, "", 60_000)) {
      OnlineInference device = emu.openOnline();
      InferenceBatch got = new InferenceBatch(emu.shape(), 1);
      byte[][] bins = OnlineInferenceTest.stream(3, emu.shape().nIn(), 84);
      long[] writes = new long[3], reads = new long[3];
      for (int i = 0; i < 3; i++) {
        BusCounters before = emu.totalCounters();
        device.pushBin(bins[i], 0);
        device.inferWindow(got);
        BusCounters after = emu.totalCounters();
        writes[i] = after.regWrites() - before.regWrites();
        reads[i] = after.regReads() - before.regReads();
      }
      assertEquals(0, reads[1] + reads[2], "no register read per bin");
      assertEquals(2, writes[1], "FLAGS (ONLINE) and CTRL");
      assertEquals(1, writes[2], "CTRL");
    }
  }

  /**
   * A hang mid-stream (the emulated memory stops answering at the device's 2 T_enc-th run) under failover: the bin's
   * window is re-run whole in software, later windows run on the software session; every window equals the software
   * backend's session bit for bit, and the switch is reported once, as a timeout.
   */
  @Test
  void aHangMidStreamFailsOverToSoftwareBitIdentically() throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.CONTROLLER, 85);
    int hangAt = 2 * image.tEnc();
    EmuBackend emu = new EmuBackend(image, "hang_after=" + hangAt, 60_000);
    emu.timeoutMillis(2000); // bounds the hung run (a healthy bin takes milliseconds; the image load is not bounded by it)
    List<FailoverBackend.Failover> events = new ArrayList<>();
    try (FailoverBackend fo = new FailoverBackend(emu, new SoftwareBackend(image), events::add)) {
      OnlineInference session = fo.openOnline();
      OnlineInference reference = new SoftwareBackend(image).openOnline();
      InferenceBatch got = new InferenceBatch(fo.shape(), 1), want = new InferenceBatch(fo.shape(), 1);
      byte[][] bins = OnlineInferenceTest.stream(4 * image.tEnc(), image.nIn(), 86);
      for (int i = 0; i < bins.length; i++) {
        session.pushBin(bins[i], 0);
        reference.pushBin(bins[i], 0);
        session.inferWindow(got);
        reference.inferWindow(want);
        assertSameNewest(want, got, "bin " + i);
        assertEquals(i < hangAt ? "emu" : "software", fo.name(), "bin " + i);
      }
      assertEquals(1, events.size());
      assertEquals(BackendException.Kind.TIMEOUT, events.get(0).cause().kind(), events.get(0).toString());
    }
  }
}
