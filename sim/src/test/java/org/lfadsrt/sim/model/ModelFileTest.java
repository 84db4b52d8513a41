package org.lfadsrt.sim.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.LfadsOutput;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.io.NpzWriter;

/** Model files written by sim/python/export_lfads_torch.py (the golden models), and broken variants. */
class ModelFileTest {

  static byte[] resource(String path) throws Exception {
    try (InputStream in = ModelFileTest.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing " + path);
      return in.readAllBytes();
    }
  }

  static byte[] mcMaze() throws Exception {
    return resource("/golden/mc_maze/model.npz");
  }

  static LfadsModel load(byte[] npz) throws Exception {
    return ModelFile.load(new ByteArrayInputStream(npz), "m.npz");
  }

  /** Rewrites an archive member by member: {@code edit(name, bytes)} returns new bytes or null to drop. */
  static byte[] rewrite(byte[] npz, BiFunction<String, byte[], byte[]> edit, String... extra) throws Exception {
    NpzReader r = NpzReader.read(new ByteArrayInputStream(npz), "src");
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (NpzWriter w = new NpzWriter(bos)) {
      for (String m : r.memberNames()) {
        byte[] b = edit.apply(m, r.bytes(m));
        if (b != null) w.putBytes(m, b);
      }
      for (int i = 0; i < extra.length; i += 2) w.putText(extra[i], extra[i + 1]);
    }
    return bos.toByteArray();
  }

  static byte[] replaceArray(byte[] npz, String key, NdArray a) throws Exception {
    return rewrite(npz, (m, b) -> m.equals(key + ".npy") ? org.lfadsrt.sim.io.Npy.toBytes(a) : b);
  }

  static byte[] editHparams(byte[] npz, String from, String to) throws Exception {
    return rewrite(npz, (m, b) -> {
      if (!m.equals(ModelFile.HPARAMS_MEMBER)) return b;
      String s = new String(b, StandardCharsets.UTF_8);
      if (!s.contains(from)) throw new IllegalStateException("hparams lack " + from + ": " + s);
      return s.replace(from, to).getBytes(StandardCharsets.UTF_8);
    });
  }

  static String error(byte[] npz) {
    return assertThrows(ModelFormatException.class, () -> load(npz)).getMessage();
  }

  @Test
  void loadsMcMazeSizeModelWithEveryDimension() throws Exception {
    LfadsModel m = load(mcMaze());
    assertEquals(new LfadsConfig(137, 35, 45, 182, 64, 64, 1, 64, 4, 64, 200, 100, 5.0), m.config());
    assertEquals(192, m.icEncFwd().weightIh().length);
    assertEquals(137, m.icEncFwd().inputSize());
    assertEquals(228, m.conCell().inputSize());
    assertEquals(4, m.genCell().inputSize());
    assertEquals(600, m.genCell().weightHh().length);
    assertEquals(100, m.facWeight().length);
    assertEquals(182, m.readout().outSize());
    assertEquals(8, m.coLinear().outSize());
    assertEquals(64, m.conH0().length);
    assertEquals(2, m.ciEncH0().length);
  }

  @Test
  void noControllerModelHasNoControllerParts() throws Exception {
    LfadsModel m = load(resource("/golden/paper/model.npz"));
    assertEquals(new LfadsConfig(70, 73, 73, 70, 64, 0, 1, 0, 0, 64, 64, 4, 5.0), m.config());
    assertNull(m.conCell());
    assertNull(m.ciEncFwd());
    assertEquals(0, m.genCell().inputSize());
  }

  @Test
  void unusedKeysAreIgnored() throws Exception {
    byte[] npz = mcMaze();
    assertTrue(NpzReader.read(new ByteArrayInputStream(npz), "x").arrayNames().contains("ic_prior.mean"));
    byte[] withJunk = rewrite(npz, (m, b) -> m.startsWith("ic_prior") ? null : b, "recon.0.scale.npy", "junk", "notes.txt", "hello");
    assertEquals(load(npz).config(), load(withJunk).config());
  }

