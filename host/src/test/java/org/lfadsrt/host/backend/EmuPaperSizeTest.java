package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The emulated kernel on an ordinary model size: a paper-size window (70 channels, 73 bins, 64-unit encoder and
 * generator: beyond the old 32-unit emu build) on {@code emu} with default options (the default build's memories hold
 * the card's model sizes) compared bit for bit with the software backend (the Java bit-accurate model) on the same
 * image and spikes, and what the window cost on the bus.
 */
class EmuPaperSizeTest {
  @Test
  void aPaperSizeWindowMatchesTheSoftwareBackendBitForBit() throws Exception {
    NativeTestSupport.assumeEmu();
    LfadsConfig paper = RandomModels.paperConfig();
    long seed = 2026;
    KernelImage image = Quantizer.quantize(RandomModels.demo(paper, seed), RandomModels.poissonSpikes(paper, 16, 0.5, seed + 1), 16);
    try (EmuBackend emu = new EmuBackend(image, "", 600_000);
        SoftwareBackend software = new SoftwareBackend(image)) {
      assertTrue(emu.deviceDescription().contains("config=default"), emu.deviceDescription());
      InferenceBatch onEmu = new InferenceBatch(emu.shape(), 1);
      InferenceBatch onSoftware = new InferenceBatch(software.shape(), 1);
      TestImages.fillSpikes(onEmu, 1, seed + 2);
      TestImages.fillSpikes(onSoftware, 1, seed + 2);
      emu.infer(onEmu);
      software.infer(onSoftware);
      int words = emu.shape().outputWordsPerTrial();
      int differ = 0;
      for (int i = 0; i < words; i++) if (onEmu.rawOutputs().get(i) != onSoftware.rawOutputs().get(i)) differ++;
      assertEquals(0, differ, differ + " of " + words + " output words differ between emu and software");
      assertTrue(emu.lastDeviceCycles() > 0);
      BusCounters bus = emu.lastCallCounters();
      assertNotNull(bus);
      // One window: one kernel run, its 70 x 73 spike bytes in (padded to 64-byte strides), its outputs out.
      assertEquals(1, bus.kernelRuns(), bus.toString());
      assertEquals(1, bus.syncsToDevice(), bus.toString());
      assertEquals((70 * 73 + 63) / 64 * 64, bus.bytesToDevice(), bus.toString());
      assertEquals((73 * (4 + 70) * 4 + 63) / 64 * 64, bus.bytesFromDevice(), bus.toString());
    }
  }
}
