package org.lfadsrt.host.live;

import picocli.CommandLine.Option;

/** {@code --publish-spin-us}, shared by {@code run} and {@code bench}: see {@code RigServer.publishSpinMicros}. */
public final class PublishSpinOption {
  @Option(names = "--publish-spin-us", description = "After each bin is submitted to the backend, the socket event loop "
      + "spins up to this long waiting for its result instead of sleeping until woken (0: sleep; waking it costs tens of "
      + "microseconds per result on a virtual machine; spinning costs up to this much of a core per bin; "
      + "default: ${DEFAULT-VALUE}).")
  long micros = 0;

  public long micros() {
    return micros;
  }

  /** What is wrong with the value, or null when it is usable. */
  public String problem() {
    return micros < 0 ? "--publish-spin-us must be >= 0, got " + micros : null;
  }
}
