package org.lfadsrt.host.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Linear behaviour decoder y = W f + b from factors f to behaviour y (e.g. hand velocity), fitted by
 * ridge regression: W, b minimise |Y - F W^T - b|^2 + lambda |W|^2 (the intercept is not penalised;
 * features are centred before solving, as in scikit-learn's Ridge, which NLB uses). Applied to every
 * published result without allocation.
 */
public final class RidgeDecoder {
  public static final int FORMAT_VERSION = 1;

  private final double[][] weights; // outputs x inputs
  private final double[] bias;
  private final double lambda;
  private final List<String> outputNames;
  private final int lagBins;

  public RidgeDecoder(double[][] weights, double[] bias, double lambda, List<String> outputNames, int lagBins) {
    if (weights.length == 0 || weights.length != bias.length || weights.length != outputNames.size()) {
      throw new IllegalArgumentException("decoder: " + weights.length + " weight rows, " + bias.length
          + " biases, " + outputNames.size() + " output names; they must agree and be > 0");
    }
    int in = weights[0].length;
    for (double[] row : weights) {
      if (row.length != in) throw new IllegalArgumentException("decoder: weight rows of unequal length");
      for (double w : row) if (!Double.isFinite(w)) throw new IllegalArgumentException("decoder: non-finite weight " + w);
    }
    this.weights = weights;
    this.bias = bias;
    this.lambda = lambda;
    this.outputNames = List.copyOf(outputNames);
    this.lagBins = lagBins;
  }

  /**
   * Fits a ridge decoder.
   *
   * @param features rows of factors (samples x inputs)
   * @param targets  rows of behaviour (samples x outputs)
   */
  public static RidgeDecoder fit(double[][] features, double[][] targets, double lambda, List<String> outputNames, int lagBins) {
    int n = features.length;
    if (n == 0 || n != targets.length) {
      throw new IllegalArgumentException("ridge fit: " + n + " feature rows but " + targets.length + " target rows");
    }
    if (lambda < 0) throw new IllegalArgumentException("ridge fit: lambda must be >= 0, got " + lambda);
    int p = features[0].length, q = targets[0].length;
    double[] meanX = new double[p], meanY = new double[q];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) meanX[j] += features[i][j] / n;
      for (int k = 0; k < q; k++) meanY[k] += targets[i][k] / n;
    }
    double[][] xc = new double[n][p], yc = new double[n][q];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) xc[i][j] = features[i][j] - meanX[j];
      for (int k = 0; k < q; k++) yc[i][k] = targets[i][k] - meanY[k];
    }
    RealMatrix x = new Array2DRowRealMatrix(xc, false);
    RealMatrix y = new Array2DRowRealMatrix(yc, false);
    RealMatrix gram = x.transpose().multiply(x);
    for (int j = 0; j < p; j++) gram.addToEntry(j, j, lambda);
    // A tiny jitter keeps the solve defined when lambda = 0 and features are collinear.
    if (lambda == 0) for (int j = 0; j < p; j++) gram.addToEntry(j, j, 1e-12 * (1 + gram.getEntry(j, j)));
    RealMatrix beta = new CholeskyDecomposition(gram, 1e-12, 1e-15).getSolver().solve(x.transpose().multiply(y)); // p x q
    double[][] w = new double[q][p];
    double[] b = new double[q];
    for (int k = 0; k < q; k++) {
      b[k] = meanY[k];
      for (int j = 0; j < p; j++) {
        w[k][j] = beta.getEntry(j, k);
        b[k] -= w[k][j] * meanX[j];
      }
    }
    return new RidgeDecoder(w, b, lambda, outputNames, lagBins);
  }

  public int inputDim() { return weights[0].length; }
  public int outputDim() { return weights.length; }
  public List<String> outputNames() { return outputNames; }
  public double lambda() { return lambda; }
  public int lagBins() { return lagBins; }
  public double weight(int out, int in) { return weights[out][in]; }
  public double bias(int out) { return bias[out]; }

  /** out = W f + b. Allocation-free. */
  public void apply(float[] factors, float[] out) {
    for (int k = 0; k < weights.length; k++) {
      double[] row = weights[k];
      double acc = bias[k];
      for (int j = 0; j < row.length; j++) acc += row[j] * factors[j];
      out[k] = (float) acc;
    }
  }

  public void apply(double[] factors, double[] out) {
    for (int k = 0; k < weights.length; k++) {
      double[] row = weights[k];
      double acc = bias[k];
      for (int j = 0; j < row.length; j++) acc += row[j] * factors[j];
      out[k] = acc;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes {"format":"lfads-rt-ridge-decoder","version":1,"lambda":..,"lag_bins":..,"outputs":[..],"weights":[[..]],"bias":[..]}. */
  public void save(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "lfads-rt-ridge-decoder");
    root.put("version", FORMAT_VERSION);
    root.put("lambda", lambda);
    root.put("lag_bins", lagBins);
    root.put("input_dim", inputDim());
    ArrayNode names = root.putArray("outputs");
    outputNames.forEach(names::add);
    ArrayNode w = root.putArray("weights");
    for (double[] row : weights) {
      ArrayNode r = w.addArray();
      for (double v : row) r.add(v);
    }
    ArrayNode b = root.putArray("bias");
    for (double v : bias) b.add(v);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
  }

  public static RidgeDecoder load(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not a JSON decoder file: " + e.getMessage(), e);
    }
    if (!"lfads-rt-ridge-decoder".equals(root.path("format").asText())) {
      throw new IOException(file + ": \"format\" must be \"lfads-rt-ridge-decoder\"");
    }
    if (root.path("version").asInt() != FORMAT_VERSION) {
      throw new IOException(file + ": decoder version " + root.path("version") + " unsupported (expected " + FORMAT_VERSION + ")");
    }
    JsonNode w = root.path("weights"), b = root.path("bias"), names = root.path("outputs");
    if (!w.isArray() || !b.isArray() || !names.isArray()) throw new IOException(file + ": needs arrays weights, bias, outputs");
    double[][] weights = new double[w.size()][];
    for (int i = 0; i < w.size(); i++) {
      JsonNode row = w.get(i);
      weights[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) weights[i][j] = row.get(j).asDouble();
    }
    double[] bias = new double[b.size()];
    for (int i = 0; i < b.size(); i++) bias[i] = b.get(i).asDouble();
    List<String> outs = new ArrayList<>();
    names.forEach(n -> outs.add(n.asText()));
    try {
      return new RidgeDecoder(weights, bias, root.path("lambda").asDouble(), outs, root.path("lag_bins").asInt(0));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
