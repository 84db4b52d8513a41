package org.lfadsrt.host.metrics;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The one place the live counters and latencies are turned into text: the console status line, the
 * end-of-run summary, the JSON status ({@code /status.json}, WebSocket) and the Prometheus text
 * ({@code /metrics}). Every renderer reads the same {@link PipelineStats} and {@link ServerStats}, so the
 * three views cannot disagree about what is counted.
 */
public final class StatusReport {
  private StatusReport() {}

  /** A stage with no samples in the histogram is shown as this, never as a made-up 0. */
  public static final String NO_SAMPLES = "\u2013";

  /**
   * One status line: bins, rate, end-to-end p50/p99/p99.9/max over the sliding window (the last
   * {@link PipelineStats#DEFAULT_WINDOW_INTERVALS} sampled intervals), compute p50, clients, drops.
   */
  public static String statusLine(PipelineStats stats, ServerStats server) {
    Histogram e2e = stats.recent(Stage.END_TO_END);
    Histogram compute = stats.recent(Stage.COMPUTE);
    return String.format(Locale.ROOT,
        "[%7.1f s] bins %d | %.1f bins/s | latency p50 %s p99 %s p99.9 %s max %s (compute p50 %s) | clients %d | drops %d | client drops %d",
        stats.uptimeSeconds(), stats.binsIn(), stats.binsPerSecond(), micros(e2e, 50), micros(e2e, 99), micros(e2e, 99.9),
        micros(e2e, 100), micros(compute, 50), server.clients(), stats.droppedTotal(), stats.clientDrops());
  }

  /** Multi-line end-of-run summary from the whole-run histograms; call after a final {@link PipelineStats#sample()}. */
  public static void summary(PrintStream out, PipelineStats stats) {
    out.printf(Locale.ROOT, "lfads-rt summary: %d bins in, %d results published, %d dropped, %.1f s%n",
        stats.binsIn(), stats.publishedCount(), stats.droppedTotal(), stats.uptimeSeconds());
    for (DropReason r : DropReason.values()) {
      if (stats.drops(r) > 0) out.printf("  dropped %-15s %d%n", r.label(), stats.drops(r));
    }
    if (stats.saturatedCounts() > 0) out.printf("  counts saturated at 255: %d%n", stats.saturatedCounts());
    out.printf("  results dropped for slow clients: %d%n", stats.clientDrops());
    out.printf("  %-13s %10s %10s %10s %10s %10s%n", "stage", "p50", "p90", "p99", "p99.9", "max");
    for (Stage s : Stage.values()) {
      Histogram h = stats.total(s);
      out.printf("  %-13s %10s %10s %10s %10s %10s%n", s.label(), micros(h, 50), micros(h, 90), micros(h, 99),
          micros(h, 99.9), micros(h, 100));
    }
  }

  /** The status as JSON: counters, recent percentiles and the whole-run end-to-end histogram (log buckets). */
  public static String json(PipelineStats stats, ServerStats server) {
    Histogram recent = stats.recent(Stage.END_TO_END);
    Histogram total = stats.total(Stage.END_TO_END);
    StringBuilder sb = new StringBuilder(1024);
    sb.append("{\"type\":\"status\",\"bins_in\":").append(stats.binsIn())
        .append(",\"published\":").append(stats.publishedCount())
        .append(",\"dropped\":").append(stats.droppedTotal())
        .append(",\"client_drops\":").append(stats.clientDrops())
        .append(",\"clients\":").append(server.clients())
        .append(",\"pending_handshakes\":").append(server.pendingHandshakes())
        .append(",\"bins_per_s\":").append(String.format(Locale.ROOT, "%.1f", stats.binsPerSecond()))
        .append(",\"p50_us\":").append(us(recent.getValueAtPercentile(50)))
        .append(",\"p99_us\":").append(us(recent.getValueAtPercentile(99)))
        .append(",\"p999_us\":").append(us(recent.getValueAtPercentile(99.9)))
        .append(",\"max_us\":").append(us(recent.getMaxValue()))
        .append(",\"drops\":{");
    DropReason[] reasons = DropReason.values();
    for (int i = 0; i < reasons.length; i++) {
      if (i > 0) sb.append(',');
      sb.append('"').append(reasons[i].label()).append("\":").append(stats.drops(reasons[i]));
    }
    sb.append("},\"server\":{");
    ServerStats.Counter[] counters = ServerStats.Counter.values();
    for (int i = 0; i < counters.length; i++) {
      if (i > 0) sb.append(',');
      sb.append('"').append(counters[i].label()).append("\":").append(server.get(counters[i]));
    }
    sb.append("},\"hist\":[");
    boolean first = true;
    long lower = 0;
    for (long upper = 1000; upper <= 1_000_000_000L; upper *= 2) {
      long count = total.getCountBetweenValues(lower + 1, upper);
      if (!first) sb.append(',');
      sb.append('[').append(upper / 1000.0).append(',').append(count).append(']');
      first = false;
      lower = upper;
    }
    sb.append("]}");
    return sb.toString();
  }

