package org.lfadsrt.host.source;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Replays an NWB recording's sorted units as binned counts, paced in real time or as fast as possible.
 * Bins are laid on a grid from {@code t0} (the first trial's start, else 0 s); trial markers come from
 * {@code intervals/trials} (first bin at or after start_time, last bin containing stop_time).
 * Binning walks one cursor per unit, so replay needs no memory beyond the spike times. Bins that a unit did not
 * observe in full (its {@code obs_intervals}) carry {@link SpikeSource#UNOBSERVED}; spikes before bin 0 are counted
 * ({@link #spikesBeforeFirstBin}).
 */
public final class NwbReplaySource extends AbstractSpikeSource {
  private final NwbRecording recording;
  private final StreamInfo info;
  private final Pacer pacer;
  private final double binSeconds;
  private final double t0;
  private final long totalBins;
  private final int[] cursor;
  private final long[] trialStartBin;
  private final long[] trialEndBin;
  private final long spikesBeforeFirstBin;
  private long unobservedBins;
  private int nextTrial;

  public NwbReplaySource(Path file, int[] units, long binWidthNanos, boolean realTime) throws IOException {
    this(NwbRecording.open(file, units), binWidthNanos, realTime);
  }

  /** @param unitsTable the Units table's path, or null to find the only one */
  public NwbReplaySource(Path file, int[] units, String unitsTable, long binWidthNanos, boolean realTime)
      throws IOException {
    this(NwbRecording.open(file, units, unitsTable), binWidthNanos, realTime);
  }

  public NwbReplaySource(NwbRecording recording, long binWidthNanos, boolean realTime) {
    this.recording = recording;
    this.info = new StreamInfo("nwb-replay", "SpikeCounts", recording.file().toString(), recording.unitCount(),
        binWidthNanos, recording.unitNames());
    this.pacer = new Pacer(binWidthNanos, realTime);
    this.binSeconds = binWidthNanos / 1e9;
    this.t0 = recording.trialCount() > 0 ? recording.trialStart(0) : 0.0;
    this.totalBins = Math.max(0, (long) Math.ceil((recording.endTime() - t0) / binSeconds - 1e-9));
    this.cursor = new int[recording.unitCount()];
    long before = 0;
    for (int u = 0; u < cursor.length; u++) {
      double[] t = recording.spikeTimes(u);
      while (cursor[u] < t.length && t[cursor[u]] < t0) cursor[u]++;
      before += cursor[u];
    }
    this.spikesBeforeFirstBin = before;
    int trials = recording.trialCount();
    trialStartBin = new long[trials];
    trialEndBin = new long[trials];
    for (int i = 0; i < trials; i++) {
      trialStartBin[i] = (long) Math.ceil((recording.trialStart(i) - t0) / binSeconds - 1e-9);
      trialEndBin[i] = Math.max(trialStartBin[i], (long) Math.ceil((recording.trialStop(i) - t0) / binSeconds - 1e-9) - 1);
    }
  }

  public NwbRecording recording() {
    return recording;
  }

  /**
   * Spikes of the replayed units before bin 0 (before the first trial's start when there are trials, else before
   * the session start, t = 0): outside the replayed recording, counted here instead of dropped silently.
   */
  public long spikesBeforeFirstBin() {
    return spikesBeforeFirstBin;
  }

  /** Bins replayed so far that some unit did not observe in full (flagged {@link SpikeSource#UNOBSERVED}). */
  public long unobservedBins() {
    return unobservedBins;
  }

  /** One line on what was read and what lies outside the replay, for the operator. */
  public String describe() {
    return String.format(java.util.Locale.ROOT,
        "%s: units table /%s (%d units replayed), session start %s, bin 0 at t = %.6f s; %d spikes before bin 0 "
            + "(%d before the session start) not replayed%s",
        recording.file().getFileName(), recording.unitsTable(), recording.unitCount(),
        recording.sessionStartTime() == null ? "not given" : recording.sessionStartTime(), t0, spikesBeforeFirstBin,
        recording.spikesBeforeSessionStart(),
        recording.hasObsIntervals() ? "; bins outside a unit's obs_intervals are flagged unobserved" : "");
  }

  /** Trial {@code i}'s first bin (the bin at or after its start_time), as replay marks it. */
  public long trialFirstBin(int i) {
    return trialStartBin[i];
  }

  /** Trial {@code i}'s last bin (the bin holding its stop_time; at least its first), as replay marks it. */
  public long trialLastBin(int i) {
    return trialEndBin[i];
  }

  /** Start of bin 0 in recording seconds. */
  public double t0() {
    return t0;
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public int next(int[] counts) throws InterruptedException {
    if (closed || index + 1 >= totalBins) return END_OF_STREAM;
    index++;
    double binEnd = t0 + (index + 1) * binSeconds;
    for (int u = 0; u < cursor.length; u++) {
      double[] t = recording.spikeTimes(u);
      int c = cursor[u], n = 0;
      while (c < t.length && t[c] < binEnd) {
        c++;
        n++;
      }
      cursor[u] = c;
      counts[u] = n;
    }
    int flags = BIN;
    if (!recording.observed(binEnd - binSeconds, binEnd)) {
      flags |= UNOBSERVED;
      unobservedBins++;
    }
    while (nextTrial < trialStartBin.length && trialEndBin[nextTrial] < index) nextTrial++;
    if (nextTrial < trialStartBin.length) {
      if (trialStartBin[nextTrial] == index) flags |= TRIAL_START;
      if (trialEndBin[nextTrial] == index) {
        flags |= TRIAL_END;
        nextTrial++;
      }
    }
    completeNanos = pacer.awaitEndOf(index);
    return flags;
  }

  @Override
  public long totalBins() {
    return totalBins;
  }
}
