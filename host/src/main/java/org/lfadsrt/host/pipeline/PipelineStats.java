package org.lfadsrt.host.pipeline;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and per-stage latency histograms. The hot-path thread records (wait-free, allocation-free
 * {@link Recorder}s); a reporter thread calls {@link #sample()} periodically, which moves the interval
 * into the running totals and a recent window for the status line.
 */
public final class PipelineStats {
  private static final long HIGHEST_NS = 60_000_000_000L;

  private final EnumMap<Stage, Recorder> recorders = new EnumMap<>(Stage.class);
  private final EnumMap<Stage, Histogram> totals = new EnumMap<>(Stage.class);
  private final EnumMap<Stage, Histogram> recent = new EnumMap<>(Stage.class);
  private final EnumMap<Stage, Histogram> interval = new EnumMap<>(Stage.class);
  private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
  private final AtomicLong binsIn = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong saturatedCounts = new AtomicLong();
  private final AtomicLong clientDrops = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private long lastSampleNanos = startNanos;
  private long lastSamplePublished;
  private double binsPerSecond;

  public PipelineStats() {
    for (Stage s : Stage.values()) {
      recorders.put(s, new Recorder(1, HIGHEST_NS, 3));
      totals.put(s, new Histogram(1, HIGHEST_NS, 3));
      recent.put(s, new Histogram(1, HIGHEST_NS, 3));
    }
  }

  // ---- hot path ----
  public void binIn() { binsIn.incrementAndGet(); }
  public void published() { published.incrementAndGet(); }
  public void drop(DropReason reason) { drops.incrementAndGet(reason.ordinal()); }
  public void saturated() { saturatedCounts.incrementAndGet(); }
  public void clientDrop() { clientDrops.incrementAndGet(); }

  public void record(Stage stage, long nanos) {
    recorders.get(stage).recordValue(Math.max(1, Math.min(nanos, HIGHEST_NS)));
  }

  // ---- reporting ----
  public long binsIn() { return binsIn.get(); }
  public long publishedCount() { return published.get(); }
  public long saturatedCounts() { return saturatedCounts.get(); }
  public long clientDrops() { return clientDrops.get(); }
  public long drops(DropReason reason) { return drops.get(reason.ordinal()); }

  public long droppedTotal() {
    long sum = 0;
    for (int i = 0; i < drops.length(); i++) sum += drops.get(i);
    return sum;
  }

  public Map<DropReason, Long> dropsByReason() {
    Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) m.put(r, drops(r));
    return m;
  }

  /**
   * Moves recorded values into totals; the recent window holds the last interval (about one second
   * when sampled each second). Call from one reporter thread.
   */
  public synchronized void sample() {
    long now = System.nanoTime();
    long pub = published.get();
    double seconds = (now - lastSampleNanos) / 1e9;
    if (seconds > 0) binsPerSecond = (pub - lastSamplePublished) / seconds;
    lastSampleNanos = now;
    lastSamplePublished = pub;
    for (Stage s : Stage.values()) {
      Histogram h = recorders.get(s).getIntervalHistogram(interval.get(s));
      interval.put(s, h);
      totals.get(s).add(h);
      recent.get(s).reset();
      recent.get(s).add(h);
    }
  }

  public synchronized double binsPerSecond() { return binsPerSecond; }

  /** A copy of the whole-run histogram of a stage (after the last {@link #sample()}). */
  public synchronized Histogram total(Stage stage) { return totals.get(stage).copy(); }

  /** A copy of the last interval's histogram of a stage. */
  public synchronized Histogram recent(Stage stage) { return recent.get(stage).copy(); }

  public double uptimeSeconds() { return (System.nanoTime() - startNanos) / 1e9; }
}
