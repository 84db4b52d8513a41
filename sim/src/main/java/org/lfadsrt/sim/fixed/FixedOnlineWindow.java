package org.lfadsrt.sim.fixed;

/**
 * Online (streaming) inference over a sliding window of the last T_enc bins with the bit-accurate model: each bin's
 * encoder input projections are computed once, when the bin arrives ({@link #pushBin}), kept in a ring of T_enc
 * slots, and read by every later window that contains the bin ({@link #infer}). The rest of a window (the encoder
 * recurrences, which start from h0 at the window's oldest bin, and the decoder) depends on every bin of the window
 * and is recomputed.
 *
 * <p>Bit-identical to {@link FixedLfads#run} on the same window: the ring holds each encoder's exact integer partial
 * sum {@code Wih·x + b} at the layer's accumulator fraction, and the spec (docs/kernel-numerics.md §4-5) rounds only
 * after the recurrent term joins that exact sum. Before T_enc bins have arrived the window starts with all-zero
 * bins (their slots hold the projection of a zero bin), as the host's zero-padded window does.
 *
 * <p>Shares the work buffers of its {@link FixedLfads}: one thread drives both (the model is not thread-safe).
 * Allocates nothing after construction. Counts above 255 are clamped and counted once per bin, when pushed.
 */
public final class FixedOnlineWindow {
  private final FixedLfads model;
  private final FixedLfads.EncoderProjections ring;
  private final int tEnc, nIn;
  private int next; // slot the next bin goes to = slot of the window's oldest bin
  private long pushed;

  public FixedOnlineWindow(FixedLfads model) {
    this.model = model;
    this.tEnc = model.tEnc();
    this.nIn = model.nIn();
    this.ring = model.newProjections();
    reset();
  }

  public FixedLfads model() {
    return model;
  }

  /** Forgets every bin: the window is all zeros again. */
  public void reset() {
    for (int s = 0; s < tEnc; s++) model.projectZeroBin(ring, s);
    next = 0;
    pushed = 0;
  }

  /** Appends one bin of counts {@code counts[0 .. N_in)} (>= 0; above 255 saturates) and projects it. */
  public void pushBin(int[] counts) {
    pushBin(counts, 0);
  }

  /** Appends one bin of counts {@code counts[off .. off + N_in)}. */
  public void pushBin(int[] counts, int off) {
    if (off < 0 || counts.length - off < nIn) {
      throw new IllegalArgumentException("bin: need " + nIn + " counts (N_in) from offset " + off + ", array has "
          + counts.length);
    }
    model.projectCounts(counts, off, ring, next, pushed);
    next = next + 1 == tEnc ? 0 : next + 1;
    pushed++;
  }

  /** Bins pushed since construction or {@link #reset()}. */
  public long binsPushed() {
    return pushed;
  }

  /** True once T_enc bins have arrived (no zero padding left in the window). */
  public boolean windowFull() {
    return pushed >= tEnc;
  }

  /** Infers the window of the last T_enc pushed bins (oldest first) into {@code out}. */
  public void infer(FixedOutput out) {
    infer(out, null);
  }

  /** As {@link #infer(FixedOutput)}, reporting every intermediate to {@code trace} when not null. */
  public void infer(FixedOutput out, FixedTrace trace) {
    model.runProjected(ring, next, out, trace);
  }
}
