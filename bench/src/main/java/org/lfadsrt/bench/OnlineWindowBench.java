package org.lfadsrt.bench;

import java.util.concurrent.TimeUnit;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.OnlineInference;
import org.lfadsrt.host.backend.SoftwareBackend;
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
 * Online mode, cost per bin: the two ways the pipeline can produce the newest window's outputs, in the same run.
 * {@code path} = {@code full-window} (the ring of the last T_enc bins copied oldest-first into the batch, then
 * {@link InferenceBackend#infer} recomputes the whole window, encoder input projections included) or {@code reuse}
 * (the backend's {@link OnlineInference} session: the new bin's encoder input projections computed once and kept in a
 * ring, then the window inferred from the cached projections). {@code backend} = {@code software} (bit-accurate
 * fixed-point model, exact-double accumulation as the backend picks) or {@code float}. Models: the paper-size and
 * MC_Maze-size golden models, bins streamed from their golden spike trials one after another. Batch 1, one thread.
 * Run from the repository root: {@code scripts/bench-online.sh} (or pass {@code -p goldenDir=...}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class OnlineWindowBench {

  @Param({"paper", "mc_maze"})
  public String model;

  @Param({"software", "float"})
  public String backend;

  @Param({"full-window", "reuse"})
  public String path;

  @Param({GoldenFixture.DEFAULT_DIR})
  public String goldenDir;

  private InferenceBackend be;
  private OnlineInference session;
  private InferenceBatch batch;
  private byte[] bins; // the stream, bin-major
  private FullWindowRing ring; // full-window path
  private int nIn, tEnc, nBins, next;

  @Setup(Level.Trial)
  public void load() throws Exception {
    GoldenFixture g = GoldenFixture.load(goldenDir, model);
    tEnc = g.tEnc;
    nIn = g.nIn;
    nBins = g.streamBins();
    int[] counts = g.byteRangeCounts();
    bins = GoldenFixture.asBytes(counts);
    be = switch (backend) {
      case "software" -> new SoftwareBackend(g.image16(counts));
      case "float" -> new FloatBackend(g.model);
      default -> throw new IllegalArgumentException("backend " + backend);
    };
    batch = new InferenceBatch(be.shape(), 1);
    batch.trials(1);
    ring = new FullWindowRing(tEnc, nIn);
    if (path.equals("reuse")) {
      session = be.openOnline();
      if (session == null) throw new IllegalStateException(backend + " has no online session");
    } else if (!path.equals("full-window")) {
      throw new IllegalArgumentException("path " + path);
    }
  }

  /** One bin: it arrives, the window ending at it is inferred. */
  @Benchmark
  public void oneBin(Blackhole bh) throws BackendException {
    int off = next * nIn;
    next = next + 1 == nBins ? 0 : next + 1;
    if (session != null) {
      session.pushBin(bins, off);
      session.inferWindow(batch);
    } else {
      ring.push(bins, off, batch);
      be.infer(batch);
    }
    bh.consume(batch.factor(0, tEnc - 1, 0));
  }
}
