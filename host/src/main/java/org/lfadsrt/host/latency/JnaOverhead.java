package org.lfadsrt.host.latency;

import java.util.Arrays;
import org.lfadsrt.host.backend.NativeBackend;

/** The host cost of one call through the JNA binding that does no work ({@code lfads_noop}: a handle check). */
final class JnaOverhead {
  private JnaOverhead() {}

  /** Median over 100 batches of the mean time of 1000 calls, in ns, after 100000 warm-up calls (JIT). */
  static long medianNoopNanos(NativeBackend backend) {
    for (int i = 0; i < 100_000; i++) backend.noop();
    long[] perCall = new long[100];
    for (int b = 0; b < perCall.length; b++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 1000; i++) backend.noop();
      perCall[b] = (System.nanoTime() - t0) / 1000;
    }
    Arrays.sort(perCall);
    return Math.max(1, perCall[perCall.length / 2]);
  }
}
