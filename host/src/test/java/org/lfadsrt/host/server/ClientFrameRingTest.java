package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-client frame ring: slots come back only when Netty has released them; a full ring refuses, never blocks. */
class ClientFrameRingTest {

  @Test
  void slotsAreReusedOnlyAfterTheChannelReleasedThem() {
    ClientFrameRing ring = new ClientFrameRing(100, 400); // 4 slots of 100 bytes
    assertEquals(4, ring.capacity());
    EmbeddedChannel ch = new EmbeddedChannel();
    List<ByteBuf> claimed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ByteBuf b = ring.claim();
      assertNotNull(b, "slot " + i + " free");
      b.writeIntLE(i);
      ring.publish();
      claimed.add(b);
    }
    assertNull(ring.claim(), "all 4 slots published, none written yet: the ring is full");
    assertTrue(ring.drainTo(ch));
    ch.flush();
    assertNull(ring.claim(), "written to the channel but not yet released by it");
    ByteBuf first = ch.readOutbound();
    assertSame(claimed.get(0), first, "frames leave in order, as the same buffers");
    assertEquals(0, first.getIntLE(0));
    first.release(); // what Netty does once the bytes reached the socket
    ByteBuf again = ring.claim();
    assertSame(claimed.get(0), again, "the released slot is the next one handed out");
    assertEquals(0, again.readableBytes(), "cleared for encoding");
    assertEquals(1, again.refCnt(), "the ring's own reference only");
    assertEquals(false, ring.drainTo(ch), "nothing new published");
    for (int i = 1; i < 4; i++) ((ByteBuf) ch.readOutbound()).release();
    ch.finishAndReleaseAll();
  }

  @Test
  void aClosedChannelGivesTheSlotsBack() {
    ClientFrameRing ring = new ClientFrameRing(64, 64 * 8);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.close();
    for (int i = 0; i < 8; i++) {
      assertNotNull(ring.claim());
      ring.publish();
    }
    assertNull(ring.claim(), "full");
    ring.drainTo(ch); // writes to a closed channel fail and release their message
    for (int i = 0; i < 8; i++) {
      assertNotNull(ring.claim(), "slot " + i + " back after the failed write");
      ring.publish();
    }
    assertNull(ring.claim(), "full again after a second round");
  }
}
