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
public final class FixedOnlineWindow extends org.lfadsrt.sim.model.BinRing {
  private final FixedLfads model;
  private final FixedLfads.EncoderProjections ring;

  public FixedOnlineWindow(FixedLfads model) {
    super(model.tEnc(), model.nIn());
    this.model = model;
    this.ring = model.newProjections();
    reset();
  }

  public FixedLfads model() {
    return model;
  }

  @Override
  protected void fillZero(int slot) {
    model.projectZeroBin(ring, slot);
  }

  /** Counts above 255 saturate (counted once per bin, here). */
  @Override
  protected void fill(int[] counts, int off, long binNumber, int slot) {
    model.projectCounts(counts, off, ring, slot, binNumber);
  }

  /**
   * What the online kernel mode writes for the newest bin (docs/kernel-numerics.md §13): infers the window into
   * {@code out} and copies step T_enc - 1's factor words then log-rate words ({@code fac + n_out} words) to
   * {@code dst[off ..]}.
   */
  public void inferNewest(FixedOutput out, int[] dst, int off) {
    infer(out);
    out.stepToDeviceWords(model.tEnc() - 1, dst, off);
  }

  /** Bins of the current window that were pushed (the rest are the zero bins before the first push): the status
   * block's WINDOW_BINS. */
  public int windowBins() {
    return (int) Math.min(binsPushed(), tEnc);
  }

  /** Infers the window of the last T_enc pushed bins (oldest first) into {@code out}. */
  public void infer(FixedOutput out) {
    infer(out, null);
  }

  /** As {@link #infer(FixedOutput)}, reporting every intermediate to {@code trace} when not null. */
  public void infer(FixedOutput out, FixedTrace trace) {
    model.runProjected(ring, oldestSlot(), out, trace);
  }
}
