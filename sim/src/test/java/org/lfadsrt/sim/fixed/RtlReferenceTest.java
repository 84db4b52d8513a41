package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cross-language check: images, inputs and expected output words written by the RTL helper's independent
 * Python integer reference (hdl/scripts/lfads_ref.py; see src/test/resources/rtlref/README.md) must be read
 * and reproduced bit for bit, including the saturating ("hot") and 8-bit cases.
 */
class RtlReferenceTest {

  static byte[] resource(String path) throws Exception {
    try (InputStream in = RtlReferenceTest.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing " + path);
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny", "tinycon_hot", "w8"})
  void reproducesThePythonIntegerReference(String name) throws Exception {
    KernelImage img = KernelImage.fromBytes(resource("/rtlref/" + name + "/model.img"));
    byte[] input = resource("/rtlref/" + name + "/input.bin");
    ByteBuffer expect = ByteBuffer.wrap(resource("/rtlref/" + name + "/expect.bin")).order(ByteOrder.LITTLE_ENDIAN);
    int inStride = (img.tEnc() * img.nIn() + 63) / 64 * 64;
    int words = img.tRec() * (img.facDim() + img.nOut());
    int outStride = (words * 4 + 63) / 64 * 64;
    int trials = input.length / inStride;
    assertTrue(trials >= 3);
    for (FixedLfads.Accumulation mode : FixedLfads.Accumulation.values()) {
      FixedLfads fx = new FixedLfads(img, mode);
      FixedOutput out = FixedOutput.forImage(img);
      int[] got = new int[words];
      for (int k = 0; k < trials; k++) {
        fx.run(input, k * inStride, out, null);
        out.toDeviceWords(got, 0);
        int[] want = new int[words];
        for (int i = 0; i < words; i++) want[i] = expect.getInt(k * outStride + 4 * i);
        assertArrayEquals(want, got, name + " " + mode + " trial " + k);
      }
      if (name.contains("hot") || name.equals("w8")) assertTrue(!fx.counters().isEmpty(), "the hot cases saturate");
    }
  }
}
