package org.lfadsrt.sim.model;

import java.util.SplittableRandom;
import org.lfadsrt.sim.synth.Poisson;

/**
 * Seeded random {@link LfadsModel}s of any size, for co-simulation, property tests and benchmarks. The same
 * (config, seed, options) always gives the same model. Weights follow torch's default initialisation
 * (uniform in ±1/sqrt(fan_in)) scaled by {@link Options#gain}; gains above ~3 drive GRU pre-activations past the
 * activation tables' range, states into the cell clip and linear outputs into saturation, which is what the
 * co-simulation needs to exercise every narrowing.
 */
public final class RandomModels {
  private RandomModels() {}

  /**
   * @param gain        multiplies every GRU, encoder and linear weight (1 = torch default scale)
   * @param biasScale   biases uniform in ±biasScale/sqrt(fan_in)
   * @param h0Scale     learned initial states uniform in ±h0Scale
   * @param readoutBias readout biases uniform in [readoutBias - 1, readoutBias + 1] (log-rate baseline)
   */
  public record Options(double gain, double biasScale, double h0Scale, double readoutBias) {
    /** Well-behaved: stable dynamics, log-rates around log(0.1 spikes/bin). */
    public static Options standard() {
      return new Options(1.0, 1.0, 0.5, -2.0);
    }

    /** Large weights: saturating pre-activations, clipped states, extreme log-rates. */
    public static Options saturating() {
      return new Options(6.0, 4.0, 4.0, 0.0);
    }
  }

  /** The FPGA paper's model size: 70 in/out, 73 bins, IC encoder 64, no controller, generator 64, 4 factors. */
  public static LfadsConfig paperConfig() {
    return new LfadsConfig(70, 73, 73, 70, 64, 0, 0, 0, 0, 64, 64, 4, 5.0);
  }

  /** lfads-torch nlb_mc_maze: 137 in, 182 out, 35 + 10 bins, encoders 64, controller 64/4, generator 200, 100 factors. */
  public static LfadsConfig mcMazeConfig() {
    return new LfadsConfig(137, 35, 45, 182, 64, 64, 1, 64, 4, 64, 200, 100, 5.0);
  }

