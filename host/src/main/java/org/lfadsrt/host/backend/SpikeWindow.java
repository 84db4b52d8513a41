package org.lfadsrt.host.backend;

import java.nio.ByteBuffer;

/**
 * The sliding window of the last T_enc bins: a ring of T_enc x N_in unsigned 8-bit counts, all zeros until bins
 * arrive. The one copy of the window kept by the online path: the pipeline writes each bin into it once, and the
 * sessions that need the whole window ({@link WholeWindowSession}, {@link FailoverBackend}'s) read it from here.
 * One thread uses it; nothing is allocated after construction.
 */
public final class SpikeWindow {
  private final int tEnc, nIn;
  private final byte[] ring; // slot `next` holds the oldest bin
  private int next;
  private int filled;

  public SpikeWindow(int tEnc, int nIn) {
    if (tEnc < 1 || nIn < 1) throw new IllegalArgumentException("a window needs T_enc >= 1 and N_in >= 1, got " + tEnc + " x " + nIn);
    this.tEnc = tEnc;
    this.nIn = nIn;
    this.ring = new byte[tEnc * nIn];
  }

  public SpikeWindow(ModelShape shape) {
    this(shape.tEnc(), shape.nIn());
  }

  public int tEnc() { return tEnc; }
  public int nIn() { return nIn; }

  /** True once T_enc bins have entered (before that the window starts with all-zero bins). */
  public boolean full() {
    return filled == tEnc;
  }

  /** The ring itself: a bin entered by {@link #claim} or {@link #push} is at {@code array()[offset .. offset + N_in)}. */
  public byte[] array() {
    return ring;
  }

  /**
   * Makes the next slot the newest bin (the oldest bin leaves) and returns its offset in {@link #array()}; the
   * caller writes the bin's N_in counts there in place, so entering a bin costs no copy beyond that write.
   */
  public int claim() {
    int base = next * nIn;
    next = next + 1 == tEnc ? 0 : next + 1;
    if (filled < tEnc) filled++;
    return base;
  }

  /** Copies one bin ({@code N_in} counts at {@code counts[off ..]}) in as the newest; returns its offset in {@link #array()}. */
  public int push(byte[] counts, int off) {
    int base = claim();
    System.arraycopy(counts, off, ring, base, nIn);
    return base;
  }

  /** The window oldest bin first into {@code dst} from index 0 (T_enc x N_in bytes); {@code dst}'s position is untouched. */
  public void copyOldestFirst(ByteBuffer dst) {
    int tail = (tEnc - next) * nIn;
    dst.put(0, ring, next * nIn, tail);
    dst.put(tail, ring, 0, next * nIn);
  }

  /** Brings {@code session} in step with this window: reset, then every slot oldest-first (zero bins included). */
  public void replayInto(OnlineInference session) {
    session.reset();
    for (int t = 0; t < tEnc; t++) {
      int slot = next + t < tEnc ? next + t : next + t - tEnc;
      session.pushBin(ring, slot * nIn);
    }
  }

  /** All zeros again, as before the first bin. */
  public void clear() {
    java.util.Arrays.fill(ring, (byte) 0);
    next = 0;
    filled = 0;
  }
}
