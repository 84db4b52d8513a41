package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Hand-computed cases for the three primitives of docs/kernel-numerics.md §1, plus properties against BigInteger. */
class FixedPointTest {

  @Test
  void roundingShiftRoundsHalfUp() {
    assertEquals(3, FixedPoint.rsh(5, 1)); // 2.5 -> 3
    assertEquals(-2, FixedPoint.rsh(-5, 1)); // -2.5 -> -2 (ties toward +infinity, not away from zero)
    assertEquals(2, FixedPoint.rsh(6, 2)); // 1.5 -> 2
    assertEquals(-1, FixedPoint.rsh(-6, 2)); // -1.5 -> -1
    assertEquals(2, FixedPoint.rsh(7, 2)); // 1.75 -> 2
    assertEquals(-2, FixedPoint.rsh(-7, 2)); // -1.75 -> -2
    assertEquals(1, FixedPoint.rsh(5, 2)); // 1.25 -> 1
    assertEquals(-1, FixedPoint.rsh(-5, 2)); // -1.25 -> -1
    assertEquals(0, FixedPoint.rsh(-2, 2)); // -0.5 -> 0
    assertEquals(-1, FixedPoint.rsh(-3, 2)); // -0.75 -> -1
    assertEquals(123, FixedPoint.rsh(123, 0));
    assertEquals(-40, FixedPoint.rsh(-5, -3)); // exact left shift
    assertEquals(0, FixedPoint.rsh((1L << 47) - 1, 62)); // far right shift of an accumulator value
  }

  @Test
  void saturationClampsNeverWraps() {
    assertEquals(32767, FixedPoint.sat(32768, 16));
    assertEquals(32767, FixedPoint.sat(1L << 40, 16));
    assertEquals(-32768, FixedPoint.sat(-32769, 16));
    assertEquals(-32768, FixedPoint.sat(-32768, 16));
    assertEquals(127, FixedPoint.sat(200, 8));
    assertEquals(-128, FixedPoint.sat(-129, 8));
    assertEquals(524287, FixedPoint.sat(600000, 20));
    assertEquals(-5, FixedPoint.sat(-5, 8));
    assertTrue(FixedPoint.saturates(128, 8));
    assertFalse(FixedPoint.saturates(-128, 8));
  }

  @Test
  void requantizeRoundsThenSaturates() {
    // 0.875 at F=26 to F=15: exact.
    assertEquals(28672, FixedPoint.req(58720256, 26, 15, 20));
    // 1.5 ulp -> 2, then fits.
    assertEquals(2, FixedPoint.req(3, 1, 0, 8));
    // rounds to 128 which saturates to 127 (rounding happens first)
    assertEquals(127, FixedPoint.req(255, 1, 0, 8));
    assertEquals(-128, FixedPoint.req(-257, 1, 0, 8));
    // left shift (target has more fraction bits) that saturates without overflowing a long
    assertEquals(32767, FixedPoint.req(1L << 40, 0, 30, 16));
    assertEquals(-32768, FixedPoint.req(-1, 0, 40, 16));
    assertEquals(-12, FixedPoint.req(-3, 10, 12, 16));
    assertEquals(0, FixedPoint.req(0, 0, 60, 16));
  }

  @Property
  void rshEqualsFloorOfHalfUp(@ForAll @LongRange(min = -(1L << 50), max = 1L << 50) long v,
      @ForAll @IntRange(min = 0, max = 61) int k) {
    // floor((v + 2^(k-1)) / 2^k) in exact arithmetic
    BigInteger num = BigInteger.valueOf(v).shiftLeft(1).add(BigInteger.ONE.shiftLeft(k));
    BigInteger expected = floorDiv(num, BigInteger.ONE.shiftLeft(k + 1));
    if (k == 0) expected = BigInteger.valueOf(v);
    assertEquals(expected.longValueExact(), FixedPoint.rsh(v, k));
  }

  @Property
  void reqEqualsExactRoundThenClamp(@ForAll @LongRange(min = -(1L << 50), max = 1L << 50) long v,
      @ForAll @IntRange(min = 0, max = 40) int from, @ForAll @IntRange(min = 0, max = 40) int to,
      @ForAll @IntRange(min = 8, max = 22) int w) {
    BigInteger exact;
    if (from >= to) {
      int k = from - to;
      exact = k == 0 ? BigInteger.valueOf(v)
          : floorDiv(BigInteger.valueOf(v).shiftLeft(1).add(BigInteger.ONE.shiftLeft(k)), BigInteger.ONE.shiftLeft(k + 1));
    } else {
      exact = BigInteger.valueOf(v).shiftLeft(to - from);
    }
    BigInteger max = BigInteger.ONE.shiftLeft(w - 1).subtract(BigInteger.ONE);
    BigInteger min = BigInteger.ONE.shiftLeft(w - 1).negate();
    long expected = exact.max(min).min(max).longValueExact();
    assertEquals(expected, FixedPoint.req(v, from, to, w));
  }

  private static BigInteger floorDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
  }
}
