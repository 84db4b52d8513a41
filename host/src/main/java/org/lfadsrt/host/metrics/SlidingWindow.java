package org.lfadsrt.host.metrics;

import org.HdrHistogram.Histogram;

/**
 * The sum of the last {@code intervals} interval histograms: what the status line, the dashboard and
 * {@code /metrics} report as "recent" (p50/p99/p99.9/max over a sliding window). Used by one reporter
 * thread; readers get copies.
 */
public final class SlidingWindow {
  private final Histogram[] ring;
  private final Histogram sum;
  private int next;
  private int filled;

  public SlidingWindow(int intervals, long highestTrackableValue, int significantDigits) {
    if (intervals < 1) throw new IllegalArgumentException("sliding window needs at least 1 interval, got " + intervals);
    ring = new Histogram[intervals];
    for (int i = 0; i < intervals; i++) ring[i] = new Histogram(1, highestTrackableValue, significantDigits);
    sum = new Histogram(1, highestTrackableValue, significantDigits);
  }

  /** Adds one interval, evicting the oldest when the window is full. */
  public void add(Histogram interval) {
    Histogram slot = ring[next];
    slot.reset();
    slot.add(interval);
    next = (next + 1) % ring.length;
    if (filled < ring.length) filled++;
    sum.reset();
    for (int i = 0; i < filled; i++) sum.add(ring[i]);
  }

  /** Intervals the window spans (at most the configured count). */
  public int intervals() {
    return filled;
  }

  /** Copies the window's sum into {@code target} (same range and precision), allocating nothing. */
  public void copyInto(Histogram target) {
    sum.copyInto(target);
  }

  /** A copy of the window's sum. */
  public Histogram snapshot() {
    return sum.copy();
  }
}