  static byte[] withArray(byte[] npz, String key, NdArray a) throws Exception {
    NpzReader r = NpzReader.read(new ByteArrayInputStream(npz), "x");
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (NpzWriter w = new NpzWriter(bos)) {
      for (String m : r.memberNames()) w.putBytes(m, r.bytes(m));
      w.put(key, a);
    }
    return bos.toByteArray();
  }

  @Test
  void trainedReadinIsFoldedIntoTheEncodersNotIgnored() throws Exception {
    double[] wr = new double[137 * 150];
    java.util.Random rnd = new java.util.Random(5);
    for (int i = 0; i < wr.length; i++) wr[i] = rnd.nextGaussian() / 12;
    LfadsModel plain = load(mcMaze());
    LfadsModel m = load(withArray(mcMaze(), "readin.0.weight", NdArray.ofDoubles(wr, 137, 150)));
    assertEquals(150, m.config().encodDataDim(), "the model now reads the read-in's 150 raw channels");
    // W_ih W_r, element (row 7, raw channel 149), summed here independently of ModelFile.fold
    double want = 0;
    for (int k = 0; k < 137; k++) want += plain.ciEncBwd().weightIh()[7][k] * wr[k * 150 + 149];
    assertEquals(want, m.ciEncBwd().weightIh()[7][149], 1e-12);
    assertArrayEquals(plain.ciEncBwd().biasIh(), m.ciEncBwd().biasIh(), "no read-in bias: b_ih unchanged");
    assertArrayEquals(plain.genCell().weightIh()[3], m.genCell().weightIh()[3], "only the encoders change");
    String e = error(withArray(mcMaze(), "readin.0.weight", NdArray.ofDoubles(wr, 150, 137)));
    assertTrue(e.contains("array 'readin.0.weight' has shape (150, 137), expected (encod_data_dim = 137, N_in of session 0)"), e);
  }

  @Test
  void missingKeyIsNamedWithItsExpectedShape() throws Exception {
    byte[] npz = rewrite(mcMaze(), (m, b) -> m.equals("decoder.rnn.cell.con_cell.bias_hh.npy") ? null : b);
    assertEquals("m.npz: missing array 'decoder.rnn.cell.con_cell.bias_hh', expected shape (192,)", error(npz));
    byte[] noReadout = rewrite(mcMaze(), (m, b) -> m.equals("readout.0.weight.npy") ? null : b);
    assertTrue(error(noReadout).contains("missing array 'readout.0.weight'"));
  }

  @Test
  void wrongShapeNamesKeyExpectedAndFound() throws Exception {
    byte[] npz = replaceArray(mcMaze(), "encoder.ic_linear.weight", NdArray.ofDoubles(new double[128 * 127], 128, 127));
    assertEquals("m.npz: array 'encoder.ic_linear.weight' has shape (128, 127), expected (128, 128)", error(npz));
    byte[] h0 = replaceArray(mcMaze(), "encoder.ic_enc_h0", NdArray.ofDoubles(new double[128], 2, 64));
    assertEquals("m.npz: array 'encoder.ic_enc_h0' has shape (2, 64), expected (2, 1, 64)", error(h0));
    // The readout fixes N_out but must agree with fac_dim.
    byte[] ro = replaceArray(mcMaze(), "readout.0.weight", NdArray.ofDoubles(new double[182 * 99], 182, 99));
    assertTrue(error(ro).contains("'readout.0.weight' has shape (182, 99), expected (N_out, 100)"));
    // N_out from readout.0.weight must agree with readout.0.bias.
    byte[] bias = replaceArray(mcMaze(), "readout.0.weight", NdArray.ofDoubles(new double[181 * 100], 181, 100));
    assertEquals("m.npz: array 'readout.0.bias' has shape (182,), expected (181,)", error(bias));
  }

