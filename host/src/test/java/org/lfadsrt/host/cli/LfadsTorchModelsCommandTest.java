package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lfadsrt.sim.fixed.ImageSidecar;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.io.NpzReader;

/**
 * {@code infer} and {@code quantize} on the lfads-torch-style fixtures of sim (sim/python/make_model_fixtures.py):
 * {@code --session} of a multi-session model, outputs named by the reconstruction ({@code rates} = its mean, the raw
 * parameters by name) against PyTorch's, and the fidelity estimate the fixed-point paths print.
 */
class LfadsTorchModelsCommandTest {
  @TempDir Path dir;

  static Path fixture(String name, String file) {
    Path p = InferCommandTest.root.resolve("sim/src/test/resources/lfads_torch").resolve(name).resolve(file);
    assertTrue(Files.exists(p), "missing " + p);
    return p;
  }

  Path spikes(String name, int session) throws Exception {
    Path p = dir.resolve(name + "-" + session + ".npy");
    Npy.write(p, NpzReader.open(fixture(name, "golden.npz")).array("spikes_" + session));
    return p;
  }

  static double maxAbsDiff(NdArray a, NdArray b) {
    assertEquals(a.shapeString(), b.shapeString());
    double m = 0;
    for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.getDouble(i) - b.getDouble(i)));
    return m;
  }

  InferCommandTest.Result infer(String name, int session, String... extra) throws Exception {
    String[] base = {"infer", "--model", fixture(name, "model.npz").toString(), "--spikes", spikes(name, session).toString(),
        "--out", dir.resolve("o.npz").toString()};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return InferCommandTest.run(all);
  }

  @ParameterizedTest
  @CsvSource({"recon_gamma, Gamma, logalphas, logbetas, ", "recon_gaussian, Gaussian, means, logvars, ",
      "recon_mse, MSE, outputs, , ", "recon_zig, ZeroInflatedGamma, alpha_ps, beta_ps, q_ps"})
  void outputsAreNamedByTheReconstructionAndMatchPyTorch(String name, String kind, String p0, String p1, String p2)
      throws Exception {
    InferCommandTest.Result r = infer(name, 0, "--backend", "float");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("rates = " + kind + " means"), r.out());
    NpzReader o = NpzReader.open(dir.resolve("o.npz"));
    NpzReader g = NpzReader.open(fixture(name, "golden.npz"));
    assertFalse(o.hasArray("logrates"), "no 'logrates' for a " + kind + " model");
    assertTrue(maxAbsDiff(o.array("rates"), g.array("means_0")) < 1e-10, "rates = lfads-torch's compute_means");
    NdArray params = g.array("params_0");
    int neurons = o.array("rates").dim(2);
    String[] names = {p0, p1, p2};
    for (int p = 0; p < names.length; p++) {
      if (names[p] == null) continue;
      NdArray got = o.array(names[p]);
      double m = 0;
      for (int i = 0; i < got.size(); i++) {
        int step = i / neurons, k = i % neurons;
        m = Math.max(m, Math.abs(got.getDouble(i) - params.getDouble(step * params.dim(2) + p * neurons + k)));
      }
      assertTrue(m < 1e-10, names[p] + " " + m);
    }
  }

  @Test
  void multiSessionNeedsSessionAndRunsEachOnItsOwnChannels() throws Exception {
    InferCommandTest.Result r = infer("multisession", 0, "--backend", "float");
    assertEquals(InferCommand.EXIT_BAD_INPUT, r.code());
    assertTrue(r.err().contains("the model has 2 sessions (0 = sessA, 1 = sessB); choose one (--session NAME|INDEX)"),
        r.err());
    r = infer("multisession", 0, "--backend", "float", "--session", "sessX");
    assertTrue(r.err().contains("no session 'sessX'; the model has 2 sessions (0 = sessA, 1 = sessB)"), r.err());
    NpzReader g = NpzReader.open(fixture("multisession", "golden.npz"));
    for (String[] s : new String[][] {{"sessA", "0"}, {"1", "1"}}) {
      int idx = Integer.parseInt(s[1]);
      r = infer("multisession", idx, "--backend", "float", "--session", s[0]);
      assertEquals(0, r.code(), r.err());
      NpzReader o = NpzReader.open(dir.resolve("o.npz"));
      assertTrue(maxAbsDiff(o.array("logrates"), g.array("params_" + idx)) < 1e-10);
      assertTrue(maxAbsDiff(o.array("rates"), g.array("means_" + idx)) < 1e-10);
    }
    // session B's spikes (7 channels) given to session A (11 channels): the shape error names N_in
    r = infer("multisession", 1, "--backend", "float", "--session", "sessA");
    assertEquals(InferCommand.EXIT_BAD_INPUT, r.code());
    assertTrue(r.err().contains("expected (trials >= 1, 10, 11)"), r.err());
  }

  @Test
  void fixedBackendPrintsTheFidelityEstimate() throws Exception {
    InferCommandTest.Result r = infer("multisession", 1, "--backend", "fixed", "--session", "sessB");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("infer: fixed-point fidelity (quantizer estimate, W=16, 3 calibration trials)"), r.out());
    assertTrue(r.out().contains("goals met"), r.out());
    NpzReader o = NpzReader.open(dir.resolve("o.npz"));
    NpzReader g = NpzReader.open(fixture("multisession", "golden.npz"));
    assertTrue(maxAbsDiff(o.array("logrates"), g.array("params_1")) < 2e-3, "fixed within the kernel's bound");
  }

  @Test
  void quantizeWritesASidecarThatInferReadsAndWarnsFrom() throws Exception {
    Path img = dir.resolve("k.img");
    InferCommandTest.Result q = InferCommandTest.run("quantize", "--model", fixture("recon_gamma", "model.npz").toString(),
        "--calib", spikes("recon_gamma", 0).toString(), "--out", img.toString());
    assertEquals(0, q.code(), q.err());
    assertTrue(Files.exists(ImageSidecar.pathFor(img)));
    assertTrue(q.out().contains("k.img.json (fidelity estimate, reconstruction Gamma)"), q.out());
    InferCommandTest.Result r = InferCommandTest.run("infer", "--model", img.toString(), "--spikes",
        spikes("recon_gamma", 0).toString(), "--out", dir.resolve("o.npz").toString(), "--backend", "fixed");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("fixed-point fidelity (quantizer estimate, W=16, 3 calibration trials)"), r.out());
    assertTrue(r.out().contains("(from k.img.json)"), r.out());
    NpzReader o = NpzReader.open(dir.resolve("o.npz"));
    assertTrue(o.hasArray("logalphas") && !o.hasArray("logrates"), "the image's outputs keep the Gamma meaning");
    NpzReader g = NpzReader.open(fixture("recon_gamma", "golden.npz"));
    assertTrue(maxAbsDiff(o.array("rates"), g.array("means_0")) < 5e-3);

    // The same image at 8 bits misses the goals: the warning names the remedies.
    Path img8 = dir.resolve("k8.img");
    q = InferCommandTest.run("quantize", "--model", fixture("recon_gamma", "model.npz").toString(), "--calib",
        spikes("recon_gamma", 0).toString(), "--out", img8.toString(), "--bits", "8");
    assertEquals(0, q.code(), q.err());
    r = InferCommandTest.run("infer", "--model", img8.toString(), "--spikes", spikes("recon_gamma", 0).toString(), "--out",
        dir.resolve("o8.npz").toString(), "--backend", "fixed");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("goals NOT met"), r.out());
    assertTrue(r.err().contains("WARNING: this kernel image misses the fixed-point fidelity goals"), r.err());
    assertTrue(r.err().contains("more (and real) calibration data") && r.err().contains("cell_clip")
        && r.err().contains("--bits 18"), r.err());

    // An image without a sidecar says so.
    Files.delete(ImageSidecar.pathFor(img));
    r = InferCommandTest.run("infer", "--model", img.toString(), "--spikes", spikes("recon_gamma", 0).toString(), "--out",
        dir.resolve("o.npz").toString(), "--backend", "fixed");
    assertTrue(r.err().contains("has no sidecar k.img.json: no fidelity estimate"), r.err());
  }

  /**
   * Cosim of folded models: each session of the two-session model (read-in folded into the encoders) and the ZIG
   * model run on the emulated RTL kernel (Verilated hdl/rtl in liblfadsrt) with outputs bit-identical to the
   * fixed-point software model of the same image.
   */
  @ParameterizedTest
  @CsvSource({"multisession, 0, sessA", "multisession, 1, sessB", "recon_zig, 0, "})
  void foldedModelsRunBitExactOnTheEmulatedKernel(String name, int index, String session) throws Exception {
    DeviceBackendsCommandTest.assumeEmu();
    Path img = dir.resolve(name + index + ".img");
    java.util.List<String> q = new java.util.ArrayList<>(java.util.List.of("quantize", "--model",
        fixture(name, "model.npz").toString(), "--calib", spikes(name, index).toString(), "--out", img.toString()));
    if (session != null) q.addAll(java.util.List.of("--session", session));
    InferCommandTest.Result r = InferCommandTest.run(q.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    for (String backend : new String[] {"software", "emu"}) {
      r = InferCommandTest.run("infer", "--model", img.toString(), "--spikes", spikes(name, index).toString(), "--out",
          dir.resolve(backend + ".npz").toString(), "--backend", backend);
      assertEquals(0, r.code(), r.err());
    }
    NpzReader sw = NpzReader.open(dir.resolve("software.npz")), emu = NpzReader.open(dir.resolve("emu.npz"));
    for (String key : sw.arrayNames()) {
      NdArray a = sw.array(key), b = emu.array(key);
      assertEquals(a.shapeString(), b.shapeString(), key);
      for (int i = 0; i < a.size(); i++) assertEquals(a.getDouble(i), b.getDouble(i), 0.0, key + " at " + i);
    }
  }
}
