package org.lfadsrt.sim.floatmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

/**
 * Compares FloatLfads with the independent PyTorch float64 reference (sim/python/lfads_reference.py)
 * on the golden vectors written by sim/python/make_goldens.py: every output of every trial must
 * agree to 1e-9 absolute.
 */
class FloatLfadsGoldenTest {
  static final double TOL = 1e-9;

  static LfadsModel model(String name) throws Exception {
    try (InputStream in = resource("/golden/" + name + "/model.npz")) {
      return ModelFile.load(in, name + "/model.npz");
    }
  }

  static NpzReader golden(String name) throws Exception {
    try (InputStream in = resource("/golden/" + name + "/golden.npz")) {
      return NpzReader.read(in, name + "/golden.npz");
    }
  }

  static InputStream resource(String path) {
    InputStream in = FloatLfadsGoldenTest.class.getResourceAsStream(path);
    if (in == null) throw new IllegalStateException("missing golden file " + path + " (run sim/python/make_goldens.py)");
    return in;
  }

  @ParameterizedTest
  @ValueSource(strings = {"paper", "mc_maze", "one_bin", "one_bin_con", "primes_lag2", "primes_lag0"})
  void matchesPyTorchReference(String name) throws Exception {
    LfadsModel m = model(name);
    LfadsConfig c = m.config();
    NpzReader g = golden(name);
    int[][][] spikes = g.array("spikes").toIntArray3();
    int trials = spikes.length;
    assertEquals(c.encodSeqLen(), spikes[0].length);
    assertEquals(c.encodDataDim(), spikes[0][0].length);
    FloatLfads lfads = new FloatLfads(m);
    LfadsOutput[] outs = lfads.inferBatch(spikes);
    double maxDelta = 0;
    maxDelta = Math.max(maxDelta, compare(name, "factors", g.array("factors"), trials, c.reconSeqLen(), c.facDim(),
        (i, t, k) -> outs[i].factors()[t][k]));
    maxDelta = Math.max(maxDelta, compare(name, "logrates", g.array("logrates"), trials, c.reconSeqLen(),
        c.readoutDim(), (i, t, k) -> outs[i].logrates()[t][k]));
    maxDelta = Math.max(maxDelta, compare(name, "rates", g.array("rates"), trials, c.reconSeqLen(), c.readoutDim(),
        (i, t, k) -> outs[i].rates()[t][k]));
    maxDelta = Math.max(maxDelta, compare(name, "co_mean", g.array("co_mean"), trials, c.reconSeqLen(), c.coDim(),
        (i, t, k) -> outs[i].coMean()[t][k]));
    maxDelta = Math.max(maxDelta, compare(name, "ic_mean", g.array("ic_mean"), trials, 1, c.icDim(),
        (i, t, k) -> outs[i].icMean()[k]));
    System.out.printf("golden %-12s trials %d  max |delta| = %.3g%n", name, trials, maxDelta);

    // The allocation-free entry point gives bit-identical results, and reusing the instance
    // (scratch buffers) across trials in any order changes nothing.
    int tr = c.reconSeqLen();
    double[] fac = new double[tr * c.facDim()];
    double[] lr = new double[tr * c.readoutDim()];
    double[] co = new double[tr * c.coDim()];
    for (int i = trials - 1; i >= 0; i--) {
      int[] flat = Arrays.stream(spikes[i]).flatMapToInt(Arrays::stream).toArray();
      lfads.inferInto(flat, 0, fac, 0, lr, 0, co, 0);
      for (int t = 0; t < tr; t++) {
        assertArrayEquals(outs[i].factors()[t], Arrays.copyOfRange(fac, t * c.facDim(), (t + 1) * c.facDim()), 0.0);
        assertArrayEquals(outs[i].logrates()[t],
            Arrays.copyOfRange(lr, t * c.readoutDim(), (t + 1) * c.readoutDim()), 0.0);
      }
    }
  }

  interface Actual {
    double get(int trial, int t, int k);
  }

  static double compare(String name, String what, NdArray expected, int trials, int steps, int width, Actual actual) {
    assertEquals(trials * steps * width, expected.size(), name + " " + what + " size");
    double max = 0;
    for (int i = 0; i < trials; i++) {
      for (int t = 0; t < steps; t++) {
        for (int k = 0; k < width; k++) {
          double e = expected.getDouble((i * steps + t) * width + k);
          double a = actual.get(i, t, k);
          double d = Math.abs(a - e);
          if (!(d <= TOL)) {
            throw new AssertionError(String.format("%s %s trial %d step %d index %d: expected %.17g, got %.17g (|delta| %.3g)",
                name, what, i, t, k, e, a, d));
          }
          max = Math.max(max, d);
        }
      }
    }
    return max;
  }

  @Test
  void clippingIsExercisedByTheGoldens() throws Exception {
    // primes_lag2 uses cell_clip 0.7 with large learned initial states: if clipping were skipped
    // the outputs would be far off (make_goldens.py prints by how much: ~16 in logrates).
    LfadsModel m = model("primes_lag2");
    assertEquals(0.7, m.config().cellClip());
    assertTrue(Arrays.stream(m.icEncH0()[0]).anyMatch(v -> Math.abs(v) > 0.7), "h0 beyond the clip");
  }

  @Test
  void rejectsBadSpikeArrays() throws Exception {
    FloatLfads lfads = new FloatLfads(model("primes_lag0"));
    int[][] ok = new int[7][5];
    assertEquals(7, lfads.infer(ok).factors().length);
    var bins = assertThrows(IllegalArgumentException.class, () -> lfads.infer(new int[6][5]));
    assertTrue(bins.getMessage().contains("6 bins") && bins.getMessage().contains("encod_seq_len = 7"), bins.getMessage());
    var chans = assertThrows(IllegalArgumentException.class, () -> lfads.infer(new int[7][4]));
    assertTrue(chans.getMessage().contains("4 channels"), chans.getMessage());
    int[][] neg = new int[7][5];
    neg[3][2] = -1;
    var n = assertThrows(IllegalArgumentException.class, () -> lfads.inferBatch(new int[][][] {ok, neg}));
    assertTrue(n.getMessage().contains("trial 1") && n.getMessage().contains("bin 3, channel 2"), n.getMessage());
  }
}
