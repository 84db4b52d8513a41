package org.lfadsrt.host.pipeline;

import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.metrics.PipelineStats;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.LfadsOutput;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The pipeline against an independent computation: every online result must equal FloatLfads' whole-
 * trial inference of the same T_enc-bin window (a separate instance, through its allocating API), and
 * every trial-mode result the whole-trial inference of the zero-padded trial.
 */
class PipelineTest {

  /** With and without a controller (the controller path reads the CI encoder over the whole window). */
  static LfadsModel model(boolean controller) {
    LfadsConfig c = controller
        ? new LfadsConfig(12, 9, 11, 14, 10, 6, 1, 8, 2, 5, 12, 3, 5.0)
        : new LfadsConfig(12, 9, 9, 14, 10, 0, 1, 0, 0, 5, 12, 3, 5.0);
    return RandomModels.demo(c, controller ? 11 : 12);
  }

  static final class Collect implements ResultSink {
    final List<float[]> factors = new ArrayList<>(), rates = new ArrayList<>(), decoded = new ArrayList<>();
    final List<long[]> meta = new ArrayList<>(); // seq, bin, flags

    @Override
    public void publish(BinResult r) {
      factors.add(r.factors.clone());
      rates.add(r.rates.clone());
      decoded.add(r.decoded.clone());
      meta.add(new long[] {r.seq, r.binIndex, r.flags});
    }
  }

  static int[][] randomBins(int n, int channels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] bins = new int[n][channels];
    for (int[] b : bins) for (int c = 0; c < channels; c++) b[c] = r.nextInt(10) < 7 ? 0 : r.nextInt(1, 4);
    return bins;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void onlineResultsEqualWholeTrialInferenceOfTheSameWindow(boolean controller) throws Exception {
    LfadsModel m = model(controller);
    int tEnc = m.config().encodSeqLen(), nIn = m.config().encodDataDim();
    Collect sink = new Collect();
    Pipeline p = new Pipeline(new FloatBackend(m), Mode.ONLINE, null, sink, new PipelineStats());
    int[][] bins = randomBins(40, nIn, 5);
    for (int i = 0; i < bins.length; i++) p.onEvent(SpikeSource.BIN, bins[i], i, System.nanoTime());
    assertEquals(bins.length, sink.meta.size());
    FloatLfads reference = new FloatLfads(m);
    for (int i = 0; i < bins.length; i++) {
      int[][] window = new int[tEnc][nIn];
      for (int t = 0; t < tEnc; t++) {
        int src = i - (tEnc - 1) + t;
        if (src >= 0) window[t] = bins[src].clone();
      }
      LfadsOutput want = reference.infer(window);
      for (int k = 0; k < want.factors()[tEnc - 1].length; k++) {
        assertEquals((float) want.factors()[tEnc - 1][k], sink.factors.get(i)[k], 0f, "bin " + i + " factor " + k);
      }
      for (int ch = 0; ch < want.rates()[tEnc - 1].length; ch++) {
        assertEquals((float) want.rates()[tEnc - 1][ch], sink.rates.get(i)[ch], 0f, "bin " + i + " rate " + ch);
      }
      assertEquals(i, sink.meta.get(i)[0], "seq");
      assertEquals(i, sink.meta.get(i)[1], "bin index");
      assertEquals(i < tEnc - 1 ? BinResult.FLAG_WINDOW_PARTIAL : 0, sink.meta.get(i)[2], "flags at bin " + i);
    }
  }

