package org.lfadsrt.sim.fixed;

import static org.lfadsrt.sim.contract.KernelContract.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.special.Gamma;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.LfadsOutput;
import org.lfadsrt.sim.model.LfadsModel;

/**
 * How closely a kernel image reproduces the float model on a set of trials: |Δ log-rate| and |Δ factor|
 * (max and mean), R² of fixed vs float rates, the Poisson log-likelihood of the observed spikes under both
 * models and its relative difference, and every saturation / clip counter of the fixed model.
 *
 * @param bits              data width W
 * @param trials            trials compared
 * @param maxAbsDeltaLograte max |lr_fixed - lr_float| over trials, steps and channels
 * @param meanAbsDeltaLograte mean of the same
 * @param maxAbsDeltaFactor max |f_fixed - f_float|
 * @param meanAbsDeltaFactor mean of the same
 * @param rateR2            1 - Σ(r_fixed - r_float)² / Σ(r_float - mean r_float)², rates = exp(log-rate)
 * @param poissonLlFloat    Σ over trials, encoder bins t < T_enc and channels n < min(N_in, N_out) of
 *                          k·lr - exp(lr) - lgamma(k+1) under the float model
 * @param poissonLlFixed    the same under the fixed model
 * @param poissonLlRelDiff  |LL_fixed - LL_float| / |LL_float|
 * @param saturations       nonzero counters of the fixed model ("LAYER.site" -> count, summed over trials)
 * @param formats           the image's fractions (header fields by name)
 */
public record FidelityReport(
    int bits,
    int trials,
    double maxAbsDeltaLograte,
    double meanAbsDeltaLograte,
    double maxAbsDeltaFactor,
    double meanAbsDeltaFactor,
    double rateR2,
    double poissonLlFloat,
    double poissonLlFixed,
    double poissonLlRelDiff,
    Map<String, Long> saturations,
    Map<String, Integer> formats) {

  /** The 16-bit goals of issue 3. */
  public static final double GOAL_MEAN_ABS_DELTA_LOGRATE = 5e-4;
  public static final double GOAL_POISSON_LL_REL_DIFF = 0.005;

  public boolean meetsGoals() {
    return meanAbsDeltaLograte <= GOAL_MEAN_ABS_DELTA_LOGRATE && poissonLlRelDiff <= GOAL_POISSON_LL_REL_DIFF;
  }

  /** Compares {@code image} with the float {@code model} on {@code trials} (T_enc x N_in spike counts each). */
  public static FidelityReport compare(LfadsModel model, KernelImage image, int[][][] trials) {
    FloatLfads ref = new FloatLfads(model);
    FixedLfads fixed = new FixedLfads(image);
    FixedOutput out = FixedOutput.forImage(image);
    int tEnc = image.tEnc(), tRec = image.tRec(), nOut = image.nOut(), fac = image.facDim();
    int llChannels = Math.min(image.nIn(), nOut);
    double maxLr = 0, sumLr = 0, maxF = 0, sumF = 0;
    double llFloat = 0, llFixed = 0;
    // Rates R²: two passes would need storage; accumulate the sums that give it in one pass.
    double sse = 0, sumR = 0, sumR2 = 0;
    long nLr = 0, nF = 0;
    for (int[][] spikes : trials) {
      LfadsOutput f = ref.infer(spikes);
      fixed.run(spikes, out, null);
      for (int t = 0; t < tRec; t++) {
        for (int k = 0; k < fac; k++) {
          double d = Math.abs(out.factor(t, k) - f.factors()[t][k]);
          maxF = Math.max(maxF, d);
          sumF += d;
          nF++;
        }
        for (int n = 0; n < nOut; n++) {
          double lq = out.lograte(t, n), lf = f.logrates()[t][n];
          double d = Math.abs(lq - lf);
          maxLr = Math.max(maxLr, d);
          sumLr += d;
          nLr++;
          double rq = Math.exp(lq), rf = Math.exp(lf);
          sse += (rq - rf) * (rq - rf);
          sumR += rf;
          sumR2 += rf * rf;
          if (t < tEnc && n < llChannels) {
            int k = Math.min(spikes[t][n], SPIKE_COUNT_MAX);
            double lg = Gamma.logGamma(k + 1.0);
            llFloat += k * lf - rf - lg;
            llFixed += k * lq - rq - lg;
          }
        }
      }
    }
    double sst = sumR2 - sumR * sumR / Math.max(nLr, 1);
    double r2 = sst > 0 ? 1 - sse / sst : (sse == 0 ? 1 : Double.NEGATIVE_INFINITY);
    double rel = llFloat == 0 ? Math.abs(llFixed) : Math.abs(llFixed - llFloat) / Math.abs(llFloat);
    return new FidelityReport(image.dataWidth(), trials.length, maxLr, nLr == 0 ? 0 : sumLr / nLr, maxF,
        nF == 0 ? 0 : sumF / nF, r2, llFloat, llFixed, rel, fixed.counters(), formats(image));
  }

  static Map<String, Integer> formats(KernelImage image) {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("DATA_WIDTH", image.dataWidth());
    m.put("FRAC_STATE", image.fracState());
    m.put("FRAC_GATE", image.fracGate());
    m.put("FRAC_PRE", image.fracPre());
    m.put("FRAC_IC", image.fracIc());
    m.put("FRAC_CO", image.fracCo());
    m.put("FRAC_FAC", image.fracFac());
    m.put("FRAC_LOGRATE", image.fracLograte());
    m.put("CLIP_Q", image.clipQ());
    for (int l = 0; l < LAYER_COUNT; l++) m.put("ACC_FRAC." + LAYER_NAMES.get(l), image.accFrac(l));
    return m;
  }

  /** A few lines for a terminal. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("fidelity at W=%d over %d trials (fixed vs float):%n", bits, trials));
    sb.append(String.format("  |d lograte|  max %.3e  mean %.3e   (goal mean <= %.0e)%n", maxAbsDeltaLograte,
        meanAbsDeltaLograte, GOAL_MEAN_ABS_DELTA_LOGRATE));
    sb.append(String.format("  |d factor|   max %.3e  mean %.3e%n", maxAbsDeltaFactor, meanAbsDeltaFactor));
    sb.append(String.format("  rates R^2    %.8f%n", rateR2));
    sb.append(String.format("  Poisson LL   float %.6e  fixed %.6e  rel diff %.3e   (goal <= %.1e)%n", poissonLlFloat,
        poissonLlFixed, poissonLlRelDiff, GOAL_POISSON_LL_REL_DIFF));
    sb.append("  saturations  ").append(saturations.isEmpty() ? "none" : saturations.toString()).append('\n');
    sb.append("  goals        ").append(meetsGoals() ? "met" : "NOT met").append('\n');
    return sb.toString();
  }

  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public void writeJson(Path path) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(path.toFile(), this);
  }
}
