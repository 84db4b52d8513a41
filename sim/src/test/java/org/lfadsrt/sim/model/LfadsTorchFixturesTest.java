package org.lfadsrt.sim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.LfadsOutput;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;

/**
 * Models built with lfads-torch's architecture (sim/python/lfads_torch_model.py) and exported by
 * export_lfads_torch.py, in the configurations lfads-torch's configs use beyond single-session Poisson
 * (sim/python/make_model_fixtures.py): a two-session model with FanInLinear read-ins and a bias-free readout,
 * and each reconstruction distribution. Float must match the PyTorch float64 forward pass (raw output
 * parameters and lfads-torch's compute_means) to 1e-10; the 16-bit fixed-point kernel (read-in folded into the
 * encoders) is measured against float and must stay within the kernel's usual bounds.
 */
class LfadsTorchFixturesTest {
  static final double FLOAT_TOL = 1e-10;

  static Path fixture(String name, String file, Path dir) throws IOException {
    Path p = dir.resolve(name + "-" + file);
    try (InputStream in = LfadsTorchFixturesTest.class.getResourceAsStream("/lfads_torch/" + name + "/" + file)) {
      Files.copy(in, p);
    }
    return p;
  }

  /** max |float - PyTorch| over factors, raw parameters and means; and max |fixed - float| over raw parameters. */
  static double[] compare(String name, String session, int index, Path dir) throws IOException {
    LfadsModel m = ModelFile.load(fixture(name, "model.npz", dir), session);
    NpzReader g = NpzReader.open(fixture(name, "golden.npz", dir));
    int[][][] sp = g.array("spikes_" + index).toIntArray3();
    NdArray fac = g.array("factors_" + index), par = g.array("params_" + index), mean = g.array("means_" + index);
    LfadsConfig c = m.config();
    Reconstruction r = m.reconstruction();
    assertEquals(par.dim(2), c.readoutDim(), "readout width");
    assertEquals(mean.dim(2), r.neurons(), "rates width = neurons");
    FloatLfads fl = new FloatLfads(m);
    double dFloat = 0;
    LfadsOutput[] outs = new LfadsOutput[sp.length];
    for (int i = 0; i < sp.length; i++) {
      LfadsOutput o = outs[i] = fl.infer(sp[i]);
      for (int t = 0; t < c.reconSeqLen(); t++) {
        for (int k = 0; k < c.facDim(); k++) {
          dFloat = Math.max(dFloat, Math.abs(o.factors()[t][k] - fac.getDouble((i * c.reconSeqLen() + t) * c.facDim() + k)));
        }
        for (int k = 0; k < c.readoutDim(); k++) {
          dFloat = Math.max(dFloat,
              Math.abs(o.logrates()[t][k] - par.getDouble((i * c.reconSeqLen() + t) * c.readoutDim() + k)));
        }
        for (int k = 0; k < r.neurons(); k++) {
          dFloat = Math.max(dFloat,
              Math.abs(o.rates()[t][k] - mean.getDouble((i * c.reconSeqLen() + t) * r.neurons() + k)));
        }
      }
    }
    KernelImage img = Quantizer.quantize(m, sp, 16);
    FixedLfads fx = new FixedLfads(img);
    double dFixed = 0;
    for (int i = 0; i < sp.length; i++) {
      FixedOutput o = fx.infer(sp[i]);
      for (int t = 0; t < c.reconSeqLen(); t++) {
        for (int k = 0; k < c.readoutDim(); k++) {
          dFixed = Math.max(dFixed, Math.abs(o.lograte(t, k) - outs[i].logrates()[t][k]));
        }
      }
    }
    System.out.printf("lfads-torch %-14s session %-6s %-18s float vs PyTorch max |d| %.2e; fixed16 vs float max |d params| %.2e (Fs %d)%n",
        name, session, r.kind().className(), dFloat, dFixed, img.fracState());
    return new double[] {dFloat, dFixed, Math.scalb(1.0, -img.fracState())};
  }

  @ParameterizedTest
  @CsvSource({"multisession, sessA, 0", "multisession, sessB, 1", "multisession, 1, 1", "recon_gamma, , 0",
      "recon_gaussian, , 0", "recon_mse, , 0", "recon_zig, , 0"})
  void floatMatchesPyTorchAndFixedStaysClose(String name, String session, int index, @TempDir Path dir)
      throws IOException {
    double[] d = compare(name, session, index, dir);
    assertTrue(d[0] <= FLOAT_TOL, name + " float vs PyTorch " + d[0]);
    // the kernel's usual bound (FixedVsFloatTest): max |d| <= 12 state ulps
    assertTrue(d[1] <= 12 * d[2], name + " fixed vs float " + d[1]);
  }

