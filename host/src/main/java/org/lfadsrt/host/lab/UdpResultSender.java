package org.lfadsrt.host.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.ResultSink;

/**
 * {@code --udp-out HOST:PORT}: one datagram per result, little-endian, a fixed 56-byte header then the float32
 * values (docs/lab.md has the table, for Simulink Real-Time's Byte Unpacking and LabVIEW's Unflatten with
 * little-endian byte order). Every field starts at a multiple of its size, so any Byte Unpacking alignment works.
 * The datagram is a flyweight over one reused direct buffer; sending never blocks ({@link DatagramOut}).
 */
public final class UdpResultSender implements ResultSink, AutoCloseable {
  /** "LFRU" read as a little-endian u32. */
  public static final int MAGIC = 0x5552464C;
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 56;
  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 4;
  public static final int HEADER_BYTES_OFFSET = 6;
  public static final int SEQ_OFFSET = 8;
  public static final int BIN_INDEX_OFFSET = 16;
  public static final int T_SOURCE_OFFSET = 24;
  public static final int T_SEND_OFFSET = 32;
  public static final int FLAGS_OFFSET = 40;
  public static final int DROPPED_OFFSET = 44;
  public static final int N_FACTORS_OFFSET = 48;
  public static final int N_RATES_OFFSET = 50;
  public static final int N_DECODED_OFFSET = 52;

  private final DatagramOut out;
  private final ByteBuffer datagram;
  private final int nFactors;
  private final int nRates;
  private final int nDecoded;

  public UdpResultSender(String hostPort, int nFactors, int nRates, int nDecoded) throws IOException {
    this.out = new DatagramOut("--udp-out", hostPort);
    this.nFactors = nFactors;
    this.nRates = nRates;
    this.nDecoded = nDecoded;
    int size = HEADER_BYTES + 4 * (nFactors + nRates + nDecoded);
    if (size > 65_507) throw new IllegalArgumentException("--udp-out: a result of " + size + " bytes does not fit a datagram");
    this.datagram = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    datagram.putInt(MAGIC_OFFSET, MAGIC).putShort(VERSION_OFFSET, (short) VERSION)
        .putShort(HEADER_BYTES_OFFSET, (short) HEADER_BYTES).putShort(N_FACTORS_OFFSET, (short) nFactors)
        .putShort(N_RATES_OFFSET, (short) nRates).putShort(N_DECODED_OFFSET, (short) nDecoded).putShort(54, (short) 0);
  }

  @Override
  public void publish(BinResult r) {
    ByteBuffer d = datagram;
    d.putLong(SEQ_OFFSET, r.seq).putLong(BIN_INDEX_OFFSET, r.binIndex).putLong(T_SOURCE_OFFSET, r.tSource)
        .putInt(FLAGS_OFFSET, r.flags).putInt(DROPPED_OFFSET, (int) Math.min(out.dropped(), 0xFFFF_FFFFL));
    int off = HEADER_BYTES;
    for (int i = 0; i < nFactors; i++, off += 4) d.putFloat(off, r.factors[i]);
    for (int i = 0; i < nRates; i++, off += 4) d.putFloat(off, r.rates[i]);
    for (int i = 0; i < nDecoded; i++, off += 4) d.putFloat(off, r.decoded[i]);
    d.putLong(T_SEND_OFFSET, System.nanoTime());
    d.clear();
    out.send(d);
  }

  public long sent() { return out.sent(); }
  public long dropped() { return out.dropped(); }
  public String summary() { return out.summary(); }

  @Override
  public void close() {
    out.close();
  }
}
