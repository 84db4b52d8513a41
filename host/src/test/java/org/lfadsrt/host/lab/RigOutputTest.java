package org.lfadsrt.host.lab;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.cli.Main;
import org.lfadsrt.host.pipeline.BinResult;

/**
 * The rig outputs decoded by a Python receiver written from docs/lab.md with the standard library only: every
 * header field and every float's bits of the UDP datagram, and every OSC message's address, type tags and arguments.
 * A sender with no receiver never blocks and accounts for every result; {@code run --udp-out --osc-out} sends one
 * datagram (UDP) and three messages (OSC) per published result.
 */
class RigOutputTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The Python receiver: started, its port read; {@link #lines} collects its decoded output. */
  static final class Receiver implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final int port;

    Receiver(String mode, int datagrams) throws Exception {
      process = new ProcessBuilder("/usr/bin/python3", "src/test/resources/lab/rig_receiver.py", mode,
          Integer.toString(datagrams)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      port = Integer.parseInt(out.readLine().trim());
    }

    List<JsonNode> lines(int n) throws Exception {
      List<JsonNode> got = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String line = out.readLine();
        assertNotNull(line, "receiver ended after " + i + " of " + n);
        got.add(JSON.readTree(line));
      }
      assertEquals(0, process.waitFor());
      return got;
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  static BinResult result(int k) {
    BinResult r = new BinResult(3, 4, 2);
    r.seq = 1000L + k;
    r.binIndex = 5_000_000_000L + k; // beyond int32: OSC carries it wrapped
    r.tSource = 123_456_789_012L + k;
    r.flags = k % 2 == 0 ? BinResult.FLAG_WINDOW_PARTIAL : 0;
    for (int i = 0; i < 3; i++) r.factors[i] = (float) Math.sin(k + i) * 3.5f;
    for (int i = 0; i < 4; i++) r.rates[i] = 0.01f * (k + 1) * (i + 1);
    r.decoded[0] = -k;
    r.decoded[1] = Float.MIN_VALUE;
    return r;
  }

  static void assertBits(float[] want, JsonNode got) {
    assertEquals(want.length, got.size());
    for (int i = 0; i < want.length; i++) assertEquals(Integer.toUnsignedLong(Float.floatToRawIntBits(want[i])), got.get(i).asLong());
  }

  @Test
  void udpDatagramDecodesFieldByField() throws Exception {
    int n = 20;
    try (Receiver rx = new Receiver("udp", n); UdpResultSender tx = new UdpResultSender("127.0.0.1:" + rx.port, 3, 4, 2)) {
      long before = System.nanoTime();
      for (int k = 0; k < n; k++) tx.publish(result(k));
      List<JsonNode> got = rx.lines(n);
      for (int k = 0; k < n; k++) {
        BinResult r = result(k);
        JsonNode d = got.get(k);
        assertEquals(r.seq, d.get("seq").asLong());
        assertEquals(r.binIndex, d.get("bin_index").asLong());
        assertEquals(r.tSource, d.get("t_source").asLong());
        assertTrue(d.get("t_send").asLong() >= before);
        assertEquals(r.flags, d.get("flags").asInt());
        assertEquals(0, d.get("dropped").asLong());
        assertBits(r.factors, d.get("factors"));
        assertBits(r.rates, d.get("rates"));
        assertBits(r.decoded, d.get("decoded"));
      }
      assertEquals(n, tx.sent());
    }
  }

  @Test
  void oscMessagesDecode() throws Exception {
    int n = 10;
    try (Receiver rx = new Receiver("osc", 4 * n); OscResultSender tx = new OscResultSender("127.0.0.1:" + rx.port, 3, 4, 2)) {
      for (int k = 0; k < n; k++) tx.publish(result(k));
      List<JsonNode> got = rx.lines(4 * n);
      for (int k = 0; k < n; k++) {
        BinResult r = result(k);
        JsonNode bin = got.get(4 * k), f = got.get(4 * k + 1), rt = got.get(4 * k + 2), dec = got.get(4 * k + 3);
        assertEquals("/lfads/bin", bin.get("address").asText());
        assertEquals(",ii", bin.get("tags").asText());
        assertEquals((int) r.seq, bin.get("args").get(0).asInt());
        assertEquals((int) r.binIndex, bin.get("args").get(1).asInt());
        assertEquals("/lfads/factors", f.get("address").asText());
        assertEquals(",fff", f.get("tags").asText());
        assertBits(r.factors, f.get("args"));
        assertEquals("/lfads/rates", rt.get("address").asText());
        assertEquals(",ffff", rt.get("tags").asText());
        assertBits(r.rates, rt.get("args"));
        assertEquals("/lfads/decoded", dec.get("address").asText());
        assertBits(r.decoded, dec.get("args"));
      }
    }
  }

  @Test
  void noReceiverNeverBlocksAndEveryResultIsCounted() throws Exception {
    int port;
    try (var s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nobody listens there
    }
    try (UdpResultSender udp = new UdpResultSender("127.0.0.1:" + port, 3, 4, 2);
        OscResultSender osc = new OscResultSender("127.0.0.1:" + port, 3, 4, 2)) {
      BinResult r = result(1);
      for (int k = 0; k < 5000; k++) {
        udp.publish(r);
        osc.publish(r);
      }
      assertEquals(5000, udp.sent() + udp.dropped());
      assertEquals(4 * 5000, osc.sent() + osc.dropped());
    }
  }

  @Test
  void runSendsEveryResultToBothOutputs() throws Exception {
    int bins = 30;
    try (Receiver udp = new Receiver("udp", bins); Receiver osc = new Receiver("osc", 3 * bins)) {
      int code = Main.commandLine().execute("run", "--port", "0", "--fast", "--bins", Integer.toString(bins), "--quiet",
          "--backend", "float", "--udp-out", "127.0.0.1:" + udp.port, "--osc-out", "127.0.0.1:" + osc.port);
      assertEquals(0, code);
      List<JsonNode> u = udp.lines(bins);
      List<JsonNode> o = osc.lines(3 * bins);
      for (int k = 0; k < bins; k++) {
        assertEquals(k, u.get(k).get("seq").asLong());
        assertEquals(k, o.get(3 * k).get("args").get(0).asInt());
        // the same factors in both
        assertEquals(u.get(k).get("factors"), o.get(3 * k + 1).get("args"));
        assertEquals(u.get(k).get("rates"), o.get(3 * k + 2).get("args"));
      }
    }
  }
}
