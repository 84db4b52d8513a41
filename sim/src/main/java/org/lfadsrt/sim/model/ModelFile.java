package org.lfadsrt.sim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * path does not read (priors, other sessions, anything else) are ignored. A multi-session model is loaded
 * for one session: its read-in is folded into the encoders' input weights, its readout and reconstruction
 * are the model's.
 */
public final class ModelFile {
  /** Name of the hyperparameter member inside the archive. */
  public static final String HPARAMS_MEMBER = "hparams.json";
  /** hparams.json key of the reconstruction distribution (docs/model-format.md). */
  public static final String RECONSTRUCTION = "reconstruction";
  /** hparams.json key of the session names of a multi-session model, in session-index order. */
  public static final String SESSION_NAMES = "session_names";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFile() {}

  public static LfadsModel load(Path path) throws IOException {
    return parse(NpzReader.open(path), null);
  }

  /**
   * Loads the model for one session of a multi-session model ({@code session}: a name from
   * {@code session_names} or an index; null selects the only session of a one-session model).
   */
  public static LfadsModel load(Path path, String session) throws IOException {
    return parse(NpzReader.open(path), session);
  }

  public static LfadsModel load(InputStream in, String sourceName) throws IOException {
    return parse(NpzReader.read(in, sourceName), null);
  }

  /** Builds a model from an open archive (its only session). */
  public static LfadsModel parse(NpzReader npz) throws IOException {
    return parse(npz, null);
  }

  /** The sessions of a model file, in lfads-torch's session-index order (names from {@code session_names}). */
  public static List<String> sessions(Path path) throws IOException {
    NpzReader npz = NpzReader.open(path);
    return sessionNames(npz, readHparams(npz));
  }

  private static JsonNode readHparams(NpzReader npz) throws IOException {
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
    return hp;
  }

  /** Session indices from the {@code readout.S.weight} arrays (0..S-1), named by {@code session_names} when present. */
  private static List<String> sessionNames(NpzReader npz, JsonNode hp) throws ModelFormatException {
    String src = npz.sourceName();
    TreeSet<Integer> idx = new TreeSet<>();
    Pattern p = Pattern.compile("readout\\.(\\d+)\\.weight");
    for (String key : npz.arrayNames()) {
      Matcher m = p.matcher(key);
      if (m.matches()) idx.add(Integer.parseInt(m.group(1)));
    }
    if (idx.isEmpty()) throw missing(src, "readout.0.weight", "(N_out, fac_dim)");
    if (idx.first() != 0 || idx.last() != idx.size() - 1) {
      throw new ModelFormatException(src + ": readout sessions " + idx + " are not numbered 0.." + (idx.size() - 1));
    }
    int n = idx.size();
    JsonNode names = hp.get(SESSION_NAMES);
    List<String> out = new ArrayList<>();
    if (names == null || names.isNull()) {
      for (int i = 0; i < n; i++) out.add(Integer.toString(i));
      return out;
    }
    if (!names.isArray() || names.size() != n) {
      throw new ModelFormatException(src + ": hyperparameter '" + SESSION_NAMES + "' must be a list of " + n
          + " names (one per readout), got " + names);
    }
    for (JsonNode v : names) {
      if (!v.isTextual() || v.asText().isBlank()) {
        throw new ModelFormatException(src + ": '" + SESSION_NAMES + "' holds a non-string or empty name: " + v);
      }
      if (out.contains(v.asText())) {
        throw new ModelFormatException(src + ": '" + SESSION_NAMES + "' names session '" + v.asText() + "' twice");
      }
      out.add(v.asText());
    }
    return out;
  }

  /** The index of {@code session} (a name, else an index) among {@code names}. */
  private static int chooseSession(String src, List<String> names, String session) throws ModelFormatException {
    if (session == null) {
      if (names.size() == 1) return 0;
      throw new ModelFormatException(src + ": the model has " + names.size() + " sessions (" + listSessions(names)
          + "); choose one (--session NAME|INDEX)");
    }
    int i = names.indexOf(session);
    if (i >= 0) return i;
    try {
      int k = Integer.parseInt(session.trim());
      if (k >= 0 && k < names.size()) return k;
    } catch (NumberFormatException e) {
      // not an index either
    }
    throw new ModelFormatException(src + ": no session '" + session + "'; the model has " + names.size()
        + " session" + (names.size() == 1 ? "" : "s") + " (" + listSessions(names) + ")");
  }

