package org.lfadsrt.host.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.cli.Main;
import picocli.CommandLine;

/**
 * A short real-time bench (2 runs of 400 bins at 500 Hz, 2 clients, small model) through the CLI:
 * asserts only that the report is produced and consistent — every bin accounted for, every sent frame
 * received, stage counts agreeing with the counters and with the HdrHistogram logs, percentiles ordered,
 * /metrics scraped in Prometheus text format. No timing assertions.
 */
class BenchCommandTest {

  /** Every lab path of the same run delivered every one of its bins and has latency figures. */
  static void labPathsMeasured(String md, int bins) {
    assertTrue(md.contains("## Lab paths (same run"), "report has the lab paths");
    for (String path : new String[] {"native: TCP ingest -> rig protocol", "BRAND: Redis stream -> Redis stream",
        "Open Ephys ZMQ -> UDP datagram", "Intan RHX spikes -> OSC"}) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\| " + java.util.regex.Pattern.quote(path)
          + " \\| [^|]+ \\| (\\d+) \\| (\\d+) \\| ([\\d.]+) µs \\|").matcher(md);
      assertTrue(m.find(), "row of " + path + " with figures in:\n" + md);
      assertEquals(bins, Long.parseLong(m.group(1)));
      assertEquals(bins, Long.parseLong(m.group(2)), path + ": every result received");
    }
  }

  @Test
  void shortBenchWritesAConsistentReport(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("report");
    int code = Main.commandLine().execute("bench", "--models", "small", "--backends", "float,nosuchbackend",
        "--rates", "500", "--clients", "1,2", "--bins", "400", "--interval-ms", "100", "--baseline-windows", "40", "--baseline-warmup-ms", "100",
        "--no-torch", "--hiccup-seconds", "0.5", "--lab-paths", "70", "--out", dir.toString());
    assertEquals(0, code);
    labPathsMeasured(Files.readString(dir.resolve("report.md")), 70);
    // the machine floor: stall counts nested (> 1 ms within > 100 us within > 1 us)
    String floorMd = Files.readString(dir.resolve("report.md"));
    java.util.regex.Matcher floor = java.util.regex.Pattern
        .compile("\\| (\\d+) \\([\\d.]+/s\\) \\| (\\d+) \\([\\d.]+/s\\) \\| (\\d+) \\([\\d.]+/s\\) \\|").matcher(floorMd);
    assertTrue(floorMd.contains("## Machine floor") && floor.find(), "report has the machine floor table");
    long all = Long.parseLong(floor.group(1)), over100 = Long.parseLong(floor.group(2)), over1ms = Long.parseLong(floor.group(3));
    assertTrue(over1ms <= over100 && over100 <= all, "stall counts nested: " + floor.group());
    for (String f : new String[] {"report.md", "summary.csv", "counts.csv", "clients.csv", "baselines.csv"}) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
    List<String> runs = List.of("small-float-500hz-1c", "small-float-500hz-2c");
    Map<String, Map<String, Long>> counts = table(dir.resolve("counts.csv"));
    Map<String, Map<String, Map<String, Long>>> stages = stageTable(dir.resolve("summary.csv"));
    assertEquals(runs, new ArrayList<>(counts.keySet()));
    for (String run : runs) {
      for (String f : new String[] {"hist-" + run + ".svg", "timeline-" + run + ".svg", run + ".hlog", "metrics-" + run + ".txt"}) {
        assertTrue(Files.size(dir.resolve(f)) > 0, f);
      }
      assertTrue(Files.readString(dir.resolve("hist-" + run + ".svg")).contains("<polyline"), "histogram plot has lines");
      Map<String, Long> c = counts.get(run);
      long binsIn = c.get("bins_in"), published = c.get("published");
      long dropped = 0;
      for (var e : c.entrySet()) if (e.getKey().startsWith("dropped_")) dropped += e.getValue();
      assertEquals(400, binsIn, run + ": every requested bin entered");
      assertEquals(binsIn, published + dropped, run + ": bins in = published + dropped");
      assertTrue(published > 0, run + ": something was published");

      Map<String, Map<String, Long>> st = stages.get(run);
      assertEquals(binsIn, st.get("ingest").get("count"), "ingest once per bin");
      assertEquals(published, st.get("compute").get("count"), "compute once per published bin (online mode)");
      assertEquals(published, st.get("end_to_end").get("count"));
      assertEquals(0, st.get("device").get("count"), "the float backend has no cycle counter");

      long sent = 0, received = 0;
      int clients = 0;
      for (String[] row : rows(dir.resolve("clients.csv"))) {
        if (!row[0].equals(run)) continue;
        clients++;
        long s = Long.parseLong(row[2]), drops = Long.parseLong(row[3]), r = Long.parseLong(row[4]);
        assertEquals(published, s + drops, run + " client " + row[1] + ": sent + dropped = published");
        assertEquals(s, r, run + " client " + row[1] + ": received everything sent");
        sent += s;
        received += r;
      }
      assertEquals(run.endsWith("2c") ? 2 : 1, clients);
      assertEquals(received, st.get("client_arrival").get("count"));
      long toSocket = st.get("to_socket").get("count");
      assertTrue(toSocket <= sent && toSocket >= sent - clients, run + ": every sent frame timed at its socket write (" + toSocket + " of " + sent + ")");
      for (String s : new String[] {"encode", "socket_write", "host_overhead"}) assertEquals(toSocket, st.get(s).get("count"), s);

      for (var e : st.entrySet()) {
        Map<String, Long> h = e.getValue();
        if (h.get("count") == 0) continue;
        long[] ordered = {h.get("min_ns"), h.get("p50_ns"), h.get("p90_ns"), h.get("p99_ns"), h.get("p999_ns"), h.get("max_ns")};
        for (int i = 1; i < ordered.length; i++) {
          assertTrue(ordered[i - 1] <= ordered[i], run + " " + e.getKey() + ": percentiles ordered");
        }
        assertTrue(ordered[0] > 0, run + " " + e.getKey() + ": positive latencies");
      }

      // The interval log holds the same values as the whole-run histograms.
      Map<String, Long> logged = new HashMap<>();
      HistogramLogReader reader = new HistogramLogReader(new File(dir.resolve(run + ".hlog").toString()));
      EncodableHistogram h;
      while ((h = reader.nextIntervalHistogram()) != null) {
        logged.merge(h.getTag(), ((org.HdrHistogram.Histogram) h).getTotalCount(), Long::sum);
      }
      for (String stage : new String[] {"ingest", "compute", "to_socket", "host_overhead"}) {
        assertEquals(st.get(stage).get("count"), logged.getOrDefault(stage, 0L), run + ": hlog total of " + stage);
      }

      String metrics = Files.readString(dir.resolve("metrics-" + run + ".txt"));
      for (String line : metrics.split("\n")) {
        if (line.startsWith("#")) continue;
        assertTrue(line.matches("[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? -?[0-9.eE+-]+|[a-z_]+(\\{.*\\})? NaN"),
            "Prometheus text line: " + line);
      }
      assertTrue(metrics.contains("lfadsrt_bins_in_total " + binsIn), "metrics scraped at the end of the run: " + metrics);
      assertTrue(metrics.contains("lfadsrt_latency_seconds{stage=\"host_overhead\",quantile=\"0.99\"}"), metrics);
    }
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("| small-float-500hz-2c | 400 |"), "summary row");
    assertTrue(md.contains("## Goals"));
    assertTrue(md.contains("backend 'nosuchbackend' is not in this build"), "missing backend skipped with a note");
    Map<String, Map<String, Long>> baselines = new HashMap<>();
    List<String[]> bl = rows(dir.resolve("baselines.csv"));
    assertEquals("java float", bl.get(0)[1]);
    assertEquals(40, Long.parseLong(bl.get(0)[2]));
    assertFalse(baselines.containsKey("x"));
  }

  @Test
  void badOptionsAreNamed() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("bench", "--rates", "0", "--out", "/nonexistent/never-written");
    assertNotEquals(0, code);
    assertTrue(err.toString().contains("--rates: each rate must be in 1..10000 Hz, got 0.0"), err.toString());
    err.getBuffer().setLength(0);
    code = cl.execute("bench", "--models", "nosuch", "--bins", "0");
    assertNotEquals(0, code);
    assertTrue(err.toString().contains("--bins must be >= 1"), err.toString());
  }

  // ---- CSV helpers

  private static List<String[]> rows(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    List<String[]> out = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) out.add(l.split(","));
    return out;
  }

  /** First column → (header → value) for all-numeric other columns. */
  private static Map<String, Map<String, Long>> table(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    String[] head = lines.get(0).split(",");
    Map<String, Map<String, Long>> out = new java.util.LinkedHashMap<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      Map<String, Long> m = new HashMap<>();
      for (int i = 1; i < f.length; i++) if (f[i].matches("-?\\d+")) m.put(head[i], Long.parseLong(f[i]));
      out.put(f[0], m);
    }
    return out;
  }

  /** run → stage → (column → value). */
  private static Map<String, Map<String, Map<String, Long>>> stageTable(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    String[] head = lines.get(0).split(",");
    Map<String, Map<String, Map<String, Long>>> out = new HashMap<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      Map<String, Long> m = new HashMap<>();
      for (int i = 2; i < f.length; i++) m.put(head[i], Long.parseLong(f[i]));
      out.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], m);
    }
    return out;
  }
}
