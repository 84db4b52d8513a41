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
public final class FloatOnlineWindow extends org.lfadsrt.sim.model.BinRing {
  private final FloatLfads model;
  private final double[] ring; // T_enc slots x projectionWidth
  private final int[] zeros;

  public FloatOnlineWindow(FloatLfads model) {
    super(model.tEnc(), model.nIn());
    this.model = model;
    this.ring = new double[tEnc * model.projectionWidth()];
    this.zeros = new int[nIn];
    reset();
  }

  public FloatLfads model() {
    return model;
  }

  @Override
  protected void fillZero(int slot) {
    model.projectBin(zeros, 0, -1, ring, slot);
  }

  @Override
  protected void fill(int[] counts, int off, long binNumber, int slot) {
    model.projectBin(counts, off, binNumber, ring, slot);
  }

  /**
   * Infers the window of the last T_enc pushed bins (oldest first) into caller-owned arrays, as
   * {@link FloatLfads#inferInto(int[], int, double[], int, double[], int, double[], int)}.
   */
  public void inferInto(double[] factors, int factorsOff, double[] logrates, int logratesOff, double[] coMeans,
      int coOff) {
    model.inferProjected(ring, oldestSlot(), factors, factorsOff, logrates, logratesOff, coMeans, coOff);
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
