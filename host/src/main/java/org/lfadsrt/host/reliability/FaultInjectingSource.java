package org.lfadsrt.host.reliability;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.lfadsrt.host.source.ForwardingSpikeSource;
import org.lfadsrt.host.source.SpikeSource;

/**
 * Fault injection on a source's bins, on fixed schedules (0 disables each): an invalid bin (a negative
 * count, as a broken acquisition driver would produce), a jump of the source's bin time (a clock step:
 * bin indices skip ahead), a late bin (its completion time set far in the past, as after a long pause
 * upstream), and a stall (the source blocks before delivering).
 */
public final class FaultInjectingSource extends ForwardingSpikeSource {
  private final long invalidEvery;
  private final long jumpEvery;
  private final long jumpBins;
  private final long lateEvery;
  private final long lateNanos;
  private final long stallEvery;
  private final long stallNanos;
  private long bins;
  private long indexOffset;
  private long tSource;
  private volatile long invalid, jumps, late, stalls;

  public FaultInjectingSource(SpikeSource inner, long invalidEvery, long jumpEvery, long jumpBins, long lateEvery, long lateNanos,
      long stallEvery, long stallNanos) {
    super(inner);
    this.invalidEvery = invalidEvery;
    this.jumpEvery = jumpEvery;
    this.jumpBins = jumpBins;
    this.lateEvery = lateEvery;
    this.lateNanos = lateNanos;
    this.stallEvery = stallEvery;
    this.stallNanos = stallNanos;
  }

  public long invalidInjected() { return invalid; }
  public long jumpsInjected() { return jumps; }
  public long lateInjected() { return late; }
  public long stallsInjected() { return stalls; }

  @Override
  public int next(int[] counts) throws IOException, InterruptedException {
    int flags = inner.next(counts);
    if (flags == END_OF_STREAM || (flags & BIN) == 0) return flags;
    bins++;
    tSource = inner.binCompleteNanos();
    if (stallEvery > 0 && bins % stallEvery == 0) {
      stalls++;
      LockSupport.parkNanos(stallNanos);
    }
    if (jumpEvery > 0 && bins % jumpEvery == 0) {
      jumps++;
      indexOffset += jumpBins;
    }
    if (invalidEvery > 0 && bins % invalidEvery == 0) {
      invalid++;
      counts[(int) (bins % counts.length)] = -1;
    } else if (lateEvery > 0 && bins % lateEvery == 0) {
      late++;
      tSource -= lateNanos;
    }
    return flags;
  }

  @Override
  public long binCompleteNanos() {
    return tSource;
  }

  @Override
  public long binIndex() {
    return inner.binIndex() + indexOffset;
  }
}
