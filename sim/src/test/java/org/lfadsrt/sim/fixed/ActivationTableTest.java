package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Table edges, index computation and interpolation (docs/kernel-numerics.md §6) at W = 16, K = 10:
 * sigmoid spans [-16, 16) in 1024 segments (s = 10 low bits), tanh [-8, 8) (s = 9). Expected values were
 * worked out by hand from the formulas (table entries checked with an independent Python evaluation).
 */
class ActivationTableTest {
  static final int W = 16, FP = 15, K = 10;
  static final int[] SIG = ActivationTable.sigmoidTable(W, K);
  static final int[] TANH = ActivationTable.tanhTable(W, K);

  static int sig(long p) {
    return ActivationTable.eval(SIG, p, 4, FP, K, W);
  }

  static int tanh(long p) {
    return ActivationTable.eval(TANH, p, 3, FP, K, W);
  }

  @Test
  void tableEntries() {
    assertEquals(1025, SIG.length);
    assertEquals(0, SIG[0]); // sigmoid(-16)·2^15 = 0.0037
    assertEquals(16384, SIG[512]); // sigmoid(0) = 0.5
    assertEquals(32767, SIG[1023]); // sigmoid(15.97)·2^15 = 32767.996 rounds to 32768, saturates
    assertEquals(32767, SIG[1024]);
    assertEquals(-32768, TANH[0]); // tanh(-8)·2^15 = -32767.99 rounds to -32768: representable
    assertEquals(0, TANH[512]);
    assertEquals(32767, TANH[1024]);
    assertEquals(30799, SIG[600]); // sigmoid(-16 + 600/32 = 2.75) = 0.93991·2^15 = 30798.9
    assertEquals(30856, SIG[601]);
    assertEquals(28830, TANH[600]); // tanh(-8 + 600/64 = 1.375) = 0.87984·2^15
    assertEquals(28944, TANH[601]);
  }

  @Test
  void clampsOutsideTheRange() {
    long lo = -(1L << 19), hi = (1L << 19) - 1; // ±16 in format P
    assertEquals(0, sig(lo));
    assertEquals(0, sig(lo - 12345));
    assertEquals(32767, sig(hi)); // idx = 1023 = 2^K - 1, f = 1023: T[1023] + RSH(0·1023, 10)
    assertEquals(32767, sig(hi + 1));
    assertEquals(32767, sig(Long.MAX_VALUE / 4));
    assertEquals(-32768, tanh(-(1L << 18))); // -8
    assertEquals(-32768, tanh(-(1L << 19))); // far below: clamped to -8
    assertEquals(32767, tanh((1L << 18) - 1));
    assertEquals(32767, tanh(1L << 19));
  }

  @Test
  void indexAndInterpolation() {
    // sigmoid: p = -2^19 + 600·1024 + f, so idx = 600; T[601] - T[600] = 57.
    assertEquals(30799, sig(-(1L << 19) + 600 * 1024)); // f = 0: the entry itself
    assertEquals(30828, sig(-(1L << 19) + 600 * 1024 + 512)); // 57·512/1024 = 28.5 -> 29 (half up)
    assertEquals(30799, sig(-(1L << 19) + 600 * 1024 + 3)); // 57·3/1024 = 0.167 -> 0
    assertEquals(30856, sig(-(1L << 19) + 600 * 1024 + 1023)); // 56.94 -> 57
    assertEquals(16384, sig(0));
    // tanh: p = -2^18 + 600·512 + f, s = 9, T[601] - T[600] = 114.
    assertEquals(28887, tanh(-(1L << 18) + 600 * 512 + 256)); // 114·256/512 = 57
    assertEquals(28830, tanh(-(1L << 18) + 600 * 512 + 1)); // 0.22 -> 0
    assertEquals(28944, tanh(-(1L << 18) + 600 * 512 + 511)); // 113.8 -> 114
    assertEquals(0, tanh(0));
    assertEquals(-24956, tanh(-(1L << 15))); // tanh(-1) = -0.761594·2^15 = -24956.0
  }

  /** Within the range, the table is within the §6 interpolation bound plus two roundings of one gate ulp. */
  @Property
  void withinInterpolationErrorBound(@ForAll @IntRange(min = -(1 << 19), max = (1 << 19) - 1) int p) {
    double x = Math.scalb((double) p, -FP);
    double ulp = Math.scalb(1.0, -15);
    double sigErr = Math.abs(Math.scalb((double) sig(p), -15) - ActivationTable.sigmoid(x));
    assertTrue(sigErr <= 1.2e-5 + ulp, "sigmoid(" + x + ") error " + sigErr);
    double tanhErr = Math.abs(Math.scalb((double) tanh(p), -15) - Math.tanh(x));
    assertTrue(tanhErr <= 2.4e-5 + ulp + 2.3e-7, "tanh(" + x + ") error " + tanhErr);
  }

  @Property
  void everySupportedWidthBuildsValidTables(@ForAll @IntRange(min = 8, max = 18) int w) {
    int[] s = ActivationTable.sigmoidTable(w, K);
    int[] t = ActivationTable.tanhTable(w, K);
    long max = FixedPoint.maxOf(w);
    for (int i = 0; i < s.length; i++) {
      assertTrue(s[i] >= 0 && s[i] <= max);
      assertTrue(Math.abs(t[i]) <= max + 1);
      if (i > 0) assertTrue(s[i] >= s[i - 1] && t[i] >= t[i - 1], "monotonic at " + i);
    }
    // the largest p in range hits idx = 2^K - 1 and reads T[2^K]
    long hi = (1L << (4 + w - 1)) - 1;
    assertEquals(max, ActivationTable.eval(s, hi, 4, w - 1, K, w));
  }
}
