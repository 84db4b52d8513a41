package org.lfadsrt.host.reliability;

import java.util.concurrent.locks.LockSupport;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;

/**
 * Fault injection for soaks and tests: wraps a working backend and, on a fixed schedule, fails a call
 * the way a device does: a timeout (after waiting {@code timeoutNanos}, as a driver's deadline would)
 * or a device error (at once). Deterministic, so runs can be compared.
 */
public final class FaultyBackend implements InferenceBackend {
  private final InferenceBackend inner;
  private final String name;
  private final long failEvery;
  private final long timeoutNanos;
  private long calls;
  private volatile long injected;
  private volatile boolean broken;

  /**
   * @param failEvery    every this-many-th call fails (0: never, unless {@link #breakDown()})
   * @param timeoutNanos odd-numbered faults are timeouts that first wait this long; even ones are device errors
   */
  public FaultyBackend(InferenceBackend inner, String name, long failEvery, long timeoutNanos) {
    this.inner = inner;
    this.name = name;
    this.failEvery = failEvery;
    this.timeoutNanos = timeoutNanos;
  }

  /** From now on every call fails with a device error (a card that fell off the bus). */
  public void breakDown() {
    broken = true;
  }

  public long injected() {
    return injected;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ModelShape shape() {
    return inner.shape();
  }

  @Override
  public void infer(InferenceBatch batch) throws BackendException {
    calls++;
    if (broken) {
      injected++;
      throw new BackendException(BackendException.Kind.DEVICE_ERROR, name + ": device lost (injected)");
    }
    if (failEvery > 0 && calls % failEvery == 0) {
      long n = ++injected;
      if ((n & 1) == 1) {
        if (timeoutNanos > 0) LockSupport.parkNanos(timeoutNanos);
        throw new BackendException(BackendException.Kind.TIMEOUT,
            name + ": no completion within " + timeoutNanos / 1000 + " us (injected, call " + calls + ")");
      }
      throw new BackendException(BackendException.Kind.DEVICE_ERROR, name + ": DMA error (injected, call " + calls + ")");
    }
    inner.infer(batch);
  }

  @Override
  public void close() {
    inner.close();
  }
}
