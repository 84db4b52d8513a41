package org.lfadsrt.host.backend;

import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.FloatOnlineWindow;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;

/**
 * The {@code float} backend: the double-precision Java reference ({@link FloatLfads}), trial by
 * trial. Reads the batch's uint8 counts into one reused int buffer; allocates nothing per call.
 */
public final class FloatBackend implements InferenceBackend {
  public static final String NAME = "float";

  private final FloatLfads lfads;
  private final ModelShape shape;
  private final int[] counts;

  public FloatBackend(LfadsModel model) {
    this.lfads = new FloatLfads(model);
    this.shape = shapeOf(model.config());
    this.counts = new int[shape.tEnc() * shape.nIn()];
  }

  /** The backend-facing dimensions of a model. */
  public static ModelShape shapeOf(LfadsConfig c) {
    return new ModelShape(c.encodDataDim(), c.encodSeqLen(), c.reconSeqLen(), c.facDim(), c.readoutDim());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ModelShape shape() {
    return shape;
  }

  @Override
  public void infer(InferenceBatch batch) throws BackendException {
    batch.requireShape(shape, "model's");
    int facPerTrial = shape.tRec() * shape.facDim();
    int lrPerTrial = shape.tRec() * shape.nOut();
    for (int trial = 0; trial < batch.trials(); trial++) {
      batch.trialCounts(trial, counts);
      lfads.inferInto(counts, 0, batch.factors(), trial * facPerTrial, batch.logrates(), trial * lrPerTrial);
    }
  }

  /** Online sessions reuse each bin's encoder input projections; results equal {@link #infer} on the same window. */
  @Override
  public OnlineInference openOnline() {
    FloatOnlineWindow window = new FloatOnlineWindow(lfads);
    int[] bin = new int[shape.nIn()];
    return new OnlineInference() {
      @Override
      public void pushBin(byte[] counts, int off) {
        for (int c = 0; c < bin.length; c++) bin[c] = counts[off + c] & 0xFF;
        window.pushBin(bin);
      }

      @Override
      public void inferWindow(InferenceBatch batch) throws BackendException {
        batch.requireOneTrial(shape, "model's");
        window.inferInto(batch.factors(), 0, batch.logrates(), 0);
      }

      @Override
      public void reset() {
        window.reset();
      }
    };
  }

  @Override
  public void close() {}
}
