package org.lfadsrt.host.server;

import io.netty.buffer.ByteBuf;
import org.lfadsrt.host.pipeline.BinResult;

/**
 * RESULT frame as a flyweight over a {@link ByteBuf}: reads and writes fields in place at fixed
 * offsets, little-endian, without creating objects. Offsets count from the frame's first byte.
 *
 * <pre>
 *   0 u32 length        = 76 + 4 * (n_factors + n_rates + n_decoded)
 *   4 u8  type          = 0x10
 *   5 u8  version       = 1
 *   6 u16 frame flags   = 0
 *   8 u64 seq           sequence number of published results (gaps = bins dropped by the host)
 *  16 u64 bin_index     source bin index
 *  24 i64 t_source      monotonic ns: bin complete at the source
 *  32 i64 t_accept      monotonic ns: accepted by the pipeline
 *  40 i64 t_backend_start
 *  48 i64 t_backend_done
 *  56 i64 t_encode      monotonic ns: this frame encoded for this client
 *  64 u32 client_drops  results dropped for THIS client so far (its queue was full)
 *  68 u16 result_flags  1 window partial, 2 trial mode, 4 first bin of trial, 8 last bin of trial
 *  70 u8  streams       which arrays follow (1 factors, 2 rates, 4 decoded)
 *  71 u8  reserved
 *  72 u16 n_factors     0 unless streams has 1
 *  74 u16 n_rates       0 unless streams has 2
 *  76 u16 n_decoded     0 unless streams has 4
 *  78 u16 reserved
 *  80 f32 factors[n_factors], rates[n_rates] (Hz-per-bin expected counts), decoded[n_decoded]
 * </pre>
 */
public final class ResultFlyweight {
  public static final int SEQ_OFFSET = 8;
  public static final int BIN_INDEX_OFFSET = 16;
  public static final int T_SOURCE_OFFSET = 24;
  public static final int T_ACCEPT_OFFSET = 32;
  public static final int T_BACKEND_START_OFFSET = 40;
  public static final int T_BACKEND_DONE_OFFSET = 48;
  public static final int T_ENCODE_OFFSET = 56;
  public static final int CLIENT_DROPS_OFFSET = 64;
  public static final int RESULT_FLAGS_OFFSET = 68;
  public static final int STREAMS_OFFSET = 70;
  public static final int N_FACTORS_OFFSET = 72;
  public static final int N_RATES_OFFSET = 74;
  public static final int N_DECODED_OFFSET = 76;
  public static final int VALUES_OFFSET = 80;

  private ByteBuf buf;
  private int base;

  /** Points this flyweight at a frame starting at {@code offset}. */
  public ResultFlyweight wrap(ByteBuf buf, int offset) {
    this.buf = buf;
    this.base = offset;
    return this;
  }

  public static int frameBytes(int streams, int facDim, int nOut, int decodedDim) {
    return VALUES_OFFSET + 4 * (count(streams, Protocol.STREAM_FACTORS, facDim)
        + count(streams, Protocol.STREAM_RATES, nOut) + count(streams, Protocol.STREAM_DECODED, decodedDim));
  }

  private static int count(int streams, int bit, int n) {
    return (streams & bit) != 0 ? n : 0;
  }

  /**
   * Appends a complete RESULT frame for {@code r} at the buffer's writer index. Allocation-free.
   *
   * @return frame length in bytes
   */
  public static int encode(ByteBuf out, BinResult r, int streams, long clientDrops, long tEncode) {
    int nf = count(streams, Protocol.STREAM_FACTORS, r.factors.length);
    int nr = count(streams, Protocol.STREAM_RATES, r.rates.length);
    int nd = count(streams, Protocol.STREAM_DECODED, r.decoded.length);
    int size = VALUES_OFFSET + 4 * (nf + nr + nd);
    out.ensureWritable(size);
    out.writeIntLE(size - Protocol.LENGTH_FIELD_BYTES);
    out.writeByte(Protocol.RESULT);
    out.writeByte(Protocol.VERSION);
    out.writeShortLE(0);
    out.writeLongLE(r.seq);
    out.writeLongLE(r.binIndex);
    out.writeLongLE(r.tSource);
    out.writeLongLE(r.tAccept);
    out.writeLongLE(r.tBackendStart);
    out.writeLongLE(r.tBackendDone);
    out.writeLongLE(tEncode);
    out.writeIntLE((int) Math.min(clientDrops, 0xFFFF_FFFFL));
    out.writeShortLE(r.flags);
    out.writeByte(streams & Protocol.STREAM_ALL);
    out.writeByte(0);
    out.writeShortLE(nf);
    out.writeShortLE(nr);
    out.writeShortLE(nd);
    out.writeShortLE(0);
    for (int i = 0; i < nf; i++) out.writeFloatLE(r.factors[i]);
    for (int i = 0; i < nr; i++) out.writeFloatLE(r.rates[i]);
    for (int i = 0; i < nd; i++) out.writeFloatLE(r.decoded[i]);
    return size;
  }

  public int frameLength() { return buf.getIntLE(base) + Protocol.LENGTH_FIELD_BYTES; }
  public long seq() { return buf.getLongLE(base + SEQ_OFFSET); }
  public long binIndex() { return buf.getLongLE(base + BIN_INDEX_OFFSET); }
  public long tSource() { return buf.getLongLE(base + T_SOURCE_OFFSET); }
  public long tAccept() { return buf.getLongLE(base + T_ACCEPT_OFFSET); }
  public long tBackendStart() { return buf.getLongLE(base + T_BACKEND_START_OFFSET); }
  public long tBackendDone() { return buf.getLongLE(base + T_BACKEND_DONE_OFFSET); }
  public long tEncode() { return buf.getLongLE(base + T_ENCODE_OFFSET); }
  public long clientDrops() { return buf.getUnsignedIntLE(base + CLIENT_DROPS_OFFSET); }
  public int resultFlags() { return buf.getUnsignedShortLE(base + RESULT_FLAGS_OFFSET); }
  public int streams() { return buf.getUnsignedByte(base + STREAMS_OFFSET); }
  public int nFactors() { return buf.getUnsignedShortLE(base + N_FACTORS_OFFSET); }
  public int nRates() { return buf.getUnsignedShortLE(base + N_RATES_OFFSET); }
  public int nDecoded() { return buf.getUnsignedShortLE(base + N_DECODED_OFFSET); }
  public float factor(int i) { return buf.getFloatLE(base + VALUES_OFFSET + 4 * i); }
  public float rate(int i) { return buf.getFloatLE(base + VALUES_OFFSET + 4 * (nFactors() + i)); }
  public float decoded(int i) { return buf.getFloatLE(base + VALUES_OFFSET + 4 * (nFactors() + nRates() + i)); }

  /** Overwrites the client-drop counter in place (the server encodes once, patches per client). */
  public void clientDrops(long drops) { buf.setIntLE(base + CLIENT_DROPS_OFFSET, (int) Math.min(drops, 0xFFFF_FFFFL)); }

  /** Overwrites the encode timestamp in place. */
  public void tEncode(long nanos) { buf.setLongLE(base + T_ENCODE_OFFSET, nanos); }
}
