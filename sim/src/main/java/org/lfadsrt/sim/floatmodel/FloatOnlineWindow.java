package org.lfadsrt.sim.floatmodel;

/**
 * Online (streaming) inference over a sliding window of the last T_enc bins with the double-precision model: each
 * bin's encoder input projections ({@code W_ih x + b_ih} of the IC and CI encoders, forward and backward) are
 * computed once, when the bin arrives ({@link #pushBin}), kept in a ring of T_enc slots and read by every later
 * window containing the bin ({@link #inferInto}). The encoder recurrences (which restart from h0 at each window's
 * oldest bin) and the decoder depend on the whole window and are recomputed.
 *
 * <p>Equal to {@link FloatLfads#inferInto} on the same window: a slot holds exactly the doubles the full-window path
 * computes for that bin, and the steps after it run the same operations in the same order. Before T_enc bins have
 * arrived the window starts with all-zero bins (their slots hold a zero bin's projection, {@code b_ih}).
 *
 * <p>Shares the work buffers of its {@link FloatLfads}: one thread drives both. Allocates nothing after construction.
 */
public final class FloatOnlineWindow {
  private final FloatLfads model;
  private final double[] ring; // T_enc slots x projectionWidth
  private final int[] zeros;
  private final int tEnc, nIn;
  private int next; // slot of the next bin = slot of the window's oldest bin
  private long pushed;

  public FloatOnlineWindow(FloatLfads model) {
    this.model = model;
    this.tEnc = model.tEnc();
    this.nIn = model.nIn();
    this.ring = new double[tEnc * model.projectionWidth()];
    this.zeros = new int[nIn];
    reset();
  }

  public FloatLfads model() {
    return model;
  }

  /** Forgets every bin: the window is all zeros again. */
  public void reset() {
    for (int s = 0; s < tEnc; s++) model.projectBin(zeros, 0, -1, ring, s);
    next = 0;
    pushed = 0;
  }

  /** Appends one bin of counts {@code counts[0 .. N_in)} (>= 0) and projects it. */
  public void pushBin(int[] counts) {
    pushBin(counts, 0);
  }

  /** Appends one bin of counts {@code counts[off .. off + N_in)}. */
  public void pushBin(int[] counts, int off) {
    if (off < 0 || counts.length - off < nIn) {
      throw new IllegalArgumentException("bin: need " + nIn + " counts (encod_data_dim) from offset " + off
          + ", array has " + counts.length);
    }
    model.projectBin(counts, off, pushed, ring, next);
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

  /**
   * Infers the window of the last T_enc pushed bins (oldest first) into caller-owned arrays, as
   * {@link FloatLfads#inferInto(int[], int, double[], int, double[], int, double[], int)}.
   */
  public void inferInto(double[] factors, int factorsOff, double[] logrates, int logratesOff, double[] coMeans,
      int coOff) {
    model.inferProjected(ring, next, factors, factorsOff, logrates, logratesOff, coMeans, coOff);
  }

  /** As above without controller outputs. */
  public void inferInto(double[] factors, int factorsOff, double[] logrates, int logratesOff) {
    inferInto(factors, factorsOff, logrates, logratesOff, null, 0);
  }

  /** The IC mean of the last inferred window (the model's internal buffer). */
  public double[] lastIcMean() {
    return model.lastIcMean();
  }
}
