package org.lfadsrt.host.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.NativeBackend;
import org.lfadsrt.host.reliability.DecoderFuzz.Target;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.KernelImageException;

/**
 * The kernel-image fuzzer reaches every stage of the parser, not just the first check: file length, CRC,
 * header ranges (huge dimensions included), the section table, and the payload content behind a fixed-up
 * CRC. Without this, a fuzzer whose mutations all died at the CRC would pass {@code DecoderFuzzTest} while
 * testing nothing.
 */
class KernelImageFuzzCoverageTest {

  @Test
  void mutationsReachEveryStageOfTheParser() {
    SplittableRandom r = new SplittableRandom(11);
    Map<String, Integer> byStage = new TreeMap<>();
    int accepted = 0, cRejected = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] input = DecoderFuzz.input(Target.KERNEL_IMAGE, r);
      try {
        KernelImage.fromBytes(input);
        accepted++;
      } catch (KernelImageException e) {
        byStage.merge(stage(e.field()), 1, Integer::sum);
      }
      if (NativeBackend.libraryAvailable()) {
        try {
          NativeBackend.validateImage(input);
        } catch (BackendException e) {
          cRejected++;
        }
      }
    }
    System.out.println("kernel-image fuzz: rejected by stage " + byStage + ", accepted " + accepted + ", C validator rejected " + cRejected);
    for (String stage : new String[] {"length", "crc", "magic/version", "dimension", "format", "section table", "content"}) {
      assertTrue(byStage.getOrDefault(stage, 0) >= 10, "stage '" + stage + "' reached by >= 10 of 3000 inputs: " + byStage);
    }
    assertTrue(accepted > 0 && accepted < 1500, "some mutations stay valid (value changes within range), most do not: " + accepted);
    if (NativeBackend.libraryAvailable()) assertTrue(cRejected > 1000, "the C validator sees the rejections too: " + cRejected);
  }

  static String stage(String field) {
    if (field.startsWith("file length") || field.equals("payload size")) return "length";
    if (field.equals("PAYLOAD_CRC32")) return "crc";
    if (field.equals("MAGIC") || field.equals("VERSION") || field.equals("HEADER_BYTES")) return "magic/version";
    if (field.startsWith("section ") && (field.endsWith(" rows") || field.endsWith(" cols") || field.endsWith(" offset"))) {
      return "section table";
    }
    if (field.equals("PAYLOAD_WORDS")) return "section table";
    if (field.matches("(N_IN|N_OUT|T_ENC|T_REC|H_ICENC|IC_DIM|H_GEN|FAC_DIM|H_CIENC|H_CON|CO_DIM|CI_LAG|LANES_HINT).*")) {
      return "dimension";
    }
    if (field.matches("(DATA_WIDTH|ACC_WIDTH|FLAGS|FRAC_.*|PRE_WIDTH|CLIP_Q|.*RANGE_EXP|ACT_SEG_BITS|reserved.*)")) return "format";
    return "content";
  }
}
