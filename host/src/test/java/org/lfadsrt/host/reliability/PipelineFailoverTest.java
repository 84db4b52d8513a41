package org.lfadsrt.host.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.FailoverBackend;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.pipeline.ResultSink;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.SyntheticSource;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/**
 * Backend timeouts and errors: the failed window is re-run on the fallback within the same bin, so the
 * published stream is bit-identical to a fault-free run (no gap, no lost bin); only a failing fallback
 * costs a bin, counted as BACKEND_FAULT; the switch reaches clients as a NOTICE.
 */
@Timeout(300) // a hang guard, generous for a loaded machine
class PipelineFailoverTest {
  static final LfadsModel MODEL = RandomModels.demo(new LfadsConfig(6, 5, 5, 7, 8, 0, 1, 0, 0, 4, 8, 3, 5.0), 31);

  /** A scripted test double: fails the calls listed, with the given kind. */
  static final class ScriptedBackend implements InferenceBackend {
    final InferenceBackend inner = new FloatBackend(MODEL);
    final java.util.Map<Integer, BackendException.Kind> failAt;
    final long timeoutNanos;
    int calls;

    ScriptedBackend(java.util.Map<Integer, BackendException.Kind> failAt, long timeoutNanos) {
      this.failAt = failAt;
      this.timeoutNanos = timeoutNanos;
    }

    public String name() { return "scripted"; }
    public ModelShape shape() { return inner.shape(); }

    public void infer(InferenceBatch b) throws BackendException {
      BackendException.Kind k = failAt.get(calls++);
      if (k == BackendException.Kind.TIMEOUT) java.util.concurrent.locks.LockSupport.parkNanos(timeoutNanos);
      if (k != null) throw new BackendException(k, "scripted " + k + " at call " + (calls - 1));
      inner.infer(b);
    }

    public void close() {}
  }

  static final class Collect implements ResultSink {
    final List<float[]> factors = new ArrayList<>();
    final List<long[]> meta = new ArrayList<>();
    final List<Long> latency = new ArrayList<>();

    public void publish(BinResult r) {
      factors.add(r.factors.clone());
      meta.add(new long[] {r.seq, r.binIndex});
      latency.add(System.nanoTime() - r.tAccept);
    }
  }

  static int[][] bins(int n) {
    SplittableRandom r = new SplittableRandom(3);
    int[][] b = new int[n][MODEL.config().encodDataDim()];
    for (int[] row : b) for (int c = 0; c < row.length; c++) row[c] = r.nextInt(4);
    return b;
  }

  static Collect run(InferenceBackend backend, PipelineStats stats, int[][] bins) {
    Collect sink = new Collect();
    Pipeline p = new Pipeline(backend, Mode.ONLINE, null, sink, stats);
    for (int i = 0; i < bins.length; i++) p.onEvent(SpikeSource.BIN, bins[i], i, System.nanoTime());
    return sink;
  }

  @Test
  void timeoutsAndDeviceErrorsFailOverWithinTheBinAndLoseNothing() {
    int[][] in = bins(60);
    Collect reference = run(new FloatBackend(MODEL), new PipelineStats(), in);
    long timeout = 5_000_000; // the driver's deadline: 5 ms
    ScriptedBackend device = new ScriptedBackend(java.util.Map.of(10, BackendException.Kind.TIMEOUT,
        25, BackendException.Kind.DEVICE_ERROR, 40, BackendException.Kind.TIMEOUT), timeout);
    List<FailoverBackend.Failover> events = new ArrayList<>();
    FailoverBackend failover = new FailoverBackend(device, new FloatBackend(MODEL), 5, events::add);
    PipelineStats stats = new PipelineStats();
    Collect got = run(failover, stats, in);

    assertEquals(in.length, got.meta.size(), "every bin published despite three device faults");
    for (int i = 0; i < in.length; i++) {
      assertEquals(i, got.meta.get(i)[0], "seq has no gap");
      assertArrayEquals(reference.factors.get(i), got.factors.get(i), "bin " + i + " identical to the fault-free run");
    }
    assertEquals(0, stats.droppedTotal());
    assertEquals(3, failover.failovers());
    // switch at call 11 (timeout), back after 5 fallback calls, switch again ...
    assertEquals(BackendException.Kind.TIMEOUT, events.get(0).cause().kind());
    assertEquals("scripted", events.get(0).from());
    assertEquals("float", events.get(0).to());
    assertNull(events.get(1).cause(), "re-probe back to the primary is reported too");
    assertEquals(BackendException.Kind.DEVICE_ERROR, events.get(2).cause().kind());
    // within one bin: the timed-out bin costs the deadline plus one fallback inference, not more
    long worst = got.latency.get(10);
    assertTrue(worst >= timeout, "the timed-out bin waited for the deadline");
    assertTrue(worst < timeout + 500_000_000L, "and was re-run at once: " + worst + " ns");
  }

