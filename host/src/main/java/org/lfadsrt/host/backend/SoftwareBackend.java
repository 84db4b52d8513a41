package org.lfadsrt.host.backend;

import java.nio.ByteBuffer;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * Backend {@code software}: the Java bit-accurate model ({@link FixedLfads}) running the same kernel image
 * the hardware would, so its raw outputs are the reference the {@code emu} and {@code xrt} backends must
 * match bit for bit. Allocation-free per call: one reused spike matrix and one reused {@link FixedOutput}.
 */
public final class SoftwareBackend implements InferenceBackend {
  public static final String NAME = "software";

  private final FixedLfads model;
  private final ModelShape shape;
  private final int[][] spikes;
  private final FixedOutput out;
  private final RawOutputs decoder;

  public SoftwareBackend(KernelImage image) {
    this.model = new FixedLfads(image);
    this.shape = new ModelShape(image.nIn(), image.tEnc(), image.tRec(), image.facDim(), image.nOut());
    this.spikes = new int[image.tEnc()][image.nIn()];
    this.out = FixedOutput.forImage(image);
    this.decoder = new RawOutputs(shape, image.fracFac(), image.fracLograte());
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
  public boolean producesRawOutputs() {
    return true;
  }

  @Override
  public void infer(InferenceBatch batch) throws BackendException {
    if (!batch.shape().equals(shape)) {
      throw new BackendException(BackendException.Kind.INVALID_INPUT,
          "batch shape " + batch.shape() + " does not match the loaded kernel image " + shape);
    }
    ByteBuffer in = batch.spikes();
    ByteBuffer raw = batch.rawOutputBytes();
    int nIn = shape.nIn(), tEnc = shape.tEnc(), tRec = shape.tRec(), fac = shape.facDim(), nOut = shape.nOut();
    int word = 0;
    for (int trial = 0; trial < batch.trials(); trial++) {
      int base = trial * shape.spikeBytesPerTrial();
      for (int t = 0; t < tEnc; t++) {
        int[] row = spikes[t];
        for (int i = 0; i < nIn; i++) row[i] = in.get(base + t * nIn + i) & 0xFF;
      }
      model.run(spikes, out, null);
      for (int t = 0; t < tRec; t++) {
        for (int k = 0; k < fac; k++, word++) raw.putInt(4 * word, out.factors[t * fac + k]);
        for (int n = 0; n < nOut; n++, word++) raw.putInt(4 * word, out.logrates[t * nOut + n]);
      }
    }
    decoder.decode(batch);
  }

  @Override
  public void close() {
    // heap only
  }
}