  /** Non-Poisson models publish the distribution's mean per neuron (rates width = neurons, not readout outputs). */
  @ParameterizedTest
  @ValueSource(strings = {"Gamma", "Gaussian", "MSE"})
  void publishedRatesAreTheReconstructionsMeans(String kind) throws Exception {
    LfadsModel base = model(true);
    org.lfadsrt.sim.model.Reconstruction.Kind k = org.lfadsrt.sim.model.Reconstruction.Kind.forName(kind);
    LfadsModel m = base.withReconstruction(
        org.lfadsrt.sim.model.Reconstruction.of(k, base.config().readoutDim() / k.paramCount()));
    int tEnc = m.config().encodSeqLen(), nIn = m.config().encodDataDim();
    Collect sink = new Collect();
    InferenceBackend be = org.lfadsrt.host.backend.Backends.open("float", m);
    assertEquals(14 / k.paramCount(), be.publishedShape().nOut());
    Pipeline p = new Pipeline(be, Mode.ONLINE, null, sink, new PipelineStats());
    int[][] bins = randomBins(15, nIn, 6);
    for (int i = 0; i < bins.length; i++) p.onEvent(SpikeSource.BIN, bins[i], i, System.nanoTime());
    FloatLfads reference = new FloatLfads(m);
    int i = bins.length - 1;
    int[][] window = new int[tEnc][nIn];
    for (int t = 0; t < tEnc; t++) window[t] = bins[i - (tEnc - 1) + t].clone();
    double[] want = reference.infer(window).rates()[tEnc - 1];
    assertEquals(want.length, sink.rates.get(i).length);
    for (int ch = 0; ch < want.length; ch++) assertEquals((float) want[ch], sink.rates.get(i)[ch], 0f, "rate " + ch);
  }

  @Test
  void trialModeInfersEachWholeTrialAndAccountsForEveryBin() {
    LfadsModel m = model(true);
    int tEnc = m.config().encodSeqLen(), nIn = m.config().encodDataDim();
    Collect sink = new Collect();
    PipelineStats stats = new PipelineStats();
    Pipeline p = new Pipeline(new FloatBackend(m), Mode.TRIAL, null, sink, stats);
    int[][] bins = randomBins(30, nIn, 9);
    // bins 0-1 outside any trial; trial A = bins 2..7 (6 bins, padded); trial B = 8..8+tEnc (one too many)
    int b = 0;
    p.onEvent(SpikeSource.BIN, bins[b], b, 0); b++;
    p.onEvent(SpikeSource.BIN, bins[b], b, 0); b++;
    int aStart = b;
    for (; b < aStart + 6; b++) {
      int f = SpikeSource.BIN | (b == aStart ? SpikeSource.TRIAL_START : 0) | (b == aStart + 5 ? SpikeSource.TRIAL_END : 0);
      p.onEvent(f, bins[b], b, 0);
    }
    int bStart = b;
    for (; b < bStart + tEnc + 1; b++) p.onEvent(SpikeSource.BIN | (b == bStart ? SpikeSource.TRIAL_START : 0), bins[b], b, 0);
    p.onEvent(SpikeSource.TRIAL_END, null, -1, 0); // a marker on its own
    assertEquals(b, stats.binsIn());
    assertEquals(6 + tEnc, sink.meta.size());
    assertEquals(2, stats.drops(DropReason.OUTSIDE_TRIAL));
    assertEquals(1, stats.drops(DropReason.TRIAL_OVERFLOW));
    assertEquals(stats.binsIn(), stats.publishedCount() + stats.droppedTotal(), "every bin accounted for");

    FloatLfads reference = new FloatLfads(m);
    int[][] trialA = new int[tEnc][nIn];
    for (int t = 0; t < 6; t++) trialA[t] = bins[aStart + t].clone();
    LfadsOutput wantA = reference.infer(trialA);
    for (int t = 0; t < 6; t++) {
      for (int k = 0; k < 3; k++) assertEquals((float) wantA.factors()[t][k], sink.factors.get(t)[k], 0f);
      assertEquals(aStart + t, sink.meta.get(t)[1]);
      long flags = sink.meta.get(t)[2];
      assertEquals(BinResult.FLAG_TRIAL | (t == 0 ? BinResult.FLAG_TRIAL_FIRST : 0) | (t == 5 ? BinResult.FLAG_TRIAL_LAST : 0), flags);
    }
    int[][] trialB = new int[tEnc][];
    for (int t = 0; t < tEnc; t++) trialB[t] = bins[bStart + t].clone();
    LfadsOutput wantB = reference.infer(trialB);
    for (int t = 0; t < tEnc; t++) {
      for (int ch = 0; ch < 14; ch++) assertEquals((float) wantB.rates()[t][ch], sink.rates.get(6 + t)[ch], 0f);
    }
  }

