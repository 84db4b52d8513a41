package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/** The fixed backend returns the kernel model's raw words (device layout) and their decoded values. */
class SoftwareBackendTest {

  @Test
  void rawWordsAndDecodedValuesMatchTheKernelModel() throws Exception {
    LfadsConfig c = RandomModels.oddConfig(31, true);
    LfadsModel m = RandomModels.random(c, 31);
    int[][][] sp = RandomModels.poissonSpikes(c, 3, 0.8, 31);
    KernelImage img = Quantizer.quantize(m, sp, 16);
    try (SoftwareBackend be = new SoftwareBackend(img)) {
      assertTrue(be.producesRawOutputs());
      ModelShape shape = be.shape();
      InferenceBatch batch = new InferenceBatch(shape, 3);
      for (int tr = 0; tr < 3; tr++)
        for (int t = 0; t < c.encodSeqLen(); t++)
          for (int k = 0; k < c.encodDataDim(); k++) batch.spike(tr, t, k, sp[tr][t][k]);
      be.infer(batch);
      FixedLfads ref = new FixedLfads(img);
      int words = shape.outputWordsPerTrial();
      for (int tr = 0; tr < 3; tr++) {
        FixedOutput o = ref.infer(sp[tr]);
        int[] want = new int[o.deviceWords()];
        o.toDeviceWords(want, 0);
        for (int i = 0; i < words; i++) assertEquals(want[i], batch.rawOutputs().get(tr * words + i), "word " + i);
        for (int t = 0; t < c.reconSeqLen(); t++) {
          for (int n = 0; n < c.readoutDim(); n++) assertEquals(o.lograte(t, n), batch.lograte(tr, t, n), 0.0);
          for (int k = 0; k < c.facDim(); k++) assertEquals(o.factor(t, k), batch.factor(tr, t, k), 0.0);
        }
      }
    }
  }

  @Test
  void fixedIsAnotherNameForSoftwareAndShapesAreChecked() throws Exception {
    assertTrue(Backends.names().contains(SoftwareBackend.NAME));
    assertFalse(Backends.names().contains(SoftwareBackend.ALIAS), "one backend is listed once, under its own name");
    assertEquals(SoftwareBackend.NAME, Backends.canonical(SoftwareBackend.ALIAS));
    LfadsConfig c = RandomModels.oddConfig(32, false);
    LfadsModel m = RandomModels.random(c, 32);
    try (InferenceBackend be = Backends.create(SoftwareBackend.ALIAS, m);
         InferenceBackend same = Backends.create(SoftwareBackend.NAME, m)) {
      assertEquals(SoftwareBackend.NAME, be.name(), "the alias opens the software backend and it reports its own name");
      // the same quantization either way: the same raw kernel words for the same window
      InferenceBatch a = new InferenceBatch(be.shape(), 1), b = new InferenceBatch(same.shape(), 1);
      for (int i = 0; i < be.shape().tEnc() * be.shape().nIn(); i++) {
        a.spikes().put(i, (byte) (i % 3));
        b.spikes().put(i, (byte) (i % 3));
      }
      a.trials(1);
      b.trials(1);
      be.infer(a);
      same.infer(b);
      for (int i = 0; i < be.shape().outputWordsPerTrial(); i++) assertEquals(b.rawOutputs().get(i), a.rawOutputs().get(i), "word " + i);
      ModelShape other = new ModelShape(be.shape().nIn() + 1, be.shape().tEnc(), be.shape().tRec(), be.shape().facDim(),
          be.shape().nOut());
      BackendException e = assertThrows(BackendException.class, () -> be.infer(new InferenceBatch(other, 1)));
      assertEquals(BackendException.Kind.INVALID_INPUT, e.kind());
    }
  }

}
