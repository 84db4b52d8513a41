package org.lfadsrt.host.lab;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.lfadsrt.host.backend.BackendConfig;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.pipeline.HotPathLoop;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.sim.model.BundledModels;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code brand}: lfads-rt as a BRAND node (docs/lab.md). Launched by BRAND's supervisor as
 * {@code lfads-rt brand -n NICKNAME -i HOST -p PORT [-s SOCKET]} (a socket wins over host and port; flags it does
 * not know are ignored, as BRAND nodes do). Reads its parameters ({@link BrandParameters}) from the newest
 * {@code supergraph_stream} entry, reports {@code NODE_STARTED}, {@code NODE_READY}, {@code NODE_SHUTDOWN} or
 * {@code NODE_FATAL_ERROR} on {@code <nickname>_state}, then runs input stream → bins → online inference →
 * output stream until SIGINT.
 */
@Command(name = "brand", mixinStandardHelpOptions = true,
    description = "Run as a BRAND node: Redis input stream (crossings or binned spikes) -> online LFADS -> Redis output stream; "
        + "parameters from the newest supergraph_stream entry (docs/lab.md).")
public final class BrandCommand implements Callable<Integer> {
  public static final String SUPERGRAPH_STREAM = "supergraph_stream";

  @Option(names = {"-n", "--nickname"}, required = true, description = "Node nickname in the graph.")
  String nickname;

