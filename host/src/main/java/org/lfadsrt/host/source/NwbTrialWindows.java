package org.lfadsrt.host.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The trials of an NWB recording ({@code intervals/trials}) as whole LFADS input windows of T_enc bins, binned by
 * running the recording's {@link NwbReplaySource} once, so the counts, the trial bins and the obs_intervals flags are
 * the replay's own: trial k's window starts at its first bin (the bin at or after start_time); bins after its last
 * bin (the one holding stop_time) are zero, as {@code replay --mode trial} pads them; a trial longer than T_enc keeps
 * its first T_enc bins (counted: {@link #truncatedTrials}). A trial is unobserved when a bin inside it is outside some
 * unit's {@code obs_intervals}. Counts above 255 saturate to the kernel's 8 bits (counted).
 */
public final class NwbTrialWindows {
  private final NwbReplaySource source;
  private final int tEnc, nIn;
  private final long[] counts; // trials x T_enc x N_in
  private final long[] firstBin;
  private final int[] inTrialBins; // bins of the trial inside its window (0..T_enc)
  private final boolean[] unobserved;
  private final int truncated;
  private final long saturated;

  private NwbTrialWindows(NwbReplaySource source, int tEnc, long[] counts, long[] firstBin, int[] inTrialBins,
      boolean[] unobserved, int truncated, long saturated) {
    this.source = source;
    this.tEnc = tEnc;
    this.nIn = source.info().channelCount();
    this.counts = counts;
    this.firstBin = firstBin;
    this.inTrialBins = inTrialBins;
    this.unobserved = unobserved;
    this.truncated = truncated;
    this.saturated = saturated;
  }

  /** Bins {@code recording}'s trials in windows of {@code tEnc} bins of {@code binWidthNanos}. */
  public static NwbTrialWindows read(NwbRecording recording, long binWidthNanos, int tEnc) throws IOException {
    int trials = recording.trialCount();
    if (trials == 0) {
      throw new IOException(recording.file() + ": no intervals/trials: infer takes whole trials (for every bin, "
          + "replay " + recording.file() + " --mode online)");
    }
    NwbReplaySource src = new NwbReplaySource(recording, binWidthNanos, false);
    int nIn = recording.unitCount();
    long[] first = new long[trials], last = new long[trials];
    Integer[] order = new Integer[trials];
    for (int k = 0; k < trials; k++) {
      first[k] = src.trialFirstBin(k);
      if (first[k] < 0) {
        throw new IOException(recording.file() + ": intervals/trials row " + k + " starts at " + recording.trialStart(k)
            + " s, before the first trial (" + recording.trialStart(0) + " s, bin 0): trials must be sorted by start_time");
      }
      last[k] = Math.min(src.trialLastBin(k), first[k] + tEnc - 1);
      order[k] = k;
    }
    Arrays.sort(order, Comparator.comparingLong(k -> first[k]));
    long[] counts = new long[trials * tEnc * nIn];
    int[] inTrial = new int[trials];
    boolean[] unobserved = new boolean[trials];
    int truncated = 0;
    for (int k = 0; k < trials; k++) if (src.trialLastBin(k) > last[k]) truncated++;
    long saturated = 0;
    int[] bin = new int[nIn];
    List<Integer> active = new ArrayList<>();
    int next = 0;
    try {
      for (long b = 0; next < trials || !active.isEmpty(); b++) {
        int flags = src.next(bin);
        if (flags == SpikeSource.END_OF_STREAM) break;
        while (next < trials && first[order[next]] <= b) active.add(order[next++]);
        for (int i = 0; i < active.size(); i++) {
          int k = active.get(i);
          if (b > last[k]) continue;
          int base = (k * tEnc + (int) (b - first[k])) * nIn;
          for (int c = 0; c < nIn; c++) {
            if (bin[c] > 255) saturated++;
            counts[base + c] = Math.min(bin[c], 255);
          }
          inTrial[k]++;
          if ((flags & SpikeSource.UNOBSERVED) != 0) unobserved[k] = true;
        }
        final long done = b;
        active.removeIf(k -> done >= last[k]);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binning " + recording.file(), e);
    }
    return new NwbTrialWindows(src, tEnc, counts, first, inTrial, unobserved, truncated, saturated);
  }

  /** The replay source the trials were binned with (t0, bin width, spikes before bin 0, description). */
  public NwbReplaySource source() { return source; }
  public int trials() { return firstBin.length; }
  public int tEnc() { return tEnc; }
  public int channels() { return nIn; }
  /** Counts, trials x T_enc x N_in, 0..255. */
  public long[] counts() { return counts; }
  /** Trial {@code k}'s first bin on the replay's grid (bin 0 starts at {@link NwbReplaySource#t0()}). */
  public long firstBin(int k) { return firstBin[k]; }
  /** How many of trial {@code k}'s window bins lie inside the trial (the rest are zero padding). */
  public int inTrialBins(int k) { return inTrialBins[k]; }
  /** True when a bin inside trial {@code k} is outside some unit's obs_intervals. */
  public boolean unobserved(int k) { return unobserved[k]; }
  /** Trials longer than T_enc bins (their first T_enc bins are inferred). */
  public int truncatedTrials() { return truncated; }
  /** Bin counts above 255 that were saturated to 255. */
  public long saturatedCounts() { return saturated; }

  /** Start of trial {@code k}'s first bin, seconds after the session start. */
  public double trialStartSeconds(int k) {
    return source.t0() + firstBin[k] * (source.info().binWidthNanos() / 1e9);
  }
}
