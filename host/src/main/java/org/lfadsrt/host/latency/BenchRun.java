package org.lfadsrt.host.latency;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.Stage;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.source.SyntheticSource;

/**
 * One live run of the whole system: seeded synthetic source paced in real time at the bin rate →
 * pipeline (online mode) → backend → Netty rig server → K loopback clients that timestamp arrival.
 * Collects whole-run histograms per stage, the interval histograms (written to an HdrHistogram log and
 * kept as a latency-over-time series), counters, and the server's {@code /metrics} text at the end.
 */
final class BenchRun {
  /** What a run is. */
  record Settings(String modelName, String modelDescription, String backend, double rateHz, int clients, long bins,
      double lateMillis, long intervalMillis, double deviceClockHz, int clientQueueKb, long seed) {
    String id() {
      return String.format(Locale.ROOT, "%s-%s-%dhz-%dc", modelName.replaceAll("[^A-Za-z0-9_.]", "_"), backend,
          Math.round(rateHz), clients);
    }

    long binWidthNanos() {
      return Math.round(1e9 / rateHz);
    }
  }

  /** One interval of one stage for the over-time plot. */
  record Point(double tSeconds, long count, long p50, long p99, long max) {}

  /** Per client: server-side sent and dropped, client-side received and sequence gaps. */
  record ClientCount(int index, long sent, long serverDrops, long received, long seqGaps) {}

  static final class Result {
    Settings settings;
    final EnumMap<Stage, Histogram> stages = new EnumMap<>(Stage.class);
    final EnumMap<Stage, List<Point>> overTime = new EnumMap<>(Stage.class);
    Histogram clientArrival;
    Histogram clientDelivery;
    Histogram clientOverhead;
    long binsIn;
    long published;
    final EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    long clientDropsTotal;
    long saturated;
    final List<ClientCount> clients = new ArrayList<>();
    double wallSeconds;
    long gcCount;
    long gcMillis;
    /** Hot-path thread: bytes allocated after its first 1000 bins, over how many bins (-1: run too short). */
    long hotPathAllocated = -1;
    long hotPathAllocatedBins;
    /** Netty worker event loop (writes every client's frames): bytes allocated during the run, -1 unknown. */
    long eventLoopAllocated = -1;
    long framesSent;
    String metricsText = "";
    String hlogFile;
    String failure;
    String loadBefore;
    String loadAfter;

    long droppedTotal() {
      long s = 0;
      for (long v : drops.values()) s += v;
      return s;
    }
  }

  private BenchRun() {}

  static Result run(Settings s, InferenceBackend backend, Path reportDir, PrintStream log) throws Exception {
    return run(s, backend, reportDir, log, 0, 0);
  }

