package org.lfadsrt.host.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.HotPathLoop;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.source.IngestProtocol;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.TcpIngestSource;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/** A source that stalls, or whose clock jumps: the stream goes on, every bin is accounted, gaps show in bin indices. */
@Timeout(300) // a hang guard, generous for a loaded machine
class SourceFaultTest {
  static final int CH = 4;
  static final long W = 1_000_000; // 1 ms bins
  static final LfadsModel MODEL = RandomModels.demo(new LfadsConfig(CH, 4, 4, 5, 6, 0, 1, 0, 0, 3, 6, 2, 5.0), 2);

  static byte[] tick(long t) {
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(12).put((byte) IngestProtocol.TICK).put((byte) 1)
        .putShort((short) 0).putLong(t).array();
  }

  static byte[] spike(int ch, long t) {
    return ByteBuffer.allocate(4 + 4 + 2 + 10).order(ByteOrder.LITTLE_ENDIAN).putInt(16).put((byte) IngestProtocol.SPIKE_EVENTS)
        .put((byte) 1).putShort((short) 0).putShort((short) 1).putShort((short) ch).putLong(t).array();
  }

  static byte[] binCounts(long t, int c) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 10 + 2 * CH).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(b.capacity() - 4).put((byte) IngestProtocol.BIN_COUNTS).put((byte) 1).putShort((short) 0).putLong(t).putShort((short) CH);
    for (int i = 0; i < CH; i++) b.putShort((short) c);
    return b.array();
  }

  @Test
  void aForwardClockJumpOfAnHourIsOneGapNotThreeMillionEmptyBins() throws Exception {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(spike(0, 0));
    s.writeBytes(spike(1, 1_500_000)); // closes bin 0
    s.writeBytes(spike(2, 2_500_000)); // closes bin 1
    long hour = 3_600_000_000_000L;
    s.writeBytes(spike(3, hour + 2_200_000)); // clock steps an hour ahead: closes bin 2, then re-anchors
    s.writeBytes(tick(hour + 3_100_000)); // closes the bin holding the spike after the jump
    s.writeBytes(spike(1, hour + 3_500_000)); // a later spike, one bin after
    s.writeBytes(tick(hour + 4_100_000));
    byte[] bytes = s.toByteArray();
    final boolean[] given = {false};
    TcpIngestSource src = TcpIngestSource.overStreams(() -> {
      if (given[0]) return null;
      given[0] = true;
      return new ByteArrayInputStream(bytes);
    }, CH, W);
    List<Long> indices = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    int[] c = new int[CH];
    int f;
    while ((f = src.next(c)) != SpikeSource.END_OF_STREAM) {
      if ((f & SpikeSource.BIN) != 0) {
        indices.add(src.binIndex());
        counts.add(c.clone());
      }
      assertTrue(indices.size() < 100, "no flood of empty bins");
    }
    assertEquals(1, src.clockJumps());
    long jumpedTo = hour / W + 2; // bin k covers [k W, (k+1) W) of the acquisition clock
    assertEquals(List.of(0L, 1L, 2L, jumpedTo, jumpedTo + 1), indices, "indices jump with the clock");
    assertArrayEquals(new int[] {1, 0, 0, 0}, counts.get(0));
    assertArrayEquals(new int[] {0, 1, 0, 0}, counts.get(1));
    assertArrayEquals(new int[] {0, 0, 1, 0}, counts.get(2));
    assertArrayEquals(new int[] {0, 0, 0, 1}, counts.get(3), "the spike after the jump is in the first bin after it");
    assertArrayEquals(new int[] {0, 1, 0, 0}, counts.get(4));
  }

  @Test
  void aSmallClockJumpStillEmitsTheEmptyBins() throws Exception {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(spike(0, 0));
    s.writeBytes(tick(50 * W + 10)); // 50 bins later: below the discontinuity limit, real empty bins
    byte[] bytes = s.toByteArray();
    final boolean[] given = {false};
    TcpIngestSource src = TcpIngestSource.overStreams(() -> {
      if (given[0]) return null;
      given[0] = true;
      return new ByteArrayInputStream(bytes);
    }, CH, W);
    int[] c = new int[CH];
    int bins = 0;
    while (src.next(c) != SpikeSource.END_OF_STREAM) bins++;
    assertEquals(50, bins);
    assertEquals(0, src.clockJumps());
  }

  @Test
  void anAcquisitionThatStallsResumesWithoutLossOrFalseLateDrops() throws Exception {
    TcpIngestSource src = new TcpIngestSource("127.0.0.1", 0, CH, W);
    PipelineStats stats = new PipelineStats();
    List<long[]> got = new ArrayList<>();
    Pipeline p = new Pipeline(new FloatBackend(MODEL), Mode.ONLINE, null, (BinResult r) -> got.add(new long[] {r.seq, r.binIndex}),
        stats).lateAfter(100_000_000L);
    HotPathLoop loop = new HotPathLoop(src, p, -1, -1);
    Thread hot = new Thread(loop);
    hot.start();
    try (Socket s = new Socket("127.0.0.1", src.port())) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 100; i++) out.write(binCounts((i + 1) * W, i % 3));
      out.flush();
      Thread.sleep(700); // the acquisition system stalls for 0.7 s
      for (int i = 100; i < 200; i++) out.write(binCounts((i + 1) * W, i % 3));
      out.write(new byte[] {4, 0, 0, 0, (byte) IngestProtocol.END_OF_STREAM, 1, 0, 0});
      out.flush();
      hot.join(120_000);
    } finally {
      loop.stop();
      src.close();
    }
    assertNull(loop.failure());
    assertEquals(200, stats.binsIn());
    assertEquals(200, stats.publishedCount(), "a stall upstream makes no bin late: lateness counts from arrival");
    for (int i = 0; i < 200; i++) assertArrayEquals(new long[] {i, i}, got.get(i));
  }
}
