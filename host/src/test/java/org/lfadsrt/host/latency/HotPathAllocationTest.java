package org.lfadsrt.host.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.pipeline.HotPathLoop;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.RigServer;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.server.StreamDescription;
import org.lfadsrt.host.source.SyntheticSource;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The publish path allocates nothing per bin: source → pipeline → software backend → rig server → 4
 * connected loopback clients, driven by the hot-path loop on this thread (unpaced). After a warm-up, the
 * bytes this thread allocates over 20,000 bins (ThreadMXBean.getThreadAllocatedBytes, a count, not a
 * timing) must stay below 1 byte per bin; the worker event loop that writes the frames to the 4 sockets
 * is held to a small bound per frame.
 */
class HotPathAllocationTest {
  private static final int BINS = 20_000;
  private static final int CLIENTS = 4;

  @Test
  void publishPathAllocatesNothingPerBin() throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemorySupported(), "JVM cannot count allocated bytes per thread");
    threads.setThreadAllocatedMemoryEnabled(true);
    // Small enough that the unpaced loop is not dominated by compute; the path is the same for every size.
    var model = RandomModels.demo(new LfadsConfig(11, 6, 8, 13, 7, 0, 0, 0, 0, 5, 9, 3, 5.0), 3);
    PipelineStats stats = new PipelineStats();
    List<LoopbackClient> clients = new ArrayList<>();
    try (InferenceBackend backend = Backends.create("software", model);
        SyntheticSource source = new SyntheticSource(backend.shape().nIn(), 1_000_000, false, 1, -1, 0)) {
      RigServer server = new RigServer(new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 1 << 20, 16, null, 0,
          org.lfadsrt.host.server.ServerLimits.DEFAULTS.withMaxResultAgeMillis(65_535)),
          new StreamDescription(source.info(), backend.shape(), "software", "online", "test", List.of()), stats).start();
      try {
        for (int i = 0; i < CLIENTS; i++) clients.add(new LoopbackClient(i, server.port()));
        for (LoopbackClient c : clients) c.start();
        Pipeline pipeline = new Pipeline(backend, Mode.ONLINE, null, server, stats);
        long eventLoop = server.workerThread().getId();
        long self = Thread.currentThread().getId();

        for (int round = 0; round < 3; round++) new HotPathLoop(source, pipeline, BINS, -1).run(); // JIT warm-up
        HotPathLoop measured = new HotPathLoop(source, pipeline, BINS, -1);
        long sent0 = sent(server);
        long hot0 = threads.getThreadAllocatedBytes(self);
        long loop0 = threads.getThreadAllocatedBytes(eventLoop);
        measured.run();
        long hotBytes = threads.getThreadAllocatedBytes(self) - hot0;
        long sent = sent(server) - sent0;
        for (int i = 0; i < CLIENTS; i++) clients.get(i).awaitReceived(server.clientCounters().get(i)[1], 10_000);
        long loopBytes = threads.getThreadAllocatedBytes(eventLoop) - loop0;

        assertEquals(BINS, measured.bins());
        double perBin = (double) hotBytes / BINS;
        double perFrame = sent == 0 ? Double.NaN : (double) loopBytes / sent;
        System.out.printf(java.util.Locale.ROOT,
            "HotPathAllocationTest: hot path %d bytes over %d bins (%.3f B/bin); event loop %d bytes over %d frames (%.2f B/frame)%n",
            hotBytes, BINS, perBin, loopBytes, sent, perFrame);
        // Unpaced, the clients may fall behind and lose results (the drop path must not allocate either),
        // but the write path must have carried a good share of the frames.
        assertTrue(sent >= BINS / 2, "the clients were sent only " + sent + " frames of " + CLIENTS * BINS
            + ": the write path was hardly exercised");
        assertTrue(perBin < 1.0, "hot-path thread allocated " + hotBytes + " bytes over " + BINS + " bins");
        assertTrue(perFrame < 64, "event loop allocated " + loopBytes + " bytes over " + sent + " frames");
      } finally {
        for (LoopbackClient c : clients) c.close();
        server.close();
      }
    }
  }

  private static long sent(RigServer server) {
    long s = 0;
    for (long[] c : server.clientCounters()) s += c[1];
    return s;
  }
}
