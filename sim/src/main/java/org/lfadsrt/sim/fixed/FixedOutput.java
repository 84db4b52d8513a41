package org.lfadsrt.sim.fixed;

/**
 * What leaves the kernel for one trial (docs/kernel-numerics.md §8): per step the raw factor words then the
 * raw log-rate words, plus their decoded values. Reusable: {@link FixedLfads#run} overwrites it in place.
 */
public final class FixedOutput {
  public final int tRec;
  public final int facDim;
  public final int nOut;
  public final int fracFac;
  public final int fracLograte;
  /** Raw factors, step-major: {@code factors[t * facDim + k]}, format (W, F_fac). */
  public final int[] factors;
  /** Raw log-rates, step-major: {@code logrates[t * nOut + n]}, format (W, F_lr). */
  public final int[] logrates;
  /** Raw ic_mean (format (W, F_ic)), informative: it does not leave the kernel. */
  public final int[] icMean;

  public FixedOutput(int tRec, int facDim, int nOut, int icDim, int fracFac, int fracLograte) {
    this.tRec = tRec;
    this.facDim = facDim;
    this.nOut = nOut;
    this.fracFac = fracFac;
    this.fracLograte = fracLograte;
    this.factors = new int[tRec * facDim];
    this.logrates = new int[tRec * nOut];
    this.icMean = new int[icDim];
  }

  /** An output buffer shaped for {@code image}. */
  public static FixedOutput forImage(KernelImage image) {
    return new FixedOutput(image.tRec(), image.facDim(), image.nOut(), image.icDim(), image.fracFac(),
        image.fracLograte());
  }

  /** Words per trial in the device output layout (§10): T_rec x (fac + n_out). */
  public int deviceWords() {
    return tRec * (facDim + nOut);
  }

  /** Writes the device output layout (§10): per step the factor words, then the log-rate words. */
  public void toDeviceWords(int[] dst, int off) {
    for (int t = 0; t < tRec; t++) {
      System.arraycopy(factors, t * facDim, dst, off, facDim);
      off += facDim;
      System.arraycopy(logrates, t * nOut, dst, off, nOut);
      off += nOut;
    }
  }

  /**
   * Writes step {@code t}'s device words (its factor words, then its log-rate words: {@code facDim + nOut} words)
   * at {@code dst[off ..]}. The online kernel mode writes step T_enc - 1 this way (docs/kernel-numerics.md §13).
   */
  public void stepToDeviceWords(int t, int[] dst, int off) {
    if (t < 0 || t >= tRec) throw new IllegalArgumentException("step " + t + " outside 0.." + (tRec - 1));
    System.arraycopy(factors, t * facDim, dst, off, facDim);
    System.arraycopy(logrates, t * nOut, dst, off + facDim, nOut);
  }

  /** Where device output word {@code i} of a trial (§10 layout) comes from, e.g. {@code "step 12 lograte 37"}. */
  public static String describeDeviceWord(int i, int facDim, int nOut) {
    int per = facDim + nOut, t = i / per, k = i % per;
    return k < facDim ? "step " + t + " factor " + k : "step " + t + " lograte " + (k - facDim);
  }

  public double factor(int t, int k) {
    return Math.scalb((double) factors[t * facDim + k], -fracFac);
  }

  public double lograte(int t, int n) {
    return Math.scalb((double) logrates[t * nOut + n], -fracLograte);
  }

  /** Decoded factors (T_rec x fac). */
  public double[][] factorsDecoded() {
    double[][] out = new double[tRec][facDim];
    for (int t = 0; t < tRec; t++) for (int k = 0; k < facDim; k++) out[t][k] = factor(t, k);
    return out;
  }

  /** Decoded log-rates (T_rec x N_out). */
  public double[][] logratesDecoded() {
    double[][] out = new double[tRec][nOut];
    for (int t = 0; t < tRec; t++) for (int n = 0; n < nOut; n++) out[t][n] = lograte(t, n);
    return out;
  }

  /** Rates = exp(log-rate), computed on the host in double (§8). */
  public double[][] ratesDecoded() {
    double[][] out = logratesDecoded();
    for (double[] row : out) for (int n = 0; n < row.length; n++) row[n] = Math.exp(row[n]);
    return out;
  }
}