  /** Small, odd-sized dimensions (primes, unequal encoders, ci_lag in 0..3), with or without a controller. */
  public static LfadsConfig oddConfig(long seed, boolean controller) {
    SplittableRandom r = new SplittableRandom(seed);
    int tEnc = 1 + r.nextInt(17);
    int[] primes = {1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    int nIn = primes[r.nextInt(primes.length)];
    return new LfadsConfig(nIn, tEnc, tEnc + r.nextInt(6), primes[r.nextInt(primes.length)],
        primes[1 + r.nextInt(8)], controller ? primes[1 + r.nextInt(8)] : 0, controller ? r.nextInt(4) : 0,
        controller ? primes[1 + r.nextInt(8)] : 0, controller ? primes[r.nextInt(5)] : 0,
        primes[r.nextInt(8)], primes[1 + r.nextInt(9)], primes[r.nextInt(8)], 5.0);
  }

  public static LfadsModel random(LfadsConfig c, long seed) {
    return random(c, seed, Options.standard());
  }

  public static LfadsModel random(LfadsConfig c, long seed, Options o) {
    SplittableRandom r = new SplittableRandom(seed);
    boolean con = c.useController();
    double[][] icH0 = {uniform(r, c.icEncDim(), o.h0Scale()), uniform(r, c.icEncDim(), o.h0Scale())};
    GruWeights icF = gru(r, c.encodDataDim(), c.icEncDim(), o);
    GruWeights icB = gru(r, c.encodDataDim(), c.icEncDim(), o);
    LinearWeights icLin = linear(r, 2 * c.icDim(), 2 * c.icEncDim(), o, 0);
    double[][] ciH0 = null;
    GruWeights ciF = null, ciB = null, conCell = null;
    double[] conH0 = null;
    LinearWeights coLin = null;
    if (con) {
      ciH0 = new double[][] {uniform(r, c.ciEncDim(), o.h0Scale()), uniform(r, c.ciEncDim(), o.h0Scale())};
      ciF = gru(r, c.encodDataDim(), c.ciEncDim(), o);
      ciB = gru(r, c.encodDataDim(), c.ciEncDim(), o);
      conH0 = uniform(r, c.conDim(), o.h0Scale());
      conCell = gru(r, c.conInputDim(), c.conDim(), o);
      coLin = linear(r, 2 * c.coDim(), c.conDim(), o, 0);
    }
    LinearWeights g0 = linear(r, c.genDim(), c.icDim(), o, 0);
    GruWeights gen = gru(r, c.genInputDim(), c.genDim(), o);
    double[][] fac = matrix(r, c.facDim(), c.genDim(), 1.0 / Math.sqrt(c.genDim()));
    LinearWeights ro = linear(r, c.readoutDim(), c.facDim(), o, o.readoutBias());
    return new LfadsModel(c, icH0, icF, icB, icLin, ciH0, ciF, ciB, conH0, conCell, coLin, g0, gen, fac, ro);
  }

  /** A small model in the FPGA paper's shape family (no controller): 32 channels, 20 bins, 4 factors; see {@link #demo}. */
  public static LfadsModel smallDemo(long seed) {
    return demo(new LfadsConfig(32, 20, 20, 32, 32, 0, 1, 0, 0, 16, 32, 4, 5.0), seed);
  }

  /**
   * A model for the live system's demos and the host's tests (the live system runs the bundled trained model by
   * default). Weights are scaled by gain/sqrt(fan-in) with zero hidden biases; the gains (encoder inputs
   * {@value #DEMO_IN_GAIN}, IC path {@value #DEMO_IC_GAIN}, generator recurrence {@value #DEMO_GEN_GAIN}) are
   * raised above 1 so the newest factors still depend on the window after T_enc generator steps instead of
   * settling on a fixed point.
   */
  public static LfadsModel demo(LfadsConfig c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    boolean con = c.useController();
    double[][] icH0 = matrix(r, 2, c.icEncDim(), 0.1);
    GruWeights icF = demoGru(r, c.encodDataDim(), c.icEncDim(), DEMO_IN_GAIN, 1.0);
    GruWeights icB = demoGru(r, c.encodDataDim(), c.icEncDim(), DEMO_IN_GAIN, 1.0);
    LinearWeights icLin = demoLinear(r, 2 * c.icDim(), 2 * c.icEncDim(), DEMO_IC_GAIN);
    double[][] ciH0 = con ? matrix(r, 2, c.ciEncDim(), 0.1) : null;
    GruWeights ciF = con ? demoGru(r, c.encodDataDim(), c.ciEncDim(), DEMO_IN_GAIN, 1.0) : null;
    GruWeights ciB = con ? demoGru(r, c.encodDataDim(), c.ciEncDim(), DEMO_IN_GAIN, 1.0) : null;
    double[] conH0 = con ? matrix(r, 1, c.conDim(), 0.1)[0] : null;
    GruWeights conCell = con ? demoGru(r, c.conInputDim(), c.conDim(), 1.0, 1.0) : null;
    LinearWeights coLin = con ? demoLinear(r, 2 * c.coDim(), c.conDim(), DEMO_IC_GAIN) : null;
    LinearWeights icToG0 = demoLinear(r, c.genDim(), c.icDim(), DEMO_IC_GAIN);
    GruWeights gen = demoGru(r, c.genInputDim(), c.genDim(), DEMO_IN_GAIN, DEMO_GEN_GAIN);
    double[][] fac = matrix(r, c.facDim(), c.genDim(), 1.0 / Math.sqrt(c.genDim()));
    LinearWeights readout = demoLinear(r, c.readoutDim(), c.facDim(), 1.0);
    return new LfadsModel(c, icH0, icF, icB, icLin, ciH0, ciF, ciB, conH0, conCell, coLin, icToG0, gen, fac, readout);
  }

  static final double DEMO_IN_GAIN = 2.0;
  static final double DEMO_IC_GAIN = 2.0;
  static final double DEMO_GEN_GAIN = 3.0;

  private static GruWeights demoGru(SplittableRandom r, int in, int h, double inGain, double hGain) {
    double si = in == 0 ? 0 : inGain / Math.sqrt(in), sh = hGain / Math.sqrt(h);
    return new GruWeights(in == 0 ? new double[3 * h][0] : matrix(r, 3 * h, in, si), matrix(r, 3 * h, h, sh),
        matrix(r, 1, 3 * h, sh)[0], new double[3 * h]);
  }

  private static LinearWeights demoLinear(SplittableRandom r, int out, int in, double gain) {
    double s = gain / Math.sqrt(in);
    return new LinearWeights(matrix(r, out, in, s), matrix(r, 1, out, s)[0]);
  }

  /** Poisson spike counts (trials x T_enc x N_in) with per-channel rates uniform in [0, 2·meanRate] spikes/bin. */
  public static int[][][] poissonSpikes(LfadsConfig c, int trials, double meanRate, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] rate = new double[c.encodDataDim()];
    for (int i = 0; i < rate.length; i++) rate[i] = 2 * meanRate * r.nextDouble();
    int[][][] out = new int[trials][c.encodSeqLen()][c.encodDataDim()];
    java.util.function.DoubleSupplier draw = r::nextDouble;
    for (int k = 0; k < trials; k++) {
      for (int t = 0; t < c.encodSeqLen(); t++) {
        for (int i = 0; i < rate.length; i++) out[k][t][i] = Poisson.sample(draw, rate[i]);
      }
    }
    return out;
  }



  private static GruWeights gru(SplittableRandom r, int in, int h, Options o) {
    double s = o.gain() / Math.sqrt(h);
    double bs = o.biasScale() / Math.sqrt(h);
    return new GruWeights(matrix(r, 3 * h, in, s), matrix(r, 3 * h, h, s), uniform(r, 3 * h, bs), uniform(r, 3 * h, bs * 0.1));
  }

  private static LinearWeights linear(SplittableRandom r, int out, int in, Options o, double biasCentre) {
    double s = o.gain() / Math.sqrt(Math.max(in, 1));
    double[] b = uniform(r, out, o.biasScale() / Math.sqrt(Math.max(in, 1)));
    if (biasCentre != 0) for (int i = 0; i < out; i++) b[i] = biasCentre + (b[i] >= 0 ? 1 : -1) * r.nextDouble();
    return new LinearWeights(matrix(r, out, in, s), b);
  }

  private static double[][] matrix(SplittableRandom r, int rows, int cols, double scale) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) for (int i = 0; i < cols; i++) row[i] = scale * (2 * r.nextDouble() - 1);
    return m;
  }

  private static double[] uniform(SplittableRandom r, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = scale * (2 * r.nextDouble() - 1);
    return v;
  }
}
