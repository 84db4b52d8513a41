package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-client frame ring: slots come back only when Netty has released them; a full ring drops its oldest
 * unsent frame (or refuses, when that one is with the channel), never blocks; frames older than the maximum
 * age are skipped when the channel takes frames; each written frame's client_drops counts what was missed
 * before it.
 */
class ClientFrameRingTest {
  static final long AGE = 1_000;

  /** Claims a slot for result {@code offer} with t_source {@code tSource}, returns the claim outcome. */
  static int put(ClientFrameRing ring, long offer, long tSource, boolean dropOldest) {
    return put(ring, offer, tSource, dropOldest, new ArrayList<>());
  }

  static int put(ClientFrameRing ring, long offer, long tSource, boolean dropOldest, List<ByteBuf> slots) {
    int outcome = ring.claim(offer, dropOldest);
    if (outcome == ClientFrameRing.FULL) return outcome;
    ByteBuf b = ring.claimed();
    slots.add(b);
    b.writeZero(ResultFlyweight.VALUES_OFFSET);
    b.setLongLE(ResultFlyweight.SEQ_OFFSET, offer);
    b.setLongLE(ResultFlyweight.T_SOURCE_OFFSET, tSource);
    ring.publish();
    return outcome;
  }

  static List<long[]> written(EmbeddedChannel ch) {
    ch.flush();
    List<long[]> out = new ArrayList<>();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      out.add(new long[] {b.getLongLE(ResultFlyweight.SEQ_OFFSET), b.getUnsignedIntLE(ResultFlyweight.CLIENT_DROPS_OFFSET)});
      b.release(); // what Netty does once the bytes reached the socket
    }
    return out;
  }

  @Test
  void slotsAreReusedOnlyAfterTheChannelReleasedThem() {
    ClientFrameRing ring = new ClientFrameRing(100, 400); // 4 slots of 100 bytes
    assertEquals(4, ring.capacity());
    EmbeddedChannel ch = new EmbeddedChannel();
    List<ByteBuf> claimed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      assertEquals(ClientFrameRing.CLAIMED, put(ring, i, 0, false, claimed), "slot " + i + " free");
    }
    assertEquals(ClientFrameRing.FULL, ring.claim(4, false), "all 4 slots published, none written yet: the ring is full");
    assertTrue(ring.drainTo(ch, 0, AGE));
    ch.flush();
    assertEquals(ClientFrameRing.FULL, ring.claim(4, true), "written to the channel, not yet released: nothing to drop");
    ByteBuf first = ch.readOutbound();
    assertSame(claimed.get(0), first, "frames leave in order, as the same buffers");
    first.release();
    assertEquals(ClientFrameRing.CLAIMED, ring.claim(4, false));
    ByteBuf again = ring.claimed();
    assertSame(claimed.get(0), again, "the released slot is the next one handed out");
    assertEquals(0, again.readableBytes(), "cleared for encoding");
    assertEquals(1, again.refCnt(), "the ring's own reference only");
    assertFalse(ring.drainTo(ch, 0, AGE), "nothing new published");
    written(ch);
    ch.finishAndReleaseAll();
  }

  @Test
  void aFullRingDropsItsOldestUnsentFrameAndTheNextWrittenFrameCountsIt() {
    ClientFrameRing ring = new ClientFrameRing(100, 400);
    EmbeddedChannel ch = new EmbeddedChannel();
    for (int i = 0; i < 4; i++) assertEquals(ClientFrameRing.CLAIMED, put(ring, i, 0, true));
    assertEquals(ClientFrameRing.CLAIMED_DROPPING_OLDEST, put(ring, 4, 0, true), "result 0 gives way to result 4");
    assertEquals(ClientFrameRing.CLAIMED_DROPPING_OLDEST, put(ring, 5, 0, true), "result 1 gives way to result 5");
    ring.drainTo(ch, 0, AGE);
    List<long[]> got = written(ch);
    assertEquals(4, got.size());
    long[][] want = {{2, 2}, {3, 2}, {4, 2}, {5, 2}}; // seq, client_drops: two missed before seq 2
    for (int i = 0; i < 4; i++) {
      assertEquals(want[i][0], got.get(i)[0]);
      assertEquals(want[i][1], got.get(i)[1], "client_drops of seq " + want[i][0]);
    }
    ch.finishAndReleaseAll();
  }

  @Test
  void dropOldestWorksWhileTheChannelStillHoldsTheNextPositionsBuffers() {
    ClientFrameRing ring = new ClientFrameRing(100, 400);
    EmbeddedChannel ch = new EmbeddedChannel();
    put(ring, 0, 0, true);
    put(ring, 1, 0, true);
    ring.drainTo(ch, 0, AGE); // 0 and 1 are in flight: written, not yet released by the channel
    ch.flush();
    put(ring, 2, 0, true);
    put(ring, 3, 0, true);
    // position 0 still holds frame 0's buffer (in flight): frame 2, the oldest queued, gives its buffer to frame 4
    assertEquals(ClientFrameRing.CLAIMED_DROPPING_OLDEST, put(ring, 4, 0, true));
    assertEquals(ClientFrameRing.CLAIMED_DROPPING_OLDEST, put(ring, 5, 0, true));
    assertEquals(ClientFrameRing.FULL, put(ring, 6, 0, false), "without drop-oldest the newest is refused");
    ring.drainTo(ch, 0, AGE);
    List<long[]> got = written(ch);
    assertEquals(List.of(0L, 1L, 4L, 5L), got.stream().map(g -> g[0]).toList(), "in order, the two oldest queued dropped");
    assertEquals(List.of(0L, 0L, 2L, 2L), got.stream().map(g -> g[1]).toList(), "client_drops counts them before seq 4");
    for (int i = 7; i < 11; i++) assertEquals(ClientFrameRing.CLAIMED, put(ring, i, 0, true), "every buffer came back");
    ring.drainTo(ch, 0, AGE);
    assertEquals(List.of(7L, 8L, 9L, 10L), written(ch).stream().map(g -> g[0]).toList());
    ch.finishAndReleaseAll();
  }

  @Test
  void framesOlderThanTheMaximumAgeAreSkippedNotSent() {
    ClientFrameRing ring = new ClientFrameRing(100, 800); // 8 slots
    EmbeddedChannel ch = new EmbeddedChannel();
    for (int i = 0; i < 6; i++) put(ring, i, 100L * i, true); // t_source 0, 100, ..., 500
    assertTrue(ring.oldestIsStale(1_150, AGE));
    assertFalse(ring.oldestIsStale(1_000, AGE));
    ring.drainTo(ch, 1_250, AGE); // now 1250: t_source < 250 is too old
    assertEquals(3, ring.lastStale);
    assertEquals(3, ring.lastWritten);
    List<long[]> got = written(ch);
    assertEquals(List.of(3L, 4L, 5L), got.stream().map(g -> g[0]).toList());
    for (long[] g : got) assertEquals(3, g[1], "three results missed before seq " + g[0]);
    put(ring, 6, 1_300, true);
    ring.drainTo(ch, 1_300, AGE);
    assertEquals(List.of(6L), written(ch).stream().map(g -> g[0]).toList());
    ch.finishAndReleaseAll();
  }

  @Test
  void anUnwritableChannelLeavesFramesInTheRing() {
    ClientFrameRing ring = new ClientFrameRing(100, 400);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    assertFalse(ch.isWritable());
    put(ring, 0, 0, true);
    assertFalse(ring.drainTo(ch, 0, AGE));
    assertEquals(0, ring.lastWritten);
    assertTrue(ring.oldestIsStale(AGE + 1, AGE), "the frame is still waiting in the ring, where its age is checked");
    ch.finishAndReleaseAll();
  }

  @Test
  void aClientThatNeverTakesFramesNeverStopsTheProducer() {
    ClientFrameRing ring = new ClientFrameRing(100, 100 * 8);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.close(); // gone: not writable, nothing ever leaves the ring
    for (int i = 0; i < 8; i++) assertEquals(ClientFrameRing.CLAIMED, put(ring, i, 0, true));
    assertFalse(ring.drainTo(ch, 0, AGE));
    for (int i = 8; i < 100; i++) {
      assertEquals(ClientFrameRing.CLAIMED_DROPPING_OLDEST, put(ring, i, 0, true), "result " + i + " takes the oldest slot");
    }
    assertEquals(ClientFrameRing.FULL, ring.claim(100, false), "without drop-oldest a full ring refuses the newest");
  }

  @Test
  void withCreditTheNewestFreshFramesAreWrittenAndTheOlderOnesCounted() {
    ClientFrameRing ring = new ClientFrameRing(100, 800); // 8 slots
    EmbeddedChannel ch = new EmbeddedChannel();
    // offers 0..5: 0 and 1 older than the age bound at time 2500, 2..5 fresh
    for (int i = 0; i < 6; i++) put(ring, i, i < 2 ? 0 : 2000, true);
    assertTrue(ring.drainTo(ch, 2500, AGE, 2));
    assertEquals(2, ring.lastStale, "offers 0 and 1 too old");
    assertEquals(2, ring.lastSkipped, "offers 2 and 3 superseded: the credit takes the newest two");
    List<long[]> got = written(ch);
    assertEquals(2, got.size());
    assertEquals(4, got.get(0)[0]);
    assertEquals(4, got.get(0)[1], "client_drops before offer 4: the 4 skipped");
    assertEquals(5, got.get(1)[0]);
    assertEquals(4, got.get(1)[1]);
    // no credit: nothing moves, however many wait
    put(ring, 6, 2000, true);
    assertFalse(ring.drainTo(ch, 2500, AGE, 0));
    assertTrue(ring.waiting());
    // credit 3 with one waiting: it is written, nothing skipped
    assertTrue(ring.drainTo(ch, 2500, AGE, 3));
    assertEquals(1, ring.lastWritten);
    assertEquals(0, ring.lastSkipped + ring.lastStale);
    assertEquals(6, written(ch).get(0)[0]);
    ch.finishAndReleaseAll();
  }
}
