package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.contract.KernelContract;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;

/** The backend contract on the Verilated kernel, plus what only a device backend has (identity, cycles, chunking). */
class EmuBackendContractTest extends BackendContractTest {
  @Override
  protected InferenceBackend open(KernelImage image) throws BackendException {
    NativeTestSupport.assumeEmu();
    return new EmuBackend(image, "", 60_000);
  }

  @Override
  protected int warmupCalls() {
    return 20; // each call simulates the kernel: ~tens of ms
  }

  @Test
  void identityAndCycleCounter() throws Exception {
    KernelImage image = TestImages.image(TestImages.PLAIN, 31);
    try (EmuBackend emu = (EmuBackend) open(image)) {
      DeviceIdentity id = emu.identity();
      assertEquals(KernelContract.KERNEL_ID, id.kernelId(), id.toString());
      assertEquals(KernelContract.KERNEL_VERSION, id.version(), id.toString());
      assertTrue(id.macLanes() >= 1, id.toString());
      InferenceBatch batch = new InferenceBatch(emu.shape(), 2);
      TestImages.fillSpikes(batch, 2, 3);
      batch.trials(1);
      emu.infer(batch);
      long one = emu.lastDeviceCycles();
      batch.trials(2);
      emu.infer(batch);
      long two = emu.lastDeviceCycles();
      assertTrue(one > 0, "cycles for 1 trial: " + one);
      assertTrue(two > one, "2 trials took " + two + " cycles, 1 trial " + one);
    }
  }

  /** The driver splits a batch larger than its device buffers (max_trials) into several kernel runs. */
  @Test
  void batchesLargerThanTheDeviceBuffersAreSplit() throws Exception {
    NativeTestSupport.assumeEmu();
    KernelImage image = TestImages.image(TestImages.CONTROLLER, 32);
    try (EmuBackend emu = new EmuBackend(image, "max_trials=2", 60_000)) {
      InferenceBatch batch = new InferenceBatch(emu.shape(), 5);
      TestImages.fillSpikes(batch, 5, 77);
      emu.infer(batch);
      FixedLfads ref = new FixedLfads(image);
      FixedOutput want = FixedOutput.forImage(image);
      int words = emu.shape().outputWordsPerTrial();
      for (int k = 0; k < 5; k++) {
        ref.run(TestImages.trial(batch, k), want, null);
        int fac = image.facDim(), nOut = image.nOut();
        for (int t = 0; t < image.tRec(); t++) {
          for (int f = 0; f < fac; f++) assertEquals(want.factors[t * fac + f], batch.rawOutputs().get(k * words + t * (fac + nOut) + f));
          for (int n = 0; n < nOut; n++) assertEquals(want.logrates[t * nOut + n], batch.rawOutputs().get(k * words + t * (fac + nOut) + fac + n));
        }
      }
    }
  }
}
