package org.lfadsrt.sim.model;

/**
 * Parameters of one lfads-torch {@code ClippedGRUCell}. Gate order in every array is
 * <b>z, r, n</b> (rows [0,H) = update gate z, [H,2H) = reset gate r, [2H,3H) = candidate n).
 *
 * @param weightIh (3H x inputSize), row-major as in the state_dict; inputSize may be 0
 * @param weightHh (3H x H)
 * @param biasIh   (3H)
 * @param biasHh   (3H); frozen at zero in training but honoured
 */
public record GruWeights(double[][] weightIh, double[][] weightHh, double[] biasIh, double[] biasHh) {

  public int hiddenSize() {
    return weightHh.length / 3;
  }

  public int inputSize() {
    return weightIh.length == 0 ? 0 : weightIh[0].length;
  }
}
