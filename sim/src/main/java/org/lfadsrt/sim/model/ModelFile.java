package org.lfadsrt.sim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpyFormatException;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.io.NpzWriter;

/**
 * Loads and saves the project's model file: one {@code .npz} whose arrays are named exactly as
 * lfads-torch's {@code state_dict} keys and whose member {@code hparams.json} holds lfads-torch's
 * hyperparameters. The format is specified in docs/model-format.md.
 *
 * <p>Loading checks every hyperparameter, every required key, every shape and every value
 * (finite); an error names the file, the key, the expected and the found shape. Keys the inference
 * path does not read (priors, anything else) are ignored, except trained readin parameters
 * ({@code readin.*}), which would change the inference path and are rejected.
 */
public final class ModelFile {
  /** Name of the hyperparameter member inside the archive. */
  public static final String HPARAMS_MEMBER = "hparams.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFile() {}

  public static LfadsModel load(Path path) throws IOException {
    return parse(NpzReader.open(path));
  }

  public static LfadsModel load(InputStream in, String sourceName) throws IOException {
    return parse(NpzReader.read(in, sourceName));
  }

  /** Builds a model from an open archive. */
  public static LfadsModel parse(NpzReader npz) throws IOException {
    String src = npz.sourceName();
    if (!npz.hasMember(HPARAMS_MEMBER)) {
      throw new ModelFormatException(src + ": missing member '" + HPARAMS_MEMBER
          + "' (the lfads-torch hyperparameters as JSON)");
    }
    JsonNode hp;
    try {
      hp = JSON.readTree(npz.bytes(HPARAMS_MEMBER));
    } catch (IOException e) {
      throw new ModelFormatException(src + ": " + HPARAMS_MEMBER + " is not valid JSON: " + e.getMessage());
    }
    if (hp == null || !hp.isObject()) {
      throw new ModelFormatException(src + ": " + HPARAMS_MEMBER + " must hold a JSON object");
    }
    Hparams h = new Hparams(hp, src);
    if (h.optInt("ext_input_dim", 0) != 0) {
      throw new ModelFormatException(src + ": ext_input_dim = " + h.optInt("ext_input_dim", 0)
          + " is not supported (external inputs are not part of the lfads-rt inference path)");
    }
    if (h.optInt("ic_enc_seq_len", 0) != 0) {
      throw new ModelFormatException(src + ": ic_enc_seq_len = " + h.optInt("ic_enc_seq_len", 0)
          + " is not supported (the IC encoder must see all encod_seq_len bins)");
    }
    JsonNode genType = hp.get("gen_type");
    if (genType != null && !genType.isNull() && !"gru".equalsIgnoreCase(genType.asText())) {
      throw new ModelFormatException(src + ": gen_type '" + genType.asText()
          + "' is not supported (only the ClippedGRU generator, gen_type 'gru')");
    }
    for (String key : npz.arrayNames()) {
      // A trained readin (multi-session models) maps raw channels to encod_data_dim; skipping it
      // would silently give wrong results, so it is an error rather than an ignored key.
      if (key.startsWith("readin.")) {
        throw new ModelFormatException(src + ": array '" + key + "' is a trained readin layer, which is not "
            + "supported (single-session models with the identity readin only)");
      }
    }
    int nIn = h.reqInt("encod_data_dim");
    int ciEncDim = h.reqInt("ci_enc_dim");
    int conDim = h.reqInt("con_dim");
    int coDim = h.reqInt("co_dim");
    int facDim = h.reqInt("fac_dim");
    if (coDim == 0 && (ciEncDim > 0 || conDim > 0)) {
      // lfads-torch builds neither CI encoder nor controller unless all three are > 0.
      ciEncDim = 0;
      conDim = 0;
    }
    NdArray readoutW = npz.hasArray("readout.0.weight") ? npz.array("readout.0.weight") : null;
    if (readoutW == null) throw missing(src, "readout.0.weight", "(N_out, " + facDim + ")");
    if (readoutW.ndim() != 2 || readoutW.dim(1) != facDim || readoutW.dim(0) < 1) {
      throw new ModelFormatException(src + ": array 'readout.0.weight' has shape " + readoutW.shapeString()
          + ", expected (N_out, " + facDim + ") with N_out >= 1 (fac_dim = " + facDim + ")");
    }
    LfadsConfig cfg;
    try {
      cfg = new LfadsConfig(nIn, h.reqInt("encod_seq_len"), h.reqInt("recon_seq_len"), readoutW.dim(0),
          h.reqInt("ic_enc_dim"), ciEncDim, h.optInt("ci_lag", 1), conDim, coDim, h.reqInt("ic_dim"),
          h.reqInt("gen_dim"), facDim, h.reqDouble("cell_clip"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(src + ": bad hyperparameters: " + e.getMessage());
    }
    ArrayReader reader = new ArrayReader(npz);
    int hic = cfg.icEncDim();
    int ic = cfg.icDim();
    int g = cfg.genDim();
    double[][] icEncH0 = reader.h0("encoder.ic_enc_h0", hic);
    GruWeights icFwd = reader.gru("encoder.ic_enc.fwd_gru.cell", nIn, hic);
    GruWeights icBwd = reader.gru("encoder.ic_enc.bwd_gru.cell", nIn, hic);
    LinearWeights icLinear = reader.linear("encoder.ic_linear", 2 * hic, 2 * ic, true);
    double[][] ciEncH0 = null;
    GruWeights ciFwd = null;
    GruWeights ciBwd = null;
    double[] conH0 = null;
    GruWeights conCell = null;
    LinearWeights coLinear = null;
    if (cfg.useController()) {
      int hci = cfg.ciEncDim();
      ciEncH0 = reader.h0("encoder.ci_enc_h0", hci);
      ciFwd = reader.gru("encoder.ci_enc.fwd_gru.cell", nIn, hci);
      ciBwd = reader.gru("encoder.ci_enc.bwd_gru.cell", nIn, hci);
      conH0 = reader.matrix("decoder.con_h0", 1, cfg.conDim())[0];
      conCell = reader.gru("decoder.rnn.cell.con_cell", cfg.conInputDim(), cfg.conDim());
      coLinear = reader.linear("decoder.rnn.cell.co_linear", cfg.conDim(), 2 * cfg.coDim(), true);
    }
    LinearWeights icToG0 = reader.linear("decoder.ic_to_g0", ic, g, true);
    GruWeights genCell = reader.gru("decoder.rnn.cell.gen_cell", cfg.genInputDim(), g);
    double[][] fac = reader.matrix("decoder.rnn.cell.fac_linear.weight", facDim, g);
    LinearWeights readout = reader.linear("readout.0", facDim, cfg.readoutDim(), true);
    return new LfadsModel(cfg, icEncH0, icFwd, icBwd, icLinear, ciEncH0, ciFwd, ciBwd, conH0, conCell,
        coLinear, icToG0, genCell, fac, readout);
  }

  private static ModelFormatException missing(String src, String key, String expected) {
    return new ModelFormatException(src + ": missing array '" + key + "', expected shape " + expected);
  }

  /** Typed access to the arrays with shape checks. */
  private static final class ArrayReader {
    private final NpzReader npz;
    private final String src;

    ArrayReader(NpzReader npz) {
      this.npz = npz;
      this.src = npz.sourceName();
    }

    NdArray get(String key, int... shape) throws IOException {
      if (!npz.hasArray(key)) throw missing(src, key, NdArray.shapeString(shape));
      NdArray a;
      try {
        a = npz.array(key);
      } catch (NpyFormatException e) {
        throw new ModelFormatException(src + ": array '" + key + "' is unreadable: " + e.getMessage());
      }
      if (!Arrays.equals(a.shape(), shape)) {
        throw new ModelFormatException(src + ": array '" + key + "' has shape " + a.shapeString()
            + ", expected " + NdArray.shapeString(shape));
      }
      if (!a.isFloating()) {
        throw new ModelFormatException(src + ": array '" + key + "' has dtype " + a.dtype().descr()
            + ", expected a floating dtype (<f4 or <f8)");
      }
      double[] d = a.doubleData();
      for (int i = 0; i < d.length; i++) {
        if (!Double.isFinite(d[i])) {
          throw new ModelFormatException(src + ": array '" + key + "' holds a non-finite value ("
              + d[i] + ") at flat index " + i);
        }
      }
      return a;
    }

    double[] vector(String key, int n) throws IOException {
      return get(key, n).doubleData().clone();
    }

    double[][] matrix(String key, int rows, int cols) throws IOException {
      double[] d = get(key, rows, cols).doubleData();
      double[][] m = new double[rows][cols];
      for (int i = 0; i < rows; i++) System.arraycopy(d, i * cols, m[i], 0, cols);
      return m;
    }

    /** A bidirectional encoder's learned initial state, stored (2, 1, H): [0] forward, [1] backward. */
    double[][] h0(String key, int h) throws IOException {
      double[] d = get(key, 2, 1, h).doubleData();
      return new double[][] {Arrays.copyOfRange(d, 0, h), Arrays.copyOfRange(d, h, 2 * h)};
    }

    GruWeights gru(String prefix, int in, int h) throws IOException {
      return new GruWeights(matrix(prefix + ".weight_ih", 3 * h, in), matrix(prefix + ".weight_hh", 3 * h, h),
          vector(prefix + ".bias_ih", 3 * h), vector(prefix + ".bias_hh", 3 * h));
    }

    LinearWeights linear(String prefix, int in, int out, boolean bias) throws IOException {
      return new LinearWeights(matrix(prefix + ".weight", out, in), bias ? vector(prefix + ".bias", out) : null);
    }
  }

  /** Reads integer/float hyperparameters with errors that name the key. */
  private record Hparams(JsonNode node, String src) {
    int reqInt(String key) throws ModelFormatException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        throw new ModelFormatException(src + ": " + HPARAMS_MEMBER + " lacks hyperparameter '" + key + "'");
      }
      return asInt(key, v);
    }

    int optInt(String key, int dflt) throws ModelFormatException {
      JsonNode v = node.get(key);
      return v == null || v.isNull() ? dflt : asInt(key, v);
    }

    double reqDouble(String key) throws ModelFormatException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        throw new ModelFormatException(src + ": " + HPARAMS_MEMBER + " lacks hyperparameter '" + key + "'");
      }
      if (!v.isNumber()) {
        throw new ModelFormatException(src + ": hyperparameter '" + key + "' must be a number, got " + v);
      }
      return v.asDouble();
    }

    private int asInt(String key, JsonNode v) throws ModelFormatException {
      if (v.isNumber()) {
        double d = v.asDouble();
        if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) return (int) d;
      }
      throw new ModelFormatException(src + ": hyperparameter '" + key + "' must be an integer, got " + v);
    }
  }

  // ------------------------------------------------------------------ saving

  /** Writes {@code model} in the model-file format (float64 arrays, lfads-torch key names). */
  public static void save(LfadsModel model, Path path) throws IOException {
    try (NpzWriter w = NpzWriter.create(path)) {
      write(model, w);
    }
  }

  /** Writes {@code model} into an open archive. */
  public static void write(LfadsModel m, NpzWriter w) throws IOException {
    LfadsConfig c = m.config();
    ObjectNode hp = JSON.createObjectNode();
    hp.put("encod_data_dim", c.encodDataDim());
    hp.put("encod_seq_len", c.encodSeqLen());
    hp.put("recon_seq_len", c.reconSeqLen());
    hp.put("ext_input_dim", 0);
    hp.put("ic_enc_seq_len", 0);
    hp.put("ic_enc_dim", c.icEncDim());
    hp.put("ci_enc_dim", c.ciEncDim());
    hp.put("ci_lag", c.ciLag());
    hp.put("con_dim", c.conDim());
    hp.put("co_dim", c.coDim());
    hp.put("ic_dim", c.icDim());
    hp.put("gen_dim", c.genDim());
    hp.put("fac_dim", c.facDim());
    hp.put("cell_clip", c.cellClip());
    w.putBytes(HPARAMS_MEMBER, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(hp));
    putH0(w, "encoder.ic_enc_h0", m.icEncH0());
    putGru(w, "encoder.ic_enc.fwd_gru.cell", m.icEncFwd());
    putGru(w, "encoder.ic_enc.bwd_gru.cell", m.icEncBwd());
    putLinear(w, "encoder.ic_linear", m.icLinear());
    if (c.useController()) {
      putH0(w, "encoder.ci_enc_h0", m.ciEncH0());
      putGru(w, "encoder.ci_enc.fwd_gru.cell", m.ciEncFwd());
      putGru(w, "encoder.ci_enc.bwd_gru.cell", m.ciEncBwd());
      w.put("decoder.con_h0", NdArray.ofDoubles(m.conH0().clone(), 1, m.conH0().length));
      putGru(w, "decoder.rnn.cell.con_cell", m.conCell());
      putLinear(w, "decoder.rnn.cell.co_linear", m.coLinear());
    }
    putLinear(w, "decoder.ic_to_g0", m.icToG0());
    putGru(w, "decoder.rnn.cell.gen_cell", m.genCell());
    w.put("decoder.rnn.cell.fac_linear.weight", matrix(m.facWeight(), m.config().genDim()));
    putLinear(w, "readout.0", m.readout());
  }

  private static NdArray matrix(double[][] rows, int cols) {
    double[] flat = new double[rows.length * cols];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * cols, cols);
    return NdArray.ofDoubles(flat, rows.length, cols);
  }

  private static void putH0(NpzWriter w, String key, double[][] h0) throws IOException {
    int h = h0[0].length;
    double[] flat = new double[2 * h];
    System.arraycopy(h0[0], 0, flat, 0, h);
    System.arraycopy(h0[1], 0, flat, h, h);
    w.put(key, NdArray.ofDoubles(flat, 2, 1, h));
  }

  private static void putGru(NpzWriter w, String prefix, GruWeights g) throws IOException {
    w.put(prefix + ".weight_ih", matrix(g.weightIh(), g.inputSize()));
    w.put(prefix + ".weight_hh", matrix(g.weightHh(), g.hiddenSize()));
    w.put(prefix + ".bias_ih", NdArray.ofDoubles(g.biasIh().clone(), g.biasIh().length));
    w.put(prefix + ".bias_hh", NdArray.ofDoubles(g.biasHh().clone(), g.biasHh().length));
  }

  private static void putLinear(NpzWriter w, String prefix, LinearWeights l) throws IOException {
    w.put(prefix + ".weight", matrix(l.weight(), l.inSize()));
    if (l.bias() != null) w.put(prefix + ".bias", NdArray.ofDoubles(l.bias().clone(), l.bias().length));
  }
}
