package org.lfadsrt.sim.floatmodel;

import org.lfadsrt.sim.model.GruWeights;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.LinearWeights;
import org.lfadsrt.sim.model.Reconstruction;


/**
 * Double-precision reference implementation of lfads-torch's inference path (eval mode, posterior
 * means, no sampling), matching lfads-torch operation for operation:
 *
 * <ol>
 *   <li>IC encoder: bidirectional ClippedGRU from the learned {@code ic_enc_h0} (not clamped);
 *       {@code ic_mean} = first ic_dim rows of {@code ic_linear([h_fwd(T-1), h_bwd(0)])}.
 *   <li>CI encoder: second bidirectional ClippedGRU; controller input
 *       {@code ci_t = [fwd(t-L) or 0, bwd(t+L) or 0]} for {@code t < T_enc}, zero afterwards.
 *   <li>{@code g0 = ic_to_g0(ic_mean)} (not clamped); {@code f(-1) = fac(g0)}.
 *   <li>Per step: {@code c = con([ci_t, f(t-1)], c)}, {@code co_mean = co_linear(c)[:co_dim]},
 *       {@code g = gen(co_mean, g)}, {@code f = g . rownorm(W_fac)^T}, {@code logrates = readout(f)}.
 * </ol>
 *
 * <p>ClippedGRU: gates z, r, n; reset applied to h before the recurrent matmul of n; both biases;
 * {@code h' = clamp(z h + (1-z) n, +-cell_clip)}.
 *
 * <p>Performance: every weight matrix is stored transposed and flat (input-major), so each matrix
 * product is a sum of scaled weight rows ({@link Kernels#accumulate}) that the JIT vectorises, and
 * zero inputs (most spike counts) are skipped. The four encoder GRUs share one input projection. All
 * scratch is allocated once per instance: an instance is NOT thread-safe; use one per thread.
 */
public final class FloatLfads {
  private final LfadsConfig cfg;
  private final Reconstruction recon;
  private final boolean useCon;
  private final int nIn, tEnc, tRec, nOut, hIc, hCi, hCon, co, ic, hGen, fac, ciLag;
  private final double clip;

  /** Input projection of all encoder GRUs: transposed (N_in x encWidth) and bias. */
  private final int encWidth;
  private final double[] encWT;
  private final double[] encB;
  private final int offIcF, offIcB, offCiF, offCiB;

  private final ClippedGruCell icF, icB, ciF, ciB, conCell, genCell;
  private final double[] icH0F, icH0B, ciH0F, ciH0B, conH0;
  private final double[] icLinT, icLinB; // (2*hIc x ic), only the ic_mean rows
  private final double[] coLinT, coLinB; // (hCon x co), only the co_mean rows
  private final double[] g0T, g0B; // (ic x hGen)
  private final double[] facT; // (hGen x fac), rows of W_fac normalised
  private final double[] roT, roB; // (fac x nOut)

  // scratch
  private final double[] xEnc; // tEnc x encWidth
  private final double[] hIcF, hIcB, hCiF, hCiB;
  private final double[] ciFwdOut, ciBwdOut; // tEnc x hCi
  private final double[] icCat, icMean, g, c, f, coMean, conX, genX, xIn;
  private final int[] nz;

