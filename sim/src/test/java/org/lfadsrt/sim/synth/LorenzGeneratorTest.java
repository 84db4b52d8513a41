package org.lfadsrt.sim.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.math3.ode.nonstiff.ClassicalRungeKuttaIntegrator;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import org.junit.jupiter.api.Test;

class LorenzGeneratorTest {

  private static LorenzConfig small(long seed, long trialSeed, int trials) {
    return new LorenzConfig(12, 10.0, 40, trials, 5.0, 80.0, 0.015, seed, trialSeed);
  }

  @Test
  void sameConfigGivesIdenticalRecording() {
    SyntheticRecording a = LorenzGenerator.generate(small(3, 4, 6));
    SyntheticRecording b = LorenzGenerator.generate(small(3, 4, 6));
    assertTrue(Arrays.deepEquals(a.spikes(), b.spikes()));
    assertTrue(Arrays.deepEquals(a.rates(), b.rates()));
    assertTrue(Arrays.deepEquals(a.latents(), b.latents()));
    assertEquals(6, a.trials());
    assertEquals(40, a.bins());
    assertEquals(12, a.neurons());
    assertEquals(3, a.latents()[0][0].length);
  }

  @Test
  void trialSeedChangesTrialsButNotNeurons() {
    LorenzSystem s1 = new LorenzSystem(small(3, 4, 2));
    LorenzSystem s2 = new LorenzSystem(small(3, 99, 2));
    LorenzSystem s3 = new LorenzSystem(small(5, 4, 2));
    assertTrue(Arrays.deepEquals(s1.readout(), s2.readout()));
    assertArrayEquals(s1.baseline(), s2.baseline());
    assertFalse(Arrays.deepEquals(s1.readout(), s3.readout()));

    SyntheticRecording a = LorenzGenerator.generate(s1);
    SyntheticRecording b = LorenzGenerator.generate(s2);
    assertFalse(Arrays.deepEquals(a.spikes(), b.spikes()));
    assertFalse(Arrays.deepEquals(a.latents(), b.latents()));
  }

  @Test
  void lorenzVectorFieldByHand() {
    double[] d = new double[3];
    LorenzSystem.derivative(new double[] {1, 2, 3}, 0, d, 0);
    // sigma (y - x) = 10; x (rho - z) - y = 25 - 2 = 23; x y - beta z = 2 - 8 = -6
    assertArrayEquals(new double[] {10, 23, -6}, d, 1e-15);
  }

  @Test
  void oneBinMatchesAHighAccuracyIntegrator() {
    LorenzSystem system = new LorenzSystem(small(1, 1, 1));
    double[] y = {-3.2, 4.1, 21.7};
    double[] rk4 = y.clone();
    system.advanceBin(rk4);
    double[] dp = new double[3];
    new DormandPrince853Integrator(1e-12, 1.0, 1e-13, 1e-13)
        .integrate(new LorenzSystem.Equations(), 0, y, 0.015, dp);
    assertArrayEquals(dp, rk4, 3e-8);
  }

  @Test
  void inPlaceStepIsBitIdenticalToCommonsMath() {
    LorenzSystem system = new LorenzSystem(small(2, 2, 1));
    double[] a = {1.5, -7.0, 30.0};
    double[] b = a.clone();
    double[] scratch = new double[15];
    for (int i = 0; i < 5000; i++) {
      system.advanceBin(a);
      system.advanceBinInPlace(b, scratch);
      assertArrayEquals(a, b, 0.0, "bin " + i);
    }
    // and advanceBin itself is what ClassicalRungeKuttaIntegrator.integrate gives for one bin
    double[] c = {1.5, -7.0, 30.0};
    double[] viaIntegrate = new double[3];
    double h = 0.015 / system.substepsPerBin();
    double[] cur = c.clone();
    for (int s = 0; s < system.substepsPerBin(); s++) {
      new ClassicalRungeKuttaIntegrator(h).integrate(new LorenzSystem.Equations(), 0, cur, h, viaIntegrate);
      cur = viaIntegrate.clone();
    }
    system.advanceBin(c);
    assertArrayEquals(cur, c, 1e-12);
  }

