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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
      } else if (msg instanceof TextWebSocketFrame text && session != null) {
        credit(ctx, text.text());
      }
      // Other WebSocket frames carry no operations and are ignored (their rate, pings included, is limited by
      // WebSocketGuard in front of the protocol handler).
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
      List<String> c = new QueryStringDecoder(hc.requestUri()).parameters().get("credit");
      String creditParam = c == null || c.isEmpty() ? "0" : c.get(0);
      s.creditMode = creditParam.equals("1");
      // Subscribed before the greeting is written: a result published from now on is in the ring when the client reads
      // the status (results reach the channel only through this event loop, so after the greeting and the status).
      s.subscribed = true;
      ctx.writeAndFlush(new TextWebSocketFrame(server.handshakeJson(s.creditMode)));
      if (!creditParam.equals("0") && !creditParam.equals("1")) {
        error(ctx, "/ws?credit=" + creditParam + ": must be 0 (push) or 1 (credit mode); this connection is in push mode");
      }
      ctx.writeAndFlush(new TextWebSocketFrame(server.statusJson()));
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  /** {"credit":N}: the whole text of a WebSocket credit (whitespace allowed around the tokens). */
  static final Pattern CREDIT_JSON = Pattern.compile("\\s*\\{\\s*\"credit\"\\s*:\\s*(\\d{1,10})\\s*}\\s*");

  /**
   * A text frame from a WebSocket client: in credit mode it must be {@code {"credit":N}} (the JSON view's CREDIT); an
   * accepted credit does not count against the frame rate. Anything wrong is answered with a JSON error naming it,
   * and the connection stays. A push-mode client's other text frames are ignored.
   */
  private void credit(ChannelHandlerContext ctx, String text) {
    ClientSession s = session;
    Matcher m = CREDIT_JSON.matcher(text);
    if (!s.creditMode) {
      if (m.matches()) error(ctx, "credit: this connection is not in credit mode (connect to /ws?credit=1); ignored");
      return;
    }
    if (!m.matches()) {
      error(ctx, "credit: expected {\"credit\":N}, got " + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
          + "; ignored");
      return;
    }
    long grant = Long.parseLong(m.group(1));
    if (grant < 1 || grant > Protocol.MAX_CREDIT) {
      error(ctx, "credit: grant " + grant + " is outside 1.." + Protocol.MAX_CREDIT + "; ignored");
    } else if (s.credit + grant > Protocol.MAX_CREDIT) {
      error(ctx, "credit: grant " + grant + " would make the outstanding credit " + (s.credit + grant) + ", above the maximum "
          + Protocol.MAX_CREDIT + "; ignored");
    } else {
      WebSocketGuard guard = ctx.pipeline().get(WebSocketGuard.class);
      if (guard != null) guard.refund();
      s.credit += grant;
      server.credited(s);
    }
  }

  private static void error(ChannelHandlerContext ctx, String message) {
    ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"error\",\"message\":\"" + RigServer.escape(message) + "\"}"));
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
