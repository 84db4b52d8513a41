package org.lfadsrt.host.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one set of renderers: a stage without samples is "–", never "0.0 µs"; every counter is in JSON and /metrics. */
class StatusReportTest {

  static String summary(PipelineStats stats) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    stats.sample();
    StatusReport.summary(new PrintStream(b, true, StandardCharsets.UTF_8), stats);
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void stagesWithoutSamplesShowADashAndStagesWithSamplesTheirValues() {
    PipelineStats stats = new PipelineStats();
    stats.record(Stage.COMPUTE, 42_000);
    String out = summary(stats);
    String compute = out.lines().filter(l -> l.trim().startsWith("compute ")).findFirst().orElseThrow();
    assertTrue(compute.contains("42.0 \u00b5s"), compute);
    for (String stage : new String[] {"device", "socket_write", "end_to_end"}) {
      String line = out.lines().filter(l -> l.trim().startsWith(stage + " ")).findFirst().orElseThrow();
      assertFalse(line.contains("\u00b5s") || line.contains("ms"), line);
      assertEquals(5, line.split(StatusReport.NO_SAMPLES, -1).length - 1, "five columns of " + StatusReport.NO_SAMPLES + ": " + line);
    }
    ServerStats server = new ServerStats().gauges(() -> 3, () -> 1);
    String line = StatusReport.statusLine(stats, server);
    assertTrue(line.contains("latency p50 \u2013 p99 \u2013"), line);
    assertTrue(line.contains("compute p50 42.0 \u00b5s"), line);
    assertTrue(line.contains("clients 3"), line);
  }

  @Test
  void jsonAndPrometheusCarryEveryServerCounterAndTheGauges() {
    PipelineStats stats = new PipelineStats();
    stats.sample();
    ServerStats server = new ServerStats().gauges(() -> 2, () -> 7);
    int k = 1;
    for (ServerStats.Counter c : ServerStats.Counter.values()) {
      for (int i = 0; i < k; i++) server.increment(c);
      k++;
    }
    String json = StatusReport.json(stats, server);
    String prom = StatusReport.prometheus(stats, server);
    assertTrue(json.contains("\"clients\":2") && json.contains("\"pending_handshakes\":7"), json);
    assertTrue(prom.contains("lfadsrt_clients 2\n") && prom.contains("lfadsrt_pending_handshakes 7\n"), prom);
    k = 1;
    for (ServerStats.Counter c : ServerStats.Counter.values()) {
      assertTrue(json.contains("\"" + c.label() + "\":" + k), c.label() + " in " + json);
      assertTrue(prom.contains("lfadsrt_" + c.label() + "_total " + k + "\n"), c.label() + " in " + prom);
      k++;
    }
  }
}
