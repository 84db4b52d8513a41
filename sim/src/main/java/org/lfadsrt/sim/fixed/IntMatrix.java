package org.lfadsrt.sim.fixed;

/**
 * A quantized weight matrix prepared for fast exact matrix-vector products. The product is an exact integer
 * (docs/kernel-numerics.md §4), so the evaluation order does not change it: the matrix is stored by column and the
 * product is a sequence of {@code y += x_i · W[:, i]} updates, four input columns at a time, skipping zero inputs
 * (most spike counts).
 *
 * <p>Two ways to hold the exact sum, chosen by {@link FixedLfads.Accumulation}: {@code LONG} multiplies and adds in
 * 64-bit integers (the reference loop); {@code EXACT_DOUBLE} does the same integer operations on integer-valued
 * doubles, which the JIT vectorises. It is exact because every operand, product and partial sum is an integer of
 * magnitude below 2^53: the image's accumulator proof bounds {@code Σ|w|·|x|} by {@code 2^(ACC_W-1)} and it is only
 * used when {@code ACC_W ≤ 53}; a fused multiply-add of such integers rounds nothing either, and the result is
 * converted back to long without rounding.
 *
 * <p>Why one array per column in the double path: C2 (JDK 17) vectorises {@code y[j] += a·c[j]} only when it can
 * prove the store to {@code y} does not feed a later load, which it can when every array is indexed by the same
 * {@code j}; with one flat column-major array ({@code w[o + j]}, an array of the same type as {@code y}) it cannot
 * rule out aliasing at an unknown distance and emits scalar code (measured on a 192 x 64 matrix, JDK 17, AVX2:
 * 2.3 G multiply-adds/s flat, 6-8 per column; scripts/bench-fixed-online.sh gives the whole-model figures).
 */
final class IntMatrix {
  /**
   * Whether the double path uses {@link Math#fma}: only where the JIT turns it into the FMA instruction (HotSpot's
   * {@code UseFMA}, on by default on CPUs that have it); elsewhere {@code Math.fma} falls back to an exact but very
   * slow software computation and the separate multiply and add are used. Both give the same (exact) sums.
   */
  static final boolean FMA = jitHasFma();

  final int rows, cols;
  private final int[] wT; // wT[i * rows + j] = W[j][i] (LONG)
  private final double[][] colD; // colD[i][j] = W[j][i], as doubles (EXACT_DOUBLE)
  private final double[] yd;
  private final int[] nz, allColumns;

  private final boolean fma;

  IntMatrix(int[] rowMajor, int rows, int cols, boolean exactDouble) {
    this(rowMajor, rows, cols, exactDouble, FMA);
  }

  /** As above; {@code fma} picks the double path's inner loop (tests run both). */
  IntMatrix(int[] rowMajor, int rows, int cols, boolean exactDouble, boolean fma) {
    this.fma = fma;
    this.rows = rows;
    this.cols = cols;
    int[] t = new int[rowMajor.length];
    for (int j = 0; j < rows; j++) for (int i = 0; i < cols; i++) t[i * rows + j] = rowMajor[j * cols + i];
    if (exactDouble) {
      wT = null;
      colD = new double[cols][rows];
      for (int i = 0; i < cols; i++) for (int j = 0; j < rows; j++) colD[i][j] = t[i * rows + j];
      yd = new double[rows];
    } else {
      wT = t;
      colD = null;
      yd = null;
    }
    nz = new int[cols];
    allColumns = new int[cols];
    for (int i = 0; i < cols; i++) allColumns[i] = i;
  }

  /**
   * As {@link #mul} for an input that is rarely zero (a GRU state, r∘h): the double path takes every column instead of
   * first scanning for zeros (a zero column adds an exact 0). LONG, the reference, still skips zeros.
   */
  void mulDense(int[] v, int voff, long[] out, int from, int to) {
    if (wT != null) mul(v, voff, out, from, to);
    else mulDouble(v, voff, out, from, to, allColumns, cols);
  }

