package org.lfadsrt.sim.fixed;

import static org.lfadsrt.sim.contract.KernelContract.*;

import org.lfadsrt.sim.model.GruWeights;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;

/**
 * Turns a float {@link LfadsModel} into a {@link KernelImage} (docs/kernel-numerics.md §3–§6): profiles the
 * calibrated tensors on calibration spikes, picks every format, folds the factor-row normalisation and the two
 * GRU biases in double precision, keeps only the ic_mean / co_mean rows, proves the accumulator bound for every
 * row (lowering a matrix's fraction until it holds) and builds the activation tables.
 */
public final class Quantizer {

  /** Quantizer settings; {@link #defaults()} is what the CLI uses. */
  public record Options(int bits, int accWidth, int segBits, double headroom, int lanesHint) {
    public Options {
      if (bits < 8 || bits > 18) throw new IllegalArgumentException("bits must be in [8, 18], got " + bits);
      if (accWidth < 40 || accWidth > 62) throw new IllegalArgumentException("accumulator width must be in [40, 62], got " + accWidth);
      if (!(headroom >= 1)) throw new IllegalArgumentException("headroom must be >= 1, got " + headroom);
    }

    public static Options defaults() {
      return new Options(16, 48, ActivationTable.DEFAULT_SEG_BITS, 1.25, 0);
    }

    public Options withBits(int b) {
      return new Options(b, accWidth, segBits, headroom, lanesHint);
    }
  }

  /** The image and the profile it was calibrated from. */
  public record Result(KernelImage image, CalibrationProfile profile) {}

  private Quantizer() {}

  public static KernelImage quantize(LfadsModel model, int[][][] calibration, int bits) {
    return quantize(model, calibration, Options.defaults().withBits(bits)).image();
  }

  public static Result quantize(LfadsModel model, int[][][] calibration, Options o) {
    CalibrationProfile profile = CalibrationProfile.run(model, calibration);
    return new Result(quantize(model, profile, o), profile);
  }

  /** Quantizes with an existing profile (e.g. to compare widths without re-running the float model). */
  public static KernelImage quantize(LfadsModel model, CalibrationProfile profile, Options o) {
    LfadsConfig c = model.config();
    int w = o.bits();
    boolean con = c.useController();
    KernelImage.Builder b = KernelImage.builder();
    b.set(H_DATA_WIDTH, w).set(H_ACC_WIDTH, o.accWidth()).set(H_FLAGS, con ? IMAGE_FLAG_HAS_CONTROLLER : 0);
    b.set(H_N_IN, c.encodDataDim()).set(H_N_OUT, c.readoutDim()).set(H_T_ENC, c.encodSeqLen())
        .set(H_T_REC, c.reconSeqLen()).set(H_H_ICENC, c.icEncDim()).set(H_IC_DIM, c.icDim())
        .set(H_H_GEN, c.genDim()).set(H_FAC_DIM, c.facDim());
    if (con) {
      b.set(H_H_CIENC, c.ciEncDim()).set(H_CI_LAG, c.ciLag()).set(H_H_CON, c.conDim()).set(H_CO_DIM, c.coDim());
    }
    // State format (§3): GRU states stay within max(|initial state|, 1) (a convex mix of the state and a tanh), clipped
    // at cell_clip; the initial states (h0s, g0) and the factor fed back are not clipped.
    double h0Max = maxAbs(model.icEncH0());
    if (con) h0Max = Math.max(h0Max, Math.max(maxAbs(model.ciEncH0()), maxAbs(model.conH0())));
    double unclipped = Math.max(h0Max, o.headroom() * Math.max(profile.maxAbs(CalibrationProfile.G0),
        profile.maxAbs(CalibrationProfile.FACTORS)));
    int fs = stateFrac(c.cellClip(), unclipped, w);
    int fg = w - 1;
    int fic = calibratedFrac(profile.maxAbs(CalibrationProfile.IC_MEAN), w, o.headroom());
    int fco = con ? calibratedFrac(profile.maxAbs(CalibrationProfile.CO_MEAN), w, o.headroom()) : 0;
    int ffac = calibratedFrac(profile.maxAbs(CalibrationProfile.FACTORS), w, o.headroom());
    int flr = calibratedFrac(profile.maxAbs(CalibrationProfile.LOGRATES), w, o.headroom());
    b.set(H_FRAC_STATE, fs).set(H_FRAC_GATE, fg).set(H_FRAC_PRE, w - 1).set(H_PRE_WIDTH, w + 4)
        .set(H_FRAC_IC, fic).set(H_FRAC_CO, fco).set(H_FRAC_FAC, ffac).set(H_FRAC_LOGRATE, flr)
        .set(H_CLIP_Q, (int) Math.min(FixedPoint.roundHalfUp(Math.scalb(c.cellClip(), fs)), FixedPoint.maxOf(w)))
        .set(H_ACT_SEG_BITS, o.segBits()).set(H_LANES_HINT, o.lanesHint());
    LayerPlan.Formats f = new LayerPlan.Formats(w, fs, fic, fco, ffac);

    gruLayer(b, f, o, LAYER_IC_FWD, model.icEncH0()[0], model.icEncFwd(), S_IC_FWD_H0, "ic_enc.fwd");
    gruLayer(b, f, o, LAYER_IC_BWD, model.icEncH0()[1], model.icEncBwd(), S_IC_BWD_H0, "ic_enc.bwd");
    if (con) {
      gruLayer(b, f, o, LAYER_CI_FWD, model.ciEncH0()[0], model.ciEncFwd(), S_CI_FWD_H0, "ci_enc.fwd");
      gruLayer(b, f, o, LAYER_CI_BWD, model.ciEncH0()[1], model.ciEncBwd(), S_CI_BWD_H0, "ci_enc.bwd");
      gruLayer(b, f, o, LAYER_CON, model.conH0(), model.conCell(), S_CON_H0, "con_cell");
      linearLayer(b, f, o, LAYER_CO, rows(model.coLinear().weight(), c.coDim()),
          head(model.coLinear().bias(), c.coDim()), "co_linear (co_mean rows)");
    }
    linearLayer(b, f, o, LAYER_IC_LIN, rows(model.icLinear().weight(), c.icDim()),
        head(model.icLinear().bias(), c.icDim()), "ic_linear (ic_mean rows)");
    linearLayer(b, f, o, LAYER_G0, model.icToG0().weight(), model.icToG0().bias(), "ic_to_g0");
    gruLayer(b, f, o, LAYER_GEN, null, model.genCell(), -1, "gen_cell");
    linearLayer(b, f, o, LAYER_FAC, CalibrationProfile.normalisedRows(model.facWeight()), null, "fac_linear (rows normalised)");
    linearLayer(b, f, o, LAYER_RO, model.readout().weight(), model.readout().bias(), "readout");
    b.section(S_SIGMOID_TABLE, fg, ActivationTable.sigmoidTable(w, o.segBits()));
    b.section(S_TANH_TABLE, fg, ActivationTable.tanhTable(w, o.segBits()));
    return b.build();
  }

