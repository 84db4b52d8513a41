package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lfadsrt.sim.contract.KernelContract.*;

import java.math.BigInteger;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.lfadsrt.sim.fixed.FixedTrace.Probe;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The fixed result stays within the error the formats imply. Weights are taken back from the image
 * (dequantized, so weight quantization is not part of the error) and the reference is evaluated in double.
 */
class FixedErrorBoundPropertiesTest {

  static double deq(int q, int f) {
    return Math.scalb((double) q, -f);
  }

  static KernelImage tinyImage(long seed, int w, boolean hot, int[][][] spikesOut) {
    SplittableRandom r = new SplittableRandom(seed);
    int nIn = 1 + r.nextInt(5), h = 1 + r.nextInt(8);
    LfadsConfig c = new LfadsConfig(nIn, 1, 2, 1 + r.nextInt(4), h, 0, 0, 0, 0, 1 + r.nextInt(3), 1 + r.nextInt(5),
        1 + r.nextInt(3), 5.0);
    LfadsModel m = RandomModels.random(c, seed, hot ? RandomModels.Options.saturating() : RandomModels.Options.standard());
    int[][][] sp = RandomModels.poissonSpikes(c, 2, hot ? 6 : 1, seed);
    spikesOut[0] = sp[0];
    return Quantizer.quantize(m, sp, w);
  }

  /**
   * One GRU step (the IC forward encoder's only step): |h'_fixed - h'_real| within the bound that follows from
   * one rounding per narrowing (§4), the table's interpolation error and two gate ulps (§6), r∘h's rounding and
   * the update's single rounding (§5).
   */
  @Property(tries = 300)
  void gruStepWithinFormatBound(@ForAll long seed, @ForAll @IntRange(min = 8, max = 18) int w,
      @ForAll boolean hot) {
    int[][][] sp = new int[1][][];
    KernelImage img = tinyImage(seed, w, hot, sp);
    int[] x = sp[0][0];
    TraceRecorder trace = new TraceRecorder();
    new FixedLfads(img).run(sp[0], FixedOutput.forImage(img), trace);
    int hs = img.hIcEnc(), nIn = img.nIn(), fs = img.fracState();
    int fwi = img.sectionFrac(S_IC_FWD_WIH), fwh = img.sectionFrac(S_IC_FWD_WHH), fb = img.sectionFrac(S_IC_FWD_B);
    int[] wih = img.section(S_IC_FWD_WIH), whh = img.section(S_IC_FWD_WHH), b = img.section(S_IC_FWD_B);
    double[] h = new double[hs];
    for (int k = 0; k < hs; k++) h[k] = deq(img.section(S_IC_FWD_H0)[k], fs);
    double ulpG = Math.scalb(1.0, -(w - 1)), ulpS = Math.scalb(1.0, -fs);
    double interpSig = Math.pow(Math.scalb(1.0, 5 - 10), 2) / 8 * 0.0963, interpTanh = Math.pow(Math.scalb(1.0, 4 - 10), 2) / 8 * 0.770;
    double epsGate = ulpG / 2 / 4 + interpSig + 1.5 * ulpG + 1.2e-7;
    double[] z = new double[hs], rr = new double[hs], rh = new double[hs];
    for (int j = 0; j < 2 * hs; j++) {
      double s = deq(b[j], fb);
      for (int i = 0; i < nIn; i++) s += deq(wih[j * nIn + i], fwi) * x[i];
      for (int i = 0; i < hs; i++) s += deq(whh[j * hs + i], fwh) * h[i];
      double g = ActivationTable.sigmoid(s);
      if (j < hs) z[j] = g;
      else rr[j - hs] = g;
    }
    int[] fixedR = trace.get(LAYER_IC_FWD, Probe.GATE_R, 0), fixedZ = trace.get(LAYER_IC_FWD, Probe.GATE_Z, 0);
    for (int k = 0; k < hs; k++) {
      assertTrue(Math.abs(deq(fixedZ[k], w - 1) - z[k]) <= epsGate, "z[" + k + "]");
      assertTrue(Math.abs(deq(fixedR[k], w - 1) - rr[k]) <= epsGate, "r[" + k + "]");
      rh[k] = rr[k] * h[k];
    }
    int[] fixedH = trace.get(LAYER_IC_FWD, Probe.STATE, 0);
    for (int k = 0; k < hs; k++) {
      int j = 2 * hs + k;
      double s = deq(b[j], fb), epsPre = ulpG / 2;
      for (int i = 0; i < nIn; i++) s += deq(wih[j * nIn + i], fwi) * x[i];
      for (int i = 0; i < hs; i++) {
        double wv = deq(whh[j * hs + i], fwh);
        s += wv * rh[i];
        epsPre += Math.abs(wv) * (epsGate * Math.abs(h[i]) + ulpS / 2);
      }
      double n = Math.tanh(s);
      double epsN = epsPre + interpTanh + 1.5 * ulpG + 2.3e-7;
      double hn = Math.max(-5.0, Math.min(5.0, z[k] * h[k] + (1 - z[k]) * n));
      double bound = epsGate * (Math.abs(h[k]) + 1) + epsN + epsGate * epsN + ulpS / 2 + 1e-12;
      double err = Math.abs(deq(fixedH[k], fs) - hn);
      assertTrue(err <= bound, "h'[" + k + "] error " + err + " > bound " + bound + " at W=" + w);
    }
  }

