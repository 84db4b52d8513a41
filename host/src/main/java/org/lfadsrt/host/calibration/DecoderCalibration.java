package org.lfadsrt.host.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.source.NwbRecording;
import org.lfadsrt.host.source.NwbReplaySource;
import org.lfadsrt.host.source.SpikeSource;

/**
 * Fits the behaviour decoder: replays a recording through the same online pipeline the live system runs
 * (so the decoder sees exactly the factors it will see live), pairs each bin's newest factors with the
 * behaviour at the bin's end (+ lag) and fits ridge regression ({@link RidgeDecoder#fit}).
 *
 * <p>It sits above {@code pipeline} and {@code source} and beside {@code decoder} rather than inside it:
 * the pipeline applies a {@link RidgeDecoder}, so calibration in the decoder package would make the two
 * depend on each other.
 */
public final class DecoderCalibration {
  private DecoderCalibration() {}

  /** A fitted decoder with its R² on the fit data and on the last 20 % held out. */
  public record Fit(RidgeDecoder decoder, int bins, double r2Fit, double r2HeldOut) {}

  /**
   * Replays {@code recording} through an online pipeline on {@code backend} and fits the ridge decoder
   * (shared by the {@code calibrate} command and the live CONTROL calibrate operation).
   *
   * @throws IllegalArgumentException when the recording does not fit the model or overlaps the behaviour too little
   */
  public static Fit fit(InferenceBackend backend, Path recording, String behavior, double lambda, double lagMillis, int[] units,
      long w) throws java.io.IOException, InterruptedException {
    return fit(backend, recording, behavior, lambda, lagMillis, units, null, w);
  }

  /** @param unitsTable the Units table's path, or null to find the only one */
  public static Fit fit(InferenceBackend backend, Path recording, String behavior, double lambda, double lagMillis, int[] units,
      String unitsTable, long w) throws java.io.IOException, InterruptedException {
    NwbRecording rec = NwbRecording.open(recording, units, unitsTable);
    NwbRecording.Behaviour beh = NwbRecording.readBehaviour(recording, behavior);
    List<double[]> features = new ArrayList<>();
    List<double[]> targets = new ArrayList<>();
    int facDim = backend.shape().facDim();
    try (NwbReplaySource src = new NwbReplaySource(rec, w, false)) {
      if (src.info().channelCount() != backend.shape().nIn()) {
        throw new IllegalArgumentException(recording + " has " + src.info().channelCount()
            + " selected units (Units table /" + rec.unitsTable() + ") but the model expects N_in = " + backend.shape().nIn()
            + ": choose " + backend.shape().nIn() + " unit rows with --units ROW,ROW,...");
      }
      double t0 = src.t0(), binSeconds = w / 1e9, lag = lagMillis / 1e3;
      Pipeline p = new Pipeline(backend, Mode.ONLINE, null, r -> {
        if ((r.flags & BinResult.FLAG_WINDOW_PARTIAL) != 0) return;
        double t = t0 + (r.binIndex + 1) * binSeconds + lag;
        double[] y = interpolate(beh, t);
        if (y == null) return;
        double[] f = new double[r.factors.length];
        for (int k = 0; k < f.length; k++) f[k] = r.factors[k];
        features.add(f);
        targets.add(y);
      }, new PipelineStats());
      int[] counts = new int[src.info().channelCount()];
      int flags;
      while ((flags = src.next(counts)) != SpikeSource.END_OF_STREAM) p.onEvent(flags, counts, src.binIndex(), System.nanoTime());
    }
    int n = features.size();
    int dims = beh.data()[0].length;
    if (n < 2 * facDim) {
      throw new IllegalArgumentException(recording + ": only " + n + " bins overlap the behaviour " + behavior
          + " (need at least " + 2 * facDim + ")");
    }
    List<String> names = new ArrayList<>();
    String base = behavior.substring(behavior.lastIndexOf('/') + 1);
    for (int d = 0; d < dims; d++) names.add(dims <= 3 ? base + "_" + "xyz".charAt(d) : base + "_" + d);
    int split = (int) (n * 0.8);
    RidgeDecoder holdout = RidgeDecoder.fit(features.subList(0, split).toArray(double[][]::new),
        targets.subList(0, split).toArray(double[][]::new), lambda, names, (int) Math.round(lagMillis * 1e6 / w));
    double r2Held = r2(holdout, features.subList(split, n), targets.subList(split, n));
    RidgeDecoder decoder = RidgeDecoder.fit(features.toArray(double[][]::new), targets.toArray(double[][]::new), lambda,
        names, (int) Math.round(lagMillis * 1e6 / w));
    return new Fit(decoder, n, r2(decoder, features, targets), r2Held);
  }

  /** Linear interpolation of the behaviour at time t; null outside its time range. */
  public static double[] interpolate(NwbRecording.Behaviour b, double t) {
    double[] ts = b.timestamps();
    if (ts.length == 0 || t < ts[0] || t > ts[ts.length - 1]) return null;
    int hi = java.util.Arrays.binarySearch(ts, t);
    if (hi >= 0) return b.data()[hi].clone();
    hi = -hi - 1;
    int lo = hi - 1;
    double a = (t - ts[lo]) / (ts[hi] - ts[lo]);
    double[] y = new double[b.data()[lo].length];
    for (int d = 0; d < y.length; d++) y[d] = (1 - a) * b.data()[lo][d] + a * b.data()[hi][d];
    return y;
  }

  /** Mean over outputs of the coefficient of determination. */
  public static double r2(RidgeDecoder d, List<double[]> x, List<double[]> y) {
    int q = d.outputDim();
    double total = 0;
    double[] pred = new double[q];
    for (int k = 0; k < q; k++) {
      double mean = 0;
      for (double[] row : y) mean += row[k] / y.size();
      double ssRes = 0, ssTot = 0;
      for (int i = 0; i < x.size(); i++) {
        d.apply(x.get(i), pred);
        ssRes += (y.get(i)[k] - pred[k]) * (y.get(i)[k] - pred[k]);
        ssTot += (y.get(i)[k] - mean) * (y.get(i)[k] - mean);
      }
      total += ssTot == 0 ? 0 : 1 - ssRes / ssTot;
    }
    return total / q;
  }
}
