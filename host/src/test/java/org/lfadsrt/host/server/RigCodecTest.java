package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.pipeline.BinResult;

/** Every rig message through the real encoder and decoder, and every malformed variant the decoder rejects. */
class RigCodecTest {

  static final List<RigMessage> SAMPLES = List.of(
      new RigMessage.Hello(1, 3, "matlab-rig-2", "s3cret"),
      new RigMessage.Handshake(1, 42L, 123456789L, 1_700_000_000_000_000_000L, 70, 70, 4, 2, 73, 73, 10_000_000L,
          100.0, 1 << 20, 65536, "lfads-rt:lorenz", "LatentFactors", "lorenz:seed=1", "float", "online", "demo",
          "float32", List.of("vx", "vy"), 250, Protocol.FEATURES),
      new RigMessage.Subscribe(Protocol.STREAM_FACTORS | Protocol.STREAM_DECODED, 5),
      new RigMessage.Subscribe(Protocol.STREAM_FACTORS, 1, Protocol.SUBSCRIBE_CREDIT),
      RigMessage.Credit.of(Protocol.MAX_CREDIT),
      new RigMessage.Status(1000, 990, 10, 3, 2, 45_000, 120_000, 900_000, 999.5,
          List.of(new RigMessage.DropCount("late", 4), new RigMessage.DropCount("backend_fault", 6))),
      new RigMessage.Heartbeat(111, 222),
      new RigMessage.Error(Protocol.ERR_MALFORMED, "SUBSCRIBE: bad mask \u00b5"));

  private static ByteBuf encode(RigMessage m) {
    ByteBuf b = Unpooled.buffer();
    RigEncoder.write(m, b);
    return b;
  }

  private static Object decodeOne(ByteBuf frame) {
    EmbeddedChannel ch = new EmbeddedChannel(new RigDecoder(Protocol.DEFAULT_MAX_SERVER_FRAME));
    ch.writeInbound(frame);
    Object o = ch.readInbound();
    assertNull(ch.readInbound(), "exactly one decoded object per frame");
    ch.finishAndReleaseAll();
    return o;
  }

  @Test
  void everyControlMessageRoundTrips() {
    for (RigMessage m : SAMPLES) {
      EmbeddedChannel out = new EmbeddedChannel(new RigEncoder());
      assertTrue(out.writeOutbound(m));
      ByteBuf wire = out.readOutbound();
      assertEquals(wire.readableBytes() - 4, wire.getIntLE(0), "length field counts the bytes after it");
      assertEquals(m.type(), wire.getUnsignedByte(4));
      assertEquals(Protocol.VERSION, wire.getUnsignedByte(5));
      assertEquals(m, decodeOne(wire), Protocol.typeName(m.type()));
      out.finishAndReleaseAll();
    }
  }

