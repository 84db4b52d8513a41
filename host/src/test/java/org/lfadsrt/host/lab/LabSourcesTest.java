package org.lfadsrt.host.lab;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.source.SpikeSource;

/**
 * The Intan RHX and Open Ephys ZMQ sources against Python stand-ins for the acquisition software that send the
 * documented frames and compute the expected bins themselves; every bin is compared channel by channel.
 */
class LabSourcesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static Process python(String script, String... args) throws Exception {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "/usr/bin/python3";
    cmd[1] = "src/test/resources/lab/" + script;
    System.arraycopy(args, 0, cmd, 2, args.length);
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  static void assertBins(JsonNode expected, SpikeSource src, int channels) throws Exception {
    assertTrue(expected.size() > 20, "the emitter sent enough bins to mean something");
    int[] counts = new int[channels];
    long total = 0;
    for (int b = 0; b < expected.size(); b++) {
      assertEquals(SpikeSource.BIN, src.next(counts), "bin " + b);
      assertEquals(b, src.binIndex());
      for (int c = 0; c < channels; c++) {
        assertEquals(expected.get(b).get(c).asInt(), counts[c], "bin " + b + " channel " + c);
        total += counts[c];
      }
    }
    assertTrue(total > 50, "spikes were counted");
  }

  @Test
  void intanSpikeChunksAreBinnedPerChannel() throws Exception {
    List<String> names = List.of("A-000", "A-001", "A-002", "A-005", "C-031", "D-127", "A-003");
    Process emitter = python("intan_emitter.py", "11", String.join(",", names), "300");
    BufferedReader out = new BufferedReader(new InputStreamReader(emitter.getInputStream(), StandardCharsets.UTF_8));
    int port = Integer.parseInt(out.readLine().trim());
    IntanSpikeSource src = IntanSpikeSource.open("127.0.0.1:" + port + "?rate=30000&channels=" + String.join(",", names),
        names.size(), 10_000_000L);
    try {
      JsonNode expected = JSON.readTree(out.readLine());
      assertBins(expected, src, names.size());
      assertEquals(names, src.info().channelNames());
      assertEquals(3, src.resyncBytes(), "the torn chunk's three bytes skipped");
      assertTrue(src.artifacts() > 0);
      assertTrue(src.unmappedEvents() > 0, "B-010 is not a model channel");
    } finally {
      src.close();
      emitter.destroy();
      emitter.waitFor();
    }
  }

  @Test
  void intanSpecRefusesUnknownParameterByName() {
    var e = assertThrows(IllegalArgumentException.class, () -> IntanSpikeSource.open("127.0.0.1:5002?rat=30000", 4, 10_000_000L));
    assertTrue(e.getMessage().contains("unknown parameter 'rat'"), e.getMessage());
  }

  void zmq(String mode, String extra) throws Exception {
    int channels = 5;
    Process pub = python("zmq_publisher.py", mode, "3", Integer.toString(channels), "150", "-50");
    BufferedReader out = new BufferedReader(new InputStreamReader(pub.getInputStream(), StandardCharsets.UTF_8));
    String[] ports = out.readLine().trim().split(" ");
    ZmqSpikeSource src = ZmqSpikeSource.open("tcp://127.0.0.1:" + ports[0] + "?heartbeat=tcp://127.0.0.1:" + ports[1] + extra,
        channels, 5_000_000L);
    try {
      JsonNode beat = JSON.readTree(out.readLine());
      assertEquals("heartbeat", beat.get("type").asText());
      assertEquals(ZmqSpikeSource.APPLICATION, beat.get("application").asText());
      assertEquals(src.uuid(), beat.get("uuid").asText());
      JsonNode expected = JSON.readTree(out.readLine());
      assertBins(expected, src, channels);
      assertEquals(0, src.malformedMessages());
      long deadline = System.nanoTime() + 60_000_000_000L; // the reply reaches the heartbeat thread asynchronously
      while (src.heartbeatReplies() < 1 && System.nanoTime() < deadline) Thread.sleep(10);
      assertTrue(src.heartbeatReplies() >= 1, "the plugin's heartbeat reply was received");
    } finally {
      src.close();
      pub.getOutputStream().close();
      pub.waitFor();
    }
  }

  @Test
  void openEphysSpikeEventsAreBinnedPerElectrode() throws Exception {
    zmq("spikes", "&rate=30000");
  }

  @Test
  void openEphysContinuousDataThresholdCrossings() throws Exception {
    zmq("threshold", "&threshold=-50&refractory_ms=1");
  }
}