  @Test
  void aFailingFallbackCostsExactlyThatBinCountedAsBackendFault() {
    int[][] in = bins(30);
    ScriptedBackend device = new ScriptedBackend(java.util.Map.of(7, BackendException.Kind.DEVICE_ERROR), 0);
    ScriptedBackend fallback = new ScriptedBackend(java.util.Map.of(0, BackendException.Kind.DEVICE_ERROR), 0);
    FailoverBackend failover = new FailoverBackend(device, fallback, 0, e -> {});
    PipelineStats stats = new PipelineStats();
    Collect got = run(failover, stats, in);
    assertEquals(1, stats.drops(DropReason.BACKEND_FAULT));
    assertEquals(in.length - 1, got.meta.size());
    assertEquals(in.length, stats.publishedCount() + stats.droppedTotal(), "every bin accounted for");
    // the lost bin is bin 7; the seq numbers stay contiguous, the bin index shows the gap
    assertEquals(6, got.meta.get(6)[1]);
    assertEquals(8, got.meta.get(7)[1]);
    assertEquals(7, got.meta.get(7)[0]);
    assertEquals(1, failover.fallbackFailures());
  }

  @Test
  void invalidInputIsNotADeviceFaultAndDoesNotSwitch() {
    ScriptedBackend device = new ScriptedBackend(java.util.Map.of(2, BackendException.Kind.INVALID_INPUT), 0);
    FailoverBackend failover = new FailoverBackend(device, new FloatBackend(MODEL), 0, e -> fail("no switch expected"));
    PipelineStats stats = new PipelineStats();
    run(failover, stats, bins(10));
    assertEquals(0, failover.failovers());
    assertEquals(1, stats.drops(DropReason.BACKEND_FAULT));
    assertSame(device, failover.active());
  }

  @Test
  void shapesMustAgree() {
    LfadsModel other = RandomModels.demo(new LfadsConfig(7, 5, 5, 7, 8, 0, 1, 0, 0, 4, 8, 3, 5.0), 1);
    var e = assertThrows(IllegalArgumentException.class,
        () -> new FailoverBackend(new FloatBackend(MODEL), new FloatBackend(other), 0, x -> {}));
    assertTrue(e.getMessage().contains("disagree on shape"), e.getMessage());
  }

  @Test
  void theFailoverReachesConnectedClientsAsANotice() throws Exception {
    // armed once the client is subscribed (LiveSystem warms the backend up before that): fails the 50th call after
    java.util.concurrent.atomic.AtomicInteger armedCalls = new java.util.concurrent.atomic.AtomicInteger(-1);
    InferenceBackend device = new InferenceBackend() {
      final InferenceBackend inner = new FloatBackend(MODEL);

      public String name() { return "scripted"; }
      public ModelShape shape() { return inner.shape(); }

      public void infer(InferenceBatch b) throws BackendException {
        if (armedCalls.get() >= 0 && armedCalls.getAndIncrement() == 50) {
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
          throw new BackendException(BackendException.Kind.TIMEOUT, "scripted TIMEOUT");
        }
        inner.infer(b);
      }

      public void close() {}
    };
    // no listener of our own: LiveSystem publishes the NOTICE from the FailoverBackend's listener
    FailoverBackend failover = new FailoverBackend(device, new FloatBackend(MODEL), 0, e -> {});
    SyntheticSource src = new SyntheticSource(6, 1_000_000, true, 5, 300, 0);
    // no age bound a loaded test machine could reach: the client must see every result
    ServerConfig cfg = new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 1 << 20, 8, null, 0,
        org.lfadsrt.host.server.ServerLimits.DEFAULTS.withMaxResultAgeMillis(65_535));
    try (LiveSystem live = new LiveSystem(src, failover, Mode.ONLINE, null, cfg, "t", 300, -1, 100)) {
      live.startServer();
      SoakClient client = new SoakClient(SoakClient.Kind.FULL, live.server().port(), 1).connect();
      Thread t = new Thread(client);
      t.start();
      armedCalls.set(0);
      live.startPipeline();
      live.awaitEnd();
      long until = System.nanoTime() + 60_000_000_000L; // a hang guard: the loop ends when all 300 arrived
      while (client.results() < 300 && System.nanoTime() < until) Thread.sleep(10);
      assertNull(live.loop().failure());
      assertNull(client.failure());
      assertEquals(300, live.stats().publishedCount());
      assertEquals(300, client.results(), "no result lost to the failover; server: "
          + live.server().clientCounters().stream().map(java.util.Arrays::toString).toList() + " notices " + client.notices()
          + " errors " + client.errorsReceived());
      assertEquals(0, client.gaps());
      assertEquals(1, client.notices());
      assertTrue(client.lastNotice().contains("TIMEOUT") && client.lastNotice().contains("re-run on float"), client.lastNotice());
      client.stop();
    }
  }
}