  /** Prometheus text exposition format 0.0.4. */
  public static String prometheus(PipelineStats st, ServerStats server) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# TYPE lfadsrt_bins_in_total counter\nlfadsrt_bins_in_total ").append(st.binsIn()).append('\n');
    sb.append("# TYPE lfadsrt_published_total counter\nlfadsrt_published_total ").append(st.publishedCount()).append('\n');
    sb.append("# TYPE lfadsrt_dropped_total counter\n");
    for (DropReason r : DropReason.values()) {
      sb.append("lfadsrt_dropped_total{reason=\"").append(r.label()).append("\"} ").append(st.drops(r)).append('\n');
    }
    sb.append("# TYPE lfadsrt_client_drops_total counter\nlfadsrt_client_drops_total ").append(st.clientDrops()).append('\n');
    sb.append("# TYPE lfadsrt_clients gauge\nlfadsrt_clients ").append(server.clients()).append('\n');
    sb.append("# TYPE lfadsrt_pending_handshakes gauge\nlfadsrt_pending_handshakes ").append(server.pendingHandshakes()).append('\n');
    for (ServerStats.Counter c : ServerStats.Counter.values()) {
      String name = "lfadsrt_" + c.label() + "_total";
      sb.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(server.get(c)).append('\n');
    }
    sb.append("# TYPE lfadsrt_latency_seconds summary\n");
    for (Stage s : Stage.values()) {
      Histogram h = st.recent(s);
      for (double q : new double[] {0.5, 0.99, 0.999, 1.0}) {
        long v = q == 1.0 ? h.getMaxValue() : h.getValueAtPercentile(q * 100);
        sb.append("lfadsrt_latency_seconds{stage=\"").append(s.label()).append("\",quantile=\"").append(q).append("\"} ")
            .append(v / 1e9).append('\n');
      }
      // Summary _sum/_count over the same sliding window as the quantiles.
      sb.append("lfadsrt_latency_seconds_sum{stage=\"").append(s.label()).append("\"} ")
          .append(h.getMean() * h.getTotalCount() / 1e9).append('\n');
      sb.append("lfadsrt_latency_seconds_count{stage=\"").append(s.label()).append("\"} ").append(h.getTotalCount()).append('\n');
    }
    sb.append("# TYPE lfadsrt_latency_window_intervals gauge\nlfadsrt_latency_window_intervals ").append(st.recentIntervals()).append('\n');
    sb.append("# TYPE lfadsrt_device_clock_hz gauge\nlfadsrt_device_clock_hz ").append(st.deviceClockHz()).append('\n');
    return sb.toString();
  }

  /** A percentile of {@code h} (100 = max) in µs or ms, or {@link #NO_SAMPLES} when the histogram is empty. */
  public static String micros(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) return NO_SAMPLES;
    return micros(percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile));
  }

  public static String micros(long nanos) {
    if (nanos >= 1_000_000) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    return String.format(Locale.ROOT, "%.1f \u00b5s", nanos / 1e3);
  }

  private static String us(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
  }
}
