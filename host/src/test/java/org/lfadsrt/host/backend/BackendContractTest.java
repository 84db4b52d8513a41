package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.model.LfadsConfig;

/**
 * The contract every fixed-point backend meets, run by one subclass per backend (software, emu, xrt): the
 * same kernel image and inputs give raw outputs identical bit for bit to the Java bit-accurate model
 * ({@link FixedLfads}, itself checked against the float reference in sim), decoded exactly, for partial
 * batches and repeated calls, with bad input rejected and no allocation per call.
 */
abstract class BackendContractTest {

  /** Opens the backend under test on {@code image}; aborts the test (with the reason) when unavailable. */
  protected abstract InferenceBackend open(KernelImage image) throws BackendException;

  static Stream<Arguments> models() {
    return Stream.of(Arguments.of("plain", TestImages.PLAIN, 11L), Arguments.of("controller", TestImages.CONTROLLER, 12L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void rawOutputsMatchTheBitAccurateModel(String label, LfadsConfig config, long seed) throws Exception {
    KernelImage image = TestImages.image(config, seed);
    FixedLfads reference = new FixedLfads(image);
    try (InferenceBackend backend = open(image)) {
      assertTrue(backend.producesRawOutputs());
      ModelShape s = backend.shape();
      assertEquals(new ModelShape(config.encodDataDim(), config.encodSeqLen(), config.reconSeqLen(), config.facDim(),
          config.readoutDim()), s);
      InferenceBatch batch = new InferenceBatch(s, 5);
      TestImages.fillSpikes(batch, 5, seed * 31);
      backend.infer(batch);
      FixedOutput want = FixedOutput.forImage(image);
      int words = s.facDim() + s.nOut();
      for (int k = 0; k < 5; k++) {
        reference.run(TestImages.trial(batch, k), want, null);
        for (int t = 0; t < s.tRec(); t++) {
          for (int f = 0; f < s.facDim(); f++) {
            int got = batch.rawOutputs().get((k * s.tRec() + t) * words + f);
            assertEquals(want.factors[t * s.facDim() + f], got, label + " trial " + k + " step " + t + " factor " + f);
            assertEquals(want.factor(t, f), batch.factor(k, t, f), 0.0);
          }
          for (int n = 0; n < s.nOut(); n++) {
            int got = batch.rawOutputs().get((k * s.tRec() + t) * words + s.facDim() + n);
            assertEquals(want.logrates[t * s.nOut() + n], got, label + " trial " + k + " step " + t + " lograte " + n);
            assertEquals(want.lograte(t, n), batch.lograte(k, t, n), 0.0);
          }
        }
      }
    }
  }

  @Test
  void partialBatchesAndRepeatedCallsAreIndependent() throws Exception {
    KernelImage image = TestImages.image(TestImages.PLAIN, 21);
    try (InferenceBackend backend = open(image)) {
      InferenceBatch batch = new InferenceBatch(backend.shape(), 4);
      TestImages.fillSpikes(batch, 4, 5);
      backend.infer(batch);
      int words = backend.shape().outputWordsPerTrial();
      int[] first = new int[4 * words];
      batch.rawOutputs().get(0, first);
      // A 1-trial call must give trial 0's result again and leave trials 1..3 alone.
      batch.rawOutputs().put(words, 0x7EADBEEF);
      batch.trials(1);
      backend.infer(batch);
      int[] again = new int[words];
      batch.rawOutputs().get(0, again);
      assertArrayEquals(java.util.Arrays.copyOf(first, words), again);
      assertEquals(0x7EADBEEF, batch.rawOutputs().get(words), "a 1-trial call wrote past its trial");
      batch.trials(4);
      backend.infer(batch);
      int[] third = new int[4 * words];
      batch.rawOutputs().get(0, third);
      assertArrayEquals(first, third);
    }
  }

  @Test
  void batchOfAnotherShapeIsRejected() throws Exception {
    KernelImage image = TestImages.image(TestImages.PLAIN, 22);
    try (InferenceBackend backend = open(image)) {
      ModelShape s = backend.shape();
      InferenceBatch wrong = new InferenceBatch(new ModelShape(s.nIn() + 1, s.tEnc(), s.tRec(), s.facDim(), s.nOut()), 1);
      BackendException e = assertThrows(BackendException.class, () -> backend.infer(wrong));
      assertEquals(BackendException.Kind.INVALID_INPUT, e.kind());
      assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }
  }

  /** Calls before the allocation probe (JIT warm-up); device backends with slow calls use fewer. */
  protected int warmupCalls() {
    return 3000;
  }

  @Test
  void inferAllocatesNothingPerCall() throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    KernelImage image = TestImages.image(TestImages.PLAIN, 23);
    try (InferenceBackend backend = open(image)) {
      InferenceBatch batch = new InferenceBatch(backend.shape(), 1);
      TestImages.fillSpikes(batch, 1, 9);
      for (int i = 0; i < warmupCalls(); i++) backend.infer(batch); // warm up (JIT compiles, first-call lookups)
      long tid = Thread.currentThread().getId();
      // Allocation counters move in TLAB-sized steps and the probe itself allocates a little, so compare
      // 10 calls with 110 calls: anything allocated per call shows up 100 times in the difference.
      long t0 = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 10; i++) backend.infer(batch);
      long t1 = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 110; i++) backend.infer(batch);
      long t2 = threads.getThreadAllocatedBytes(tid);
      long allocated = (t2 - t1) - (t1 - t0);
      assertTrue(allocated < 1000, "100 extra infer calls allocated " + allocated + " bytes (" + (t1 - t0)
          + " for 10, " + (t2 - t1) + " for 110)");
    }
  }
}
