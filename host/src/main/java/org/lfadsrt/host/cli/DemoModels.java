package org.lfadsrt.host.cli;

import java.util.SplittableRandom;
import org.lfadsrt.sim.model.GruWeights;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.LinearWeights;

/**
 * Seeded random-weight LFADS models of any configuration, for the host's tests (the live system runs
 * the bundled trained model by default). Weights are scaled by gain/sqrt(fan-in);
 * the gains (encoder inputs, IC path, generator recurrence) are raised above 1 so the newest factors
 * still depend on the window after T_enc generator steps instead of settling on a fixed point.
 */
public final class DemoModels {
  private DemoModels() {}

  /** A small model in the FPGA paper's shape family (no controller): 32 channels, 20 bins, 4 factors. */
  public static LfadsModel small(long seed) {
    return random(new LfadsConfig(32, 20, 20, 32, 32, 0, 1, 0, 0, 16, 32, 4, 5.0), seed);
  }

  public static LfadsModel random(LfadsConfig c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    boolean con = c.useController();
    double[][] icH0 = matrix(r, 2, c.icEncDim(), 0.1);
    GruWeights icF = gru(r, c.encodDataDim(), c.icEncDim(), IN_GAIN, 1.0);
    GruWeights icB = gru(r, c.encodDataDim(), c.icEncDim(), IN_GAIN, 1.0);
    LinearWeights icLin = linear(r, 2 * c.icDim(), 2 * c.icEncDim(), IC_GAIN);
    double[][] ciH0 = con ? matrix(r, 2, c.ciEncDim(), 0.1) : null;
    GruWeights ciF = con ? gru(r, c.encodDataDim(), c.ciEncDim(), IN_GAIN, 1.0) : null;
    GruWeights ciB = con ? gru(r, c.encodDataDim(), c.ciEncDim(), IN_GAIN, 1.0) : null;
    double[] conH0 = con ? matrix(r, 1, c.conDim(), 0.1)[0] : null;
    GruWeights conCell = con ? gru(r, c.conInputDim(), c.conDim(), 1.0, 1.0) : null;
    LinearWeights coLin = con ? linear(r, 2 * c.coDim(), c.conDim(), IC_GAIN) : null;
    LinearWeights icToG0 = linear(r, c.genDim(), c.icDim(), IC_GAIN);
    GruWeights gen = gru(r, c.genInputDim(), c.genDim(), IN_GAIN, GEN_GAIN);
    double[][] fac = matrix(r, c.facDim(), c.genDim(), 1.0 / Math.sqrt(c.genDim()));
    LinearWeights readout = linear(r, c.readoutDim(), c.facDim(), 1.0);
    return new LfadsModel(c, icH0, icF, icB, icLin, ciH0, ciF, ciB, conH0, conCell, coLin, icToG0, gen, fac, readout);
  }

  private static double[][] matrix(SplittableRandom r, int rows, int cols, double scale) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) for (int j = 0; j < cols; j++) row[j] = (r.nextDouble() * 2 - 1) * scale;
    return m;
  }

  static final double IN_GAIN = 2.0;
  static final double IC_GAIN = 2.0;
  static final double GEN_GAIN = 3.0;

  private static GruWeights gru(SplittableRandom r, int in, int h, double inGain, double hGain) {
    double si = in == 0 ? 0 : inGain / Math.sqrt(in), sh = hGain / Math.sqrt(h);
    return new GruWeights(in == 0 ? new double[3 * h][0] : matrix(r, 3 * h, in, si), matrix(r, 3 * h, h, sh),
        matrix(r, 1, 3 * h, sh)[0], new double[3 * h]);
  }

  private static LinearWeights linear(SplittableRandom r, int out, int in, double gain) {
    double s = gain / Math.sqrt(in);
    return new LinearWeights(matrix(r, out, in, s), matrix(r, 1, out, s)[0]);
  }
}