  /** "0 = a, 1 = b". */
  public static String listSessions(List<String> names) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) b.append(", ");
      b.append(i);
      if (!names.get(i).equals(Integer.toString(i))) b.append(" = ").append(names.get(i));
    }
    return b.toString();
  }

  /** Builds the model of one session from an open archive (see {@link #load(Path, String)}). */
  public static LfadsModel parse(NpzReader npz, String session) throws IOException {
    String src = npz.sourceName();
    JsonNode hp = readHparams(npz);
    Hparams h = new Hparams(hp, src);
    if (h.optInt("ext_input_dim", 0) != 0) {
      throw new ModelFormatException(src + ": ext_input_dim = " + h.optInt("ext_input_dim", 0)
          + " is not supported: external inputs enter the generator every bin, and lfads-rt's sources, wire format "
          + "and kernel carry spike counts only (no per-bin external-input stream)");
    }
    if (h.optInt("ic_enc_seq_len", 0) != 0) {
      throw new ModelFormatException(src + ": ic_enc_seq_len = " + h.optInt("ic_enc_seq_len", 0)
          + " is not supported: such a model splits each window (the IC encoder sees the first ic_enc_seq_len bins, "
          + "the CI encoder the rest, the controller gets zeros for the first bins); lfads-rt's float, fixed and "
          + "kernel paths run both encoders over the whole window (ic_enc_seq_len = 0)");
    }
    JsonNode genType = hp.get("gen_type");
    if (genType != null && !genType.isNull() && !"gru".equalsIgnoreCase(genType.asText())) {
      throw new ModelFormatException(src + ": gen_type '" + genType.asText()
          + "' is not supported (only the ClippedGRU generator, gen_type 'gru')");
    }
    List<String> sessions = sessionNames(npz, hp);
    int s = chooseSession(src, sessions, session);
    int encodDim = h.reqInt("encod_data_dim");
    int ciEncDim = h.reqInt("ci_enc_dim");
    int conDim = h.reqInt("con_dim");
    int coDim = h.reqInt("co_dim");
    int facDim = h.reqInt("fac_dim");
    if (coDim == 0 && (ciEncDim > 0 || conDim > 0)) {
      // lfads-torch builds neither CI encoder nor controller unless all three are > 0.
      ciEncDim = 0;
      conDim = 0;
    }
    ArrayReader reader = new ArrayReader(npz);
    // The session's read-in (lfads-torch FanInLinear / MultisessionReadin / Linear; absent = nn.Identity)
    // maps its raw channels to encod_data_dim. It feeds only the two encoders' input projections, so it is
    // folded into them below and the model runs on the raw channels (docs/model-format.md "Read-in").
    String readinKey = "readin." + s;
    LinearWeights readin = null;
    int nIn = encodDim;
    if (npz.hasArray(readinKey + ".weight")) {
      NdArray w = npz.array(readinKey + ".weight");
      if (w.ndim() != 2 || w.dim(0) != encodDim || w.dim(1) < 1) {
        throw new ModelFormatException(src + ": array '" + readinKey + ".weight' has shape " + w.shapeString()
            + ", expected (encod_data_dim = " + encodDim + ", N_in of session " + sessions.get(s) + ")");
      }
      nIn = w.dim(1);
      readin = reader.linear(readinKey, nIn, encodDim, npz.hasArray(readinKey + ".bias"));
    } else if (npz.hasArray(readinKey + ".bias")) {
      throw missing(src, readinKey + ".weight", "(" + encodDim + ", N_in)");
    }
    String readoutKey = "readout." + s;
    NdArray readoutW = npz.array(readoutKey + ".weight");
    if (readoutW.ndim() != 2 || readoutW.dim(1) != facDim || readoutW.dim(0) < 1) {
      throw new ModelFormatException(src + ": array '" + readoutKey + ".weight' has shape " + readoutW.shapeString()
          + ", expected (N_out, " + facDim + ") with N_out >= 1 (fac_dim = " + facDim + ")");
    }
    int readoutDim = readoutW.dim(0);
    Reconstruction recon = reconstruction(npz, hp, s, readoutDim);
    LfadsConfig cfg;
    try {
      cfg = new LfadsConfig(nIn, h.reqInt("encod_seq_len"), h.reqInt("recon_seq_len"), readoutDim,
          h.reqInt("ic_enc_dim"), ciEncDim, h.optInt("ci_lag", 1), conDim, coDim, h.reqInt("ic_dim"),
          h.reqInt("gen_dim"), facDim, h.reqDouble("cell_clip"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(src + ": bad hyperparameters: " + e.getMessage());
    }
    int hic = cfg.icEncDim();
    int ic = cfg.icDim();
    int g = cfg.genDim();
    double[][] icEncH0 = reader.h0("encoder.ic_enc_h0", hic);
    GruWeights icFwd = fold(reader.gru("encoder.ic_enc.fwd_gru.cell", encodDim, hic), readin);
    GruWeights icBwd = fold(reader.gru("encoder.ic_enc.bwd_gru.cell", encodDim, hic), readin);
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
      ciFwd = fold(reader.gru("encoder.ci_enc.fwd_gru.cell", encodDim, hci), readin);
      ciBwd = fold(reader.gru("encoder.ci_enc.bwd_gru.cell", encodDim, hci), readin);
      conH0 = reader.matrix("decoder.con_h0", 1, cfg.conDim())[0];
      conCell = reader.gru("decoder.rnn.cell.con_cell", cfg.conInputDim(), cfg.conDim());
      coLinear = reader.linear("decoder.rnn.cell.co_linear", cfg.conDim(), 2 * cfg.coDim(), true);
    }
    LinearWeights icToG0 = reader.linear("decoder.ic_to_g0", ic, g, true);
    GruWeights genCell = reader.gru("decoder.rnn.cell.gen_cell", cfg.genInputDim(), g);
    double[][] fac = reader.matrix("decoder.rnn.cell.fac_linear.weight", facDim, g);
    // nn.Linear(bias=False) readouts have no bias array: the same layer with a zero bias.
    LinearWeights readout = reader.linear(readoutKey, facDim, cfg.readoutDim(), npz.hasArray(readoutKey + ".bias"));
    if (readout.bias() == null) readout = new LinearWeights(readout.weight(), new double[cfg.readoutDim()]);
    return new LfadsModel(cfg, icEncH0, icFwd, icBwd, icLinear, ciEncH0, ciFwd, ciBwd, conH0, conCell,
        coLinear, icToG0, genCell, fac, readout, recon);
  }

  /**
   * An encoder GRU with the read-in folded into its input projection, in double:
   * {@code W_ih (W_r x + b_r) + b_ih = (W_ih W_r) x + (W_ih b_r + b_ih)}. Null read-in: the GRU unchanged.
   */
  static GruWeights fold(GruWeights gru, LinearWeights readin) {
    if (readin == null) return gru;
    double[][] wih = gru.weightIh();
    double[][] wr = readin.weight();
    int rows = wih.length, mid = wr.length, n = readin.inSize();
    double[][] w = new double[rows][n];
    double[] b = gru.biasIh().clone();
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < mid; k++) {
        double a = wih[i][k];
        if (a == 0) continue;
        double[] wrk = wr[k];
        for (int j = 0; j < n; j++) w[i][j] += a * wrk[j];
        if (readin.bias() != null) b[i] += a * readin.bias()[k];
      }
    }
    return new GruWeights(w, gru.weightHh(), b, gru.biasHh());
  }

  /**
   * The reconstruction from {@code hparams.json}'s {@code reconstruction} (a class name, or an object with
   * {@code type} and, for ZeroInflatedGamma, {@code gamma_loc}, or a list of these, one per session); absent means Poisson (lfads-rt's own files
   * from before the key; the exporter always writes it).
   */
  private static Reconstruction reconstruction(NpzReader npz, JsonNode hp, int session, int readoutDim)
      throws IOException {
    String src = npz.sourceName();
    JsonNode r = hp.get(RECONSTRUCTION);
    if (r != null && r.isArray()) {
      // one entry per session (lfads-torch configs list a reconstruction per session)
      if (r.size() <= session) {
        throw new ModelFormatException(src + ": hyperparameter '" + RECONSTRUCTION + "' lists " + r.size()
            + " reconstructions, none for session " + session);
      }
      r = r.get(session);
    }
    String type;
    JsonNode gammaLoc = null;
    if (r == null || r.isNull()) {
      type = "Poisson";
    } else if (r.isTextual()) {
      type = r.asText();
    } else if (r.isObject() && r.hasNonNull("type") && r.get("type").isTextual()) {
      type = r.get("type").asText();
      gammaLoc = r.get("gamma_loc");
    } else {
      throw new ModelFormatException(src + ": hyperparameter '" + RECONSTRUCTION
          + "' must be a distribution name or an object with 'type', got " + r);
    }
    Reconstruction.Kind kind;
    try {
      kind = Reconstruction.Kind.forName(type);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(src + ": " + e.getMessage());
    }
    if (readoutDim % kind.paramCount() != 0) {
      throw new ModelFormatException(src + ": readout." + session + " has " + readoutDim + " outputs, not a multiple of "
          + kind.paramCount() + " (" + kind.className() + " has parameters " + String.join(", ", kind.paramNames()) + ")");
    }
    int neurons = readoutDim / kind.paramCount();
    if (kind != Reconstruction.Kind.ZERO_INFLATED_GAMMA) return Reconstruction.of(kind, neurons);
    if (gammaLoc == null || !gammaLoc.isNumber()) {
      throw new ModelFormatException(src + ": ZeroInflatedGamma needs a numeric 'gamma_loc' in '" + RECONSTRUCTION
          + "' (lfads-torch's config value; it is not in the checkpoint's state_dict)");
    }
    double[][] scale = new ArrayReader(npz).matrix("recon." + session + ".scale", 2, neurons);
    return Reconstruction.zeroInflatedGamma(scale, gammaLoc.asDouble());
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
    Reconstruction r = m.reconstruction();
    ObjectNode rn = hp.putObject(RECONSTRUCTION);
    rn.put("type", r.kind().className());
    if (r.kind() == Reconstruction.Kind.ZERO_INFLATED_GAMMA) rn.put("gamma_loc", r.gammaLoc());
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
    if (r.zigScale() != null) w.put("recon.0.scale", matrix(r.zigScale(), r.neurons()));
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
