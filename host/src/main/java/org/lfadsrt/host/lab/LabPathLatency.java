package org.lfadsrt.host.lab;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.backend.BackendConfig;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.pipeline.HotPathLoop;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.pipeline.ResultSink;
import org.lfadsrt.host.metrics.Stage;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.ResultFlyweight;
import org.lfadsrt.host.server.RigEncoder;
import org.lfadsrt.host.server.RigMessage;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.source.TcpIngestSource;
import org.lfadsrt.sim.model.LfadsModel;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Latency of each way into and out of lfads-rt, in one run on one model and backend, measured as a lab sees it: a
 * producer thread plays the acquisition side (paced in real time, 10 ms bins of 1 ms entries or chunks where the
 * system has them), a consumer thread plays the rig, both in this process on one monotonic clock; a bin's latency
 * is the consumer's arrival time minus the time the producer sent the message that completed the bin.
 * Paths: native TCP ingest → rig protocol (the baseline), BRAND Redis stream → Redis stream, Open Ephys ZMQ →
 * UDP datagram, Intan RHX TCP spikes → OSC. The first {@link #WARMUP_BINS} bins of each path are not counted.
 */
public final class LabPathLatency {
  public static final long BIN_NANOS = 10_000_000L;
  public static final int WARMUP_BINS = 50;
  private static final long TIMEOUT_NANOS = 60_000_000_000L;

  /** One path's figures (latency in ns). */
  public record PathResult(String path, String carries, long bins, long received, Histogram latency, Histogram compute,
      String note) {}

  private LabPathLatency() {}

  /** Runs every path with {@code bins} bins (at least {@link #WARMUP_BINS} + 10) on {@code model} and {@code backendName}. */
  public static List<PathResult> run(LfadsModel model, String backendName, long bins, java.io.PrintStream log) throws Exception {
    bins = Math.max(bins, WARMUP_BINS + 10);
    List<PathResult> out = new ArrayList<>();
    String[] names = {"native: TCP ingest -> rig protocol", "BRAND: Redis stream -> Redis stream",
        "Open Ephys ZMQ -> UDP datagram", "Intan RHX spikes -> OSC"};
    for (int p = 0; p < names.length; p++) {
      log.println("bench: lab path " + names[p] + " (" + bins + " bins of 10 ms)");
      try {
        // each path owns its backend: the live system closes it, the Redis path closes it itself
        InferenceBackend backend = Backends.open(backendName, model, BackendConfig.defaults());
        out.add(switch (p) {
          case 0 -> nativePath(names[p], backend, (int) bins);
          case 1 -> redisPath(names[p], backend, (int) bins);
          case 2 -> zmqPath(names[p], backend, (int) bins);
          default -> intanPath(names[p], backend, (int) bins);
        });
      } catch (Exception e) {
        out.add(new PathResult(names[p], "", bins, 0, null, null, "not measured: " + e));
      }
    }
    return out;
  }

  /** Arrival times by bin index, filled by a consumer thread. */
  private static final class Arrivals {
    final long[] at;
    volatile long received;

    Arrivals(int bins) {
      at = new long[bins];
    }

    void arrived(long bin, long now) {
      if (bin >= 0 && bin < at.length && at[(int) bin] == 0) {
        at[(int) bin] = now;
        received++;
      }
    }

    /** Waits (bounded) until every bin has arrived or the run is clearly over. */
    void await(int bins) throws InterruptedException {
      long deadline = System.nanoTime() + TIMEOUT_NANOS;
      long last = -1, lastChange = System.nanoTime();
      while (received < bins && System.nanoTime() < deadline) {
        if (received != last) {
          last = received;
          lastChange = System.nanoTime();
        } else if (System.nanoTime() - lastChange > 5_000_000_000L) {
          return; // nothing for 5 s after the producer finished: the rest is lost
        }
        Thread.sleep(5);
      }
    }
  }

  private static PathResult result(String name, String carries, int bins, long[] sentForBin, Arrivals a,
      Histogram compute) {
    Histogram h = new Histogram(1, TIMEOUT_NANOS, 3);
    for (int k = WARMUP_BINS; k < bins; k++) {
      if (a.at[k] != 0 && sentForBin[k] != 0) h.recordValue(Math.max(1, Math.min(TIMEOUT_NANOS, a.at[k] - sentForBin[k])));
    }
    return new PathResult(name, carries, bins, a.received, h, compute, "");
  }

  private static Histogram compute(LiveSystem live) {
    live.stats().sample(); // the last interval too
    return live.stats().total(Stage.COMPUTE);
  }

  /** Sleeps until {@code t} (monotonic ns), then spins the last 50 µs. */
  private static void until(long t) {
    long left;
    while ((left = t - System.nanoTime()) > 50_000) LockSupport.parkNanos(left - 50_000);
    while (System.nanoTime() < t) Thread.onSpinWait();
  }

  private static Thread thread(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static ServerConfig serverConfig() {
    return new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 256 * 1024, 8, null);
  }

  // native: BIN_COUNTS frames over TCP -> RESULT frames over TCP
  private static PathResult nativePath(String name, InferenceBackend backend, int bins) throws Exception {
    int nIn = backend.shape().nIn();
    TcpIngestSource src = new TcpIngestSource("127.0.0.1", 0, nIn, BIN_NANOS);
    long[] sent = new long[bins];
    Arrivals a = new Arrivals(bins);
    try (LiveSystem live = new LiveSystem(src, backend, Mode.ONLINE, null, serverConfig(), "bench", bins, -1, 1000)) {
      live.start();
      Socket rig = new Socket();
      rig.setTcpNoDelay(true);
      rig.connect(new InetSocketAddress("127.0.0.1", live.server().port()));
      OutputStream ro = rig.getOutputStream();
      DataInputStream ri = new DataInputStream(new BufferedInputStream(rig.getInputStream()));
      ro.write(RigEncoder.toBytes(new RigMessage.Hello(Protocol.VERSION, Protocol.VERSION, "bench-lab", "")));
      ro.write(RigEncoder.toBytes(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1)));
      ro.flush();
      thread("bench-rig-reader", () -> {
        byte[] f = new byte[1 << 16];
        try {
          while (true) {
            int len = Integer.reverseBytes(ri.readInt());
            if (len > f.length) f = new byte[len];
            ri.readFully(f, 0, len);
            if ((f[0] & 0xFF) != Protocol.RESULT) continue;
            long now = System.nanoTime();
            long bin = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong(ResultFlyweight.BIN_INDEX_OFFSET - 4);
            a.arrived(bin, now);
          }
        } catch (IOException e) {
          // closed at the end
        }
      });
      try (Socket ingest = new Socket()) {
        ingest.setTcpNoDelay(true);
        ingest.connect(new InetSocketAddress("127.0.0.1", src.port()));
        OutputStream io = ingest.getOutputStream();
        ByteBuffer frame = ByteBuffer.allocate(8 + 10 + 2 * nIn).order(ByteOrder.LITTLE_ENDIAN);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        long t0 = System.nanoTime() + 20_000_000L;
        for (int k = 0; k < bins; k++) {
          frame.clear();
          frame.putInt(4 + 10 + 2 * nIn).put((byte) 0x41).put((byte) 1).putShort((short) 0).putLong(k * BIN_NANOS)
              .putShort((short) nIn);
          for (int c = 0; c < nIn; c++) frame.putShort((short) (rnd.nextInt(5) == 0 ? 1 : 0));
          until(t0 + (k + 1) * BIN_NANOS);
          sent[k] = System.nanoTime();
          io.write(frame.array(), 0, frame.position());
        }
        io.flush();
        a.await(bins);
      }
      rig.close();
      return result(name, "bin counts in; factors, rates out", bins, sent, a, compute(live));
    }
  }

  // BRAND: 1 ms crossings entries (bin_size 10) -> XADD results; a consumer XREADs the output stream
  private static PathResult redisPath(String name, InferenceBackend backend, int bins) throws Exception {
    try {
      return redisPathOn(name, backend, bins);
    } finally {
      backend.close();
    }
  }

  private static PathResult redisPathOn(String name, InferenceBackend backend, int bins) throws Exception {
    if (!LocalRedisServer.available()) throw new IOException(LocalRedisServer.SERVER + " missing (scripts/setup.sh installs it)");
    BrandCommand.quietRedisClientLogs();
    int nIn = backend.shape().nIn();
    long[] sentEntry = new long[bins * 10];
    long[] sent = new long[bins];
    Arrivals a = new Arrivals(bins);
    try (LocalRedisServer redis = new LocalRedisServer()) {
      RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
      BrandParameters p = new BrandParameters("bundled", backend.name(), "bench_in", "crossings", "int16", 10, 1.0,
          "bench_out", List.of("factors", "rates"), "lfads", 4096);
      try (StatefulRedisConnection<String, byte[]> in = redis.client.connect(codec);
          StatefulRedisConnection<String, byte[]> outConn = redis.client.connect(codec);
          StatefulRedisConnection<String, byte[]> consumer = redis.client.connect(codec)) {
        RedisStreamSource src = new RedisStreamSource(in.sync(), p, nIn, BIN_NANOS, "0-0");
        RedisResultSink sink = new RedisResultSink(outConn.async(), p, src, backend.shape().facDim(), backend.shape().nOut());
        PipelineStats stats = new PipelineStats();
        LiveSystemWarmUp.warm(backend);
        HotPathLoop loop = new HotPathLoop(src, new Pipeline(backend, Mode.ONLINE, null, sink, stats), bins, -1);
        Thread hot = thread("bench-brand-node", loop);
        Thread reader = thread("bench-redis-consumer", () -> {
          RedisCommands<String, byte[]> c = consumer.sync();
          String last = "0-0";
          XReadArgs args = XReadArgs.Builder.block(200).count(64);
          while (a.received < bins && !Thread.currentThread().isInterrupted()) {
            List<StreamMessage<String, byte[]>> got;
            try {
              got = c.xread(args, XReadArgs.StreamOffset.from("bench_out", last));
            } catch (RuntimeException e) {
              return;
            }
            long now = System.nanoTime();
            for (StreamMessage<String, byte[]> m : got) {
              last = m.getId();
              a.arrived(ByteBuffer.wrap(m.getBody().get("i")).order(ByteOrder.LITTLE_ENDIAN).getLong(), now);
            }
          }
        });
        RedisCommands<String, byte[]> producer = redis.connection.sync();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
        ByteBuffer crossings = ByteBuffer.allocate(2 * nIn).order(ByteOrder.LITTLE_ENDIAN);
        long t0 = System.nanoTime() + 20_000_000L;
        for (int j = 0; j < bins * 10; j++) {
          for (int c = 0; c < nIn; c++) crossings.putShort(2 * c, (short) (rnd.nextInt(50) == 0 ? 1 : 0));
          until(t0 + (j + 1) * 1_000_000L);
          sentEntry[j] = System.nanoTime();
          producer.xadd("bench_in", Map.of("crossings", crossings.array().clone(),
              "sync", ("{\"nsp_idx_1\": " + j + "}").getBytes(StandardCharsets.US_ASCII)));
        }
        for (int k = 0; k < bins; k++) sent[k] = sentEntry[10 * k + 9];
        a.await(bins);
        loop.stop();
        hot.join(5000);
        reader.interrupt();
        reader.join(5000);
        stats.sample();
        return result(name, "1 ms crossings in; factors, rates, sync out", bins, sent, a, stats.total(Stage.COMPUTE));
      }
    }
  }

  // Open Ephys: DATA blocks of 300 samples (10 ms) + spike events over ZMQ -> one UDP datagram per result
  private static PathResult zmqPath(String name, InferenceBackend backend, int bins) throws Exception {
    int nIn = backend.shape().nIn();
    long[] sentBlock = new long[bins + 1];
    long[] sent = new long[bins];
    Arrivals a = new Arrivals(bins);
    try (ZContext ctx = new ZContext(); DatagramChannel rx = DatagramChannel.open()) {
      rx.bind(new InetSocketAddress("127.0.0.1", 0));
      ZMQ.Socket pub = ctx.createSocket(SocketType.XPUB);
      int port = pub.bindToRandomPort("tcp://127.0.0.1");
      ZmqSpikeSource src = ZmqSpikeSource.open("tcp://127.0.0.1:" + port + "?rate=30000&heartbeat_ms=600000", nIn, BIN_NANOS);
      UdpResultSender udp = new UdpResultSender("127.0.0.1:" + ((InetSocketAddress) rx.getLocalAddress()).getPort(),
          backend.shape().facDim(), backend.shape().nOut(), 0);
      try (LiveSystem live = new LiveSystem(src, backend, Mode.ONLINE, null, serverConfig(), "bench", bins, -1, 1000, udp)) {
        live.start();
        pub.recv(0); // the subscription: the source is listening
        thread("bench-udp-receiver", () -> {
          ByteBuffer d = ByteBuffer.allocate(65536).order(ByteOrder.LITTLE_ENDIAN);
          try {
            while (true) {
              d.clear();
              rx.receive(d);
              a.arrived(d.getLong(UdpResultSender.BIN_INDEX_OFFSET), System.nanoTime());
            }
          } catch (IOException e) {
            // closed at the end
          }
        });
        byte[] data = new byte[4 * 300];
        byte[] wave = new byte[4 * 40];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        long t0 = System.nanoTime() + 20_000_000L;
        for (int j = 0; j <= bins; j++) {
          String header = "{\"message_num\": " + j + ", \"type\": \"data\", \"content\": {\"stream\": \"example_data\", "
              + "\"channel_num\": 0, \"channel_name\": \"CH1\", \"num_samples\": 300, \"sample_num\": " + (300L * j)
              + ", \"sample_rate\": 30000}, \"data_size\": 1200, \"timestamp\": " + (10 * j) + "}";
          until(t0 + (j + 1) * BIN_NANOS);
          sentBlock[j] = System.nanoTime();
          pub.sendMore("DATA\0");
          pub.sendMore(header);
          pub.send(data, 0);
          for (int s = 0; s < 6; s++) {
            String spike = "{\"message_num\": 0, \"type\": \"spike\", \"spike\": {\"stream\": \"example_data\", "
                + "\"source_node\": 102, \"electrode\": \"Electrode " + rnd.nextInt(nIn) + "\", \"sample_num\": "
                + (300L * j + rnd.nextInt(300)) + ", \"num_channels\": 1, \"num_samples\": 40, \"sorted_id\": 0}}";
            pub.sendMore("EVENT\0");
            pub.sendMore(spike);
            pub.send(wave, 0);
          }
        }
        for (int k = 0; k < bins; k++) sent[k] = sentBlock[k + 1]; // the next block's DATA completes bin k
        a.await(bins);
        rx.close();
        udp.close();
        return result(name, "spike events in; factors, rates out", bins, sent, a, compute(live));
      }
    }
  }

  // Intan RHX: one 14-byte spike chunk per ms over TCP -> OSC messages
  private static PathResult intanPath(String name, InferenceBackend backend, int bins) throws Exception {
    int nIn = backend.shape().nIn();
    int chunks = 10 * bins + 10;
    long[] sentChunk = new long[chunks];
    long[] sent = new long[bins];
    Arrivals a = new Arrivals(bins);
    try (ServerSocket rhx = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        DatagramChannel rx = DatagramChannel.open()) {
      rx.bind(new InetSocketAddress("127.0.0.1", 0));
      IntanSpikeSource src = IntanSpikeSource.open("127.0.0.1:" + rhx.getLocalPort(), nIn, BIN_NANOS);
      OscResultSender osc = new OscResultSender("127.0.0.1:" + ((InetSocketAddress) rx.getLocalAddress()).getPort(),
          backend.shape().facDim(), backend.shape().nOut(), 0);
      try (LiveSystem live = new LiveSystem(src, backend, Mode.ONLINE, null, serverConfig(), "bench", bins, -1, 1000, osc)) {
        live.start();
        thread("bench-osc-receiver", () -> {
          ByteBuffer d = ByteBuffer.allocate(65536).order(ByteOrder.BIG_ENDIAN);
          byte[] bin = OscResultSender.BIN.getBytes(StandardCharsets.US_ASCII);
          try {
            while (true) {
              d.clear();
              rx.receive(d);
              boolean isBin = d.position() == 24 && d.get(bin.length) == 0;
              for (int i = 0; isBin && i < bin.length; i++) isBin = d.get(i) == bin[i];
              if (isBin) a.arrived(d.getInt(20), System.nanoTime()); // ",ii" tags at 12, args at 16: seq, bin
            }
          } catch (IOException e) {
            // closed at the end
          }
        });
        try (Socket conn = rhx.accept()) {
          conn.setTcpNoDelay(true);
          OutputStream o = conn.getOutputStream();
          ByteBuffer chunk = ByteBuffer.allocate(IntanSpikeSource.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
          long t0 = System.nanoTime() + 20_000_000L;
          for (int j = 0; j < chunks; j++) {
            chunk.clear();
            chunk.putInt(IntanSpikeSource.MAGIC).put(String.format(Locale.ROOT, "A-%03d", j % nIn).getBytes(StandardCharsets.US_ASCII))
                .putInt(30 * j).put((byte) 1);
            until(t0 + (j + 1) * 1_000_000L);
            sentChunk[j] = System.nanoTime();
            o.write(chunk.array());
          }
          // bin k (samples 300k..300k+299) is complete at the first chunk >= 300(k+1) + slack 128: j = 10(k+1) + 5
          for (int k = 0; k < bins; k++) sent[k] = sentChunk[Math.min(chunks - 1, 10 * (k + 1) + 5)];
          a.await(bins);
        }
        rx.close();
        osc.close();
        return result(name, "spike chunks in; factors, rates out", bins, sent, a, compute(live));
      }
    }
  }

  /** The bench report's section. */
  public static String markdown(List<PathResult> results, String model, String backend) {
    StringBuilder md = new StringBuilder();
    md.append("\n## Lab paths (same run; model ").append(model).append(", backend ").append(backend).append(", 10 ms bins)\n\n");
    md.append("Latency from the acquisition side sending the message that completes a bin to the rig side receiving its "
        + "result, both threads of this process on one monotonic clock (docs/lab.md). The first " + WARMUP_BINS
        + " bins of each path are not counted; compute is the backend's part.\n\n");
    md.append("| path | carries | bins | received | p50 | p90 | p99 | max | compute p50 | note |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (PathResult r : results) {
      md.append("| ").append(r.path()).append(" | ").append(r.carries()).append(" | ").append(r.bins()).append(" | ")
          .append(r.received()).append(" | ");
      if (r.latency() == null || r.latency().getTotalCount() == 0) {
        md.append("- | - | - | - | - | ").append(r.note()).append(" |\n");
        continue;
      }
      Histogram h = r.latency();
      md.append(us(h.getValueAtPercentile(50))).append(" | ").append(us(h.getValueAtPercentile(90))).append(" | ")
          .append(us(h.getValueAtPercentile(99))).append(" | ").append(us(h.getMaxValue())).append(" | ")
          .append(r.compute() == null ? "-" : us(r.compute().getValueAtPercentile(50))).append(" | ").append(r.note()).append(" |\n");
    }
    return md.toString();
  }

  static String us(long nanos) {
    return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
  }

  /** The JIT warm-up the live system does before its first bin, for the path that runs without one. */
  private static final class LiveSystemWarmUp {
    static void warm(InferenceBackend backend) {
      var batch = new org.lfadsrt.host.backend.InferenceBatch(backend.shape(), 1);
      batch.trials(1);
      java.util.SplittableRandom r = new java.util.SplittableRandom(1);
      long start = System.nanoTime();
      for (int i = 0; i < 300 && System.nanoTime() - start < 3_000_000_000L; i++) {
        for (int j = 0; j < backend.shape().spikeBytesPerTrial(); j++) batch.spikes().put(j, (byte) (r.nextInt(4) == 0 ? 1 : 0));
        try {
          backend.infer(batch);
        } catch (org.lfadsrt.host.backend.BackendException e) {
          return;
        }
      }
    }
  }
}