  /**
   * {@code Fs = W - 1 - Is} (§3) with {@code Is = max(I(min(cell_clip, 1)), min(I(R), ceil(W/2) - 1))},
   * {@code I(v) = max(0, floor(log2(v)) + 1)} and R the largest value stored in state format that the GRU update
   * does not bound: the learned h0s, 1.25·max|g0| and 1.25·max|factor| (fed back to the controller). A GRU step
   * gives {@code h' = z·h + (1-z)·n} with |n| < 1, so after the first step every state is within
   * {@code min(cell_clip, max(1, |initial state|))}: the clip itself only needs covering when an initial state
   * exceeds it. The cap keeps at least half the bits for the fraction: larger values (deliberately saturating test
   * models) saturate and are counted rather than costing all state precision.
   */
  public static int stateFrac(double cellClip, double unclippedMax, int w) {
    int is = Math.max(intBits(Math.min(cellClip, 1.0)), Math.min(intBits(unclippedMax), (w + 1) / 2 - 1));
    return w - 1 - is;
  }

  /** {@code Fs} for a model whose unclipped state values stay within the clip. */
  public static int stateFrac(double cellClip, int w) {
    return stateFrac(cellClip, 0, w);
  }

  private static int intBits(double v) {
    return v > 0 ? Math.max(0, Math.getExponent(v) + 1) : 0;
  }

  /** {@code F = W - 1 - I}, {@code I = floor(log2(headroom·max)) + 1}, clamped to [0, 2W] (§3). */
  public static int calibratedFrac(double maxAbs, int w, double headroom) {
    if (!(maxAbs > 0)) return 2 * w;
    int i = Math.getExponent(headroom * maxAbs) + 1;
    return Math.max(0, Math.min(2 * w, w - 1 - i));
  }

  /** Largest fraction in [0, 2W] at which {@code round(maxAbs·2^F) <= 2^(W-1)-1}; -1 when even F = 0 overflows. */
  public static int weightFrac(double maxAbs, int w) {
    long max = FixedPoint.maxOf(w);
    for (int fr = 2 * w; fr >= 0; fr--) {
      if (FixedPoint.roundHalfUp(Math.scalb(maxAbs, fr)) <= max) return fr;
    }
    return -1;
  }

  /** Quantize a vector: {@code SAT(floor(v·2^F + 0.5), W)}. */
  static int[] quantizeFlat(double[][] m, int frac, int w) {
    int rows = m.length, cols = rows == 0 ? 0 : m[0].length;
    int[] q = new int[rows * cols];
    for (int j = 0; j < rows; j++) {
      if (m[j].length != cols) throw new IllegalArgumentException("ragged matrix row " + j);
      for (int i = 0; i < cols; i++) q[j * cols + i] = quantizeValue(m[j][i], frac, w);
    }
    return q;
  }

