package org.lfadsrt.sim.fixed;

/**
 * Receives every intermediate of a {@link FixedLfads} run, for locating the first mismatch between the Java
 * model and the RTL (layer, step, index). Values are raw integers in the format of the probe (§3).
 * The array is the model's reused buffer: copy what you keep.
 */
@FunctionalInterface
public interface FixedTrace {

  /** What a traced vector is. */
  enum Probe {
    /** GRU z and r pre-activations (2H, format P), then n pre-activations are {@link #PRE_N}. */
    PRE_ZR,
    /** GRU update gate z (H, format G). */
    GATE_Z,
    /** GRU reset gate r (H, format G). */
    GATE_R,
    /** r∘h (H, format S). */
    RESET_STATE,
    /** GRU candidate pre-activation (H, format P). */
    PRE_N,
    /** GRU candidate n (H, format G). */
    CANDIDATE,
    /** New GRU state h' (H, format S). */
    STATE,
    /** Linear-layer output: ic_mean (F_ic), g0 (S), co_mean (F_co), factors (F_fac), log-rates (F_lr). */
    OUTPUT,
    /** The factor layer's state-format copy fed back to the controller (S). */
    OUTPUT_STATE,
  }

  /**
   * One traced vector.
   *
   * @param layer  a KernelContract LAYER_* index
   * @param step   the time bin (for the backward encoders, the bin being consumed); -1 for once-per-trial values
   *               (ic_mean, g0, the initial factor)
   * @param values buffer holding the vector in {@code [0, length)}
   */
  void record(int layer, Probe probe, int step, int[] values, int length);
}
