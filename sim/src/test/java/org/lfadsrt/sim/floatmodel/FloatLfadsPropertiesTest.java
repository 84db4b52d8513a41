package org.lfadsrt.sim.floatmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/** Invariants of the float model on random models and inputs (the goldens check exact values). */
class FloatLfadsPropertiesTest {

  static LfadsModel randomModel(long seed, boolean controller, double clip) {
    Random r = new Random(seed);
    int nIn = 1 + r.nextInt(9);
    int tEnc = 1 + r.nextInt(8);
    int tRec = tEnc + r.nextInt(4);
    int nOut = 1 + r.nextInt(9);
    int hIc = 1 + r.nextInt(6);
    int hCi = controller ? 1 + r.nextInt(5) : 0;
    int con = controller ? 1 + r.nextInt(5) : 0;
    int co = controller ? 1 + r.nextInt(3) : 0;
    int ic = 1 + r.nextInt(5);
    int gen = 1 + r.nextInt(9);
    int fac = 1 + r.nextInt(4);
    LfadsConfig c = new LfadsConfig(nIn, tEnc, tRec, nOut, hIc, hCi, 1 + r.nextInt(2), con, co, ic, gen, fac, clip);
    // large weights and initial states (up to 3 x the clip) so the clip is reached
    return RandomModels.random(c, seed, new RandomModels.Options(6.0, 4.0, 3 * clip, 0.0));
  }

  static int[][] randomSpikes(Random r, LfadsConfig c) {
    int[][] s = new int[c.encodSeqLen()][c.encodDataDim()];
    for (int[] bin : s) for (int j = 0; j < bin.length; j++) bin[j] = r.nextInt(10) < 6 ? 0 : r.nextInt(6);
    return s;
  }

  /**
   * Factors are the clamped generator state times unit-norm rows, so by Cauchy-Schwarz
   * |f_k| <= ||g|| <= sqrt(gen_dim) * cell_clip; rates are exp(logrates); batch = single trials.
   */
  @Property(tries = 60)
  void factorsAreBoundedAndOutputsConsistent(@ForAll long seed, @ForAll boolean controller,
      @ForAll @IntRange(min = 1, max = 40) int clipTenths) {
    double clip = clipTenths / 10.0;
    LfadsModel m = randomModel(seed, controller, clip);
    LfadsConfig c = m.config();
    FloatLfads lfads = new FloatLfads(m);
    Random r = new Random(seed ^ 0x5EED);
    int[][][] batch = {randomSpikes(r, c), randomSpikes(r, c)};
    LfadsOutput[] outs = lfads.inferBatch(batch);
    double bound = Math.sqrt(c.genDim()) * clip * (1 + 1e-12);
    for (int i = 0; i < batch.length; i++) {
      LfadsOutput o = outs[i];
      assertEquals(c.reconSeqLen(), o.factors().length);
      assertEquals(c.coDim(), o.coMean()[0].length);
      for (int t = 0; t < c.reconSeqLen(); t++) {
        for (double f : o.factors()[t]) assertTrue(Math.abs(f) <= bound, "factor " + f + " beyond " + bound);
        for (int k = 0; k < c.readoutDim(); k++) {
          assertEquals(Math.exp(o.logrates()[t][k]), o.rates()[t][k], 0.0);
        }
      }
      LfadsOutput single = new FloatLfads(m).infer(batch[i]);
      for (int t = 0; t < c.reconSeqLen(); t++) assertArrayEquals(single.logrates()[t], o.logrates()[t], 0.0);
    }
  }

  /** The hot-path entry point allocates nothing once warm (scratch is per instance). */
  @Test
  void inferIntoDoesNotAllocate() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    LfadsModel m = randomModel(7, true, 5.0);
    LfadsConfig c = m.config();
    FloatLfads lfads = new FloatLfads(m);
    int[] spikes = new int[c.encodSeqLen() * c.encodDataDim()];
    for (int i = 0; i < spikes.length; i++) spikes[i] = i % 3;
    double[] fac = new double[c.reconSeqLen() * c.facDim()];
    double[] lr = new double[c.reconSeqLen() * c.readoutDim()];
    double[] co = new double[c.reconSeqLen() * c.coDim()];
    for (int i = 0; i < 20_000; i++) lfads.inferInto(spikes, 0, fac, 0, lr, 0, co, 0);
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000; i++) lfads.inferInto(spikes, 0, fac, 0, lr, 0, co, 0);
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1_000, "1000 trials allocated " + allocated + " bytes");
  }
}
