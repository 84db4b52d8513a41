package org.lfadsrt.host.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.lfadsrt.host.reliability.DecoderFuzz.Target;
import org.lfadsrt.host.testsupport.FailingLeakDetector;

/**
 * jqwik fuzzing of every byte decoder (110,000 inputs in all): each input is a mutated valid seed or
 * noise (DecoderFuzz), and each decoder must answer with messages or its documented, named error and
 * nothing else. Runs with Netty's paranoid leak detector; a leaked buffer fails the container. The soak
 * command drives the same checks with 10,000,000 inputs.
 */
class DecoderFuzzTest {

  static Arbitrary<byte[]> inputs(Target t) {
    return Arbitraries.randomValue(r -> DecoderFuzz.input(t, new SplittableRandom(r.nextLong())));
  }

  @Provide Arbitrary<byte[]> rigFrames() { return inputs(Target.RIG_FRAME); }
  @Provide Arbitrary<byte[]> ingestStreams() { return inputs(Target.INGEST); }
  @Provide Arbitrary<byte[]> recordings() { return inputs(Target.RECORDING); }
  @Provide Arbitrary<byte[]> npys() { return inputs(Target.NPY); }
  @Provide Arbitrary<byte[]> modelFiles() { return inputs(Target.MODEL_FILE); }
  @Provide Arbitrary<byte[]> kernelImages() { return inputs(Target.KERNEL_IMAGE); }

  @Property(tries = 45_000)
  void rigDecoderAnswersEveryFrameWithAMessageOrANamedError(@ForAll("rigFrames") byte[] input) {
    assertNull(DecoderFuzz.checkRigFrame(input, new SplittableRandom(java.util.Arrays.hashCode(input))));
  }

  @Property(tries = 35_000)
  void ingestDeliversBinsOrRejectsTheConnection(@ForAll("ingestStreams") byte[] input) {
    assertNull(DecoderFuzz.checkIngest(input));
  }

  @Property(tries = 10_000)
  void recordingReaderStopsAtATailOrNamesTheCorruption(@ForAll("recordings") byte[] input) {
    assertNull(DecoderFuzz.checkRecording(input));
  }

  @Property(tries = 8_000)
  void npyReaderRejectsCorruptArraysWithAMessage(@ForAll("npys") byte[] input) {
    assertNull(DecoderFuzz.checkNpy(input));
  }

  @Property(tries = 2_000)
  void corruptModelFilesAreRejectedWithAMessage(@ForAll("modelFiles") byte[] input) {
    assertNull(DecoderFuzz.checkModelFile(input));
  }

  @Property(tries = 10_000)
  void corruptKernelImagesAreRejectedNamingTheField(@ForAll("kernelImages") byte[] input) {
    assertNull(DecoderFuzz.checkKernelImage(input));
  }

  @AfterContainer
  static void noLeakedBuffers() throws Exception {
    new org.lfadsrt.host.testsupport.LeakCheckExtension().afterAll(null);
  }
}
