package org.lfadsrt.bench;

import java.util.concurrent.TimeUnit;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOnlineWindow;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
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
 * The bit-accurate model's online bin (push one bin into a {@link FixedOnlineWindow}, infer the window ending at it)
 * with the reference loops ({@code accumulation = LONG}) and the fast ones ({@code EXACT_DOUBLE}, what the software
 * backend uses): same bits, measured in the same run. Paper-size and MC_Maze-size golden models, 16-bit image, bins
 * streamed from the golden trials. Run from the repository root (scripts/bench-fixed-online.sh, which also records
 * thread CPU time with FixedOnlineCpuTime).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FixedOnlineBench {

  @Param({"paper", "mc_maze"})
  public String model;

  @Param({"LONG", "EXACT_DOUBLE"})
  public String accumulation;

  @Param({GoldenFixture.DEFAULT_DIR})
  public String goldenDir;

  private FixedOnlineWindow window;
  private FixedOutput out;
  private int[] stream;
  private int nIn, nBins, next;

  @Setup(Level.Trial)
  public void load() throws Exception {
    GoldenFixture g = GoldenFixture.load(goldenDir, model);
    nIn = g.nIn;
    nBins = g.streamBins();
    stream = g.byteRangeCounts();
    KernelImage img = g.image16(stream);
    window = new FixedOnlineWindow(new FixedLfads(img, FixedLfads.Accumulation.valueOf(accumulation)));
    out = FixedOutput.forImage(img);
  }

  /** One bin: it arrives, the window ending at it is inferred. */
  @Benchmark
  public void oneBin(Blackhole bh) {
    int off = next * nIn;
    next = next + 1 == nBins ? 0 : next + 1;
    window.pushBin(stream, off);
    window.infer(out);
    bh.consume(out.factors[0]);
  }
}
