package org.lfadsrt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

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
    Path dir = Path.of(args[0]);
    int trials = Integer.parseInt(args[1]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder json = new StringBuilder("{");
    for (int a = 2; a < args.length; a++) {
      String name = args[a];
      LfadsModel m = ModelFile.load(dir.resolve(name).resolve("model.npz"));
      LfadsConfig c = m.config();
      NdArray spikes = NpzReader.open(dir.resolve(name).resolve("golden.npz")).array("spikes");
      int per = c.encodSeqLen() * c.encodDataDim(), n = spikes.dim(0);
      int[] flat = new int[n * per];
      int[][][] calib = new int[n][c.encodSeqLen()][c.encodDataDim()];
      for (int i = 0; i < flat.length; i++) {
        flat[i] = (int) spikes.getLong(i);
        calib[i / per][(i % per) / c.encodDataDim()][i % c.encodDataDim()] = flat[i];
      }
      KernelImage img = Quantizer.quantize(m, calib, 16);
      FloatLfads fl = new FloatLfads(m);
      FixedLfads fxl = new FixedLfads(img, FixedLfads.Accumulation.LONG);
      FixedLfads fxd = new FixedLfads(img, FixedLfads.Accumulation.EXACT_DOUBLE);
      FixedOutput out = FixedOutput.forImage(img);
      double[] fac = new double[c.reconSeqLen() * c.facDim()], lr = new double[c.reconSeqLen() * c.readoutDim()];
      long warmEnd = System.nanoTime() + 5_000_000_000L;
      for (int i = 0; System.nanoTime() < warmEnd; i++) {
        int off = (i % n) * per;
        fl.inferInto(flat, off, fac, 0, lr, 0);
        fxl.run(flat, off, out, null);
        fxd.run(flat, off, out, null);
      }
      double[][] cpu = new double[3][trials];
      for (int i = 0; i < trials; i++) {
        int off = (i % n) * per;
        long c0 = mx.getCurrentThreadCpuTime();
        fl.inferInto(flat, off, fac, 0, lr, 0);
        long c1 = mx.getCurrentThreadCpuTime();
        fxl.run(flat, off, out, null);
        long c2 = mx.getCurrentThreadCpuTime();
        fxd.run(flat, off, out, null);
        long c3 = mx.getCurrentThreadCpuTime();
        cpu[0][i] = (c1 - c0) / 1e3;
        cpu[1][i] = (c2 - c1) / 1e3;
        cpu[2][i] = (c3 - c2) / 1e3;
      }
      for (double[] v : cpu) Arrays.sort(v);
      if (a > 2) json.append(", ");
      json.append(String.format("\"%s\": {\"float_cpu_median_us\": %.1f, \"fixed_long_cpu_median_us\": %.1f, "
          + "\"fixed_xd_cpu_median_us\": %.1f, \"trials\": %d}", name, cpu[0][trials / 2], cpu[1][trials / 2],
          cpu[2][trials / 2], trials));
    }
    System.out.println(json.append("}"));
  }
}
