package org.lfadsrt.host.lab;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.cli.Main;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.BundledModels;

/**
 * lfads-rt as a BRAND node against a real redis-server: the node runs as its own process, launched the way
 * BRAND's supervisor launches nodes; a Python producer (python3-redis) writes thresholdExtraction-style entries;
 * the test reads every output entry and checks count, order, {@code i}, {@code ts}, {@code sync} and that every
 * value is bit-equal to {@code lfads-rt infer} on the same windows of the same bins. Then SIGINT: NODE_SHUTDOWN.
 */
class BrandNodeTest {
  static final String NICK = "lfads";
  static final String INPUT = "thresh_cross_1";
  static final int CHANNELS = 30;
  static final int BIN_SIZE = 10;
  static final int T_ENC = 50;
  static final int BINS = T_ENC + 25; // partial windows, then full ones
  static LocalRedisServer redis;
  static RedisCommands<String, byte[]> r;

  @BeforeAll
  static void startRedis() throws Exception {
    assertTrue(LocalRedisServer.available(), "redis-server missing: scripts/setup.sh test installs it");
    redis = new LocalRedisServer();
    r = redis.connection.sync();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) redis.close();
  }

  static void loadGraph(String nickname, String parametersJson) {
    String data = "{\"redis_host\": \"127.0.0.1\", \"redis_port\": 0, \"graph_name\": \"test\", \"nodes\": {\"" + nickname
        + "\": {\"name\": \"lfads_rt\", \"nickname\": \"" + nickname + "\", \"module\": \"lfads-rt\", \"parameters\": "
        + parametersJson + "}}}";
    r.xadd(BrandCommand.SUPERGRAPH_STREAM, Map.of("data", data.getBytes(StandardCharsets.UTF_8)));
  }

  static List<String> statuses(String nickname) {
    List<String> out = new ArrayList<>();
    for (StreamMessage<String, byte[]> m : r.xrange(nickname + "_state", Range.create("-", "+"))) {
      out.add(new String(m.getBody().get("status"), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Polls a condition (the node is another process) with a generous bound; fails with {@code what} when it never holds. */
  static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void unknownParameterIsRefusedByNameAsFatalError() {
    loadGraph("typo", "{\"input_stream\": \"x\", \"bin_sise\": 10}");
    int code = Main.commandLine().execute("brand", "-n", "typo", "-s", redis.socket.toString(), "--quiet");
    assertEquals(1, code);
    assertEquals(List.of("NODE_STARTED", "NODE_FATAL_ERROR"), statuses("typo"));
    var last = r.xrange("typo_state", Range.create("-", "+")).get(1).getBody();
    assertTrue(new String(last.get("details"), StandardCharsets.UTF_8).contains("unknown parameter 'bin_sise'"));
  }

  @Test
  void binnedSamplesAreReadOneEntryPerBinAndBadEntriesAreSkipped() throws Exception {
    BrandParameters p = BrandParameters.fromSupergraph(("{\"nodes\": {\"b\": {\"parameters\": {\"input_stream\": "
        + "\"binned_spikes\", \"input_field\": \"samples\"}}}}").getBytes(StandardCharsets.UTF_8), "b", "float");
    assertEquals("int8", p.inputDtype());
    assertEquals(1, p.binSize());
    try (var in = redis.client.connect(io.lettuce.core.codec.RedisCodec.of(io.lettuce.core.codec.StringCodec.UTF8,
        io.lettuce.core.codec.ByteArrayCodec.INSTANCE))) {
      RedisStreamSource src = new RedisStreamSource(in.sync(), p, 4, 20_000_000L, "0-0");
      r.xadd("binned_spikes", Map.of("samples", new byte[] {1, 0, 3, 127}, "sync", "{\"i\": 7}".getBytes(StandardCharsets.UTF_8)));
      r.xadd("binned_spikes", Map.of("samples", new byte[] {1, 2, 3})); // wrong size: skipped, counted
      r.xadd("binned_spikes", Map.of("other", new byte[] {1}));         // no samples field: skipped, counted
      r.xadd("binned_spikes", Map.of("samples", new byte[] {0, 5, 0, 2}));
      int[] counts = new int[4];
      assertEquals(org.lfadsrt.host.source.SpikeSource.BIN, src.next(counts));
      assertArrayEquals(new int[] {1, 0, 3, 127}, counts);
      assertEquals("{\"i\": 7}", new String(src.syncOf(0), StandardCharsets.UTF_8));
      assertEquals(org.lfadsrt.host.source.SpikeSource.BIN, src.next(counts));
      assertArrayEquals(new int[] {0, 5, 0, 2}, counts);
      assertEquals(1, src.binIndex());
      assertNull(src.syncOf(1));
      assertEquals(2, src.malformedEntries());
      src.close();
      assertEquals(org.lfadsrt.host.source.SpikeSource.END_OF_STREAM, src.next(counts));
    }
  }

  @Test
  void syncJsonGetsTheNodeCounterAdded() {
    BrandParameters p = new BrandParameters("bundled", "float", "x", "crossings", "int16", 10, 1, "out", List.of("factors"),
        "lfads", 4);
    RedisResultSink sink = new RedisResultSink(null, p, null, 2, 2);
    assertEquals("{\"nsp_idx_1\": 5, \"lfads\": 12}", new String(sink.sync("{\"nsp_idx_1\": 5}".getBytes(StandardCharsets.UTF_8), 12), StandardCharsets.UTF_8));
    assertEquals("{\"lfads\": 0}", new String(sink.sync("{}".getBytes(StandardCharsets.UTF_8), 0), StandardCharsets.UTF_8));
    assertEquals("{\"lfads\": 3}", new String(sink.sync(null, 3), StandardCharsets.UTF_8));
  }

  @Test
  void nodeConsumesCrossingsAndPublishesBitEqualResults(@TempDir Path tmp) throws Exception {
    loadGraph(NICK, "{\"input_stream\": \"" + INPUT + "\", \"input_field\": \"crossings\", \"bin_size\": \"" + BIN_SIZE
        + "\", \"backend\": \"float\", \"model\": \"bundled\", \"outputs\": [\"factors\", \"rates\"], \"output_stream\": \"lfads_out\"}");
    // An entry before the node starts is not part of its run (BRAND nodes read from '$').
    r.xadd(INPUT, Map.of("crossings", new byte[2 * CHANNELS]));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // `env --default-signal=INT`: a process started in the background by a shell without job control (nohup, `cmd &`
    // in a script, some CI runners) inherits SIGINT ignored, and a JVM keeps an ignored SIGINT ignored, so the node
    // would never see the SIGINT below. BRAND's supervisor starts nodes with SIGINT at its default.
    Process node = new ProcessBuilder("env", "--default-signal=INT", java, "-cp", System.getProperty("java.class.path"), "org.lfadsrt.host.cli.Main",
        "brand", "-n", NICK, "-i", "127.0.0.1", "-p", "6379", "-s", redis.socket.toString(), "--supervisor-flag")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("node.log").toFile()).start();
    try {
      await("NODE_READY", () -> statuses(NICK).contains("NODE_READY") || !node.isAlive());
      assertTrue(node.isAlive(), () -> "node exited: " + read(tmp.resolve("node.log")));
      assertEquals(List.of("NODE_STARTED", "NODE_READY"), statuses(NICK));

      Process producer = new ProcessBuilder("/usr/bin/python3", "src/test/resources/lab/brand_producer.py",
          redis.socket.toString(), INPUT, Integer.toString(BINS * BIN_SIZE), Integer.toString(CHANNELS), "5")
          .redirectErrorStream(true).start();
      String produced = new String(producer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, producer.waitFor(), produced);
      await("all results", () -> r.xlen("lfads_out") >= BINS || !node.isAlive());

      // SIGINT, as BRAND's supervisor stops a node
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(node.pid())).start().waitFor());
      await("node exit", () -> !node.isAlive());
      assertEquals(List.of("NODE_STARTED", "NODE_READY", "NODE_SHUTDOWN"), statuses(NICK), read(tmp.resolve("node.log")));
    } finally {
      node.destroyForcibly();
    }

    // Independent reference: bins summed from the input entries the producer wrote, windows zero-padded at the
    // start, `lfads-rt infer --backend float` on them.
    List<StreamMessage<String, byte[]>> in = r.xrange(INPUT, Range.create("-", "+"));
    in = in.subList(1, in.size()); // the entry written before the node started
    assertEquals(BINS * BIN_SIZE, in.size());
    int[][] bins = new int[BINS][CHANNELS];
    for (int e = 0; e < in.size(); e++) {
      ByteBuffer b = ByteBuffer.wrap(in.get(e).getBody().get("crossings")).order(ByteOrder.LITTLE_ENDIAN);
      for (int c = 0; c < CHANNELS; c++) bins[e / BIN_SIZE][c] += b.getShort(2 * c);
    }
    long[] windows = new long[BINS * T_ENC * CHANNELS];
    for (int k = 0; k < BINS; k++) {
      for (int t = 0; t < T_ENC; t++) {
        int bin = k - (T_ENC - 1) + t;
        if (bin < 0) continue;
        for (int c = 0; c < CHANNELS; c++) windows[(k * T_ENC + t) * CHANNELS + c] = bins[bin][c];
      }
    }
    Path model = tmp.resolve("model.npz");
    try (InputStream s = BundledModels.class.getResourceAsStream(BundledModels.DEMO_RESOURCE)) {
      Files.copy(s, model);
    }
    Npy.write(tmp.resolve("windows.npy"), NdArray.ofLongs(NdArray.DType.I8, windows, BINS, T_ENC, CHANNELS));
    assertEquals(0, Main.commandLine().execute("infer", "--model", model.toString(), "--spikes",
        tmp.resolve("windows.npy").toString(), "--out", tmp.resolve("ref.npz").toString(), "--backend", "float"));
    NpzReader ref = NpzReader.open(tmp.resolve("ref.npz"));
    NdArray factors = ref.array("factors"), rates = ref.array("rates");
    int fac = factors.dim(2), nOut = rates.dim(2), tRec = factors.dim(1);
    double[] f = factors.doubleData(), rt = rates.doubleData();

    List<StreamMessage<String, byte[]>> out = r.xrange("lfads_out", Range.create("-", "+"));
    assertEquals(BINS, out.size(), "one output entry per bin");
    ObjectMapper json = new ObjectMapper();
    long lastTs = Long.MIN_VALUE;
    for (int k = 0; k < BINS; k++) {
      Map<String, byte[]> body = out.get(k).getBody();
      assertEquals(k, ByteBuffer.wrap(body.get("i")).order(ByteOrder.LITTLE_ENDIAN).getLong(), "i of entry " + k);
      long ts = ByteBuffer.wrap(body.get("ts")).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertTrue(ts > lastTs, "ts increases");
      lastTs = ts;
      JsonNode sync = json.readTree(body.get("sync"));
      assertEquals(k * BIN_SIZE + BIN_SIZE - 1, sync.get("nsp_idx_1").asLong(), "sync of the bin's last input entry");
      assertEquals(k, sync.get(NICK).asLong(), "the node's own sync counter");
      ByteBuffer s = ByteBuffer.wrap(body.get("samples")).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(4 * (fac + nOut), body.get("samples").length);
      for (int j = 0; j < fac; j++) {
        float got = s.getFloat(4 * j);
        assertTrue(Float.isFinite(got));
        float want = (float) f[(k * tRec + T_ENC - 1) * fac + j];
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), "factor " + j + " of bin " + k);
      }
      for (int j = 0; j < nOut; j++) {
        float got = s.getFloat(4 * (fac + j));
        assertTrue(Float.isFinite(got));
        float want = (float) rt[(k * tRec + T_ENC - 1) * nOut + j];
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), "rate " + j + " of bin " + k);
      }
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "(no log)";
    }
  }
}