  /**
   * The double path of {@link #mulDense} without the conversion to long: rows [from, to) of the returned array (this
   * matrix's own buffer, overwritten by the next product) hold the exact integer-valued sums, which the caller
   * converts as it reads them (one pass over the rows instead of two). EXACT_DOUBLE only.
   */
  double[] mulDenseSums(int[] v, int voff, int from, int to) {
    if (yd == null) throw new IllegalStateException("mulDenseSums needs the EXACT_DOUBLE path");
    sumDouble(v, voff, from, to, allColumns, cols);
    return yd;
  }

  /** {@code out[j] = Σ_i W[j][i]·v[voff + i]} for rows [from, to). */
  void mul(int[] v, int voff, long[] out, int from, int to) {
    int k = 0;
    for (int i = 0; i < cols; i++) if (v[voff + i] != 0) nz[k++] = i;
    if (wT != null) mulLong(v, voff, out, from, to, k);
    else mulDouble(v, voff, out, from, to, nz, k);
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

  /** Rows [from, to) of the product over the columns {@code idx[0 .. k)}. */
  private void mulDouble(int[] v, int voff, long[] out, int from, int to, int[] idx, int k) {
    double[] y = sumDouble(v, voff, from, to, idx, k);
    for (int j = from; j < to; j++) out[j] = (long) y[j];
  }

  /** Rows [from, to) of the product over the columns {@code idx[0 .. k)}, left in {@code yd} as exact doubles. */
  private double[] sumDouble(int[] v, int voff, int from, int to, int[] idx, int k) {
    double[] y = yd;
    double[][] c = colD;
    int q = 0;
    // The first four columns write y instead of adding to a zeroed y (one pass fewer; 0 + a·c is a·c exactly).
    if (k >= 4) {
      int i0 = idx[0], i1 = idx[1], i2 = idx[2], i3 = idx[3];
      double a0 = v[voff + i0], a1 = v[voff + i1], a2 = v[voff + i2], a3 = v[voff + i3];
      double[] c0 = c[i0], c1 = c[i1], c2 = c[i2], c3 = c[i3];
      if (fma) {
        for (int j = from; j < to; j++) y[j] = Math.fma(a3, c3[j], Math.fma(a2, c2[j], Math.fma(a1, c1[j], a0 * c0[j])));
      } else {
        for (int j = from; j < to; j++) y[j] = a0 * c0[j] + a1 * c1[j] + a2 * c2[j] + a3 * c3[j];
      }
      q = 4;
    } else {
      java.util.Arrays.fill(y, from, to, 0.0);
    }
    if (fma) {
      for (; q + 3 < k; q += 4) {
        int i0 = idx[q], i1 = idx[q + 1], i2 = idx[q + 2], i3 = idx[q + 3];
        double a0 = v[voff + i0], a1 = v[voff + i1], a2 = v[voff + i2], a3 = v[voff + i3];
        double[] c0 = c[i0], c1 = c[i1], c2 = c[i2], c3 = c[i3];
        for (int j = from; j < to; j++) {
          y[j] = Math.fma(a3, c3[j], Math.fma(a2, c2[j], Math.fma(a1, c1[j], Math.fma(a0, c0[j], y[j]))));
        }
      }
    } else {
      for (; q + 3 < k; q += 4) {
        int i0 = idx[q], i1 = idx[q + 1], i2 = idx[q + 2], i3 = idx[q + 3];
        double a0 = v[voff + i0], a1 = v[voff + i1], a2 = v[voff + i2], a3 = v[voff + i3];
        double[] c0 = c[i0], c1 = c[i1], c2 = c[i2], c3 = c[i3];
        for (int j = from; j < to; j++) y[j] += a0 * c0[j] + a1 * c1[j] + a2 * c2[j] + a3 * c3[j];
      }
    }
    for (; q < k; q++) {
      int i = idx[q];
      double a = v[voff + i];
      double[] c0 = c[i];
      for (int j = from; j < to; j++) y[j] += a * c0[j];
    }
    return y;
  }

  private static boolean jitHasFma() {
    try {
      var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      return bean != null && Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
    } catch (RuntimeException | LinkageError e) { // not HotSpot, or no such option
      return false;
    }
  }
}
