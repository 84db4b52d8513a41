package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.model.LfadsConfig;

/**
 * Backend online sessions against whole-window {@link InferenceBackend#infer} of the same window on a separate
 * backend instance: raw kernel words identical (software), doubles within 1e-12 (float), at every bin of a stream
 * that covers the warm-up (zero-padded window) and several ring wrap-arounds; and through {@link FailoverBackend},
 * before, at and after a device fault.
 */
class OnlineInferenceTest {

  static byte[][] stream(int bins, int channels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[][] s = new byte[bins][channels];
    for (byte[] b : s) for (int i = 0; i < channels; i++) b[i] = (byte) (r.nextInt(100) < 3 ? 200 + r.nextInt(56) : r.nextInt(4));
    return s;
  }

  /** Whole-window reference: the window ending at bin {@code last}, oldest first, zeros before bin 0, into trial 0. */
  static void inferWhole(InferenceBackend b, InferenceBatch batch, byte[][] bins, int last) throws BackendException {
    ModelShape s = b.shape();
    for (int t = 0; t < s.tEnc(); t++) {
      int src = last - (s.tEnc() - 1) + t;
      for (int i = 0; i < s.nIn(); i++) batch.spike(0, t, i, src >= 0 ? bins[src][i] & 0xFF : 0);
    }
    b.infer(batch);
  }

  static void assertSameWindow(InferenceBatch want, InferenceBatch got, boolean raw, String at) {
    ModelShape s = want.shape();
    if (raw) {
      for (int k = 0; k < s.outputWordsPerTrial(); k++) {
        assertEquals(want.rawOutputs().get(k), got.rawOutputs().get(k), at + ": raw word " + k);
      }
    }
    for (int t = 0; t < s.tRec(); t++) {
      for (int k = 0; k < s.facDim(); k++) assertEquals(want.factor(0, t, k), got.factor(0, t, k), 1e-12, at + " factor");
      for (int k = 0; k < s.nOut(); k++) assertEquals(want.lograte(0, t, k), got.lograte(0, t, k), 1e-12, at + " lograte");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"software-plain", "software-controller", "float-plain", "float-controller"})
  void sessionsEqualWholeWindowInference(String which) throws Exception {
    LfadsConfig c = which.endsWith("controller") ? TestImages.CONTROLLER : TestImages.PLAIN;
    boolean fixed = which.startsWith("software");
    InferenceBackend online, whole;
    if (fixed) {
      KernelImage image = TestImages.image(c, 71);
      online = new SoftwareBackend(image);
      whole = new SoftwareBackend(image);
    } else {
      online = new FloatBackend(TestImages.model(c, 71));
      whole = new FloatBackend(TestImages.model(c, 71));
    }
    OnlineInference session = online.openOnline();
    assertNotNull(session, which + " offers online sessions");
    InferenceBatch got = new InferenceBatch(online.shape(), 1), want = new InferenceBatch(online.shape(), 1);
    byte[][] bins = stream(4 * c.encodSeqLen() + 3, c.encodDataDim(), 72);
    for (int i = 0; i < bins.length; i++) {
      session.pushBin(bins[i], 0);
      session.inferWindow(got);
      inferWhole(whole, want, bins, i);
      assertSameWindow(want, got, fixed, which + " bin " + i);
    }
    InferenceBatch two = new InferenceBatch(online.shape(), 2);
    BackendException e = assertThrows(BackendException.class, () -> session.inferWindow(two));
    assertEquals(BackendException.Kind.INVALID_INPUT, e.kind());
  }

  @Test
  void wrappersWithoutTheCapabilityReportNone() {
    KernelImage image = TestImages.image(TestImages.PLAIN, 73);
    assertNull(new FailoverBackendTest.Faulty(image, BackendException.Kind.TIMEOUT, 99).openOnline());
  }

