package org.lfadsrt.host.source;

import java.io.IOException;

/**
 * A stream of binned spike counts. One thread (the pipeline's hot-path thread) calls {@link #next};
 * implementations allocate nothing per bin.
 *
 * <p>{@link #next} returns a bit set of events. {@link #BIN} means {@code counts} was filled with the
 * next bin; {@link #TRIAL_START} / {@link #TRIAL_END} are trial markers, either on a bin (start: the bin
 * is the first of a trial; end: the bin is the last) or alone (then {@code counts} is untouched).
 * {@link #END_OF_STREAM} ends the stream.
 */
public interface SpikeSource extends AutoCloseable {

  int END_OF_STREAM = -1;
  int BIN = 1;
  int TRIAL_START = 2;
  int TRIAL_END = 4;
  /**
   * With {@link #BIN}: the source did not observe every channel over the whole bin (NWB {@code obs_intervals}), so
   * its counts are not counts of zero spikes; results whose window holds such a bin are flagged.
   */
  int UNOBSERVED = 8;

  StreamInfo info();

  /**
   * Blocks until the next event (paced sources wait for the bin's wall-clock end).
   *
   * @param counts receives one count per channel when the result has {@link #BIN}
   * @return event bits, or {@link #END_OF_STREAM}
   * @throws IOException when the underlying file or connection fails; the message names it
   */
  int next(int[] counts) throws IOException, InterruptedException;

  /** Monotonic time ({@link System#nanoTime()}) at which the last bin returned by {@link #next} was complete. */
  long binCompleteNanos();

  /** Index of the last bin returned (0-based, in source bin-time: gaps show as jumps). */
  long binIndex();

  /** Total bins when known in advance (files), else -1. Used for progress bars. */
  default long totalBins() {
    return -1;
  }

  /** Stops the stream; a blocked {@link #next} returns {@link #END_OF_STREAM} or throws. */
  @Override
  void close();
}
