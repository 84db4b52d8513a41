package org.lfadsrt.sim.model;

/**
 * A torch {@code nn.Linear}: y = W x + b.
 *
 * @param weight (out x in), row-major as in the state_dict
 * @param bias   (out), or null for a layer without bias (fac_linear)
 */
public record LinearWeights(double[][] weight, double[] bias) {

  public int outSize() {
    return weight.length;
  }

  public int inSize() {
    return weight.length == 0 ? 0 : weight[0].length;
  }
}
