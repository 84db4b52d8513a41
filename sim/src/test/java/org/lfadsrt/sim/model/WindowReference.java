package org.lfadsrt.sim.model;

/**
 * The online windows' reference, written plainly: what a {@link BinRing} must hold after bin {@code last} of a stream,
 * used by the float and fixed online-window tests to compare incremental inference with whole-window inference.
 */
public final class WindowReference {
  private WindowReference() {}

  /** The window ending at bin {@code last}: T_enc bins oldest first, zeros before bin 0. */
  public static int[][] windowEndingAt(int[][] stream, int last, int tEnc, int nIn) {
    int[][] w = new int[tEnc][nIn];
    for (int t = 0; t < tEnc; t++) {
      int src = last - (tEnc - 1) + t;
      if (src >= 0) w[t] = stream[src].clone();
    }
    return w;
  }
}
