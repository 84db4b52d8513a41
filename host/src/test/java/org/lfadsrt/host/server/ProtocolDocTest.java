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
    assertEquals(10, types.size());
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
}