  /** Linear layers round exactly once: the output is the exact rational result rounded half-up, then saturated. */
  @Property(tries = 200)
  void linearLayersRoundOnce(@ForAll long seed, @ForAll @IntRange(min = 8, max = 18) int w, @ForAll boolean hot) {
    int[][][] sp = new int[1][][];
    KernelImage img = tinyImage(seed, w, hot, sp);
    TraceRecorder trace = new TraceRecorder();
    new FixedLfads(img).run(sp[0], FixedOutput.forImage(img), trace);
    for (int t = 0; t < img.tRec(); t++) {
      checkLinear(img, S_RO_W, S_RO_B, img.fracFac(), img.fracLograte(), trace.get(LAYER_FAC, Probe.OUTPUT, t),
          trace.get(LAYER_RO, Probe.OUTPUT, t));
    }
    checkLinear(img, S_G0_W, S_G0_B, img.fracIc(), img.fracState(), trace.get(LAYER_IC_LIN, Probe.OUTPUT, -1),
        trace.get(LAYER_G0, Probe.OUTPUT, -1));
  }

  static void checkLinear(KernelImage img, int wSec, int bSec, int fx, int fy, int[] in, int[] out) {
    int rows = img.sectionRows(wSec), cols = img.sectionCols(wSec);
    int fw = img.sectionFrac(wSec), fb = img.sectionFrac(bSec), w = img.dataWidth();
    BigInteger max = BigInteger.valueOf(FixedPoint.maxOf(w)), min = BigInteger.valueOf(FixedPoint.minOf(w));
    for (int j = 0; j < rows; j++) {
      // value = S / 2^(fw + fx) exactly, with S an integer (fb <= fw + fx)
      BigInteger s = BigInteger.valueOf(img.section(bSec)[j]).shiftLeft(fw + fx - fb);
      for (int i = 0; i < cols; i++) {
        s = s.add(BigInteger.valueOf(img.section(wSec)[j * cols + i]).multiply(BigInteger.valueOf(in[i])));
      }
      int k = fw + fx - fy;
      BigInteger y = k > 0
          ? s.shiftLeft(1).add(BigInteger.ONE.shiftLeft(k)).shiftRight(k + 1) // floor((2S + 2^k) / 2^(k+1))
          : s.shiftLeft(-k);
      long expected = y.max(min).min(max).longValueExact();
      assertEquals(expected, out[j], SECTION_NAMES.get(wSec) + " row " + j);
    }
  }
}
