package org.lfadsrt.sim.synth;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * Streaming form of {@link LorenzGenerator}: produces a synthetic recording one bin at a time, on
 * demand, without allocating anything per bin. Meant for the live host's synthetic spike source.
 *
 * <pre>{@code
 * LorenzStream source = LorenzStream.trials(LorenzConfig.defaults(7));
 * int[] counts = new int[source.neurons()];
 * while (running) {
 *   source.nextBin(counts);             // counts[n] = spikes of neuron n in this bin
 *   double[] truth = source.rates();    // expected counts of the same bin (view, reused)
 * }
 * }</pre>
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@link #trials(LorenzConfig)}: restarts the latent state every {@code config.bins()} bins at a
 *       new random start, exactly as the generator does; the bins are <b>bit-identical</b> to
 *       {@code LorenzGenerator.generate(config)} trial after trial (tested), and the stream simply
 *       continues past {@code config.trials()}.</li>
 *   <li>{@link #continuous(LorenzConfig)}: one uninterrupted Lorenz trajectory (a long session);
 *       {@code config.bins()} and {@code config.trials()} are ignored.</li>
 * </ul>
 *
 * <p>Spikes use the same algorithm and random stream as Commons Math's {@code PoissonDistribution}
 * for means below 40 (Knuth's product of uniforms), re-implemented here because the Commons Math
 * sampler has to be constructed per mean. The constructor therefore rejects configurations whose
 * largest expected count per bin, {@code maxRateHz * binSeconds}, is 40 or more.
 *
 * <p>Not thread-safe: one producer thread calls {@link #nextBin(int[])}.
 */
public final class LorenzStream {

  /** Commons Math's PoissonDistribution switches algorithm at this mean. */
  static final double KNUTH_LIMIT = 40.0;

  private final LorenzSystem system;
  private final int restartEvery; // 0 = never
  private final RandomGenerator startRng;
  private final java.util.function.DoubleSupplier spikeUniform; // the spike RNG's nextDouble, made once (no allocation per bin)
  private final double[] state = new double[3];
  private final double[] scratch = new double[15];
  private final double[] latent = new double[3];
  private final double[] rates;
  private long binIndex = -1;
  private int binInTrial = -1;
  private long trialIndex = -1;

  private LorenzStream(LorenzSystem system, int restartEvery) {
    LorenzConfig c = system.config();
    double maxMean = c.maxRateHz() * c.binSeconds();
    if (maxMean >= KNUTH_LIMIT) {
      throw new IllegalArgumentException("LorenzStream needs max_rate_hz * bin width < " + KNUTH_LIMIT
          + " expected spikes per bin, got " + c.maxRateHz() + " Hz * " + c.binSeconds() + " s = "
          + maxMean);
    }
    this.system = system;
    this.restartEvery = restartEvery;
    this.startRng = LorenzSystem.rng(c.trialSeed(), LorenzSystem.TAG_TRIAL_START);
    RandomGenerator spikeRng = LorenzSystem.rng(c.trialSeed(), LorenzSystem.TAG_SPIKES);
    this.spikeUniform = spikeRng::nextDouble;
    this.rates = new double[c.neurons()];
  }

  /** Trial-structured stream, bin-for-bin identical to {@link LorenzGenerator#generate(LorenzConfig)}. */
  public static LorenzStream trials(LorenzConfig config) {
    return trials(new LorenzSystem(config));
  }

  public static LorenzStream trials(LorenzSystem system) {
    return new LorenzStream(system, system.config().bins());
  }

  /** One uninterrupted trajectory, starting at a random point of the attractor. */
  public static LorenzStream continuous(LorenzConfig config) {
    return continuous(new LorenzSystem(config));
  }

  public static LorenzStream continuous(LorenzSystem system) {
    return new LorenzStream(system, 0);
  }

  public int neurons() {
    return rates.length;
  }

  public LorenzSystem system() {
    return system;
  }

  /**
   * Advances one bin and writes each neuron's spike count into {@code countsOut[0..neurons)}.
   * Allocation-free.
   *
   * @return the index of this bin since the stream started (0, 1, 2, ...)
   */
  public long nextBin(int[] countsOut) {
    if (countsOut.length < rates.length) {
      throw new IllegalArgumentException(
          "countsOut has " + countsOut.length + " slots, the stream has " + rates.length + " neurons");
    }
    if (binIndex < 0 || (restartEvery > 0 && binInTrial == restartEvery - 1)) {
      system.trialStart(startRng, state);
      trialIndex++;
      binInTrial = 0;
    } else {
      system.advanceBinInPlace(state, scratch);
      binInTrial++;
    }
    binIndex++;
    system.zScore(state, latent);
    system.expectedCounts(latent, rates);
    for (int n = 0; n < rates.length; n++) {
      countsOut[n] = poisson(rates[n]);
    }
    return binIndex;
  }

  /** Ground-truth expected spike counts of the last bin (a reused view; valid until the next call). */
  public double[] rates() {
    return rates;
  }

  /** Ground-truth z-scored latent of the last bin (a reused view; valid until the next call). */
  public double[] latents() {
    return latent;
  }

  /** Bin index within the current trial (trial mode), or bins since the start (continuous mode). */
  public long binInTrial() {
    return restartEvery > 0 ? binInTrial : binIndex;
  }

  /** Index of the current trial (always 0 in continuous mode). */
  public long trialIndex() {
    return trialIndex;
  }

  private int poisson(double mean) {
    return Poisson.sample(spikeUniform, mean);
  }

}
