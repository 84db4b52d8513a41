package org.lfadsrt.host.source;

/**
 * What every source that produces bins itself keeps: the last bin's index and completion time, and the closed
 * flag that {@link #next} checks. Sources that wrap another one (recording, fault injection) forward to it instead.
 */
public abstract class AbstractSpikeSource implements SpikeSource {
  /** Index of the last bin returned by {@link #next}, -1 before the first. Hot-path thread only. */
  protected long index = -1;
  /** Monotonic ns at which the last bin returned was complete. Hot-path thread only. */
  protected long completeNanos;
  /** Set by {@link #close} from any thread; {@link #next} returns {@link #END_OF_STREAM} once it sees it. */
  protected volatile boolean closed;

  @Override
  public long binCompleteNanos() {
    return completeNanos;
  }

  @Override
  public long binIndex() {
    return index;
  }

  /** Marks the source closed; a source holding a file or a socket closes it too (and calls this). */
  @Override
  public void close() {
    closed = true;
  }
}
