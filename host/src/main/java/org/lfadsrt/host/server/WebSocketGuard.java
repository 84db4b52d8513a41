package org.lfadsrt.host.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import org.lfadsrt.host.metrics.ServerStats;

/**
 * Sits in front of Netty's WebSocket protocol handler, so it sees every inbound frame, pings included (the
 * protocol handler answers pings itself and would never pass them on): more than
 * {@link AccessPolicy#MESSAGES_PER_SECOND} frames per second sustained (burst {@link AccessPolicy#MESSAGE_BURST})
 * closes the connection with a JSON error, close status 1008 (policy violation) and one log line, like a rig client over its rate.
 *
 * <p>The close follows the WebSocket closing handshake (RFC 6455 §7.1.1): after its Close frame the server goes on
 * reading, and discarding, until the client's Close arrives (or {@link #CLOSE_WAIT_SECONDS} pass), and only then
 * closes the TCP connection. Closing at once, with the flooding client's frames still unread, would make the
 * kernel reset the connection, and a reset can destroy the error and the Close frame before the client reads them.
 */
final class WebSocketGuard extends ChannelInboundHandlerAdapter {
  private final AccessPolicy.RateLimit rate = AccessPolicy.RateLimit.standard();
  private final ServerStats serverStats;
  private final Consumer<String> log;
  private boolean closed;
  /** How long the server waits for the client's Close frame before closing the connection itself. */
  static final int CLOSE_WAIT_SECONDS = 5;

  WebSocketGuard(ServerStats serverStats, Consumer<String> log) {
    this.serverStats = serverStats;
    this.log = log;
  }

  /** The frame just let through does not count against the rate (an accepted credit). Event loop. */
  void refund() {
    rate.refund();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (closed) {
      boolean clientClosed = msg instanceof CloseWebSocketFrame;
      ReferenceCountUtil.release(msg);
      if (clientClosed) ctx.close(); // the closing handshake is complete
      return;
    }
    if (!rate.tryAcquire()) {
      ReferenceCountUtil.release(msg);
      closed = true;
      serverStats.increment(ServerStats.Counter.RATE_LIMITED);
      log.accept("closing WebSocket " + ctx.channel().remoteAddress() + ": more than "
          + (int) AccessPolicy.MESSAGES_PER_SECOND + " frames per second (pings included)");
      ctx.write(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame("{\"type\":\"error\",\"message\":\"rate limited: more than "
          + (int) AccessPolicy.MESSAGES_PER_SECOND + " messages per second\"}"));
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, "rate limited"))
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      ctx.executor().schedule(() -> {
        ctx.close();
      }, CLOSE_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
