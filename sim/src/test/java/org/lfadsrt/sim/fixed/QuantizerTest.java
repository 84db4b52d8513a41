package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lfadsrt.sim.contract.KernelContract.*;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.model.GruWeights;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/** Format choices (§3), folding (combined biases, row normalisation, mean rows only) and the accumulator proof (§4). */
class QuantizerTest {

  @Test
  void stateFractionCoversWhatTheStatesCanReach() {
    // GRU states stay within max(1, |initial|): a clip of 5 never engages unless an initial state exceeds 1.
    assertEquals(14, Quantizer.stateFrac(5.0, 0.9, 16)); // Is = I(1) = 1: [-2, 2)
    assertEquals(14, Quantizer.stateFrac(5.0, 16));
    assertEquals(13, Quantizer.stateFrac(5.0, 2.9, 16)); // factor 2.3 fed back (with 25 % headroom)
    assertEquals(12, Quantizer.stateFrac(5.0, 7.5, 16)); // an h0 of 7.5: the clip at 5 matters, [-8, 8)
    assertEquals(15, Quantizer.stateFrac(0.3, 0.2, 16)); // Is = 0
    assertEquals(11, Quantizer.stateFrac(0.7, 9.5, 16)); // primes_lag2: h0 up to 9.5 needs Is = 4
    assertEquals(8, Quantizer.stateFrac(5.0, 172.8, 16)); // capped at ceil(16/2) - 1 = 7 integer bits
    assertEquals(4, Quantizer.stateFrac(5.0, 172.8, 8)); // cap 3 at W = 8
    assertEquals(6, Quantizer.stateFrac(5.0, 0.5, 8));
  }

  @Test
  void calibratedFractionKeeps25PercentHeadroom() {
    assertEquals(13, Quantizer.calibratedFrac(2.5, 16, 1.25)); // 3.125 -> I = 2
    assertEquals(12, Quantizer.calibratedFrac(3.5, 16, 1.25)); // 4.375 -> I = 3
    assertEquals(13, Quantizer.calibratedFrac(3.5, 16, 1.0)); // no headroom: I = 2
    assertEquals(32, Quantizer.calibratedFrac(0, 16, 1.25)); // never seen: finest allowed
    assertEquals(0, Quantizer.calibratedFrac(1e6, 16, 1.25)); // clamped
  }

  @Test
  void weightFractionIsTheLargestThatFits() {
    assertEquals(15, Quantizer.weightFrac(0.9, 16)); // 29491 <= 32767
    assertEquals(14, Quantizer.weightFrac(1.0, 16)); // 32768 would overflow
    assertEquals(14, Quantizer.weightFrac(0.99999, 16)); // rounds to 32768
    assertEquals(16, Quantizer.weightFrac(1e-9, 8)); // capped at 2W
    assertEquals(0, Quantizer.weightFrac(127.4, 8));
    assertEquals(-1, Quantizer.weightFrac(200, 8));
  }

