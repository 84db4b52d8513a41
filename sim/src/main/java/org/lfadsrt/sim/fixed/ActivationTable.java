package org.lfadsrt.sim.fixed;

import java.util.function.DoubleUnaryOperator;

/**
 * Sigmoid and tanh by table with linear interpolation (docs/kernel-numerics.md §6). The table holds
 * {@code 2^K + 1} entries in gate format (W, W-1) over {@code [-2^E, 2^E)}; the kernel never evaluates exp.
 */
public final class ActivationTable {
  /** Range exponent of the sigmoid table: [-16, 16). */
  public static final int SIGMOID_RANGE_EXP = 4;
  /** Range exponent of the tanh table: [-8, 8). */
  public static final int TANH_RANGE_EXP = 3;
  /** Default segment bits K: 1024 segments, 1025 entries. */
  public static final int DEFAULT_SEG_BITS = 10;

  private ActivationTable() {}

  public static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /** The sigmoid table for width {@code w}: {@code T[i] = SAT(floor(sigmoid(-2^E + i·2^(E+1-K))·2^(w-1) + 0.5), w)}. */
  public static int[] sigmoidTable(int w, int segBits) {
    return build(ActivationTable::sigmoid, SIGMOID_RANGE_EXP, w, segBits);
  }

  /** The tanh table for width {@code w}, built as {@link #sigmoidTable} over [-8, 8). */
  public static int[] tanhTable(int w, int segBits) {
    return build(Math::tanh, TANH_RANGE_EXP, w, segBits);
  }

  static int[] build(DoubleUnaryOperator g, int rangeExp, int w, int segBits) {
    int n = (1 << segBits) + 1;
    int fg = w - 1;
    double step = Math.scalb(1.0, rangeExp + 1 - segBits);
    double lo = -Math.scalb(1.0, rangeExp);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      double x = lo + i * step; // exact: a multiple of a power of two well inside double's range
      t[i] = (int) FixedPoint.sat(FixedPoint.roundHalfUp(Math.scalb(g.applyAsDouble(x), fg)), w);
    }
    return t;
  }

  /**
   * Evaluate a table at pre-activation {@code p} (fraction {@code fracPre}), returning a gate-format value:
   * clamp p to the table range, split the offset into index and {@code s = E + 1 + Fp - K} low bits,
   * interpolate with one rounding shift and saturate to {@code w} bits.
   */
  public static int eval(int[] table, long p, int rangeExp, int fracPre, int segBits, int w) {
    long lo = -(1L << (rangeExp + fracPre));
    long hi = (1L << (rangeExp + fracPre)) - 1;
    long u = (p < lo ? lo : (p > hi ? hi : p)) - lo;
    int s = rangeExp + 1 + fracPre - segBits;
    int idx = (int) (u >> s);
    long f = u & ((1L << s) - 1);
    long t0 = table[idx];
    long y = t0 + FixedPoint.rsh((table[idx + 1] - t0) * f, s);
    return (int) FixedPoint.sat(y, w);
  }
}
