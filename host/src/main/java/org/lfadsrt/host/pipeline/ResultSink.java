package org.lfadsrt.host.pipeline;

/** Receives every published result on the hot-path thread; must not block and must not keep the instance. */
@FunctionalInterface
public interface ResultSink {
  void publish(BinResult result);

  /**
   * A hint, on the hot-path thread, that a result is about to be computed (a bin was just submitted to the backend):
   * a sink may get ready to send it, e.g. wake a sleeping thread now so that waking it is not added to the result's
   * latency. It may never be followed by a result (a backend fault). Must not block. Default: nothing.
   */
  default void resultExpected() {}
}
