package org.lfadsrt.host.lab;

/**
 * Bins spike events stamped on an acquisition system's sample clock (Open Ephys {@code sample_num}, Intan
 * timestamps) into fixed-width bins of {@code binSamples} samples. Bin 0 starts at the first sample seen.
 *
 * <p>Events land in the bin of their own sample number, in a ring of {@link #RING} open bins, so an event that
 * arrives while an earlier bin is still open (another channel's message of the same block) is counted where it
 * belongs. {@link #advance} says the acquisition clock has reached a sample: every bin ending at or before it is
 * complete and {@link #ready()}. An event older than the oldest open bin is counted in that bin ({@link
 * #lateEvents}). A clock jump beyond {@link #MAX_EMPTY_BINS} re-anchors the grid and the bin index jumps (a gap)
 * instead of emitting thousands of empty bins; a clock that runs backwards by more than that (acquisition
 * restarted) re-anchors too. Single thread, no allocation after construction.
 */
final class AcquisitionBinner {
  static final int RING = 64;
  static final long MAX_EMPTY_BINS = 1000;

  private final int channels;
  private final long binSamples;
  private final int[] acc;
  private long t0;
  private boolean anchored;
  /** Grid bin number of the oldest open bin. */
  private long current;
  /** Bins below this grid number are complete. */
  private long completeBelow;
  /** Index of the last emitted bin as the stream sees it (jumps over re-anchored gaps). */
  private long index = -1;
  private long indexOffset;
  private long lateEvents;
  private long ringOverflows;
  private long reanchors;

  AcquisitionBinner(int channels, long binSamples) {
    if (binSamples < 1) throw new IllegalArgumentException("a bin must span at least one sample, got " + binSamples);
    this.channels = channels;
    this.binSamples = binSamples;
    this.acc = new int[RING * channels];
  }

  /** Samples per bin for a sample rate and bin width (rounded; at least 1). */
  static long binSamples(double sampleRateHz, long binWidthNanos) {
    return Math.max(1, Math.round(sampleRateHz * binWidthNanos / 1e9));
  }

  private long gridBin(long sample) {
    return Math.floorDiv(sample - t0, binSamples);
  }

  private void anchor(long sample) {
    if (!anchored) {
      anchored = true;
      t0 = sample;
      current = 0;
      completeBelow = 0;
      return;
    }
    long b = gridBin(sample);
    if (b - current > MAX_EMPTY_BINS || current - b > MAX_EMPTY_BINS) {
      // Clock jump (forwards: a gap shown in the index; backwards: the acquisition restarted). Counts still in
      // open bins are discarded with the old grid (counted in reanchors).
      reanchors++;
      long skipped = Math.max(0, Math.min(b - current, Long.MAX_VALUE / 4));
      indexOffset += current + skipped;
      java.util.Arrays.fill(acc, 0);
      t0 = sample;
      current = 0;
      completeBelow = 0;
    }
  }

  /** Anchors the grid at {@code sample} when nothing has anchored it yet (the first sample of a stream). */
  void start(long sample) {
    if (!anchored) anchor(sample);
  }

  /** The acquisition clock has reached {@code sample}: bins ending at or before it are complete. */
  void advance(long sample) {
    anchor(sample);
    long b = gridBin(sample);
    if (b > completeBelow) completeBelow = Math.min(b, current + RING);
  }

  /** Counts one event of {@code channel} at {@code sample}. */
  void add(int channel, long sample) {
    anchor(sample);
    long b = gridBin(sample);
    if (b < current) {
      lateEvents++;
      b = current;
    } else if (b >= current + RING) {
      ringOverflows++; // cannot happen when the caller emits ready bins before adding more
      b = current + RING - 1;
    }
    acc[(int) Math.floorMod(b, (long) RING) * channels + channel]++;
  }

  /** A bin is complete and waiting for {@link #emit}. */
  boolean ready() {
    return anchored && current < completeBelow;
  }

  /** Moves the oldest complete bin into {@code counts} (one per channel). */
  void emit(int[] counts) {
    int base = (int) Math.floorMod(current, (long) RING) * channels;
    System.arraycopy(acc, base, counts, 0, channels);
    java.util.Arrays.fill(acc, base, base + channels, 0);
    index = current + indexOffset;
    current++;
  }

  /** Forgets everything open (a new connection): the next sample anchors a new grid, the index continues. */
  void reset() {
    java.util.Arrays.fill(acc, 0);
    if (anchored) indexOffset = index + 1;
    anchored = false;
  }

  long index() { return index; }
  long lateEvents() { return lateEvents; }
  long ringOverflows() { return ringOverflows; }
  long reanchors() { return reanchors; }
}
