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
  /** Bytes this thread allocated from bin {@link #ALLOCATION_WARMUP_BINS} to the end (-1: not measured). */
  private volatile long allocatedAfterWarmup = -1;
  private volatile long binsAfterWarmup;
  /** Bins after which the allocation count starts (class loading and first-call set-up come before). */
  public static final long ALLOCATION_WARMUP_BINS = 1000;

  /**
   * @param maxBins  stop after this many bins (-1: no limit)
   * @param maxNanos stop after this long (-1: no limit)
   */
  public HotPathLoop(SpikeSource source, Pipeline pipeline, long maxBins, long maxNanos) {
    if (source.info().channelCount() != pipeline.shape().nIn()) {
      throw new IllegalArgumentException("source " + source.info().name() + " has " + source.info().channelCount()
          + " channels but the model expects N_in = " + pipeline.shape().nIn()
          + (source.info().name().startsWith("nwb") ? "; choose " + pipeline.shape().nIn()
              + " unit rows of the Units table with --units ROW,ROW,..." : ""));
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
    long alloc0 = -1;
    long bins0 = 0;
    try {
      while (!stopping) {
        int flags = source.next(counts);
        if (flags == SpikeSource.END_OF_STREAM) break;
        pipeline.onEvent(flags, counts, source.binIndex(), source.binCompleteNanos());
        if ((flags & SpikeSource.BIN) != 0 && ++bins == ALLOCATION_WARMUP_BINS) {
          alloc0 = allocatedBytes();
          bins0 = bins;
        }
        if (maxBins >= 0 && bins >= maxBins) break;
        if (maxNanos >= 0 && System.nanoTime() - start >= maxNanos) break;
      }
      if (alloc0 >= 0) {
        long alloc1 = allocatedBytes();
        binsAfterWarmup = bins - bins0;
        allocatedAfterWarmup = alloc1 - alloc0;
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

  private static long allocatedBytes() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    return mx instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : -1;
  }

  public long bins() { return bins; }
  /**
   * Bytes the hot-path thread allocated after its first {@link #ALLOCATION_WARMUP_BINS} bins up to the end
   * of the loop (the publish path's allocation check in a live run), or -1 when the run was shorter.
   */
  public long allocatedAfterWarmup() { return allocatedAfterWarmup; }
  /** Bins the {@link #allocatedAfterWarmup()} count spans. */
  public long binsAfterWarmup() { return binsAfterWarmup; }
  public boolean finished() { return finished; }
  public boolean stoppedByRequest() { return stopping; }
  /** The error that ended the loop, or null. */
  public Throwable failure() { return failure; }
}
