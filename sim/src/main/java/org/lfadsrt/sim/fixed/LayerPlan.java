package org.lfadsrt.sim.fixed;

import static org.lfadsrt.sim.contract.KernelContract.*;

/**
 * Which sections feed each layer's accumulator and with which input format (docs/kernel-numerics.md §4–7).
 * Shared by the quantizer (to choose formats and prove the accumulator bound), the image validator (to check
 * ACC_FRAC and the bound again) and the kernel model (to derive its shifts), so all three agree by construction.
 */
final class LayerPlan {
  private LayerPlan() {}

  /** Largest spike count; the kernel's input is 8-bit unsigned. */
  static final long SPIKE_MAX = SPIKE_COUNT_MAX;

  /** Weight sections of a layer, one per input segment, in accumulation order. */
  static int[] weightSections(int layer) {
    return switch (layer) {
      case LAYER_IC_FWD -> new int[] {S_IC_FWD_WIH, S_IC_FWD_WHH};
      case LAYER_IC_BWD -> new int[] {S_IC_BWD_WIH, S_IC_BWD_WHH};
      case LAYER_CI_FWD -> new int[] {S_CI_FWD_WIH, S_CI_FWD_WHH};
      case LAYER_CI_BWD -> new int[] {S_CI_BWD_WIH, S_CI_BWD_WHH};
      case LAYER_CON -> new int[] {S_CON_WIH, S_CON_WHH};
      case LAYER_GEN -> new int[] {S_GEN_WIH, S_GEN_WHH};
      case LAYER_IC_LIN -> new int[] {S_IC_LIN_W};
      case LAYER_G0 -> new int[] {S_G0_W};
      case LAYER_CO -> new int[] {S_CO_W};
      case LAYER_FAC -> new int[] {S_FAC_W};
      case LAYER_RO -> new int[] {S_RO_W};
      default -> throw new IllegalArgumentException("layer " + layer);
    };
  }

  /** Bias section of a layer, or -1 (the factor layer has no bias). */
  static int biasSection(int layer) {
    return switch (layer) {
      case LAYER_IC_FWD -> S_IC_FWD_B;
      case LAYER_IC_BWD -> S_IC_BWD_B;
      case LAYER_CI_FWD -> S_CI_FWD_B;
      case LAYER_CI_BWD -> S_CI_BWD_B;
      case LAYER_CON -> S_CON_B;
      case LAYER_GEN -> S_GEN_B;
      case LAYER_IC_LIN -> S_IC_LIN_B;
      case LAYER_G0 -> S_G0_B;
      case LAYER_CO -> S_CO_B;
      case LAYER_FAC -> -1;
      case LAYER_RO -> S_RO_B;
      default -> throw new IllegalArgumentException("layer " + layer);
    };
  }

  static boolean isGru(int layer) {
    return layer <= LAYER_GEN;
  }

  static boolean isControllerLayer(int layer) {
    return layer == LAYER_CI_FWD || layer == LAYER_CI_BWD || layer == LAYER_CON || layer == LAYER_CO;
  }

  /** Fraction of the input multiplying weight segment {@code seg} of {@code layer}. */
  static int inputFrac(int layer, int seg, Formats f) {
    switch (layer) {
      case LAYER_IC_FWD, LAYER_IC_BWD, LAYER_CI_FWD, LAYER_CI_BWD:
        return seg == 0 ? 0 : f.fs;
      case LAYER_CON:
        return f.fs;
      case LAYER_GEN:
        return seg == 0 ? f.fco : f.fs;
      case LAYER_G0:
        return f.fic;
      case LAYER_RO:
        return f.ffac;
      default: // IC_LIN, CO, FAC read hidden states
        return f.fs;
    }
  }

  /** Largest input magnitude of segment {@code seg}: 255 for spikes, 2^(W-1) for any W-bit input. */
  static long inputMax(int layer, int seg, int w) {
    boolean spikes = seg == 0 && layer <= LAYER_CI_BWD;
    return spikes ? SPIKE_MAX : (1L << (w - 1));
  }

  /** The value formats the layer plan depends on. */
  record Formats(int w, int fs, int fic, int fco, int ffac) {}

  /**
   * Accumulator fraction: the largest {@code Fw + Fx} over segments that have columns (§4, §5);
   * 0 when the layer has no weights at all (absent controller).
   */
  static int accFrac(int layer, Formats f, int[] weightFracs, int[] cols) {
    int a = Integer.MIN_VALUE;
    for (int s = 0; s < weightFracs.length; s++) {
      if (cols[s] > 0) a = Math.max(a, weightFracs[s] + inputFrac(layer, s, f));
    }
    return a == Integer.MIN_VALUE ? 0 : a;
  }

  /**
   * The accumulator proof of §4 for every row: {@code Σ_seg Σ_i |Wq[j][i]|·xmax·2^(A-Fw-Fx) + |b[j]|·2^(A-Fb)
   * < 2^(accW-1)}. Returns the first failing row, or -1 when every row fits.
   */
  static int firstOverflowingRow(
      int layer, Formats f, int accW, int a, int rows, int[][] weights, int[] cols, int[] weightFracs,
      int[] bias, int biasFrac) {
    long limit = 1L << (accW - 1);
    for (int j = 0; j < rows; j++) {
      long total = 0;
      for (int s = 0; s < weights.length; s++) {
        int n = cols[s];
        if (n == 0) continue;
        long sumAbs = 0;
        int[] wq = weights[s];
        for (int i = 0, base = j * n; i < n; i++) sumAbs += Math.abs((long) wq[base + i]);
        long term = mulCapped(sumAbs, inputMax(layer, s, f.w));
        total = addCapped(total, shlCapped(term, a - weightFracs[s] - inputFrac(layer, s, f)));
      }
      if (bias != null && bias.length > 0) {
        total = addCapped(total, shlCapped(Math.abs((long) bias[j]), a - biasFrac));
      }
      if (total >= limit) return j;
    }
    return -1;
  }

  private static final long CAP = Long.MAX_VALUE / 4;

  private static long mulCapped(long a, long b) {
    if (a == 0 || b == 0) return 0;
    return a > CAP / b ? CAP : a * b;
  }

  private static long shlCapped(long v, int k) {
    if (v == 0) return 0;
    if (k < 0) throw new IllegalStateException("negative alignment shift " + k);
    if (k >= 62 || v > (CAP >> k)) return CAP;
    return v << k;
  }

  private static long addCapped(long a, long b) {
    long s = a + b;
    return s > CAP ? CAP : s;
  }
}
