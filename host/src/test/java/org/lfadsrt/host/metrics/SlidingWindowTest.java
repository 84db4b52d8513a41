package org.lfadsrt.host.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.Stage;

class SlidingWindowTest {

  private static Histogram interval(long... values) {
    Histogram h = new Histogram(1, 60_000_000_000L, 3);
    for (long v : values) h.recordValue(v);
    return h;
  }

  @Test
  void windowSumsTheLastIntervalsAndEvictsTheOldest() {
    SlidingWindow w = new SlidingWindow(3, 60_000_000_000L, 3);
    w.add(interval(1_000_000)); // 1 ms outlier, evicted after three more intervals
    w.add(interval(10, 20));
    w.add(interval(30));
    assertEquals(4, w.snapshot().getTotalCount());
    assertEquals(1_000_000, w.snapshot().getMaxValue(), 1_000_000 / 1000.0);
    w.add(interval(40));
    Histogram s = w.snapshot();
    assertEquals(4, s.getTotalCount());
    assertEquals(40, s.getMaxValue());
    assertEquals(10, s.getMinValue());
    assertEquals(3, w.intervals());
  }

  @Test
  void rejectsAnEmptyWindow() {
    assertThrows(IllegalArgumentException.class, () -> new SlidingWindow(0, 1000, 3));
  }

  @Test
  void statsRecentIsTheSlidingWindowAndDeviceCyclesUseTheClock() {
    PipelineStats stats = new PipelineStats(2).deviceClockHz(250e6);
    stats.record(Stage.COMPUTE, 5_000);
    stats.recordDeviceCycles(2_500); // 2500 cycles at 250 MHz = 10 us
    stats.recordDeviceCycles(-1); // no counter: nothing recorded
    stats.sample();
    stats.record(Stage.COMPUTE, 7_000);
    stats.sample();
    assertEquals(2, stats.recent(Stage.COMPUTE).getTotalCount());
    stats.sample(); // the 5 us interval leaves the 2-interval window
    assertEquals(1, stats.recent(Stage.COMPUTE).getTotalCount());
    assertEquals(2, stats.total(Stage.COMPUTE).getTotalCount());
    assertEquals(10_000, stats.total(Stage.DEVICE).getMaxValue(), 10);
    assertEquals(1, stats.total(Stage.DEVICE).getTotalCount());
  }
}
