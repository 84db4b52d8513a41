package org.lfadsrt.host.source;

/**
 * A source that wraps another (recording it, injecting faults): everything forwards to {@link #inner} except what a
 * subclass overrides; a subclass implements {@link #next} and calls {@code inner.next} in it.
 */
public abstract class ForwardingSpikeSource implements SpikeSource {
  protected final SpikeSource inner;

  protected ForwardingSpikeSource(SpikeSource inner) {
    this.inner = inner;
  }

  @Override
  public StreamInfo info() {
    return inner.info();
  }

  @Override
  public long binCompleteNanos() {
    return inner.binCompleteNanos();
  }

  @Override
  public long binIndex() {
    return inner.binIndex();
  }

  @Override
  public long totalBins() {
    return inner.totalBins();
  }

  @Override
  public void close() {
    inner.close();
  }
}
