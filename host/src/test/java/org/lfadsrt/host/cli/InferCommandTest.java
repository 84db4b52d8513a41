package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.io.NpzReader;
import picocli.CommandLine;

/**
 * {@code infer} end to end on the golden models of sim (PyTorch float64 outputs in golden.npz),
 * and its one-line errors.
 */
class InferCommandTest {
  /** The repository root (the build sets lfadsrt.root); the CLI tests' fixtures are found from it. */
  static final Path root = Path.of(System.getProperty("lfadsrt.root", "..")).toAbsolutePath().normalize();

  @TempDir Path dir;

  static Path golden(String name, String file) {
    Path p = root.resolve("sim/src/test/resources/golden").resolve(name).resolve(file);
    assertTrue(Files.exists(p), "missing " + p);
    return p;
  }

  record Result(int code, String out, String err) {}

  /** Runs the CLI with {@code args} in this JVM, capturing its output (every CLI test runs commands through this). */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  Result infer(Path model, Path spikes, String... extra) {
    String[] base = {"infer", "--model", model.toString(), "--spikes", spikes.toString(), "--out",
        dir.resolve("o.npz").toString()};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return run(all);
  }

  @Test
  void matchesPyTorchGoldensThroughTheBackendInterface() throws Exception {
    for (String name : new String[] {"mc_maze", "primes_lag2"}) {
      NpzReader g = NpzReader.open(golden(name, "golden.npz"));
      Path spikes = dir.resolve(name + ".npy");
      Npy.write(spikes, g.array("spikes")); // int32 as written by numpy
      // --batch 2 forces several backend calls for primes_lag2 (5 trials).
      Result r = infer(golden(name, "model.npz"), spikes, "--backend", "float", "--batch", "2");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().startsWith("infer: " + g.array("spikes").dim(0) + " trials, backend float"), r.out());
      NpzReader o = NpzReader.open(dir.resolve("o.npz"));
      for (String key : new String[] {"factors", "logrates", "rates"}) {
        NdArray want = g.array(key);
        NdArray got = o.array(key);
        assertEquals(NdArray.DType.F8, got.dtype());
        assertEquals(want.shapeString(), got.shapeString(), key);
        for (int i = 0; i < want.size(); i++) {
          assertEquals(want.getDouble(i), got.getDouble(i), 1e-9, name + " " + key + " at " + i);
        }
      }
    }
  }

  @Test
  void acceptsSpikesInsideAnNpz() throws Exception {
    Path model = golden("primes_lag0", "model.npz");
    Result r = infer(model, golden("primes_lag0", "golden.npz")); // has an int32 'spikes' array
    assertEquals(0, r.code(), r.err());
    NdArray want = NpzReader.open(golden("primes_lag0", "golden.npz")).array("logrates");
    NdArray got = NpzReader.open(dir.resolve("o.npz")).array("logrates");
    for (int i = 0; i < want.size(); i++) assertEquals(want.getDouble(i), got.getDouble(i), 1e-9);
    Path noSpikes = dir.resolve("other.npz");
    try (var w = org.lfadsrt.sim.io.NpzWriter.create(noSpikes)) {
      w.put("counts", NdArray.ofLongs(NdArray.DType.I8, new long[7 * 5], 1, 7, 5));
    }
    Result bad = infer(model, noSpikes);
    assertEquals(InferCommand.EXIT_BAD_INPUT, bad.code());
    assertTrue(bad.err().contains("archive has no array 'spikes' (arrays: counts)"), bad.err());
  }

  Path spikes(NdArray a) throws Exception {
    Path p = dir.resolve("s.npy");
    Npy.write(p, a);
    return p;
  }

  /** primes_lag0: T_enc 7, N_in 5. */
  Result badSpikes(NdArray a) throws Exception {
    Result r = infer(golden("primes_lag0", "model.npz"), spikes(a));
    assertEquals(InferCommand.EXIT_BAD_INPUT, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("infer: "), r.err());
    assertTrue(!Files.exists(dir.resolve("o.npz")), "no output on error");
    return r;
  }

  @Test
  void rejectsFloatSpikes() throws Exception {
    Result r = badSpikes(NdArray.ofDoubles(new double[2 * 7 * 5], 2, 7, 5));
    assertTrue(r.err().contains("dtype <f8 is not an integer type"), r.err());
  }

  @Test
  void rejectsBoolSpikes() throws Exception {
    Result r = badSpikes(NdArray.ofLongs(NdArray.DType.BOOL, new long[7 * 5], 1, 7, 5));
    assertTrue(r.err().contains("dtype |b1 is not an integer type"), r.err());
  }

  @Test
  void rejectsWrongRank() throws Exception {
    Result r = badSpikes(NdArray.ofLongs(NdArray.DType.I8, new long[7 * 5], 7, 5));
    assertTrue(r.err().contains("shape (7, 5) has 2 dimensions, expected 3: (trials, 7, 5)"), r.err());
  }

  @Test
  void rejectsWrongBinsOrChannels() throws Exception {
    Result bins = badSpikes(NdArray.ofLongs(NdArray.DType.I4, new long[2 * 6 * 5], 2, 6, 5));
    assertTrue(bins.err().contains("shape (2, 6, 5), expected (trials >= 1, 7, 5)"), bins.err());
    Result chans = badSpikes(NdArray.ofLongs(NdArray.DType.U1, new long[2 * 7 * 4], 2, 7, 4));
    assertTrue(chans.err().contains("shape (2, 7, 4), expected (trials >= 1, 7, 5)"), chans.err());
    Result none = badSpikes(NdArray.ofLongs(NdArray.DType.I4, new long[0], 0, 7, 5));
    assertTrue(none.err().contains("shape (0, 7, 5)"), none.err());
  }

  @Test
  void rejectsNegativeAndOversizedCounts() throws Exception {
    long[] v = new long[2 * 7 * 5];
    v[7 * 5 + 3 * 5 + 2] = -1; // trial 1, bin 3, channel 2
    Result neg = badSpikes(NdArray.ofLongs(NdArray.DType.I2, v, 2, 7, 5));
    assertTrue(neg.err().contains("negative count -1 at trial 1, bin 3, channel 2"), neg.err());
    v[7 * 5 + 3 * 5 + 2] = 0;
    v[4] = 300;
    Result big = badSpikes(NdArray.ofLongs(NdArray.DType.I8, v, 2, 7, 5));
    assertTrue(big.err().contains("count 300 at trial 0, bin 0, channel 4 exceeds 255"), big.err());
  }

  @Test
  void rejectsBrokenFilesAndUnknownBackend() throws Exception {
    Path ok = spikes(NdArray.ofLongs(NdArray.DType.I8, new long[7 * 5], 1, 7, 5));
    Result noModel = infer(dir.resolve("nope.npz"), ok);
    assertEquals(InferCommand.EXIT_BAD_INPUT, noModel.code());
    assertTrue(noModel.err().contains("model file not found"), noModel.err());
    Path junk = dir.resolve("junk.npz");
    Files.writeString(junk, "junk");
    Result badModel = infer(junk, ok);
    assertEquals(InferCommand.EXIT_BAD_INPUT, badModel.code());
    assertEquals(1, badModel.err().strip().lines().count(), badModel.err());
    Path truncated = dir.resolve("t.npy");
    byte[] b = Files.readAllBytes(ok);
    Files.write(truncated, java.util.Arrays.copyOf(b, b.length - 3));
    Result trunc = infer(golden("primes_lag0", "model.npz"), truncated);
    assertEquals(InferCommand.EXIT_BAD_INPUT, trunc.code());
    assertTrue(trunc.err().contains("truncated data"), trunc.err());
    Result be = infer(golden("primes_lag0", "model.npz"), ok, "--backend", "quantum");
    assertEquals(InferCommand.EXIT_BAD_INPUT, be.code());
    assertTrue(be.err().contains("unknown backend 'quantum' (available: float"), be.err());
  }
}
