package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.source.StreamInfo;

/**
 * The publish spin ({@link RigServer#publishSpinMicros}): whichever way each result meets the event loop (published
 * before the spin task starts, while it spins, after it gave up, or never, a backend fault), every published result
 * reaches the client once, in order.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PublishSpinTest {
  @Test
  void everyResultArrivesOnceInOrderWhateverTheTiming() throws Exception {
    ModelShape shape = new ModelShape(8, 10, 10, 4, 16);
    StreamInfo info = new StreamInfo("t", "SpikeCounts", "test", 8, 1_000_000, StreamInfo.numberedChannels(8));
    // A queue that holds every result and an age bound the run never reaches: this test is about the spin hand-off,
    // the client reads only after everything is published.
    ServerConfig cfg = new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 1 << 20, 4, null, 0,
        ServerLimits.DEFAULTS.withMaxResultAgeMillis(65_535));
    try (RigServer server = new RigServer(cfg, new StreamDescription(info, shape, "test", "online", "m", List.of()),
        new PipelineStats()).publishSpinMicros(500).start();
        TestRigClient c = new TestRigClient(server.port(), 0)) {
      c.hello("spin");
      c.send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1));
      c.readUntil(RigMessage.Status.class);
      BinResult r = new BinResult(4, 16, 0);
      int n = 2000;
      long[] delaysNanos = {0, 50_000, 200_000, 2_000_000}; // published at once, during the spin, after it gave up
      long seq = 0;
      for (int k = 0; k < n; k++) {
        server.resultExpected();
        if (k % 10 == 9) continue; // expected but never published (a backend fault): the spin times out
        long d = delaysNanos[k % delaysNanos.length];
        if (d > 0) LockSupport.parkNanos(d);
        r.seq = seq++;
        r.tSource = System.nanoTime();
        r.factors[0] = seq;
        server.publish(r);
      }
      long expect = seq;
      for (long i = 0; i < expect; i++) {
        Object o;
        do {
          o = c.read();
        } while (!(o instanceof RigMessage.Result));
        RigMessage.Result got = (RigMessage.Result) o;
        assertEquals(i, got.seq(), "results in order, none lost or repeated");
        assertEquals(i + 1, got.factors()[0], 0f);
        assertEquals(0, got.clientDrops());
      }
    }
  }

  @Test
  void negativeSpinIsRefused() {
    ModelShape shape = new ModelShape(8, 10, 10, 4, 16);
    StreamInfo info = new StreamInfo("t", "SpikeCounts", "test", 8, 1_000_000, StreamInfo.numberedChannels(8));
    RigServer server = new RigServer(ServerConfig.loopback(0), new StreamDescription(info, shape, "test", "online", "m", List.of()),
        new PipelineStats());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.publishSpinMicros(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }
}