  @Test
  void streamReproducesGeneratorBitForBit() {
    LorenzConfig config = small(11, 12, 5);
    SyntheticRecording rec = LorenzGenerator.generate(config);
    LorenzStream stream = LorenzStream.trials(config);
    int[] counts = new int[config.neurons()];
    for (int trial = 0; trial < config.trials(); trial++) {
      for (int t = 0; t < config.bins(); t++) {
        long bin = stream.nextBin(counts);
        assertEquals((long) trial * config.bins() + t, bin);
        assertEquals(trial, stream.trialIndex());
        assertEquals(t, stream.binInTrial());
        assertArrayEquals(rec.spikes()[trial][t], counts, "trial " + trial + " bin " + t);
        assertArrayEquals(rec.rates()[trial][t], stream.rates(), 0.0);
        assertArrayEquals(rec.latents()[trial][t], stream.latents(), 0.0);
      }
    }
  }

  @Test
  void continuousStreamDoesNotRestart() {
    LorenzStream shortTrials = LorenzStream.continuous(small(11, 12, 1));
    LorenzConfig longTrial = new LorenzConfig(12, 10.0, 100, 1, 5.0, 80.0, 0.015, 11, 12);
    SyntheticRecording rec = LorenzGenerator.generate(longTrial);
    int[] counts = new int[12];
    for (int t = 0; t < 100; t++) {
      shortTrials.nextBin(counts);
      assertArrayEquals(rec.latents()[0][t], shortTrials.latents(), 0.0, "bin " + t);
      assertEquals(0, shortTrials.trialIndex());
    }
  }

  @Test
  void spikeCountsArePoissonWithTheGroundTruthMeans() {
    LorenzConfig config = new LorenzConfig(30, 10.0, 50, 400, 5.0, 100.0, 0.015, 21, 22);
    SyntheticRecording rec = LorenzGenerator.generate(config);
    double sumCounts = 0;
    double sumRates = 0;
    double sumSq = 0;
    double zeros = 0;
    double expectedZeros = 0;
    double[] perNeuronCounts = new double[30];
    double[] perNeuronRates = new double[30];
    double minRate = Double.POSITIVE_INFINITY;
    double maxRate = 0;
    for (int tr = 0; tr < rec.trials(); tr++) {
      for (int t = 0; t < rec.bins(); t++) {
        for (int n = 0; n < 30; n++) {
          int c = rec.spikes()[tr][t][n];
          double r = rec.rates()[tr][t][n];
          assertTrue(c >= 0);
          sumCounts += c;
          sumRates += r;
          sumSq += (c - r) * (c - r);
          if (c == 0) zeros++;
          expectedZeros += Math.exp(-r);
          perNeuronCounts[n] += c;
          perNeuronRates[n] += r;
          minRate = Math.min(minRate, r);
          maxRate = Math.max(maxRate, r);
        }
      }
    }
    // mean count == expected count, within 4 standard errors (Poisson: var = mean)
    assertEquals(sumRates, sumCounts, 4 * Math.sqrt(sumRates));
    // Poisson dispersion: E[(c - r)^2] = r
    assertEquals(1.0, sumSq / sumRates, 0.02);
    // P(c = 0) = exp(-r)
    double samples = 400.0 * 50 * 30;
    assertEquals(expectedZeros / samples, zeros / samples, 0.005);
    for (int n = 0; n < 30; n++) {
      assertEquals(perNeuronRates[n], perNeuronCounts[n], 5 * Math.sqrt(perNeuronRates[n]), "neuron " + n);
    }
    // rates (expected counts per bin) stay in the configured range and use most of it
    assertTrue(minRate >= 5.0 * 0.01 * (1 - 1e-12), "min " + minRate);
    assertTrue(maxRate <= 100.0 * 0.01 * (1 + 1e-12), "max " + maxRate);
    assertTrue(minRate < 10.0 * 0.01, "min " + minRate);
    assertTrue(maxRate > 60.0 * 0.01, "max " + maxRate);
  }