  static int quantizeValue(double v, int frac, int w) {
    return (int) FixedPoint.sat(FixedPoint.roundHalfUp(Math.scalb(v, frac)), w);
  }

  private static int[] quantizeVec(double[] v, int frac, int w) {
    int[] q = new int[v.length];
    for (int i = 0; i < v.length; i++) q[i] = quantizeValue(v[i], frac, w);
    return q;
  }

  private static double maxAbs(double[][] m) {
    double a = 0;
    for (double[] r : m) for (double v : r) a = Math.max(a, Math.abs(v));
    return a;
  }

  private static double maxAbs(double[] v) {
    double a = 0;
    for (double x : v) a = Math.max(a, Math.abs(x));
    return a;
  }

  private static int requireFrac(double maxAbs, int w, String what) {
    int fr = weightFrac(maxAbs, w);
    if (fr < 0) {
      throw new IllegalArgumentException(what + ": max |value| " + maxAbs + " does not fit " + w + "-bit integers");
    }
    return fr;
  }

  private static double[][] rows(double[][] m, int n) {
    double[][] r = new double[n][];
    System.arraycopy(m, 0, r, 0, n);
    return r;
  }

  private static double[] head(double[] v, int n) {
    double[] r = new double[n];
    System.arraycopy(v, 0, r, 0, n);
    return r;
  }

  private static void gruLayer(KernelImage.Builder b, LayerPlan.Formats f, Options o, int layer, double[] h0,
      GruWeights g, int h0Section, String name) {
    int hs = g.hiddenSize();
    double[] bias = new double[3 * hs];
    // bias_ih + bias_hh in double: both add to the same pre-activation (§5).
    for (int j = 0; j < 3 * hs; j++) bias[j] = g.biasIh()[j] + g.biasHh()[j];
    double[][] wih = g.weightIh().length == 0 ? new double[3 * hs][0] : g.weightIh();
    fitLayer(b, f, o, layer, new double[][][] {wih, g.weightHh()}, bias, name);
    if (h0Section >= 0) b.section(h0Section, f.fs(), quantizeVec(h0, f.fs(), f.w()));
  }

  private static void linearLayer(KernelImage.Builder b, LayerPlan.Formats f, Options o, int layer, double[][] wm,
      double[] bias, String name) {
    fitLayer(b, f, o, layer, new double[][][] {wm}, bias, name);
  }

  /** Chooses the layer's weight and bias fractions, lowering them until the accumulator bound holds (§4). */
  private static void fitLayer(KernelImage.Builder b, LayerPlan.Formats f, Options o, int layer, double[][][] mats,
      double[] bias, String name) {
    int w = f.w();
    int[] ws = LayerPlan.weightSections(layer);
    int n = ws.length;
    int[] wf = new int[n], cols = new int[n];
    int[][] wq = new int[n][];
    for (int s = 0; s < n; s++) {
      wf[s] = requireFrac(maxAbs(mats[s]), w, name + " " + SECTION_NAMES.get(ws[s]));
      cols[s] = mats[s].length == 0 ? 0 : mats[s][0].length;
    }
    int fb0 = bias == null ? 0 : requireFrac(maxAbs(bias), w, name + " bias");
    int rows = mats[n - 1].length;
    while (true) {
      for (int s = 0; s < n; s++) wq[s] = quantizeFlat(mats[s], wf[s], w);
      int a = LayerPlan.accFrac(layer, f, wf, cols);
      int fb = Math.min(fb0, a);
      int[] bq = bias == null ? null : quantizeVec(bias, fb, w);
      int bad = LayerPlan.firstOverflowingRow(layer, f, o.accWidth(), a, rows, wq, cols, wf, bq, fb);
      if (bad < 0) {
        for (int s = 0; s < n; s++) b.section(ws[s], cols[s] == 0 ? 0 : wf[s], wq[s]);
        if (bq != null) b.section(LayerPlan.biasSection(layer), fb, bq);
        b.accFrac(layer, a);
        return;
      }
      // Lower the fraction of the segment that sets A (the widest aligned term), then try again.
      int widest = -1;
      for (int s = 0; s < n; s++) {
        if (cols[s] == 0) continue;
        if (widest < 0 || wf[s] + LayerPlan.inputFrac(layer, s, f) > wf[widest] + LayerPlan.inputFrac(layer, widest, f)) widest = s;
      }
      if (wf[widest] == 0) {
        throw new IllegalArgumentException(name + ": row " + bad + " can overflow the " + o.accWidth()
            + "-bit accumulator even with integer weights");
      }
      wf[widest]--;
    }
  }
}
