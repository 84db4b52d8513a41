package org.lfadsrt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

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
    Path dir = Path.of(args[0]);
    int trials = Integer.parseInt(args[1]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder json = new StringBuilder("{");
    for (int a = 2; a < args.length; a++) {
      String name = args[a];
      LfadsModel m = ModelFile.load(dir.resolve(name).resolve("model.npz"));
      LfadsConfig c = m.config();
      FloatLfads lfads = new FloatLfads(m);
      NdArray spikes = NpzReader.open(dir.resolve(name).resolve("golden.npz")).array("spikes");
      int per = c.encodSeqLen() * c.encodDataDim();
      int n = spikes.dim(0);
      int[] flat = new int[n * per];
      for (int i = 0; i < flat.length; i++) flat[i] = (int) spikes.getLong(i);
      double[] fac = new double[c.reconSeqLen() * c.facDim()];
      double[] lr = new double[c.reconSeqLen() * c.readoutDim()];
      long warmEnd = System.nanoTime() + 5_000_000_000L;
      for (int i = 0; System.nanoTime() < warmEnd; i++) lfads.inferInto(flat, (i % n) * per, fac, 0, lr, 0);
      double[] cpu = new double[trials];
      for (int i = 0; i < trials; i++) {
        long c0 = mx.getCurrentThreadCpuTime();
        lfads.inferInto(flat, (i % n) * per, fac, 0, lr, 0);
        cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e3;
      }
      Arrays.sort(cpu);
      if (a > 2) json.append(", ");
      json.append(String.format("\"%s\": {\"cpu_median_us\": %.1f, \"trials\": %d}", name, cpu[trials / 2], trials));
    }
    System.out.println(json.append("}"));
  }
}
