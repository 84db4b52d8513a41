package org.lfadsrt.host.lab;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.source.SpikeSource;

/**
 * The hot-path side of the lab paths allocates nothing per bin once warm: reading Intan spike chunks and binning
 * them, and sending each result as a UDP datagram and as OSC messages (ThreadMXBean's count of bytes this thread
 * allocated, as HotPathAllocationTest does for the pipeline).
 */
class LabHotPathAllocationTest {
  static final int CHANNELS = 16;
  static final int WARMUP_BINS = 3000;
  static final int BINS = 5000;

  @Test
  void intanInUdpAndOscOutAllocateNothingPerBin() throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemorySupported());
    int chunksPerBin = 10;
    int chunks = (WARMUP_BINS + BINS + 2) * chunksPerBin;
    try (ServerSocket rhx = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DatagramSocket rig = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread emitter = new Thread(() -> {
        try (Socket s = rhx.accept()) {
          OutputStream o = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
          ByteBuffer c = ByteBuffer.allocate(IntanSpikeSource.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
          for (int j = 0; j < chunks; j++) {
            c.clear();
            c.putInt(IntanSpikeSource.MAGIC).put(String.format("A-%03d", j % CHANNELS).getBytes(StandardCharsets.US_ASCII))
                .putInt(30 * j).put((byte) (j % 7 == 0 ? 0x80 : 0x01));
            o.write(c.array());
          }
          o.flush();
          s.getInputStream().read(); // until the reader closes
        } catch (java.io.IOException e) {
          // reader closed
        }
      }, "intan-emitter");
      emitter.setDaemon(true);
      emitter.start();
      // 10 ms bins at 30 kHz = 300 samples = 10 chunks; nobody reads the datagrams (the socket buffer fills: drops too)
      IntanSpikeSource src = IntanSpikeSource.open("127.0.0.1:" + rhx.getLocalPort(), CHANNELS, 10_000_000L);
      try (UdpResultSender udp = new UdpResultSender("127.0.0.1:" + rig.getLocalPort(), 8, CHANNELS, 2);
          OscResultSender osc = new OscResultSender("127.0.0.1:" + rig.getLocalPort(), 8, CHANNELS, 2)) {
        int[] counts = new int[CHANNELS];
        BinResult r = new BinResult(8, CHANNELS, 2);
        for (int k = 0; k < WARMUP_BINS; k++) step(src, counts, r, udp, osc);
        long self = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(self);
        long spikes = 0;
        for (int k = 0; k < BINS; k++) spikes += step(src, counts, r, udp, osc);
        long bytes = threads.getThreadAllocatedBytes(self) - before;
        System.out.printf("LabHotPathAllocationTest: %d bytes over %d bins (%d spikes, %d + %d datagrams sent, %d + %d dropped)%n",
            bytes, BINS, spikes, udp.sent(), osc.sent(), udp.dropped(), osc.dropped());
        assertTrue(spikes > BINS, "spikes were binned");
        assertTrue((double) bytes / BINS < 1.0, "allocated " + bytes + " bytes over " + BINS + " bins");
      } finally {
        src.close();
      }
    }
  }

  private static long step(IntanSpikeSource src, int[] counts, BinResult r, UdpResultSender udp, OscResultSender osc)
      throws Exception {
    assertEquals(SpikeSource.BIN, src.next(counts));
    long n = 0;
    for (int c = 0; c < counts.length; c++) {
      n += counts[c];
      r.rates[c] = counts[c];
    }
    r.seq = src.binIndex();
    r.binIndex = src.binIndex();
    udp.publish(r);
    osc.publish(r);
    return n;
  }
}
