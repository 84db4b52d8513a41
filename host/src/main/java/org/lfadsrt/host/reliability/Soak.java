package org.lfadsrt.host.reliability;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lfadsrt.host.backend.FailoverBackend;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.source.TcpIngestSource;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The reliability soak: {@code bins} bins in accelerated time through the whole live system with faults
 * injected everywhere, then an account of every bin.
 *
 * <pre>
 * IngestFeeder --TCP--> TcpIngestSource -> FaultInjectingSource -> Pipeline -> FailoverBackend -> RigServer -> clients
 *  (malformed frames,     (invalid bins, clock      (late-bin     (primary: FaultyBackend  (full, stalling,
 *   stalls, reconnects)    jumps, late bins, stalls)  policy)       timeouts + DMA errors;   churning mid-frame,
 *                                                                   fallback fails rarely)   garbage senders)
 * </pre>
 *
 * Checks: every bin the feeder sent entered the pipeline; every bin that entered is published or
 * dropped with a reason (unaccounted = 0); the full client saw strictly increasing sequence numbers and
 * received + its server-side drops = published; every injected backend fault was survived (failover
 * and a NOTICE to clients); heap after GC at the end is within a bound of the heap after GC at warm-up.
 */
public final class Soak {

  /** Soak parameters; {@link #forBins} picks fault rates that scale with the run. */
  public record Config(long bins, long seed, long malformedEvery, long feederStallEvery, long feederStallMillis,
      long invalidEvery, long jumpEvery, long lateEvery, long sourceStallEvery, long backendFailEvery,
      long fallbackFailEvery, long reprobeAfter, long statusMillis) {

    public static Config forBins(long bins) {
      long scale = Math.max(1, bins / 100_000);
      return new Config(bins, 7, 20_000 * Math.min(scale, 10), 50_000 * Math.min(scale, 5), 100, 997, 4_999, 1_999,
          30_011, 1_009, 50_021, 200, 500);
    }
  }

  /** What the soak measured; {@link #violations()} is empty when the run passed. */
  public record Report(long bins, long sent, long entered, long published, long dropped, long unaccounted,
      List<String> dropsByReason, long clientDrops, long backendFaults, long failovers, long fallbackFailures,
      long malformedFrames, long ingestErrorsAnswered, long feederStalls, long invalid, long jumps, long late,
      long sourceStalls, long churnSessions, long garbageSessions, long garbageErrors, long fullResults,
      long fullGaps, long fullServerDrops, long noticesSeen, long heapStartBytes, long heapEndBytes, double seconds,
      List<String> violations) {

    public void print(PrintStream out) {
      out.printf(Locale.ROOT, "soak: %d bins in %.1f s (%.0f bins/s)%n", entered, seconds, entered / seconds);
      out.printf(Locale.ROOT, "  accounting: sent %d, entered %d = published %d + dropped %d; unaccounted %d%n", sent, entered,
          published, dropped, unaccounted);
      out.printf("  drops by reason: %s%n", String.join(", ", dropsByReason));
      out.printf(Locale.ROOT, "  faults injected: backend %d (failovers %d, fallback also failed %d), malformed ingest frames %d"
          + " (answered %d), ingest stalls %d, invalid bins %d, clock jumps %d, late bins %d, source stalls %d%n",
          backendFaults, failovers, fallbackFailures, malformedFrames, ingestErrorsAnswered, feederStalls, invalid, jumps, late,
          sourceStalls);
      out.printf("  clients: full received %d (seq gaps %d, server drops for it %d), notices seen %d; churned sessions %d,"
          + " garbage sessions %d (errors answered %d); results dropped for slow clients %d%n", fullResults, fullGaps,
          fullServerDrops, noticesSeen, churnSessions, garbageSessions, garbageErrors, clientDrops);
      out.printf(Locale.ROOT, "  heap after GC: start %.1f MB, end %.1f MB (delta %+.1f MB)%n", heapStartBytes / 1e6,
          heapEndBytes / 1e6, (heapEndBytes - heapStartBytes) / 1e6);
      out.println(violations.isEmpty() ? "  PASS: every bin accounted for, memory flat" : "  FAIL: " + String.join("; ", violations));
    }
  }

  /** Heap growth allowed between warm-up and end (after GC): generous against GC noise, far below a per-bin leak. */
  static final long HEAP_SLACK_BYTES = 24L << 20;

  /** No bin entering for this long ends the soak as failed (the 10 s thread dump comes first). */
  static final long STALL_LIMIT_NANOS = 120_000_000_000L;

  private Soak() {}

