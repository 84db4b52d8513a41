package org.lfadsrt.sim.floatmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lfadsrt.sim.model.BundledModels;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;
import org.lfadsrt.sim.model.WindowReference;

/**
 * Online inference with per-bin projection reuse against whole-window inference of the same window by a separate
 * {@link FloatLfads} through its allocating API: factors, log-rates, co_means and ic_mean within 1e-12 at every bin
 * of a stream covering the warm-up (zero-padded window), the first full window and two ring wrap-arounds.
 */
class FloatOnlineWindowTest {

  static final double TOL = 1e-12;

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("lorenz-demo", BundledModels.demo()),
        Arguments.of("paper", RandomModels.random(RandomModels.paperConfig(), 3)),
        Arguments.of("mc_maze", RandomModels.random(RandomModels.mcMazeConfig(), 4)),
        Arguments.of("odd-controller-lag", RandomModels.random(RandomModels.oddConfig(21, true), 21)),
        Arguments.of("odd-no-controller", RandomModels.random(RandomModels.oddConfig(22, false), 22)));
  }

  static int[][] stream(int bins, int channels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] s = new int[bins][channels];
    for (int[] b : s) for (int i = 0; i < channels; i++) b[i] = r.nextInt(10) < 7 ? 0 : r.nextInt(1, 5);
    return s;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyWindowMatchesWholeWindowInference(String name, LfadsModel m) {
    LfadsConfig c = m.config();
    int tEnc = c.encodSeqLen(), tRec = c.reconSeqLen(), nIn = c.encodDataDim();
    int fac = c.facDim(), nOut = c.readoutDim(), co = c.coDim();
    FloatOnlineWindow online = new FloatOnlineWindow(new FloatLfads(m));
    FloatLfads reference = new FloatLfads(m);
    double[] factors = new double[tRec * fac], logrates = new double[tRec * nOut], coMeans = new double[tRec * co];
    int[][] bins = stream(2 * tEnc + 7, nIn, name.hashCode());
    double worst = 0;
    for (int i = 0; i < bins.length; i++) {
      online.pushBin(bins[i]);
      online.inferInto(factors, 0, logrates, 0, coMeans, 0);
      LfadsOutput want = reference.infer(WindowReference.windowEndingAt(bins, i, tEnc, nIn));
      String at = name + ", window ending at bin " + i + (i < tEnc - 1 ? " (warm-up)" : "");
      for (int t = 0; t < tRec; t++) {
        for (int k = 0; k < fac; k++) {
          assertEquals(want.factors()[t][k], factors[t * fac + k], TOL, at + ": step " + t + " factor " + k);
          worst = Math.max(worst, Math.abs(want.factors()[t][k] - factors[t * fac + k]));
        }
        for (int k = 0; k < nOut; k++) {
          assertEquals(want.logrates()[t][k], logrates[t * nOut + k], TOL, at + ": step " + t + " lograte " + k);
          worst = Math.max(worst, Math.abs(want.logrates()[t][k] - logrates[t * nOut + k]));
        }
        for (int k = 0; k < co; k++) assertEquals(want.coMean()[t][k], coMeans[t * co + k], TOL, at + ": co_mean " + k);
      }
      for (int k = 0; k < c.icDim(); k++) assertEquals(want.icMean()[k], online.lastIcMean()[k], TOL, at + ": ic_mean " + k);
    }
    System.out.printf("FloatOnlineWindowTest %s: %d windows, largest |online - whole window| = %.3g%n", name,
        bins.length, worst);
  }

  @Test
  void resetAndBadInput() {
    LfadsConfig c = RandomModels.oddConfig(60, true);
    LfadsModel m = RandomModels.random(c, 60);
    FloatOnlineWindow online = new FloatOnlineWindow(new FloatLfads(m));
    int tRec = c.reconSeqLen(), nIn = c.encodDataDim();
    double[] f1 = new double[tRec * c.facDim()], f2 = f1.clone(), lr = new double[tRec * c.readoutDim()];
    int[][] bins = stream(c.encodSeqLen() + 4, nIn, 61);
    online.pushBin(bins[0]);
    online.inferInto(f1, 0, lr, 0);
    for (int[] b : bins) online.pushBin(b);
    online.reset();
    online.pushBin(bins[0]);
    online.inferInto(f2, 0, lr, 0);
    assertTrue(java.util.Arrays.equals(f1, f2), "after reset the window is all zeros again");
    int[] bad = new int[nIn];
    bad[0] = -1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> online.pushBin(bad));
    assertEquals("negative spike count -1 at bin 1, channel 0", e.getMessage());
    assertEquals(1, online.binsPushed());
  }
}
