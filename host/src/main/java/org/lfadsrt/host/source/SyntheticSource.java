package org.lfadsrt.host.source;

/**
 * Live synthetic spikes from a {@link LorenzSpikeStream}, paced at the bin width (real time) or as
 * fast as possible (tests, benchmarks). Optionally marks trials of fixed length for trial mode.
 */
public final class SyntheticSource implements SpikeSource {
  private final StreamInfo info;
  private final LorenzSpikeStream stream;
  private final Pacer pacer;
  private final long maxBins;
  private final int trialBins;
  private long index = -1;
  private long completeNanos;
  private volatile boolean closed;

  /**
   * @param channels  spike channels (must match the model's N_in)
   * @param binWidthNanos bin width
   * @param realTime  pace at the bin width, or run as fast as possible
   * @param seed      generator seed
   * @param maxBins   stop after this many bins (-1: endless)
   * @param trialBins mark a trial every this many bins (0: no trial markers)
   */
  public SyntheticSource(int channels, long binWidthNanos, boolean realTime, long seed, long maxBins, int trialBins) {
    this.info = new StreamInfo("lorenz-synthetic", "SpikeCounts", "lorenz:seed=" + seed, channels, binWidthNanos,
        StreamInfo.numberedChannels(channels));
    this.stream = new LorenzSpikeStream(channels, binWidthNanos / 1e9, 20.0, 1.0, seed);
    this.pacer = new Pacer(binWidthNanos, realTime);
    this.maxBins = maxBins;
    this.trialBins = trialBins;
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public int next(int[] counts) throws InterruptedException {
    if (closed || (maxBins >= 0 && index + 1 >= maxBins)) return END_OF_STREAM;
    index++;
    stream.nextBin(counts, null);
    completeNanos = pacer.awaitEndOf(index);
    if (closed) return END_OF_STREAM;
    int flags = BIN;
    if (trialBins > 0) {
      long inTrial = index % trialBins;
      if (inTrial == 0) flags |= TRIAL_START;
      if (inTrial == trialBins - 1) flags |= TRIAL_END;
    }
    return flags;
  }

  @Override
  public long binCompleteNanos() {
    return completeNanos;
  }

  @Override
  public long binIndex() {
    return index;
  }

  @Override
  public long totalBins() {
    return maxBins;
  }

  @Override
  public void close() {
    closed = true;
  }
}
