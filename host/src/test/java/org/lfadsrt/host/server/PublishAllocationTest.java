package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.source.StreamInfo;

/**
 * Bytes the hot-path thread allocates in {@link RigServer#publish} per result with two binary clients
 * connected. Pooled buffers and Netty's recycled write tasks should leave (almost) nothing per result.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PublishAllocationTest {
  // Tests run with Netty's paranoid leak detector (issue 8), which records a stack trace per buffer;
  // allocation is measured as production runs it, with the detector off.
  private io.netty.util.ResourceLeakDetector.Level savedLeakLevel;

  @org.junit.jupiter.api.BeforeEach
  void leakDetectorOff() {
    savedLeakLevel = io.netty.util.ResourceLeakDetector.getLevel();
    io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
  }

  @org.junit.jupiter.api.AfterEach
  void leakDetectorBack() {
    io.netty.util.ResourceLeakDetector.setLevel(savedLeakLevel);
  }


  @Test
  void publishingToClientsAllocatesAlmostNothingPerResult() throws Exception {
    ModelShape shape = new ModelShape(8, 10, 10, 4, 16);
    StreamInfo info = new StreamInfo("t", "SpikeCounts", "test", 8, 1_000_000, StreamInfo.numberedChannels(8));
    try (RigServer server = new RigServer(ServerConfig.loopback(0), new StreamDescription(info, shape, "test", "online", "m", List.of()),
        new PipelineStats()).start();
        TestRigClient a = new TestRigClient(server.port(), 0);
        TestRigClient b = new TestRigClient(server.port(), 0)) {
      for (TestRigClient c : List.of(a, b)) {
        c.hello("alloc");
        c.send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1));
        c.readUntil(RigMessage.Status.class);
      }
      AtomicLong received = new AtomicLong();
      Thread[] readers = new Thread[2];
      int i = 0;
      for (TestRigClient c : List.of(a, b)) {
        readers[i++] = new Thread(() -> {
          try {
            while (true) if (c.read() instanceof RigMessage.Result) received.incrementAndGet();
          } catch (Exception e) {
            // closed at the end of the test
          }
        });
      }
      for (Thread t : readers) t.start();
      BinResult r = new BinResult(4, 16, 0);
      for (int k = 0; k < 20_000; k++) publishPaced(server, r, k); // warm-up: JIT, pools, recyclers
      var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long tid = Thread.currentThread().getId();
      long before = mx.getThreadAllocatedBytes(tid);
      int n = 5_000;
      for (int k = 0; k < n; k++) publishPaced(server, r, 20_000 + k);
      long perResult = (mx.getThreadAllocatedBytes(tid) - before) / n;
      System.out.println("publish allocates " + perResult + " bytes per result (2 clients)");
      assertTrue(perResult <= 64, "publish allocates " + perResult + " bytes per result with 2 clients");
    }
  }

  private static void publishPaced(RigServer server, BinResult r, long seq) throws InterruptedException {
    r.seq = seq;
    r.tSource = System.nanoTime();
    server.publish(r);
    if (seq % 256 == 0) Thread.sleep(1); // let the clients drain so nothing is dropped for them
  }
}