  @Test
  void resultFlyweightMatchesTheDecoderAndByteTable() {
    BinResult r = new BinResult(3, 4, 2);
    r.seq = 7;
    r.binIndex = 1234567890123L;
    r.tSource = 10;
    r.tAccept = 20;
    r.tBackendStart = 30;
    r.tBackendDone = 40;
    r.flags = BinResult.FLAG_WINDOW_PARTIAL;
    for (int i = 0; i < 3; i++) r.factors[i] = i + 0.5f;
    for (int i = 0; i < 4; i++) r.rates[i] = 10 + i;
    r.decoded[0] = -1.25f;
    r.decoded[1] = 2.5f;
    ByteBuf b = Unpooled.buffer();
    int size = ResultFlyweight.encode(b, r, Protocol.STREAM_FACTORS | Protocol.STREAM_DECODED, 9, 50);
    assertEquals(80 + 4 * 5, size);
    assertEquals(size, b.readableBytes());
    // spot-check the byte table of docs/protocol.md by raw offsets
    assertEquals(size - 4, b.getIntLE(0));
    assertEquals(0x10, b.getByte(4));
    assertEquals(7, b.getLongLE(8));
    assertEquals(1234567890123L, b.getLongLE(16));
    assertEquals(50, b.getLongLE(56));
    assertEquals(9, b.getIntLE(64));
    assertEquals(1, b.getShortLE(68));
    assertEquals(5, b.getByte(70));
    assertEquals(3, b.getShortLE(72));
    assertEquals(0, b.getShortLE(74));
    assertEquals(2, b.getShortLE(76));
    assertEquals(0.5f, b.getFloatLE(80));
    assertEquals(-1.25f, b.getFloatLE(80 + 12));
    ResultFlyweight v = new ResultFlyweight().wrap(b, 0);
    assertEquals(2.5f, v.decoded(1));
    RigMessage.Result d = (RigMessage.Result) decodeOne(b.copy());
    assertEquals(7, d.seq());
    assertEquals(40, d.tBackendDone());
    assertEquals(9, d.clientDrops());
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, d.factors());
    assertEquals(0, d.rates().length);
    assertArrayEquals(new float[] {-1.25f, 2.5f}, d.decoded());
    // the Java record encoder produces the same bytes as the flyweight
    ByteBuf again = encode(d);
    assertEquals(b, again);
  }

  @Test
  void framesSplitAcrossReadsAndBatchedInOneRead() {
    ByteBuf all = Unpooled.buffer();
    for (RigMessage m : SAMPLES) RigEncoder.write(m, all);
    EmbeddedChannel ch = new EmbeddedChannel(new RigDecoder(Protocol.DEFAULT_MAX_SERVER_FRAME));
    while (all.isReadable()) ch.writeInbound(all.readRetainedSlice(Math.min(3, all.readableBytes())));
    for (RigMessage m : SAMPLES) assertEquals(m, ch.readInbound());
    assertNull(ch.readInbound());
    all.release();
    ch.finishAndReleaseAll();
  }

  /** Truncating any message body by one byte gives a MALFORMED error naming the message. */
  @Test
  void everyTruncatedBodyIsMalformed() {
    for (RigMessage m : SAMPLES) {
      ByteBuf full = encode(m);
      int len = full.readableBytes();
      for (int cut = 9; cut < len; cut++) {
        ByteBuf t = full.copy(0, cut);
        t.setIntLE(0, cut - 4);
        Object o = decodeOne(t);
        if (m instanceof RigMessage.Handshake h && cut == len - 2) {
          // without its last field, features, a HANDSHAKE is what servers before credit mode sent: features 0
          assertEquals(new RigMessage.Handshake(h.version(), h.sessionId(), h.serverMonoNanos(), h.serverEpochNanos(), h.nIn(),
              h.nOut(), h.facDim(), h.decodedDim(), h.tEnc(), h.tRec(), h.binWidthNanos(), h.nominalRateHz(),
              h.maxFrameBytes(), h.queueLimitBytes(), h.streamName(), h.streamType(), h.sourceId(), h.backend(), h.mode(),
              h.model(), h.channelFormat(), h.decodedNames(), h.maxResultAgeMillis(), 0), o);
          continue;
        }
        assertInstanceOf(ProtocolError.class, o, Protocol.typeName(m.type()) + " cut at " + cut + " gave " + o);
        ProtocolError e = (ProtocolError) o;
        assertEquals(Protocol.ERR_MALFORMED, e.code(), e.message());
        assertEquals(m.type() == Protocol.HELLO, e.fatal(), "only an error in a HELLO closes the connection: " + e.message());
        assertTrue(e.message().startsWith(Protocol.typeName(m.type())) || e.message().contains("string"), e.message());
      }
    }
  }

  @Test
  void trailingBytesAreMalformed() {
    for (RigMessage m : SAMPLES) {
      ByteBuf b = encode(m);
      b.writeByte(0);
      b.setIntLE(0, b.readableBytes() - 4);
      ProtocolError e = (ProtocolError) decodeOne(b);
      assertEquals(Protocol.ERR_MALFORMED, e.code());
      assertTrue(e.message().contains("unexpected bytes"), e.message());
    }
  }

  @Test
  void unknownTypeAndVersionAreNamed() {
    ByteBuf b = encode(new RigMessage.Heartbeat(1, 2));
    b.setByte(4, 0x55);
    ProtocolError e = (ProtocolError) decodeOne(b);
    assertEquals(Protocol.ERR_UNKNOWN_TYPE, e.code());
    assertTrue(e.message().contains("0x55"));
    ByteBuf v = encode(new RigMessage.Heartbeat(1, 2));
    v.setByte(5, 2);
    e = (ProtocolError) decodeOne(v);
    assertEquals(Protocol.ERR_UNSUPPORTED_VERSION, e.code());
    assertTrue(e.message().startsWith("HEARTBEAT: protocol version 2"), e.message());
  }

  @Test
  void oversizedAndUndersizedLengthsAreFatalAndDiscardTheRest() {
    EmbeddedChannel ch = new EmbeddedChannel(new RigDecoder(Protocol.MAX_CLIENT_FRAME));
    ByteBuf b = Unpooled.buffer();
    b.writeIntLE(Protocol.MAX_CLIENT_FRAME + 1);
    b.writeZero(16);
    RigEncoder.write(new RigMessage.Heartbeat(1, 2), b); // lost: framing cannot be trusted any more
    ch.writeInbound(b);
    ProtocolError e = ch.readInbound();
    assertEquals(Protocol.ERR_FRAME_TOO_LARGE, e.code());
    assertTrue(e.fatal());
    ch.writeInbound(encode(new RigMessage.Heartbeat(3, 4)));
    assertNull(ch.readInbound());
    ch.finishAndReleaseAll();

    ByteBuf small = Unpooled.buffer().writeIntLE(2).writeShort(0);
    ProtocolError s = (ProtocolError) decodeOne(small);
    assertEquals(Protocol.ERR_MALFORMED, s.code());
    assertTrue(s.fatal());
  }

  @Test
  void badFieldValuesAreMalformed() {
    ByteBuf magic = encode(new RigMessage.Hello(1, 1, "x", ""));
    magic.setIntLE(8, 0x12345678);
    assertTrue(((ProtocolError) decodeOne(magic)).message().contains("magic"));

    ByteBuf mask = encode(new RigMessage.Subscribe(1, 1));
    mask.setByte(8, 0x08);
    assertTrue(((ProtocolError) decodeOne(mask)).message().contains("streams mask"));
    ByteBuf zeroMask = encode(new RigMessage.Subscribe(1, 1));
    zeroMask.setByte(8, 0);
    assertEquals(Protocol.ERR_MALFORMED, ((ProtocolError) decodeOne(zeroMask)).code());
    ByteBuf decim = encode(new RigMessage.Subscribe(1, 1));
    decim.setShortLE(10, 0);
    assertTrue(((ProtocolError) decodeOne(decim)).message().contains("decimation"));

    ByteBuf utf = encode(new RigMessage.Error(3, "ab"));
    utf.setByte(utf.writerIndex() - 1, 0xFF);
    assertTrue(((ProtocolError) decodeOne(utf)).message().contains("UTF-8"));

    ByteBuf overrun = encode(new RigMessage.Error(3, "ab"));
    overrun.setShortLE(10, 500);
    assertTrue(((ProtocolError) decodeOne(overrun)).message().contains("overruns"));

    ByteBuf floats = Unpooled.buffer();
    BinResult r = new BinResult(2, 2, 0);
    ResultFlyweight.encode(floats, r, Protocol.STREAM_ALL, 0, 0);
    floats.setShortLE(72, 3);
    assertTrue(((ProtocolError) decodeOne(floats)).message().startsWith("RESULT:"));
  }

  @Test
  void stringsAreUtf8WithLengthPrefix() {
    ByteBuf b = encode(new RigMessage.Error(7, "\u00e9"));
    assertEquals(2, b.getShortLE(10));
    assertEquals("\u00e9", b.toString(12, 2, StandardCharsets.UTF_8));
  }
}
