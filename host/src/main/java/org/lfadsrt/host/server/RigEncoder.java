package org.lfadsrt.host.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Encodes {@link RigMessage}s (control traffic) into frames. Pre-encoded RESULT ByteBufs pass by untouched. */
@ChannelHandler.Sharable
public final class RigEncoder extends MessageToByteEncoder<RigMessage> {

  public RigEncoder() {
    super(RigMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, RigMessage msg, ByteBuf out) {
    write(msg, out);
  }

  /**
   * One complete frame as a new byte array: for clients that write to a plain socket (the bench's loopback clients,
   * the soak's, the fuzzers, tests). Allocates; the server's own path writes into Netty buffers with {@link #write}.
   */
  public static byte[] toBytes(RigMessage msg) {
    ByteBuf b = io.netty.buffer.Unpooled.buffer();
    try {
      write(msg, b);
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      return a;
    } finally {
      b.release();
    }
  }

  /** Appends one complete frame. */
  public static void write(RigMessage msg, ByteBuf out) {
    int start = out.writerIndex();
    out.writeIntLE(0); // length, patched below
    out.writeByte(msg.type());
    out.writeByte(Protocol.VERSION);
    out.writeShortLE(0);
    if (msg instanceof RigMessage.Hello h) {
      out.writeIntLE(Protocol.HELLO_MAGIC);
      out.writeShortLE(h.minVersion());
      out.writeShortLE(h.maxVersion());
      writeString(out, h.clientName());
      writeString(out, h.token());
    } else if (msg instanceof RigMessage.Handshake h) {
      out.writeShortLE(h.version());
      out.writeShortLE(h.maxResultAgeMillis());
      out.writeLongLE(h.sessionId());
      out.writeLongLE(h.serverMonoNanos());
      out.writeLongLE(h.serverEpochNanos());
      out.writeIntLE(h.nIn());
      out.writeIntLE(h.nOut());
      out.writeIntLE(h.facDim());
      out.writeIntLE(h.decodedDim());
      out.writeIntLE(h.tEnc());
      out.writeIntLE(h.tRec());
      out.writeLongLE(h.binWidthNanos());
      out.writeDoubleLE(h.nominalRateHz());
      out.writeIntLE(h.maxFrameBytes());
      out.writeIntLE(h.queueLimitBytes());
      writeString(out, h.streamName());
      writeString(out, h.streamType());
      writeString(out, h.sourceId());
      writeString(out, h.backend());
      writeString(out, h.mode());
      writeString(out, h.model());
      writeString(out, h.channelFormat());
      out.writeShortLE(h.decodedNames().size());
      for (String n : h.decodedNames()) writeString(out, n);
      out.writeShortLE(h.features());
    } else if (msg instanceof RigMessage.Subscribe s) {
      out.writeByte(s.streams());
      out.writeByte(s.flags());
      out.writeShortLE(s.decimation());
    } else if (msg instanceof RigMessage.Credit c) {
      out.writeIntLE((int) c.grant());
    } else if (msg instanceof RigMessage.Result r) {
      out.writeLongLE(r.seq());
      out.writeLongLE(r.binIndex());
      out.writeLongLE(r.tSource());
      out.writeLongLE(r.tAccept());
      out.writeLongLE(r.tBackendStart());
      out.writeLongLE(r.tBackendDone());
      out.writeLongLE(r.tEncode());
      out.writeIntLE((int) r.clientDrops());
      out.writeShortLE(r.flags());
      out.writeByte(r.streams());
      out.writeByte(0);
      out.writeShortLE(r.factors().length);
      out.writeShortLE(r.rates().length);
      out.writeShortLE(r.decoded().length);
      out.writeShortLE(0);
      for (float v : r.factors()) out.writeFloatLE(v);
      for (float v : r.rates()) out.writeFloatLE(v);
      for (float v : r.decoded()) out.writeFloatLE(v);
    } else if (msg instanceof RigMessage.Status s) {
      out.writeLongLE(s.binsIn());
      out.writeLongLE(s.published());
      out.writeLongLE(s.dropped());
      out.writeLongLE(s.clientDrops());
      out.writeIntLE(s.clients());
      out.writeIntLE(0);
      out.writeLongLE(s.p50Nanos());
      out.writeLongLE(s.p99Nanos());
      out.writeLongLE(s.maxNanos());
      out.writeDoubleLE(s.binsPerSecond());
      out.writeShortLE(s.drops().size());
      for (RigMessage.DropCount d : s.drops()) {
        writeString(out, d.reason());
        out.writeLongLE(d.count());
      }
      out.writeShortLE(s.serverCounters().size());
      for (RigMessage.DropCount d : s.serverCounters()) {
        writeString(out, d.reason());
        out.writeLongLE(d.count());
      }
    } else if (msg instanceof RigMessage.Heartbeat h) {
      out.writeLongLE(h.senderNanos());
      out.writeLongLE(h.echoNanos());
    } else if (msg instanceof RigMessage.Error e) {
      out.writeShortLE(e.code());
      writeString(out, e.message());
    } else if (msg instanceof RigMessage.Notice n) {
      out.writeShortLE(n.code());
      writeString(out, n.message());
    } else if (msg instanceof RigMessage.Control c) {
      out.writeShortLE(c.op());
      out.writeShortLE(0);
      writeString(out, c.argument());
    } else if (msg instanceof RigMessage.ControlReply c) {
      out.writeShortLE(c.op());
      out.writeShortLE(c.status());
      writeString(out, c.message());
    }
    out.setIntLE(start, out.writerIndex() - start - Protocol.LENGTH_FIELD_BYTES);
  }

  static void writeString(ByteBuf out, String s) {
    byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    if (b.length > 0xFFFF) throw new IllegalArgumentException("string longer than 65535 bytes");
    out.writeShortLE(b.length);
    out.writeBytes(b);
  }
}
