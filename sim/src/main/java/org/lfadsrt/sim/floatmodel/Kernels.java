package org.lfadsrt.sim.floatmodel;

/**
 * The few numeric kernels of the float model. Matrices are stored transposed ("input-major"):
 * row j of {@code wT} holds the weights that input j contributes to every output. A matrix-vector
 * product is then a sum of scaled rows, done four input rows per pass so that each output element
 * is loaded and stored once per four multiply-adds; HotSpot vectorises the inner loop. Zero inputs
 * (most spike counts, controller inputs outside the encoding window) are skipped.
 */
final class Kernels {
  private Kernels() {}

  /**
   * {@code y[yo+i] += sum_j x[xo+j] * wT[(row0+j)*stride + col0 + i]} for i < len, j < n.
   *
   * @param nz scratch of at least n ints (indices of non-zero inputs)
   */
  static void accumulate(double[] x, int xo, int n, double[] wT, int row0, int stride, int col0,
      double[] y, int yo, int len, int[] nz) {
    int k = 0;
    for (int j = 0; j < n; j++) {
      if (x[xo + j] != 0) nz[k++] = j;
    }
    int q = 0;
    for (; q + 3 < k; q += 4) {
      int j0 = nz[q];
      int j1 = nz[q + 1];
      int j2 = nz[q + 2];
      int j3 = nz[q + 3];
      axpy4(x[xo + j0], (row0 + j0) * stride + col0, x[xo + j1], (row0 + j1) * stride + col0,
          x[xo + j2], (row0 + j2) * stride + col0, x[xo + j3], (row0 + j3) * stride + col0, wT, y, yo, len);
    }
    for (; q < k; q++) {
      int j = nz[q];
      axpy(x[xo + j], wT, (row0 + j) * stride + col0, y, yo, len);
    }
  }

  /** y[yo..yo+n) += a * w[wo..wo+n). */
  static void axpy(double a, double[] w, int wo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) y[yo + i] += a * w[wo + i];
  }

  /** y[yo..yo+n) += a0 w[o0..] + a1 w[o1..] + a2 w[o2..] + a3 w[o3..]. */
  static void axpy4(double a0, int o0, double a1, int o1, double a2, int o2, double a3, int o3, double[] w,
      double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] += a0 * w[o0 + i] + a1 * w[o1 + i] + a2 * w[o2 + i] + a3 * w[o3 + i];
    }
  }

  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /**
   * tanh through the intrinsic {@code Math.exp} (several times faster than {@code Math.tanh} on
   * HotSpot): tanh|x| = (1 - e) / (1 + e) with e = exp(-2|x|). Absolute error below 3e-16.
   */
  static double tanh(double x) {
    double e = Math.exp(-2.0 * Math.abs(x));
    double t = (1.0 - e) / (1.0 + e);
    return x < 0 ? -t : t;
  }
}
