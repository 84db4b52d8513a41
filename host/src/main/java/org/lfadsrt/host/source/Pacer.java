package org.lfadsrt.host.source;

import java.util.concurrent.locks.LockSupport;

/**
 * Releases bins at their wall-clock end (real time) or immediately (as fast as possible). Sleeps with
 * {@link LockSupport#parkNanos} rather than spinning: the machines are shared, and the OS timer slack
 * (tens of microseconds) is small against millisecond bins. When behind, it does not sleep and does not
 * try to catch up by skipping: bins are late, not lost.
 */
public final class Pacer {
  private final long binWidthNanos;
  private final boolean realTime;
  private long startNanos = Long.MIN_VALUE;

  public Pacer(long binWidthNanos, boolean realTime) {
    this.binWidthNanos = binWidthNanos;
    this.realTime = realTime;
  }

  public boolean realTime() {
    return realTime;
  }

  /**
   * Waits until bin {@code index} (0-based, counted from the first call) is complete and returns the
   * time the bin completed: its wall-clock end when pacing (so the wake-up delay of this thread, and
   * any backlog when the pipeline falls behind, show up in the ingest stage as they would behind a
   * real acquisition system), the current time otherwise.
   */
  public long awaitEndOf(long index) throws InterruptedException {
    long now = System.nanoTime();
    if (startNanos == Long.MIN_VALUE) startNanos = now;
    if (!realTime) return now;
    long deadline = startNanos + (index + 1) * binWidthNanos;
    while (now < deadline) {
      LockSupport.parkNanos(deadline - now);
      if (Thread.interrupted()) throw new InterruptedException("pacer interrupted");
      now = System.nanoTime();
    }
    return deadline;
  }
}
