package org.lfadsrt.host.pipeline;

/** Receives every published result on the hot-path thread; must not block and must not keep the instance. */
@FunctionalInterface
public interface ResultSink {
  void publish(BinResult result);
}