  /**
   * @param pacerSpinNanos the source spins this long before each bin's end instead of parking through it (0: park)
   * @param publishSpinMicros the event loop spins up to this long for each expected result (0: sleeps until woken)
   */
  static Result run(Settings s, InferenceBackend backend, Path reportDir, PrintStream log, long pacerSpinNanos,
      long publishSpinMicros) throws Exception {
    Result r = new Result();
    r.settings = s;
    r.loadBefore = MachineInfo.loadAverage();
    var shape = backend.shape();
    SyntheticSource source = new SyntheticSource(shape.nIn(), s.binWidthNanos(), true, s.seed(), s.bins(), 0);
    source.pacer().spinNanos(pacerSpinNanos);
    ServerConfig cfg = new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, s.clientQueueKb() * 1024,
        Math.max(64, s.clients() + 4), null);
    LiveSystem live = new LiveSystem(source, backend, Mode.ONLINE, null, cfg, s.modelName(), s.bins(), -1,
        s.intervalMillis());
    live.pipeline().lateAfter((long) (s.lateMillis() * 1e6));
    live.server().publishSpinMicros(publishSpinMicros);
    PipelineStats stats = live.stats();
    stats.deviceClockHz(s.deviceClockHz());
    r.hlogFile = s.id() + ".hlog";
    List<LoopbackClient> clients = new ArrayList<>();
    try (var hlogOut = new java.io.PrintStream(reportDir.resolve(r.hlogFile).toFile(), "UTF-8")) {
      HistogramLogWriter writer = new HistogramLogWriter(hlogOut);
      long startMillis = System.currentTimeMillis();
      long startNanos = System.nanoTime();
      writer.outputComment("lfads-rt bench run " + s.id() + "; one interval histogram per stage (Tag=stage), values in ns");
      writer.outputLogFormatVersion();
      writer.outputStartTime(startMillis);
      writer.setBaseTime(startMillis);
      writer.outputLegend();
      for (Stage st : Stage.values()) r.overTime.put(st, new ArrayList<>());
      java.nio.ByteBuffer[] scratch = new java.nio.ByteBuffer[1];
      stats.intervalListener((stage, h, t0, t1) -> {
        if (h.getTotalCount() == 0) {
          // Before the run (the warm-up samples below): encoding once makes the histogram allocate its
          // ~200 KB encoding buffer now rather than in the run's first intervals.
          if (scratch[0] == null) scratch[0] = java.nio.ByteBuffer.allocate(h.getNeededByteBufferCapacity());
          scratch[0].clear();
          h.encodeIntoCompressedByteBuffer(scratch[0], java.util.zip.Deflater.BEST_SPEED);
          return;
        }
        double a = (t0 - startNanos) / 1e9, b = (t1 - startNanos) / 1e9;
        synchronized (writer) {
          h.setTag(stage.label());
          writer.outputIntervalHistogram(Math.max(0, a), b, h, 1.0);
          r.overTime.get(stage).add(new Point(b, h.getTotalCount(), h.getValueAtPercentile(50),
              h.getValueAtPercentile(99), h.getMaxValue()));
        }
      });
      // Allocate what the reporter keeps for the whole run before it starts (the recorders' interval
      // histograms, both snapshot buffers per stage, ~200 KB each): otherwise these one-time allocations
      // land in the first seconds of the run and can trigger a young collection in a small young generation.
      for (int round = 0; round < 2; round++) {
        stats.sample();
        for (Stage st : Stage.values()) {
          stats.recent(st);
          stats.total(st);
        }
      }
      // Earlier phases (baselines, previous runs) leave garbage; collect it now so it is not collected during this run.
      System.gc();
      long[] gc0 = MachineInfo.gcTotals();
      live.startServer();
      for (int i = 0; i < s.clients(); i++) clients.add(new LoopbackClient(i, live.server().port()));
      for (LoopbackClient c : clients) c.start();
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      long eventLoopId = live.server().workerThread().getId();
      long loopAlloc0 = threads.getThreadAllocatedBytes(eventLoopId);
      long t0 = System.nanoTime();
      live.startPipeline();
      long progressEvery = Math.max(1, (long) (s.rateHz() * 30));
      long nextProgress = progressEvery;
      while (!live.awaitEnd(500)) {
        if (live.loop().bins() >= nextProgress) {
          log.printf(Locale.ROOT, "  %s: %d / %d bins%n", s.id(), live.loop().bins(), s.bins());
          nextProgress += progressEvery;
        }
      }
      r.wallSeconds = (System.nanoTime() - t0) / 1e9;
      // Let every client drain what the server sent it, then read the server's own view.
      List<long[]> counters = live.server().clientCounters();
      for (int i = 0; i < clients.size() && i < counters.size(); i++) clients.get(i).awaitReceived(counters.get(i)[1], 5000);
      Thread.sleep(Math.max(50, 2 * s.binWidthNanos() / 1_000_000));
      counters = live.server().clientCounters();
      long loopAlloc1 = threads.getThreadAllocatedBytes(eventLoopId);
      if (loopAlloc0 >= 0 && loopAlloc1 >= 0) r.eventLoopAllocated = loopAlloc1 - loopAlloc0;
      for (long[] c : counters) r.framesSent += c[1];
      r.hotPathAllocated = live.loop().allocatedAfterWarmup();
      r.hotPathAllocatedBins = live.loop().binsAfterWarmup();
      r.metricsText = scrapeMetrics(live.server().port());
      long[] gc1 = MachineInfo.gcTotals();
      r.gcCount = gc1[0] - gc0[0];
      r.gcMillis = gc1[1] - gc0[1];
      if (live.loop().failure() != null) r.failure = String.valueOf(live.loop().failure());
      live.close();
      for (LoopbackClient c : clients) c.close();
      stats.sample(); // the last partial interval, after the event loop's final records
      stats.intervalListener(null);
      hlogOut.flush();
      for (Stage st : Stage.values()) r.stages.put(st, stats.total(st));
      r.binsIn = stats.binsIn();
      r.published = stats.publishedCount();
      for (DropReason d : DropReason.values()) r.drops.put(d, stats.drops(d));
      r.clientDropsTotal = stats.clientDrops();
      r.saturated = stats.saturatedCounts();
      r.clientArrival = new Histogram(1, 60_000_000_000L, 3);
      r.clientDelivery = new Histogram(1, 60_000_000_000L, 3);
      r.clientOverhead = new Histogram(1, 60_000_000_000L, 3);
      for (int i = 0; i < clients.size(); i++) {
        LoopbackClient c = clients.get(i);
        if (c.failure != null && r.failure == null) r.failure = "client " + i + ": " + c.failure;
        r.clientArrival.add(c.arrival);
        r.clientDelivery.add(c.delivery);
        r.clientOverhead.add(c.overhead);
        long[] sc = i < counters.size() ? counters.get(i) : new long[] {i, 0, 0};
        r.clients.add(new ClientCount(i, sc[1], sc[2], c.received, c.seqGaps));
      }
    } finally {
      for (LoopbackClient c : clients) c.close();
      live.close();
    }
    r.loadAfter = MachineInfo.loadAverage();
    return r;
  }

  /** The live {@code /metrics} text (Prometheus exposition format) from the run's own server. */
  static String scrapeMetrics(int port) {
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20)).build();
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return resp.statusCode() == 200 ? resp.body() : "# /metrics answered HTTP " + resp.statusCode() + "\n";
    } catch (IOException e) {
      return "# /metrics not reachable: " + e.getMessage() + "\n";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "# interrupted\n";
    }
  }
}
