package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.ServerStats;
import org.lfadsrt.host.metrics.StatusReport;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.source.StreamInfo;

/**
 * Limits before HELLO (docs/security.md): the handshake timeout closes idle connections, the pending-HELLO cap
 * refuses connections beyond it, the per-address rate refuses a connection burst; all counted in STATUS, JSON
 * and {@code /metrics}; a well-behaved client gets in meanwhile.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandshakeLimitsTest {
  static final ModelShape SHAPE = new ModelShape(8, 10, 10, 4, 16);
  static final StreamInfo INFO = new StreamInfo("t", "SpikeCounts", "test", 8, 10_000_000, StreamInfo.numberedChannels(8));
  final List<Socket> idle = new ArrayList<>();

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : idle) s.close();
  }

  static ServerConfig config(ServerLimits limits) {
    return new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 64 * 1024, 8, null, 0, limits);
  }

  RigServer server(ServerLimits limits) throws InterruptedException {
    return new RigServer(config(limits), new StreamDescription(INFO, SHAPE, "test", "online", "m", List.of()),
        new PipelineStats(), System::nanoTime, line -> {}).start();
  }

  Socket connectIdle(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(60_000);
    idle.add(s);
    return s;
  }

  /** Polls {@code condition} (the server's own counters) for up to a minute: no sleeps decide the outcome. */
  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
      Thread.sleep(5);
    }
  }

  static boolean closedByServer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    try {
      return in.read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Test
  void fiveHundredIdleConnectionsAreClosedByTheHandshakeTimeoutWhileAGoodClientConnects() throws Exception {
    ServerLimits limits = ServerLimits.DEFAULTS.withHandshake(4000, 1000, 0); // the good client has 4 s for its HELLO
    try (RigServer server = server(limits)) {
      for (int i = 0; i < 500; i++) connectIdle(server.port());
      await(() -> server.serverStats().pendingHandshakes() == 500, "500 connections waiting for HELLO");
      try (TestRigClient good = new TestRigClient(server.port(), 0)) {
        good.hello("good");
        good.send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1));
        good.readUntil(RigMessage.Status.class);
        await(() -> server.serverStats().get(ServerStats.Counter.HANDSHAKE_TIMEOUTS) == 500, "500 handshake timeouts");
        for (Socket s : idle) assertTrue(closedByServer(s), "idle connection closed by the server");
        assertEquals(0, server.serverStats().pendingHandshakes());
        assertEquals(1, server.clientCount(), "the good client is still connected");
        BinResult r = new BinResult(4, 16, 0);
        r.tSource = System.nanoTime();
        server.publish(r);
        assertEquals(0, good.readUntil(RigMessage.Result.class).seq(), "and still served");
        RigMessage.Status st;
        do {
          server.broadcastStatus();
          st = good.readUntil(RigMessage.Status.class);
        } while (st.serverCounters().isEmpty());
        assertTrue(st.serverCounters().contains(new RigMessage.DropCount("handshake_timeouts", 500)), st.toString());
        String metrics = StatusReport.prometheus(server.stats(), server.serverStats());
        assertTrue(metrics.contains("lfadsrt_handshake_timeouts_total 500"), metrics);
      }
    }
  }

  @Test
  void completedHandshakesAreNoLongerPendingWhateverTheProtocol() throws Exception {
    try (RigServer server = server(ServerLimits.DEFAULTS.withHandshake(60_000, 100, 0))) {
      try (TestRigClient rig = new TestRigClient(server.port(), 0);
          Socket ws = WebSocketErrorsTest.upgraded(server.port())) {
        await(() -> server.serverStats().pendingHandshakes() == 1, "the WebSocket upgrade ended its handshake");
        rig.hello("rig");
        await(() -> server.serverStats().pendingHandshakes() == 0, "HELLO ended the rig client's handshake");
        assertEquals(2, server.clientCount());
        Socket http = connectIdle(server.port());
        http.getOutputStream().write("GET /status.json HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(new String(http.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("\"bins_in\""),
            "answered, then closed (readAllBytes returned at EOF)");
        await(() -> server.serverStats().pendingHandshakes() == 0, "the HTTP request ended its handshake");
      }
    }
  }

  @Test
  void connectionsBeyondThePendingCapAreRefusedAtOnce() throws Exception {
    try (RigServer server = server(ServerLimits.DEFAULTS.withHandshake(60_000, 10, 0))) {
      for (int i = 0; i < 25; i++) connectIdle(server.port());
      await(() -> server.serverStats().pendingHandshakes() == 10
          && server.serverStats().get(ServerStats.Counter.PENDING_REFUSED) == 15, "10 pending, 15 refused");
      // connections are accepted in the order they were made: the first 10 wait for their HELLO (the gauge says
      // they are open), the other 15 were closed at once
      for (Socket s : idle.subList(10, 25)) assertTrue(closedByServer(s), "refused connection closed");
      // completing HELLO frees a pending place
      Socket first = idle.get(0);
      first.getOutputStream().write(RigEncoder.toBytes(new RigMessage.Hello(1, 1, "late", "")));
      await(() -> server.serverStats().pendingHandshakes() == 9, "9 pending after one HELLO");
    }
  }

  @Test
  void aConnectionBurstFromOneAddressIsCutAtTheRate() throws Exception {
    // 5 connections per second, burst 10; the test clock stands still, so the bucket never refills
    try (TestClockServer ts = new TestClockServer(config(ServerLimits.DEFAULTS.withHandshake(60_000, 100, 5)))) {
      RigServer server = ts.server;
      for (int i = 0; i < 16; i++) connectIdle(server.port());
      await(() -> server.serverStats().get(ServerStats.Counter.CONNECT_RATE_REFUSED) == 6
          && server.serverStats().pendingHandshakes() == 10, "10 admitted, 6 refused");
      ts.advance(1_000_000_000L); // one second later: 5 more
      for (int i = 0; i < 6; i++) connectIdle(server.port());
      await(() -> server.serverStats().get(ServerStats.Counter.CONNECT_RATE_REFUSED) == 7
          && server.serverStats().pendingHandshakes() == 15, "15 admitted, 7 refused");
    }
  }
}