  @Test
  void invalidCountsAndBackendFaultsAreCountedNotPublished() {
    ModelShape shape = new ModelShape(2, 3, 3, 1, 2);
    int[] calls = {0};
    InferenceBackend flaky = new InferenceBackend() {
      public String name() { return "flaky"; }
      public ModelShape shape() { return shape; }
      public void infer(InferenceBatch batch) throws BackendException {
        if (++calls[0] % 2 == 0) throw new BackendException(BackendException.Kind.TIMEOUT, "simulated timeout");
      }
      public void close() {}
    };
    PipelineStats stats = new PipelineStats();
    Collect sink = new Collect();
    Pipeline p = new Pipeline(flaky, Mode.ONLINE, null, sink, stats);
    p.onEvent(SpikeSource.BIN, new int[] {1, 2}, 0, 0);
    p.onEvent(SpikeSource.BIN, new int[] {1, 2}, 1, 0); // backend fault
    p.onEvent(SpikeSource.BIN, new int[] {-1, 2}, 2, 0); // invalid
    p.onEvent(SpikeSource.BIN, new int[] {300, 2}, 3, 0); // saturated, published
    assertEquals(4, stats.binsIn());
    assertEquals(2, stats.publishedCount());
    assertEquals(1, stats.drops(DropReason.BACKEND_FAULT));
    assertEquals(1, stats.drops(DropReason.INVALID));
    assertEquals(1, stats.saturatedCounts());
    assertEquals(List.of(0L, 1L), sink.meta.stream().map(x -> x[0]).toList(), "seq has no gaps for published results");
    assertEquals(List.of(0L, 3L), sink.meta.stream().map(x -> x[1]).toList(), "bin index shows the gap");
  }

  @Test
  void lateBinsAreCountedButStillEnterTheWindow() {
    LfadsModel m = model(false);
    int tEnc = m.config().encodSeqLen(), nIn = m.config().encodDataDim();
    Collect sink = new Collect();
    PipelineStats stats = new PipelineStats();
    // late after 60 s and bin 10 stamped an hour ago: no stall of this machine can make another bin late
    Pipeline p = new Pipeline(new FloatBackend(m), Mode.ONLINE, null, sink, stats).lateAfter(60_000_000_000L);
    int[][] bins = randomBins(12, nIn, 21);
    long now = System.nanoTime();
    for (int i = 0; i < bins.length; i++) {
      long tSource = i == 10 ? now - 3_600_000_000_000L : System.nanoTime(); // bin 10 is an hour late
      p.onEvent(SpikeSource.BIN, bins[i], i, tSource);
    }
    assertEquals(1, stats.drops(DropReason.LATE));
    assertEquals(11, sink.meta.size());
    assertEquals(11, sink.meta.get(10)[1], "bin 10 was skipped");
    int[][] window = new int[tEnc][];
    for (int t = 0; t < tEnc; t++) window[t] = bins[11 - (tEnc - 1) + t].clone();
    LfadsOutput want = new FloatLfads(m).infer(window);
    for (int k = 0; k < 3; k++) assertEquals((float) want.factors()[tEnc - 1][k], sink.factors.get(10)[k], 0f);
  }

  @Test
  void hotPathAllocatesNothingPerBin() {
    LfadsModel m = model(true);
    int nIn = m.config().encodDataDim();
    float[] keep = new float[1];
    ResultSink sink = r -> keep[0] += r.factors[0];
    Pipeline p = new Pipeline(new FloatBackend(m), Mode.ONLINE, null, sink, new PipelineStats());
    int[][] bins = randomBins(64, nIn, 3);
    for (int i = 0; i < 10_000; i++) p.onEvent(SpikeSource.BIN, bins[i & 63], i, System.nanoTime()); // warm up the JIT
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 5_000; i++) p.onEvent(SpikeSource.BIN, bins[i & 63], i, System.nanoTime());
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertTrue(allocated < 5_000, "5000 bins allocated " + allocated + " bytes (expected none per bin)");
  }
}
