package org.lfadsrt.host.pipeline;

import java.util.Objects;
import java.util.function.Consumer;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;

/**
 * Pipeline-level failover: runs on a primary backend and, when it fails with a device fault (timeout,
 * device error, anything but {@code INVALID_INPUT}), re-runs the same batch on the fallback in the same
 * call, so the bin is still published (the caller loses time, not data) and tells a listener (which
 * reports it to clients as a NOTICE). With {@code reprobeAfterCalls > 0} it tries the primary again after
 * that many calls on the fallback (a device that recovers from a transient timeout is used again); with 0
 * it stays on the fallback. Only when the fallback fails too does the call throw, and the pipeline counts
 * the bin as {@link DropReason#BACKEND_FAULT}.
 *
 * <p>Allocation-free while healthy; an {@link Event} is allocated per switch.
 */
public final class BackendFailover implements InferenceBackend {

  /** A switch: {@code cause} is null when returning to the primary. */
  public record Event(long call, String from, String to, BackendException cause) {
    @Override
    public String toString() {
      if (cause == null) return "backend " + to + " back in use after " + call + " calls (fallback " + from + " idle)";
      return "backend " + from + " failed at call " + call + " (" + cause.kind() + ": " + cause.getMessage() + "); batch re-run on "
          + to;
    }
  }

  private final InferenceBackend primary;
  private final InferenceBackend fallback;
  private final Consumer<Event> listener;
  private final long reprobeAfterCalls;
  private InferenceBackend active;
  private long calls;
  private long callsOnFallback;
  private volatile long failovers;
  private volatile long fallbackFailures;

  public BackendFailover(InferenceBackend primary, InferenceBackend fallback, long reprobeAfterCalls, Consumer<Event> listener) {
    if (!primary.shape().equals(fallback.shape())) {
      throw new IllegalArgumentException("failover backends disagree on shape: " + primary.name() + " " + primary.shape()
          + " vs " + fallback.name() + " " + fallback.shape());
    }
    if (reprobeAfterCalls < 0) throw new IllegalArgumentException("reprobeAfterCalls must be >= 0, got " + reprobeAfterCalls);
    this.primary = primary;
    this.fallback = fallback;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.reprobeAfterCalls = reprobeAfterCalls;
    this.active = primary;
  }

  @Override
  public String name() {
    return active.name();
  }

  @Override
  public ModelShape shape() {
    return primary.shape();
  }

  public InferenceBackend active() {
    return active;
  }

  /** Switches from primary to fallback so far. */
  public long failovers() {
    return failovers;
  }

  /** Calls where the fallback failed too (each cost the caller its bin). */
  public long fallbackFailures() {
    return fallbackFailures;
  }

  @Override
  public long lastDeviceCycles() {
    return active.lastDeviceCycles();
  }

  @Override
  public void infer(InferenceBatch batch) throws BackendException {
    calls++;
    if (active != primary && reprobeAfterCalls > 0 && callsOnFallback >= reprobeAfterCalls) {
      active = primary;
      listener.accept(new Event(calls, fallback.name(), primary.name(), null));
    }
    if (active == primary) {
      try {
        primary.infer(batch);
        return;
      } catch (BackendException e) {
        if (e.kind() == BackendException.Kind.INVALID_INPUT) throw e;
        failovers++;
        active = fallback;
        callsOnFallback = 0;
        listener.accept(new Event(calls, primary.name(), fallback.name(), e));
      }
    }
    callsOnFallback++;
    try {
      fallback.infer(batch);
    } catch (BackendException e) {
      fallbackFailures++;
      throw e;
    }
  }

  @Override
  public void close() {
    primary.close();
    fallback.close();
  }
}
