package org.lfadsrt.host.lab;

/**
 * Open-addressing map from a long key to an int, for looking up a channel by a packed name without allocating
 * on the hot path. Fixed capacity (a power of two); {@link #put} refuses a key when the table is three quarters full.
 */
final class LongIntTable {
  static final int MISSING = Integer.MIN_VALUE;
  private final long[] keys;
  private final int[] values;
  private final boolean[] used;
  private final int mask;
  private int size;

  LongIntTable(int capacityPowerOfTwo) {
    if (Integer.bitCount(capacityPowerOfTwo) != 1) throw new IllegalArgumentException("capacity must be a power of two");
    keys = new long[capacityPowerOfTwo];
    values = new int[capacityPowerOfTwo];
    used = new boolean[capacityPowerOfTwo];
    mask = capacityPowerOfTwo - 1;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  int get(long key) {
    for (int i = slot(key); used[i]; i = (i + 1) & mask) if (keys[i] == key) return values[i];
    return MISSING;
  }

  /** Returns false (nothing stored) when the table is full. */
  boolean put(long key, int value) {
    int i = slot(key);
    for (; used[i]; i = (i + 1) & mask) {
      if (keys[i] == key) {
        values[i] = value;
        return true;
      }
    }
    if (size * 4 >= keys.length * 3) return false;
    used[i] = true;
    keys[i] = key;
    values[i] = value;
    size++;
    return true;
  }
}
