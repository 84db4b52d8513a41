package org.lfadsrt.host.pipeline;

import java.io.IOException;
import org.lfadsrt.host.source.SpikeSource;

/**
 * The one thread that owns the hot path: reads the source, feeds the pipeline, which publishes. Stops
 * at end of stream, after {@code maxBins} bins, after {@code maxNanos}, or on {@link #stop()}.
 */
public final class HotPathLoop implements Runnable {
  private final SpikeSource source;
  private final Pipeline pipeline;
  private final long maxBins;
  private final long maxNanos;
  private final int[] counts;
  private volatile boolean stopping;
  private volatile Throwable failure;
  private volatile long bins;
  private volatile boolean finished;

  /**
   * @param maxBins  stop after this many bins (-1: no limit)
   * @param maxNanos stop after this long (-1: no limit)
   */
  public HotPathLoop(SpikeSource source, Pipeline pipeline, long maxBins, long maxNanos) {
    if (source.info().channelCount() != pipeline.shape().nIn()) {
      throw new IllegalArgumentException("source " + source.info().name() + " has " + source.info().channelCount()
          + " channels but the model expects N_in = " + pipeline.shape().nIn());
    }
    this.source = source;
    this.pipeline = pipeline;
    this.maxBins = maxBins;
    this.maxNanos = maxNanos;
    this.counts = new int[source.info().channelCount()];
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    try {
      while (!stopping) {
        int flags = source.next(counts);
        if (flags == SpikeSource.END_OF_STREAM) break;
        pipeline.onEvent(flags, counts, source.binIndex(), source.binCompleteNanos());
        if ((flags & SpikeSource.BIN) != 0) bins++;
        if (maxBins >= 0 && bins >= maxBins) break;
        if (maxNanos >= 0 && System.nanoTime() - start >= maxNanos) break;
      }
      pipeline.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      finished = true;
    }
  }

  /** Asks the loop to stop and unblocks the source. */
  public void stop() {
    stopping = true;
    source.close();
  }

  public long bins() { return bins; }
  public boolean finished() { return finished; }
  public boolean stoppedByRequest() { return stopping; }
  /** The error that ended the loop, or null. */
  public Throwable failure() { return failure; }
}