  /** A primary device whose kernel takes whole windows only (like emu/xrt) fails at call 7: no window is lost or wrong. */
  @Test
  void failoverFromAWholeWindowDeviceContinuesWithReuseOnTheFallback() throws Exception {
    KernelImage image = TestImages.image(TestImages.CONTROLLER, 74);
    FailoverBackendTest.Faulty device = new FailoverBackendTest.Faulty(image, BackendException.Kind.DEVICE_LOST, 7);
    List<FailoverBackend.Failover> events = new ArrayList<>();
    SoftwareBackend fallback = new SoftwareBackend(image);
    int[] fallbackWhole = {0};
    InferenceBackend countingFallback = new Delegate(fallback) {
      @Override
      public void infer(InferenceBatch b) throws BackendException {
        fallbackWhole[0]++;
        super.infer(b);
      }
    };
    FailoverBackend fo = new FailoverBackend(device, countingFallback, events::add);
    OnlineInference session = fo.openOnline();
    SoftwareBackend reference = new SoftwareBackend(image);
    InferenceBatch got = new InferenceBatch(fo.shape(), 1), want = new InferenceBatch(fo.shape(), 1);
    byte[][] bins = stream(3 * image.tEnc() + 4, image.nIn(), 75);
    for (int i = 0; i < bins.length; i++) {
      session.pushBin(bins[i], 0);
      session.inferWindow(got);
      inferWhole(reference, want, bins, i);
      assertSameWindow(want, got, true, "bin " + i);
    }
    assertEquals(1, events.size());
    assertEquals(7, device.calls, "the device saw whole windows until it failed, then nothing");
    assertEquals(1, fallbackWhole[0], "only the failed window is re-run whole; later windows reuse per-bin work");
    assertEquals("software", fo.name());
  }

  /** A primary with online sessions that faults mid-stream: the fallback's session is primed and stays bit-exact. */
  @Test
  void failoverFromAnOnlinePrimaryPrimesTheFallbackSession() throws Exception {
    KernelImage image = TestImages.image(TestImages.PLAIN, 76);
    int failAt = 2 * image.tEnc() + 1;
    int[] windows = {0};
    InferenceBackend primary = new Delegate(new SoftwareBackend(image)) {
      @Override
      public OnlineInference openOnline() {
        OnlineInference inner = super.openOnline();
        return new OnlineInference() {
          public void pushBin(byte[] counts, int off) { inner.pushBin(counts, off); }
          public void inferWindow(InferenceBatch b) throws BackendException {
            if (++windows[0] == failAt) throw new BackendException(BackendException.Kind.TIMEOUT, "injected timeout");
            inner.inferWindow(b);
          }
          public void reset() { inner.reset(); }
        };
      }
    };
    List<FailoverBackend.Failover> events = new ArrayList<>();
    FailoverBackend fo = new FailoverBackend(primary, new SoftwareBackend(image), events::add);
    OnlineInference session = fo.openOnline();
    SoftwareBackend reference = new SoftwareBackend(image);
    InferenceBatch got = new InferenceBatch(fo.shape(), 1), want = new InferenceBatch(fo.shape(), 1);
    byte[][] bins = stream(4 * image.tEnc(), image.nIn(), 77);
    for (int i = 0; i < bins.length; i++) {
      session.pushBin(bins[i], 0);
      session.inferWindow(got);
      inferWhole(reference, want, bins, i);
      assertSameWindow(want, got, true, "bin " + i);
    }
    assertEquals(1, events.size());
    assertEquals(BackendException.Kind.TIMEOUT, events.get(0).cause().kind());
    assertEquals(failAt, windows[0], "no window reaches the primary after the fault");
  }

  /** Forwards everything to {@code inner}, including its online capability. */
  static class Delegate implements InferenceBackend {
    final InferenceBackend inner;

    Delegate(InferenceBackend inner) { this.inner = inner; }

    @Override public String name() { return inner.name(); }
    @Override public ModelShape shape() { return inner.shape(); }
    @Override public void infer(InferenceBatch b) throws BackendException { inner.infer(b); }
    @Override public OnlineInference openOnline() { return inner.openOnline(); }
    @Override public boolean producesRawOutputs() { return inner.producesRawOutputs(); }
    @Override public void close() { inner.close(); }
  }
}
