package org.lfadsrt.bench;

import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.floatmodel.FloatLfads;

/**
 * Per-trial thread CPU time (median) of float, fixed (long accumulation) and fixed (exact-double accumulation)
 * inference, interleaved trial by trial so that the load of a shared machine hits all three alike: the companion
 * of FixedInferenceBench's wall-clock figures. bench_torch.py reports the same quantity for PyTorch.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.lfadsrt.bench.FixedCpuTime GOLDEN_DIR TRIALS MODEL...};
 * prints one JSON object.
 */
public final class FixedCpuTime {
  private FixedCpuTime() {}

  public static void main(String[] args) throws Exception {
    ThreadCpu.printPerModel(args, (g, trials) -> {
      int[] flat = g.counts();
      int per = g.trialLength(), n = g.trials;
      KernelImage img = g.image16(flat);
      FloatLfads fl = new FloatLfads(g.model);
      FixedLfads fxl = new FixedLfads(img, FixedLfads.Accumulation.LONG);
      FixedLfads fxd = new FixedLfads(img, FixedLfads.Accumulation.EXACT_DOUBLE);
      FixedOutput out = FixedOutput.forImage(img);
      double[] fac = g.factorBuffer(), lr = g.lograteBuffer();
      double[][] cpu = ThreadCpu.measure(trials, 5_000_000_000L, false, null,
          i -> fl.inferInto(flat, (int) (i % n) * per, fac, 0, lr, 0),
          i -> fxl.run(flat, (int) (i % n) * per, out, null),
          i -> fxd.run(flat, (int) (i % n) * per, out, null));
      return String.format("{\"float_cpu_median_us\": %.1f, \"fixed_long_cpu_median_us\": %.1f, "
          + "\"fixed_xd_cpu_median_us\": %.1f, \"trials\": %d}", ThreadCpu.median(cpu[0]),
          ThreadCpu.median(cpu[1]), ThreadCpu.median(cpu[2]), trials);
    });
  }
}
