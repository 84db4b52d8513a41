package org.lfadsrt.host.record;

import java.io.IOException;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.StreamInfo;

/** Passes a source's events through unchanged and records each one (bins with their counts, bare markers). */
public final class RecordingSource implements SpikeSource {
  private final SpikeSource inner;
  private final Recorder recorder;

  public RecordingSource(SpikeSource inner, Recorder recorder) {
    this.inner = inner;
    this.recorder = recorder;
  }

  @Override
  public StreamInfo info() {
    return inner.info();
  }

  @Override
  public int next(int[] counts) throws IOException, InterruptedException {
    int flags = inner.next(counts);
    if (flags != END_OF_STREAM) {
      boolean bin = (flags & BIN) != 0;
      recorder.bin(flags, counts, bin ? counts.length : 0, inner.binIndex(), bin ? inner.binCompleteNanos() : 0);
    }
    return flags;
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
