package org.lfadsrt.host.backend;

import org.lfadsrt.sim.model.BinRing;

/**
 * A backend that computes in Java, one trial at a time, on int counts ({@link FloatBackend}, {@link SoftwareBackend}):
 * the batch's shape check, the per-trial uint8 -> int copy into one reused buffer and the loop over the batch's
 * trials are kept here once, and so is the online session over sim's bin rings ({@link RingSession}); a subclass says
 * what one trial is and how its ring infers a window. Allocates nothing per call.
 */
abstract class TrialByTrialBackend implements InferenceBackend {
  private final String name;
  private final String whose;
  private final int[] counts;
  protected final ModelShape shape;

  /** @param whose what the backend runs, for the shape error ("model's", "kernel image's") */
  TrialByTrialBackend(String name, ModelShape shape, String whose) {
    this.name = name;
    this.shape = shape;
    this.whose = whose;
    this.counts = new int[shape.spikeBytesPerTrial()];
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final ModelShape shape() {
    return shape;
  }

  @Override
  public final void infer(InferenceBatch batch) throws BackendException {
    batch.requireShape(shape, whose);
    for (int trial = 0; trial < batch.trials(); trial++) {
      batch.trialCounts(trial, counts);
      inferTrial(counts, trial, batch);
    }
  }

  /** Infers one trial's counts (T_enc x N_in, bin-major) into trial {@code trial} of {@code batch}'s outputs. */
  protected abstract void inferTrial(int[] counts, int trial, InferenceBatch batch);

  /**
   * An online session over one of sim's bin rings (FloatOnlineWindow, FixedOnlineWindow): each bin's uint8 counts
   * enter the ring as ints through one reused buffer; a subclass says how the window is inferred into the batch.
   */
  abstract class RingSession implements OnlineInference {
    private final BinRing ring;
    private final int[] bin = new int[shape.nIn()];

    RingSession(BinRing ring) {
      this.ring = ring;
    }

    @Override
    public final void pushBin(byte[] counts, int off) {
      for (int c = 0; c < bin.length; c++) bin[c] = counts[off + c] & 0xFF;
      ring.pushBin(bin);
    }

    @Override
    public final void inferWindow(InferenceBatch batch) throws BackendException {
      batch.requireOneTrial(shape, whose);
      inferRing(batch);
    }

    /** Infers the ring's window into trial 0 of {@code batch} (checked to be set to one trial of this shape). */
    protected abstract void inferRing(InferenceBatch batch);

    @Override
    public final void reset() {
      ring.reset();
    }
  }
}
