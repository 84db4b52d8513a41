package org.lfadsrt.sim.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.LfadsOutput;
import org.lfadsrt.sim.synth.LorenzGenerator;
import org.lfadsrt.sim.synth.RateScores;
import org.lfadsrt.sim.synth.SyntheticRecording;

/**
 * The bundled demo model and its held-out recording: an independent Java check of the R^2 that
 * {@code sim/python/train_demo.py} printed when it trained the model.
 */
class BundledModelsTest {

  /** Held-out R^2 (per-neuron mean) printed by train_demo.py for the committed model. */
  static final double PYTHON_HELDOUT_R2 = 0.908094;
  static final double MARGIN = 0.005;

  private static double[][][] inferredRates(FloatLfads lfads, SyntheticRecording rec) {
    double[][][] out = new double[rec.trials()][][];
    for (int tr = 0; tr < rec.trials(); tr++) {
      LfadsOutput o = lfads.infer(rec.spikes()[tr]);
      out[tr] = o.rates();
    }
    return out;
  }

  @Test
  void demoModelHasTheDocumentedShape() {
    LfadsConfig c = BundledModels.demo().config();
    assertEquals(30, c.encodDataDim());
    assertEquals(30, c.readoutDim());
    assertEquals(50, c.encodSeqLen());
    assertEquals(50, c.reconSeqLen());
    assertTrue(c.useController());
    assertEquals(2, c.coDim());
    assertEquals(8, c.facDim());
    assertEquals(64, c.genDim());
  }

  @Test
  void heldoutFileIsTheJavaGeneratorsOutput() {
    SyntheticRecording file = BundledModels.demoHeldout();
    SyntheticRecording regenerated = LorenzGenerator.generate(BundledModels.DEMO_SYSTEM);
    assertEquals(regenerated.trials(), file.trials());
    for (int tr = 0; tr < file.trials(); tr++) {
      for (int t = 0; t < file.bins(); t++) {
        assertArrayEquals(regenerated.spikes()[tr][t], file.spikes()[tr][t]);
        assertArrayEquals(regenerated.rates()[tr][t], file.rates()[tr][t], 0.0);
        assertArrayEquals(regenerated.latents()[tr][t], file.latents()[tr][t], 0.0);
      }
    }
  }

  @Test
  void floatModelReproducesThePythonHeldoutR2() {
    SyntheticRecording heldout = BundledModels.demoHeldout();
    double r2 = RateScores.r2PerNeuronMean(inferredRates(new FloatLfads(BundledModels.demo()), heldout), heldout.rates());
    assertTrue(r2 >= PYTHON_HELDOUT_R2 - MARGIN, "held-out R^2 " + r2 + " < " + PYTHON_HELDOUT_R2 + " - " + MARGIN);
    // Same model, same data, double precision in both languages: the figures agree to the digits printed.
    assertEquals(PYTHON_HELDOUT_R2, r2, 1e-6);
  }

  @Test
  void freshTrialsOfTheSameNeuronsScoreAboutAsWell() {
    // 200 trials neither Python nor training ever saw: the model generalises, not just the 80 above.
    SyntheticRecording fresh = LorenzGenerator.generate(BundledModels.DEMO_SYSTEM.withTrialSeed(424242).withTrials(200));
    double r2 = RateScores.r2PerNeuronMean(inferredRates(new FloatLfads(BundledModels.demo()), fresh), fresh.rates());
    assertTrue(r2 >= PYTHON_HELDOUT_R2 - 0.03, "fresh-trial R^2 " + r2 + " vs held-out " + PYTHON_HELDOUT_R2);
  }
}
