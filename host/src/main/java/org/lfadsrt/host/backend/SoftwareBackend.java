package org.lfadsrt.host.backend;

import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOnlineWindow;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsModel;

/**
 * Backend {@code software}: the bit-accurate Java model of the FPGA kernel ({@link FixedLfads}) running a
 * {@link KernelImage}, the same image the hardware would run, so its raw outputs are the reference the {@code emu}
 * and {@code xrt} backends must match bit for bit (and the fallback of {@link FailoverBackend}). Fills both the raw
 * kernel words ({@link InferenceBatch#rawOutputs()}, exactly what the card would return) and the decoded doubles.
 * Reuses its buffers; allocates nothing per call.
 *
 * <p>{@code fixed} is another name for it ({@link #ALIAS}, accepted wherever a backend is named, for scripts written
 * before the two were one); it reports itself as {@code software}.
 */
public class SoftwareBackend extends TrialByTrialBackend {
  public static final String NAME = "software";
  /** The other name {@code --backend} accepts for this backend. */
  public static final String ALIAS = "fixed";

  private final KernelImage image;
  private final FixedLfads lfads;
  private final FixedOutput out;
  private final int[] words;

  public SoftwareBackend(KernelImage image) {
    super(NAME, new ModelShape(image.nIn(), image.tEnc(), image.tRec(), image.facDim(), image.nOut()),
        "kernel image's");
    this.image = image;
    this.lfads = new FixedLfads(image, FixedLfads.Accumulation.fastestFor(image));
    this.out = FixedOutput.forImage(image);
    this.words = new int[out.deviceWords()];
  }

  /** Quantizes {@code model} at 16 bits, calibrated on {@code calibration} (trials x T_enc x N_in counts). */
  public static SoftwareBackend quantized(LfadsModel model, int[][][] calibration) {
    return new SoftwareBackend(Quantizer.quantize(model, calibration, Quantizer.Options.defaults().withBits(16)).image());
  }

  public KernelImage image() {
    return image;
  }

  /** The model's saturation and clip counters since creation (see FixedLfads.Site). */
  public java.util.Map<String, Long> saturations() {
    return lfads.counters();
  }

  @Override
  public boolean producesRawOutputs() {
    return true;
  }

  @Override
  protected void inferTrial(int[] counts, int trial, InferenceBatch batch) {
    lfads.run(counts, 0, out, null);
    emit(trial, batch);
  }

  /** Copies {@code out} into trial {@code trial} of the batch: raw kernel words and decoded doubles. */
  private void emit(int trial, InferenceBatch batch) {
    int facPer = shape.tRec() * shape.facDim(), lrPer = shape.tRec() * shape.nOut();
    double[] factors = batch.factors(), logrates = batch.logrates();
    double facScale = Math.scalb(1.0, -image.fracFac()), lrScale = Math.scalb(1.0, -image.fracLograte());
    out.toDeviceWords(words, 0);
    batch.rawOutputs().put(trial * words.length, words);
    for (int i = 0; i < facPer; i++) factors[trial * facPer + i] = out.factors[i] * facScale;
    for (int i = 0; i < lrPer; i++) logrates[trial * lrPer + i] = out.logrates[i] * lrScale;
  }

  /** Online sessions reuse each bin's encoder input projections (exact integer partial sums): same bits as {@link #infer}. */
  @Override
  public OnlineInference openOnline() {
    return new Online(new FixedOnlineWindow(lfads));
  }

  private final class Online extends RingSession {
    private final FixedOnlineWindow window;

    Online(FixedOnlineWindow window) {
      super(window);
      this.window = window;
    }

    @Override
    protected void inferRing(InferenceBatch batch) {
      window.infer(out);
      emit(0, batch);
    }
  }

  @Override
  public void close() {}
}
