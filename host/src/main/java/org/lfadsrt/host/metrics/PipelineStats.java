package org.lfadsrt.host.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and per-stage latency histograms. The hot-path thread records (wait-free, allocation-free
 * {@link Recorder}s; the Netty event loop records the per-client stages into the same recorders); a
 * reporter thread calls {@link #sample()} periodically, which moves the interval into the running totals
 * and a sliding window of the last {@link #DEFAULT_WINDOW_INTERVALS} intervals for the status line,
 * dashboard and {@code /metrics}. An {@link IntervalListener} sees every interval histogram (the bench
 * writes them to HdrHistogram logs).
 */
public final class PipelineStats {
  private static final long HIGHEST_NS = 60_000_000_000L;
  /** Intervals in the "recent" sliding window (10 s at the default 1 s status interval). */
  public static final int DEFAULT_WINDOW_INTERVALS = 10;
  /** Kernel clock the device cycle counters are converted at unless configured otherwise. */
  public static final double DEFAULT_DEVICE_CLOCK_HZ = 300e6;

  /** Receives each interval histogram of each stage on the thread calling {@link #sample()}; must copy what it keeps. */
  @FunctionalInterface
  public interface IntervalListener {
    void interval(Stage stage, Histogram histogram, long startNanos, long endNanos);
  }

  private final EnumMap<Stage, Recorder> recorders = new EnumMap<>(Stage.class);
  private final EnumMap<Stage, Histogram> totals = new EnumMap<>(Stage.class);
  private final EnumMap<Stage, SlidingWindow> recent = new EnumMap<>(Stage.class);
  private final EnumMap<Stage, Histogram> interval = new EnumMap<>(Stage.class);
  // Snapshots handed to readers, copied on the first read after a sample() into one of two buffers per
  // stage that are allocated once and then alternate: a 3-digit histogram up to 60 s is ~200 KB, and the
  // status line, STATUS frames, the dashboard and /metrics read every interval. Copying into a fresh
  // histogram per interval made the reporter the JVM's main allocator (~0.9 MB/s, a young GC every
  // ~30 s, each a pause of the hot path); now a long run allocates nothing here after the first reads.
  private final Histogram[][] recentView = new Histogram[Stage.values().length][2];
  private final Histogram[][] totalView = new Histogram[Stage.values().length][2];
  private final long[] recentViewSample = new long[Stage.values().length];
  private final long[] totalViewSample = new long[Stage.values().length];
  private long samples = 1; // sample() count + 1, so the views (sample 0) start stale
  private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
  private final AtomicLong binsIn = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong saturatedCounts = new AtomicLong();
  private final AtomicLong clientDrops = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private long lastSampleNanos = startNanos;
  private long lastSamplePublished;
  private double binsPerSecond;
  private volatile double deviceNanosPerCycle = 1e9 / DEFAULT_DEVICE_CLOCK_HZ;
  private volatile IntervalListener intervalListener;

  public PipelineStats() {
    this(DEFAULT_WINDOW_INTERVALS);
  }

  /** @param windowIntervals how many {@link #sample()} intervals the recent window spans */
  public PipelineStats(int windowIntervals) {
    for (Stage s : Stage.values()) {
      recorders.put(s, new Recorder(1, HIGHEST_NS, 3));
      totals.put(s, new Histogram(1, HIGHEST_NS, 3));
      recent.put(s, new SlidingWindow(windowIntervals, HIGHEST_NS, 3));
    }
  }

  /** The kernel clock used to convert device cycle counts to time. */
  public PipelineStats deviceClockHz(double hz) {
    if (!(hz > 0)) throw new IllegalArgumentException("device clock must be > 0 Hz, got " + hz);
    this.deviceNanosPerCycle = 1e9 / hz;
    return this;
  }

  public double deviceClockHz() {
    return 1e9 / deviceNanosPerCycle;
  }

  /** Called with every interval histogram from now on (null: none). */
  public void intervalListener(IntervalListener listener) {
    this.intervalListener = listener;
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

  /** Records {@link Stage#DEVICE} from a kernel cycle count (ignored when negative: no counter). */
  public void recordDeviceCycles(long cycles) {
    if (cycles >= 0) record(Stage.DEVICE, (long) (cycles * deviceNanosPerCycle));
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
   * Moves recorded values into totals and the sliding window (the last {@code windowIntervals}
   * intervals) and hands each interval to the listener. Call from one reporter thread.
   */
  public synchronized void sample() {
    long now = System.nanoTime();
    long intervalStart = lastSampleNanos;
    IntervalListener listener = intervalListener;
    long pub = published.get();
    double seconds = (now - lastSampleNanos) / 1e9;
    if (seconds > 0) binsPerSecond = (pub - lastSamplePublished) / seconds;
    lastSampleNanos = now;
    lastSamplePublished = pub;
    samples++;
    for (Stage s : Stage.values()) {
      Histogram h = recorders.get(s).getIntervalHistogram(interval.get(s));
      interval.put(s, h);
      totals.get(s).add(h);
      recent.get(s).add(h);
      if (listener != null) listener.interval(s, h, intervalStart, now);
    }
  }

  public synchronized double binsPerSecond() { return binsPerSecond; }

  /**
   * The whole-run histogram of a stage as of the last {@link #sample()}: a snapshot shared by every
   * caller until the next sample, and left unchanged until the sample after that (at least one interval);
   * read it right away, copy what is kept longer. Read only.
   */
  public synchronized Histogram total(Stage stage) {
    int i = stage.ordinal();
    Histogram[] bufs = totalView[i];
    Histogram view = view(bufs);
    if (totalViewSample[i] != samples) {
      totals.get(stage).copyInto(view);
      totalViewSample[i] = samples;
    }
    return view;
  }

  /**
   * The sliding window's histogram of a stage (the last few sampled intervals), shared and kept like
   * {@link #total(Stage)}. Read only.
   */
  public synchronized Histogram recent(Stage stage) {
    int i = stage.ordinal();
    Histogram view = view(recentView[i]);
    if (recentViewSample[i] != samples) {
      recent.get(stage).copyInto(view);
      recentViewSample[i] = samples;
    }
    return view;
  }

  /** This sample's buffer of the two (the other holds the previous sample's snapshot). */
  private Histogram view(Histogram[] bufs) {
    int b = (int) (samples & 1);
    if (bufs[b] == null) bufs[b] = new Histogram(1, HIGHEST_NS, 3);
    return bufs[b];
  }

  /** Intervals currently in the sliding window. */
  public synchronized int recentIntervals() { return recent.get(Stage.END_TO_END).intervals(); }

  public double uptimeSeconds() { return (System.nanoTime() - startNanos) / 1e9; }
}