  @Test
  void hyperparameterMismatchIsCaughtByShapes() throws Exception {
    byte[] npz = editHparams(mcMaze(), "\"gen_dim\": 200", "\"gen_dim\": 201");
    assertEquals("m.npz: array 'decoder.ic_to_g0.weight' has shape (200, 64), expected (201, 64)", error(npz));
  }

  @Test
  void rejectsUnsupportedHyperparameters() throws Exception {
    assertTrue(error(editHparams(mcMaze(), "\"ext_input_dim\": 0", "\"ext_input_dim\": 3"))
        .contains("ext_input_dim = 3 is not supported"));
    assertTrue(error(editHparams(mcMaze(), "\"ic_enc_seq_len\": 0", "\"ic_enc_seq_len\": 5"))
        .contains("ic_enc_seq_len = 5 is not supported"));
    assertTrue(error(editHparams(mcMaze(), "\"gen_dim\": 200", "\"gen_type\": \"lstm\", \"gen_dim\": 200"))
        .contains("gen_type 'lstm' is not supported"));
    assertTrue(error(editHparams(mcMaze(), "\"fac_dim\": 100", "\"fac_dim\": 1.5"))
        .contains("hyperparameter 'fac_dim' must be an integer, got 1.5"));
    assertTrue(error(editHparams(mcMaze(), "\"cell_clip\": 5.0", "\"cell_clip\": -1"))
        .contains("cell_clip must be a finite positive number"));
    assertTrue(error(editHparams(mcMaze(), "\"encod_seq_len\": 35", "\"encod_seq_len\": 46"))
        .contains("recon_seq_len (45) must be >= encod_seq_len (46)"));
    assertTrue(error(editHparams(mcMaze(), "\"ic_dim\": 64,", "")).contains("lacks hyperparameter 'ic_dim'"));
    assertTrue(error(rewrite(mcMaze(), (m, b) -> m.equals("hparams.json") ? null : b)).contains("missing member 'hparams.json'"));
    assertTrue(error(rewrite(mcMaze(), (m, b) -> m.equals("hparams.json") ? "[1]".getBytes() : b)).contains("JSON object"));
  }

  @Test
  void rejectsNonFiniteAndIntegerWeights() throws Exception {
    double[] w = new double[8 * 64];
    w[70] = Double.NaN;
    assertTrue(error(replaceArray(mcMaze(), "decoder.rnn.cell.co_linear.weight", NdArray.ofDoubles(w, 8, 64)))
        .contains("'decoder.rnn.cell.co_linear.weight' holds a non-finite value (NaN) at flat index 70"));
    assertTrue(error(replaceArray(mcMaze(), "decoder.rnn.cell.co_linear.bias",
        NdArray.ofLongs(NdArray.DType.I8, new long[8], 8))).contains("has dtype <i8, expected a floating dtype"));
  }

  @Test
  void saveThenLoadGivesIdenticalInference(@TempDir Path dir) throws Exception {
    for (String name : new String[] {"mc_maze", "paper", "primes_lag2"}) {
      LfadsModel m = load(resource("/golden/" + name + "/model.npz"));
      Path p = dir.resolve(name + ".npz");
      ModelFile.save(m, p);
      LfadsModel back = ModelFile.load(p);
      assertEquals(m.config(), back.config());
      int[][] spikes = new int[m.config().encodSeqLen()][m.config().encodDataDim()];
      for (int t = 0; t < spikes.length; t++) spikes[t][t % spikes[t].length] = 1 + t % 3;
      LfadsOutput a = new FloatLfads(m).infer(spikes);
      LfadsOutput b = new FloatLfads(back).infer(spikes);
      for (int t = 0; t < a.logrates().length; t++) assertArrayEquals(a.logrates()[t], b.logrates()[t], 0.0);
    }
  }
}
