package org.lfadsrt.host.backend;

import java.util.SplittableRandom;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/** Small quantized models and spike batches shared by the backend tests. */
final class TestImages {
  private TestImages() {}

  /** A small model without controller: 11 channels, 6/8 bins, 3 factors. */
  static final LfadsConfig PLAIN = new LfadsConfig(11, 6, 8, 13, 7, 0, 0, 0, 0, 5, 9, 3, 5.0);
  /** A small model with controller (ci_lag 1): 7 channels, 5/7 bins. */
  static final LfadsConfig CONTROLLER = new LfadsConfig(7, 5, 7, 7, 5, 3, 1, 5, 2, 3, 7, 4, 5.0);

  static LfadsModel model(LfadsConfig c, long seed) {
    return RandomModels.random(c, seed);
  }

  static KernelImage image(LfadsConfig c, long seed) {
    return Quantizer.quantize(model(c, seed), RandomModels.poissonSpikes(c, 16, 0.5, seed + 1), 16);
  }

  /** Fills the batch's first {@code trials} trials with counts: mostly Poisson-like small, a few large. */
  static void fillSpikes(InferenceBatch batch, int trials, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ModelShape s = batch.shape();
    for (int k = 0; k < trials; k++)
      for (int t = 0; t < s.tEnc(); t++)
        for (int i = 0; i < s.nIn(); i++) {
          int v = r.nextInt(100) < 3 ? 200 + r.nextInt(56) : r.nextInt(4);
          batch.spike(k, t, i, v);
        }
  }

  /** Trial {@code k} of the batch as the int[T_enc][N_in] the Java model takes. */
  static int[][] trial(InferenceBatch batch, int k) {
    ModelShape s = batch.shape();
    int[][] x = new int[s.tEnc()][s.nIn()];
    for (int t = 0; t < s.tEnc(); t++)
      for (int i = 0; i < s.nIn(); i++) x[t][i] = batch.spikes().get((k * s.tEnc() + t) * s.nIn() + i) & 0xFF;
    return x;
  }
}