  @Test
  void latentsAreZScoredAndDriveTheRates() {
    LorenzConfig config = new LorenzConfig(8, 20.0, 50, 300, 2.0, 40.0, 0.015, 31, 32);
    LorenzSystem system = new LorenzSystem(config);
    SyntheticRecording rec = LorenzGenerator.generate(system);
    for (int k = 0; k < 3; k++) {
      double s = 0;
      double ss = 0;
      int count = 0;
      for (double[][] trial : rec.latents()) {
        for (double[] bin : trial) {
          s += bin[k];
          ss += bin[k] * bin[k];
          count++;
        }
      }
      double mean = s / count;
      assertEquals(0.0, mean, 0.15, "latent " + k + " mean");
      assertEquals(1.0, Math.sqrt(ss / count - mean * mean), 0.15, "latent " + k + " std");
    }
    // rate = exp(baseline + readout . latent) * bin width, clamped to the range
    double[][] w = system.readout();
    double[] b = system.baseline();
    for (int tr = 0; tr < 3; tr++) {
      for (int t = 0; t < 50; t++) {
        double[] z = rec.latents()[tr][t];
        for (int n = 0; n < 8; n++) {
          double logHz = b[n] + w[n][0] * z[0] + w[n][1] * z[1] + w[n][2] * z[2];
          logHz = Math.max(Math.log(2.0), Math.min(Math.log(40.0), logHz));
          assertEquals(Math.exp(logHz) * 0.02, rec.rates()[tr][t][n], 1e-12);
        }
      }
    }
    // consecutive bins of a trial follow the Lorenz flow: latent moves a small step, not a jump
    double[] mean = system.latentMean();
    double[] std = system.latentStd();
    double[] raw = new double[3];
    for (int k = 0; k < 3; k++) raw[k] = rec.latents()[0][0][k] * std[k] + mean[k];
    system.advanceBin(raw);
    for (int k = 0; k < 3; k++) {
      assertEquals(rec.latents()[0][1][k], (raw[k] - mean[k]) / std[k], 1e-9);
    }
  }

  @Test
  void streamAllocatesNothingPerBin() {
    var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    LorenzStream stream = LorenzStream.continuous(LorenzConfig.defaults(5));
    int[] counts = new int[stream.neurons()];
    long sink = 0;
    for (int i = 0; i < 200_000; i++) sink += stream.nextBin(counts) + counts[0]; // warm up / JIT
    long tid = Thread.currentThread().getId();
    long before = bean.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100_000; i++) sink += stream.nextBin(counts) + counts[0];
    long after = bean.getThreadAllocatedBytes(tid);
    assertTrue(sink > 0);
    // 100k bins; anything per bin would be >= 1.6 MB. Allow a little for the measurement itself.
    assertTrue(after - before < 10_000, "allocated " + (after - before) + " bytes over 100000 bins");
  }

  @Test
  void badConfigurationsAreRejectedByName() {
    var e1 = assertThrows(IllegalArgumentException.class,
        () -> new LorenzConfig(0, 10, 50, 1, 5, 100, 0.015, 1, 1));
    assertTrue(e1.getMessage().contains("neurons"), e1.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class,
        () -> new LorenzConfig(3, 10, 50, 1, 50, 10, 0.015, 1, 1));
    assertTrue(e2.getMessage().contains("max_rate_hz"), e2.getMessage());
    var e3 = assertThrows(IllegalArgumentException.class,
        () -> new LorenzConfig(3, Double.NaN, 50, 1, 5, 100, 0.015, 1, 1));
    assertTrue(e3.getMessage().contains("bin_ms"), e3.getMessage());
    var e4 = assertThrows(IllegalArgumentException.class,
        () -> LorenzStream.trials(new LorenzConfig(3, 1000, 5, 1, 5, 100, 0.015, 1, 1)));
    assertTrue(e4.getMessage().contains("max_rate_hz"), e4.getMessage());
    var e5 = assertThrows(IllegalArgumentException.class,
        () -> LorenzStream.trials(LorenzConfig.defaults(1)).nextBin(new int[3]));
    assertTrue(e5.getMessage().contains("countsOut"), e5.getMessage());
  }
}
