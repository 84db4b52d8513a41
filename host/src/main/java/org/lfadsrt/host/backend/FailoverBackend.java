package org.lfadsrt.host.backend;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs on a primary backend (emu, xrt) and, the first time it fails with a device fault (timeout, device
 * error, device lost), closes it, reports the switch to a listener and from then on runs on the fallback
 * (the software model of the same kernel image, so outputs stay bit-identical). The failed batch is re-run on
 * the fallback, so the caller loses time, not data. Input errors ({@code INVALID_INPUT}) are not device faults
 * and are rethrown without switching.
 */
public final class FailoverBackend implements InferenceBackend {

  /** What happened: which backend failed, why, and which one took over. */
  public record Failover(String from, String to, BackendException cause) {
    @Override
    public String toString() {
      return "backend " + from + " failed (" + cause.kind() + ": " + cause.getMessage() + "); switched to " + to;
    }
  }

  private final InferenceBackend primary;
  private final InferenceBackend fallback;
  private final Consumer<Failover> listener;
  private InferenceBackend active;
  private Failover failover;

  public FailoverBackend(InferenceBackend primary, InferenceBackend fallback, Consumer<Failover> listener) {
    if (!primary.shape().equals(fallback.shape())) {
      throw new IllegalArgumentException("failover backends disagree on shape: " + primary.name() + " "
          + primary.shape() + " vs " + fallback.name() + " " + fallback.shape());
    }
    this.primary = primary;
    this.fallback = fallback;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.active = primary;
  }

  /** The name of the backend currently running batches. */
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

  /** The switch that happened, or null while the primary is healthy. */
  public Failover failover() {
    return failover;
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
  public void infer(InferenceBatch batch) throws BackendException {
    try {
      active.infer(batch);
    } catch (BackendException e) {
      if (!failOver(active, e)) throw e;
      fallback.infer(batch);
    }
  }

  /**
   * Switches to the fallback when {@code failed} (the backend that threw {@code e}) is the primary and {@code e} is a
   * device fault; returns whether it did (the caller then re-runs its work on the fallback).
   */
  boolean failOver(InferenceBackend failed, BackendException e) {
    if (failed != primary || active != primary || !isDeviceFault(e)) return false;
    failover = new Failover(primary.name(), fallback.name(), e);
    active = fallback;
    try {
      primary.close();
    } catch (RuntimeException ignored) {
      // the device is already broken; closing it must not hide the failover
    }
    listener.accept(failover);
    return true;
  }

  InferenceBackend primary() {
    return primary;
  }

  InferenceBackend fallback() {
    return fallback;
  }

  /**
   * Online sessions always work: on a backend without the capability (emu, xrt) a window is copied and inferred
   * whole; after a failover the failed window is inferred whole on the fallback, and later windows use the fallback's
   * own online session (primed with the window's bins) when it has one. See {@link FailoverOnlineSession}.
   */
  @Override
  public OnlineInference openOnline() {
    return new FailoverOnlineSession(this);
  }

  static boolean isDeviceFault(BackendException e) {
    return switch (e.kind()) {
      case TIMEOUT, DEVICE_ERROR, DEVICE_LOST -> true;
      default -> false;
    };
  }

  @Override
  public void close() {
    if (active == primary) primary.close();
    fallback.close();
  }
}
