package org.lfadsrt.host.backend;

import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.FloatOnlineWindow;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;

/**
 * The {@code float} backend: the double-precision Java reference ({@link FloatLfads}), trial by
 * trial ({@link TrialByTrialBackend}: the shape check and the uint8 -> int copy); allocates nothing per call.
 */
public final class FloatBackend extends TrialByTrialBackend {
  public static final String NAME = "float";

  private final FloatLfads lfads;

  public FloatBackend(LfadsModel model) {
    super(NAME, shapeOf(model.config()), "model's");
    this.lfads = new FloatLfads(model);
  }

  /** The backend-facing dimensions of a model. */
  public static ModelShape shapeOf(LfadsConfig c) {
    return new ModelShape(c.encodDataDim(), c.encodSeqLen(), c.reconSeqLen(), c.facDim(), c.readoutDim());
  }

  @Override
  protected void inferTrial(int[] counts, int trial, InferenceBatch batch) {
    int facPerTrial = shape.tRec() * shape.facDim(), lrPerTrial = shape.tRec() * shape.nOut();
    lfads.inferInto(counts, 0, batch.factors(), trial * facPerTrial, batch.logrates(), trial * lrPerTrial);
  }

  /** Online sessions reuse each bin's encoder input projections; results equal {@link #infer} on the same window. */
  @Override
  public OnlineInference openOnline() {
    FloatOnlineWindow window = new FloatOnlineWindow(lfads);
    return new RingSession(window) {
      @Override
      protected void inferRing(InferenceBatch batch) {
        window.inferInto(batch.factors(), 0, batch.logrates(), 0);
      }
    };
  }

  @Override
  public void close() {}
}
