package org.lfadsrt.host.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.Stage;

/**
 * Timestamps each RESULT frame when it has been written to the client's socket, without allocating:
 * sits next to the channel's head (the last outbound handler before the socket), notes the frame's
 * timestamps from its header on {@code write}, and after {@code flush} records every noted frame whose
 * bytes have left the channel's outbound buffer (kernel accepted them). Runs on the channel's event loop.
 *
 * <p>Recorded per frame: {@link Stage#ENCODE}, {@link Stage#SOCKET_WRITE}, {@link Stage#TO_SOCKET},
 * {@link Stage#HOST_OVERHEAD}. A frame left in the outbound buffer by a full socket is recorded at a
 * later flush (so its time includes the wait, up to one bin late); more than {@link #CAPACITY} frames
 * pending are counted in {@link #unmeasured()} rather than timed.
 */
public final class SocketWriteTimestamps extends ChannelOutboundHandlerAdapter {
  /** Frames awaiting their write timestamp per channel. */
  public static final int CAPACITY = 1024;
  private static final int MASK = CAPACITY - 1;

  private final PipelineStats stats;
  private final long[] tSource = new long[CAPACITY];
  private final long[] tEncode = new long[CAPACITY];
  private final long[] backendStart = new long[CAPACITY];
  private final long[] backendDone = new long[CAPACITY];
  private final long[] endOffset = new long[CAPACITY];
  private long head; // next to record
  private long tail; // next free
  private long bytesQueued; // every byte this handler passed on since the channel opened
  private long unmeasured;

  public SocketWriteTimestamps(PipelineStats stats) {
    this.stats = stats;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof ByteBuf b) {
      int r = b.readerIndex();
      int size = b.readableBytes();
      if (size >= ResultFlyweight.VALUES_OFFSET && b.getUnsignedByte(r + Protocol.LENGTH_FIELD_BYTES) == Protocol.RESULT) {
        if (tail - head < CAPACITY) {
          int i = (int) (tail & MASK);
          tSource[i] = b.getLongLE(r + ResultFlyweight.T_SOURCE_OFFSET);
          backendStart[i] = b.getLongLE(r + ResultFlyweight.T_BACKEND_START_OFFSET);
          backendDone[i] = b.getLongLE(r + ResultFlyweight.T_BACKEND_DONE_OFFSET);
          tEncode[i] = b.getLongLE(r + ResultFlyweight.T_ENCODE_OFFSET);
          endOffset[i] = bytesQueued + size;
          tail++;
        } else {
          unmeasured++;
        }
      }
      bytesQueued += size;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) throws Exception {
    ctx.flush();
    if (head == tail) return;
    long now = System.nanoTime();
    ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
    long pending = out == null ? 0 : out.totalPendingWriteBytes();
    long written = bytesQueued - pending;
    while (head < tail) {
      int i = (int) (head & MASK);
      if (endOffset[i] > written) break;
      long toSocket = now - tSource[i];
      stats.record(Stage.ENCODE, tEncode[i] - backendDone[i]);
      stats.record(Stage.SOCKET_WRITE, now - tEncode[i]);
      stats.record(Stage.TO_SOCKET, toSocket);
      stats.record(Stage.HOST_OVERHEAD, toSocket - (backendDone[i] - backendStart[i]));
      head++;
    }
  }

  /** Frames not timed because too many were pending on this channel. */
  public long unmeasured() {
    return unmeasured;
  }
}
