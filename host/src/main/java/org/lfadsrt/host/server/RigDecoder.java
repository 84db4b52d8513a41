package org.lfadsrt.host.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames and decodes rig-protocol messages (either direction). A bad frame produces a
 * {@link ProtocolError} naming the message and the problem instead of a message; bad length fields
 * are fatal (framing is lost: everything after is discarded), anything else only costs that frame.
 */
public final class RigDecoder extends ByteToMessageDecoder {
  private final int maxFrame;
  private boolean framingLost;

  /** @param maxFrame largest accepted length-field value */
  public RigDecoder(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (framingLost) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= Protocol.LENGTH_FIELD_BYTES) {
      long length = in.getUnsignedIntLE(in.readerIndex());
      if (length < Protocol.HEADER_BYTES - Protocol.LENGTH_FIELD_BYTES) {
        lose(in, out, Protocol.ERR_MALFORMED, typeIfKnown(in) + "frame length " + length + " is shorter than the 4-byte header rest");
        return;
      }
      if (length > maxFrame) {
        lose(in, out, Protocol.ERR_FRAME_TOO_LARGE, typeIfKnown(in) + "frame length " + length + " exceeds the maximum " + maxFrame);
        return;
      }
      if (in.readableBytes() < Protocol.LENGTH_FIELD_BYTES + length) return;
      ByteBuf frame = in.slice(in.readerIndex() + Protocol.LENGTH_FIELD_BYTES, (int) length);
      in.skipBytes(Protocol.LENGTH_FIELD_BYTES + (int) length);
      out.add(decodeFrame(frame));
    }
  }

  /** "NAME: " of the frame at the reader index when its type byte has arrived, else "". */
  private static String typeIfKnown(ByteBuf in) {
    return in.readableBytes() > Protocol.LENGTH_FIELD_BYTES
        ? Protocol.typeName(in.getUnsignedByte(in.readerIndex() + Protocol.LENGTH_FIELD_BYTES)) + ": " : "";
  }

  private void lose(ByteBuf in, List<Object> out, int code, String message) {
    framingLost = true;
    in.skipBytes(in.readableBytes());
    out.add(new ProtocolError(code, message, true));
  }

  /**
   * Decodes one frame without its length field: type, version, flags, body. Any error in a HELLO is fatal (the
   * server answers and closes: a connection that cannot say HELLO has nothing else to do); other bad frames cost
   * only themselves.
   */
  static Object decodeFrame(ByteBuf f) {
    int type = f.getUnsignedByte(f.readerIndex());
    Object decoded = decodeFrameBody(f);
    if (decoded instanceof ProtocolError e && !e.fatal() && type == Protocol.HELLO) {
      return new ProtocolError(e.code(), e.message() + "; closing", true);
    }
    return decoded;
  }

  private static Object decodeFrameBody(ByteBuf f) {
    int type = f.readUnsignedByte();
    int version = f.readUnsignedByte();
    f.readUnsignedShortLE(); // frame flags, reserved
    String name = Protocol.typeName(type);
    if (version != Protocol.VERSION) {
      return new ProtocolError(Protocol.ERR_UNSUPPORTED_VERSION,
          name + ": protocol version " + version + " unsupported (this peer speaks " + Protocol.VERSION + ")", false);
    }
    try {
      RigMessage m = switch (type) {
        case Protocol.HELLO -> {
          int magic = f.readIntLE();
          if (magic != Protocol.HELLO_MAGIC) {
            yield null;
          }
          yield new RigMessage.Hello(f.readUnsignedShortLE(), f.readUnsignedShortLE(), readString(f), readString(f));
        }
        case Protocol.HANDSHAKE -> {
          int v = f.readUnsignedShortLE();
          int maxAge = f.readUnsignedShortLE();
          long session = f.readLongLE(), mono = f.readLongLE(), epoch = f.readLongLE();
          int nIn = f.readIntLE(), nOut = f.readIntLE(), fac = f.readIntLE(), dec = f.readIntLE();
          int tEnc = f.readIntLE(), tRec = f.readIntLE();
          long bin = f.readLongLE();
          double rate = f.readDoubleLE();
          int maxFrame = f.readIntLE(), queue = f.readIntLE();
          String sn = readString(f), st = readString(f), sid = readString(f), be = readString(f), mode = readString(f),
              model = readString(f), fmt = readString(f);
          int names = f.readUnsignedShortLE();
          List<String> decodedNames = new ArrayList<>(names);
          for (int i = 0; i < names; i++) decodedNames.add(readString(f));
          int features = f.readableBytes() >= 2 ? f.readUnsignedShortLE() : 0; // absent from servers before credit mode
          yield new RigMessage.Handshake(v, session, mono, epoch, nIn, nOut, fac, dec, tEnc, tRec, bin, rate, maxFrame,
              queue, sn, st, sid, be, mode, model, fmt, List.copyOf(decodedNames), maxAge, features);
        }
        case Protocol.SUBSCRIBE -> {
          int streams = f.readUnsignedByte();
          int flags = f.readUnsignedByte();
          int decimation = f.readUnsignedShortLE();
          if ((flags & ~Protocol.SUBSCRIBE_FLAGS) != 0) {
            throw new BadBody("SUBSCRIBE: flags 0x" + Integer.toHexString(flags) + " has bits other than 0x"
                + Integer.toHexString(Protocol.SUBSCRIBE_FLAGS));
          }
          if (streams == 0 || (streams & ~Protocol.STREAM_ALL) != 0) {
            throw new BadBody("SUBSCRIBE: streams mask 0x" + Integer.toHexString(streams) + " must be a non-empty subset of 0x7");
          }
          if (decimation < 1) throw new BadBody("SUBSCRIBE: decimation must be >= 1, got " + decimation);
          if ((flags & Protocol.SUBSCRIBE_CREDIT) != 0 && (flags & Protocol.SUBSCRIBE_DISCONNECT_ON_OVERFLOW) != 0) {
            throw new BadBody("SUBSCRIBE: flags 0x" + Integer.toHexString(flags) + ": credit mode (2) and disconnect-on-overflow"
                + " (1) exclude each other (a credit-mode client is skipped whenever it holds no credit)");
          }
          yield new RigMessage.Subscribe(streams, decimation, flags);
        }
        case Protocol.CREDIT -> {
          long grant = f.readUnsignedIntLE();
          if (grant < 1 || grant > Protocol.MAX_CREDIT) {
            throw new BadBody("CREDIT: grant " + grant + " is outside 1.." + Protocol.MAX_CREDIT + "; ignored");
          }
          yield RigMessage.Credit.of(grant);
        }
        case Protocol.RESULT -> {
          long seq = f.readLongLE(), bin = f.readLongLE(), ts = f.readLongLE(), ta = f.readLongLE(),
              tbs = f.readLongLE(), tbd = f.readLongLE(), te = f.readLongLE();
          long drops = f.readUnsignedIntLE();
          int flags = f.readUnsignedShortLE();
          int streams = f.readUnsignedByte();
          f.readUnsignedByte();
          int nf = f.readUnsignedShortLE(), nr = f.readUnsignedShortLE(), nd = f.readUnsignedShortLE();
          f.readUnsignedShortLE();
          if (f.readableBytes() != 4 * (nf + nr + nd)) {
            throw new BadBody("RESULT: " + f.readableBytes() + " value bytes for " + (nf + nr + nd) + " floats");
          }
          yield new RigMessage.Result(seq, bin, ts, ta, tbs, tbd, te, drops, flags, streams,
              floats(f, nf), floats(f, nr), floats(f, nd));
        }
        case Protocol.STATUS -> {
          long in = f.readLongLE(), pub = f.readLongLE(), dropped = f.readLongLE(), cd = f.readLongLE();
          int clients = f.readIntLE();
          f.readIntLE();
          long p50 = f.readLongLE(), p99 = f.readLongLE(), max = f.readLongLE();
          double rate = f.readDoubleLE();
          int n = f.readUnsignedShortLE();
          List<RigMessage.DropCount> drops = new ArrayList<>(n);
          for (int i = 0; i < n; i++) drops.add(new RigMessage.DropCount(readString(f), f.readLongLE()));
          List<RigMessage.DropCount> counters = new ArrayList<>();
          int nCounters = f.readUnsignedShortLE(); // server counters
          for (int i = 0; i < nCounters; i++) counters.add(new RigMessage.DropCount(readString(f), f.readLongLE()));
          yield new RigMessage.Status(in, pub, dropped, cd, clients, p50, p99, max, rate, List.copyOf(drops),
              List.copyOf(counters));
        }
        case Protocol.HEARTBEAT -> new RigMessage.Heartbeat(f.readLongLE(), f.readLongLE());
        case Protocol.ERROR -> new RigMessage.Error(f.readUnsignedShortLE(), readString(f));
        case Protocol.NOTICE -> new RigMessage.Notice(f.readUnsignedShortLE(), readString(f));
        case Protocol.CONTROL -> {
          int op = f.readUnsignedShortLE();
          f.readUnsignedShortLE();
          yield new RigMessage.Control(op, readString(f));
        }
        case Protocol.CONTROL_REPLY -> new RigMessage.ControlReply(f.readUnsignedShortLE(), f.readUnsignedShortLE(), readString(f));
        default -> throw new UnknownType();
      };
      if (m == null) return new ProtocolError(Protocol.ERR_MALFORMED, "HELLO: magic is not \"LFRT\"", false);
      if (f.isReadable()) {
        return new ProtocolError(Protocol.ERR_MALFORMED, name + ": " + f.readableBytes() + " unexpected bytes after the body", false);
      }
      return m;
    } catch (UnknownType e) {
      return new ProtocolError(Protocol.ERR_UNKNOWN_TYPE, "unknown message type " + name, false);
    } catch (BadBody e) {
      return new ProtocolError(Protocol.ERR_MALFORMED, e.getMessage(), false);
    } catch (IndexOutOfBoundsException e) {
      return new ProtocolError(Protocol.ERR_MALFORMED, name + ": body truncated (" + (f.capacity() - 4) + " bytes)", false);
    }
  }

  private static float[] floats(ByteBuf f, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = f.readFloatLE();
    return a;
  }

  static String readString(ByteBuf f) throws BadBody {
    int n = f.readUnsignedShortLE();
    if (f.readableBytes() < n) throw new BadBody("string of " + n + " bytes overruns the frame (" + f.readableBytes() + " left)");
    byte[] bytes = new byte[n];
    f.readBytes(bytes);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new BadBody("string is not valid UTF-8");
    }
  }

  static final class BadBody extends Exception {
    BadBody(String message) {
      super(message, null, false, false);
    }
  }

  private static final class UnknownType extends RuntimeException {
    UnknownType() {
      super(null, null, false, false);
    }
  }
}
