package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.ServerStats;
import org.lfadsrt.host.source.StreamInfo;

/**
 * Bad WebSocket input (docs/security.md): a frame over 4096 bytes, an unmasked frame, a reserved opcode, and a
 * ping flood each close that connection with one log line, no stack trace anywhere on stderr (Netty logs through
 * SLF4J to System.err, which this test captures), and the server keeps serving.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebSocketErrorsTest {
  static final ModelShape SHAPE = new ModelShape(8, 10, 10, 4, 16);
  static final StreamInfo INFO = new StreamInfo("t", "SpikeCounts", "test", 8, 10_000_000, StreamInfo.numberedChannels(8));
  final List<String> log = new CopyOnWriteArrayList<>();
  private PrintStream savedErr;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void captureStderr() {
    savedErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(savedErr);
  }

  RigServer server() throws InterruptedException {
    ServerConfig cfg = new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 64 * 1024, 8, null, 0);
    return new RigServer(cfg, new StreamDescription(INFO, SHAPE, "test", "online", "m", List.of()), new PipelineStats(),
        System::nanoTime, log::add).start();
  }

  /** A raw socket that has completed the WebSocket upgrade at /ws. */
  static Socket upgraded(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(30_000);
    s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertNotEquals(-1, b, "upgrade answered");
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    return s;
  }

  /** A frame: FIN + opcode, optional mask (zero key), payload of {@code n} bytes. */
  static byte[] frame(int opcode, boolean masked, int n) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x80 | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (n < 126) {
      b.write(maskBit | n);
    } else {
      b.write(maskBit | 126);
      b.write(n >> 8);
      b.write(n & 0xFF);
    }
    if (masked) b.writeBytes(new byte[4]);
    b.writeBytes(new byte[n]);
    return b.toByteArray();
  }

  /** Sends {@code bytes}, then reads until the server closes (the JSON greeting and status come first). */
  static void sendAndAwaitClose(Socket s, byte[] bytes) throws IOException {
    try {
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
    } catch (java.net.SocketException closedWhileSending) {
      return;
    }
    InputStream in = s.getInputStream();
    try {
      while (in.read() != -1) { /* greeting, status, close frame */ }
    } catch (java.net.SocketException reset) {
      // closed
    }
  }

  @Test
  void malformedFramesCloseWithOneLogLineAndNoStackTrace() throws Exception {
    try (RigServer server = server()) {
      byte[][] bad = {
          frame(0x1, true, 5000), // text frame above the 4096-byte limit
          frame(0x1, false, 10),  // unmasked client frame
          frame(0x3, true, 4),    // reserved opcode
      };
      for (byte[] b : bad) {
        try (Socket s = upgraded(server.port())) {
          sendAndAwaitClose(s, b);
        }
      }
      try (Socket s = upgraded(server.port())) { // a ping flood: 100 pings at once
        ByteArrayOutputStream pings = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) pings.writeBytes(frame(0x9, true, 4));
        sendAndAwaitClose(s, pings.toByteArray());
      }
      HandshakeLimitsTest.await(() -> server.clientCount() == 0 && log.size() >= 4, "every bad WebSocket client gone");
      assertEquals(3, server.serverStats().get(ServerStats.Counter.PROTOCOL_CLOSES), log.toString());
      assertEquals(1, server.serverStats().get(ServerStats.Counter.RATE_LIMITED), log.toString());
      assertEquals(4, log.size(), "one line per bad connection: " + log);
      for (String line : log) assertFalse(line.contains("\n"), line);
      assertTrue(log.get(3).contains("frames per second (pings included)"), log.get(3));
      // the server still serves a good client
      try (TestRigClient good = new TestRigClient(server.port(), 0)) {
        good.hello("after");
      }
      // the capture sees what SLF4J (and so Netty) writes: a probe line arrives
      org.slf4j.LoggerFactory.getLogger("lfadsrt.test").warn("stderr capture probe");
      String stderr = err.toString(StandardCharsets.UTF_8);
      assertTrue(stderr.contains("stderr capture probe"), "stderr capture works");
      stderr = stderr.replace("stderr capture probe", "");
      assertFalse(stderr.contains("\tat ") || stderr.contains("Exception"), "no stack trace on stderr:\n" + stderr);
    }
  }
}
