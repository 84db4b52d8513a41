package org.lfadsrt.host.latency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.metrics.Stage;

/**
 * Writes the report directory: report.md, CSV tables (summary.csv, counts.csv, clients.csv,
 * baselines.csv), SVG plots per run (log-scale latency histogram per stage, latency over time), the
 * HdrHistogram interval logs (written by {@link BenchRun}) and each run's scraped {@code /metrics}.
 */
final class BenchReport {
  /** One compute-baseline row: an implementation on a model, per-window percentiles in ns. */
  record Baseline(String model, String implementation, long count, long p50, long p90, long p99, long max, long cpuP50,
      String note) {}

  /** Stages the per-run table lists, in pipeline order, then the end-to-end views. */
  static final Stage[] TABLE_STAGES = {Stage.INGEST, Stage.PREPARE, Stage.COMPUTE, Stage.DEVICE, Stage.ENCODE,
      Stage.SOCKET_WRITE, Stage.PUBLISH, Stage.END_TO_END, Stage.TO_SOCKET, Stage.HOST_OVERHEAD};

  final Path dir;
  final List<BenchRun.Result> runs = new ArrayList<>();
  final List<Baseline> baselines = new ArrayList<>();
  /** One row of the device-bus table: what one window cost a device backend on the bus, and its device cycles. */
  record BusRow(String model, String backend, String device, org.lfadsrt.host.backend.BusCounters perCall, long cyclesP50) {}

  final List<BusRow> busRows = new ArrayList<>();

  /**
   * One row of the per-bin table (issue 15 point 6): what one bin costs a device in a mode, as measured in the same run:
   * bus counts of the bin's driver calls, device cycles p50, host wall time p50 of the bin's call(s); {@code whole} is the
   * whole-window row of the same model (null for that row itself), the baseline of the ratios.
   */
  record BinRow(String model, String mode, org.lfadsrt.host.backend.BusCounters perBin, long cyclesP50, long wallP50, BinRow whole) {}

  final List<BinRow> binRows = new ArrayList<>();
  /** Device clock of the cycle-to-time conversions (--device-clock-mhz). */
  double clockHz = 300e6;
  /** Median host time of one JNA call that does no work (lfads_noop), ns; -1 when not measured. */
  long jnaNoopNanos = -1;
  /** The machine's own stalls before the runs, or null when not measured. */
  MachineHiccups hiccups;
  final List<String> notes = new ArrayList<>();
  /** The lab-paths section (org.lfadsrt.host.lab.LabPathLatency), or null. */
  String labPaths;
  final Map<String, String> settings = new LinkedHashMap<>();
  String commandLine = "";
  Instant started = Instant.now();

  BenchReport(Path dir) {
    this.dir = dir;
  }

  /** Adds a note once (the same backend missing for every model is one note). */
  void note(String text) {
    if (!notes.contains(text)) notes.add(text);
  }

