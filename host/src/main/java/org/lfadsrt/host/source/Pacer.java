package org.lfadsrt.host.source;

import java.util.concurrent.locks.LockSupport;

/**
 * Releases bins at their wall-clock end (real time) or immediately (as fast as possible). By default it
 * sleeps with {@link LockSupport#parkNanos} rather than spinning: the machines are shared, and the OS
 * wake-up delay (tens of microseconds, more under load) is small against millisecond bins. With
 * {@link #spinNanos(long)} it parks until that long before the deadline and then spins
 * ({@link Thread#onSpinWait()}) to the deadline: the wake-up delay leaves the measured latency at the cost
 * of that much CPU per bin (50 µs at 1 kHz is 5 % of a core; on 2 shared cores keep it small). When
 * behind, it does not sleep and does not try to catch up by skipping: bins are late, not lost.
 */
public final class Pacer {
  private final long binWidthNanos;
  private final boolean realTime;
  private long startNanos = Long.MIN_VALUE;
  private volatile long spinNanos;

  public Pacer(long binWidthNanos, boolean realTime) {
    this.binWidthNanos = binWidthNanos;
    this.realTime = realTime;
  }

  public boolean realTime() {
    return realTime;
  }

  /** Busy-waits the last {@code nanos} before each deadline instead of parking through it (0: park only). */
  public Pacer spinNanos(long nanos) {
    if (nanos < 0 || nanos >= binWidthNanos) {
      throw new IllegalArgumentException("pacer spin must be in 0.." + (binWidthNanos - 1) + " ns (below the bin width), got " + nanos);
    }
    this.spinNanos = nanos;
    return this;
  }

  public long spinNanos() {
    return spinNanos;
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
    long parkUntil = deadline - spinNanos;
    while (now < parkUntil) {
      LockSupport.parkNanos(parkUntil - now);
      if (Thread.interrupted()) throw new InterruptedException("pacer interrupted");
      now = System.nanoTime();
    }
    while (now < deadline) {
      Thread.onSpinWait();
      now = System.nanoTime();
    }
    return deadline;
  }
}
