package org.lfadsrt.sim.io;

import java.util.Arrays;

/**
 * An n-dimensional numeric array as stored in a {@code .npy} file: shape, dtype and C-order (row-major)
 * data. Floating dtypes keep their values in a {@code double[]}, integer and bool dtypes in a
 * {@code long[]}; exactly one of the two is non-null. The array is not copied on construction.
 */
public final class NdArray {

  /** The dtypes this project reads and writes, with their little-endian numpy descriptors. */
  public enum DType {
    F8("<f8", 8, true),
    F4("<f4", 4, true),
    I8("<i8", 8, false),
    I4("<i4", 4, false),
    I2("<i2", 2, false),
    I1("|i1", 1, false),
    U1("|u1", 1, false),
    U2("<u2", 2, false),
    U4("<u4", 4, false),
    BOOL("|b1", 1, false);

    private final String descr;
    private final int itemSize;
    private final boolean floating;

    DType(String descr, int itemSize, boolean floating) {
      this.descr = descr;
      this.itemSize = itemSize;
      this.floating = floating;
    }

    /** The numpy descriptor written into headers, e.g. {@code <f8}. */
    public String descr() {
      return descr;
    }

    public int itemSize() {
      return itemSize;
    }

    public boolean isFloating() {
      return floating;
    }

    /** Smallest value an element of this dtype can hold (integer dtypes only). */
    long minValue() {
      return switch (this) {
        case I8 -> Long.MIN_VALUE;
        case I4 -> Integer.MIN_VALUE;
        case I2 -> Short.MIN_VALUE;
        case I1 -> Byte.MIN_VALUE;
        default -> 0;
      };
    }

    /** Largest value an element of this dtype can hold (integer dtypes only). */
    long maxValue() {
      return switch (this) {
        case I8 -> Long.MAX_VALUE;
        case I4 -> Integer.MAX_VALUE;
        case I2 -> Short.MAX_VALUE;
        case I1 -> Byte.MAX_VALUE;
        case U1 -> 0xFFL;
        case U2 -> 0xFFFFL;
        case U4 -> 0xFFFF_FFFFL;
        case BOOL -> 1;
        default -> throw new IllegalStateException(name() + " is floating");
      };
    }

    /**
     * The dtype for a numpy descriptor, or null when unsupported. Byte-order prefixes that mean
     * little-endian on every supported platform ({@code <}, {@code |}, and {@code =} for 1-byte
     * types) are accepted; big-endian ({@code >}) is not.
     */
    public static DType fromDescr(String descr) {
      if (descr.length() < 2) return null;
      char order = descr.charAt(0);
      String kind = descr.substring(1);
      for (DType t : values()) {
        if (!t.descr.substring(1).equals(kind)) continue;
        if (order == '<' || order == '|' || (order == '=' && t.itemSize == 1)) return t;
        if (order == '>' && t.itemSize == 1) return t;
      }
      return null;
    }
  }

  private final int[] shape;
  private final DType dtype;
  private final double[] doubles;
  private final long[] longs;

