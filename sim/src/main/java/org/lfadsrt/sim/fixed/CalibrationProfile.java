package org.lfadsrt.sim.fixed;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lfadsrt.sim.model.GruWeights;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;

/**
 * The quantizer's range profile: runs the float inference path (lfads-torch semantics, double precision,
 * docs/kernel-numerics.md §7 order) over calibration trials and records max |v| of every tensor class,
 * including intermediates the float reference does not expose (GRU states, pre-activations, g0, the factor
 * fed back to the controller). The four calibrated formats (ic_mean, co_mean, factors, log-rates) come from
 * here; the rest explain saturations in the fidelity report.
 */
public final class CalibrationProfile {
  private final Map<String, Double> maxAbs = new LinkedHashMap<>();
  private int trials;

  private CalibrationProfile() {}

  /** max |v| of tensor {@code name} over the calibration set (0 when never seen). */
  public double maxAbs(String name) {
    return maxAbs.getOrDefault(name, 0.0);
  }

  /** Every profiled tensor and its max |v|, in first-seen order. */
  public Map<String, Double> all() {
    return Map.copyOf(maxAbs);
  }

  public Map<String, Double> ordered() {
    return new LinkedHashMap<>(maxAbs);
  }

  public int trials() {
    return trials;
  }

  private void see(String name, double[] v, int n) {
    double m = maxAbs.getOrDefault(name, 0.0);
    for (int i = 0; i < n; i++) {
      double a = Math.abs(v[i]);
      if (a > m) m = a;
    }
    maxAbs.put(name, m);
  }

  public static final String IC_MEAN = "ic_mean";
  public static final String CO_MEAN = "co_mean";
  public static final String FACTORS = "factors";
  public static final String LOGRATES = "logrates";
  public static final String G0 = "g0";

  /** Profiles {@code model} on {@code trials} (each T_enc x N_in counts). */
  public static CalibrationProfile run(LfadsModel model, int[][][] trials) {
    if (trials.length == 0) throw new IllegalArgumentException("calibration set is empty");
    CalibrationProfile p = new CalibrationProfile();
    LfadsConfig c = model.config();
    double[][] facW = normalisedRows(model.facWeight());
    for (int[][] spikes : trials) {
      if (spikes.length != c.encodSeqLen()) {
        throw new IllegalArgumentException("calibration trial has " + spikes.length + " bins, model expects "
            + c.encodSeqLen() + " (encod_seq_len)");
      }
      double[][] x = new double[spikes.length][];
      for (int t = 0; t < spikes.length; t++) {
        if (spikes[t].length != c.encodDataDim()) {
          throw new IllegalArgumentException("calibration trial has " + spikes[t].length + " channels, model expects "
              + c.encodDataDim() + " (encod_data_dim)");
        }
        x[t] = new double[spikes[t].length];
        for (int i = 0; i < x[t].length; i++) x[t][i] = Math.min(spikes[t][i], LayerPlan.SPIKE_MAX);
      }
      p.profileTrial(model, facW, x);
      p.trials++;
    }
    return p;
  }

  static double[][] normalisedRows(double[][] w) {
    double[][] out = new double[w.length][];
    for (int j = 0; j < w.length; j++) {
      double ss = 0;
      for (double v : w[j]) ss += v * v;
      double norm = Math.max(Math.sqrt(ss), 1e-12);
      out[j] = new double[w[j].length];
      for (int i = 0; i < w[j].length; i++) out[j][i] = w[j][i] / norm;
    }
    return out;
  }