  @Option(names = {"-i", "--redis-host"}, description = "Redis host (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = {"-p", "--redis-port"}, description = "Redis port (default: ${DEFAULT-VALUE}).")
  int port = 6379;

  @Option(names = {"-s", "--redis-socket"}, description = "Redis Unix socket; used instead of host and port when given.")
  Path socket;

  @Option(names = "--quiet", description = "No start and stop lines on stdout.")
  boolean quiet;

  /** BRAND's supervisor may pass flags for other node kinds: ignored, like BRAND's own nodes do. */
  @Unmatched List<String> ignored;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    quietRedisClientLogs();
    RedisURI uri = socket != null ? RedisURI.Builder.socket(socket.toString()).build() : RedisURI.create(host, port);
    uri.setTimeout(Duration.ofSeconds(30));
    RedisClient client = RedisClient.create(uri);
    RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    StatefulRedisConnection<String, byte[]> control = null;
    StatefulRedisConnection<String, byte[]> input = null;
    StatefulRedisConnection<String, byte[]> output = null;
    InferenceBackend backend = null;
    String stateStream = nickname + "_state";
    CountDownLatch finished = new CountDownLatch(1);
    try {
      control = client.connect(codec);
      RedisCommands<String, byte[]> redis = control.sync();
      state(redis, stateStream, "NODE_STARTED", null);
      HotPathLoop loop;
      RedisStreamSource source;
      RedisResultSink sink;
      PipelineStats stats = new PipelineStats();
      try {
        List<StreamMessage<String, byte[]>> graph = redis.xrevrange(SUPERGRAPH_STREAM, Range.create("-", "+"), Limit.create(0, 1));
        if (graph.isEmpty() || graph.get(0).getBody().get("data") == null) {
          throw new BrandParameters.Invalid(SUPERGRAPH_STREAM + " has no entry with a 'data' field (is a graph loaded?)");
        }
        BrandParameters p = BrandParameters.fromSupergraph(graph.get(0).getBody().get("data"), nickname, defaultBackend());
        LfadsModel model = p.model().equals("bundled") ? BundledModels.demo() : ModelFile.load(Path.of(p.model()));
        backend = Backends.open(p.backend(), model, BackendConfig.defaults());
        var shape = backend.shape();
        double periodMs = p.inputPeriodMs() > 0 ? p.inputPeriodMs() : 10.0 / p.binSize();
        long binWidthNanos = Math.round(periodMs * p.binSize() * 1e6);
        input = client.connect(codec);
        output = client.connect(codec);
        // Read from the input's last entry at READY: whatever is added after NODE_READY is consumed.
        List<StreamMessage<String, byte[]>> last = redis.xrevrange(p.inputStream(), Range.create("-", "+"), Limit.create(0, 1));
        String startId = last.isEmpty() ? "0-0" : last.get(0).getId();
        source = new RedisStreamSource(input.sync(), p, shape.nIn(), binWidthNanos, startId);
        sink = new RedisResultSink(output.async(), p, source, shape.facDim(), shape.nOut());
        Pipeline pipeline = new Pipeline(backend, Mode.ONLINE, null, sink, stats);
        loop = new HotPathLoop(source, pipeline, -1, -1);
        if (!quiet) {
          out.printf(Locale.ROOT, "lfads-rt brand: node %s, model %s (N_in %d, factors %d, N_out %d), backend %s, %s.%s "
              + "(%s, %d per bin) -> %s [%s]%n", nickname, p.model(), shape.nIn(), shape.facDim(), shape.nOut(),
              backend.name(), p.inputStream(), p.inputField(), p.inputDtype(), p.binSize(), p.outputStream(),
              String.join(", ", p.outputs()));
        }
      } catch (Exception e) {
        String msg = e instanceof BrandParameters.Invalid ? e.getMessage() : e.toString();
        state(redis, stateStream, "NODE_FATAL_ERROR", msg);
        System.err.println("lfads-rt brand: " + msg);
        return 1;
      }
      HotPathLoop hot = loop;
      Thread hook = new Thread(() -> {
        hot.stop();
        try {
          finished.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          // exiting anyway
        }
      }, "lfads-brand-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      state(redis, stateStream, "NODE_READY", null);
      if (!quiet) out.println("lfads-rt brand: NODE_READY (SIGINT stops)");
      out.flush();
      loop.run(); // this thread is the hot path
      sink.flush(5000);
      if (loop.failure() != null) {
        state(redis, stateStream, "NODE_FATAL_ERROR", String.valueOf(loop.failure()));
        System.err.println("lfads-rt brand: " + loop.failure());
      } else {
        state(redis, stateStream, "NODE_SHUTDOWN", null);
      }
      if (!quiet) {
        out.printf(Locale.ROOT, "lfads-rt brand: %d entries in (%d malformed), %d bins, %d results written, %d dropped "
            + "(Redis behind), %d failed%n", source.entries(), source.malformedEntries(), stats.binsIn(), sink.written(),
            sink.dropped(), sink.failed());
        out.flush();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down (SIGINT): the hook is waiting for us
      }
      return loop.failure() == null ? 0 : 1;
    } finally {
      if (backend != null) backend.close();
      for (var c : new StatefulRedisConnection<?, ?>[] {input, output, control}) if (c != null) c.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      finished.countDown();
    }
  }

  /**
   * Lettuce warns at start that both epoll and io_uring are available, and Netty that TCP keep-alive options do not
   * apply to a Unix socket: noise for an operator; real errors still show.
   */
  static void quietRedisClientLogs() {
    for (String logger : new String[] {"io.lettuce.core.resource.Transports", "io.netty.bootstrap.Bootstrap"}) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) System.setProperty(key, "error");
    }
  }

  /** XADDs a BRAND state entry: {@code code} 0 or -1, {@code status}, and {@code details} for an error. */
  static void state(RedisCommands<String, byte[]> redis, String stream, String status, String details) {
    boolean error = details != null;
    Map<String, byte[]> body = details == null
        ? Map.of("code", bytes("0"), "status", bytes(status))
        : Map.of("code", bytes(error ? "-1" : "0"), "status", bytes(status), "details", bytes(details));
    redis.xadd(stream, body);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The bit-accurate software model of the kernel when built, else float (as {@code run}). */
  static String defaultBackend() {
    for (String name : new String[] {"software", "fixed"}) if (Backends.names().contains(name)) return name;
    return Backends.defaultName();
  }
}
