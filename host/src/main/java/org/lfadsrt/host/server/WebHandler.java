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
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.Stage;

/**
 * HTTP side of the server: the dashboard page ({@code /}), {@code /status.json}, a Prometheus text
 * {@code /metrics}, and WebSocket sessions at {@code /ws?decimate=N} (JSON results, all streams).
 */
final class WebHandler extends ChannelInboundHandlerAdapter {
  private static final String DASHBOARD = "/org/lfadsrt/host/dashboard/index.html";
  private final RigServer server;
  private String wsUri = "/ws";
  private final AccessPolicy.RateLimit rate = AccessPolicy.RateLimit.standard();

  WebHandler(RigServer server) {
    this.server = server;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof FullHttpRequest req) {
        wsUri = req.uri();
        handle(ctx, req);
      } else if (msg instanceof WebSocketFrame) {
        // The JSON view is read-only: inbound frames carry no operations and are ignored, but a client
        // flooding them is cut off like a rig client over its message rate.
        if (!rate.tryAcquire()) {
          ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"error\",\"message\":\"rate limited: more than "
              + (int) AccessPolicy.MESSAGES_PER_SECOND + " messages per second\"}")).addListener(ChannelFutureListener.CLOSE);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
      ClientSession s = server.register(ctx.channel(), true);
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
      case "/metrics" -> respond(ctx, req, HttpResponseStatus.OK, "text/plain; version=0.0.4", RigServer.utf8(metrics()));
      default -> respond(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", ("no such page: " + path + "\n").getBytes());
    }
  }

  private String metrics() {
    PipelineStats st = server.stats();
    StringBuilder sb = new StringBuilder();
    sb.append("# TYPE lfadsrt_bins_in_total counter\nlfadsrt_bins_in_total ").append(st.binsIn()).append('\n');
    sb.append("# TYPE lfadsrt_published_total counter\nlfadsrt_published_total ").append(st.publishedCount()).append('\n');
    sb.append("# TYPE lfadsrt_dropped_total counter\n");
    for (DropReason r : DropReason.values()) {
      sb.append("lfadsrt_dropped_total{reason=\"").append(r.label()).append("\"} ").append(st.drops(r)).append('\n');
    }
    sb.append("# TYPE lfadsrt_client_drops_total counter\nlfadsrt_client_drops_total ").append(st.clientDrops()).append('\n');
    sb.append("# TYPE lfadsrt_clients gauge\nlfadsrt_clients ").append(server.clientCount()).append('\n');
    sb.append("# TYPE lfadsrt_latency_seconds summary\n");
    for (Stage s : Stage.values()) {
      var h = st.recent(s);
      for (double q : new double[] {0.5, 0.99, 0.999, 1.0}) {
        long v = q == 1.0 ? h.getMaxValue() : h.getValueAtPercentile(q * 100);
        sb.append("lfadsrt_latency_seconds{stage=\"").append(s.label()).append("\",quantile=\"").append(q).append("\"} ")
            .append(v / 1e9).append('\n');
      }
      // Summary _sum/_count over the same sliding window as the quantiles.
      sb.append("lfadsrt_latency_seconds_sum{stage=\"").append(s.label()).append("\"} ")
          .append(h.getMean() * h.getTotalCount() / 1e9).append('\n');
      sb.append("lfadsrt_latency_seconds_count{stage=\"").append(s.label()).append("\"} ").append(h.getTotalCount()).append('\n');
    }
    sb.append("# TYPE lfadsrt_latency_window_intervals gauge\nlfadsrt_latency_window_intervals ").append(st.recentIntervals()).append('\n');
    sb.append("# TYPE lfadsrt_device_clock_hz gauge\nlfadsrt_device_clock_hz ").append(st.deviceClockHz()).append('\n');
    return sb.toString();
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, byte[] body) {
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    HttpUtil.setContentLength(resp, body.length);
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(resp, keepAlive);
    var f = ctx.writeAndFlush(resp);
    if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
  }
}
