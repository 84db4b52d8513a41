package org.lfadsrt.host.record;

import java.io.IOException;
import java.nio.file.Path;
import org.lfadsrt.host.source.AbstractSpikeSource;
import org.lfadsrt.host.source.Pacer;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.StreamInfo;

/**
 * Replays the ingested side of a recording: every BIN record (counts, bin index, trial markers) in order,
 * paced at the recorded bin width or as fast as possible. Fed to the same model and backend, the
 * pipeline then republishes the recorded results (tests check bit-identity). Stops at the END record or
 * at the incomplete tail of a crashed recording.
 */
public final class ReplaySource extends AbstractSpikeSource {
  private final RecordingReader reader;
  private final StreamInfo info;
  private final Pacer pacer;
  private long emitted = -1;

  public ReplaySource(Path file, boolean realTime) throws IOException {
    this.reader = RecordingReader.open(file);
    RecordingHeader h = reader.header();
    this.info = new StreamInfo("replay", "SpikeCounts", "replay:" + file.getFileName() + " (" + h.sourceId() + ")", h.nIn(),
        h.binWidthNanos(), StreamInfo.numberedChannels(h.nIn()));
    this.pacer = new Pacer(h.binWidthNanos(), realTime);
  }

  public RecordingReader reader() {
    return reader;
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public int next(int[] counts) throws IOException, InterruptedException {
    while (!closed) {
      RecordingReader.Record r = reader.next();
      if (r == null) return END_OF_STREAM;
      if (r.type() != RecordingFormat.BIN) continue;
      RecordingReader.Bin b = r.bin();
      if ((b.eventFlags() & BIN) != 0) {
        System.arraycopy(b.counts(), 0, counts, 0, counts.length);
        index = b.binIndex();
        completeNanos = pacer.awaitEndOf(++emitted);
      }
      return b.eventFlags();
    }
    return END_OF_STREAM;
  }

  @Override
  public void close() {
    super.close();
    try {
      reader.close();
    } catch (IOException ignored) {
      // closing a file we only read
    }
  }
}
