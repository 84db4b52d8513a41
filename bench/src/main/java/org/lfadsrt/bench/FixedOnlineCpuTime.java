package org.lfadsrt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOnlineWindow;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

/**
 * Thread CPU time per online bin of the bit-accurate model (push one bin into a {@link FixedOnlineWindow}, infer the
 * window ending at it) with the reference loops ({@code LONG}: 64-bit integer products, the step as the spec reads)
 * and the fast ones ({@code EXACT_DOUBLE}: vectorised exact double products, the tightened step), interleaved bin by
 * bin with alternating order so that a loaded machine hits both alike. Every bin's factors and log-rates are checked
 * equal word for word. 16-bit image quantized on the golden trials, bins streamed from them.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.lfadsrt.bench.FixedOnlineCpuTime GOLDEN_DIR BINS MODEL...}
 * (scripts/bench-fixed-online.sh); prints one JSON object: median, p90 and p99 in µs per mode and model.
 */
public final class FixedOnlineCpuTime {
  private FixedOnlineCpuTime() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int bins = Integer.parseInt(args[1]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder json = new StringBuilder("{");
    for (int a = 2; a < args.length; a++) {
      String name = args[a];
      LfadsModel m = ModelFile.load(dir.resolve(name).resolve("model.npz"));
      LfadsConfig c = m.config();
      NdArray spikes = NpzReader.open(dir.resolve(name).resolve("golden.npz")).array("spikes");
      int tEnc = c.encodSeqLen(), nIn = c.encodDataDim(), n = spikes.dim(0), nBins = n * tEnc;
      int[] stream = new int[nBins * nIn];
      int[][][] calib = new int[n][tEnc][nIn];
      for (int i = 0; i < stream.length; i++) {
        int v = (int) Math.min(255, spikes.getLong(i));
        stream[i] = v;
        calib[i / (tEnc * nIn)][(i / nIn) % tEnc][i % nIn] = v;
      }
      KernelImage img = Quantizer.quantize(m, calib, 16);
      FixedOnlineWindow ref = new FixedOnlineWindow(new FixedLfads(img, FixedLfads.Accumulation.LONG));
      FixedOnlineWindow fast = new FixedOnlineWindow(new FixedLfads(img, FixedLfads.Accumulation.EXACT_DOUBLE));
      FixedOutput refOut = FixedOutput.forImage(img), fastOut = FixedOutput.forImage(img);
      double[][] cpu = new double[2][bins];
      int next = 0;
      long warmEnd = System.nanoTime() + 4_000_000_000L;
      for (int j = -1; j < bins; j++) {
        if (j < 0 && System.nanoTime() < warmEnd) j = -2; // warm-up until the deadline, then measure
        int off = next * nIn;
        next = next + 1 == nBins ? 0 : next + 1;
        long c0, c1, c2;
        if ((next & 1) == 0) {
          c0 = mx.getCurrentThreadCpuTime();
          bin(ref, stream, off, refOut);
          c1 = mx.getCurrentThreadCpuTime();
          bin(fast, stream, off, fastOut);
          c2 = mx.getCurrentThreadCpuTime();
          if (j >= 0) {
            cpu[0][j] = (c1 - c0) / 1e3;
            cpu[1][j] = (c2 - c1) / 1e3;
          }
        } else {
          c0 = mx.getCurrentThreadCpuTime();
          bin(fast, stream, off, fastOut);
          c1 = mx.getCurrentThreadCpuTime();
          bin(ref, stream, off, refOut);
          c2 = mx.getCurrentThreadCpuTime();
          if (j >= 0) {
            cpu[1][j] = (c1 - c0) / 1e3;
            cpu[0][j] = (c2 - c1) / 1e3;
          }
        }
        if (!Arrays.equals(refOut.factors, fastOut.factors) || !Arrays.equals(refOut.logrates, fastOut.logrates)) {
          throw new IllegalStateException(name + ": LONG and EXACT_DOUBLE disagree at stream bin " + next);
        }
      }
      for (double[] v : cpu) Arrays.sort(v);
      if (a > 2) json.append(", ");
      json.append('"').append(name).append("\": {");
      String[] modes = {"LONG", "EXACT_DOUBLE"};
      for (int k = 0; k < 2; k++) {
        json.append(String.format("\"%s\": {\"median_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f}, ", modes[k],
            cpu[k][bins / 2], cpu[k][(int) (bins * 0.9)], cpu[k][(int) (bins * 0.99)]));
      }
      json.append(String.format("\"median_ratio_long_over_double\": %.2f, \"bins\": %d}",
          cpu[0][bins / 2] / cpu[1][bins / 2], bins));
    }
    System.out.println(json.append("}"));
  }

  private static void bin(FixedOnlineWindow w, int[] stream, int off, FixedOutput out) {
    w.pushBin(stream, off);
    w.infer(out);
  }
}
