package org.lfadsrt.host.pipeline;

/** Ways of combining {@link ResultSink}s. */
public final class ResultSinks {
  private ResultSinks() {}

  /**
   * Every result (and every {@link ResultSink#resultExpected} hint) to {@code first}, then to {@code second};
   * {@code first} alone when {@code second} is null. Allocates nothing per result.
   */
  public static ResultSink tee(ResultSink first, ResultSink second) {
    if (second == null) return first;
    return new ResultSink() {
      @Override
      public void publish(BinResult r) {
        first.publish(r);
        second.publish(r);
      }

      @Override
      public void resultExpected() {
        first.resultExpected();
        second.resultExpected();
      }
    };
  }
}
