package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.Stage;
import org.lfadsrt.host.source.SpikeSource;

class SocketWriteTimestampsTest {

  private static ByteBuf frame(long tSource, long tStart, long tDone, long tEncode) {
    BinResult r = new BinResult(2, 3, 0);
    r.tSource = tSource;
    r.tAccept = tSource + 1;
    r.tBackendStart = tStart;
    r.tBackendDone = tDone;
    ByteBuf b = Unpooled.buffer();
    ResultFlyweight.encode(b, r, Protocol.STREAM_ALL, 0, tEncode);
    return b;
  }

  @Test
  void recordsEachResultFrameOnceWrittenAndIgnoresOtherFrames() {
    PipelineStats stats = new PipelineStats();
    EmbeddedChannel ch = new EmbeddedChannel(new SocketWriteTimestamps(stats));
    long t0 = System.nanoTime() - 5_000_000; // source 5 ms ago
    long start = t0 + 1_000_000, done = start + 2_000_000, enc = done + 300_000;
    ch.write(frame(t0, start, done, enc));
    ByteBuf notResult = Unpooled.buffer();
    notResult.writeIntLE(100).writeByte(Protocol.STATUS).writeZero(100);
    ch.write(notResult);
    stats.sample();
    assertEquals(0, stats.total(Stage.TO_SOCKET).getTotalCount(), "nothing recorded before the flush");
    long before = System.nanoTime();
    ch.flush();
    long after = System.nanoTime();
    stats.sample();
    assertEquals(1, stats.total(Stage.ENCODE).getTotalCount());
    assertEquals(300_000, stats.total(Stage.ENCODE).getMaxValue(), 300);
    Histogram toSocket = stats.total(Stage.TO_SOCKET);
    assertEquals(1, toSocket.getTotalCount());
    long lo = before - t0, hi = after - t0;
    assertTrue(toSocket.getMaxValue() >= lo * 0.999 && toSocket.getMinValue() <= hi * 1.001, "t5 - t0 within the flush");
    Histogram overhead = stats.total(Stage.HOST_OVERHEAD);
    assertEquals(toSocket.getMaxValue() - 2_000_000, overhead.getMaxValue(), toSocket.getMaxValue() / 500.0, "minus compute");
    assertEquals(toSocket.getMaxValue() - (enc - t0), stats.total(Stage.SOCKET_WRITE).getMaxValue(),
        toSocket.getMaxValue() / 500.0, "t5 - t4");
    ch.finishAndReleaseAll();
  }

  @Test
  void pipelineRecordsDeviceTimeFromTheBackendsCycleCounter() {
    ModelShape shape = new ModelShape(2, 3, 3, 1, 2);
    InferenceBackend counting = new InferenceBackend() {
      @Override public String name() { return "counting"; }
      @Override public ModelShape shape() { return shape; }
      @Override public void infer(InferenceBatch batch) throws BackendException {}
      @Override public long lastDeviceCycles() { return 4_500; } // 15 us at 300 MHz
      @Override public void close() {}
    };
    PipelineStats stats = new PipelineStats();
    Pipeline p = new Pipeline(counting, Mode.ONLINE, null, r -> {}, stats);
    for (int i = 0; i < 5; i++) p.onEvent(SpikeSource.BIN, new int[] {1, 0}, i, System.nanoTime());
    stats.sample();
    Histogram device = stats.total(Stage.DEVICE);
    assertEquals(5, device.getTotalCount());
    assertEquals(15_000, device.getValueAtPercentile(50), 15);
  }
}
