package org.lfadsrt.bench;

import java.util.concurrent.TimeUnit;
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
 * Float (double-precision) LFADS inference, one trial per call, batch 1, one thread: the same
 * models and spike trials that sim/python/bench_torch.py times in PyTorch (the golden models of
 * sim/src/test/resources/golden). Run from the repository root, or pass {@code -p goldenDir=...}.
 * Sample mode, so the report carries the median (p0.50) per trial.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloatInferenceBench {

  @Param({"paper", "mc_maze"})
  public String model;

  @Param({GoldenFixture.DEFAULT_DIR})
  public String goldenDir;

  private FloatLfads lfads;
  private int[][] trials;
  private double[] factors;
  private double[] logrates;
  private int next;

  @Setup(Level.Trial)
  public void load() throws Exception {
    GoldenFixture g = GoldenFixture.load(goldenDir, model);
    lfads = new FloatLfads(g.model);
    trials = g.perTrial(g.counts());
    factors = g.factorBuffer();
    logrates = g.lograteBuffer();
  }

  @Benchmark
  public void inferOneTrial(Blackhole bh) {
    int[] s = trials[next];
    next = (next + 1) % trials.length;
    lfads.inferInto(s, 0, factors, 0, logrates, 0);
    bh.consume(logrates[logrates.length - 1]);
  }
}
