package org.lfadsrt.host.source;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TCP ingest source against hand-built frames: counts, spike events binned on the acquisition clock, markers, bad frames. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpIngestSourceTest {
  static final long W = 10_000_000L; // 10 ms bins
  TcpIngestSource src;
  final ExecutorService pool = Executors.newSingleThreadExecutor();

  @BeforeEach
  void open() throws Exception {
    src = new TcpIngestSource("127.0.0.1", 0, 3, W);
  }

  @AfterEach
  void close() {
    src.close();
    pool.shutdownNow();
  }

  static byte[] frame(int type, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(4 + body.length).put((byte) type).put((byte) 1).putShort((short) 0).put(body);
    return b.array();
  }

  static byte[] counts(long t, int... c) {
    ByteBuffer b = ByteBuffer.allocate(10 + 2 * c.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(t).putShort((short) c.length);
    for (int v : c) b.putShort((short) v);
    return frame(IngestProtocol.BIN_COUNTS, b.array());
  }

  static byte[] events(long[][] ev) {
    ByteBuffer b = ByteBuffer.allocate(2 + 10 * ev.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) ev.length);
    for (long[] e : ev) b.putShort((short) e[0]).putLong(e[1]);
    return frame(IngestProtocol.SPIKE_EVENTS, b.array());
  }

  static byte[] tick(long t) {
    return frame(IngestProtocol.TICK, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(t).array());
  }

  /** Reads events from the source on another thread (next() blocks, as on the hot path). */
  int next(int[] c) throws Exception {
    Future<Integer> f = pool.submit(() -> src.next(c));
    return f.get(60, TimeUnit.SECONDS);
  }

  @Test
  void binnedCountsSpikeEventsTicksAndTrialMarkers() throws Exception {
    try (Socket s = new Socket("127.0.0.1", src.port())) {
      OutputStream out = s.getOutputStream();
      int[] c = new int[3];
      out.write(frame(IngestProtocol.TRIAL_START, new byte[0]));
      out.write(counts(0, 1, 2, 300));
      out.flush();
      assertEquals(SpikeSource.BIN | SpikeSource.TRIAL_START, next(c));
      assertArrayEquals(new int[] {1, 2, 300}, c);
      assertEquals(0, src.binIndex());
      // events: bin [t0, t0+10ms) gets ch0 twice and ch2 once; a 25 ms event closes that bin and an empty one
      long t0 = 5_000_000_000L;
      out.write(events(new long[][] {{0, t0}, {2, t0 + 3_000_000}, {0, t0 + 9_999_999}, {1, t0 + 25_000_000}}));
      out.flush();
      assertEquals(SpikeSource.BIN, next(c));
      assertArrayEquals(new int[] {2, 0, 1}, c);
      assertEquals(SpikeSource.BIN, next(c));
      assertArrayEquals(new int[] {0, 0, 0}, c, "an empty bin between events");
      out.write(tick(t0 + 30_000_000));
      out.write(frame(IngestProtocol.TRIAL_END, new byte[0]));
      out.flush();
      assertEquals(SpikeSource.BIN, next(c));
      assertArrayEquals(new int[] {0, 1, 0}, c, "the tick closes the bin holding the 25 ms event");
      assertEquals(SpikeSource.TRIAL_END, next(c));
      assertEquals(3, src.binIndex());
      out.write(frame(IngestProtocol.END_OF_STREAM, new byte[0]));
      out.flush();
      assertEquals(SpikeSource.END_OF_STREAM, next(c));
    }
  }

  @Test
  void badFramesAreAnsweredWithAnErrorAndTheNextConnectionWorks() throws Exception {
    int[] c = new int[3];
    String[] wants = {"BIN_COUNTS: 2 channels, the stream has 3", "unknown ingest frame type 0x99",
        "frame length 2000000 exceeds maximum", "SPIKE_EVENTS: channel 7 >= channel count 3", "version 9 unsupported"};
    byte[] badVersion = counts(0, 1, 2, 3);
    badVersion[5] = 9;
    byte[][] bad = {counts(0, 1, 2), frame(0x99, new byte[0]),
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(2_000_000).putInt(0).array(),
        events(new long[][] {{7, 0}, {7, 20_000_000}}), badVersion};
    Future<Integer> pending = pool.submit(() -> src.next(c));
    for (int i = 0; i < bad.length; i++) {
      try (Socket s = new Socket("127.0.0.1", src.port())) {
        s.setSoTimeout(60_000);
        s.getOutputStream().write(bad[i]);
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        int len = Integer.reverseBytes(in.readInt());
        byte[] body = new byte[len];
        in.readFully(body);
        assertEquals(IngestProtocol.ERROR, body[0] & 0xFF);
        String msg = new String(body, 8, body.length - 8, StandardCharsets.UTF_8);
        assertTrue(msg.contains(wants[i]), "got: " + msg);
        assertEquals(-1, in.read(), "the host closes the connection after an error");
      }
    }
    assertEquals(bad.length, src.malformedFrames());
    try (Socket s = new Socket("127.0.0.1", src.port())) {
      s.getOutputStream().write(counts(0, 4, 5, 6));
      s.getOutputStream().flush();
      assertEquals(SpikeSource.BIN, pending.get(60, TimeUnit.SECONDS));
      assertArrayEquals(new int[] {4, 5, 6}, c);
    }
  }
}
