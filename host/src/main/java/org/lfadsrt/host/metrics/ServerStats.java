package org.lfadsrt.host.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;

/**
 * The rig server's own counters (connections, authentication, control, per-client freshness) and two gauges,
 * next to the pipeline's {@link PipelineStats}. The server increments them from its event loops, control thread
 * and hot path (atomic, allocation-free); {@link StatusReport} renders them into STATUS, {@code /status.json},
 * {@code /metrics} and the status line.
 */
public final class ServerStats {
  /** What the server counts. Labels (lower case) are the names in STATUS, JSON and {@code /metrics}. */
  public enum Counter {
    /** Connections closed because they did not complete HELLO (or an HTTP request) within the handshake timeout. */
    HANDSHAKE_TIMEOUTS,
    /** Connections refused at accept: too many connections had not completed HELLO yet. */
    PENDING_REFUSED,
    /** Connections refused at accept: their address connected faster than the per-address rate. */
    CONNECT_RATE_REFUSED,
    /** HELLOs whose token did not match the server's. */
    AUTH_FAILURES,
    /** HELLOs carrying a token refused unchecked because their address was in failed-token back-off. */
    AUTH_BACKOFF_REFUSED,
    /** CONTROL operations carried out. */
    CONTROL_DONE,
    /** CONTROL operations refused or failed by the handler (CONTROL_REPLY CONTROL_FAILED). */
    CONTROL_FAILED,
    /** CONTROL from sessions without control rights (ERROR UNAUTHORIZED). */
    CONTROL_UNAUTHORIZED,
    /** Results not sent to a client because they were older than the maximum result age when it could take them. */
    STALE_DROPS,
    /** Clients that chose disconnect-on-overflow and were disconnected instead of losing a result. */
    OVERFLOW_DISCONNECTS,
    /** Clients cut off for exceeding the inbound message rate (rig messages, WebSocket frames and pings). */
    RATE_LIMITED,
    /** Connections closed for a protocol violation that cannot be answered in-band (bad WebSocket frames, bad HTTP). */
    PROTOCOL_CLOSES,
    /** Results a credit-mode client did not get because a newer one was waiting when it granted credit. */
    CREDIT_SKIPS;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);
  private volatile IntSupplier clients = () -> 0;
  private volatile IntSupplier pendingHandshakes = () -> 0;

  public void increment(Counter c) {
    counts.incrementAndGet(c.ordinal());
  }

  public long get(Counter c) {
    return counts.get(c.ordinal());
  }

  /** Where the gauges come from (the server's session registry and connection gate). */
  public ServerStats gauges(IntSupplier clients, IntSupplier pendingHandshakes) {
    this.clients = clients;
    this.pendingHandshakes = pendingHandshakes;
    return this;
  }

  /** Connected clients (binary and WebSocket, past HELLO or the WebSocket upgrade). */
  public int clients() {
    return clients.getAsInt();
  }

  /** Connections that have not completed HELLO yet. */
  public int pendingHandshakes() {
    return pendingHandshakes.getAsInt();
  }
}
