package org.lfadsrt.host.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.backend.NativeBackend;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.RandomModels;
import static org.junit.jupiter.api.Assertions.*;

/** {@code infer --backend emu|software} and {@code devices} end to end through the CLI. */
class DeviceBackendsCommandTest {
  @TempDir Path dir;

  static InferCommandTest.Result run(String... args) {
    return InferCommandTest.run(args);
  }

  static Path golden(String name, String file) {
    String r = System.getProperty("lfadsrt.root");
    return Path.of(r != null ? r : "..").resolve("sim/src/test/resources/golden").resolve(name).resolve(file);
  }

  static void assumeEmu() throws Exception {
    Assumptions.assumeTrue(NativeBackend.libraryAvailable(), NativeBackend::libraryError);
    Assumptions.assumeTrue(NativeBackend.libraryVersion().contains("emu"),
        "liblfadsrt was built without the emulated kernel (hdl/rtl/lfads_kernel.v missing at build time)");
  }

  InferCommandTest.Result infer(String backend, String out, String... extra) throws Exception {
    Path spikes = dir.resolve("s.npy");
    if (!Files.exists(spikes)) Npy.write(spikes, NpzReader.open(golden("primes_lag2", "golden.npz")).array("spikes"));
    String[] base = {"infer", "--model", golden("primes_lag2", "model.npz").toString(), "--spikes", spikes.toString(),
        "--out", dir.resolve(out).toString(), "--backend", backend, "--batch", "2"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return run(all);
  }

  static void assertSameOutputs(Path a, Path b) throws Exception {
    NpzReader x = NpzReader.open(a), y = NpzReader.open(b);
    for (String key : new String[] {"factors", "logrates"}) {
      NdArray u = x.array(key), v = y.array(key);
      assertEquals(u.shapeString(), v.shapeString());
      for (int i = 0; i < u.size(); i++) assertEquals(u.getDouble(i), v.getDouble(i), 0.0, key + " at " + i);
    }
  }

  @Test
  void inferOnTheEmulatedKernelEqualsTheSoftwareModel() throws Exception {
    assumeEmu();
    InferCommandTest.Result sw = infer("software", "sw.npz");
    assertEquals(0, sw.code(), sw.err());
    InferCommandTest.Result emu = infer("emu", "emu.npz");
    assertEquals(0, emu.code(), emu.err());
    assertTrue(emu.out().contains("backend emu"), emu.out());
    assertSameOutputs(dir.resolve("sw.npz"), dir.resolve("emu.npz"));
    InferCommandTest.Result fixed = infer("fixed", "fixed.npz"); // same quantization (calibrated on the input spikes)
    assertEquals(0, fixed.code(), fixed.err());
    assertSameOutputs(dir.resolve("fixed.npz"), dir.resolve("emu.npz"));
  }

  @Test
  void aKernelImageRunsOnTheEmulatedKernelIfItsWidthMatches() throws Exception {
    assumeEmu();
    Path spikes = dir.resolve("s.npy");
    Npy.write(spikes, NpzReader.open(golden("primes_lag2", "golden.npz")).array("spikes"));
    var model = org.lfadsrt.sim.model.ModelFile.load(golden("primes_lag2", "model.npz"));
    var calibration = org.lfadsrt.sim.model.RandomModels.poissonSpikes(model.config(), 8, 0.5, 3);
    for (int bits : new int[] {16, 12}) {
      Path image = dir.resolve("k" + bits + ".img");
      org.lfadsrt.sim.fixed.Quantizer.quantize(model, calibration, bits).write(image);
      for (String be : new String[] {"software", "emu"}) {
        InferCommandTest.Result r = run("infer", "--model", image.toString(), "--spikes", spikes.toString(), "--out",
            dir.resolve(be + bits + ".npz").toString(), "--backend", be);
        if (bits == 12 && be.equals("emu")) {
          // The emulated kernel is built for W = 16: it refuses a 12-bit image itself (ERROR_CODE 3).
          assertEquals(InferCommand.EXIT_BACKEND, r.code(), r.err());
          assertTrue(r.err().contains("ERROR_CODE 3 (data width mismatch)"), r.err());
        } else {
          assertEquals(0, r.code(), r.err());
        }
      }
    }
    assertSameOutputs(dir.resolve("software16.npz"), dir.resolve("emu16.npz"));
  }


  @Test
  void failoverReportsTheSwitchAndFinishesInSoftware() throws Exception {
    assumeEmu();
    assertEquals(0, infer("software", "sw.npz").code());
    // The timeout bounds the image load too (~21k emulated cycles, the kernel zeroing its card-size memories): 5 s is
    // ample on a loaded machine.
    InferCommandTest.Result r = infer("emu", "fo.npz", "--failover", "--emu-options", "hang_after=1", "--timeout-ms", "5000");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("backend emu failed (TIMEOUT"), r.err());
    assertTrue(r.err().contains("batch re-run on software"), r.err());
    assertSameOutputs(dir.resolve("sw.npz"), dir.resolve("fo.npz"));
  }

  @Test
  void aHangWithoutFailoverIsABackendError() throws Exception {
    assumeEmu();
    InferCommandTest.Result r = infer("emu", "x.npz", "--emu-options", "hang_after=0", "--timeout-ms", "300");
    assertEquals(InferCommand.EXIT_BACKEND, r.code(), r.err());
    assertTrue(r.err().contains("did not finish"), r.err());
  }

  @Test
  void devicesListsEveryBackend() {
    InferCommandTest.Result r = run("devices");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("float") && r.out().contains("software"), r.out());
    if (NativeBackend.libraryAvailable()) {
      assertTrue(r.out().matches("(?s).*emu\\s+available\\s+Verilated lfads_kernel, KERNEL_ID 0x4C464144.*"), r.out());
      // the emulated memory's timing and what the identity probe cost on the bus (4 register reads)
      assertTrue(r.out().contains("memory: read latency 32+0..9 cycles"), r.out());
      assertTrue(r.out().contains("reading the identity cost 4 register reads"), r.out());
      assertTrue(r.out().matches("(?s).*xrt\\s+(no card|unavailable|card 0).*"), r.out());
    } else {
      assertTrue(r.out().contains("make -C drivers"), r.out());
    }
  }
}
