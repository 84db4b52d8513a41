package org.lfadsrt.sim.fixed;

/**
 * The three integer primitives of docs/kernel-numerics.md §1. Every narrowing in the kernel model goes
 * through these, so the Verilog and C views have exactly one definition to match.
 *
 * <p>Values are two's-complement integers with an implicit fraction count; a "W-bit" value lies in
 * {@code [-2^(W-1), 2^(W-1) - 1]}. Supported widths are 2..31 for {@link #sat}; the kernel uses 8..22.
 */
public final class FixedPoint {
  private FixedPoint() {}

  /**
   * Rounding shift, round-half-up (ties toward +infinity): {@code k > 0}: {@code floor((v + 2^(k-1)) / 2^k)};
   * {@code k = 0}: {@code v}; {@code k < 0}: {@code v * 2^-k} (exact; the caller keeps it in range).
   * Requires {@code |v| < 2^61}; for {@code k >= 62} the result is therefore 0.
   */
  public static long rsh(long v, int k) {
    if (k > 0) {
      if (k >= 62) return 0;
      return (v + (1L << (k - 1))) >> k;
    }
    return k == 0 ? v : v << -k;
  }

  /** Saturate to a signed {@code w}-bit value. */
  public static long sat(long v, int w) {
    long max = (1L << (w - 1)) - 1;
    long min = -(1L << (w - 1));
    return v > max ? max : (v < min ? min : v);
  }

  /** True when {@link #sat} would change {@code v}. */
  public static boolean saturates(long v, int w) {
    long max = (1L << (w - 1)) - 1;
    return v > max || v < -max - 1;
  }

  /**
   * Requantize {@code SAT(RSH(v, from - to), w)}: change the fraction count from {@code from} to {@code to}
   * and saturate to {@code w} bits. A left shift (to > from) is computed without overflowing a long: any
   * {@code |v| >= 2^30} or shift of 24 or more saturates any nonzero value at every width up to 23 bits.
   */
  public static long req(long v, int from, int to, int w) {
    return sat(shiftForReq(v, from - to), w);
  }

  /** {@code RSH(v, k)} for {@link #req}: exact for right shifts, overflow-safe (saturation-preserving) for left. */
  static long shiftForReq(long v, int k) {
    if (k >= 0) return rsh(v, k);
    int m = Math.min(-k, 24);
    long c = v > (1L << 30) ? (1L << 30) : (v < -(1L << 30) ? -(1L << 30) : v);
    return c << m;
  }

  /** Largest value of a signed w-bit integer. */
  public static long maxOf(int w) {
    return (1L << (w - 1)) - 1;
  }

  /** Smallest value of a signed w-bit integer. */
  public static long minOf(int w) {
    return -(1L << (w - 1));
  }

  /** Round-half-up of a real value to an integer ({@code floor(x + 0.5)}), as the quantizer rounds. */
  public static long roundHalfUp(double x) {
    return (long) Math.floor(x + 0.5);
  }
}
