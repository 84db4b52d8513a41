package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.io.NpzReader;

/** {@code quantize} and {@code infer --backend fixed} (the old name of software) end to end on the golden models (PyTorch float64 outputs). */
class QuantizeCommandTest {
  @TempDir Path dir;

  static Path golden(String name, String file) {
    return InferCommandTest.golden(name, file);
  }

  static InferCommandTest.Result run(String... args) {
    return InferCommandTest.run(args);
  }

  Path spikesOf(String name) throws Exception {
    Path p = dir.resolve(name + ".npy");
    Npy.write(p, NpzReader.open(golden(name, "golden.npz")).array("spikes"));
    return p;
  }

  @Test
  void quantizesWritesImageAndReport() throws Exception {
    Path calib = spikesOf("mc_maze"), img = dir.resolve("k.img"), rep = dir.resolve("r.json");
    InferCommandTest.Result r = run("quantize", "--model", golden("mc_maze", "model.npz").toString(), "--calib", calib.toString(),
        "--out", img.toString(), "--report", rep.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("|d lograte|") && r.out().contains("goals        met"), r.out());
    KernelImage k = KernelImage.read(img);
    assertEquals(16, k.dataWidth());
    assertEquals(182, k.nOut());
    JsonNode j = new ObjectMapper().readTree(rep.toFile());
    assertEquals(16, j.get("bits").asInt());
    assertTrue(j.get("meanAbsDeltaLograte").asDouble() <= 5e-4, j.toString());
    assertTrue(j.get("poissonLlRelDiff").asDouble() <= 5e-3, j.toString());
    assertTrue(j.get("rateR2").asDouble() > 0.9999, j.toString());
    assertTrue(j.has("saturations") && j.has("formats"), j.toString());
  }

  @Test
  void calibratesOnTheSpikesOfAnNpz() throws Exception {
    // the golden archive holds a 'spikes' array among others, like synth's output
    Path img = dir.resolve("k.img");
    InferCommandTest.Result r = run("quantize", "--model", golden("paper", "model.npz").toString(), "--calib",
        golden("paper", "golden.npz").toString(), "--out", img.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(70, KernelImage.read(img).nIn());
    InferCommandTest.Result none = run("quantize", "--model", golden("paper", "model.npz").toString(), "--calib",
        golden("paper", "model.npz").toString(), "--out", dir.resolve("x.img").toString());
    assertEquals(InferCommand.EXIT_BAD_INPUT, none.code());
    assertTrue(none.err().contains("has no array 'spikes'"), none.err());
  }

  @Test
  void eightBitsQuantizeToo() throws Exception {
    Path calib = spikesOf("paper"), img = dir.resolve("k8.img");
    InferCommandTest.Result r = run("quantize", "--model", golden("paper", "model.npz").toString(), "--calib", calib.toString(),
        "--out", img.toString(), "--bits", "8");
    assertEquals(0, r.code(), r.err());
    assertEquals(8, KernelImage.read(img).dataWidth());
  }

  @Test
  void inferFixedOnModelAndOnImageGiveTheSameResult() throws Exception {
    Path spikes = spikesOf("mc_maze"), img = dir.resolve("k.img");
    assertEquals(0, run("quantize", "--model", golden("mc_maze", "model.npz").toString(), "--calib", spikes.toString(),
        "--out", img.toString()).code());
    Path o1 = dir.resolve("o1.npz"), o2 = dir.resolve("o2.npz");
    InferCommandTest.Result a = run("infer", "--backend", "fixed", "--model", golden("mc_maze", "model.npz").toString(), "--spikes",
        spikes.toString(), "--out", o1.toString(), "--batch", "3");
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().contains("backend software"), "fixed is another name for software: " + a.out());
    InferCommandTest.Result b = run("infer", "--backend", "fixed", "--model", img.toString(), "--spikes", spikes.toString(), "--out",
        o2.toString());
    assertEquals(0, b.code(), b.err());
    NdArray l1 = NpzReader.open(o1).array("logrates"), l2 = NpzReader.open(o2).array("logrates");
    assertArrayEquals(l1.doubleData(), l2.doubleData()); // calibrated on the same spikes: the same image
    NdArray want = NpzReader.open(golden("mc_maze", "golden.npz")).array("logrates");
    double sum = 0;
    for (int i = 0; i < want.size(); i++) sum += Math.abs(want.getDouble(i) - l1.getDouble(i));
    assertTrue(sum / want.size() <= 5e-4, "mean |d lograte| vs PyTorch " + sum / want.size());
  }

  @Test
  void badInputsGetOneLineErrors() throws Exception {
    Path calib = spikesOf("paper");
    InferCommandTest.Result bits = run("quantize", "--model", golden("paper", "model.npz").toString(), "--calib", calib.toString(),
        "--out", dir.resolve("x.img").toString(), "--bits", "20");
    assertEquals(InferCommand.EXIT_BAD_INPUT, bits.code());
    assertTrue(bits.err().startsWith("quantize: --bits must be in 8..18"), bits.err());
    InferCommandTest.Result shape = run("quantize", "--model", golden("mc_maze", "model.npz").toString(), "--calib", calib.toString(),
        "--out", dir.resolve("x.img").toString());
    assertEquals(InferCommand.EXIT_BAD_INPUT, shape.code());
    assertTrue(shape.err().contains("expected (trials >= 1, 35, 137)"), shape.err());
    InferCommandTest.Result missing = run("quantize", "--model", golden("paper", "model.npz").toString(), "--calib",
        dir.resolve("none.npy").toString(), "--out", dir.resolve("x.img").toString());
    assertTrue(missing.err().contains("calibration file not found"), missing.err());
    assertTrue(!Files.exists(dir.resolve("x.img")));
  }

  @Test
  void imagesNeedAnImageBackendAndMustBeValid() throws Exception {
    Path spikes = spikesOf("paper"), img = dir.resolve("k.img");
    assertEquals(0, run("quantize", "--model", golden("paper", "model.npz").toString(), "--calib", spikes.toString(),
        "--out", img.toString()).code());
    InferCommandTest.Result onFloat = run("infer", "--backend", "float", "--model", img.toString(), "--spikes", spikes.toString(), "--out",
        dir.resolve("o.npz").toString());
    assertEquals(InferCommand.EXIT_BAD_INPUT, onFloat.code());
    assertTrue(onFloat.err().contains("is a kernel image: it runs on --backend software, emu, xrt"), onFloat.err());
    byte[] b = Files.readAllBytes(img);
    b[4] = 9; // VERSION
    Files.write(img, b);
    InferCommandTest.Result corrupt = run("infer", "--backend", "fixed", "--model", img.toString(), "--spikes", spikes.toString(), "--out",
        dir.resolve("o.npz").toString());
    assertEquals(InferCommand.EXIT_BAD_INPUT, corrupt.code());
    assertTrue(corrupt.err().contains("VERSION: expected 1, found 9"), corrupt.err());
  }
}
