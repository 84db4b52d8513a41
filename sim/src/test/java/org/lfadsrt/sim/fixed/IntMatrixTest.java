package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every matrix-vector path of {@link IntMatrix} (LONG, EXACT_DOUBLE with and without fused multiply-add; {@code mul}
 * skipping zero inputs and {@code mulDense} taking every column) gives, word
 * for word, the sum of the plain reference loop below: {@code Σ_i (long) W[j][i] · v[voff + i]} in row order. Random
 * shapes (both sides 1..80, not multiples of the four-column unroll), widths 8..18, and three input/weight regimes:
 * sparse spike counts (0..255, mostly zero, as the encoders' inputs), dense W-bit states, and all-extreme values
 * (every weight and input at ±2^(W-1), the magnitudes that drive every later narrowing into saturation).
 */
class IntMatrixTest {

  /** The simplest exact loop: row by row, in long. */
  static void referenceProduct(int[] w, int rows, int cols, int[] v, int voff, long[] out, int from, int to) {
    for (int j = from; j < to; j++) {
      long s = 0;
      for (int i = 0; i < cols; i++) s += (long) w[j * cols + i] * v[voff + i];
      out[j] = s;
    }
  }

  @Property(tries = 300)
  void everyPathMatchesTheReferenceLoop(@ForAll long seed, @ForAll @IntRange(min = 8, max = 18) int width,
      @ForAll @IntRange(min = 0, max = 2) int regime) {
    SplittableRandom r = new SplittableRandom(seed);
    int rows = 1 + r.nextInt(80), cols = 1 + r.nextInt(80);
    long max = FixedPoint.maxOf(width), min = FixedPoint.minOf(width);
    int[] w = new int[rows * cols];
    for (int k = 0; k < w.length; k++) {
      w[k] = regime == 2 ? (int) (r.nextBoolean() ? max : min) : (int) r.nextLong(min, max + 1);
    }
    int voff = r.nextInt(4);
    int[] v = new int[voff + cols + r.nextInt(3)];
    Arrays.fill(v, 12345); // outside [voff, voff + cols): must not be read
    for (int i = 0; i < cols; i++) {
      v[voff + i] = switch (regime) {
        case 0 -> r.nextInt(4) == 0 ? r.nextInt(256) : 0;
        case 1 -> (int) r.nextLong(min, max + 1);
        default -> (int) (r.nextBoolean() ? max : min);
      };
    }
    int from = r.nextInt(rows), to = from + 1 + r.nextInt(rows - from);

    long[] expected = new long[rows];
    Arrays.fill(expected, Long.MIN_VALUE);
    referenceProduct(w, rows, cols, v, voff, expected, from, to);
    IntMatrix[] paths = {
      new IntMatrix(w, rows, cols, false, false),
      new IntMatrix(w, rows, cols, true, false),
      new IntMatrix(w, rows, cols, true, true),
    };
    String[] names = {"LONG", "EXACT_DOUBLE multiply-add", "EXACT_DOUBLE fma"};
    for (int p = 0; p < paths.length; p++) {
      long[] out = new long[rows];
      Arrays.fill(out, Long.MIN_VALUE); // rows outside [from, to) must stay untouched
      paths[p].mul(v, voff, out, from, to);
      paths[p].mul(v, voff, out, from, to); // and a second call must not see the first one's sums
      assertArrayEquals(expected, out, names[p] + " " + rows + "x" + cols + " rows [" + from + "," + to + ")");
      long[] dense = new long[rows];
      Arrays.fill(dense, Long.MIN_VALUE);
      paths[p].mulDense(v, voff, dense, from, to); // every column, zeros included
      assertArrayEquals(expected, dense, names[p] + " (dense) " + rows + "x" + cols + " rows [" + from + "," + to + ")");
    }
  }
}
