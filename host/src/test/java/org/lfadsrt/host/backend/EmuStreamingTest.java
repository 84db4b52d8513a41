package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.fixed.KernelImage;

/** Streaming through the native driver (lfads_submit / lfads_wait) on the emulated kernel. */
class EmuStreamingTest {
  @Test
  void twoRunsInFlightGiveWhatBlockingInferGives() throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.CONTROLLER, 61);
    try (EmuBackend emu = new EmuBackend(image, "slots=2", 60_000)) {
      InferenceBatch a = new InferenceBatch(emu.shape(), 2), b = new InferenceBatch(emu.shape(), 2);
      InferenceBatch ref = new InferenceBatch(emu.shape(), 2);
      TestImages.fillSpikes(a, 2, 1);
      TestImages.fillSpikes(b, 1, 2);
      b.trials(1);
      int ta = emu.submit(a), tb = emu.submit(b);
      assertEquals(2, emu.inFlight());
      BackendException busy = assertThrows(BackendException.class, () -> emu.submit(a));
      assertTrue(busy.getMessage().contains("all 2 buffer sets are in flight"), busy.getMessage());
      emu.await(tb, b);
      emu.await(ta, a);
      assertEquals(0, emu.inFlight());
      int words = emu.shape().outputWordsPerTrial();
      for (InferenceBatch got : new InferenceBatch[] {a, b}) {
        TestImages.fillSpikes(ref, 2, got == a ? 1 : 2);
        ref.trials(got.trials());
        emu.infer(ref);
        for (int i = 0; i < got.trials() * words; i++) assertEquals(ref.rawOutputs().get(i), got.rawOutputs().get(i), "word " + i);
      }
    }
  }

  @Test
  void aHungRunTimesOutAndTheHandleFails() throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.PLAIN, 62);
    try (EmuBackend emu = new EmuBackend(image, "hang_after=0", 60_000)) {
      emu.timeoutMillis(300); // the load above is not bounded by it; the hung run is
      InferenceBatch a = new InferenceBatch(emu.shape(), 1);
      TestImages.fillSpikes(a, 1, 3);
      int t = emu.submit(a);
      BackendException e = assertThrows(BackendException.class, () -> emu.await(t, a));
      assertEquals(BackendException.Kind.TIMEOUT, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("run aborted (abort confirmed)"), e.getMessage());
      BackendException after = assertThrows(BackendException.class, () -> emu.submit(a));
      assertTrue(after.getMessage().contains("close and reopen"), after.getMessage());
    }
  }
}
