package org.lfadsrt.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

/**
 * One golden model and its spike trials ({@code GOLDEN_DIR/NAME/model.npz} and {@code golden.npz}, e.g. {@code paper},
 * {@code mc_maze}), with the inputs every benchmark builds from them: the trials as one flat stream, bin-major, as
 * stored or clipped to the byte range the online wire format carries, and the 16-bit kernel image quantized on them.
 * The benchmarks differ in what they time, not in how they load it.
 */
final class GoldenFixture {
  /** Relative to the repository root, where the scripts run the benchmarks from. */
  static final String DEFAULT_DIR = "sim/src/test/resources/golden";

  final String name;
  final LfadsModel model;
  final LfadsConfig config;
  /** Number of trials, bins per trial (T_enc) and input channels per bin. */
  final int trials, tEnc, nIn;
  private final NdArray spikes;

  private GoldenFixture(String name, LfadsModel model, NdArray spikes) {
    this.name = name;
    this.model = model;
    this.config = model.config();
    this.spikes = spikes;
    this.trials = spikes.dim(0);
    this.tEnc = config.encodSeqLen();
    this.nIn = config.encodDataDim();
  }

  static GoldenFixture load(Path goldenDir, String name) throws IOException {
    Path dir = goldenDir.resolve(name);
    return new GoldenFixture(name, ModelFile.load(dir.resolve("model.npz")),
        NpzReader.open(dir.resolve("golden.npz")).array("spikes"));
  }

  static GoldenFixture load(String goldenDir, String name) throws IOException {
    return load(Path.of(goldenDir), name);
  }

  /** Inputs of one trial (T_enc bins of nIn channels). */
  int trialLength() {
    return tEnc * nIn;
  }

  /** Bins in the stream of all trials one after another. */
  int streamBins() {
    return trials * tEnc;
  }

  /** All trials' spike counts as stored, trial-major then bin-major. */
  int[] counts() {
    int[] flat = new int[trials * trialLength()];
    for (int i = 0; i < flat.length; i++) flat[i] = (int) spikes.getLong(i);
    return flat;
  }

  /** {@link #counts()} clipped to 255: what the online path's byte-per-channel bins carry. */
  int[] byteRangeCounts() {
    int[] flat = new int[trials * trialLength()];
    for (int i = 0; i < flat.length; i++) flat[i] = (int) Math.min(255, spikes.getLong(i));
    return flat;
  }

  /** Counts already in 0..255 as the bytes of the online wire format. */
  static byte[] asBytes(int[] counts) {
    byte[] b = new byte[counts.length];
    for (int i = 0; i < counts.length; i++) b[i] = (byte) counts[i];
    return b;
  }

  /** The flat stream split per trial. */
  int[][] perTrial(int[] flat) {
    int per = trialLength();
    int[][] t = new int[trials][per];
    for (int i = 0; i < trials; i++) System.arraycopy(flat, i * per, t[i], 0, per);
    return t;
  }

  /** The 16-bit kernel image quantized with the flat stream (trials x bins x channels) as calibration data. */
  KernelImage image16(int[] flat) {
    int[][][] calib = new int[trials][tEnc][nIn];
    for (int i = 0; i < flat.length; i++) calib[i / (tEnc * nIn)][(i / nIn) % tEnc][i % nIn] = flat[i];
    return Quantizer.quantize(model, calib, 16);
  }

  /** Output buffers of one trial for FloatLfads.inferInto. */
  double[] factorBuffer() {
    return new double[config.reconSeqLen() * config.facDim()];
  }

  double[] lograteBuffer() {
    return new double[config.reconSeqLen() * config.readoutDim()];
  }
}