  public static Report run(Config c, PrintStream progress) throws Exception {
    int channels = 8;
    LfadsModel model = RandomModels.demo(new LfadsConfig(channels, 4, 4, 8, 8, 0, 1, 0, 0, 4, 8, 3, 5.0), c.seed());
    long binWidth = 1_000_000;
    FaultyBackend device = new FaultyBackend(new FloatBackend(model), "device", c.backendFailEvery(), 200_000);
    FaultyBackend software = new FaultyBackend(new FloatBackend(model), "software", c.fallbackFailEvery(), 0);
    // LiveSystem adds the listener that turns each switch into a NOTICE to clients
    FailoverBackend backend = new FailoverBackend(device, software, c.reprobeAfter(), e -> {});
    TcpIngestSource tcp = new TcpIngestSource("127.0.0.1", 0, channels, binWidth);
    FaultInjectingSource source = new FaultInjectingSource(tcp, c.invalidEvery(), c.jumpEvery(), 1000, c.lateEvery(),
        2_000_000_000L, c.sourceStallEvery(), 20_000_000L);
    ServerConfig cfg = new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 256 * 1024, 32, null, 0);
    LiveSystem live = new LiveSystem(source, backend, Mode.ONLINE, null, cfg, "soak", -1, -1, c.statusMillis());
    live.pipeline().lateAfter(1_000_000_000L);
    IngestFeeder feeder = new IngestFeeder(tcp.port(), channels, c.bins(), binWidth, c.malformedEvery(), c.feederStallEvery(),
        c.feederStallMillis(), c.seed());
    List<SoakClient> clients = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long heapStart = -1, heapEnd;
    long fullSent = -1, fullServerDrops = -1;
    String stalledReason = null;
    SoakClient full = null;
    long t0 = System.nanoTime();
    try {
      live.startServer();
      int port = live.server().port();
      full = new SoakClient(SoakClient.Kind.FULL, port, 1).connect();
      SoakClient stalling = new SoakClient(SoakClient.Kind.STALLING, port, 2).connect();
      SoakClient churn = new SoakClient(SoakClient.Kind.CHURNING, port, 3);
      SoakClient garbage = new SoakClient(SoakClient.Kind.GARBAGE, port, 4);
      clients.addAll(List.of(full, stalling, churn, garbage));
      for (SoakClient sc : clients) threads.add(start(sc, "soak-" + sc.kind()));
      // let both subscriptions land before the first bin, so the full client is owed every result
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (live.server().clientCounters().size() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
      Thread.sleep(100);
      live.startPipeline();
      Thread feederThread = start(feeder, "soak-feeder");
      long warm = Math.max(1, c.bins() / 20);
      long lastPrint = System.nanoTime();
      long lastBins = -1, lastProgress = System.nanoTime();
      boolean dumped = false;
      String stalled = null;
      while (!live.awaitEnd(200)) {
        PipelineStats st = live.stats();
        if (st.binsIn() != lastBins) {
          lastBins = st.binsIn();
          lastProgress = System.nanoTime();
        } else if (!dumped && progress != null && System.nanoTime() - lastProgress > 10_000_000_000L) {
          dumped = true; // no bin for 10 s: show where everything is, including both ends of the ingest link
          progress.println("soak: no progress for 10 s at " + lastBins + " bins; feeder sent " + feeder.sent() + " (malformed "
              + feeder.malformedSent() + ", errors back " + feeder.errorsReceived() + ", reconnects " + feeder.reconnects()
              + ", stalls " + feeder.stalls() + "), source delivered " + live.loop().bins() + ", malformed seen "
              + tcp.malformedFrames() + "; threads:");
          for (var e : Thread.getAllStackTraces().entrySet()) {
            progress.println("  " + e.getKey().getName() + " " + e.getKey().getState());
            for (StackTraceElement el : e.getValue()) progress.println("      at " + el);
          }
        }
        if (System.nanoTime() - lastProgress > STALL_LIMIT_NANOS) {
          // a hung run must end with a verdict, not hold the machine: stop everything and report where it stood
          stalled = "no bin entered for " + STALL_LIMIT_NANOS / 1_000_000_000L + " s at " + lastBins + " bins (feeder sent "
              + feeder.sent() + ", malformed " + feeder.malformedSent() + ", errors back " + feeder.errorsReceived() + ")";
          feeder.stop();
          live.stop();
          break;
        }
        if (heapStart < 0 && st.binsIn() >= warm) heapStart = heapAfterGc(mem);
        if (progress != null && System.nanoTime() - lastPrint > 10_000_000_000L) {
          lastPrint = System.nanoTime();
          progress.printf(Locale.ROOT, "soak: %d / %d bins, %d published, %d dropped, %d failovers, heap %.1f MB%n", st.binsIn(),
              c.bins(), st.publishedCount(), st.droppedTotal(), backend.failovers(), mem.getHeapMemoryUsage().getUsed() / 1e6);
        }
        if (feeder.failure() != null) break;
      }
      stalledReason = stalled;
      feederThread.join(30_000);
      if (heapStart < 0) heapStart = heapAfterGc(mem);
      heapEnd = heapAfterGc(mem);
      // let the full client drain what is queued for it, then take the server's account of it
      long until = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < until) {
        long[] cc = counters(live, 1);
        if (cc != null && full.results() >= cc[1]) break;
        Thread.sleep(20);
      }
      long[] cc = counters(live, 1);
      fullSent = cc == null ? -1 : cc[1];
      fullServerDrops = cc == null ? -1 : cc[2];
    } finally {
      for (SoakClient sc : clients) sc.stop();
      live.close();
      for (Thread t : threads) t.join(10_000);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    PipelineStats st = live.stats();
    List<String> violations = new ArrayList<>();
    long entered = st.binsIn();
    long unaccounted = entered - st.publishedCount() - st.droppedTotal();
    if (stalledReason != null) violations.add(stalledReason);
    if (feeder.failure() != null) violations.add("feeder failed: " + feeder.failure());
    if (live.loop().failure() != null) violations.add("hot path failed: " + live.loop().failure());
    if (feeder.sent() != c.bins()) violations.add("feeder sent " + feeder.sent() + " of " + c.bins() + " bins");
    if (live.loop().bins() != feeder.sent()) violations.add("source delivered " + live.loop().bins() + " bins, feeder sent " + feeder.sent());
    if (entered != live.loop().bins()) violations.add("pipeline counted " + entered + " bins in, source delivered " + live.loop().bins());
    if (unaccounted != 0) violations.add(unaccounted + " bins unaccounted");
    if (full.orderViolations() != 0) violations.add("full client saw " + full.orderViolations() + " out-of-order sequence numbers");
    if (fullSent + fullServerDrops != st.publishedCount()) {
      violations.add("server account of the full client: sent " + fullSent + " + dropped " + fullServerDrops + " != published "
          + st.publishedCount());
    }
    if (full.results() != fullSent) violations.add("full client received " + full.results() + " of " + fullSent + " sent");
    if (full.gaps() > fullServerDrops) violations.add("full client saw " + full.gaps() + " seq gaps but only " + fullServerDrops + " drops");
    if (c.backendFailEvery() > 0 && full.notices() == 0) violations.add("full client saw no failover NOTICE");
    for (SoakClient sc : clients) if (sc.failure() != null) violations.add(sc.kind() + " client failed: " + sc.failure());
    if (backend.failovers() == 0 && c.backendFailEvery() > 0) violations.add("no backend failover happened");
    if (st.drops(DropReason.BACKEND_FAULT) != backend.fallbackFailures()) {
      violations.add("backend-fault drops " + st.drops(DropReason.BACKEND_FAULT) + " != fallback failures " + backend.fallbackFailures());
    }
    if (heapEnd - heapStart > HEAP_SLACK_BYTES) {
      violations.add(String.format(Locale.ROOT, "heap grew %.1f MB (limit %.1f MB)", (heapEnd - heapStart) / 1e6, HEAP_SLACK_BYTES / 1e6));
    }
    List<String> reasons = new ArrayList<>();
    for (DropReason r : DropReason.values()) reasons.add(r.label() + " " + st.drops(r));
    SoakClient churn = clients.get(2), garbage = clients.get(3);
    return new Report(c.bins(), feeder.sent(), entered, st.publishedCount(), st.droppedTotal(), unaccounted, reasons,
        st.clientDrops(), device.injected() + software.injected(), backend.failovers(), backend.fallbackFailures(),
        feeder.malformedSent(), tcp.malformedFrames(), feeder.stalls(), source.invalidInjected(), source.jumpsInjected(),
        source.lateInjected(), source.stallsInjected(), churn.sessions(), garbage.sessions(), garbage.errorsReceived(),
        full.results(), full.gaps(), fullServerDrops, full.notices(), heapStart, heapEnd, seconds, violations);
  }

  /** {id, sent, drops} of one session, or null. */
  private static long[] counters(LiveSystem live, long id) {
    for (long[] cc : live.server().clientCounters()) if (cc[0] == id) return cc;
    return null;
  }

  private static Thread start(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static long heapAfterGc(MemoryMXBean mem) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
