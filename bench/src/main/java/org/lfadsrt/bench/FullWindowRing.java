package org.lfadsrt.bench;

import org.lfadsrt.host.backend.InferenceBatch;

/**
 * Online mode without reuse: the last T_enc bins kept in a ring and copied oldest-first into trial 0 of a batch, so
 * that {@code InferenceBackend.infer} recomputes the whole window ending at the newest bin.
 */
final class FullWindowRing {
  private final byte[] ring;
  private final int tEnc, nIn;
  private int next;

  FullWindowRing(int tEnc, int nIn) {
    this.ring = new byte[tEnc * nIn];
    this.tEnc = tEnc;
    this.nIn = nIn;
  }

  /** Adds the bin at {@code stream[off .. off + nIn)} and writes the window ending at it into the batch's spikes. */
  void push(byte[] stream, int off, InferenceBatch batch) {
    System.arraycopy(stream, off, ring, next * nIn, nIn);
    next = next + 1 == tEnc ? 0 : next + 1;
    int tail = (tEnc - next) * nIn;
    batch.spikes().put(0, ring, next * nIn, tail);
    batch.spikes().put(tail, ring, 0, next * nIn);
  }
}
