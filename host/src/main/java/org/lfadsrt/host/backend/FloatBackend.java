package org.lfadsrt.host.backend;

import java.nio.ByteBuffer;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;

/**
 * Backend {@code float}: the Java double-precision reference model ({@link FloatLfads}). Allocation-free
 * per call: spike bytes are widened into one reused int buffer and {@link FloatLfads#inferInto} writes
 * straight into the batch's output arrays.
 */
public final class FloatBackend implements InferenceBackend {
  public static final String NAME = "float";

  private final FloatLfads model;
  private final ModelShape shape;
  private int[] widened = new int[0];

  public FloatBackend(LfadsModel model) {
    this.model = new FloatLfads(model);
    LfadsConfig c = model.config();
    this.shape = new ModelShape(c.encodDataDim(), c.encodSeqLen(), c.reconSeqLen(), c.facDim(), c.readoutDim());
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
    if (!batch.shape().equals(shape)) {
      throw new BackendException(BackendException.Kind.INVALID_INPUT,
          "batch shape " + batch.shape() + " does not match the loaded model " + shape);
    }
    int perTrial = shape.spikeBytesPerTrial();
    int n = batch.trials() * perTrial;
    if (widened.length < batch.capacity() * perTrial) widened = new int[batch.capacity() * perTrial]; // once per batch size
    ByteBuffer spikes = batch.spikes();
    for (int i = 0; i < n; i++) widened[i] = spikes.get(i) & 0xFF;
    int facStride = shape.tRec() * shape.facDim();
    int rateStride = shape.tRec() * shape.nOut();
    for (int t = 0; t < batch.trials(); t++) {
      model.inferInto(widened, t * perTrial, batch.factors(), t * facStride, batch.logrates(), t * rateStride);
    }
  }

  @Override
  public void close() {
    // nothing held outside the heap
  }
}
