package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.source.IngestProtocol;

/** docs/protocol.md is the specification: its tables must agree with the Java constants. */
class ProtocolDocTest {
  static final Pattern ROW = Pattern.compile("^\\|\\s*([^|]+?)\\s*\\|\\s*([^|]+?)\\s*\\|(.*)$");

  static List<String> doc() throws Exception {
    return Files.readAllLines(Path.of(System.getProperty("lfadsrt.root", "."), "docs", "protocol.md"));
  }

  /** Rows (first two cells) of the first table after the heading that starts with {@code heading}. */
  static Map<String, String> table(List<String> lines, String heading) {
    Map<String, String> rows = new LinkedHashMap<>();
    int i = 0;
    while (i < lines.size() && !lines.get(i).startsWith(heading)) i++;
    assertTrue(i < lines.size(), "heading not found: " + heading);
    while (i < lines.size() && !lines.get(i).startsWith("|")) i++;
    i += 2; // header and separator
    for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      Matcher m = ROW.matcher(lines.get(i));
      if (m.matches()) rows.put(m.group(1), m.group(2));
    }
    return rows;
  }

  @Test
  void rigMessageTypesMatch() throws Exception {
    Map<String, String> types = table(doc(), "## Rig protocol");
    assertEquals(11, types.size());
    for (var e : types.entrySet()) {
      assertEquals(e.getValue(), Protocol.typeName(Integer.decode(e.getKey())), "type " + e.getKey());
    }
  }

  @Test
  void errorCodesMatch() throws Exception {
    List<String> lines = doc();
    int at = lines.indexOf("| code | name                | when | connection |");
    assertTrue(at > 0, "error code table");
    for (int i = at + 2; lines.get(i).startsWith("|"); i++) {
      Matcher m = ROW.matcher(lines.get(i));
      assertTrue(m.matches());
      Field f = Protocol.class.getField("ERR_" + m.group(2));
      assertEquals(Integer.parseInt(m.group(1)), f.getInt(null), m.group(2));
    }
  }

  @Test
  void resultByteTableMatchesTheFlyweight() throws Exception {
    List<String> lines = doc();
    int at = 0;
    while (!lines.get(at).startsWith("### RESULT")) at++;
    Map<String, Integer> want = Map.of("seq", ResultFlyweight.SEQ_OFFSET, "bin_index", ResultFlyweight.BIN_INDEX_OFFSET,
        "t_source", ResultFlyweight.T_SOURCE_OFFSET, "t_accept", ResultFlyweight.T_ACCEPT_OFFSET,
        "t_backend_start", ResultFlyweight.T_BACKEND_START_OFFSET, "t_backend_done", ResultFlyweight.T_BACKEND_DONE_OFFSET,
        "t_encode", ResultFlyweight.T_ENCODE_OFFSET, "client_drops", ResultFlyweight.CLIENT_DROPS_OFFSET,
        "result_flags", ResultFlyweight.RESULT_FLAGS_OFFSET, "streams", ResultFlyweight.STREAMS_OFFSET);
    int found = 0;
    for (int i = at; i < lines.size() && !lines.get(i).startsWith("### STATUS"); i++) {
      String[] cells = lines.get(i).split("\\|");
      if (cells.length < 4) continue;
      String field = cells[3].trim();
      if (want.containsKey(field)) {
        assertEquals(want.get(field).intValue(), Integer.parseInt(cells[1].trim()), "RESULT offset of " + field);
        found++;
      }
      if (field.equals("values")) assertEquals(ResultFlyweight.VALUES_OFFSET, Integer.parseInt(cells[1].trim()));
    }
    assertEquals(want.size(), found);
  }

  @Test
  void ingestTypesMatch() throws Exception {
    Map<String, String> types = table(doc(), "## Ingest protocol");
    assertEquals(7, types.size());
    for (var e : types.entrySet()) {
      assertEquals(Integer.decode(e.getKey()).intValue(), IngestProtocol.class.getField(e.getValue()).getInt(null), e.getValue());
    }
  }

  @Test
  void helloMagicIsTheAsciiOfLfrt() {
    assertEquals(Protocol.HELLO_MAGIC, java.nio.ByteBuffer.wrap("LFRT".getBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
  }

  @Test
  void controlOperationsMatch() throws Exception {
    Map<String, String> ops = table(doc(), "### CONTROL (0x30)");
    Map<Integer, String> want = new LinkedHashMap<>();
    for (Field f : Protocol.class.getFields()) {
      if (f.getName().startsWith("OP_")) want.put(f.getInt(null), ControlHandler.opName(f.getInt(null)));
    }
    assertEquals(want.size(), ops.size(), "one table row per op: " + ops.keySet());
    for (String cell : ops.keySet()) {
      String[] numberAndName = cell.split(" ", 2);
      assertEquals(want.get(Integer.parseInt(numberAndName[0])), numberAndName[1], "op " + cell);
    }
    String line = doc().stream().filter(l -> l.startsWith("CONTROL: ")).findFirst().orElseThrow();
    for (var e : want.entrySet()) assertTrue(line.contains(e.getKey() + " " + e.getValue()), "CONTROL line lists op " + e);
  }

  @Test
  void noticeCodesAndDropReasonsMatch() throws Exception {
    String text = String.join(" ", doc()); // the NOTICE code list wraps across lines
    String notice = text.substring(text.indexOf("### NOTICE (0x12)"), text.indexOf("### CONTROL (0x30)"));
    for (Field f : Protocol.class.getFields()) {
      if (f.getName().startsWith("NOTICE_")) {
        assertTrue(notice.contains(", " + f.getInt(null) + " ") || notice.contains(": " + f.getInt(null) + " "),
            "NOTICE section lists code " + f.getName());
      }
    }
    for (org.lfadsrt.host.metrics.DropReason r : org.lfadsrt.host.metrics.DropReason.values()) {
      assertTrue(text.contains("`" + r.label() + "`"), "STATUS drop reasons list " + r.label());
    }
  }

  // ------------------------------------------------------------------ the numbers and rules quoted in prose

  /** The doc as one line with single spaces (sentences wrap across lines). */
  static String prose() throws Exception {
    return String.join(" ", doc()).replaceAll("\\s+", " ");
  }

  static int quoted(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "docs/protocol.md should say: " + regex);
    return Integer.parseInt(m.group(1));
  }

  @Test
  void resultLengthsAreTheFlyweights() throws Exception {
    String text = prose();
    assertEquals(ResultFlyweight.VALUES_OFFSET, quoted(text, "whole frame is (\\d+) \\+ 4 ×"));
    assertEquals(ResultFlyweight.VALUES_OFFSET - Protocol.LENGTH_FIELD_BYTES, quoted(text, "counts the bytes after itself\\) is (\\d+) \\+ 4 × \\(n_factors"));
  }

  @Test
  void handshakeAndSubscribeFieldsAreWhereTheCodecPutsThem() throws Exception {
    Map<String, String> hs = table(doc(), "### HANDSHAKE (0x02)");
    assertEquals("2", hs.get("10"), "HANDSHAKE offset 10 is a u16");
    List<String> lines = doc();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("| 10     | 2    | max_result_age_ms")), "HANDSHAKE offset 10");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("| 9      | 1    | flags      | `u8` bit set: "
        + Protocol.SUBSCRIBE_DISCONNECT_ON_OVERFLOW + " disconnect-on-overflow")), "SUBSCRIBE offset 9");
    // the codec: a HANDSHAKE's bytes 10..11 are the age, a SUBSCRIBE's byte 9 the flags
    RigMessage.Handshake h = new RigMessage.Handshake(1, 1, 2, 3, 4, 4, 2, 0, 3, 3, 10, 100, 1 << 20, 65536, "s", "t", "id",
        "float", "online", "m", "float32", List.of(), 250);
    assertEquals(250, io.netty.buffer.Unpooled.wrappedBuffer(RigEncoder.toBytes(h)).getUnsignedShortLE(10));
    byte[] sub = RigEncoder.toBytes(new RigMessage.Subscribe(1, 1, Protocol.SUBSCRIBE_DISCONNECT_ON_OVERFLOW));
    assertEquals(Protocol.SUBSCRIBE_DISCONNECT_ON_OVERFLOW, sub[9]);
  }

  @Test
  void limitsAndDefaultsQuotedAreTheCodes() throws Exception {
    String text = prose();
    ServerLimits d = ServerLimits.DEFAULTS;
    assertEquals(d.maxResultAgeMillis(), quoted(text, "`max_result_age_ms` \\(HANDSHAKE; default (\\d+)"));
    assertEquals(d.handshakeTimeoutMillis(), quoted(text, "--handshake-timeout-ms`, default (\\d+) ms"));
    assertEquals(d.maxPendingHandshakes(), quoted(text, "--max-pending-handshakes` \\(default (\\d+)\\)"));
    assertEquals(d.connectsPerSecondPerAddress(), quoted(text, "--connects-per-second` \\(default (\\d+), burst twice"));
    assertEquals(d.authFreeFailures(), quoted(text, "after (\\d+) wrong tokens"));
    assertEquals(d.authBackoffMillis(), quoted(text, "blocks tokens from that address for (\\d+) ms"));
    assertEquals(d.authBackoffMaxMillis() / 1000, quoted(text, "doubling up to (\\d+) s"));
    assertEquals((int) AccessPolicy.MESSAGES_PER_SECOND, quoted(text, "more than (\\d+) messages/s sustained"));
    assertEquals((int) AccessPolicy.MESSAGE_BURST, quoted(text, "messages/s sustained \\(burst (\\d+)\\)"));
    assertEquals((int) AccessPolicy.MESSAGES_PER_SECOND, quoted(text, "count against the (\\d+) per second"));
    assertEquals(Protocol.MAX_CLIENT_FRAME, quoted(text, "`length` ≤ (\\d+) \\(rig protocol\\)"));
    assertEquals(Protocol.MAX_CLIENT_FRAME, quoted(text, "A frame over (\\d+) bytes, an unmasked frame"));
    assertEquals(ServerConfig.loopback(0).clientQueueBytes() / 1024, quoted(text, "`queue_bytes`, default (\\d+) KiB"));
    assertEquals(RigServer.MIN_SEND_BUFFER, quoted(text, "max_result_age / bin_width / 2`, at least (\\d+)"));
  }

  @Test
  void statusListsEveryServerCounterAndBackendsAreNamed() throws Exception {
    String text = prose();
    String status = text.substring(text.indexOf("### STATUS (0x11)"), text.indexOf("### HEARTBEAT (0x20)"));
    assertTrue(status.contains("`pending_handshakes`"));
    for (org.lfadsrt.host.metrics.ServerStats.Counter c : org.lfadsrt.host.metrics.ServerStats.Counter.values()) {
      assertTrue(status.contains("`" + c.label() + "`"), "STATUS lists server counter " + c.label());
    }
    String row = doc().stream().filter(l -> l.startsWith("| 4 switch-backend")).findFirst().orElseThrow();
    for (String name : org.lfadsrt.host.backend.Backends.names()) {
      if (name.contains("test")) continue; // registered by tests
      assertTrue(row.contains("`" + name + "`"), "switch-backend row names backend " + name);
    }
    assertTrue(text.contains("| 10 | CONTROL_FAILED | never an ERROR frame"), "CONTROL_FAILED is a CONTROL_REPLY status");
  }

  // ------------------------------------------------------------------ the behaviours promised, against a server

  /** The connection column of the error table for {@code name}. */
  static String connectionRule(String name) throws Exception {
    for (String l : doc()) {
      String[] cells = l.split("\\|");
      if (cells.length > 4 && cells[2].trim().equals(name)) return cells[4].trim();
    }
    throw new AssertionError("no error row " + name);
  }

  static RigServer liveServer() throws InterruptedException {
    var shape = new org.lfadsrt.host.backend.ModelShape(8, 10, 10, 4, 16);
    var info = new org.lfadsrt.host.source.StreamInfo("t", "SpikeCounts", "test", 8, 10_000_000,
        org.lfadsrt.host.source.StreamInfo.numberedChannels(8));
    return new RigServer(ServerConfig.loopback(0), new StreamDescription(info, shape, "test", "online", "m", List.of()),
        new org.lfadsrt.host.metrics.PipelineStats()).start();
  }

  @Test
  void errorsAnsweringAHelloCloseAndLaterVersionErrorsKeepTheConnection() throws Exception {
    assertTrue(connectionRule("UNSUPPORTED_VERSION").startsWith("closed when answering a HELLO; kept otherwise"));
    assertTrue(connectionRule("MALFORMED").startsWith("closed when answering a HELLO"));
    try (RigServer server = liveServer()) {
      byte[] hello = RigEncoder.toBytes(new RigMessage.Hello(1, 1, "doc", ""));
      byte[] v2 = hello.clone();
      v2[5] = 2; // header version 2
      byte[] badMagic = hello.clone();
      badMagic[8] = 'X';
      for (Object[] c : new Object[][] {{v2, Protocol.ERR_UNSUPPORTED_VERSION}, {badMagic, Protocol.ERR_MALFORMED}}) {
        try (TestRigClient t = new TestRigClient(server.port(), 0)) {
          t.sendRaw((byte[]) c[0]);
          RigMessage.Error e = assertInstanceOf(RigMessage.Error.class, t.read());
          assertEquals((int) c[1], e.code(), e.message());
          assertThrows(java.io.EOFException.class, t::read, "closed after answering the HELLO: " + e.message());
        }
      }
      try (TestRigClient t = new TestRigClient(server.port(), 0)) {
        t.hello("doc");
        byte[] hb = RigEncoder.toBytes(new RigMessage.Heartbeat(5, 0));
        hb[5] = 2;
        t.sendRaw(hb);
        assertEquals(Protocol.ERR_UNSUPPORTED_VERSION, assertInstanceOf(RigMessage.Error.class, t.read()).code());
        t.send(new RigMessage.Heartbeat(7, 0));
        assertEquals(7, t.readUntil(RigMessage.Heartbeat.class).echoNanos(), "kept open after a version error past HELLO");
      }
    }
  }

  @Test
  void theWebSocketSessionIsAStringAndTheJsonHelloCarriesTheAge() throws Exception {
    try (RigServer server = liveServer()) {
      String json = server.handshakeJson();
      assertTrue(json.matches(".*\"session\":\"[0-9]+\".*"), json);
      assertTrue(json.contains("\"max_result_age_ms\":" + ServerLimits.DEFAULT_MAX_RESULT_AGE_MS), json);
      assertTrue(json.contains("\"features\":" + Protocol.FEATURES + ",\"credit\":false"), json);
      assertTrue(server.handshakeJson(true).contains("\"credit\":true"));
    }
    String text = prose();
    assertTrue(text.contains("\"features\":1,\"credit\":false"), "the doc's example hello shows features and credit");
    assertEquals(Protocol.MAX_CREDIT, quoted(text, "text frame `\\{\"credit\":N\\}` \\(whitespace allowed around its tokens; 1 ≤ N ≤ (\\d+),"));
    assertEquals(Protocol.MAX_CREDIT, quoted(text, "1 ≤ N ≤ \\d+, at most (\\d+) outstanding\\)"));
    assertTrue(WebHandler.CREDIT_JSON.matcher(" { \"credit\" : 3 } ").matches(), "whitespace around the tokens");
    assertFalse(WebHandler.CREDIT_JSON.matcher("{\"credit\":3,\"x\":1}").matches());
    assertTrue(prose().contains("\"session\":\"6125014329517032531\""), "the doc's example shows a string");
  }

  @Test
  void creditFrameFeatureAndFlagAreWhereTheCodecPutsThem() throws Exception {
    Map<String, String> credit = table(doc(), "### CREDIT (0x04)");
    assertEquals(Map.of("8", "4"), credit, "CREDIT body: one u32 at offset 8");
    byte[] frame = RigEncoder.toBytes(RigMessage.Credit.of(5));
    io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(frame);
    assertEquals(12, frame.length);
    assertEquals(8, b.getIntLE(0), "length field");
    assertEquals(Protocol.CREDIT, b.getUnsignedByte(4));
    assertEquals(5, b.getIntLE(8), "grant at offset 8");
    String text = prose();
    assertEquals(Protocol.MAX_CREDIT, quoted(text, "1 ≤ grant ≤ (\\d+);"));
    assertEquals(Protocol.MAX_CREDIT, quoted(text, "the outstanding credit after it \\(granted, not yet used by a RESULT\\) must be ≤ (\\d+)"));
    assertEquals(Protocol.MAX_CREDIT, quoted(text, "at most (\\d+) credits can be outstanding"));
    assertEquals(Protocol.MAX_CLIENT_FRAME, quoted(text, "\\| `length` above (\\d+) \\| ERROR `FRAME_TOO_LARGE`"));
    assertEquals(Protocol.SUBSCRIBE_CREDIT, quoted(text, "1 disconnect-on-overflow, (\\d+) credit mode \\(see Freshness\\)"));
    assertEquals(Protocol.FEATURE_CREDIT, quoted(text, "bit set of what the server offers: (\\d+) credit mode"));
    assertEquals(Protocol.FEATURE_CREDIT, quoted(text, "when HANDSHAKE `features` has (\\d+);"));
    // features is the HANDSHAKE's last field
    RigMessage.Handshake h = new RigMessage.Handshake(1, 1, 2, 3, 4, 4, 2, 0, 3, 3, 10, 100, 1 << 20, 65536, "s", "t", "id",
        "float", "online", "m", "float32", List.of("x"), 250, Protocol.FEATURES);
    byte[] hs = RigEncoder.toBytes(h);
    assertEquals(Protocol.FEATURES, io.netty.buffer.Unpooled.wrappedBuffer(hs).getUnsignedShortLE(hs.length - 2));
    List<String> lines = doc();
    int last = -1;
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("| ..     | 2    | features ")) last = i;
    assertTrue(last > 0 && !lines.get(last + 1).startsWith("|"), "features is the last row of the HANDSHAKE table");
  }

  /** The CREDIT error table: every row, tried against a server, gets the ERROR and connection outcome it says. */
  @Test
  void theCreditErrorTableIsWhatTheServerAnswers() throws Exception {
    List<String> lines = doc();
    int at = lines.indexOf("| CREDIT | answer | connection |");
    assertTrue(at > 0, "CREDIT error table");
    Map<String, java.util.function.Function<Integer, byte[][]>> cases = new LinkedHashMap<>();
    byte[] hello = RigEncoder.toBytes(new RigMessage.Hello(1, 1, "doc", ""));
    byte[] push = RigEncoder.toBytes(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1, 0));
    byte[] pull = RigEncoder.toBytes(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1, Protocol.SUBSCRIBE_CREDIT));
    // each case: the frames that set the session up, then the CREDIT under test (the last array)
    cases.put("before HELLO", port -> new byte[][] {creditFrame(1, 4)});
    cases.put("after HELLO, without a credit-mode subscription", port -> new byte[][] {hello, push, creditFrame(1, 4)});
    cases.put("grant 0, or above", port -> new byte[][] {hello, pull, creditFrame(Protocol.MAX_CREDIT + 1, 4)});
    cases.put("grant that would make the outstanding credit more than", port -> new byte[][] {hello, pull,
        creditFrame(Protocol.MAX_CREDIT, 4), creditFrame(1, 4)});
    cases.put("body not exactly 4 bytes", port -> new byte[][] {hello, pull, creditFrame(1, 8)});
    cases.put("`length` above", port -> new byte[][] {hello, pull,
        java.util.Arrays.copyOf(creditFrame(1, Protocol.MAX_CLIENT_FRAME), 8)});
    int rows = 0;
    try (RigServer server = liveServer()) {
      for (int i = at + 2; lines.get(i).startsWith("|"); i++, rows++) {
        String[] cells = lines.get(i).split("\\|");
        String when = cells[1].trim(), answer = cells[2].trim(), connection = cells[3].trim();
        var scenario = cases.entrySet().stream().filter(e -> when.startsWith(e.getKey())).findFirst()
            .orElseThrow(() -> new AssertionError("no test case for the CREDIT row " + when));
        Matcher m = Pattern.compile("ERROR `([A-Z_]+)`").matcher(answer);
        assertTrue(m.find(), answer);
        int code = Protocol.class.getField("ERR_" + m.group(1)).getInt(null);
        try (TestRigClient t = new TestRigClient(server.port(), 0)) {
          for (byte[] frame : scenario.getValue().apply(server.port())) t.sendRaw(frame);
          RigMessage.Error e = t.readUntil(RigMessage.Error.class);
          assertEquals(code, e.code(), when + ": " + e.message());
          assertTrue(e.message().contains("CREDIT"), "the ERROR names CREDIT: " + e.message());
          if (connection.equals("closed")) {
            assertThrows(java.io.IOException.class, () -> {
              while (true) t.read();
            }, when + ": closed");
          } else {
            assertEquals("kept", connection);
            t.send(new RigMessage.Heartbeat(99, 0));
            assertEquals(99, t.readUntil(RigMessage.Heartbeat.class).echoNanos(), when + ": kept open");
          }
        }
      }
    }
    assertEquals(cases.size(), rows, "one table row per case");
  }

  /** A CREDIT frame carrying {@code grant} in a body of {@code bodyBytes} bytes (4 is right). */
  static byte[] creditFrame(long grant, int bodyBytes) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + bodyBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(4 + bodyBytes).put((byte) Protocol.CREDIT).put((byte) Protocol.VERSION).putShort((short) 0);
    if (bodyBytes >= 4) b.putInt((int) grant);
    return b.array();
  }

  /** Host drops take no seq: seq stays contiguous while bin_index jumps (the doc's Sequence numbers rule). */
  @Test
  void hostDropsLeaveSeqContiguousAndShowAsBinIndexJumps() throws Exception {
    var m = org.lfadsrt.sim.model.RandomModels.demo(new org.lfadsrt.sim.model.LfadsConfig(4, 3, 3, 4, 4, 0, 1, 0, 0, 2, 4, 2, 5.0), 5);
    List<long[]> got = new java.util.ArrayList<>();
    var p = new org.lfadsrt.host.pipeline.Pipeline(new org.lfadsrt.host.backend.FloatBackend(m),
        org.lfadsrt.host.pipeline.Mode.ONLINE, null, r -> got.add(new long[] {r.seq, r.binIndex}),
        new org.lfadsrt.host.metrics.PipelineStats());
    int[] counts = new int[4];
    for (int i = 0; i < 10; i++) {
      p.stopped(i >= 3 && i < 7); // an operator's stop: bins 3..6 are `stopped` drops
      p.onEvent(org.lfadsrt.host.source.SpikeSource.BIN, counts, i, System.nanoTime());
    }
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), got.stream().map(g -> g[0]).toList(), "seq contiguous");
    assertEquals(List.of(0L, 1L, 2L, 7L, 8L, 9L), got.stream().map(g -> g[1]).toList(), "bin_index jumps over the drops");
    String text = prose();
    assertTrue(text.contains("the host's drops show as jumps of `bin_index`"));
  }
}
