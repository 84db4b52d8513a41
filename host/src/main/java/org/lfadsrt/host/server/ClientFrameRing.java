package org.lfadsrt.host.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;

/**
 * One client's queue of RESULT frames between the hot-path thread (single producer) and the channel's
 * event loop (single consumer), preallocated when the client connects so that publishing a result
 * allocates nothing: a fixed ring of frame-sized direct buffers, each its own {@link ByteBuf} over a slice
 * of one {@link ByteBuffer}.
 *
 * <p>A slot's reference count says who has it: 1 (the ring's own reference) means free; the producer
 * encodes into a free slot, {@link ByteBuf#retain() retains} it (2) and publishes it; the event loop
 * writes it to the channel, and Netty's release after the bytes reached the socket (or after the channel
 * failed the write) brings it back to 1. The producer never waits: a slot not yet back to 1 means the
 * client is {@link #capacity()} frames behind, and the result is dropped for it. The slots are never
 * released to 0 (the hot path may still look at a ring whose client has just gone); their memory is the
 * {@link ByteBuffer}'s and goes with it when the session is collected. They are not leak-tracked.
 */
final class ClientFrameRing {
  private final ByteBuf[] slots;
  private final int mask;
  /** Next slot the producer fills; written by the hot path only, published to the event loop. */
  private volatile long produced;
  /** Next slot the event loop writes; event loop only. */
  private long consumed;

  /**
   * @param frameBytes largest RESULT frame of this stream
   * @param queueBytes the per-client queue bound; the ring holds that many bytes of frames (a power of
   *                   two of slots, at least 4)
   */
  ClientFrameRing(int frameBytes, int queueBytes) {
    int want = Math.max(4, queueBytes / Math.max(1, frameBytes));
    int n = Integer.highestOneBit(want);
    slots = new ByteBuf[n];
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

  /**
   * Hot path: the next slot, cleared for encoding, or null when the client has not yet taken it back
   * (queue full). Must be followed by {@link #publish()} once the frame is written into it.
   */
  ByteBuf claim() {
    ByteBuf b = slots[(int) (produced & mask)];
    if (b.refCnt() != 1) return null;
    b.clear();
    return b;
  }

  /** Hot path: hands the claimed slot to the event loop. */
  void publish() {
    long p = produced;
    slots[(int) (p & mask)].retain();
    produced = p + 1;
  }

  /** Event loop: writes every published frame to {@code ch} (no flush); returns whether any was written. */
  boolean drainTo(Channel ch) {
    long p = produced;
    if (consumed == p) return false;
    while (consumed < p) {
      ch.write(slots[(int) (consumed & mask)], ch.voidPromise());
      consumed++;
    }
    return true;
  }
}
