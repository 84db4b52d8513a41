package org.lfadsrt.host.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Server side of one binary rig-protocol connection: HELLO then SUBSCRIBE, heartbeats echoed, every
 * bad frame answered with an ERROR naming it (fatal framing errors also close the connection).
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
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (session == null) return;
    if (!rate.tryAcquire()) {
      ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_RATE_LIMITED, "more than "
          + (int) AccessPolicy.MESSAGES_PER_SECOND + " messages per second from this client; closing"))
          .addListener(ChannelFutureListener.CLOSE);
      session = null;
      return;
    }
    if (msg instanceof ProtocolError e) {
      var f = ctx.writeAndFlush(new RigMessage.Error(e.code(), e.message()));
      if (e.fatal()) f.addListener(ChannelFutureListener.CLOSE);
    } else if (msg instanceof RigMessage.Hello h) {
      if (h.minVersion() > Protocol.VERSION || h.maxVersion() < Protocol.VERSION) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_UNSUPPORTED_VERSION, "HELLO: client speaks versions "
            + h.minVersion() + ".." + h.maxVersion() + ", server speaks " + Protocol.VERSION))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      helloDone = true;
      controlRights = AccessPolicy.grantsControl(server.config(), h.token());
      session.name = h.clientName();
      ctx.writeAndFlush(server.handshake());
    } else if (msg instanceof RigMessage.Subscribe s) {
      if (!helloDone) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_OUT_OF_ORDER, "SUBSCRIBE before HELLO"));
        return;
      }
      session.streams = s.streams();
      session.decimation = s.decimation();
      session.subscribed = true;
      ctx.writeAndFlush(server.status(session));
    } else if (msg instanceof RigMessage.Control c) {
      String op = ControlHandler.opName(c.op());
      if (!helloDone) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_OUT_OF_ORDER, "CONTROL " + op + " before HELLO"));
      } else if (!controlRights) {
        ctx.writeAndFlush(new RigMessage.Error(Protocol.ERR_UNAUTHORIZED, "CONTROL " + op + ": this session has no control rights"
            + (server.config().token() != null ? " (HELLO did not carry the server's token)"
                : " (server bound to " + server.config().bindAddress() + " without a token refuses all control)")));
      } else {
        server.runControl(ctx.channel(), c.op(), c.argument());
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
    ctx.close();
  }
}