  public FloatLfads(LfadsModel m) {
    cfg = m.config();
    recon = m.reconstruction();
    useCon = cfg.useController();
    nIn = cfg.encodDataDim();
    tEnc = cfg.encodSeqLen();
    tRec = cfg.reconSeqLen();
    nOut = cfg.readoutDim();
    hIc = cfg.icEncDim();
    hCi = useCon ? cfg.ciEncDim() : 0;
    hCon = useCon ? cfg.conDim() : 0;
    co = cfg.coDim();
    ic = cfg.icDim();
    hGen = cfg.genDim();
    fac = cfg.facDim();
    ciLag = cfg.ciLag();
    clip = cfg.cellClip();

    check("encoder.ic_enc.fwd_gru", m.icEncFwd(), nIn, hIc);
    check("encoder.ic_enc.bwd_gru", m.icEncBwd(), nIn, hIc);
    offIcF = 0;
    offIcB = 3 * hIc;
    offCiF = 6 * hIc;
    offCiB = 6 * hIc + 3 * hCi;
    encWidth = 6 * hIc + 6 * hCi;
    encWT = new double[nIn * encWidth];
    encB = new double[encWidth];
    putInputProjection(m.icEncFwd(), offIcF);
    putInputProjection(m.icEncBwd(), offIcB);
    icF = new ClippedGruCell(m.icEncFwd(), clip, false);
    icB = new ClippedGruCell(m.icEncBwd(), clip, false);
    icH0F = m.icEncH0()[0].clone();
    icH0B = m.icEncH0()[1].clone();
    icLinT = transposeRows(m.icLinear().weight(), 0, ic, 2 * hIc);
    icLinB = java.util.Arrays.copyOf(m.icLinear().bias(), ic);
    if (useCon) {
      check("encoder.ci_enc.fwd_gru", m.ciEncFwd(), nIn, hCi);
      check("encoder.ci_enc.bwd_gru", m.ciEncBwd(), nIn, hCi);
      check("decoder.rnn.cell.con_cell", m.conCell(), cfg.conInputDim(), hCon);
      putInputProjection(m.ciEncFwd(), offCiF);
      putInputProjection(m.ciEncBwd(), offCiB);
      ciF = new ClippedGruCell(m.ciEncFwd(), clip, false);
      ciB = new ClippedGruCell(m.ciEncBwd(), clip, false);
      ciH0F = m.ciEncH0()[0].clone();
      ciH0B = m.ciEncH0()[1].clone();
      conCell = new ClippedGruCell(m.conCell(), clip);
      conH0 = m.conH0().clone();
      coLinT = transposeRows(m.coLinear().weight(), 0, co, hCon);
      coLinB = java.util.Arrays.copyOf(m.coLinear().bias(), co);
    } else {
      ciF = ciB = conCell = null;
      ciH0F = ciH0B = conH0 = coLinT = coLinB = null;
    }
    check("decoder.rnn.cell.gen_cell", m.genCell(), cfg.genInputDim(), hGen);
    genCell = new ClippedGruCell(m.genCell(), clip);
    g0T = transposeRows(m.icToG0().weight(), 0, hGen, ic);
    g0B = m.icToG0().bias().clone();
    facT = normalisedFactorWeights(m.facWeight(), fac, hGen);
    LinearWeights ro = m.readout();
    roT = transposeRows(ro.weight(), 0, nOut, fac);
    roB = ro.bias() == null ? new double[nOut] : ro.bias().clone();

    xEnc = new double[tEnc * encWidth];
    hIcF = new double[hIc];
    hIcB = new double[hIc];
    hCiF = new double[hCi];
    hCiB = new double[hCi];
    ciFwdOut = new double[tEnc * hCi];
    ciBwdOut = new double[tEnc * hCi];
    icCat = new double[2 * hIc];
    icMean = new double[ic];
    g = new double[hGen];
    c = new double[hCon];
    f = new double[fac];
    coMean = new double[co];
    conX = new double[3 * hCon];
    genX = new double[3 * hGen];
    xIn = new double[nIn];
    nz = new int[Math.max(Math.max(nIn, 2 * hIc), Math.max(Math.max(ic, hGen), Math.max(Math.max(hCon, hCi), fac)))];
  }

  public LfadsConfig config() {
    return cfg;
  }

  private static void check(String name, GruWeights w, int in, int h) {
    if (w.weightHh().length != 3 * h || w.hiddenSize() != h || w.weightIh().length != 3 * h
        || (w.weightIh().length > 0 && w.inputSize() != in) || w.biasIh().length != 3 * h
        || w.biasHh().length != 3 * h) {
      throw new IllegalArgumentException(name + ": weights do not match input " + in + ", hidden " + h);
    }
  }

  private void putInputProjection(GruWeights w, int offset) {
    int rows = w.weightIh().length;
    for (int r = 0; r < rows; r++) {
      double[] row = w.weightIh()[r];
      for (int j = 0; j < nIn; j++) encWT[j * encWidth + offset + r] = row[j];
      encB[offset + r] = w.biasIh()[r];
    }
  }

  /** Rows [r0, r0+n) of a (out x in) matrix, transposed to flat (in x n). */
  static double[] transposeRows(double[][] w, int r0, int n, int in) {
    double[] t = new double[in * n];
    for (int r = 0; r < n; r++) {
      double[] row = w[r0 + r];
      for (int j = 0; j < in; j++) t[j * n + r] = row[j];
    }
    return t;
  }

  /**
   * lfads-torch's KernelNormalizedLinear: {@code F.normalize(W, p=2, dim=1)} divides each row by
   * {@code max(||row||, 1e-12)}. Returned transposed (gen x fac).
   */
  static double[] normalisedFactorWeights(double[][] w, int fac, int gen) {
    double[] t = new double[gen * fac];
    for (int k = 0; k < fac; k++) {
      double ss = 0;
      for (int j = 0; j < gen; j++) ss += w[k][j] * w[k][j];
      double norm = Math.max(Math.sqrt(ss), 1e-12);
      for (int j = 0; j < gen; j++) t[j * fac + k] = w[k][j] / norm;
    }
    return t;
  }

