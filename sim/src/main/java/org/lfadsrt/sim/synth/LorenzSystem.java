package org.lfadsrt.sim.synth;

import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.nonstiff.ClassicalRungeKuttaIntegrator;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The simulated "brain" behind a synthetic recording: the Lorenz system (sigma = 10, rho = 28,
 * beta = 8/3), the statistics that z-score its three coordinates, and each neuron's readout.
 * Everything here is fixed by {@link LorenzConfig#seed()}; trials drawn from it are not.
 *
 * <p>Per bin: {@code latent = (state - mean) / std} (per coordinate), then
 * {@code logRate[n] = clamp(baseline[n] + readout[n] . latent, log(minRateHz), log(maxRateHz))},
 * {@code rateHz = exp(logRate)}. Each neuron's readout is a random unit direction scaled so that over
 * a long reference trajectory its log-rate sweeps exactly [log minRateHz, log maxRateHz]; the clamp
 * only guards trials that leave the reference range by a hair.
 *
 * <p>Integration: classical fourth-order Runge-Kutta with a fixed step of
 * {@code lorenzTimePerBin / substepsPerBin()} (at most 0.0025 Lorenz time units). {@link
 * #advanceBin(double[])} uses Commons Math's {@link ClassicalRungeKuttaIntegrator}; {@link
 * #advanceBinInPlace(double[], double[])} is an allocation-free replica of the same arithmetic (for the
 * streaming source), bit-identical to it (tested).
 */
public final class LorenzSystem {

  public static final double SIGMA = 10.0;
  public static final double RHO = 28.0;
  public static final double BETA = 8.0 / 3.0;

  /**
   * Largest integration step (Lorenz time units). RK4 at this step stays within ~1e-8 (absolute, on
   * coordinates of size ~20) of a tight Dormand-Prince 8(5,3) solution over a bin (tested).
   */
  static final double MAX_STEP = 0.0025;
  /** Bins of the reference trajectory that set z-score statistics, readout ranges and trial starts. */
  static final int REFERENCE_BINS = 20_000;
  /** Bins integrated and discarded first so the reference trajectory lies on the attractor. */
  static final int BURN_IN_BINS = 2_000;

  // Seed-array tags: one independent Well19937c stream per purpose, same user seed.
  static final int TAG_SYSTEM = 0x5157;
  static final int TAG_TRIAL_START = 0x1C;
  static final int TAG_SPIKES = 0x5B;

  private final LorenzConfig config;
  private final int substeps;
  private final double step;
  private final ClassicalRungeKuttaIntegrator integrator;
  private final Equations equations = new Equations();
  private final double[] mean = new double[3];
  private final double[] std = new double[3];
  private final double[][] readout;   // (N x 3), applied to z-scored latents
  private final double[] baseline;    // (N)
  private final double logRateMin;
  private final double logRateMax;
  private final double[][] referenceStates; // (REFERENCE_BINS x 3), raw Lorenz states: trial starts

  public LorenzSystem(LorenzConfig config) {
    this.config = config;
    this.substeps = (int) Math.ceil(config.lorenzTimePerBin() / MAX_STEP - 1e-9);
    this.step = config.lorenzTimePerBin() / substeps;
    this.integrator = new ClassicalRungeKuttaIntegrator(step);
    this.logRateMin = Math.log(config.minRateHz());
    this.logRateMax = Math.log(config.maxRateHz());

    RandomGenerator rng = rng(config.seed(), TAG_SYSTEM);
    double[] y = {rng.nextDouble() * 30 - 15, rng.nextDouble() * 30 - 15, rng.nextDouble() * 30 + 10};
    for (int i = 0; i < BURN_IN_BINS; i++) {
      advanceBin(y);
    }
    referenceStates = new double[REFERENCE_BINS][];
    for (int i = 0; i < REFERENCE_BINS; i++) {
      referenceStates[i] = y.clone();
      advanceBin(y);
    }
    for (int k = 0; k < 3; k++) {
      double s = 0;
      for (double[] r : referenceStates) s += r[k];
      mean[k] = s / REFERENCE_BINS;
      double ss = 0;
      for (double[] r : referenceStates) ss += (r[k] - mean[k]) * (r[k] - mean[k]);
      std[k] = Math.sqrt(ss / REFERENCE_BINS);
    }

    int n = config.neurons();
    readout = new double[n][3];
    baseline = new double[n];
    double[] latent = new double[3];
    for (int i = 0; i < n; i++) {
      double[] w = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      double norm = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double[] r : referenceStates) {
        zScore(r, latent);
        double p = (w[0] * latent[0] + w[1] * latent[1] + w[2] * latent[2]) / norm;
        lo = Math.min(lo, p);
        hi = Math.max(hi, p);
      }
      double gain = (logRateMax - logRateMin) / (hi - lo);
      for (int k = 0; k < 3; k++) readout[i][k] = gain * w[k] / norm;
      baseline[i] = logRateMin - gain * lo;
    }
  }

  public LorenzConfig config() {
    return config;
  }

  /** Integration steps per bin. */
  public int substepsPerBin() {
    return substeps;
  }

  /** Readout matrix (N x 3) from z-scored latents to log-rates (natural log of Hz). Do not modify. */
  public double[][] readout() {
    return readout;
  }

  /** Per-neuron baseline log-rate (natural log of Hz). Do not modify. */
  public double[] baseline() {
    return baseline;
  }

  /** Mean of each Lorenz coordinate over the reference trajectory. */
  public double[] latentMean() {
    return mean.clone();
  }

  /** Standard deviation of each Lorenz coordinate over the reference trajectory. */
  public double[] latentStd() {
    return std.clone();
  }

  /** Writes a trial's raw start state (a point of the reference trajectory) into {@code stateOut}. */
  void trialStart(RandomGenerator trialStartRng, double[] stateOut) {
    double[] r = referenceStates[trialStartRng.nextInt(REFERENCE_BINS)];
    System.arraycopy(r, 0, stateOut, 0, 3);
  }

  /** z-scores a raw Lorenz state. */
  public void zScore(double[] state, double[] latentOut) {
    for (int k = 0; k < 3; k++) latentOut[k] = (state[k] - mean[k]) / std[k];
  }

  /** Natural-log firing rate (Hz) of neuron {@code n} for a z-scored latent. */
  public double logRateHz(int n, double[] latent) {
    double[] w = readout[n];
    double v = baseline[n] + w[0] * latent[0] + w[1] * latent[1] + w[2] * latent[2];
    return Math.min(logRateMax, Math.max(logRateMin, v));
  }

  /**
   * Expected spike count in one bin (rate x bin width) of every neuron for a z-scored latent.
   * Allocation-free.
   */
  public void expectedCounts(double[] latent, double[] countsOut) {
    double binSeconds = config.binSeconds();
    for (int n = 0; n < readout.length; n++) {
      countsOut[n] = Math.exp(logRateHz(n, latent)) * binSeconds;
    }
  }

  /** Advances a raw Lorenz state by one bin with Commons Math's RK4 integrator (allocates). */
  public void advanceBin(double[] state) {
    double[] y = state;
    for (int s = 0; s < substeps; s++) {
      y = integrator.singleStep(equations, 0.0, y, step);
    }
    System.arraycopy(y, 0, state, 0, 3);
  }

  /**
   * Advances a raw Lorenz state by one bin without allocating; the same arithmetic, in the same
   * order, as Commons Math's {@code RungeKuttaIntegrator.singleStep} with the classical tableau, so
   * the result is bit-identical to {@link #advanceBin(double[])}.
   *
   * @param scratch at least 15 doubles of working space
   */
  public void advanceBinInPlace(double[] state, double[] scratch) {
    final double h = step;
    for (int s = 0; s < substeps; s++) {
      // scratch layout: k0[0..3) k1[3..6) k2[6..9) k3[9..12) yTmp[12..15)
      derivative(state, 0, scratch, 0);
      for (int j = 0; j < 3; j++) scratch[12 + j] = state[j] + h * (0.5 * scratch[j]);
      derivative(scratch, 12, scratch, 3);
      for (int j = 0; j < 3; j++) {
        double sum = 0.0 * scratch[j] + 0.5 * scratch[3 + j];
        scratch[12 + j] = state[j] + h * sum;
      }
      derivative(scratch, 12, scratch, 6);
      for (int j = 0; j < 3; j++) {
        double sum = 0.0 * scratch[j] + 0.0 * scratch[3 + j] + 1.0 * scratch[6 + j];
        scratch[12 + j] = state[j] + h * sum;
      }
      derivative(scratch, 12, scratch, 9);
      for (int j = 0; j < 3; j++) {
        double sum = B0 * scratch[j] + B1 * scratch[3 + j] + B2 * scratch[6 + j] + B3 * scratch[9 + j];
        state[j] = state[j] + h * sum;
      }
    }
  }

  private static final double B0 = 1.0 / 6.0;
  private static final double B1 = 1.0 / 3.0;
  private static final double B2 = 1.0 / 3.0;
  private static final double B3 = 1.0 / 6.0;

  /** Lorenz vector field at {@code y[off..off+3)} written to {@code out[outOff..outOff+3)}. */
  static void derivative(double[] y, int off, double[] out, int outOff) {
    double x = y[off];
    double yy = y[off + 1];
    double z = y[off + 2];
    out[outOff] = SIGMA * (yy - x);
    out[outOff + 1] = x * (RHO - z) - yy;
    out[outOff + 2] = x * yy - BETA * z;
  }

  /** The Lorenz equations for Commons Math. */
  static final class Equations implements FirstOrderDifferentialEquations {
    @Override
    public int getDimension() {
      return 3;
    }

    @Override
    public void computeDerivatives(double t, double[] y, double[] yDot) {
      derivative(y, 0, yDot, 0);
    }
  }

  /** One independent, seeded random stream per purpose (system, trial starts, spikes). */
  static RandomGenerator rng(long seed, int tag) {
    return new Well19937c(new int[] {(int) (seed >>> 32), (int) seed, tag});
  }
}