  void write() throws IOException {
    Files.createDirectories(dir);
    writeCsvs();
    for (BenchRun.Result r : runs) {
      writeHistogramPlot(r);
      writeTimelinePlot(r);
      Files.writeString(dir.resolve("metrics-" + r.settings.id() + ".txt"), r.metricsText, StandardCharsets.UTF_8);
    }
    Files.writeString(dir.resolve("report.md"), markdown(), StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ markdown

  String markdown() {
    StringBuilder md = new StringBuilder(16_384);
    md.append("# lfads-rt latency benchmark\n\n");
    md.append("- started: ").append(started).append('\n');
    md.append("- command: `").append(commandLine).append("`\n");
    md.append("- git revision: ").append(MachineInfo.gitRevision()).append('\n');
    md.append("- machine: ").append(MachineInfo.cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores visible to the JVM, ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append('\n');
    md.append("- JVM: ").append(MachineInfo.jvm()).append("; GC: ").append(MachineInfo.gcNames()).append("; max heap ")
        .append(MachineInfo.maxHeapMb()).append(" MiB; JVM arguments: ").append(MachineInfo.jvmArgs()).append('\n');
    for (Map.Entry<String, String> e : settings.entrySet()) md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    md.append("\nLatencies in microseconds. Source bins are paced in real time at the bin rate (no accelerated time); the clients are in this "
        + "process, on loopback TCP. The machine is shared: its load average is given per run, and other processes' load shows in the tails.\n");
    if (!notes.isEmpty()) {
      md.append("\n## Notes\n\n");
      for (String n : notes) md.append("- ").append(n.replaceAll("\\s*\n\\s*", " ")).append('\n');
    }
    md.append("\n## Summary\n\n");
    md.append("| run | bins | published | dropped | client drops | end-to-end p50 | p99 | p99.9 | max | to socket p99 | host overhead p50 | p99 | max | compute p50 | p99 | client arrival p99 |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (BenchRun.Result r : runs) {
      Histogram e2e = r.stages.get(Stage.END_TO_END), ov = r.stages.get(Stage.HOST_OVERHEAD), c = r.stages.get(Stage.COMPUTE);
      md.append("| ").append(r.settings.id()).append(" | ").append(r.binsIn).append(" | ").append(r.published).append(" | ")
          .append(r.droppedTotal()).append(" | ").append(r.clientDropsTotal).append(" | ")
          .append(us(e2e.getValueAtPercentile(50))).append(" | ").append(us(e2e.getValueAtPercentile(99))).append(" | ")
          .append(us(e2e.getValueAtPercentile(99.9))).append(" | ").append(us(e2e.getMaxValue())).append(" | ")
          .append(us(r.stages.get(Stage.TO_SOCKET).getValueAtPercentile(99))).append(" | ")
          .append(us(ov.getValueAtPercentile(50))).append(" | ").append(us(ov.getValueAtPercentile(99))).append(" | ")
          .append(us(ov.getMaxValue())).append(" | ").append(us(c.getValueAtPercentile(50))).append(" | ")
          .append(us(c.getValueAtPercentile(99))).append(" | ").append(us(r.clientArrival.getValueAtPercentile(99))).append(" |\n");
    }
    if (labPaths != null) md.append(labPaths);
    md.append("\n").append(goals());
    if (hiccups != null) md.append("\n").append(hiccups.markdown());
    if (!baselines.isEmpty()) {
      md.append("\n## Compute baselines (same model, same online windows, batch 1, one thread)\n\n");
      md.append("Per-bin inference time, wall clock (and thread CPU, which excludes waiting for a core on this shared machine), "
          + "as the live pipeline computes it: the Java backends through their online session (push the bin, infer the window, "
          + "reusing each bin's encoder input projections), emu and PyTorch on the whole window. "
          + "Ratios are wall p50 against the Java float backend and against PyTorch float64 on the same model.\n\n");
      md.append("| model | implementation | windows | p50 | p90 | p99 | max | CPU p50 | p50 / Java float | p50 / PyTorch f64 | note |\n");
      md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (Baseline b : baselines) {
        Baseline jf = find(b.model, "java float"), pt = find(b.model, "pytorch float64");
        md.append("| ").append(b.model).append(" | ").append(b.implementation).append(" | ").append(b.count).append(" | ")
            .append(us(b.p50)).append(" | ").append(us(b.p90)).append(" | ").append(us(b.p99)).append(" | ").append(us(b.max))
            .append(" | ").append(b.cpuP50 > 0 ? us(b.cpuP50) : "–").append(" | ").append(ratio(b.p50, jf)).append(" | ")
            .append(ratio(b.p50, pt)).append(" | ").append(b.note == null ? "" : b.note).append(" |\n");
      }
    }
    if (!busRows.isEmpty()) {
      md.append("\n## Device bus cost per window (as the native driver counts it)\n\n");
      md.append("Per inference call: AXI4-Lite register reads and writes over PCIe, DMA syncs and their bytes each way, kernel "
          + "runs; device cycles from the kernel's CYCLES register (with the emulated memory's latency, see the device column).\n\n");
      md.append("| model | backend | reg reads | reg writes | syncs to device | bytes to device | syncs from device | bytes from device | kernel runs | device cycles p50 | device |\n");
      md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
      for (BusRow b : busRows) {
        var c = b.perCall();
        md.append("| ").append(b.model()).append(" | ").append(b.backend()).append(" | ").append(c.regReads()).append(" | ")
            .append(c.regWrites()).append(" | ").append(c.syncsToDevice()).append(" | ").append(c.bytesToDevice()).append(" | ")
            .append(c.syncsFromDevice()).append(" | ").append(c.bytesFromDevice()).append(" | ").append(c.kernelRuns()).append(" | ")
            .append(b.cyclesP50()).append(" | ").append(b.device()).append(" |\n");
      }
    }
    if (!binRows.isEmpty()) md.append("\n").append(binTable());
    for (BenchRun.Result r : runs) md.append('\n').append(runSection(r));
    md.append("\n## Stage definitions\n\n");
    md.append("Timestamps (monotonic ns, one clock, one process): t0 bin complete at the source (its wall-clock end when paced), "
        + "t1 accepted by the pipeline, t2 submitted to the backend, t3 backend done, t4 RESULT encoded for a client, t5 written to "
        + "that client's socket (bytes left Netty's outbound buffer), t6 whole frame read by the client.\n\n");
    md.append("| stage | span | per |\n|---|---|---|\n");
    md.append("| ingest | t1 - t0 (includes the source thread's wake-up delay) | bin |\n");
    md.append("| prepare | t2 - t1 (window assembly) | bin |\n");
    md.append("| compute | t3 - t2 (backend infer) | bin |\n");
    md.append("| device | kernel cycle counter / clock (backends with a counter) | bin |\n");
    md.append("| encode | t4 - t3 (outputs decoded, frame encoded; later clients wait for earlier ones) | bin x client |\n");
    md.append("| socket_write | t5 - t4 (hand-off to the event loop and socket write) | bin x client |\n");
    md.append("| publish | t3 to all frames handed to Netty | bin |\n");
    md.append("| end_to_end | t0 to all frames handed to Netty | bin |\n");
    md.append("| to_socket | t5 - t0 | bin x client |\n");
    md.append("| host_overhead | (t5 - t0) - (t3 - t2): everything but backend compute | bin x client |\n");
    md.append("| client arrival | t6 - t0 | bin x client |\n");
    md.append("| client overhead | (t6 - t0) - (t3 - t2) | bin x client |\n");
    md.append("\nFiles: `summary.csv` (every stage of every run, ns), `counts.csv`, `clients.csv`, `baselines.csv`, "
        + "`<run>.hlog` (HdrHistogram interval log, one histogram per stage per interval, Tag=stage, ns), "
        + "`metrics-<run>.txt` (the run's `/metrics` at its end), `hist-<run>.svg`, `timeline-<run>.svg`.\n");
    return md.toString();
  }

  /** The per-bin table: online kernel mode against whole windows on the same device, same run. */
  String binTable() {
    StringBuilder t = new StringBuilder("## Device cost per bin: online kernel mode vs whole window (emu)\n\n");
    double mhz = clockHz / 1e6;
    t.append(String.format(Locale.ROOT, "Per bin, as the live pipeline drives the device: whole window = one `lfads_run` of the last "
        + "T_enc bins; online = the kernel's online mode (one `lfads_submit` of the newest bin + one `lfads_wait` for its status "
        + "block). Bus counts as the native driver counts them (the last timed bin); device cycles p50 from CYCLES (online: the "
        + "status block's, which excludes the block's own 64-byte write); us at %.0f MHz, the design's target clock, supported by "
        + "the post-synthesis timing estimate (`make -C hdl timing`), not by a placed-and-routed build; host wall p50 of the bin's "
        + "call(s) through JNA into the Verilated kernel (a simulation: seconds, not what a card takes).%s\n\n", mhz,
        jnaNoopNanos > 0 ? String.format(Locale.ROOT, " JNA call overhead (`lfads_noop`, median over 100 x 1000 calls): %.3f us.",
            jnaNoopNanos / 1000.0) : ""));
    t.append("| model | mode | reg reads | reg writes | bytes in | bytes out | kernel runs | device cycles p50 | us @ ")
        .append(String.format(Locale.ROOT, "%.0f", mhz)).append(" MHz | cycles vs whole window | host wall p50 |\n");
    t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (BinRow r : binRows) {
      var c = r.perBin();
      t.append("| ").append(r.model()).append(" | ").append(r.mode()).append(" | ").append(c == null ? "–" : c.regReads())
          .append(" | ").append(c == null ? "–" : c.regWrites()).append(" | ").append(c == null ? "–" : c.bytesToDevice())
          .append(" | ").append(c == null ? "–" : c.bytesFromDevice()).append(" | ").append(c == null ? "–" : c.kernelRuns())
          .append(" | ").append(r.cyclesP50()).append(" | ")
          .append(r.cyclesP50() > 0 ? String.format(Locale.ROOT, "%.1f", r.cyclesP50() / mhz) : "–").append(" | ")
          .append(r.whole() != null && r.whole().cyclesP50() > 0 && r.cyclesP50() > 0
              ? String.format(Locale.ROOT, "%.1f %%", 100.0 * r.cyclesP50() / r.whole().cyclesP50()) : "100 %")
          .append(" | ").append(us(r.wallP50())).append(" us |\n");
    }
    return t.toString();
  }

  private Baseline find(String model, String impl) {
    for (Baseline b : baselines) if (b.model.equals(model) && b.implementation.equals(impl) && b.count > 0) return b;
    return null;
  }

  private static String ratio(long v, Baseline ref) {
    if (ref == null || ref.p50 <= 0 || v <= 0) return "–";
    return String.format(Locale.ROOT, "%.2f", (double) v / ref.p50);
  }

  private String goals() {
    StringBuilder g = new StringBuilder("## Goals (issue 7)\n\n");
    g.append("| goal | run | measured | verdict |\n|---|---|---|---|\n");
    boolean any = false;
    for (BenchRun.Result r : runs) {
      if (Math.round(r.settings.rateHz()) != 1000 || r.settings.clients() != 4) continue;
      any = true;
      Histogram ov = r.stages.get(Stage.HOST_OVERHEAD);
      boolean ok = ov.getValueAtPercentile(99) <= 50_000 && ov.getMaxValue() <= 1_000_000;
      g.append("| host overhead p99 <= 50 us, max <= 1 ms over 1,000,000 bins at 1 kHz, 4 clients | ").append(r.settings.id())
          .append(" | p99 ").append(us(ov.getValueAtPercentile(99))).append(" us, max ").append(us(ov.getMaxValue()))
          .append(" us over ").append(r.binsIn).append(" bins (").append(ov.getTotalCount()).append(" frames) | ")
          .append(ok ? "met" : "NOT met").append(r.binsIn < 1_000_000 ? " (shorter run than the goal's 1,000,000 bins)" : "")
          .append(hiccups != null && hiccups.stalls.getMaxValue() > 1_000_000
              ? "; the machine alone stalled a spinning thread for up to " + us(hiccups.stalls.getMaxValue())
                  + " us (Machine floor)" : "")
          .append(" |\n");
    }
    if (!any) g.append("| host overhead at 1 kHz, 4 clients | – | no run with --rates 1000 --clients 4 | not measured |\n");
    boolean fixedPaper = false;
    for (BenchRun.Result r : runs) {
      if (!r.settings.backend().equals("software") || !r.settings.modelName().equals("paper")) continue;
      fixedPaper = true;
      Histogram c = r.stages.get(Stage.COMPUTE);
      Baseline cpu = find("paper", "java software");
      g.append("| software (fixed) backend, paper-size, online: compute p99 <= 1 ms | ").append(r.settings.id()).append(" | p99 ")
          .append(us(c.getValueAtPercentile(99))).append(" us, p50 ").append(us(c.getValueAtPercentile(50))).append(" us")
          .append(cpu != null && cpu.cpuP50 > 0 ? " (compute baseline: thread-CPU p50 " + us(cpu.cpuP50) + " us per window)" : "")
          .append(" | ").append(c.getValueAtPercentile(99) <= 1_000_000 ? "met" : "NOT met").append(" |\n");
      if (Math.round(r.settings.rateHz()) == 1000) {
        long d = r.droppedTotal() + r.clientDropsTotal;
        g.append("| no drops at 1 kHz, software backend, paper-size | ").append(r.settings.id()).append(" | ")
            .append(r.droppedTotal()).append(" pipeline drops, ").append(r.clientDropsTotal).append(" client drops of ")
            .append(r.binsIn).append(" bins | ").append(d == 0 ? "met" : "NOT met").append(" |\n");
      }
    }
    if (!fixedPaper) {
      g.append("| software (fixed) backend, paper-size | – | no run of backend 'software' on model 'paper' (backend missing from this build, or not selected) | not measured |\n");
    }
    return g.toString();
  }

  /** What the hot path and the event loop allocated (ThreadMXBean counts): the zero-allocation check of a live run. */
  static String allocationLine(BenchRun.Result r) {
    StringBuilder b = new StringBuilder("Allocation: hot-path thread ");
    if (r.hotPathAllocated < 0) b.append("not measured (run shorter than 1000 bins)");
    else b.append(String.format(Locale.ROOT, "%d bytes over %d bins after its first 1000 (%.2f B/bin)", r.hotPathAllocated,
        r.hotPathAllocatedBins, (double) r.hotPathAllocated / Math.max(1, r.hotPathAllocatedBins)));
    b.append("; Netty worker event loop ");
    if (r.eventLoopAllocated < 0) b.append("not measured");
    else b.append(String.format(Locale.ROOT, "%d bytes over %d frames written (%.2f B/frame; includes STATUS, /metrics and "
        + "connection set-up)", r.eventLoopAllocated, r.framesSent, (double) r.eventLoopAllocated / Math.max(1, r.framesSent)));
    return b.append('.').toString();
  }

  private String runSection(BenchRun.Result r) {
    BenchRun.Settings s = r.settings;
    StringBuilder md = new StringBuilder();
    md.append("## Run ").append(s.id()).append("\n\n");
    md.append(String.format(Locale.ROOT, "Model %s (%s), backend %s, %.0f Hz bins (%.3f ms), %d clients, %d bins requested; "
            + "late threshold %s; device clock %.0f MHz; per-client queue %d KiB; seed %d. Wall time %.1f s. "
            + "Load average before %s, after %s. GC during the run: %d collections, %d ms.%n%n",
        s.modelName(), s.modelDescription(), s.backend(), s.rateHz(), s.binWidthNanos() / 1e6, s.clients(), s.bins(),
        s.lateMillis() > 0 ? s.lateMillis() + " ms" : "off", s.deviceClockHz() / 1e6, s.clientQueueKb(), s.seed(),
        r.wallSeconds, r.loadBefore, r.loadAfter, r.gcCount, r.gcMillis));
    md.append(allocationLine(r)).append("\n\n");
    if (r.failure != null) md.append("**Run failed:** ").append(r.failure).append("\n\n");
    md.append("| stage | count | min | p50 | p90 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Stage st : TABLE_STAGES) row(md, st.label(), r.stages.get(st));
    row(md, "client arrival", r.clientArrival);
    row(md, "client delivery (t6-t4)", r.clientDelivery);
    row(md, "client overhead", r.clientOverhead);
    md.append("\nBins in ").append(r.binsIn).append(", published ").append(r.published).append(", dropped ").append(r.droppedTotal());
    for (DropReason d : DropReason.values()) if (r.drops.get(d) > 0) md.append(" (").append(d.label()).append(' ').append(r.drops.get(d)).append(')');
    md.append("; results dropped for slow clients ").append(r.clientDropsTotal).append("; counts saturated at 255: ").append(r.saturated).append(".\n\n");
    md.append("| client | sent | dropped (queue full) | received | sequence gaps |\n|---:|---:|---:|---:|---:|\n");
    for (BenchRun.ClientCount c : r.clients) {
      md.append("| ").append(c.index()).append(" | ").append(c.sent()).append(" | ").append(c.serverDrops()).append(" | ")
          .append(c.received()).append(" | ").append(c.seqGaps()).append(" |\n");
    }
    md.append("\n![latency histogram](hist-").append(s.id()).append(".svg)\n![latency over time](timeline-").append(s.id()).append(".svg)\n");
    return md.toString();
  }

  private static void row(StringBuilder md, String name, Histogram h) {
    md.append("| ").append(name).append(" | ").append(h.getTotalCount());
    if (h.getTotalCount() == 0) {
      md.append(" | – | – | – | – | – | – |\n");
      return;
    }
    md.append(" | ").append(us(h.getMinValue())).append(" | ").append(us(h.getValueAtPercentile(50))).append(" | ")
        .append(us(h.getValueAtPercentile(90))).append(" | ").append(us(h.getValueAtPercentile(99))).append(" | ")
        .append(us(h.getValueAtPercentile(99.9))).append(" | ").append(us(h.getMaxValue())).append(" |\n");
  }

  static String us(long nanos) {
    return String.format(Locale.ROOT, nanos >= 10_000_000 ? "%.0f" : "%.1f", nanos / 1e3);
  }

  // ------------------------------------------------------------------ CSV

  /** Percentile columns of summary.csv, in order. */
  static final double[] PERCENTILES = {50, 90, 99, 99.9};

  private void writeCsvs() throws IOException {
    StringBuilder sum = new StringBuilder("run,stage,count,min_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns\n");
    StringBuilder counts = new StringBuilder("run,bins_in,published");
    for (DropReason d : DropReason.values()) counts.append(",dropped_").append(d.label());
    counts.append(",client_drops,saturated,gc_count,gc_ms,wall_s\n");
    StringBuilder cl = new StringBuilder("run,client,sent,server_drops,received,seq_gaps\n");
    for (BenchRun.Result r : runs) {
      String id = r.settings.id();
      for (Stage st : Stage.values()) csvRow(sum, id, st.label(), r.stages.get(st));
      csvRow(sum, id, "client_arrival", r.clientArrival);
      csvRow(sum, id, "client_delivery", r.clientDelivery);
      csvRow(sum, id, "client_overhead", r.clientOverhead);
      counts.append(id).append(',').append(r.binsIn).append(',').append(r.published);
      for (DropReason d : DropReason.values()) counts.append(',').append(r.drops.get(d));
      counts.append(',').append(r.clientDropsTotal).append(',').append(r.saturated).append(',').append(r.gcCount).append(',')
          .append(r.gcMillis).append(',').append(String.format(Locale.ROOT, "%.3f", r.wallSeconds)).append('\n');
      for (BenchRun.ClientCount c : r.clients) {
        cl.append(id).append(',').append(c.index()).append(',').append(c.sent()).append(',').append(c.serverDrops()).append(',')
            .append(c.received()).append(',').append(c.seqGaps()).append('\n');
      }
    }
    StringBuilder bl = new StringBuilder("model,implementation,count,p50_ns,p90_ns,p99_ns,max_ns,cpu_p50_ns\n");
    for (Baseline b : baselines) {
      bl.append(b.model).append(',').append(b.implementation).append(',').append(b.count).append(',').append(b.p50).append(',')
          .append(b.p90).append(',').append(b.p99).append(',').append(b.max).append(',').append(b.cpuP50).append('\n');
    }
    Files.writeString(dir.resolve("summary.csv"), sum);
    Files.writeString(dir.resolve("counts.csv"), counts);
    Files.writeString(dir.resolve("clients.csv"), cl);
    Files.writeString(dir.resolve("baselines.csv"), bl);
  }

  private static void csvRow(StringBuilder sb, String run, String stage, Histogram h) {
    sb.append(run).append(',').append(stage).append(',').append(h.getTotalCount()).append(',')
        .append(h.getTotalCount() == 0 ? 0 : h.getMinValue());
    for (double p : PERCENTILES) sb.append(',').append(h.getValueAtPercentile(p));
    sb.append(',').append(h.getMaxValue()).append('\n');
  }

  // ------------------------------------------------------------------ plots

  private void writeHistogramPlot(BenchRun.Result r) throws IOException {
    SvgPlot p = new SvgPlot("latency histogram, " + r.settings.id(), "latency (µs, log scale)", "bins per log bucket", true, true);
    Stage[] shown = {Stage.INGEST, Stage.COMPUTE, Stage.DEVICE, Stage.ENCODE, Stage.SOCKET_WRITE, Stage.TO_SOCKET, Stage.HOST_OVERHEAD};
    for (Stage st : shown) addHistogram(p, st.label(), r.stages.get(st), false);
    addHistogram(p, "client arrival", r.clientArrival, true);
    p.write(dir.resolve("hist-" + r.settings.id() + ".svg"));
  }

  /** Log-spaced buckets (4 per octave) from 100 ns: x = bucket top in µs, y = count. */
  static void addHistogram(SvgPlot p, String name, Histogram h, boolean dashed) {
    if (h.getTotalCount() == 0) return;
    List<double[]> pts = new ArrayList<>();
    for (HistogramIterationValue v : h.logarithmicBucketValues(100, Math.pow(2, 0.25))) {
      pts.add(new double[] {v.getValueIteratedTo() / 1e3, v.getCountAddedInThisIterationStep()});
    }
    double[] x = new double[pts.size()], y = new double[pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      x[i] = pts.get(i)[0];
      y[i] = pts.get(i)[1];
    }
    p.add(name, x, y, dashed);
  }

  private void writeTimelinePlot(BenchRun.Result r) throws IOException {
    SvgPlot p = new SvgPlot("latency over time, " + r.settings.id() + " (per " + r.settings.intervalMillis() + " ms interval)",
        "time since start (s)", "latency (µs, log scale)", false, true);
    series(p, "to_socket p50", r.overTime.get(Stage.TO_SOCKET), 50, false);
    series(p, "to_socket p99", r.overTime.get(Stage.TO_SOCKET), 99, false);
    series(p, "to_socket max", r.overTime.get(Stage.TO_SOCKET), 100, false);
    series(p, "compute p99", r.overTime.get(Stage.COMPUTE), 99, true);
    series(p, "host overhead p99", r.overTime.get(Stage.HOST_OVERHEAD), 99, true);
    p.write(dir.resolve("timeline-" + r.settings.id() + ".svg"));
  }

  private static void series(SvgPlot p, String name, List<BenchRun.Point> pts, int which, boolean dashed) {
    if (pts == null || pts.isEmpty()) return;
    double[] x = new double[pts.size()], y = new double[pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      BenchRun.Point q = pts.get(i);
      x[i] = q.tSeconds();
      y[i] = (which == 50 ? q.p50() : which == 99 ? q.p99() : q.max()) / 1e3;
    }
    p.add(name, x, y, dashed);
  }
}
