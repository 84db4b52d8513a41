package org.lfadsrt.host.server;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.lfadsrt.host.metrics.ServerStats;

/**
 * Admission before HELLO (docs/security.md): a connection is refused at accept when its address opens
 * connections faster than {@link ServerLimits#connectsPerSecondPerAddress()} (token bucket, burst twice the
 * rate) or when {@link ServerLimits#maxPendingHandshakes()} connections are already waiting for their HELLO;
 * an admitted one is closed unless it completes HELLO (rig protocol) or a whole HTTP request within
 * {@link ServerLimits#handshakeTimeoutMillis()}. Refusals and timeouts are counted, not logged one by one (a
 * flood would flood the log too).
 */
final class ConnectionGate {
  private static final AttributeKey<Pending> PENDING = AttributeKey.valueOf("lfadsrt.pending-handshake");
  /** Addresses whose connection rate is remembered at most. */
  static final int MAX_ADDRESSES = 4096;

  private final ServerLimits limits;
  private final ServerStats serverStats;
  private final LongSupplier clock;
  private final AtomicInteger pending = new AtomicInteger();
  private final Map<String, double[]> buckets = new HashMap<>(); // address -> {tokens, last ns}

  ConnectionGate(ServerLimits limits, ServerStats serverStats, LongSupplier clock) {
    this.limits = limits;
    this.serverStats = serverStats;
    this.clock = clock;
  }

  /** Connections admitted that have not completed their handshake yet. */
  int pending() {
    return pending.get();
  }

  /** On a new connection (its event loop): admits it and arms its handshake timeout, or closes it and says false. */
  boolean admit(Channel ch) {
    if (!rateAllows(ControlExecutor.addressOf(ch))) {
      serverStats.increment(ServerStats.Counter.CONNECT_RATE_REFUSED);
      ch.close();
      return false;
    }
    if (pending.incrementAndGet() > limits.maxPendingHandshakes()) {
      pending.decrementAndGet();
      serverStats.increment(ServerStats.Counter.PENDING_REFUSED);
      ch.close();
      return false;
    }
    Pending p = new Pending();
    ch.attr(PENDING).set(p);
    p.timeout = ch.eventLoop().schedule(() -> {
      if (p.finish()) {
        serverStats.increment(ServerStats.Counter.HANDSHAKE_TIMEOUTS);
        ch.close();
      }
    }, limits.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    ch.closeFuture().addListener(f -> p.finish());
    return true;
  }

  /** The connection completed HELLO (or an HTTP request): it no longer counts as pending. */
  void handshakeDone(Channel ch) {
    Pending p = ch.attr(PENDING).get();
    if (p != null) p.finish();
  }

  private synchronized boolean rateAllows(String address) {
    int rate = limits.connectsPerSecondPerAddress();
    if (rate == 0) return true;
    long now = clock.getAsLong();
    double burst = 2.0 * rate;
    double[] b = buckets.get(address);
    if (b == null) {
      if (buckets.size() >= MAX_ADDRESSES) buckets.clear(); // a flood of addresses: start over rather than grow
      b = new double[] {burst, now};
      buckets.put(address, b);
    }
    b[0] = Math.min(burst, b[0] + (now - (long) b[1]) * rate / 1e9);
    b[1] = now;
    if (b[0] < 1) return false;
    b[0] -= 1;
    return true;
  }

  private final class Pending {
    final AtomicBoolean finished = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;

    /** True for the one caller that ends the pending state (done, timed out or closed). */
    boolean finish() {
      if (!finished.compareAndSet(false, true)) return false;
      pending.decrementAndGet();
      ScheduledFuture<?> t = timeout;
      if (t != null) t.cancel(false);
      return true;
    }
  }
}
