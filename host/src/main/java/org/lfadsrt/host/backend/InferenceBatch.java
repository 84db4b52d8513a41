package org.lfadsrt.host.backend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

/**
 * Preallocated input and output buffers for up to {@code capacity} trials; reused for every call so
 * the hot path allocates nothing. Buffers are direct (off-heap) so native backends pass their
 * addresses without copying.
 *
 * <pre>
 * spikes     : capacity x T_enc x N_in   uint8 counts (0..255), trial-major, then bin, then channel
 * rawOutputs : capacity x T_rec x (fac_dim + n_out) int32 little-endian kernel words (fixed backends)
 * factors    : capacity x T_rec x fac_dim  decoded doubles
 * logrates   : capacity x T_rec x n_out    decoded doubles
 * </pre>
 */
public final class InferenceBatch {
  private final ModelShape shape;
  private final int capacity;
  private final ByteBuffer spikes;
  private final IntBuffer rawOutputs;
  private final ByteBuffer rawOutputBytes;
  private final double[] factors;
  private final double[] logrates;
  private int trials;

  public InferenceBatch(ModelShape shape, int capacity) {
    if (capacity <= 0) throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
    this.shape = shape;
    this.capacity = capacity;
    this.spikes = ByteBuffer.allocateDirect(capacity * shape.spikeBytesPerTrial());
    this.rawOutputBytes =
        ByteBuffer.allocateDirect(capacity * shape.outputWordsPerTrial() * 4).order(ByteOrder.LITTLE_ENDIAN);
    this.rawOutputs = rawOutputBytes.asIntBuffer();
    this.factors = new double[capacity * shape.tRec() * shape.facDim()];
    this.logrates = new double[capacity * shape.tRec() * shape.nOut()];
    this.trials = capacity;
  }

  public ModelShape shape() { return shape; }
  public int capacity() { return capacity; }
  public int trials() { return trials; }

  /** Sets how many trials the next {@link InferenceBackend#infer} call processes (1..capacity). */
  public void trials(int n) {
    if (n < 1 || n > capacity) {
      throw new IllegalArgumentException("trials must be in 1.." + capacity + ", got " + n);
    }
    trials = n;
  }

  public ByteBuffer spikes() { return spikes; }
  public IntBuffer rawOutputs() { return rawOutputs; }
  public ByteBuffer rawOutputBytes() { return rawOutputBytes; }
  public double[] factors() { return factors; }
  public double[] logrates() { return logrates; }

  /**
   * Refuses a batch of another shape than the backend's: {@code whose} names what the backend runs ("model's",
   * "kernel image's", ...) in the error.
   */
  public void requireShape(ModelShape expected, String whose) throws BackendException {
    if (!shape.equals(expected)) {
      throw new BackendException(BackendException.Kind.INVALID_INPUT,
          "batch shape " + shape + " does not match the " + whose + " " + expected);
    }
  }

  /** {@link #requireShape} for an online window, which is one trial: the batch must be set to one trial. */
  public void requireOneTrial(ModelShape expected, String whose) throws BackendException {
    requireShape(expected, whose);
    if (trials != 1) {
      throw new BackendException(BackendException.Kind.INVALID_INPUT,
          "an online window is one trial, the batch is set to " + trials);
    }
  }

  /**
   * Copies trial {@code trial}'s uint8 counts into {@code counts} (T_enc x N_in ints, bin-major), for backends that
   * compute on ints; allocates nothing.
   */
  public void trialCounts(int trial, int[] counts) {
    int perTrial = shape.spikeBytesPerTrial();
    if (counts.length != perTrial) {
      throw new IllegalArgumentException("counts holds " + counts.length + " ints, a trial " + perTrial);
    }
    int base = trial * perTrial;
    for (int i = 0; i < perTrial; i++) counts[i] = spikes.get(base + i) & 0xFF;
  }

  /** Sets one spike count; counts above 255 must be saturated by the caller (and counted). */
  public void spike(int trial, int bin, int channel, int count) {
    spikes.put((trial * shape.tEnc() + bin) * shape.nIn() + channel, (byte) count);
  }

  public double factor(int trial, int step, int k) {
    return factors[(trial * shape.tRec() + step) * shape.facDim() + k];
  }

  public double lograte(int trial, int step, int ch) {
    return logrates[(trial * shape.tRec() + step) * shape.nOut() + ch];
  }
}
