package org.lfadsrt.host.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.function.Consumer;
import org.lfadsrt.host.metrics.ServerStats;

/**
 * The last handler of every connection: an exception that reached it (a WebSocket protocol violation, a bad
 * HTTP request, a reset connection) closes that connection with one log line naming the peer and the problem,
 * never a stack trace: bad input is the peer's problem, not the server's. Connection resets are not logged.
 */
@ChannelHandler.Sharable
final class QuietErrors extends ChannelInboundHandlerAdapter {
  private final ServerStats serverStats;
  private final Consumer<String> log;

  QuietErrors(ServerStats serverStats, Consumer<String> log) {
    this.serverStats = serverStats;
    this.log = log;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      serverStats.increment(ServerStats.Counter.PROTOCOL_CLOSES);
      log.accept("closing " + ctx.channel().remoteAddress() + ": " + describe(cause));
    }
    ctx.close();
  }

  /** One line: the exception's simple name and message (and its cause's, when it has one). */
  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder(t.getClass().getSimpleName());
    if (t.getMessage() != null) sb.append(": ").append(t.getMessage());
    Throwable c = t.getCause();
    if (c != null && c != t) {
      sb.append(" (").append(c.getClass().getSimpleName());
      if (c.getMessage() != null) sb.append(": ").append(c.getMessage());
      sb.append(')');
    }
    return sb.toString().replace('\n', ' ');
  }
}
