package org.lfadsrt.host.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's queue of RESULT frames between the hot-path thread (single producer) and the channel's
 * event loop (single consumer), preallocated when the client connects so that publishing a result
 * allocates nothing: a fixed ring of frame-sized direct buffers, each its own {@link ByteBuf} over a slice
 * of one {@link ByteBuffer}.
 *
 * <p>This ring, not Netty's outbound buffer or the kernel's, is where a slow client's results wait: the
 * event loop moves a frame to the channel only while the channel is {@link Channel#isWritable() writable}
 * (its write-buffer water marks are a couple of frames), so frames that cannot leave stay here, where they
 * can still be skipped. When the client can take frames again, every frame older than the maximum result
 * age is skipped, not sent; when the producer finds the ring full it takes back the oldest unsent frame
 * (drop-oldest, even when the channel still holds some of its buffers). Either way the skipped result is counted for the client, and the {@code client_drops}
 * field of the next frame it does get is patched to the number of results it missed before it, so the
 * client's {@code seq} gaps and {@code client_drops} agree exactly.
 *
 * <p>A slot's reference count says who has it: 1 (the ring's own reference) means free; the producer
 * encodes into a free slot, {@link ByteBuf#retain() retains} it (2) and publishes it; the event loop
 * writes it to the channel, and Netty's release after the bytes reached the socket (or after the channel
 * failed the write) brings it back to 1; a skipped frame is released by whoever skipped it. Producer and
 * consumer both advance {@link #consumed} by compare-and-set, so each published frame is either written
 * by the event loop or taken back by the producer, never both. The slots are never released to 0 (the hot
 * path may still look at a ring whose client has just gone); their memory is the {@link ByteBuffer}'s and
 * goes with it when the session is collected. They are not leak-tracked.
 */
final class ClientFrameRing {
  private final ByteBuf[] slots;
  /** Per slot: this result's index among the results offered to the client (before any drop). */
  private final long[] offered;
  private final int mask;
  /** Next slot the producer fills; written by the hot path only, published to the event loop. */
  private volatile long produced;
  /** Next slot to be written; advanced by the event loop (write or skip) and by the producer (drop-oldest). */
  private final AtomicLong consumed = new AtomicLong();
  /** Event loop: frames written to the channel so far. */
  private long written;
  private long claimedOffer;

  /**
   * @param frameBytes largest RESULT frame of this stream
   * @param queueBytes the per-client queue bound; the ring holds that many bytes of frames (a power of
   *                   two of slots, at least 4)
   */
  ClientFrameRing(int frameBytes, int queueBytes) {
    int want = Math.max(4, queueBytes / Math.max(1, frameBytes));
    int n = Integer.highestOneBit(want);
    slots = new ByteBuf[n];
    offered = new long[n];
    mask = n - 1;
    ByteBuffer memory = ByteBuffer.allocateDirect(n * frameBytes);
    for (int i = 0; i < n; i++) {
      ByteBuffer slice = memory.slice(i * frameBytes, frameBytes);
      slots[i] = Unpooled.wrappedBuffer(slice); // reference count 1: the ring's
    }
  }

  int capacity() {
    return slots.length;
  }

  /** Results: a free slot came back from {@link #claim}, or the oldest unsent frame was taken back for it. */
  static final int CLAIMED = 0, CLAIMED_DROPPING_OLDEST = 1, FULL = 2;

  /**
   * Hot path: makes the next slot ready for encoding result number {@code offer} of this client. When the
   * ring is full, the oldest frame not yet handed to the channel is dropped to make room
   * ({@link #CLAIMED_DROPPING_OLDEST}): its buffer is taken back and, when the next position still holds a
   * buffer the channel has not released (in flight to the socket), the two buffers swap positions, so the
   * in-flight one waits at a position the producer reaches only a whole ring later. Without
   * {@code mayDropOldest}, or when every frame is in flight, returns {@link #FULL} and the new result is the
   * one dropped. After a claim, encode into {@link #claimed()} and call {@link #publish()}.
   */
  int claim(long offer, boolean mayDropOldest) {
    long p = produced;
    int at = (int) (p & mask);
    ByteBuf b = slots[at];
    int outcome = CLAIMED;
    if (b.refCnt() != 1) {
      if (!mayDropOldest) return FULL;
      long c = consumed.get();
      if (c >= p || !consumed.compareAndSet(c, c + 1)) return FULL; // nothing queued (all in flight), or just taken
      int oldest = (int) (c & mask);
      ByteBuf dropped = slots[oldest];
      slots[oldest] = b; // the in-flight buffer (or the same one, when the oldest queued frame is at this position)
      slots[at] = dropped;
      dropped.release(); // the producer took the oldest unsent frame back: 2 -> 1
      b = dropped;
      outcome = CLAIMED_DROPPING_OLDEST;
    }
    b.clear();
    claimedOffer = offer;
    return outcome;
  }

  /** Hot path: the slot made ready by the last successful {@link #claim}. */
  ByteBuf claimed() {
    return slots[(int) (produced & mask)];
  }

  /** Hot path: hands the claimed slot to the event loop. */
  void publish() {
    long p = produced;
    int i = (int) (p & mask);
    offered[i] = claimedOffer;
    slots[i].retain();
    produced = p + 1;
  }

  /** What {@link #drainTo} did; fields valid until the next call (event loop only). */
  int lastWritten, lastStale, lastSkipped;

  /** {@link #drainTo} without a credit limit (push mode). */
  boolean drainTo(Channel ch, long now, long maxAgeNanos) {
    return drainTo(ch, now, maxAgeNanos, Long.MAX_VALUE);
  }

  /**
   * Event loop: writes published frames to {@code ch} (no flush) while it is writable, at most {@code credit} of them,
   * skipping (and counting in {@link #lastStale}) every frame whose {@code t_source} is more than {@code maxAgeNanos}
   * before {@code now}. When more frames wait than the credit allows, the oldest are skipped (counted in
   * {@link #lastSkipped}), so what is written is the newest fresh frames (credit mode; push mode passes
   * {@link Long#MAX_VALUE}). A frame written gets its {@code client_drops} patched to the results this client missed
   * before it. Returns whether anything was written; frames left here wait for writability or credit.
   */
  boolean drainTo(Channel ch, long now, long maxAgeNanos, long credit) {
    lastWritten = 0;
    lastStale = 0;
    lastSkipped = 0;
    while (lastWritten < credit) {
      long c = consumed.get();
      long waiting = produced - c;
      if (waiting == 0) break;
      // More frames wait than the credit left will take: this one is older than those it will take.
      boolean superseded = waiting > credit - lastWritten;
      if (!superseded && !ch.isWritable()) {
        if (lastWritten == 0) break;
        ch.flush(); // the kernel may take what we wrote; if it does, the channel is writable again
        if (!ch.isWritable()) break;
      }
      // Read the position's buffer and offer index BEFORE taking it: once consumed has moved past c, a producer
      // that finds the ring full at this very position (p = c + capacity) may take the next frame back and swap
      // that frame's buffer into this position, and publish a new offer here. What was read before a successful
      // compare-and-set is this frame's: the producer changes a queued position only after taking it by CAS.
      int i = (int) (c & mask);
      ByteBuf b = slots[i];
      long offer = offered[i];
      if (!consumed.compareAndSet(c, c + 1)) continue; // the producer took this one back
      if (now - b.getLongLE(ResultFlyweight.T_SOURCE_OFFSET) > maxAgeNanos) {
        b.release(); // 2 -> 1: never sent
        lastStale++;
        continue;
      }
      if (superseded) {
        b.release(); // 2 -> 1: a newer frame takes the credit
        lastSkipped++;
        continue;
      }
      long missed = offer - written;
      b.setIntLE(ResultFlyweight.CLIENT_DROPS_OFFSET, (int) Math.min(missed, 0xFFFF_FFFFL));
      written++;
      lastWritten++;
      ch.write(b, ch.voidPromise());
    }
    return lastWritten > 0;
  }

  /** Whether published frames are waiting to be written. */
  boolean waiting() {
    return consumed.get() != produced;
  }

  /**
   * Event loop: the oldest frame still waiting has a {@code t_source} more than {@code maxAgeNanos} before
   * {@code now} (used by disconnect-on-overflow clients, which are closed rather than skipped).
   */
  boolean oldestIsStale(long now, long maxAgeNanos) {
    long c = consumed.get();
    if (c == produced) return false;
    return now - slots[(int) (c & mask)].getLongLE(ResultFlyweight.T_SOURCE_OFFSET) > maxAgeNanos;
  }
}
