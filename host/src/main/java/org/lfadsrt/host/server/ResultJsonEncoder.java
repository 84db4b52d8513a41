package org.lfadsrt.host.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.List;

/**
 * WebSocket view: turns the binary RESULT frames the hot path writes into JSON text frames, on the
 * client's event loop (so formatting numbers never costs the hot-path thread).
 */
final class ResultJsonEncoder extends MessageToMessageEncoder<ByteBuf> {
  private final ResultFlyweight view = new ResultFlyweight();

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
    view.wrap(msg, msg.readerIndex());
    StringBuilder sb = new StringBuilder(64 + 12 * (view.nFactors() + view.nRates() + view.nDecoded()));
    sb.append("{\"type\":\"result\",\"seq\":").append(view.seq())
        .append(",\"bin\":").append(view.binIndex())
        .append(",\"flags\":").append(view.resultFlags())
        .append(",\"drops\":").append(view.clientDrops())
        .append(",\"latency_us\":").append((view.tEncode() - view.tSource()) / 1000.0)
        .append(",\"compute_us\":").append((view.tBackendDone() - view.tBackendStart()) / 1000.0)
        .append(",\"factors\":[");
    for (int i = 0; i < view.nFactors(); i++) append(sb, i, view.factor(i));
    sb.append("],\"rates\":[");
    for (int i = 0; i < view.nRates(); i++) append(sb, i, view.rate(i));
    sb.append("],\"decoded\":[");
    for (int i = 0; i < view.nDecoded(); i++) append(sb, i, view.decoded(i));
    sb.append("]}");
    out.add(new TextWebSocketFrame(sb.toString()));
  }

  private static void append(StringBuilder sb, int i, float v) {
    if (i > 0) sb.append(',');
    if (Float.isFinite(v)) sb.append(v);
    else sb.append("null");
  }
}
