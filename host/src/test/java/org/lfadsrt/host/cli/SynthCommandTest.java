package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.synth.LorenzConfig;
import org.lfadsrt.sim.synth.LorenzGenerator;
import org.lfadsrt.sim.synth.SyntheticRecording;
import picocli.CommandLine;

class SynthCommandTest {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void writesSpikesRatesLatentsMatchingTheGenerator() throws Exception {
    Path file = dir.resolve("s.npz");
    Run r = run("synth", "--out", file.toString(), "--neurons", "7", "--trials", "4", "--bins", "20",
        "--bin-ms", "5", "--min-rate", "2", "--max-rate", "60", "--seed", "9", "--trial-seed", "10");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("4 trials x 20 bins x 7 neurons"), r.out());

    NpzReader npz = NpzReader.open(file);
    NdArray spikes = npz.array("spikes");
    NdArray rates = npz.array("rates");
    NdArray latents = npz.array("latents");
    assertEquals(NdArray.DType.I4, spikes.dtype());
    assertEquals(NdArray.DType.F8, rates.dtype());
    assertEquals(NdArray.DType.F8, latents.dtype());
    assertArrayEquals(new int[] {4, 20, 7}, spikes.shape());
    assertArrayEquals(new int[] {4, 20, 7}, rates.shape());
    assertArrayEquals(new int[] {4, 20, 3}, latents.shape());

    SyntheticRecording expected = LorenzGenerator.generate(
        new LorenzConfig(7, 5.0, 20, 4, 2.0, 60.0, LorenzConfig.DEFAULT_LORENZ_TIME_PER_BIN, 9, 10));
    for (int tr = 0; tr < 4; tr++) {
      for (int t = 0; t < 20; t++) {
        for (int n = 0; n < 7; n++) {
          assertEquals(expected.spikes()[tr][t][n], spikes.getLong(spikes.flatIndex(tr, t, n)));
          assertEquals(expected.rates()[tr][t][n], rates.get(tr, t, n), 0.0);
          // expected counts per bin: 5 ms bins, rates within [2, 60] Hz
          assertTrue(rates.get(tr, t, n) >= 2 * 0.005 * (1 - 1e-12) && rates.get(tr, t, n) <= 60 * 0.005 * (1 + 1e-12));
        }
        for (int k = 0; k < 3; k++) {
          assertEquals(expected.latents()[tr][t][k], latents.get(tr, t, k), 0.0);
        }
      }
    }
  }

  @Test
  void sameSeedSameFileOtherSeedOtherFile() throws Exception {
    Path a = dir.resolve("a.npz");
    Path b = dir.resolve("b.npz");
    Path c = dir.resolve("c.npz");
    assertEquals(0, run("synth", "--out", a.toString(), "--trials", "3", "--seed", "4").exit());
    assertEquals(0, run("synth", "--out", b.toString(), "--trials", "3", "--seed", "4").exit());
    assertEquals(0, run("synth", "--out", c.toString(), "--trials", "3", "--seed", "5").exit());
    // compare contents, not bytes: zip entries carry the time they were written
    for (String name : new String[] {"spikes", "rates", "latents"}) {
      assertEquals(NpzReader.open(a).array(name), NpzReader.open(b).array(name), name);
    }
    assertNotEquals(NpzReader.open(a).array("spikes"), NpzReader.open(c).array("spikes"));
    assertNotEquals(NpzReader.open(a).array("latents"), NpzReader.open(c).array("latents"));
    // defaults: 30 neurons, 50 bins
    assertArrayEquals(new int[] {3, 50, 30}, NpzReader.open(a).array("spikes").shape());
  }

  @Test
  void badOptionsGiveAOneLineErrorAndNonZeroExit() {
    Run r = run("synth", "--out", dir.resolve("x.npz").toString(), "--neurons", "0");
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("neurons must be > 0"), r.err());
    Run r2 = run("synth", "--out", dir.resolve("x.npz").toString(), "--min-rate", "50", "--max-rate", "20");
    assertNotEquals(0, r2.exit());
    assertTrue(r2.err().contains("max_rate_hz"), r2.err());
    assertFalse(Files.exists(dir.resolve("x.npz")));
    Run r3 = run("synth");
    assertNotEquals(0, r3.exit());
    assertTrue(r3.err().contains("--out"), r3.err());
  }
}
