package org.lfadsrt.host.backend;

/**
 * A backend that computes in Java, one trial at a time, on int counts ({@link FloatBackend}, {@link SoftwareBackend}):
 * the batch's shape check, the per-trial uint8 -> int copy into one reused buffer and the loop over the batch's
 * trials are kept here once; a subclass says what one trial is. Allocates nothing per call.
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

  /** The one-trial check of an online window of this backend. */
  final void requireOneTrial(InferenceBatch batch) throws BackendException {
    batch.requireOneTrial(shape, whose);
  }
}
