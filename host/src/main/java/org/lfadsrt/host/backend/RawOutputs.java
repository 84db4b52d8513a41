package org.lfadsrt.host.backend;

import java.nio.ByteBuffer;

/**
 * Decodes kernel output words (docs/kernel-numerics.md §8) into a batch's doubles: per trial and step,
 * {@code fac_dim} factor words (format (W, F_fac)) then {@code n_out} log-rate words (W, F_lr), each a
 * sign-extended little-endian int32. {@code value = q * 2^-F}, exact in double.
 */
final class RawOutputs {
  private final ModelShape shape;
  private final double factorScale;
  private final double lograteScale;

  RawOutputs(ModelShape shape, int fracFactor, int fracLograte) {
    this.shape = shape;
    this.factorScale = Math.scalb(1.0, -fracFactor);
    this.lograteScale = Math.scalb(1.0, -fracLograte);
  }

  /** Fills {@code batch.factors()} and {@code batch.logrates()} from {@code batch.rawOutputBytes()}. */
  void decode(InferenceBatch batch) {
    ByteBuffer raw = batch.rawOutputBytes();
    double[] factors = batch.factors(), logrates = batch.logrates();
    int fac = shape.facDim(), nOut = shape.nOut(), steps = batch.trials() * shape.tRec();
    int word = 0;
    for (int s = 0; s < steps; s++) {
      for (int k = 0; k < fac; k++, word++) factors[s * fac + k] = raw.getInt(4 * word) * factorScale;
      for (int n = 0; n < nOut; n++, word++) logrates[s * nOut + n] = raw.getInt(4 * word) * lograteScale;
    }
  }

  /**
   * Step {@code step} of trial 0 from {@code fac + n_out} words at byte {@code from} of {@code words} (little-endian):
   * copied into the batch's raw words and decoded into its doubles; the other steps are left as they are.
   */
  void decodeStep(InferenceBatch batch, int step, ByteBuffer words, int from) {
    ByteBuffer raw = batch.rawOutputBytes();
    double[] factors = batch.factors(), logrates = batch.logrates();
    int fac = shape.facDim(), nOut = shape.nOut(), base = step * (fac + nOut);
    for (int k = 0; k < fac; k++) {
      int q = words.getInt(from + 4 * k);
      raw.putInt(4 * (base + k), q);
      factors[step * fac + k] = q * factorScale;
    }
    for (int n = 0; n < nOut; n++) {
      int q = words.getInt(from + 4 * (fac + n));
      raw.putInt(4 * (base + fac + n), q);
      logrates[step * nOut + n] = q * lograteScale;
    }
  }
}
