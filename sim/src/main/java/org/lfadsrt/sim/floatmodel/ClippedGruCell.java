package org.lfadsrt.sim.floatmodel;

import org.lfadsrt.sim.model.GruWeights;

/**
 * lfads-torch's ClippedGRUCell in double precision, weights transposed and flat:
 *
 * <pre>
 *   [x_z, x_r, x_n] = W_ih x + b_ih
 *   z  = sigmoid(x_z + W_hz h + b_hz)
 *   r  = sigmoid(x_r + W_hr h + b_hr)
 *   n  = tanh(x_n + W_hn (r * h) + b_hn)        reset BEFORE the recurrent matmul
 *   h' = clamp(z * h + (1 - z) * n, -clip, +clip)
 * </pre>
 *
 * Matrix products use {@link Kernels#accumulate}. Holds its own scratch: not thread-safe.
 */
final class ClippedGruCell {
  final int hidden;
  final int input;
  final double clip;
  final double[] whhT; // (hidden x 3 hidden): row j = column j of weight_hh, gates z, r, n
  final double[] bhh;
  final double[] wihT; // (input x 3 hidden); null when the owner projects inputs itself
  final double[] bih;
  private final double[] acc;
  private final double[] rh;
  private final int[] nz;

  ClippedGruCell(GruWeights w, double clip) {
    this(w, clip, true);
  }

  /**
   * @param ownInputProjection false for the encoder cells, whose input projections FloatLfads
   *     computes for all four encoder GRUs at once (their W_ih is then not kept here)
   */
  ClippedGruCell(GruWeights w, double clip, boolean ownInputProjection) {
    hidden = w.hiddenSize();
    input = w.weightIh().length == 0 ? 0 : w.inputSize();
    this.clip = clip;
    whhT = FloatLfads.transposeRows(w.weightHh(), 0, 3 * hidden, hidden);
    bhh = w.biasHh().clone();
    wihT = ownInputProjection ? FloatLfads.transposeRows(w.weightIh(), 0, 3 * hidden, input) : null;
    bih = ownInputProjection ? w.biasIh().clone() : null;
    acc = new double[3 * hidden];
    rh = new double[hidden];
    nz = new int[Math.max(hidden, input)];
  }

  /** Writes the input projection W_ih x + b_ih (3 hidden) for x = {@code x[xo..xo+input)} into {@code xp}. */
  void project(double[] x, int xo, double[] xp) {
    int g3 = 3 * hidden;
    System.arraycopy(bih, 0, xp, 0, g3);
    Kernels.accumulate(x, xo, input, wihT, 0, g3, 0, xp, 0, g3, nz);
  }

  /** {@code h := cell(x, h)} where {@code xp[xo..xo+3 hidden)} is the precomputed input projection. */
  void step(double[] xp, int xo, double[] h) {
    int n = hidden;
    int n2 = 2 * n;
    int n3 = 3 * n;
    double[] w = whhT;
    System.arraycopy(bhh, 0, acc, 0, n3);
    Kernels.accumulate(h, 0, n, w, 0, n3, 0, acc, 0, n2, nz);
    for (int i = 0; i < n; i++) {
      double z = Kernels.sigmoid(xp[xo + i] + acc[i]);
      double r = Kernels.sigmoid(xp[xo + n + i] + acc[n + i]);
      acc[i] = z;
      rh[i] = r * h[i];
    }
    Kernels.accumulate(rh, 0, n, w, 0, n3, n2, acc, n2, n, nz);
    double lim = clip;
    for (int i = 0; i < n; i++) {
      double z = acc[i];
      double cand = Kernels.tanh(xp[xo + n2 + i] + acc[n2 + i]);
      double hn = z * h[i] + (1.0 - z) * cand;
      h[i] = hn > lim ? lim : (hn < -lim ? -lim : hn);
    }
  }

  /** Convenience (allocates): the next state for input {@code x} and state {@code h}. */
  double[] next(double[] x, double[] h) {
    double[] xp = new double[3 * hidden];
    project(x, 0, xp);
    double[] out = h.clone();
    step(xp, 0, out);
    return out;
  }
}
