package org.lfadsrt.sim.fixed;

/**
 * A quantized weight matrix prepared for fast exact matrix-vector products. The product is an exact integer
 * (docs/kernel-numerics.md §4), so the evaluation order does not change it: the matrix is stored transposed
 * (column-major) and the product is a sequence of {@code y += x_i · W[:, i]} updates, four input columns at a
 * time, skipping zero inputs (most spike counts).
 *
 * <p>Two ways to hold the exact sum, chosen by {@link FixedLfads.Accumulation}: {@code LONG} multiplies and adds in
 * 64-bit integers; {@code EXACT_DOUBLE} does the same integer operations on integer-valued doubles, which the JIT
 * vectorises. It is exact because every operand, product and partial sum is an integer of magnitude below 2^53:
 * the image's accumulator proof bounds {@code Σ|w|·|x|} by {@code 2^(ACC_W-1)} and it is only used when
 * {@code ACC_W ≤ 53}; the result is converted back to long without rounding.
 */
final class IntMatrix {
  final int rows, cols;
  private final int[] wT; // wT[i * rows + j] = W[j][i] (LONG)
  private final double[] wTd; // same, as doubles (EXACT_DOUBLE)
  private final double[] yd;
  private final int[] nz;

  IntMatrix(int[] rowMajor, int rows, int cols, boolean exactDouble) {
    this.rows = rows;
    this.cols = cols;
    int[] t = new int[rowMajor.length];
    for (int j = 0; j < rows; j++) for (int i = 0; i < cols; i++) t[i * rows + j] = rowMajor[j * cols + i];
    if (exactDouble) {
      wT = null;
      wTd = new double[t.length];
      for (int i = 0; i < t.length; i++) wTd[i] = t[i];
      yd = new double[rows];
    } else {
      wT = t;
      wTd = null;
      yd = null;
    }
    nz = new int[cols];
  }

  /** {@code out[j] = Σ_i W[j][i]·v[voff + i]} for rows [from, to). */
  void mul(int[] v, int voff, long[] out, int from, int to) {
    int k = 0;
    for (int i = 0; i < cols; i++) if (v[voff + i] != 0) nz[k++] = i;
    if (wT != null) mulLong(v, voff, out, from, to, k);
    else mulDouble(v, voff, out, from, to, k);
  }

  private void mulLong(int[] v, int voff, long[] out, int from, int to, int k) {
    java.util.Arrays.fill(out, from, to, 0L);
    int n = to - from, r = rows, q = 0;
    int[] w = wT;
    for (; q + 3 < k; q += 4) {
      int i0 = nz[q], i1 = nz[q + 1], i2 = nz[q + 2], i3 = nz[q + 3];
      long a0 = v[voff + i0], a1 = v[voff + i1], a2 = v[voff + i2], a3 = v[voff + i3];
      int o0 = i0 * r + from, o1 = i1 * r + from, o2 = i2 * r + from, o3 = i3 * r + from;
      for (int j = 0; j < n; j++) {
        out[from + j] += a0 * w[o0 + j] + a1 * w[o1 + j] + a2 * w[o2 + j] + a3 * w[o3 + j];
      }
    }
    for (; q < k; q++) {
      int i = nz[q];
      long a = v[voff + i];
      int o = i * r + from;
      for (int j = 0; j < n; j++) out[from + j] += a * w[o + j];
    }
  }

  private void mulDouble(int[] v, int voff, long[] out, int from, int to, int k) {
    double[] y = yd;
    java.util.Arrays.fill(y, from, to, 0.0);
    int n = to - from, r = rows, q = 0;
    double[] w = wTd;
    for (; q + 3 < k; q += 4) {
      int i0 = nz[q], i1 = nz[q + 1], i2 = nz[q + 2], i3 = nz[q + 3];
      double a0 = v[voff + i0], a1 = v[voff + i1], a2 = v[voff + i2], a3 = v[voff + i3];
      int o0 = i0 * r + from, o1 = i1 * r + from, o2 = i2 * r + from, o3 = i3 * r + from;
      for (int j = 0; j < n; j++) {
        y[from + j] += a0 * w[o0 + j] + a1 * w[o1 + j] + a2 * w[o2 + j] + a3 * w[o3 + j];
      }
    }
    for (; q < k; q++) {
      int i = nz[q];
      double a = v[voff + i];
      int o = i * r + from;
      for (int j = 0; j < n; j++) y[from + j] += a * w[o + j];
    }
    for (int j = from; j < to; j++) out[j] = (long) y[j];
  }
}
