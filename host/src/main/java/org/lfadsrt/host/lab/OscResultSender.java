package org.lfadsrt.host.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.ResultSink;

/**
 * {@code --osc-out HOST:PORT}: OSC 1.0 messages over UDP (Bonsai.Osc, Max/Pd, TouchDesigner, python-osc), one
 * message per datagram, per result:
 *
 * <pre>
 * /lfads/bin      ,ii    sequence number, bin index (int32, wrapping)
 * /lfads/factors  ,f...  the factors
 * /lfads/rates    ,f...  the rates
 * /lfads/decoded  ,f...  the decoded behaviour (only with --decoder)
 * </pre>
 *
 * OSC 1.0 encoding: address and type-tag strings NUL-terminated and padded to 4 bytes, big-endian int32 and float32.
 * Each message is a flyweight: address and tags are written once, only the arguments change; sending never blocks.
 */
public final class OscResultSender implements ResultSink, AutoCloseable {
  public static final String BIN = "/lfads/bin";
  public static final String FACTORS = "/lfads/factors";
  public static final String RATES = "/lfads/rates";
  public static final String DECODED = "/lfads/decoded";

  private final DatagramOut out;
  private final Message bin;
  private final Message factors;
  private final Message rates;
  private final Message decoded;

  /** One OSC message: address and type tags written once, the arguments from {@link #args} on. */
  static final class Message {
    final ByteBuffer buffer;
    final int args;

    Message(String address, String tags) {
      byte[] a = address.getBytes(StandardCharsets.US_ASCII);
      byte[] t = ("," + tags).getBytes(StandardCharsets.US_ASCII);
      this.args = paddedLength(a.length) + paddedLength(t.length);
      this.buffer = ByteBuffer.allocateDirect(args + 4 * tags.length()).order(ByteOrder.BIG_ENDIAN);
      buffer.put(0, a).put(paddedLength(a.length), t); // the rest of the direct buffer is already zero (the padding)
    }
  }

  public OscResultSender(String hostPort, int nFactors, int nRates, int nDecoded) throws IOException {
    this.out = new DatagramOut("--osc-out", hostPort);
    this.bin = new Message(BIN, "ii");
    this.factors = new Message(FACTORS, "f".repeat(nFactors));
    this.rates = new Message(RATES, "f".repeat(nRates));
    this.decoded = nDecoded > 0 ? new Message(DECODED, "f".repeat(nDecoded)) : null;
  }

  /** Bytes of an OSC string: the characters, a NUL, padding NULs to a multiple of 4. */
  static int paddedLength(int chars) {
    return (chars + 4) & ~3;
  }

  @Override
  public void publish(BinResult r) {
    bin.buffer.putInt(bin.args, (int) r.seq).putInt(bin.args + 4, (int) r.binIndex);
    send(bin);
    fill(factors, r.factors);
    fill(rates, r.rates);
    if (decoded != null) fill(decoded, r.decoded);
  }

  private void fill(Message m, float[] values) {
    for (int i = 0; i < values.length; i++) m.buffer.putFloat(m.args + 4 * i, values[i]);
    send(m);
  }

  private void send(Message m) {
    m.buffer.clear();
    out.send(m.buffer);
  }

  public long sent() { return out.sent(); }
  public long dropped() { return out.dropped(); }
  public String summary() { return out.summary(); }

  @Override
  public void close() {
    out.close();
  }
}
