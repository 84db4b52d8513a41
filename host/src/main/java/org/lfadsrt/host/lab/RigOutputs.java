package org.lfadsrt.host.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.ResultSink;

/**
 * The rig outputs of {@code run} ({@code --udp-out}, {@code --osc-out}) as one {@link ResultSink} that also feeds
 * another tap (the recorder), in order, on the hot-path thread.
 */
public final class RigOutputs implements AutoCloseable {
  private final List<UdpResultSender> udp = new ArrayList<>();
  private final List<OscResultSender> osc = new ArrayList<>();

  private RigOutputs() {}

  /** Opens the outputs given (null: none). */
  public static RigOutputs open(String udpOut, String oscOut, int facDim, int nOut, int nDecoded) throws IOException {
    RigOutputs o = new RigOutputs();
    try {
      if (udpOut != null) o.udp.add(new UdpResultSender(udpOut, facDim, nOut, nDecoded));
      if (oscOut != null) o.osc.add(new OscResultSender(oscOut, facDim, nOut, nDecoded));
    } catch (IOException | RuntimeException e) {
      o.close();
      throw e;
    }
    return o;
  }

  public boolean isEmpty() {
    return udp.isEmpty() && osc.isEmpty();
  }

  /** A sink feeding {@code tap} (may be null) and then every output; null when there is nothing to feed. */
  public ResultSink withTap(ResultSink tap) {
    if (isEmpty()) return tap;
    List<ResultSink> all = new ArrayList<>();
    if (tap != null) all.add(tap);
    all.addAll(udp);
    all.addAll(osc);
    ResultSink[] sinks = all.toArray(new ResultSink[0]);
    return new ResultSink() {
      @Override
      public void publish(BinResult r) {
        for (ResultSink s : sinks) s.publish(r);
      }

      @Override
      public void resultExpected() {
        for (ResultSink s : sinks) s.resultExpected();
      }
    };
  }

  /** One line per output: datagrams sent and dropped. */
  public void printSummary(PrintStream out) {
    for (UdpResultSender u : udp) out.println("  " + u.summary());
    for (OscResultSender o : osc) out.println("  " + o.summary());
  }

  @Override
  public void close() {
    for (UdpResultSender u : udp) u.close();
    for (OscResultSender o : osc) o.close();
  }
}
