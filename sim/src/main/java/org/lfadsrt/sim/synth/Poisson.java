package org.lfadsrt.sim.synth;

import java.util.function.DoubleSupplier;

/**
 * The one Poisson sampler of the project (synthetic recordings, random test inputs, co-simulation inputs):
 * Knuth's product of uniforms, in the form of Commons Math's {@code PoissonDistribution.nextPoisson} for
 * small means (including its cap of 1000·mean), so a stream drawn through it keeps its values. Exact for the
 * means spike counts have (a few per bin); the cost grows with the mean.
 */
public final class Poisson {
  private Poisson() {}

  /** One count with mean {@code mean} (>= 0), drawing uniforms in [0, 1) from {@code uniform}; allocates nothing. */
  public static int sample(DoubleSupplier uniform, double mean) {
    double p = Math.exp(-mean);
    long n = 0;
    double r = 1.0;
    while (n < 1000 * mean) {
      r *= uniform.getAsDouble();
      if (r >= p) {
        n++;
      } else {
        return (int) n;
      }
    }
    return (int) n;
  }
}
