package org.lfadsrt.host.source;

import org.lfadsrt.sim.synth.LorenzConfig;
import org.lfadsrt.sim.synth.LorenzStream;

/**
 * Live synthetic spikes from the sim module's Lorenz generator ({@link LorenzStream}, the LFADS paper's
 * convention), paced at the bin width (real time) or as fast as possible (tests, benchmarks). With the
 * bundled demo model, pass {@code BundledModels.DEMO_SYSTEM} so the spikes come from the neurons the model
 * was trained on. In trial mode the stream restarts the latent state every {@code config.bins()} bins
 * and marks each trial's first and last bin.
 */
public final class SyntheticSource extends AbstractSpikeSource {
  private final StreamInfo info;
  private final LorenzStream stream;
  private final Pacer pacer;
  private final long maxBins;
  private final int trialBins;

  /**
   * @param config   simulated neurons and bin width ({@code config.neurons()} must match the model's N_in)
   * @param realTime pace at the bin width, or run as fast as possible
   * @param maxBins  stop after this many bins (-1: endless)
   * @param trials   trial-structured stream with markers, or one continuous trajectory
   */
  public SyntheticSource(LorenzConfig config, boolean realTime, long maxBins, boolean trials) {
    long binWidthNanos = Math.round(config.binMs() * 1e6);
    this.info = new StreamInfo("lorenz-synthetic", "SpikeCounts",
        "lorenz:system=" + config.seed() + ",seed=" + config.trialSeed(), config.neurons(), binWidthNanos,
        StreamInfo.numberedChannels(config.neurons()));
    this.stream = trials ? LorenzStream.trials(config) : LorenzStream.continuous(config);
    this.pacer = new Pacer(binWidthNanos, realTime);
    this.maxBins = maxBins;
    this.trialBins = trials ? config.bins() : 0;
  }

  /**
   * A stream of fresh simulated neurons with default rates (5-100 Hz) and latent speed.
   *
   * @param trialBins mark a trial every this many bins (0: continuous, no markers)
   */
  public SyntheticSource(int channels, long binWidthNanos, boolean realTime, long seed, long maxBins, int trialBins) {
    this(new LorenzConfig(channels, binWidthNanos / 1e6, trialBins > 0 ? trialBins : LorenzConfig.DEFAULT_BINS, 1,
        LorenzConfig.DEFAULT_MIN_RATE_HZ, LorenzConfig.DEFAULT_MAX_RATE_HZ, LorenzConfig.DEFAULT_LORENZ_TIME_PER_BIN,
        seed, seed), realTime, maxBins, trialBins > 0);
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public int next(int[] counts) throws InterruptedException {
    if (closed || (maxBins >= 0 && index + 1 >= maxBins)) return END_OF_STREAM;
    index++;
    stream.nextBin(counts);
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

  /** The pacer releasing this source's bins (its wait strategy can be tuned, see {@link Pacer#spinNanos(long)}). */
  public Pacer pacer() {
    return pacer;
  }

  /** Ground-truth expected counts of the last bin (a reused view). */
  public double[] trueRates() {
    return stream.rates();
  }

  @Override
  public long totalBins() {
    return maxBins;
  }
}