  @Test
  void foldsBiasesNormalisesFactorsAndKeepsMeanRows() {
    LfadsConfig c = RandomModels.mcMazeConfig();
    LfadsModel m = RandomModels.random(c, 5);
    KernelImage img = Quantizer.quantize(m, RandomModels.poissonSpikes(c, 3, 0.3, 2), 16);
    // GEN_B = round((bias_ih + bias_hh)·2^Fb)
    int fb = img.sectionFrac(S_GEN_B);
    GruWeights g = m.genCell();
    for (int j = 0; j < 3 * c.genDim(); j++) {
      assertEquals(Math.floor(Math.scalb(g.biasIh()[j] + g.biasHh()[j], fb) + 0.5), img.section(S_GEN_B)[j], "GEN_B " + j);
    }
    // FAC_W rows have unit norm before quantization
    int ffw = img.sectionFrac(S_FAC_W);
    for (int k = 0; k < c.facDim(); k++) {
      double ss = 0;
      for (int i = 0; i < c.genDim(); i++) ss += Math.pow(Math.scalb((double) img.section(S_FAC_W)[k * c.genDim() + i], -ffw), 2);
      assertEquals(1.0, Math.sqrt(ss), 2e-4, "norm of factor row " + k);
    }
    // only the ic_mean / co_mean rows
    assertEquals(c.icDim(), img.sectionRows(S_IC_LIN_W));
    assertEquals(c.coDim(), img.sectionRows(S_CO_W));
    int fic = img.sectionFrac(S_IC_LIN_W);
    assertEquals(Math.floor(Math.scalb(m.icLinear().weight()[1][2], fic) + 0.5), img.section(S_IC_LIN_W)[2 * c.icEncDim() + 2]);
    // GRU rows keep lfads-torch's z, r, n order: row H (first r row) of CON_WHH
    int fw = img.sectionFrac(S_CON_WHH);
    assertEquals(Math.floor(Math.scalb(m.conCell().weightHh()[c.conDim()][0], fw) + 0.5),
        img.section(S_CON_WHH)[c.conDim() * c.conDim()]);
    // h0 in state format
    assertEquals(Math.floor(Math.scalb(m.icEncH0()[1][0], img.fracState()) + 0.5), img.section(S_IC_BWD_H0)[0]);
    assertEquals(Quantizer.stateFrac(5.0, Math.max(1.25 * CalibrationProfile.run(m, RandomModels.poissonSpikes(c, 3, 0.3, 2))
        .maxAbs(CalibrationProfile.FACTORS), 0.5), 16), img.fracState());
    assertEquals(Math.min(Math.round(5.0 * Math.scalb(1.0, img.fracState())), 32767), img.clipQ());
    assertEquals(IMAGE_FLAG_HAS_CONTROLLER, img.header(H_FLAGS));
  }

  @Test
  void lowersFractionsUntilTheAccumulatorBoundHolds() {
    LfadsConfig c = RandomModels.mcMazeConfig();
    LfadsModel m = RandomModels.random(c, 9);
    int[][][] calib = RandomModels.poissonSpikes(c, 2, 0.3, 2);
    Quantizer.Options wide = new Quantizer.Options(18, 48, 10, 1.25, 0);
    Quantizer.Options narrow = new Quantizer.Options(18, 40, 10, 1.25, 0);
    CalibrationProfile p = CalibrationProfile.run(m, calib);
    KernelImage a = Quantizer.quantize(m, p, wide);
    KernelImage b = Quantizer.quantize(m, p, narrow); // build() re-proves the bound for 40 bits
    assertEquals(40, b.accWidth());
    boolean lowered = false;
    for (int id = 0; id < SECTION_COUNT; id++) lowered |= b.sectionFrac(id) < a.sectionFrac(id);
    assertTrue(lowered, "a 40-bit accumulator must force some fraction down at W = 18");
    // the 40-bit image still runs and stays close to the 48-bit one
    FixedOutput oa = new FixedLfads(a).infer(calib[0]);
    FixedOutput ob = new FixedLfads(b).infer(calib[0]);
    assertEquals(oa.lograte(3, 7), ob.lograte(3, 7), 5e-3);
  }

  @Test
  void rejectsWeightsTooLargeForTheWidth() {
    LfadsConfig c = RandomModels.paperConfig();
    LfadsModel m = RandomModels.random(c, 1);
    m.readout().weight()[0][0] = 300.0;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Quantizer.quantize(m, RandomModels.poissonSpikes(c, 1, 0.3, 2), 8));
    assertTrue(e.getMessage().contains("readout") && e.getMessage().contains("8-bit"), e.getMessage());
  }

  @Test
  void everySupportedWidthQuantizesAndRoundTrips() {
    LfadsConfig c = RandomModels.oddConfig(4, true);
    LfadsModel m = RandomModels.random(c, 4);
    int[][][] calib = RandomModels.poissonSpikes(c, 2, 0.5, 2);
    for (int w = 8; w <= 18; w++) {
      KernelImage img = Quantizer.quantize(m, calib, w);
      assertEquals(w, img.dataWidth());
      assertEquals(img, KernelImage.fromBytes(img.toBytes()));
      FixedOutput out = new FixedLfads(img).infer(calib[1]);
      assertArrayEquals(out.logrates, new FixedLfads(KernelImage.fromBytes(img.toBytes())).infer(calib[1]).logrates);
    }
  }
}
