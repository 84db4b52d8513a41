package org.lfadsrt.host.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.ServerStats;
import org.lfadsrt.host.pipeline.BinResult;

/**
 * Hands each published result to every subscribed client, on the hot-path thread and without allocating:
 * per client it encodes the RESULT into the next slot of the client's preallocated {@link ClientFrameRing},
 * then wakes the worker event loop once (for all clients), which writes and flushes the new frames.
 *
 * <p>Freshness (docs/protocol.md "Slow clients and freshness"): a client's frames leave its ring only while
 * its channel is writable, and a frame older than the maximum result age by then is skipped; a full ring
 * drops its oldest frame. A client that asked for disconnect-on-overflow is closed instead of losing a
 * result. Nobody else is slowed.
 */
final class ResultPublisher {
  private final ClientRegistry clients;
  private final PipelineStats stats;
  private final ServerStats serverStats;
  private final LongSupplier clock;
  private final long maxAgeNanos;
  private final Consumer<String> log;
  private volatile EventLoop workerLoop;
  private final AtomicBoolean drainPending = new AtomicBoolean();
  private final Runnable drainTask = this::drain;
  // Publish spin (off unless publishSpinMicros > 0): IDLE, ARMED (a result is expected; the event loop is, or will
  // be, spinning for it), READY (published while ARMED: the spinning loop drains it, nobody had to wake it).
  private static final int SPIN_IDLE = 0, SPIN_ARMED = 1, SPIN_READY = 2;
  private final AtomicInteger spinState = new AtomicInteger();
  private final Runnable spinTask = this::spinForResult;
  private volatile long publishSpinNanos;

  ResultPublisher(ClientRegistry clients, PipelineStats stats, ServerStats serverStats, LongSupplier clock,
      long maxAgeNanos, Consumer<String> log) {
    this.clients = clients;
    this.stats = stats;
    this.serverStats = serverStats;
    this.clock = clock;
    this.maxAgeNanos = maxAgeNanos;
    this.log = log;
  }

  void workerLoop(EventLoop loop) {
    this.workerLoop = loop;
  }

  void publishSpinMicros(long micros) {
    if (micros < 0) throw new IllegalArgumentException("publish spin must be >= 0 us, got " + micros);
    publishSpinNanos = micros * 1000;
  }

  /** Hot path: a result is about to be computed (see {@link RigServer#publishSpinMicros}). */
  void resultExpected() {
    if (publishSpinNanos == 0 || workerLoop == null || clients.count() == 0) return;
    if (spinState.compareAndSet(SPIN_IDLE, SPIN_ARMED)) workerLoop.execute(spinTask);
  }

  /**
   * Event loop, after a {@link #resultExpected} hint: spins until the result is published (then writes it at once)
   * or the spin time is up (then the publish wakes this loop as usual). The state machine hands each result to
   * exactly one of the two paths.
   */
  private void spinForResult() {
    long deadline = System.nanoTime() + publishSpinNanos;
    while (spinState.get() == SPIN_ARMED && System.nanoTime() - deadline < 0) Thread.onSpinWait();
    if (spinState.compareAndSet(SPIN_ARMED, SPIN_IDLE)) return; // timed out: publish() will schedule the drain
    spinState.set(SPIN_IDLE); // READY: the frames are in the rings
    drain();
  }

  /** Hot path: queues {@code r} for every subscribed client. */
  void publish(BinResult r) {
    ClientSession[] ss = clients.sessions();
    boolean queued = false;
    long now = System.nanoTime();
    for (int i = 0; i < ss.length; i++) {
      ClientSession s = ss[i];
      if (!s.subscribed || s.overflowed) continue;
      if (++s.decimationCounter < s.decimation) continue;
      s.decimationCounter = 0;
      long offer = s.offered++;
      int claim = s.ring.claim(offer, !s.disconnectOnOverflow);
      if (claim == ClientFrameRing.FULL) {
        if (s.disconnectOnOverflow) {
          overflow(s, "its queue of " + s.ring.capacity() + " results is full");
          continue;
        }
        s.queueDrops++;
        stats.clientDrop();
        continue;
      }
      if (claim == ClientFrameRing.CLAIMED_DROPPING_OLDEST) {
        s.queueDrops++;
        stats.clientDrop();
      }
      ByteBuf buf = s.ring.claimed();
      ResultFlyweight.encode(buf, r, s.streams, 0, now); // client_drops is patched when the frame is written
      s.ring.publish();
      queued = true;
    }
    // One wake-up of the event loop per bin for all clients (not one write task and one flush task per
    // client): it writes and flushes every client's new frames. No wake-up while one is pending.
    if (!queued) return;
    if (spinState.get() == SPIN_ARMED && spinState.compareAndSet(SPIN_ARMED, SPIN_READY)) return; // the loop is spinning
    if (!drainPending.get() && drainPending.compareAndSet(false, true)) workerLoop.execute(drainTask);
  }

  /** A disconnect-on-overflow client is closed (once) instead of losing a result. Any thread. */
  private void overflow(ClientSession s, String why) {
    if (s.overflowed) return;
    s.overflowed = true;
    serverStats.increment(ServerStats.Counter.OVERFLOW_DISCONNECTS);
    log.accept("client " + s.who() + " disconnected (disconnect-on-overflow): " + why);
    s.channel.close();
  }

  /**
   * Event loop: writes every client's queued frames and flushes each channel once. The flag is cleared
   * before the rings are read, so a frame published after the read schedules the next drain.
   */
  private void drain() {
    drainPending.set(false);
    ClientSession[] ss = clients.sessions();
    for (int i = 0; i < ss.length; i++) {
      ClientSession s = ss[i];
      Channel ch = s.channel;
      if (!ch.eventLoop().inEventLoop()) {
        ch.eventLoop().execute(() -> drainOne(s)); // not with the single worker loop this server runs
        continue;
      }
      drainOne(s);
    }
  }

  /**
   * Event loop: writes what {@code s} can take now (also called when its channel becomes writable again, and when a
   * credit-mode client grants credit). A credit-mode client without credit gets nothing: its results wait in its ring
   * (drop-oldest when full) until it grants credit, and then only the newest fresh ones are sent.
   */
  void drainOne(ClientSession s) {
    if (s.overflowed) return;
    boolean creditMode = s.creditMode;
    long credit = creditMode ? s.credit : Long.MAX_VALUE;
    if (credit == 0) return;
    long now = clock.getAsLong();
    if (s.disconnectOnOverflow && s.ring.oldestIsStale(now, maxAgeNanos)) {
      overflow(s, "a result waited longer than the maximum result age of " + maxAgeNanos / 1_000_000 + " ms");
      return;
    }
    boolean wrote = s.ring.drainTo(s.channel, now, maxAgeNanos, credit);
    if (creditMode) s.credit -= s.ring.lastWritten;
    int stale = s.ring.lastStale;
    if (stale > 0) {
      s.staleDrops += stale;
      for (int k = 0; k < stale; k++) {
        stats.clientDrop();
        serverStats.increment(ServerStats.Counter.STALE_DROPS);
      }
    }
    int skipped = s.ring.lastSkipped;
    if (skipped > 0) {
      s.creditSkips += skipped;
      for (int k = 0; k < skipped; k++) {
        stats.clientDrop();
        serverStats.increment(ServerStats.Counter.CREDIT_SKIPS);
      }
    }
    if (wrote) s.channel.flush();
  }
}
