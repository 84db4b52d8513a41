package org.lfadsrt.host.record;

import java.io.IOException;
import org.lfadsrt.host.source.ForwardingSpikeSource;
import org.lfadsrt.host.source.SpikeSource;

/** Passes a source's events through unchanged and records each one (bins with their counts, bare markers). */
public final class RecordingSource extends ForwardingSpikeSource {
  private final Recorder recorder;

  public RecordingSource(SpikeSource inner, Recorder recorder) {
    super(inner);
    this.recorder = recorder;
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
}
