package org.lfadsrt.sim.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RateScoresTest {

  @Test
  void perNeuronR2ByHand() {
    // neuron 0: truth 1,2,3,4 (mean 2.5, SS_tot 5); prediction off by 1 in one bin -> SS_res 1 -> 0.8
    // neuron 1: truth 0,0,2,2 (mean 1, SS_tot 4); perfect -> 1.0
    double[][][] truth = {{{1, 0}, {2, 0}}, {{3, 2}, {4, 2}}};
    double[][][] pred = {{{1, 0}, {3, 0}}, {{3, 2}, {4, 2}}};
    assertEquals((0.8 + 1.0) / 2, RateScores.r2PerNeuronMean(pred, truth), 1e-15);
  }

  @Test
  void pooledR2ByHand() {
    // truth 1,2,3,4 (mean 2.5, SS_tot 5); predicting the mean everywhere gives 0, off by 1 once 0.8
    double[][] truth = {{1, 2}, {3, 4}};
    assertEquals(0.0, RateScores.r2Pooled(new double[][] {{2.5, 2.5}, {2.5, 2.5}}, truth), 1e-15);
    assertEquals(0.8, RateScores.r2Pooled(new double[][] {{1, 3}, {3, 4}}, truth), 1e-15);
  }

  @Test
  void shapeMismatchIsNamed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> RateScores.r2PerNeuronMean(new double[][][] {{{1, 2}}}, new double[][][] {{{1, 2, 3}}}));
    assertEquals("trial 0 bin 0: expected 3 neurons, predicted has 2, truth has 3", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RateScores.r2PerNeuronMean(new double[][][] {{{1}, {1}}}, new double[][][] {{{1}, {1}}}));
  }
}