  // ------------------------------------------------------------------ API

  /**
   * Infers one trial. {@code spikes} is (T_enc x N_in) non-negative counts. Allocates only the
   * returned arrays.
   */
  public LfadsOutput infer(int[][] spikes) {
    if (spikes.length != tEnc) {
      throw new IllegalArgumentException("spikes has " + spikes.length + " bins, model expects encod_seq_len = " + tEnc);
    }
    int[] flat = new int[tEnc * nIn];
    for (int t = 0; t < tEnc; t++) {
      if (spikes[t].length != nIn) {
        throw new IllegalArgumentException("spikes bin " + t + " has " + spikes[t].length
            + " channels, model expects encod_data_dim = " + nIn);
      }
      System.arraycopy(spikes[t], 0, flat, t * nIn, nIn);
    }
    double[] factors = new double[tRec * fac];
    double[] logrates = new double[tRec * nOut];
    double[] coAll = new double[tRec * co];
    inferInto(flat, 0, factors, 0, logrates, 0, coAll, 0);
    double[][] rates = new double[tRec][recon.neurons()];
    double[][] lr = new double[tRec][];
    double[][] fa = new double[tRec][];
    double[][] cm = new double[tRec][];
    for (int t = 0; t < tRec; t++) {
      fa[t] = java.util.Arrays.copyOfRange(factors, t * fac, (t + 1) * fac);
      lr[t] = java.util.Arrays.copyOfRange(logrates, t * nOut, (t + 1) * nOut);
      cm[t] = java.util.Arrays.copyOfRange(coAll, t * co, (t + 1) * co);
      recon.means(logrates, t * nOut, rates[t], 0);
    }
    return new LfadsOutput(fa, lr, rates, icMean.clone(), cm);
  }

