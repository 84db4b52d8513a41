package org.lfadsrt.bench;

import org.lfadsrt.sim.floatmodel.FloatLfads;

/**
 * Per-trial thread CPU time of float inference (median), the companion of JMH's wall-clock
 * figure: on a shared machine wall time includes waiting for a core, CPU time does not.
 * bench_torch.py reports the same quantity for PyTorch (time.thread_time_ns).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.lfadsrt.bench.FloatCpuTime GOLDEN_DIR TRIALS MODEL...};
 * prints one JSON object.
 */
public final class FloatCpuTime {
  private FloatCpuTime() {}

  public static void main(String[] args) throws Exception {
    ThreadCpu.printPerModel(args, (g, trials) -> {
      FloatLfads lfads = new FloatLfads(g.model);
      int[] flat = g.counts();
      int per = g.trialLength(), n = g.trials;
      double[] fac = g.factorBuffer(), lr = g.lograteBuffer();
      double[] cpu = ThreadCpu.measure(trials, 5_000_000_000L, false, null,
          i -> lfads.inferInto(flat, (int) (i % n) * per, fac, 0, lr, 0))[0];
      return String.format("{\"cpu_median_us\": %.1f, \"trials\": %d}", ThreadCpu.median(cpu), trials);
    });
  }
}
