package org.lfadsrt.bench;

import java.util.Arrays;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOnlineWindow;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;

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
    ThreadCpu.printPerModel(args, (g, bins) -> {
      int[] stream = g.byteRangeCounts();
      int nIn = g.nIn, nBins = g.streamBins();
      KernelImage img = g.image16(stream);
      FixedOnlineWindow ref = new FixedOnlineWindow(new FixedLfads(img, FixedLfads.Accumulation.LONG));
      FixedOnlineWindow fast = new FixedOnlineWindow(new FixedLfads(img, FixedLfads.Accumulation.EXACT_DOUBLE));
      FixedOutput refOut = FixedOutput.forImage(img), fastOut = FixedOutput.forImage(img);
      double[][] cpu = ThreadCpu.measure(bins, 4_000_000_000L, true,
          i -> {
            if (!Arrays.equals(refOut.factors, fastOut.factors) || !Arrays.equals(refOut.logrates, fastOut.logrates)) {
              throw new IllegalStateException(g.name + ": LONG and EXACT_DOUBLE disagree at stream bin " + i % nBins);
            }
          },
          i -> bin(ref, stream, (int) (i % nBins) * nIn, refOut),
          i -> bin(fast, stream, (int) (i % nBins) * nIn, fastOut));
      StringBuilder json = new StringBuilder("{");
      String[] modes = {"LONG", "EXACT_DOUBLE"};
      for (int k = 0; k < 2; k++) {
        json.append(String.format("\"%s\": {\"median_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f}, ", modes[k],
            ThreadCpu.median(cpu[k]), ThreadCpu.percentile(cpu[k], 0.9), ThreadCpu.percentile(cpu[k], 0.99)));
      }
      return json.append(String.format("\"median_ratio_long_over_double\": %.2f, \"bins\": %d}",
          ThreadCpu.median(cpu[0]) / ThreadCpu.median(cpu[1]), bins)).toString();
    });
  }

  private static void bin(FixedOnlineWindow w, int[] stream, int off, FixedOutput out) {
    w.pushBin(stream, off);
    w.infer(out);
  }
}
