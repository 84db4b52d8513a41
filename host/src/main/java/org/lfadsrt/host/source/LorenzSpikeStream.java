package org.lfadsrt.host.source;

import java.util.SplittableRandom;

/**
 * An endless Lorenz-driven Poisson spike stream (the LFADS paper's synthetic convention): Lorenz
 * (sigma=10, rho=28, beta=8/3) integrated with RK4, the three coordinates z-scored with the attractor's
 * long-run statistics, mapped to channels by a seeded random readout plus a baseline, exponentiated to
 * rates and Poisson-sampled per bin. Allocation-free per bin, so it can feed the hot path directly.
 */
public final class LorenzSpikeStream {
  // Long-run mean and standard deviation of x, y, z on the classic attractor (sigma 10, rho 28, beta 8/3).
  private static final double[] MEAN = {0.0, 0.0, 23.5};
  private static final double[] STD = {7.9, 9.0, 8.6};

  private final int channels;
  private final double binSeconds;
  private final double[][] readout;
  private final double[] baseline;
  private final SplittableRandom random;
  private final double dt;
  private final int stepsPerBin;
  private final double[] state = {1.0, 1.0, 25.0};
  private final double[] k1 = new double[3], k2 = new double[3], k3 = new double[3], k4 = new double[3];
  private final double[] tmp = new double[3];

  /**
   * @param channels     spike channels
   * @param binSeconds   bin width in seconds (scales rates to expected counts)
   * @param baseRateHz   mean firing rate around which the latent modulates
   * @param timeScale    Lorenz time units per second of neural time (sets how fast trajectories move)
   * @param seed         readout and Poisson seed
   */
  public LorenzSpikeStream(int channels, double binSeconds, double baseRateHz, double timeScale, long seed) {
    this.channels = channels;
    this.binSeconds = binSeconds;
    SplittableRandom init = new SplittableRandom(seed);
    this.readout = new double[channels][3];
    this.baseline = new double[channels];
    for (int c = 0; c < channels; c++) {
      for (int k = 0; k < 3; k++) readout[c][k] = (init.nextDouble() * 2 - 1) * 0.6;
      baseline[c] = Math.log(baseRateHz) + (init.nextDouble() - 0.5) * 0.5;
    }
    this.random = init.split();
    double lorenzPerBin = binSeconds * timeScale;
    this.stepsPerBin = Math.max(1, (int) Math.ceil(lorenzPerBin / 0.005));
    this.dt = lorenzPerBin / stepsPerBin;
    for (int i = 0; i < 500; i++) step(); // settle onto the attractor
  }

  public int channels() {
    return channels;
  }

  /** Advances one bin and writes Poisson counts; {@code rates} (may be null) receives the true rates in Hz. */
  public void nextBin(int[] counts, double[] rates) {
    for (int s = 0; s < stepsPerBin; s++) step();
    double zx = (state[0] - MEAN[0]) / STD[0], zy = (state[1] - MEAN[1]) / STD[1], zz = (state[2] - MEAN[2]) / STD[2];
    for (int c = 0; c < channels; c++) {
      double[] w = readout[c];
      double rate = Math.exp(baseline[c] + w[0] * zx + w[1] * zy + w[2] * zz);
      if (rates != null) rates[c] = rate;
      counts[c] = poisson(rate * binSeconds);
    }
  }

  private int poisson(double lambda) {
    if (lambda < 30) { // Knuth: exact, cheap for the small per-bin means of spike data
      double limit = Math.exp(-lambda), p = random.nextDouble();
      int k = 0;
      while (p > limit) {
        p *= random.nextDouble();
        k++;
      }
      return k;
    }
    double u1 = random.nextDouble(), u2 = random.nextDouble();
    double gauss = Math.sqrt(-2 * Math.log(Math.max(u1, 1e-300))) * Math.cos(2 * Math.PI * u2);
    return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gauss));
  }

  private void step() {
    derivative(state, k1);
    for (int i = 0; i < 3; i++) tmp[i] = state[i] + 0.5 * dt * k1[i];
    derivative(tmp, k2);
    for (int i = 0; i < 3; i++) tmp[i] = state[i] + 0.5 * dt * k2[i];
    derivative(tmp, k3);
    for (int i = 0; i < 3; i++) tmp[i] = state[i] + dt * k3[i];
    derivative(tmp, k4);
    for (int i = 0; i < 3; i++) state[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }

  private static void derivative(double[] s, double[] out) {
    out[0] = 10.0 * (s[1] - s[0]);
    out[1] = s[0] * (28.0 - s[2]) - s[1];
    out[2] = s[0] * s[1] - 8.0 / 3.0 * s[2];
  }
}
