package org.lfadsrt.sim.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The reconstruction distribution of an lfads-torch model ({@code lfads_torch/modules/recons.py}): how the
 * readout's output parameters become the distribution's mean. The readout produces {@code paramCount()}
 * blocks of {@code neurons()} columns each (lfads-torch's {@code reshape_output_params} chunks the last
 * dimension in that order); the mean per neuron is, as lfads-torch's {@code compute_means}:
 *
 * <ul>
 *   <li>Poisson (and PoissonBPS): {@code exp(logrates)}
 *   <li>MSE: the output itself
 *   <li>Gaussian ({@code means, logvars}): {@code means}
 *   <li>Gamma ({@code logalphas, logbetas}): {@code exp(logalphas) / exp(logbetas)}
 *   <li>ZeroInflatedGamma ({@code alpha_ps, beta_ps, q_ps}): with {@code s(x) = max(sigmoid(x), 1e-5)},
 *       {@code alpha = s(alpha_ps) scale[0]}, {@code beta = s(beta_ps) scale[1]}, {@code q = s(q_ps)}:
 *       {@code q (alpha / beta + gamma_loc)}; {@code scale} is the trained {@code recon.S.scale} (2, N).
 * </ul>
 *
 * Immutable; {@link #means} allocates nothing (it runs on the hot path once per bin).
 */
public final class Reconstruction {
  /** The distributions lfads-torch defines, with their class names and parameter names. */
  public enum Kind {
    POISSON("Poisson", "logrates"),
    MSE("MSE", "outputs"),
    GAUSSIAN("Gaussian", "means", "logvars"),
    GAMMA("Gamma", "logalphas", "logbetas"),
    ZERO_INFLATED_GAMMA("ZeroInflatedGamma", "alpha_ps", "beta_ps", "q_ps");

    private final String className;
    private final String[] paramNames;

    Kind(String className, String... paramNames) {
      this.className = className;
      this.paramNames = paramNames;
    }

    /** lfads-torch's class name in {@code lfads_torch.modules.recons}. */
    public String className() {
      return className;
    }

    public int paramCount() {
      return paramNames.length;
    }

    /** Names of the raw output parameters, in the readout's column-block order. */
    public List<String> paramNames() {
      return List.of(paramNames);
    }

    /**
     * The kind for an lfads-torch class name (also accepted: a dotted {@code _target_}, any case).
     * PoissonBPS is Poisson with a different loss (same means).
     *
     * @throws IllegalArgumentException naming the distribution when it is not one of lfads-torch's
     */
    public static Kind forName(String name) {
      String simple = name.substring(name.lastIndexOf('.') + 1).trim();
      if (simple.equalsIgnoreCase("PoissonBPS")) return POISSON;
      for (Kind k : values()) {
        if (k.className.equalsIgnoreCase(simple) || k.name().equalsIgnoreCase(simple)) return k;
      }
      if (simple.equalsIgnoreCase("ZIG")) return ZERO_INFLATED_GAMMA;
      throw new IllegalArgumentException("reconstruction distribution '" + name + "' is not supported (supported: "
          + supportedNames() + ")");
    }

    public static String supportedNames() {
      List<String> names = new ArrayList<>();
      for (Kind k : values()) names.add(k.className);
      names.add("PoissonBPS");
      return String.join(", ", names);
    }
  }

  /** lfads-torch's lower clamp of the ZIG sigmoids ({@code torch.clamp_min(torch.sigmoid(...), 1e-5)}). */
  public static final double ZIG_SIGMOID_MIN = 1e-5;

  private final Kind kind;
  private final int neurons;
  private final double[] zigScaleAlpha;
  private final double[] zigScaleBeta;
  private final double gammaLoc;

  private Reconstruction(Kind kind, int neurons, double[] zigScaleAlpha, double[] zigScaleBeta, double gammaLoc) {
    if (neurons < 1) throw new IllegalArgumentException("neurons must be >= 1, got " + neurons);
    this.kind = kind;
    this.neurons = neurons;
    this.zigScaleAlpha = zigScaleAlpha;
    this.zigScaleBeta = zigScaleBeta;
    this.gammaLoc = gammaLoc;
  }

  /** The default of a model file without a {@code reconstruction} entry written by lfads-rt itself. */
  public static Reconstruction poisson(int neurons) {
    return new Reconstruction(Kind.POISSON, neurons, null, null, 0);
  }

  /** Poisson, MSE, Gaussian or Gamma over {@code neurons} neurons (they have no trained parameters). */
  public static Reconstruction of(Kind kind, int neurons) {
    if (kind == Kind.ZERO_INFLATED_GAMMA) {
      throw new IllegalArgumentException("ZeroInflatedGamma needs its scale and gamma_loc: use zeroInflatedGamma(...)");
    }
    return new Reconstruction(kind, neurons, null, null, 0);
  }

  /**
   * ZeroInflatedGamma with lfads-torch's trained {@code scale} (2 x N: row 0 scales alphas, row 1 betas) and
   * the configured {@code gamma_loc}.
   */
  public static Reconstruction zeroInflatedGamma(double[][] scale, double gammaLoc) {
    if (scale.length != 2 || scale[0].length != scale[1].length) {
      throw new IllegalArgumentException("ZeroInflatedGamma scale must be (2, N)");
    }
    if (!Double.isFinite(gammaLoc)) throw new IllegalArgumentException("gamma_loc must be finite, got " + gammaLoc);
    return new Reconstruction(Kind.ZERO_INFLATED_GAMMA, scale[0].length, scale[0].clone(), scale[1].clone(), gammaLoc);
  }

  public Kind kind() {
    return kind;
  }

  /** Neurons the model reconstructs (the width of {@code rates}). */
  public int neurons() {
    return neurons;
  }

  /** Readout width: paramCount x neurons. */
  public int readoutDim() {
    return kind.paramCount() * neurons;
  }

  public double gammaLoc() {
    return gammaLoc;
  }

  /** The ZIG scale as (2 x N), or null for the other kinds. */
  public double[][] zigScale() {
    return zigScaleAlpha == null ? null : new double[][] {zigScaleAlpha.clone(), zigScaleBeta.clone()};
  }

  /**
   * The distribution means of one step: reads {@code readoutDim()} raw parameters at {@code raw[rawOff..]},
   * writes {@code neurons()} means at {@code out[outOff..]}.
   */
  public void means(double[] raw, int rawOff, double[] out, int outOff) {
    int n = neurons;
    switch (kind) {
      case POISSON -> {
        for (int i = 0; i < n; i++) out[outOff + i] = Math.exp(raw[rawOff + i]);
      }
      case MSE, GAUSSIAN -> System.arraycopy(raw, rawOff, out, outOff, n);
      case GAMMA -> {
        for (int i = 0; i < n; i++) out[outOff + i] = Math.exp(raw[rawOff + i]) / Math.exp(raw[rawOff + n + i]);
      }
      case ZERO_INFLATED_GAMMA -> {
        for (int i = 0; i < n; i++) {
          double alpha = zigSigmoid(raw[rawOff + i]) * zigScaleAlpha[i];
          double beta = zigSigmoid(raw[rawOff + n + i]) * zigScaleBeta[i];
          double q = zigSigmoid(raw[rawOff + 2 * n + i]);
          out[outOff + i] = q * (alpha / beta + gammaLoc);
        }
      }
      default -> throw new AssertionError(kind);
    }
  }

  /** {@link #means} into a float array (the live pipeline's published rates). */
  public void means(double[] raw, int rawOff, float[] out, double[] scratch) {
    means(raw, rawOff, scratch, 0);
    for (int i = 0; i < neurons; i++) out[i] = (float) scratch[i];
  }

  private static double zigSigmoid(double x) {
    return Math.max(1.0 / (1.0 + Math.exp(-x)), ZIG_SIGMOID_MIN);
  }

  /** One line: the distribution, its neurons and, for ZIG, gamma_loc. */
  public String describe() {
    String s = kind.className + " (" + neurons + " neurons, parameters " + String.join(", ", kind.paramNames) + ")";
    return kind == Kind.ZERO_INFLATED_GAMMA ? s + String.format(Locale.ROOT, ", gamma_loc %g", gammaLoc) : s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reconstruction r && r.kind == kind && r.neurons == neurons && r.gammaLoc == gammaLoc
        && Arrays.equals(r.zigScaleAlpha, zigScaleAlpha) && Arrays.equals(r.zigScaleBeta, zigScaleBeta);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + neurons;
  }

  @Override
  public String toString() {
    return describe();
  }
}
