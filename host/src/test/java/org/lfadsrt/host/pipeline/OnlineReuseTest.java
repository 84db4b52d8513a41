package org.lfadsrt.host.pipeline;

import org.lfadsrt.host.metrics.PipelineStats;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.backend.OnlineInference;
import org.lfadsrt.host.backend.SoftwareBackend;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/**
 * Online mode on the bit-accurate software backend goes through the backend's online session (per-bin projections
 * reused across windows, no whole-window {@code infer} call), and every published result equals whole-window
 * inference of the same window by a separate software backend: warm-up, full windows and ring wrap-around.
 */
class OnlineReuseTest {

  /** Counts how the pipeline reaches the backend. */
  static final class Spy implements InferenceBackend {
    final InferenceBackend inner;
    int wholeWindowCalls, sessionPushes, sessionWindows;

    Spy(InferenceBackend inner) { this.inner = inner; }

    @Override public String name() { return inner.name(); }
    @Override public ModelShape shape() { return inner.shape(); }
    @Override public void infer(InferenceBatch b) throws BackendException {
      wholeWindowCalls++;
      inner.infer(b);
    }
    @Override public OnlineInference openOnline() {
      OnlineInference s = inner.openOnline();
      return new OnlineInference() {
        public void pushBin(byte[] counts, int off) { sessionPushes++; s.pushBin(counts, off); }
        public void inferWindow(InferenceBatch b) throws BackendException { sessionWindows++; s.inferWindow(b); }
        public void reset() { s.reset(); }
      };
    }
    @Override public void close() { inner.close(); }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void onlineWithReuseEqualsWholeWindowInference(boolean controller) throws Exception {
    LfadsModel m = PipelineTest.model(controller);
    int tEnc = m.config().encodSeqLen(), nIn = m.config().encodDataDim();
    KernelImage image = Quantizer.quantize(m, RandomModels.poissonSpikes(m.config(), 8, 0.5, 3), 16);
    Spy spy = new Spy(new SoftwareBackend(image));
    PipelineTest.Collect sink = new PipelineTest.Collect();
    Pipeline p = new Pipeline(spy, Mode.ONLINE, null, sink, new PipelineStats());
    int[][] bins = PipelineTest.randomBins(3 * tEnc + 5, nIn, 17);
    bins[tEnc + 2][0] = 400; // saturated to 255 by the pipeline before it reaches either path
    for (int i = 0; i < bins.length; i++) p.onEvent(SpikeSource.BIN, bins[i], i, System.nanoTime());

    assertEquals(0, spy.wholeWindowCalls, "online mode uses the backend's session, not whole-window infer");
    assertEquals(bins.length, spy.sessionPushes);
    assertEquals(bins.length, spy.sessionWindows);
    assertEquals(bins.length, sink.meta.size());

    SoftwareBackend whole = new SoftwareBackend(image);
    InferenceBatch batch = new InferenceBatch(whole.shape(), 1);
    for (int i = 0; i < bins.length; i++) {
      for (int t = 0; t < tEnc; t++) {
        int src = i - (tEnc - 1) + t;
        for (int c = 0; c < nIn; c++) batch.spike(0, t, c, src >= 0 ? Math.min(bins[src][c], 255) : 0);
      }
      whole.infer(batch);
      for (int k = 0; k < whole.shape().facDim(); k++) {
        assertEquals((float) batch.factor(0, tEnc - 1, k), sink.factors.get(i)[k], 0f, "bin " + i + " factor " + k);
      }
      for (int ch = 0; ch < whole.shape().nOut(); ch++) {
        assertEquals((float) Math.exp(batch.lograte(0, tEnc - 1, ch)), sink.rates.get(i)[ch], 0f, "bin " + i + " rate " + ch);
      }
      assertEquals(i < tEnc - 1 ? BinResult.FLAG_WINDOW_PARTIAL : 0, sink.meta.get(i)[2], "flags at bin " + i);
    }
  }
}
