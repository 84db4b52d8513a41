package org.lfadsrt.host.latency;

import org.HdrHistogram.Histogram;

/**
 * The machine's own stalls, measured the way jHiccup does: one thread reads the monotonic clock in a tight loop and
 * records every gap between consecutive reads. A gap of more than a microsecond means the thread was not running:
 * preempted by the OS, an interrupt, or on a virtual machine the hypervisor descheduling the vCPU (which the guest
 * cannot see or prevent). No stage of the live system can be steadier than this, so the bench report gives it as
 * the floor under every latency tail. Run before the live runs, at the bench's own priority, with nothing else of the
 * bench running.
 */
final class MachineHiccups {
  /** Gaps at or below this are the loop itself (clock reads and the histogram update), not a stall. */
  static final long STALL_NANOS = 1_000;

  final long durationNanos;
  /** Every gap above {@link #STALL_NANOS}, in ns. */
  final Histogram stalls;
  final long over100us, over1ms;

  private MachineHiccups(long durationNanos, Histogram stalls, long over100us, long over1ms) {
    this.durationNanos = durationNanos;
    this.stalls = stalls;
    this.over100us = over100us;
    this.over1ms = over1ms;
  }

  static MachineHiccups measure(long durationNanos) {
    long over100 = 0, over1000 = 0;
    Histogram h = new Histogram(1, 60_000_000_000L, 3);
    long start = System.nanoTime(), last = start, end = start + durationNanos;
    while (true) {
      long t = System.nanoTime();
      long gap = t - last;
      last = t;
      if (gap > STALL_NANOS) {
        h.recordValue(gap);
        if (gap > 100_000) over100++;
        if (gap > 1_000_000) over1000++;
      }
      if (t - end >= 0) break;
    }
    return new MachineHiccups(last - start, h, over100, over1000);
  }

  double seconds() {
    return durationNanos / 1e9;
  }

  /** Report section: what a spinning thread alone saw. */
  String markdown() {
    return String.format(java.util.Locale.ROOT, "## Machine floor\n\n"
        + "Before the runs, one thread of this JVM read the monotonic clock in a loop for %.1f s and recorded every gap "
        + "longer than %d µs between two reads: the times it was not running although it never waited (the OS, "
        + "interrupts, or the hypervisor descheduling the virtual CPU). No latency tail below can be shorter than "
        + "what this thread saw.\n\n"
        + "| stalls > 1 µs | > 100 µs | > 1 ms | p50 | p99 | max |\n|---:|---:|---:|---:|---:|---:|\n"
        + "| %d (%.1f/s) | %d (%.2f/s) | %d (%.2f/s) | %s | %s | %s |\n",
        seconds(), STALL_NANOS / 1000, stalls.getTotalCount(), stalls.getTotalCount() / seconds(), over100us,
        over100us / seconds(), over1ms, over1ms / seconds(), us(stalls, 50), us(stalls, 99), BenchReport.us(stalls.getMaxValue()));
  }

  private static String us(Histogram h, double p) {
    return h.getTotalCount() == 0 ? "–" : BenchReport.us(h.getValueAtPercentile(p));
  }
}
