package org.lfadsrt.sim.synth;

import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Seeded Lorenz-driven Poisson recordings (LFADS paper convention; reference lfads.md §6).
 *
 * <p>Each trial starts at a point of the system's reference trajectory drawn at random (so it starts
 * on the attractor), is integrated bin by bin with Commons Math's RK4 integrator, z-scored, read out
 * to per-neuron rates (see {@link LorenzSystem}) and Poisson-sampled with Commons Math's
 * {@link PoissonDistribution}. Bin t of a trial holds the latent at the start of that bin.
 *
 * <p>Deterministic: the same {@link LorenzConfig} always gives the same arrays. {@link LorenzStream}
 * produces the same trials bin by bin without allocating.
 */
public final class LorenzGenerator {

  private LorenzGenerator() {}

  /** Generates {@code config.trials()} trials. */
  public static SyntheticRecording generate(LorenzConfig config) {
    return generate(new LorenzSystem(config));
  }

  /** Generates {@code system.config().trials()} trials from an already-built system. */
  public static SyntheticRecording generate(LorenzSystem system) {
    LorenzConfig c = system.config();
    int trials = c.trials();
    int bins = c.bins();
    int n = c.neurons();
    RandomGenerator startRng = LorenzSystem.rng(c.trialSeed(), LorenzSystem.TAG_TRIAL_START);
    RandomGenerator spikeRng = LorenzSystem.rng(c.trialSeed(), LorenzSystem.TAG_SPIKES);

    int[][][] spikes = new int[trials][bins][n];
    double[][][] rates = new double[trials][bins][n];
    double[][][] latents = new double[trials][bins][3];
    double[] state = new double[3];
    for (int trial = 0; trial < trials; trial++) {
      system.trialStart(startRng, state);
      for (int t = 0; t < bins; t++) {
        if (t > 0) system.advanceBin(state);
        system.zScore(state, latents[trial][t]);
        system.expectedCounts(latents[trial][t], rates[trial][t]);
        for (int i = 0; i < n; i++) {
          spikes[trial][t][i] = new PoissonDistribution(spikeRng, rates[trial][t][i],
              PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
        }
      }
    }
    return new SyntheticRecording(c, spikes, rates, latents);
  }
}
