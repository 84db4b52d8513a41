package org.lfadsrt.sim.model;

/**
 * The bookkeeping of online (streaming) inference over a sliding window of the last T_enc bins: a ring of T_enc
 * slots, one per bin of the window, which a subclass fills with whatever it keeps per bin (the fixed-point model's
 * exact encoder input sums, the float model's projections). Slot {@link #oldestSlot()} holds the window's oldest
 * bin, and is where the next bin goes. Before T_enc bins have arrived the window starts with all-zero bins, as the
 * host's zero-padded window does.
 *
 * <p>A subclass calls {@link #reset()} at the end of its constructor (the slots are its own). Not thread-safe.
 */
public abstract class BinRing {
  protected final int tEnc, nIn;
  private int next; // slot the next bin goes to = slot of the window's oldest bin
  private long pushed;

  protected BinRing(int tEnc, int nIn) {
    if (tEnc < 1) throw new IllegalArgumentException("T_enc must be >= 1, is " + tEnc);
    this.tEnc = tEnc;
    this.nIn = nIn;
  }

  /** Fills {@code slot} with a zero bin. */
  protected abstract void fillZero(int slot);

  /** Fills {@code slot} with bin number {@code binNumber}: counts {@code counts[off .. off + N_in)}. */
  protected abstract void fill(int[] counts, int off, long binNumber, int slot);

  /** Forgets every bin: the window is all zeros again. */
  public final void reset() {
    for (int s = 0; s < tEnc; s++) fillZero(s);
    next = 0;
    pushed = 0;
  }

  /** Appends one bin of counts {@code counts[0 .. N_in)}. */
  public final void pushBin(int[] counts) {
    pushBin(counts, 0);
  }

  /** Appends one bin of counts {@code counts[off .. off + N_in)}. */
  public final void pushBin(int[] counts, int off) {
    if (off < 0 || counts.length - off < nIn) {
      throw new IllegalArgumentException("bin: need " + nIn + " counts (N_in) from offset " + off + ", array has "
          + counts.length);
    }
    fill(counts, off, pushed, next);
    next = next + 1 == tEnc ? 0 : next + 1;
    pushed++;
  }

  /** Bins pushed since construction or {@link #reset()}. */
  public final long binsPushed() {
    return pushed;
  }

  /** True once T_enc bins have arrived (no zero padding left in the window). */
  public final boolean windowFull() {
    return pushed >= tEnc;
  }

  /** The slot of the window's oldest bin (bin t of the window is in slot {@code (oldestSlot() + t) mod T_enc}). */
  protected final int oldestSlot() {
    return next;
  }
}