  @Test
  void multiSessionNeedsASessionAndListsThem(@TempDir Path dir) throws IOException {
    Path p = fixture("multisession", "model.npz", dir);
    assertEquals(List.of("sessA", "sessB"), ModelFile.sessions(p));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(p));
    assertTrue(e.getMessage().contains("the model has 2 sessions (0 = sessA, 1 = sessB); choose one (--session NAME|INDEX)"),
        e.getMessage());
    e = assertThrows(ModelFormatException.class, () -> ModelFile.load(p, "sessC"));
    assertTrue(e.getMessage().contains("no session 'sessC'; the model has 2 sessions (0 = sessA, 1 = sessB)"),
        e.getMessage());
    e = assertThrows(ModelFormatException.class, () -> ModelFile.load(p, "2"));
    assertTrue(e.getMessage().contains("no session '2'"), e.getMessage());
    LfadsModel a = ModelFile.load(p, "sessA"), b = ModelFile.load(p, "sessB");
    assertEquals(11, a.config().encodDataDim(), "session A runs on its 11 raw channels (read-in folded)");
    assertEquals(7, b.config().encodDataDim());
    assertEquals(13, a.config().readoutDim());
    assertEquals(9, b.config().readoutDim());
    for (double v : b.readout().bias()) assertEquals(0.0, v, "a bias-free readout loads as zero bias");
  }

  @Test
  void reconstructionKindsAndWidths(@TempDir Path dir) throws IOException {
    assertEquals(Reconstruction.Kind.GAMMA,
        ModelFile.load(fixture("recon_gamma", "model.npz", dir)).reconstruction().kind());
    Reconstruction z = ModelFile.load(fixture("recon_zig", "model.npz", dir)).reconstruction();
    assertEquals(Reconstruction.Kind.ZERO_INFLATED_GAMMA, z.kind());
    assertEquals(10, z.neurons());
    assertEquals(30, z.readoutDim());
    assertEquals(0.1, z.gammaLoc());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Reconstruction.Kind.forName("lfads_torch.modules.recons.StudentT"));
    assertTrue(e.getMessage().startsWith("reconstruction distribution 'lfads_torch.modules.recons.StudentT' is not supported"));
  }

  @Test
  void savedModelKeepsTheReconstruction(@TempDir Path dir) throws IOException {
    LfadsModel z = ModelFile.load(fixture("recon_zig", "model.npz", dir));
    Path again = dir.resolve("again.npz");
    ModelFile.save(z, again);
    assertEquals(z.reconstruction(), ModelFile.load(again).reconstruction());
  }

  @Test
  void externalInputsAndSplitEncodersAreRefusedSayingWhy(@TempDir Path dir) throws IOException {
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> ModelFile.load(fixture("refused_ext_input", "model.npz", dir)));
    assertTrue(e.getMessage().contains("ext_input_dim = 2 is not supported: external inputs enter the generator every "
        + "bin, and lfads-rt's sources, wire format and kernel carry spike counts only"), e.getMessage());
    e = assertThrows(ModelFormatException.class, () -> ModelFile.load(fixture("refused_ic_enc_seq_len", "model.npz", dir)));
    assertTrue(e.getMessage().contains("ic_enc_seq_len = 3 is not supported: such a model splits each window"),
        e.getMessage());
  }

  @Test
  void aReconstructionPerSessionIsReadForTheChosenSession(@TempDir Path dir) throws IOException {
    NpzReader r = NpzReader.open(fixture("multisession", "model.npz", dir));
    Path edited = dir.resolve("per-session.npz");
    try (org.lfadsrt.sim.io.NpzWriter w = org.lfadsrt.sim.io.NpzWriter.create(edited)) {
      for (String m : r.memberNames()) {
        byte[] b = r.bytes(m);
        if (m.equals(ModelFile.HPARAMS_MEMBER)) {
          b = new String(b, java.nio.charset.StandardCharsets.UTF_8)
              .replace("\"reconstruction\": {\n    \"type\": \"Poisson\"\n  }",
                  "\"reconstruction\": [{\"type\": \"Poisson\"}, {\"type\": \"MSE\"}]")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        w.putBytes(m, b);
      }
    }
    assertEquals(Reconstruction.Kind.POISSON, ModelFile.load(edited, "sessA").reconstruction().kind());
    assertEquals(Reconstruction.Kind.MSE, ModelFile.load(edited, "sessB").reconstruction().kind());
  }
}
