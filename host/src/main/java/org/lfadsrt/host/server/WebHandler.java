package org.lfadsrt.host.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.lfadsrt.host.metrics.StatusReport;

/**
 * HTTP side of the server: the dashboard page ({@code /}), {@code /status.json}, a Prometheus text
 * {@code /metrics}, and WebSocket sessions at {@code /ws?decimate=N} (JSON results, all streams).
 */
final class WebHandler extends ChannelInboundHandlerAdapter {
  private static final String DASHBOARD = "/org/lfadsrt/host/dashboard/index.html";
  private final RigServer server;
  private ClientSession session;

  WebHandler(RigServer server) {
    this.server = server;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof FullHttpRequest req) {
        server.gate().handshakeDone(ctx.channel());
        if (!req.decoderResult().isSuccess()) {
          respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain", ("bad request: " + req.decoderResult().cause() + "\n").getBytes());
          return;
        }
        handle(ctx, req);
      }
      // WebSocket frames: the JSON view is read-only, inbound frames carry no operations and are ignored (their rate,
      // pings included, is limited by WebSocketGuard in front of the protocol handler).
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
      // the upgrade request never reaches channelRead (the protocol handler takes it): the handshake ends here
      server.gate().handshakeDone(ctx.channel());
      ClientSession s = server.register(ctx.channel(), true);
      session = s;
      if (s == null) {
        ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"error\",\"message\":\"too many clients\"}"))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      List<String> d = new QueryStringDecoder(hc.requestUri()).parameters().get("decimate");
      int decimation = 1;
      if (d != null && !d.isEmpty()) {
        try {
          decimation = Math.max(1, Math.min(10_000, Integer.parseInt(d.get(0))));
        } catch (NumberFormatException e) {
          decimation = 1;
        }
      }
      s.decimation = decimation;
      s.streams = Protocol.STREAM_ALL;
      ctx.writeAndFlush(new TextWebSocketFrame(server.handshakeJson()));
      ctx.writeAndFlush(new TextWebSocketFrame(server.statusJson()));
      s.subscribed = true;
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (session != null && ctx.channel().isWritable()) server.writable(session);
    ctx.fireChannelWritabilityChanged();
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.method() != HttpMethod.GET) {
      respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET\n".getBytes());
      return;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    switch (path) {
      case "/", "/index.html", "/dashboard" -> {
        try (InputStream in = WebHandler.class.getResourceAsStream(DASHBOARD)) {
          if (in == null) throw new IOException("dashboard resource missing");
          respond(ctx, req, HttpResponseStatus.OK, "text/html; charset=utf-8", in.readAllBytes());
        } catch (IOException e) {
          respond(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", (e.getMessage() + "\n").getBytes());
        }
      }
      case "/status.json" -> respond(ctx, req, HttpResponseStatus.OK, "application/json", RigServer.utf8(server.statusJson()));
      case "/metrics" -> respond(ctx, req, HttpResponseStatus.OK, "text/plain; version=0.0.4", RigServer.utf8(StatusReport.prometheus(server.stats(), server.serverStats())));
      default -> respond(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", ("no such page: " + path + "\n").getBytes());
    }
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, byte[] body) {
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    HttpUtil.setContentLength(resp, body.length);
    // One request per connection: an idle keep-alive connection would hold a socket outside every limit.
    HttpUtil.setKeepAlive(resp, false);
    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
  }
}
