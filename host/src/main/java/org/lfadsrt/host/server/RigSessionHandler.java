package org.lfadsrt.host.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.lfadsrt.host.metrics.ServerStats;

/**
 * Server side of one binary rig-protocol connection: HELLO then SUBSCRIBE, heartbeats echoed, every
 * bad frame answered with an ERROR naming it (fatal framing errors and every error in answer to a HELLO
 * also close the connection).
 */
final class RigSessionHandler extends ChannelInboundHandlerAdapter {
  private final RigServer server;
  private ClientSession session;
  private boolean helloDone;
  private boolean controlRights;
  private final AccessPolicy.RateLimit rate = AccessPolicy.RateLimit.standard();

  RigSessionHandler(RigServer server) {
    this.server = server;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    session = server.register(ctx.channel(), false);
    if (session == null) {
      ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_TOO_MANY_CLIENTS,
          "too many clients (maximum " + server.config().maxClients() + ") or server shutting down"))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (session != null && ctx.channel().isWritable()) server.writable(session);
    ctx.fireChannelWritabilityChanged();
  }

  private void refuse(ChannelHandlerContext ctx, int code, String message) {
    ctx.writeAndFlush(new RigMessage.Error(code, message)).addListener(ChannelFutureListener.CLOSE);
    session = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (session == null) return;
    // A CREDIT that is accepted does not count against the message rate: a credit-mode client sends one per result,
    // and the credit it may hold is bounded (Protocol.MAX_CREDIT), so accepted CREDITs cannot outrun the results.
    if (msg instanceof RigMessage.Credit c && helloDone && session.subscribed && session.creditMode
        && session.credit + c.grant() <= Protocol.MAX_CREDIT) {
      session.credit += c.grant();
      server.credited(session);
      return;
    }
    if (!rate.tryAcquire()) {
      server.serverStats().increment(ServerStats.Counter.RATE_LIMITED);
      server.log().accept("closing " + session.who() + ": more than " + (int) AccessPolicy.MESSAGES_PER_SECOND
          + " messages per second");
      refuse(ctx, Protocol.ERR_RATE_LIMITED, "more than " + (int) AccessPolicy.MESSAGES_PER_SECOND
          + " messages per second from this client; closing");
      return;
    }
    if (msg instanceof ProtocolError e) {
      if (e.fatal()) refuse(ctx, e.code(), e.message());
      else ctx.writeAndFlush(new RigMessage.Error(e.code(), e.message()));
    } else if (msg instanceof RigMessage.Hello h) {
      if (helloDone) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_OUT_OF_ORDER, "HELLO: this session already said HELLO"));
        return;
      }
      if (h.minVersion() > Protocol.VERSION || h.maxVersion() < Protocol.VERSION) {
        refuse(ctx, Protocol.ERR_UNSUPPORTED_VERSION, "HELLO: client speaks versions " + h.minVersion() + ".."
            + h.maxVersion() + ", server speaks " + Protocol.VERSION + "; closing");
        return;
      }
      session.name = h.clientName();
      ControlExecutor.Rights rights = server.control().hello(ctx.channel(), session.who(), h.token());
      if (rights == ControlExecutor.Rights.BACKED_OFF) {
        long ms = (server.control().backoffFor(ctx.channel()) + 999_999) / 1_000_000;
        refuse(ctx, Protocol.ERR_UNAUTHORIZED, "HELLO: too many wrong tokens from this address; tokens are refused for "
            + ms + " ms more (connect without a token for data); closing");
        return;
      }
      helloDone = true;
      controlRights = rights == ControlExecutor.Rights.CONTROL;
      server.gate().handshakeDone(ctx.channel());
      ctx.writeAndFlush(server.handshake());
    } else if (msg instanceof RigMessage.Subscribe s) {
      if (!helloDone) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_OUT_OF_ORDER, "SUBSCRIBE before HELLO"));
        return;
      }
      session.streams = s.streams();
      session.decimation = s.decimation();
      session.disconnectOnOverflow = (s.flags() & Protocol.SUBSCRIBE_DISCONNECT_ON_OVERFLOW) != 0;
      session.credit = 0; // a (re)subscription starts without credit
      session.creditMode = (s.flags() & Protocol.SUBSCRIBE_CREDIT) != 0;
      session.subscribed = true;
      ctx.writeAndFlush(server.status(session));
    } else if (msg instanceof RigMessage.Control c) {
      String op = ControlHandler.opName(c.op());
      if (!helloDone) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_OUT_OF_ORDER, "CONTROL " + op + " before HELLO"));
      } else if (!controlRights) {
        server.control().unauthorized(session.who(), c.op());
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_UNAUTHORIZED, "CONTROL " + op + ": this session has no control rights"
            + (server.config().token() != null && !server.config().token().isEmpty()
                ? " (HELLO did not carry the server's token)"
                : " (server bound to " + server.config().bindAddress() + " without a token refuses all control)")));
      } else {
        server.control().run(ctx.channel(), session.who(), c.op(), c.argument());
      }
    } else if (msg instanceof RigMessage.Credit c) { // refused (accepted ones returned above)
      if (!helloDone) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_OUT_OF_ORDER, "CREDIT before HELLO; ignored"));
      } else if (!session.subscribed || !session.creditMode) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_OUT_OF_ORDER,
            "CREDIT: this session is not subscribed in credit mode (SUBSCRIBE flag 2); ignored"));
      } else {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_MALFORMED, "CREDIT: grant " + c.grant() + " would make the"
            + " outstanding credit " + (session.credit + c.grant()) + ", above the maximum " + Protocol.MAX_CREDIT + "; ignored"));
      }
    } else if (msg instanceof RigMessage.Heartbeat h) {
      ctx.writeAndFlush(new RigMessage.Heartbeat(System.nanoTime(), h.senderNanos()));
    } else if (msg instanceof RigMessage m) {
      ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_OUT_OF_ORDER,
          Protocol.typeName(m.type()) + " is sent by the server, not by clients"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.fireExceptionCaught(cause); // QuietErrors: one line, then close
  }
}
