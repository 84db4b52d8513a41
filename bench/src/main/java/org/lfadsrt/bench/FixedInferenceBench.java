package org.lfadsrt.bench;

import java.util.concurrent.TimeUnit;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.floatmodel.FloatLfads;
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

  @Param({GoldenFixture.DEFAULT_DIR})
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
    GoldenFixture g = GoldenFixture.load(goldenDir, model);
    int[] counts = g.counts();
    trials = g.perTrial(counts);
    switch (impl) {
      case "float" -> floatModel = new FloatLfads(g.model);
      case "fixed-long", "fixed-xd" -> {
        KernelImage img = g.image16(counts);
        fixedModel = new FixedLfads(img,
            impl.equals("fixed-xd") ? FixedLfads.Accumulation.EXACT_DOUBLE : FixedLfads.Accumulation.LONG);
        fixedOut = FixedOutput.forImage(img);
      }
      default -> throw new IllegalArgumentException("impl " + impl);
    }
    factors = g.factorBuffer();
    logrates = g.lograteBuffer();
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
