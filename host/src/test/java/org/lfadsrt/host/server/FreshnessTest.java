package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;
import static org.lfadsrt.host.server.TestClockServer.MS;
import static org.lfadsrt.host.server.TestClockServer.MAX_AGE_MS;
import static org.lfadsrt.host.server.TestClockServer.SHAPE;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.metrics.ServerStats;
import org.lfadsrt.host.pipeline.BinResult;

/**
 * The freshness contract (docs/protocol.md "Slow clients and freshness"), on a clock the test moves: a client
 * that stops reading loses results (counted, visible as a seq gap of exactly that size), and when it reads again,
 * everything after what its kernel buffers already held is at most the maximum age old; a client that reads
 * along is not affected; a client that asked for disconnect-on-overflow is disconnected instead.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FreshnessTest {
  static TestRigClient subscribed(TestClockServer ts, int receiveBuffer, int flags) throws IOException {
    TestRigClient c = new TestRigClient(ts.port(), receiveBuffer);
    RigMessage.Handshake h = c.hello("fresh");
    assertEquals(MAX_AGE_MS, h.maxResultAgeMillis(), "HANDSHAKE carries the maximum result age");
    c.send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1, flags));
    c.readUntil(RigMessage.Status.class);
    return c;
  }

  static long drops(TestClockServer ts) {
    return ts.server.clientCounters().stream().mapToLong(c -> c[2]).max().orElse(0);
  }

  /** Results the server has written to the client with the most drops (the stalled one). */
  static long stalledSent(TestClockServer ts) {
    return ts.server.clientCounters().stream().max(java.util.Comparator.comparingLong(c -> c[2])).map(c -> c[1])
        .orElse(0L);
  }

  @Test
  void aStalledClientReadsOnlyWhatItsKernelBuffersHeldThenFreshResults() throws Exception {
    try (TestClockServer ts = new TestClockServer();
        TestRigClient reader = subscribed(ts, 0, 0);
        TestRigClient stalled = subscribed(ts, 4096, 0)) {
      BinResult r = new BinResult(4, 16, 0);
      long seq = 0;
      // the stalled client reads nothing until the server's own counters show results dropped for it ...
      while (drops(ts) == 0) {
        assertTrue(seq < 1_000_000, "no drop after a million results");
        ts.publish(r, seq++, reader);
      }
      // ... and until the server has handed it nothing more for 50 results in a row: its kernel buffers are full and
      // its queue holds results that will be stale. (A first drop can come while loopback TCP is still moving the
      // server's send buffer into the client's receive buffer, which then takes more, the queue drains and the last
      // results go out before the clock moves: CI saw that once on a loaded machine.)
      long sent = stalledSent(ts);
      for (int unchanged = 0; unchanged < 50; ) {
        assertTrue(seq < 1_000_000, "the stalled client's sends never stopped");
        ts.publish(r, seq++, reader);
        long now = stalledSent(ts);
        unchanged = now == sent ? unchanged + 1 : 0;
        sent = now;
      }
      // ... then 30 s pass (on the server's clock) and one more result is made
      ts.advance(30_000 * MS);
      long fresh = seq;
      ts.publish(r, seq++, reader);

      List<RigMessage.Result> got = new ArrayList<>();
      RigMessage.Result last;
      do {
        last = stalled.readUntil(RigMessage.Result.class);
        got.add(last);
      } while (last.seq() != fresh);

      // Everything before the fresh result was already in the kernel's buffers (server send buffer, client receive
      // buffer) or Netty's outbound buffer (its high-water mark plus the frame that crossed it) when the client
      // stopped: that much, and no more, is old.
      int frameBytes = ResultFlyweight.frameBytes(Protocol.STREAM_ALL, SHAPE.facDim(), SHAPE.nOut(), 0);
      // (Linux doubles a requested SO_RCVBUF; what Java reads back may be the request, so count it twice.)
      long kernelBound = ts.server.actualSendBuffer() + 2L * stalled.socket.getReceiveBufferSize() + ts.server.writeHighWaterMark()
          + frameBytes;
      List<RigMessage.Result> old = got.subList(0, got.size() - 1);
      assertTrue(old.size() * (long) frameBytes <= kernelBound, old.size() + " old results (" + old.size() * frameBytes
          + " bytes) read first: more than the kernel and Netty buffers hold (" + kernelBound + " bytes)");
      for (RigMessage.Result o : old) assertTrue(o.seq() < fresh - 1, "the results it missed are a gap before the fresh one");
      System.out.println("FreshnessTest: after the stall the client read " + old.size() + " old results (" + old.size() * frameBytes
          + " bytes; bound " + kernelBound + ": server SO_SNDBUF " + ts.server.actualSendBuffer() + ", client SO_RCVBUF "
          + stalled.socket.getReceiveBufferSize() + "), then the fresh one, " + last.clientDrops() + " dropped for it");
      // the gap before the fresh result is exactly the increase of client_drops
      RigMessage.Result before = old.isEmpty() ? null : old.get(old.size() - 1);
      long gap = before == null ? fresh : fresh - before.seq() - 1;
      long dropsBefore = before == null ? 0 : before.clientDrops();
      assertTrue(gap > 0);
      assertEquals(gap, last.clientDrops() - dropsBefore, "seq gap = client_drops increase");
      assertEquals(drops(ts), last.clientDrops(), "every drop of this client is in the fresh result's client_drops");
      for (int i = 1; i < old.size(); i++) {
        assertEquals(old.get(i).seq() - old.get(i - 1).seq() - 1, old.get(i).clientDrops() - old.get(i - 1).clientDrops());
      }
      assertTrue(ts.server.serverStats().get(ServerStats.Counter.STALE_DROPS) > 0, "results older than the age bound were skipped");
      assertEquals(last.clientDrops(), ts.server.stats().clientDrops(), "the reading client lost nothing");

      // and it keeps up again: the next result comes at once, nothing more dropped
      ts.publish(r, seq, reader);
      RigMessage.Result next = stalled.readUntil(RigMessage.Result.class);
      assertEquals(seq, next.seq());
      assertEquals(last.clientDrops(), next.clientDrops());
    }
  }

  @Test
  void aClientThatChoseDisconnectOnOverflowIsDisconnectedInsteadOfLosingResults() throws Exception {
    try (TestClockServer ts = new TestClockServer();
        TestRigClient reader = subscribed(ts, 0, 0);
        TestRigClient strict = subscribed(ts, 4096, Protocol.SUBSCRIBE_DISCONNECT_ON_OVERFLOW)) {
      BinResult r = new BinResult(4, 16, 0);
      long seq = 0;
      while (ts.server.serverStats().get(ServerStats.Counter.OVERFLOW_DISCONNECTS) == 0) {
        assertTrue(seq < 1_000_000, "no disconnect after a million results");
        ts.publish(r, seq++, reader);
      }
      long previous = -1;
      try {
        while (true) {
          Object o = strict.read();
          if (o instanceof RigMessage.Result res) {
            assertEquals(previous + 1, res.seq(), "no gap: the client is closed rather than skipped");
            assertEquals(0, res.clientDrops());
            previous = res.seq();
          }
        }
      } catch (EOFException | java.net.SocketException closed) {
        // the server closed the connection
      }
      assertEquals(0, ts.server.stats().clientDrops(), "nothing was dropped for anybody");
      ts.publish(r, seq, reader); // the other client carries on
      assertTrue(ts.log.stream().anyMatch(l -> l.contains("disconnect-on-overflow")), ts.log.toString());
    }
  }
}