  private void profileTrial(LfadsModel m, double[][] facW, double[][] x) {
    LfadsConfig c = m.config();
    int tEnc = c.encodSeqLen();
    double clip = c.cellClip();
    double[] hf = m.icEncH0()[0].clone();
    for (int t = 0; t < tEnc; t++) hf = gru("IC_FWD", m.icEncFwd(), x[t], hf, clip);
    double[] hb = m.icEncH0()[1].clone();
    for (int t = tEnc - 1; t >= 0; t--) hb = gru("IC_BWD", m.icEncBwd(), x[t], hb, clip);
    double[] hcat = concat(hf, hb);
    double[] icMean = linear(m.icLinear().weight(), m.icLinear().bias(), hcat, c.icDim());
    see(IC_MEAN, icMean, icMean.length);
    double[] g = linear(m.icToG0().weight(), m.icToG0().bias(), icMean, c.genDim());
    see(G0, g, g.length);
    double[][] cf = null, cb = null;
    double[] con = null;
    if (c.useController()) {
      cf = new double[tEnc][];
      cb = new double[tEnc][];
      double[] h = m.ciEncH0()[0].clone();
      for (int t = 0; t < tEnc; t++) cf[t] = h = gru("CI_FWD", m.ciEncFwd(), x[t], h, clip);
      h = m.ciEncH0()[1].clone();
      for (int t = tEnc - 1; t >= 0; t--) cb[t] = h = gru("CI_BWD", m.ciEncBwd(), x[t], h, clip);
      con = m.conH0().clone();
    }
    double[] f = linear(facW, null, g, c.facDim());
    see(FACTORS, f, f.length);
    int hci = c.ciEncDim(), lag = c.ciLag();
    for (int t = 0; t < c.reconSeqLen(); t++) {
      if (c.useController()) {
        double[] in = new double[2 * hci + c.facDim()];
        if (t < tEnc && t >= lag) System.arraycopy(cf[t - lag], 0, in, 0, hci);
        if (t + lag < tEnc) System.arraycopy(cb[t + lag], 0, in, hci, hci);
        System.arraycopy(f, 0, in, 2 * hci, f.length);
        con = gru("CON", m.conCell(), in, con, clip);
        double[] coMean = linear(m.coLinear().weight(), m.coLinear().bias(), con, c.coDim());
        see(CO_MEAN, coMean, coMean.length);
        g = gru("GEN", m.genCell(), coMean, g, clip);
      } else {
        g = gru("GEN", m.genCell(), new double[0], g, clip);
      }
      f = linear(facW, null, g, c.facDim());
      see(FACTORS, f, f.length);
      double[] lr = linear(m.readout().weight(), m.readout().bias(), f, c.readoutDim());
      see(LOGRATES, lr, lr.length);
    }
  }

  private static double[] concat(double[] a, double[] b) {
    double[] r = new double[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static double[] linear(double[][] w, double[] b, double[] x, int rows) {
    double[] y = new double[rows];
    for (int j = 0; j < rows; j++) {
      double s = b == null ? 0 : b[j];
      for (int i = 0; i < x.length; i++) s += w[j][i] * x[i];
      y[j] = s;
    }
    return y;
  }


  private double[] gru(String layer, GruWeights gw, double[] x, double[] h, double clip) {
    int hs = h.length;
    double[] pre = new double[3 * hs];
    double[] z = new double[hs], r = new double[hs], n = new double[hs], out = new double[hs];
    for (int j = 0; j < 2 * hs; j++) {
      double s = gw.biasIh()[j] + gw.biasHh()[j];
      for (int i = 0; i < x.length; i++) s += gw.weightIh()[j][i] * x[i];
      for (int i = 0; i < hs; i++) s += gw.weightHh()[j][i] * h[i];
      pre[j] = s;
      double a = ActivationTable.sigmoid(s);
      if (j < hs) z[j] = a;
      else r[j - hs] = a;
    }
    double[] rh = new double[hs];
    for (int k = 0; k < hs; k++) rh[k] = r[k] * h[k];
    for (int k = 0; k < hs; k++) {
      int j = 2 * hs + k;
      double s = gw.biasIh()[j] + gw.biasHh()[j];
      for (int i = 0; i < x.length; i++) s += gw.weightIh()[j][i] * x[i];
      for (int i = 0; i < hs; i++) s += gw.weightHh()[j][i] * rh[i];
      pre[j] = s;
      n[k] = Math.tanh(s);
    }
    for (int k = 0; k < hs; k++) {
      double v = z[k] * h[k] + (1 - z[k]) * n[k];
      out[k] = Math.max(-clip, Math.min(clip, v));
    }
    see(layer + ".pre", pre, pre.length);
    see(layer + ".state", out, hs);
    see(layer + ".reset_state", rh, hs);
    return out;
  }
}
