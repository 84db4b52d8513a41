package org.lfadsrt.host.backend;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one failover layer: runs on a primary backend (emu, xrt, or whatever the pipeline was given) and,
 * when a call fails with a device fault (timeout, device error, device lost), re-runs the same batch on
 * the fallback in the same call (the software model of the kernel image, so outputs stay bit-identical),
 * so the caller loses time, not data, and tells its listeners (the live system turns that into a NOTICE to
 * clients). Input errors ({@code INVALID_INPUT}) and the other kinds are not device faults and are
 * rethrown without switching. Only when the fallback fails too does the call throw; the pipeline then
 * counts the bin as a backend-fault drop.
 *
 * <p>With {@code reprobeAfterCalls == 0} (the default) the failed primary is closed and never used again.
 * With {@code reprobeAfterCalls > 0} it is kept and tried again after that many calls on the fallback (a
 * device that recovers from a transient timeout is used again; the return is reported with a null cause).
 *
 * <p>Allocation-free while healthy; one {@link Failover} is allocated per switch. One thread calls
 * {@link #infer}; the counters may be read from any thread.
 */
public final class FailoverBackend implements InferenceBackend {

  /** A switch at call {@code call} (1-based): {@code cause} is the fault, or null when returning to the primary. */
  public record Failover(long call, String from, String to, BackendException cause) {
    @Override
    public String toString() {
      if (cause == null) return "backend " + to + " back in use after " + call + " calls (fallback " + from + " idle)";
      return "backend " + from + " failed (" + cause.kind() + ": " + cause.getMessage() + ") at call " + call
          + "; batch re-run on " + to;
    }
  }

  private final InferenceBackend primary;
  private final InferenceBackend fallback;
  private final long reprobeAfterCalls;
  private volatile Consumer<Failover> listener;
  private volatile InferenceBackend active;
  private volatile Failover last;
  private long calls;
  private long callsOnFallback;
  private volatile long failovers;
  private volatile long fallbackFailures;
  private boolean primaryClosed;

  public FailoverBackend(InferenceBackend primary, InferenceBackend fallback, Consumer<Failover> listener) {
    this(primary, fallback, 0, listener);
  }

  public FailoverBackend(InferenceBackend primary, InferenceBackend fallback, long reprobeAfterCalls,
      Consumer<Failover> listener) {
    if (!primary.shape().equals(fallback.shape())) {
      throw new IllegalArgumentException("failover backends disagree on shape: " + primary.name() + " "
          + primary.shape() + " vs " + fallback.name() + " " + fallback.shape());
    }
    if (reprobeAfterCalls < 0) throw new IllegalArgumentException("reprobeAfterCalls must be >= 0, got " + reprobeAfterCalls);
    this.primary = primary;
    this.fallback = fallback;
    this.reprobeAfterCalls = reprobeAfterCalls;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.active = primary;
  }

  /** Adds a listener after construction (the live system adds its NOTICE broadcaster). */
  public FailoverBackend addListener(Consumer<Failover> more) {
    listener = listener.andThen(Objects.requireNonNull(more, "listener"));
    return this;
  }

  /** The name of the backend currently running batches. */
  /** The primary's (the fallback runs the same kernel image of the same model). */
  @Override
  public org.lfadsrt.sim.model.Reconstruction reconstruction() {
    return primary.reconstruction();
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

  public InferenceBackend primary() {
    return primary;
  }

  /** The last switch, or null while the primary never failed. */
  public Failover failover() {
    return last;
  }

  /** Switches from primary to fallback so far. */
  public long failovers() {
    return failovers;
  }

  /** Calls where the fallback failed too (each cost the caller its batch). */
  public long fallbackFailures() {
    return fallbackFailures;
  }

  @Override
  public boolean producesRawOutputs() {
    return active.producesRawOutputs();
  }

  @Override
  public long lastDeviceCycles() {
    return active.lastDeviceCycles();
  }

  @Override
  public BusCounters lastCallCounters() {
    return active.lastCallCounters();
  }

  @Override
  public String deviceDescription() {
    return active.deviceDescription();
  }

  @Override
  public void infer(InferenceBatch batch) throws BackendException {
    if (beginCall() == primary) {
      try {
        primary.infer(batch);
        return;
      } catch (BackendException e) {
        if (!failOver(primary, e)) throw e;
      }
    }
    try {
      fallback.infer(batch);
    } catch (BackendException e) {
      fallbackFailed();
      throw e;
    }
  }

  /**
   * Counts a call and returns the backend it should run on: the primary, or the fallback (returning to the
   * primary first when a re-probe is due). Shared by {@link #infer} and {@link FailoverOnlineSession}.
   */
  InferenceBackend beginCall() {
    calls++;
    if (active == fallback && reprobeAfterCalls > 0 && callsOnFallback >= reprobeAfterCalls) {
      active = primary;
      report(new Failover(calls, fallback.name(), primary.name(), null));
    }
    if (active == fallback) callsOnFallback++;
    return active;
  }

  /** The fallback failed too: the caller loses its batch. */
  void fallbackFailed() {
    fallbackFailures++;
  }

  private void report(Failover f) {
    last = f;
    try {
      listener.accept(f);
    } catch (RuntimeException ignored) {
      // a failing listener (a closed server) must not cost the batch its re-run
    }
  }

  private void closePrimary() {
    if (primaryClosed) return;
    primaryClosed = true;
    try {
      primary.close();
    } catch (RuntimeException ignored) {
      // the device is already broken; closing it must not hide the failover
    }
  }

  /**
   * Switches to the fallback when {@code failed} (the backend that threw {@code e}) is the primary and {@code e} is a
   * device fault; returns whether it did (the caller then re-runs its work on the fallback, which counts as the first
   * call on it).
   */
  boolean failOver(InferenceBackend failed, BackendException e) {
    if (failed != primary || active != primary || !isDeviceFault(e)) return false;
    failovers++;
    active = fallback;
    callsOnFallback = 1;
    if (reprobeAfterCalls == 0) closePrimary();
    report(new Failover(calls, primary.name(), fallback.name(), e));
    return true;
  }

  public InferenceBackend fallback() {
    return fallback;
  }

  /**
   * Online sessions always work: the primary's own session when it has one (software, float; emu and xrt through the
   * kernel's online mode), else a window is copied and inferred whole; after a failover the failed window is inferred whole on the fallback, and later windows use the fallback's
   * own online session (primed with the window's bins) when it has one. See {@link FailoverOnlineSession}.
   */
  @Override
  public OnlineInference openOnline() {
    return new FailoverOnlineSession(this, new SpikeWindow(shape()), true);
  }

  /** As {@link #openOnline()}, reading the caller's window instead of keeping a copy of every bin. */
  @Override
  public OnlineInference openOnline(SpikeWindow window) {
    return new FailoverOnlineSession(this, window, false);
  }

  static boolean isDeviceFault(BackendException e) {
    return switch (e.kind()) {
      case TIMEOUT, DEVICE_ERROR, DEVICE_LOST -> true;
      default -> false;
    };
  }

  @Override
  public void close() {
    closePrimary();
    fallback.close();
  }
}