  private NdArray(int[] shape, DType dtype, double[] doubles, long[] longs) {
    this.shape = shape.clone();
    for (int d : shape) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
    }
    long n = elementCount(shape);
    int have = doubles != null ? doubles.length : longs.length;
    if (n != have) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " elements, data has " + have);
    }
    this.dtype = dtype;
    this.doubles = doubles;
    this.longs = longs;
  }

  /** A float64 array over {@code data} (not copied). */
  public static NdArray ofDoubles(double[] data, int... shape) {
    return new NdArray(shape, DType.F8, data, null);
  }

  /** A floating array of the given dtype (F8 or F4) over {@code data} (not copied). */
  public static NdArray ofDoubles(DType dtype, double[] data, int... shape) {
    if (!dtype.isFloating()) throw new IllegalArgumentException(dtype + " is not a floating dtype");
    return new NdArray(shape, dtype, data, null);
  }

  /** An integer or bool array of the given dtype over {@code data} (not copied); values must fit the dtype. */
  public static NdArray ofLongs(DType dtype, long[] data, int... shape) {
    if (dtype.isFloating()) throw new IllegalArgumentException(dtype + " is a floating dtype");
    long lo = dtype.minValue();
    long hi = dtype.maxValue();
    for (int i = 0; i < data.length; i++) {
      if (data[i] < lo || data[i] > hi) {
        throw new IllegalArgumentException(
            "value " + data[i] + " at flat index " + i + " does not fit dtype " + dtype.descr());
      }
    }
    return new NdArray(shape, dtype, null, data);
  }

  /** A float64 array from a rectangular 2-D Java array (copied). */
  public static NdArray of(double[][] rows) {
    int r = rows.length;
    int c = r == 0 ? 0 : rows[0].length;
    double[] flat = new double[r * c];
    for (int i = 0; i < r; i++) {
      if (rows[i].length != c) throw new IllegalArgumentException("ragged rows: row " + i + " has " + rows[i].length + ", row 0 has " + c);
      System.arraycopy(rows[i], 0, flat, i * c, c);
    }
    return ofDoubles(flat, r, c);
  }

  static long elementCount(int[] shape) {
    long n = 1;
    for (int d : shape) n = Math.multiplyExact(n, (long) d);
    return n;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int ndim() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public DType dtype() {
    return dtype;
  }

  public int size() {
    return doubles != null ? doubles.length : longs.length;
  }

  public boolean isFloating() {
    return doubles != null;
  }

  /** The backing float data (not a copy), or null for integer/bool arrays. */
  public double[] doubleData() {
    return doubles;
  }

  /** The backing integer data (not a copy), or null for floating arrays. */
  public long[] longData() {
    return longs;
  }

  /** Element at a flat C-order index, as a double whatever the dtype. */
  public double getDouble(int flatIndex) {
    return doubles != null ? doubles[flatIndex] : longs[flatIndex];
  }

  /** Element at a flat C-order index as a long; floating arrays must hold an integral value there. */
  public long getLong(int flatIndex) {
    if (longs != null) return longs[flatIndex];
    double v = doubles[flatIndex];
    long l = (long) v;
    if (l != v) throw new IllegalStateException("element " + flatIndex + " = " + v + " is not integral");
    return l;
  }

  /** Flat C-order index of a multi-index, bounds-checked. */
  public int flatIndex(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException("index has " + index.length + " axes, array has " + shape.length);
    }
    int flat = 0;
    for (int a = 0; a < shape.length; a++) {
      if (index[a] < 0 || index[a] >= shape[a]) {
        throw new IndexOutOfBoundsException("index " + index[a] + " out of range for axis " + a + " of size " + shape[a]);
      }
      flat = flat * shape[a] + index[a];
    }
    return flat;
  }

  public double get(int... index) {
    return getDouble(flatIndex(index));
  }

  /** All elements as doubles (a copy for integer arrays, the backing array for floating ones). */
  public double[] toDoubleArray() {
    if (doubles != null) return doubles;
    double[] out = new double[longs.length];
    for (int i = 0; i < out.length; i++) out[i] = longs[i];
    return out;
  }

  /**
   * A 3-D integer array as {@code int[d0][d1][d2]} (copied), e.g. spike counts (trials, T, N) as the models take them;
   * every element must be an integral value that fits an int.
   */
  public int[][][] toIntArray3() {
    if (shape.length != 3) throw new IllegalStateException("not 3-D: shape " + Arrays.toString(shape));
    int[][][] out = new int[shape[0]][shape[1]][shape[2]];
    int flat = 0;
    for (int[][] plane : out) {
      for (int[] row : plane) {
        for (int k = 0; k < row.length; k++, flat++) row[k] = Math.toIntExact(getLong(flat));
      }
    }
    return out;
  }

  /** A 2-D array as rows (copied). */
  public double[][] toDoubleMatrix() {
    if (shape.length != 2) throw new IllegalStateException("not 2-D: shape " + Arrays.toString(shape));
    double[][] m = new double[shape[0]][shape[1]];
    for (int i = 0; i < shape[0]; i++) {
      for (int j = 0; j < shape[1]; j++) m[i][j] = getDouble(i * shape[1] + j);
    }
    return m;
  }

  /** Shape formatted as numpy prints it, e.g. {@code (3, 4)} or {@code (5,)}. */
  public static String shapeString(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(shape[i]);
    }
    if (shape.length == 1) sb.append(',');
    return sb.append(')').toString();
  }

  public String shapeString() {
    return shapeString(shape);
  }

  @Override
  public String toString() {
    return "NdArray[" + dtype.descr() + " " + shapeString() + "]";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NdArray other)) return false;
    return dtype == other.dtype
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(doubles, other.doubles)
        && Arrays.equals(longs, other.longs);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + dtype.hashCode();
  }
}
