package org.lfadsrt.sim.synth;

import java.io.IOException;
import java.nio.file.Path;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpyFormatException;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.io.NpzWriter;

/**
 * The {@code .npz} form of a synthetic recording, as written by {@code lfads-rt synth} and read by
 * {@code sim/python/train_demo.py}:
 * <ul>
 *   <li>{@code spikes}: int32 (trials, T, N) spike counts;</li>
 *   <li>{@code rates}: float64 (trials, T, N) ground-truth <b>expected spike counts per bin</b>
 *       (Hz x bin width in seconds), the scale of LFADS's {@code exp(logrates)};</li>
 *   <li>{@code latents}: float64 (trials, T, 3) z-scored Lorenz coordinates (optional on read).</li>
 * </ul>
 */
public final class RecordingFiles {

  private RecordingFiles() {}

  public static void write(Path path, SyntheticRecording rec) throws IOException {
    try (NpzWriter w = NpzWriter.create(path)) {
      write(w, rec);
    }
  }

  public static void write(NpzWriter w, SyntheticRecording rec) throws IOException {
    int trials = rec.trials();
    int bins = rec.bins();
    int n = rec.neurons();
    long[] spikes = new long[trials * bins * n];
    double[] rates = new double[trials * bins * n];
    double[] latents = new double[trials * bins * 3];
    int i = 0;
    int j = 0;
    for (int tr = 0; tr < trials; tr++) {
      for (int t = 0; t < bins; t++) {
        for (int k = 0; k < n; k++, i++) {
          spikes[i] = rec.spikes()[tr][t][k];
          rates[i] = rec.rates()[tr][t][k];
        }
        for (int k = 0; k < 3; k++, j++) latents[j] = rec.latents()[tr][t][k];
      }
    }
    w.put("spikes", NdArray.ofLongs(NdArray.DType.I4, spikes, trials, bins, n));
    w.put("rates", NdArray.ofDoubles(rates, trials, bins, n));
    w.put("latents", NdArray.ofDoubles(latents, trials, bins, 3));
  }

  /**
   * Reads a recording; {@code config()} of the result is null (a file does not say how it was made)
   * and {@code latents()} is null when the archive has none.
   */
  public static SyntheticRecording read(NpzReader npz) throws IOException {
    NdArray spikes = npz.array("spikes");
    if (spikes.ndim() != 3 || spikes.isFloating()) {
      throw new NpyFormatException(npz.sourceName() + ": 'spikes' must be an integer array (trials, T, N), found "
          + spikes.dtype().descr() + " " + spikes.shapeString());
    }
    int trials = spikes.dim(0);
    int bins = spikes.dim(1);
    int n = spikes.dim(2);
    NdArray rates = npz.array("rates");
    expectShape(npz, "rates", rates, trials, bins, n);
    NdArray latents = npz.hasArray("latents") ? npz.array("latents") : null;
    if (latents != null) expectShape(npz, "latents", latents, trials, bins, 3);

    int[][][] s = new int[trials][bins][n];
    double[][][] r = new double[trials][bins][n];
    double[][][] z = latents == null ? null : new double[trials][bins][3];
    int i = 0;
    int j = 0;
    for (int tr = 0; tr < trials; tr++) {
      for (int t = 0; t < bins; t++) {
        for (int k = 0; k < n; k++, i++) {
          long c = spikes.getLong(i);
          if (c < 0 || c > Integer.MAX_VALUE) {
            throw new NpyFormatException(npz.sourceName() + ": 'spikes' holds " + c + " at trial " + tr
                + ", bin " + t + ", neuron " + k + "; counts must be >= 0");
          }
          s[tr][t][k] = (int) c;
          r[tr][t][k] = rates.getDouble(i);
        }
        if (z != null) {
          for (int k = 0; k < 3; k++, j++) z[tr][t][k] = latents.getDouble(j);
        }
      }
    }
    return new SyntheticRecording(null, s, r, z);
  }

  private static void expectShape(NpzReader npz, String name, NdArray a, int... shape) throws NpyFormatException {
    if (!java.util.Arrays.equals(a.shape(), shape) || !a.isFloating()) {
      throw new NpyFormatException(npz.sourceName() + ": '" + name + "' must be a float array of shape "
          + NdArray.shapeString(shape) + ", found " + a.dtype().descr() + " " + a.shapeString());
    }
  }
}
