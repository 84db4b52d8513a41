package org.lfadsrt.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fixed-point (bit-accurate kernel model) inference per trial next to the float baseline in the same run:
 * {@code impl} = {@code float} (FloatLfads, double), {@code fixed-long} (FixedLfads, 64-bit integer accumulation)
 * or {@code fixed-xd} (FixedLfads, exact integer accumulation in doubles: same bits). Batch 1, one thread,
 * the paper-size and MC_Maze-size golden models and their spike trials (the ones sim/python/bench_torch.py
 * times in PyTorch), 16-bit image quantized on those trials. Sample mode: the report carries the median.
 * Run from the repository root (scripts/bench-fixed.sh), or pass {@code -p goldenDir=...}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FixedInferenceBench {

  @Param({"paper", "mc_maze"})
  public String model;

  @Param({"float", "fixed-long", "fixed-xd"})
  public String impl;

  @Param({"sim/src/test/resources/golden"})
  public String goldenDir;

  private FloatLfads floatModel;
  private FixedLfads fixedModel;
  private FixedOutput fixedOut;
  private int[][] trials;
  private double[] factors;
  private double[] logrates;
  private int next;

  @Setup(Level.Trial)
  public void load() throws Exception {
    Path dir = Path.of(goldenDir, model);
    LfadsModel m = ModelFile.load(dir.resolve("model.npz"));
    LfadsConfig c = m.config();
    NdArray spikes = NpzReader.open(dir.resolve("golden.npz")).array("spikes");
    int n = spikes.dim(0), t = c.encodSeqLen(), ch = c.encodDataDim();
    trials = new int[n][t * ch];
    int[][][] calib = new int[n][t][ch];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < t * ch; j++) {
        trials[i][j] = (int) spikes.getLong(i * t * ch + j);
        calib[i][j / ch][j % ch] = trials[i][j];
      }
    }
    switch (impl) {
      case "float" -> floatModel = new FloatLfads(m);
      case "fixed-long", "fixed-xd" -> {
        KernelImage img = Quantizer.quantize(m, calib, 16);
        fixedModel = new FixedLfads(img,
            impl.equals("fixed-xd") ? FixedLfads.Accumulation.EXACT_DOUBLE : FixedLfads.Accumulation.LONG);
        fixedOut = FixedOutput.forImage(img);
      }
      default -> throw new IllegalArgumentException("impl " + impl);
    }
    factors = new double[c.reconSeqLen() * c.facDim()];
    logrates = new double[c.reconSeqLen() * c.readoutDim()];
  }

  @Benchmark
  public void inferOneTrial(Blackhole bh) {
    int[] s = trials[next];
    next = (next + 1) % trials.length;
    if (fixedModel != null) {
      fixedModel.run(s, 0, fixedOut, null);
      bh.consume(fixedOut.logrates[fixedOut.logrates.length - 1]);
    } else {
      floatModel.inferInto(s, 0, factors, 0, logrates, 0);
      bh.consume(logrates[logrates.length - 1]);
    }
  }
}
