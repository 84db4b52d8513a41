package org.lfadsrt.host.live;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.backend.FailoverBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.pipeline.HotPathLoop;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.Stage;
import org.lfadsrt.host.pipeline.ResultSink;
import org.lfadsrt.host.pipeline.ResultSinks;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.RigServer;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.server.StreamDescription;
import org.lfadsrt.host.source.SpikeSource;

/**
 * The running system: source → pipeline (hot-path thread) → rig server, plus a reporter that samples
 * the statistics once per interval, pushes STATUS to clients and calls a status-line printer.
 * {@link #start()}, then {@link #awaitEnd()} or {@link #stop()}; {@link #close()} releases everything.
 */
public final class LiveSystem implements AutoCloseable {
  private final SpikeSource source;
  private final PipelineStats stats = new PipelineStats();
  private final RigServer server;
  private final HotPathLoop loop;
  private final Pipeline pipeline;
  private final Thread hotThread;
  private final ScheduledExecutorService reporter;
  private final long statusIntervalMillis;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Consumer<LiveSystem> onStatus = s -> {};
  private volatile boolean closed;

  public LiveSystem(SpikeSource source, InferenceBackend backend, Mode mode, RidgeDecoder decoder,
      ServerConfig serverConfig, String modelName, long maxBins, long maxNanos, long statusIntervalMillis) {
    this(source, backend, mode, decoder, serverConfig, modelName, maxBins, maxNanos, statusIntervalMillis, null);
  }

  /** @param tap also receives every published result after the server (the recorder), or null */
  public LiveSystem(SpikeSource source, InferenceBackend backend, Mode mode, RidgeDecoder decoder,
      ServerConfig serverConfig, String modelName, long maxBins, long maxNanos, long statusIntervalMillis,
      ResultSink tap) {
    this.source = source;
    List<String> decodedNames = decoder == null ? List.of() : decoder.outputNames();
    this.server = new RigServer(serverConfig, new StreamDescription(source.info(), backend.publishedShape(), backend.name(),
        mode.name().toLowerCase(Locale.ROOT), modelName, decodedNames), stats);
    this.pipeline = new Pipeline(backend, mode, decoder, ResultSinks.tee(server, tap), stats);
    reportFailovers(backend);
    this.loop = new HotPathLoop(source, pipeline, maxBins, maxNanos);
    this.hotThread = new Thread(() -> {
      try {
        loop.run();
      } finally {
        ended.countDown();
      }
    }, "lfads-hot-path");
    this.reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lfads-reporter");
      t.setDaemon(true);
      return t;
    });
    this.statusIntervalMillis = statusIntervalMillis;
  }

  /**
   * Runs the backend on random windows before the source's clock starts, so JIT compilation (or device
   * set-up) does not land on the first live bins as seconds of backlog.
   */
  static void warmUp(InferenceBackend backend, int iterations, long maxNanos) {
    var batch = new org.lfadsrt.host.backend.InferenceBatch(backend.shape(), 1);
    batch.trials(1);
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    long start = System.nanoTime();
    for (int i = 0; i < iterations && System.nanoTime() - start < maxNanos; i++) {
      for (int j = 0; j < backend.shape().spikeBytesPerTrial(); j++) batch.spikes().put(j, (byte) (r.nextInt(4) == 0 ? 1 : 0));
      try {
        backend.infer(batch);
      } catch (org.lfadsrt.host.backend.BackendException e) {
        return; // the live run will report the backend's problem per bin
      }
    }
  }

  /**
   * A {@link FailoverBackend} reports its switches to clients: a NOTICE (backend failover, or recovered when
   * it returns to the primary), and the next STATUS carries the counts.
   */
  private void reportFailovers(InferenceBackend b) {
    if (b instanceof FailoverBackend fo) {
      fo.addListener(e -> {
        server.updateBackend(fo.name());
        server.broadcastNotice(e.cause() == null ? Protocol.NOTICE_BACKEND_RECOVERED : Protocol.NOTICE_BACKEND_FAILOVER,
            e.toString());
      });
    }
  }

  /**
   * Replaces the backend between two bins (no accepted bin is lost; see {@link Pipeline#replaceBackend}),
   * reporting failovers of the new one to clients like the first one's.
   */
  public void replaceBackend(InferenceBackend next) {
    if (!next.shape().equals(pipeline.shape())) {
      throw new IllegalArgumentException("backend " + next.name() + " has shape " + next.shape() + " but the stream has "
          + pipeline.shape());
    }
    reportFailovers(next);
    pipeline.replaceBackend(next);
    server.updateBackend(next.name());
  }

  /** Called on the reporter thread after each sample. */
  public LiveSystem onStatus(Consumer<LiveSystem> printer) {
    this.onStatus = printer;
    return this;
  }

  public LiveSystem start() throws InterruptedException {
    return startServer().startPipeline();
  }

  /** Warms the backend up, then starts the server and the reporter: clients can connect before the first bin. */
  public LiveSystem startServer() throws InterruptedException {
    warmUp(pipeline.backend(), 300, 3_000_000_000L);
    server.start();
    reporter.scheduleAtFixedRate(this::report, statusIntervalMillis, statusIntervalMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Starts the hot-path thread. */
  public LiveSystem startPipeline() {
    hotThread.start();
    return this;
  }

  private void report() {
    if (closed) return;
    try {
      stats.sample();
      server.broadcastStatus();
      if (!closed) onStatus.accept(this);
    } catch (RuntimeException e) {
      // a reporting hiccup must never stop the reporter
    }
  }

  /** Waits until the source ends, the bin/duration limit is reached, or {@link #stop()}. */
  public void awaitEnd() throws InterruptedException {
    ended.await();
  }

  public boolean awaitEnd(long millis) throws InterruptedException {
    return ended.await(millis, TimeUnit.MILLISECONDS);
  }

  public void stop() {
    loop.stop();
  }

  public Pipeline pipeline() { return pipeline; }
  public RigServer server() { return server; }
  public PipelineStats stats() { return stats; }
  public HotPathLoop loop() { return loop; }
  public SpikeSource source() { return source; }
  /** The backend the pipeline runs on (after any replacement that has taken effect). */
  public InferenceBackend backend() { return pipeline.backend(); }

  /**
   * One status line: bins, rate, end-to-end p50/p99/p99.9/max over the sliding window (the last
   * {@link PipelineStats#DEFAULT_WINDOW_INTERVALS} status intervals), compute p50, clients, drops.
   */
  public String statusLine() {
    return org.lfadsrt.host.metrics.StatusReport.statusLine(stats, server.serverStats());
  }

  /** Multi-line end-of-run summary (whole-run histograms). */
  public void printSummary(PrintStream out) {
    stats.sample();
    org.lfadsrt.host.metrics.StatusReport.summary(out, stats);
    if (loop.failure() != null) out.println("  stopped by error: " + loop.failure().getMessage());
  }

  public static String micros(long nanos) {
    return org.lfadsrt.host.metrics.StatusReport.micros(nanos);
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    loop.stop();
    try {
      hotThread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reporter.shutdownNow();
    server.close();
    InferenceBackend pending = pipeline.takePendingBackend();
    if (pending != null) pending.close();
    pipeline.backend().close();
    source.close();
  }
}
