package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.lfadsrt.sim.contract.KernelContract.*;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/** The trace locates the first mismatch: a one-ulp change of one generator weight shows up where it first acts. */
class TraceRecorderTest {

  @Test
  void firstMismatchNamesLayerProbeStepAndIndex() {
    LfadsConfig c = RandomModels.oddConfig(5, true);
    LfadsModel m = RandomModels.random(c, 5);
    int[][][] sp = RandomModels.poissonSpikes(c, 1, 0.5, 5);
    KernelImage img = Quantizer.quantize(m, sp, 16);
    byte[] bytes = img.toBytes();
    // flip the lowest bit of the first readout bias and fix the CRC: only log-rate 0 can change
    int word = IMAGE_HEADER_WORDS + img.sectionOffset(S_RO_B);
    bytes[4 * word] ^= 1;
    KernelImage other = KernelImage.fromBytes(KernelImageTest.withFixedCrc(bytes));
    TraceRecorder a = new TraceRecorder(), b = new TraceRecorder();
    new FixedLfads(img).run(sp[0], FixedOutput.forImage(img), a);
    new FixedLfads(other).run(sp[0], FixedOutput.forImage(other), b);
    String mismatch = a.firstMismatch(b);
    int[] lr = a.get(LAYER_RO, FixedTrace.Probe.OUTPUT, 0);
    assertEquals("RO OUTPUT step 0 index 0: expected " + lr[0] + ", found " + b.get(LAYER_RO, FixedTrace.Probe.OUTPUT, 0)[0],
        mismatch);
    assertNull(a.firstMismatch(a));
    assertEquals("step 1 lograte 2", FixedOutput.describeDeviceWord(c.facDim() + c.readoutDim() + c.facDim() + 2,
        c.facDim(), c.readoutDim()));
  }
}
