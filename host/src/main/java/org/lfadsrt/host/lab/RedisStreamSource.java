package org.lfadsrt.host.lab;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.lfadsrt.host.source.AbstractSpikeSource;
import org.lfadsrt.host.source.StreamInfo;

/**
 * Reads a BRAND stream (thresholdExtraction's {@code crossings}, or bin_multiple's binned {@code samples}) on the
 * hot-path thread: {@code XREAD BLOCK 100 COUNT 256} from the last id read, each entry's field decoded (its dtype,
 * little-endian, one value per channel) and summed into the open bin; {@code bin_size} entries make a bin. The
 * entry that completes a bin gives it its {@code sync} JSON, kept in a small ring by bin index for the output
 * ({@link #syncOf}). An entry without the field or of the wrong length is counted ({@link #malformedEntries}) and
 * skipped. The bin is complete when the XREAD that returned its last entry returned.
 */
final class RedisStreamSource extends AbstractSpikeSource {
  static final int SYNC_RING = 1024;

  private final RedisCommands<String, byte[]> redis;
  private final String stream;
  private final String field;
  private final BrandParameters params;
  private final StreamInfo info;
  private final int channels;
  private final int[] acc;
  private final byte[][] syncRing = new byte[SYNC_RING][];
  private final XReadArgs readArgs = XReadArgs.Builder.block(100).count(256);
  private String lastId;
  private List<StreamMessage<String, byte[]>> batch = List.of();
  private int batchNext;
  private long batchNanos;
  private int entriesInBin;
  private long entries;
  private long malformed;

  RedisStreamSource(RedisCommands<String, byte[]> redis, BrandParameters params, int channels, long binWidthNanos,
      String startAfterId) {
    this.redis = redis;
    this.params = params;
    this.stream = params.inputStream();
    this.field = params.inputField();
    this.channels = channels;
    this.acc = new int[channels];
    this.lastId = startAfterId;
    this.info = new StreamInfo("brand:" + stream, "SpikeCounts", "redis:" + stream + "." + field, channels,
        binWidthNanos, StreamInfo.numberedChannels(channels));
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public int next(int[] counts) {
    while (!closed) {
      if (batchNext >= batch.size()) {
        List<StreamMessage<String, byte[]>> got = redis.xread(readArgs, XReadArgs.StreamOffset.from(stream, lastId));
        batchNanos = System.nanoTime();
        batch = got == null ? List.of() : got;
        batchNext = 0;
        continue;
      }
      StreamMessage<String, byte[]> m = batch.get(batchNext++);
      lastId = m.getId();
      entries++;
      Map<String, byte[]> body = m.getBody();
      if (!accumulate(body.get(field))) {
        malformed++;
        continue;
      }
      if (++entriesInBin < params.binSize()) continue;
      entriesInBin = 0;
      System.arraycopy(acc, 0, counts, 0, channels);
      java.util.Arrays.fill(acc, 0);
      index++;
      syncRing[(int) (index & (SYNC_RING - 1))] = body.get("sync");
      completeNanos = batchNanos;
      return BIN;
    }
    return END_OF_STREAM;
  }

  private boolean accumulate(byte[] v) {
    int size = params.dtypeBytes();
    if (v == null || v.length != channels * size) return false;
    ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
    switch (params.inputDtype()) {
      case "int8" -> { for (int c = 0; c < channels; c++) acc[c] += v[c]; }
      case "uint8" -> { for (int c = 0; c < channels; c++) acc[c] += v[c] & 0xFF; }
      case "int16" -> { for (int c = 0; c < channels; c++) acc[c] += b.getShort(2 * c); }
      case "int32" -> { for (int c = 0; c < channels; c++) acc[c] += b.getInt(4 * c); }
      default -> { for (int c = 0; c < channels; c++) acc[c] += Math.round(b.getFloat(4 * c)); }
    }
    return true;
  }

  /** The {@code sync} JSON of the entry that completed bin {@code binIndex} (null if it had none or is too old). */
  byte[] syncOf(long binIndex) {
    return index - binIndex >= SYNC_RING ? null : syncRing[(int) (binIndex & (SYNC_RING - 1))];
  }

  long entries() { return entries; }
  long malformedEntries() { return malformed; }
  String lastId() { return lastId; }

  // close(): AbstractSpikeSource's flag; the hot thread's XREAD returns within its 100 ms block and sees it
}
