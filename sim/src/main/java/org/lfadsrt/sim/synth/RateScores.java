package org.lfadsrt.sim.synth;

/**
 * How well inferred rates match ground truth. Arrays are [trial][bin][neuron]; both must have the
 * same shape and be on the same scale (expected counts per bin).
 */
public final class RateScores {

  private RateScores() {}

  /**
   * Coefficient of determination per neuron over all trials x bins, averaged over neurons:
   * {@code mean_n (1 - SS_res(n) / SS_tot(n))} with {@code SS_tot} about neuron n's true mean. The
   * figure {@code sim/python/train_demo.py} reports. A neuron whose true rate is constant has no
   * defined R^2 and is an error.
   */
  public static double r2PerNeuronMean(double[][][] predicted, double[][][] truth) {
    int n = checkShapes(predicted, truth);
    double sum = 0;
    for (int k = 0; k < n; k++) {
      double mean = 0;
      long count = 0;
      for (double[][] trial : truth) {
        for (double[] bin : trial) {
          mean += bin[k];
          count++;
        }
      }
      mean /= count;
      double ssRes = 0;
      double ssTot = 0;
      for (int tr = 0; tr < truth.length; tr++) {
        for (int t = 0; t < truth[tr].length; t++) {
          double d = truth[tr][t][k] - predicted[tr][t][k];
          double e = truth[tr][t][k] - mean;
          ssRes += d * d;
          ssTot += e * e;
        }
      }
      if (ssTot == 0) throw new IllegalArgumentException("neuron " + k + " has a constant true rate: R^2 undefined");
      sum += 1 - ssRes / ssTot;
    }
    return sum / n;
  }

  /** R^2 pooled over every entry of one trial (bins x neurons) about that trial's overall true mean. */
  public static double r2Pooled(double[][] predicted, double[][] truth) {
    double mean = 0;
    long count = 0;
    for (double[] bin : truth) {
      for (double v : bin) {
        mean += v;
        count++;
      }
    }
    mean /= count;
    double ssRes = 0;
    double ssTot = 0;
    for (int t = 0; t < truth.length; t++) {
      if (predicted[t].length != truth[t].length) {
        throw new IllegalArgumentException("bin " + t + ": predicted has " + predicted[t].length
            + " neurons, truth has " + truth[t].length);
      }
      for (int k = 0; k < truth[t].length; k++) {
        double d = truth[t][k] - predicted[t][k];
        double e = truth[t][k] - mean;
        ssRes += d * d;
        ssTot += e * e;
      }
    }
    return 1 - ssRes / ssTot;
  }

  private static int checkShapes(double[][][] a, double[][][] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("predicted has " + a.length + " trials, truth has " + b.length);
    }
    int n = b[0][0].length;
    for (int tr = 0; tr < a.length; tr++) {
      if (a[tr].length != b[tr].length) {
        throw new IllegalArgumentException("trial " + tr + ": predicted has " + a[tr].length + " bins, truth has " + b[tr].length);
      }
      for (int t = 0; t < a[tr].length; t++) {
        if (a[tr][t].length != n || b[tr][t].length != n) {
          throw new IllegalArgumentException("trial " + tr + " bin " + t + ": expected " + n + " neurons, predicted has "
              + a[tr][t].length + ", truth has " + b[tr][t].length);
        }
      }
    }
    return n;
  }
}
