package org.lfadsrt.bench;

import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.OnlineInference;
import org.lfadsrt.host.backend.SoftwareBackend;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * Per-bin thread CPU time (median) of online mode's two paths, interleaved bin by bin so that the load of a shared
 * machine hits both alike: the companion of OnlineWindowBench's wall-clock figures. For each model and backend
 * (software, float) one backend instance infers every window whole (ring copied into the batch, {@code infer}) and a
 * second one through its online session (the bin pushed once, the window inferred from cached projections); the
 * two outputs are checked equal at every bin.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.lfadsrt.bench.OnlineCpuTime GOLDEN_DIR BINS MODEL...};
 * prints one JSON object.
 */
public final class OnlineCpuTime {
  private OnlineCpuTime() {}

  public static void main(String[] args) throws Exception {
    ThreadCpu.printPerModel(args, (g, bins) -> {
      int[] counts = g.byteRangeCounts();
      byte[] stream = GoldenFixture.asBytes(counts);
      int tEnc = g.tEnc, nIn = g.nIn, nBins = g.streamBins();
      KernelImage img = g.image16(counts);
      StringBuilder json = new StringBuilder("{");
      String[] kinds = {"software", "float"};
      for (int k = 0; k < kinds.length; k++) {
        InferenceBackend whole = k == 0 ? new SoftwareBackend(img) : new FloatBackend(g.model);
        InferenceBackend reuse = k == 0 ? new SoftwareBackend(img) : new FloatBackend(g.model);
        OnlineInference session = reuse.openOnline();
        InferenceBatch wb = new InferenceBatch(whole.shape(), 1), rb = new InferenceBatch(reuse.shape(), 1);
        FullWindowRing ring = new FullWindowRing(tEnc, nIn);
        String what = g.name + " " + kinds[k];
        double[][] cpu = ThreadCpu.measure(bins, 4_000_000_000L, true,
            i -> {
              double dw = wb.factor(0, tEnc - 1, 0), dr = rb.factor(0, tEnc - 1, 0);
              if (Math.abs(dw - dr) > 1e-12) {
                throw new IllegalStateException(what + ": paths disagree, " + dw + " vs " + dr);
              }
            },
            i -> {
              ring.push(stream, (int) (i % nBins) * nIn, wb);
              whole.infer(wb);
            },
            i -> {
              session.pushBin(stream, (int) (i % nBins) * nIn);
              session.inferWindow(rb);
            });
        double f = ThreadCpu.median(cpu[0]), r = ThreadCpu.median(cpu[1]);
        if (k > 0) json.append(", ");
        json.append(String.format("\"%s\": {\"full_window_cpu_median_us\": %.1f, \"reuse_cpu_median_us\": %.1f, "
            + "\"ratio\": %.3f, \"bins\": %d}", kinds[k], f, r, f / r, bins));
      }
      return json.append('}').toString();
    });
  }
}
