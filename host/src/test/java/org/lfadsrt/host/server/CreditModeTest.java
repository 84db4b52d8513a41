package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;
import static org.lfadsrt.host.server.TestClockServer.MS;
import static org.lfadsrt.host.server.TestClockServer.MAX_AGE_MS;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.metrics.ServerStats;
import org.lfadsrt.host.pipeline.BinResult;

/**
 * Credit (pull) mode (docs/protocol.md "Credit mode"), on a clock the test moves: a credit-mode client that stops
 * granting credit and reading for 30 s (server clock) reads, when it grants credit again, first the newest result,
 * at most the maximum age old; everything it missed is a seq gap equal to its client_drops; a push client reading
 * along loses nothing; bad, early and oversized CREDIT frames get the documented ERROR and the connection stays.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CreditModeTest {
  static TestRigClient subscribed(TestClockServer ts, int flags) throws IOException {
    TestRigClient c = new TestRigClient(ts.port(), 0);
    RigMessage.Handshake h = c.hello("credit");
    assertEquals(Protocol.FEATURE_CREDIT, h.features() & Protocol.FEATURE_CREDIT, "HANDSHAKE announces credit mode");
    c.send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1, flags));
    c.readUntil(RigMessage.Status.class);
    return c;
  }

  long drops(TestClockServer ts, long clientId) {
    return ts.server.clientCounters().stream().filter(c -> c[0] == clientId).mapToLong(c -> c[2]).sum();
  }

  @Test
  void afterAStallTheFirstResultACreditClientReadsIsTheNewestAndFresh() throws Exception {
    try (TestClockServer ts = new TestClockServer();
        TestRigClient reader = subscribed(ts, 0);
        TestRigClient puller = subscribed(ts, Protocol.SUBSCRIBE_CREDIT)) {
      long pullerId = ts.server.clientCounters().stream().mapToLong(c -> c[0]).max().orElseThrow();
      BinResult r = new BinResult(4, 16, 0);
      long seq = 0;
      // reading along: one credit before each read, every result arrives
      for (; seq < 5; seq++) {
        puller.credit(1);
        ts.publish(r, seq, reader);
        RigMessage.Result got = puller.readUntil(RigMessage.Result.class);
        assertEquals(seq, got.seq());
        assertEquals(0, got.clientDrops());
      }
      // The stall: the puller grants nothing and reads nothing while many more results than its queue holds are made.
      for (int k = 0; k < 500; k++) ts.publish(r, seq++, reader);
      ts.advance(30_000 * MS); // ... for 30 s of the server's clock
      for (int k = 0; k < 5; k++) ts.publish(r, seq++, reader); // then 5 fresh results, 10 ms apart
      long newest = seq - 1;

      puller.credit(1);
      RigMessage.Result first = puller.readUntil(RigMessage.Result.class);
      long age = ts.now() - first.tSource();
      assertEquals(newest, first.seq(), "the first result read after the stall is the newest one");
      assertTrue(age <= MAX_AGE_MS * MS, "first result after the stall is " + age / MS + " ms old");
      long gap = first.seq() - 4 - 1;
      assertEquals(gap, first.clientDrops(), "the seq gap is the client_drops it carries");
      assertEquals(gap, drops(ts, pullerId), "the server counted every result skipped for the puller");
      assertEquals(4, ts.server.serverStats().get(ServerStats.Counter.CREDIT_SKIPS), "4 fresh older results superseded");
      assertTrue(ts.server.serverStats().get(ServerStats.Counter.STALE_DROPS) > 0, "30-s-old results skipped as stale");
      assertEquals(gap, ts.server.stats().clientDrops(), "nothing was dropped for the push client");
      System.out.println("CreditModeTest: after a 30 s stall the first result read is " + age / MS + " ms old (bound "
          + MAX_AGE_MS + "), seq " + first.seq() + ", client_drops " + first.clientDrops());

      // A stall after which nothing fresh waits: the credit is held (stale results are skipped, not sent) until the
      // next result is made, whichever of the two reaches the server first.
      ts.advance(30_000 * MS);
      puller.credit(1);
      ts.publish(r, seq, reader);
      RigMessage.Result next = puller.readUntil(RigMessage.Result.class);
      assertEquals(seq, next.seq());
      assertTrue(ts.now() - next.tSource() <= MAX_AGE_MS * MS);
      assertEquals(first.clientDrops(), next.clientDrops(), "nothing was waiting for it: nothing more dropped");
      seq++;

      // and it reads along again without loss
      for (int k = 0; k < 5; k++, seq++) {
        puller.credit(1);
        ts.publish(r, seq, reader);
        RigMessage.Result got = puller.readUntil(RigMessage.Result.class);
        assertEquals(seq, got.seq());
        assertEquals(first.clientDrops(), got.clientDrops());
      }
    }
  }

  @Test
  void acceptedCreditsDoNotCountAgainstTheMessageRateAndAWindowTakesTheNewest() throws Exception {
    try (TestClockServer ts = new TestClockServer();
        TestRigClient reader = subscribed(ts, 0);
        TestRigClient puller = subscribed(ts, Protocol.SUBSCRIBE_CREDIT)) {
      BinResult r = new BinResult(4, 16, 0);
      long seq = 0;
      // far more CREDITs than the 20/s (burst 40) message limit allows in the time this takes
      for (; seq < 400; seq++) {
        puller.credit(1);
        ts.publish(r, seq, reader);
        assertEquals(seq, puller.readUntil(RigMessage.Result.class).seq());
      }
      assertEquals(0, ts.server.serverStats().get(ServerStats.Counter.RATE_LIMITED));
      // 10 results wait, credit for 3: the newest 3 come, in order, the first after a gap of 7
      for (int k = 0; k < 10; k++) ts.publish(r, seq++, reader);
      puller.credit(3);
      for (long want = seq - 3; want < seq; want++) {
        RigMessage.Result got = puller.readUntil(RigMessage.Result.class);
        assertEquals(want, got.seq());
        assertEquals(7, got.clientDrops());
      }
    }
  }

  /** A CREDIT frame with body {@code body} (any length), version 1. */
  static byte[] creditFrame(byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(4 + body.length).put((byte) Protocol.CREDIT).put((byte) Protocol.VERSION).putShort((short) 0).put(body);
    return b.array();
  }

  static byte[] u32(long v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
  }

  static void expectError(TestRigClient c, int code, String what) throws IOException {
    RigMessage.Error e = c.readUntil(RigMessage.Error.class);
    assertEquals(code, e.code(), what + ": " + e.message());
    assertTrue(e.message().contains("CREDIT"), "the error names the CREDIT frame: " + e.message());
  }

  static void stillOpen(TestRigClient c, long token) throws IOException {
    c.send(new RigMessage.Heartbeat(token, 0));
    while (true) {
      Object o = c.read();
      if (o instanceof RigMessage.Heartbeat h && h.echoNanos() == token) return;
      if (o instanceof RigMessage.Error e) fail("unexpected ERROR " + e);
    }
  }

  @Test
  void badEarlyAndOversizedCreditFramesGetTheDocumentedErrorsAndHurtNobody() throws Exception {
    try (TestClockServer ts = new TestClockServer(); TestRigClient reader = subscribed(ts, 0)) {
      BinResult r = new BinResult(4, 16, 0);
      long seq = 0;
      try (TestRigClient c = new TestRigClient(ts.port(), 0)) {
        c.sendRaw(creditFrame(u32(1)));
        expectError(c, Protocol.ERR_OUT_OF_ORDER, "CREDIT before HELLO");
        c.hello("early");
        c.credit(1);
        expectError(c, Protocol.ERR_OUT_OF_ORDER, "CREDIT before SUBSCRIBE");
        c.send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1, 0));
        c.readUntil(RigMessage.Status.class);
        c.credit(1);
        expectError(c, Protocol.ERR_OUT_OF_ORDER, "CREDIT in push mode");
        stillOpen(c, 11);
      }
      try (TestRigClient c = new TestRigClient(ts.port(), 0)) {
        c.hello("both");
        c.send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1,
            Protocol.SUBSCRIBE_CREDIT | Protocol.SUBSCRIBE_DISCONNECT_ON_OVERFLOW));
        RigMessage.Error e = c.readUntil(RigMessage.Error.class);
        assertEquals(Protocol.ERR_MALFORMED, e.code());
        assertTrue(e.message().contains("exclude each other"), e.message());
        stillOpen(c, 12);
      }
      try (TestRigClient c = subscribed(ts, Protocol.SUBSCRIBE_CREDIT)) {
        c.sendRaw(creditFrame(u32(0)));
        expectError(c, Protocol.ERR_MALFORMED, "grant 0");
        c.sendRaw(creditFrame(u32(Protocol.MAX_CREDIT + 1)));
        expectError(c, Protocol.ERR_MALFORMED, "grant above the maximum");
        c.sendRaw(creditFrame(u32(0xFFFF_FFFFL)));
        expectError(c, Protocol.ERR_MALFORMED, "grant 2^32-1");
        c.sendRaw(creditFrame(new byte[] {1, 0}));
        expectError(c, Protocol.ERR_MALFORMED, "truncated body");
        c.sendRaw(creditFrame(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}));
        expectError(c, Protocol.ERR_MALFORMED, "over-long body");
        c.credit(Protocol.MAX_CREDIT); // accepted: the whole allowance
        c.credit(1);
        RigMessage.Error over = c.readUntil(RigMessage.Error.class);
        assertEquals(Protocol.ERR_MALFORMED, over.code());
        assertTrue(over.message().contains("above the maximum " + Protocol.MAX_CREDIT), over.message());
        stillOpen(c, 13);
        // nothing accepted was lost: the 64 credits granted take the next results
        for (int k = 0; k < 3; k++) ts.publish(r, seq++, reader);
        for (long want = 0; want < 3; want++) assertEquals(want, c.readUntil(RigMessage.Result.class).seq());
      }
      try (TestRigClient c = subscribed(ts, Protocol.SUBSCRIBE_CREDIT)) {
        // a CREDIT whose length is above the 4096-byte client maximum loses the framing: FRAME_TOO_LARGE, closed (only
        // its header is sent: the server answers on the length field, and unread bytes would make its close a reset)
        c.sendRaw(java.util.Arrays.copyOf(creditFrame(new byte[Protocol.MAX_CLIENT_FRAME]), 8));
        RigMessage.Error e = c.readUntil(RigMessage.Error.class);
        assertEquals(Protocol.ERR_FRAME_TOO_LARGE, e.code(), e.message());
        assertThrows(IOException.class, () -> {
          while (true) c.read();
        }, "closed after FRAME_TOO_LARGE");
      }
      // the push client was never disturbed
      for (int k = 0; k < 3; k++) ts.publish(r, seq++, reader);
      assertEquals(0, ts.server.stats().clientDrops(), "nothing dropped for anybody who did not stall");
    }
  }

  // ------------------------------------------------------------------ the WebSocket/JSON view's credit mode

  /** A raw WebSocket client: masked text frames out (zero mask key), the server's unmasked frames in. */
  static final class Ws implements AutoCloseable {
    final java.net.Socket socket;
    final java.io.DataInputStream in;

    Ws(int port, String query) throws IOException {
      socket = new java.net.Socket();
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 60_000);
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(("GET /ws" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
      assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    }

    void send(String text) throws IOException {
      byte[] p = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(p.length < 126);
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      b.write(0x81);
      b.write(0x80 | p.length);
      b.writeBytes(new byte[4]); // mask key 0: the payload goes as is
      b.writeBytes(p);
      socket.getOutputStream().write(b.toByteArray());
      socket.getOutputStream().flush();
    }

    /** The next text frame's text. */
    String read() throws IOException {
      while (true) {
        int b0 = in.readUnsignedByte(), b1 = in.readUnsignedByte();
        long n = b1 & 0x7F;
        if (n == 126) n = in.readUnsignedShort();
        else if (n == 127) n = in.readLong();
        byte[] payload = new byte[(int) n];
        in.readFully(payload);
        int opcode = b0 & 0x0F;
        if (opcode == 0x8) throw new java.io.EOFException("close frame");
        if (opcode == 0x1) return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
      }
    }

    /** Reads until a JSON object of {@code type} arrives. */
    String readType(String type) throws IOException {
      while (true) {
        String t = read();
        if (t.startsWith("{\"type\":\"" + type + "\"")) return t;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static long field(String json, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return Long.parseLong(m.group(1));
  }

  @Test
  void aWebSocketClientInCreditModeReadsTheNewestFreshResultAfterAStall() throws Exception {
    try (TestClockServer ts = new TestClockServer(); TestRigClient reader = subscribed(ts, 0); Ws ws = new Ws(ts.port(), "?credit=1")) {
      String hello = ws.readType("hello");
      assertTrue(hello.contains("\"features\":" + Protocol.FEATURES) && hello.contains("\"credit\":true"), hello);
      ws.readType("status");
      BinResult r = new BinResult(4, 16, 0);
      long seq = 0;
      // reading along, one credit per result: more credits than the 20/s (burst 40) frame limit, none counted
      for (; seq < 100; seq++) {
        ws.send("{\"credit\":1}");
        ts.publish(r, seq, reader);
        String got = ws.readType("result");
        assertEquals(seq, field(got, "seq"), got);
      }
      assertEquals(0, ts.server.serverStats().get(ServerStats.Counter.RATE_LIMITED));
      // the stall: no credit, nothing read
      for (int k = 0; k < 500; k++) ts.publish(r, seq++, reader);
      ts.advance(30_000 * MS);
      for (int k = 0; k < 5; k++) ts.publish(r, seq++, reader);
      ws.send(" { \"credit\" : 1 } ");
      String first = ws.readType("result");
      assertEquals(seq - 1, field(first, "seq"), "the newest result first: " + first);
      assertEquals(seq - 1 - 100, field(first, "drops"), "the seq gap is its drops");
      // bad credits: a JSON error naming the credit, the connection stays
      for (String bad : new String[] {"{\"credit\":0}", "{\"credit\":65}", "hello", "{\"credit\":-1}"}) {
        ws.send(bad);
        String e = ws.readType("error");
        assertTrue(e.contains("credit"), bad + " -> " + e);
      }
      ws.send("{\"credit\":64}");
      ws.send("{\"credit\":1}");
      assertTrue(ws.readType("error").contains("above the maximum " + Protocol.MAX_CREDIT));
      ts.publish(r, seq, reader);
      assertEquals(seq, field(ws.readType("result"), "seq"), "the 64 accepted credits take the next result");
    }
    try (TestClockServer ts = new TestClockServer(); Ws push = new Ws(ts.port(), "?credit=x")) {
      assertTrue(push.readType("hello").contains("\"credit\":false"));
      assertTrue(push.readType("error").contains("must be 0 (push) or 1"));
      push.send("{\"credit\":1}");
      assertTrue(push.readType("error").contains("not in credit mode"));
    }
  }
}