  /** Infers each trial of a batch (trials x T_enc x N_in). */
  public LfadsOutput[] inferBatch(int[][][] spikes) {
    LfadsOutput[] out = new LfadsOutput[spikes.length];
    for (int i = 0; i < spikes.length; i++) {
      try {
        out[i] = infer(spikes[i]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("trial " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * Infers one trial into caller-owned flat arrays, allocating nothing: the hot-path entry point.
   *
   * @param spikes    counts, row-major (T_enc x N_in) starting at {@code spikesOff}; must be >= 0
   * @param factors   receives (T_rec x fac_dim) at {@code factorsOff}
   * @param logrates  receives (T_rec x N_out) at {@code logratesOff}
   * @param coMeans   receives (T_rec x co_dim) at {@code coOff}, or null
   * @throws IllegalArgumentException on a negative count (naming bin and channel)
   */
  public void inferInto(int[] spikes, int spikesOff, double[] factors, int factorsOff, double[] logrates,
      int logratesOff, double[] coMeans, int coOff) {
    encode(spikes, spikesOff);
    decode(factors, factorsOff, logrates, logratesOff, coMeans, coOff);
  }

  /** Same as {@link #inferInto(int[], int, double[], int, double[], int, double[], int)} without controller outputs. */
  public void inferInto(int[] spikes, int spikesOff, double[] factors, int factorsOff, double[] logrates,
      int logratesOff) {
    inferInto(spikes, spikesOff, factors, factorsOff, logrates, logratesOff, null, 0);
  }

  /** The IC mean of the last inferred trial (internal buffer, overwritten by the next call). */
  public double[] lastIcMean() {
    return icMean;
  }

  private void encode(int[] spikes, int off) {
    for (int t = 0; t < tEnc; t++) projectBin(spikes, off + t * nIn, t, xEnc, t);
    encodeProjected(xEnc, 0);
  }

  int nIn() {
    return nIn;
  }

  int tEnc() {
    return tEnc;
  }

  /** Width of one bin's input projections (all encoder GRUs, 3H each): the size of one ring slot. */
  int projectionWidth() {
    return encWidth;
  }

  /**
   * Input projections of all encoder GRUs at once for one bin ({@code W_ih x + b_ih}, sparse counts times the shared
   * weight rows) into slot {@code slot} of {@code proj}; {@code bin} names the bin in errors.
   */
  void projectBin(int[] spikes, int so, long bin, double[] proj, int slot) {
    int w = encWidth;
    int xo = slot * w;
    for (int j = 0; j < nIn; j++) {
      int count = spikes[so + j];
      if (count < 0) {
        throw new IllegalArgumentException("negative spike count " + count + " at bin " + bin + ", channel " + j);
      }
      xIn[j] = count;
    }
    System.arraycopy(encB, 0, proj, xo, w);
    Kernels.accumulate(xIn, 0, nIn, encWT, 0, w, 0, proj, xo, w, nz);
  }

  /**
   * Infers a window whose bin t (0 = oldest) has its input projections in slot {@code (oldest + t) mod T_enc} of
   * {@code proj}; outputs as {@link #inferInto}.
   */
  void inferProjected(double[] proj, int oldest, double[] factors, int factorsOff, double[] logrates,
      int logratesOff, double[] coMeans, int coOff) {
    encodeProjected(proj, oldest);
    decode(factors, factorsOff, logrates, logratesOff, coMeans, coOff);
  }

  private int slotOf(int oldest, int t) {
    int s = oldest + t;
    return s >= tEnc ? s - tEnc : s;
  }

  private void encodeProjected(double[] proj, int oldest) {
    int w = encWidth;
    System.arraycopy(icH0F, 0, hIcF, 0, hIc);
    System.arraycopy(icH0B, 0, hIcB, 0, hIc);
    for (int t = 0; t < tEnc; t++) icF.step(proj, slotOf(oldest, t) * w + offIcF, hIcF);
    for (int t = tEnc - 1; t >= 0; t--) icB.step(proj, slotOf(oldest, t) * w + offIcB, hIcB);
    System.arraycopy(hIcF, 0, icCat, 0, hIc);
    System.arraycopy(hIcB, 0, icCat, hIc, hIc);
    System.arraycopy(icLinB, 0, icMean, 0, ic);
    Kernels.accumulate(icCat, 0, 2 * hIc, icLinT, 0, ic, 0, icMean, 0, ic, nz);
    if (useCon) {
      System.arraycopy(ciH0F, 0, hCiF, 0, hCi);
      System.arraycopy(ciH0B, 0, hCiB, 0, hCi);
      for (int t = 0; t < tEnc; t++) {
        ciF.step(proj, slotOf(oldest, t) * w + offCiF, hCiF);
        System.arraycopy(hCiF, 0, ciFwdOut, t * hCi, hCi);
      }
      for (int t = tEnc - 1; t >= 0; t--) {
        ciB.step(proj, slotOf(oldest, t) * w + offCiB, hCiB);
        System.arraycopy(hCiB, 0, ciBwdOut, t * hCi, hCi);
      }
    }
  }

  private void decode(double[] factors, int fOff, double[] logrates, int lOff, double[] coMeans, int coOff) {
    System.arraycopy(g0B, 0, g, 0, hGen);
    Kernels.accumulate(icMean, 0, ic, g0T, 0, hGen, 0, g, 0, hGen, nz);
    factorsOf(g, f);
    if (useCon) System.arraycopy(conH0, 0, c, 0, hCon);
    if (!useCon) genCell.project(coMean, 0, genX); // no generator input: W_ih x + b_ih = b_ih
    int g3c = 3 * hCon;
    for (int t = 0; t < tRec; t++) {
      if (useCon) {
        // con_in = [ci_fwd(t-L), ci_bwd(t+L), f(t-1)]: zero CI parts contribute nothing.
        System.arraycopy(conCell.bih, 0, conX, 0, g3c);
        double[] wT = conCell.wihT;
        if (t < tEnc && t - ciLag >= 0) {
          Kernels.accumulate(ciFwdOut, (t - ciLag) * hCi, hCi, wT, 0, g3c, 0, conX, 0, g3c, nz);
        }
        if (t + ciLag < tEnc) {
          Kernels.accumulate(ciBwdOut, (t + ciLag) * hCi, hCi, wT, hCi, g3c, 0, conX, 0, g3c, nz);
        }
        Kernels.accumulate(f, 0, fac, wT, 2 * hCi, g3c, 0, conX, 0, g3c, nz);
        conCell.step(conX, 0, c);
        System.arraycopy(coLinB, 0, coMean, 0, co);
        Kernels.accumulate(c, 0, hCon, coLinT, 0, co, 0, coMean, 0, co, nz);
        if (coMeans != null) System.arraycopy(coMean, 0, coMeans, coOff + t * co, co);
        genCell.project(coMean, 0, genX);
      }
      genCell.step(genX, 0, g);
      factorsOf(g, f);
      System.arraycopy(f, 0, factors, fOff + t * fac, fac);
      int lo = lOff + t * nOut;
      System.arraycopy(roB, 0, logrates, lo, nOut);
      Kernels.accumulate(f, 0, fac, roT, 0, nOut, 0, logrates, lo, nOut, nz);
    }
  }

  private void factorsOf(double[] gen, double[] out) {
    java.util.Arrays.fill(out, 0.0);
    Kernels.accumulate(gen, 0, hGen, facT, 0, fac, 0, out, 0, fac, nz);
  }
}
