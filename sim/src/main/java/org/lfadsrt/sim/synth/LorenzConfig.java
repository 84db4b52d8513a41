package org.lfadsrt.sim.synth;

/**
 * Parameters of a synthetic Lorenz-driven Poisson recording (LFADS paper convention, reference
 * lfads.md §6). Immutable; validated at construction so a bad value fails where it was given.
 *
 * <p>Two seeds: {@code seed} fixes the simulated "brain" (Lorenz reference trajectory, z-score
 * statistics, each neuron's readout weights and baseline); {@code trialSeed} fixes which trials are
 * drawn from it (initial conditions and Poisson spikes). Recordings with the same {@code seed} and
 * different {@code trialSeed}s are new trials of the same neurons, which is how held-out data for a
 * trained model is made.
 *
 * @param neurons          N, number of simulated neurons (&gt; 0)
 * @param binMs            bin width in milliseconds (&gt; 0)
 * @param bins             T, bins per trial (&gt; 0)
 * @param trials           trials in a recording (&gt; 0)
 * @param minRateHz        lowest firing rate any neuron reaches (&gt; 0)
 * @param maxRateHz        highest firing rate any neuron reaches (&gt; minRateHz)
 * @param lorenzTimePerBin Lorenz time units that elapse per bin (sets how fast the latents move;
 *                         the attractor's loop takes about 0.7 units)
 * @param seed             seed of the simulated neurons
 * @param trialSeed        seed of the trials (initial conditions, spikes)
 */
public record LorenzConfig(
    int neurons,
    double binMs,
    int bins,
    int trials,
    double minRateHz,
    double maxRateHz,
    double lorenzTimePerBin,
    long seed,
    long trialSeed) {

  public static final int DEFAULT_NEURONS = 30;
  public static final double DEFAULT_BIN_MS = 10.0;
  public static final int DEFAULT_BINS = 50;
  public static final int DEFAULT_TRIALS = 200;
  public static final double DEFAULT_MIN_RATE_HZ = 5.0;
  public static final double DEFAULT_MAX_RATE_HZ = 100.0;
  public static final double DEFAULT_LORENZ_TIME_PER_BIN = 0.015;

  public LorenzConfig {
    positive("neurons", neurons);
    positive("bins", bins);
    positive("trials", trials);
    positiveFinite("bin_ms", binMs);
    positiveFinite("min_rate_hz", minRateHz);
    positiveFinite("max_rate_hz", maxRateHz);
    positiveFinite("lorenz_time_per_bin", lorenzTimePerBin);
    if (!(maxRateHz > minRateHz)) {
      throw new IllegalArgumentException(
          "max_rate_hz (" + maxRateHz + ") must be greater than min_rate_hz (" + minRateHz + ")");
    }
    if (lorenzTimePerBin > 0.1) {
      // Much coarser than this and the latents jump a large part of the attractor per bin.
      throw new IllegalArgumentException(
          "lorenz_time_per_bin must be <= 0.1 Lorenz time units, got " + lorenzTimePerBin);
    }
  }

  /** The defaults used by {@code lfads-rt synth} and the bundled demo model: 30 neurons, 50 x 10 ms. */
  public static LorenzConfig defaults(long seed) {
    return new LorenzConfig(DEFAULT_NEURONS, DEFAULT_BIN_MS, DEFAULT_BINS, DEFAULT_TRIALS,
        DEFAULT_MIN_RATE_HZ, DEFAULT_MAX_RATE_HZ, DEFAULT_LORENZ_TIME_PER_BIN, seed, seed);
  }

  public double binSeconds() {
    return binMs / 1000.0;
  }

  public LorenzConfig withTrials(int newTrials) {
    return new LorenzConfig(neurons, binMs, bins, newTrials, minRateHz, maxRateHz,
        lorenzTimePerBin, seed, trialSeed);
  }

  public LorenzConfig withTrialSeed(long newTrialSeed) {
    return new LorenzConfig(neurons, binMs, bins, trials, minRateHz, maxRateHz,
        lorenzTimePerBin, seed, newTrialSeed);
  }

  private static void positive(String name, int v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + v);
  }

  private static void positiveFinite(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
    }
  }
}
