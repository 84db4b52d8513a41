package org.lfadsrt.host.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.sim.model.BundledModels;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.synth.LorenzGenerator;
import org.lfadsrt.sim.synth.RateScores;
import org.lfadsrt.sim.synth.SyntheticRecording;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the bundled LFADS model over a synthetic Lorenz recording, per-trial results against
 * ground truth and per-trial inference latency. What {@code make run} shows until the live host
 * exists (which will own {@code run}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Run the bundled demo model over synthetic Lorenz trials of the neurons it was trained on;",
        "print per-trial mean rates and R^2 against the true rates, then inference latency per trial.",
        "Default recording: the bundled held-out trials; --trials N makes N fresh ones."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--backend", defaultValue = "float", paramLabel = "NAME",
      description = "inference backend (default: ${DEFAULT-VALUE}; available: ${COMPLETION-CANDIDATES})",
      completionCandidates = InferCommand.BackendNames.class)
  String backend;

  @Option(names = "--trials", defaultValue = "0", paramLabel = "N",
      description = "fresh synthetic trials of the demo neurons (default 0: the bundled 80 held-out trials)")
  int trials;

  @Option(names = "--trial-seed", defaultValue = "2026", description = "seed of fresh trials (default ${DEFAULT-VALUE})")
  long trialSeed;

  @Option(names = "--repeats", defaultValue = "20", paramLabel = "N",
      description = "timed passes over all trials for the latency figures, after one warm-up pass (default ${DEFAULT-VALUE})")
  int repeats;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (trials < 0 || repeats < 1) {
      err.println("demo: --trials must be >= 0 and --repeats >= 1");
      return InferCommand.EXIT_BAD_INPUT;
    }
    LfadsModel model = BundledModels.demo();
    LfadsConfig c = model.config();
    SyntheticRecording rec;
    String what;
    if (trials == 0) {
      rec = BundledModels.demoHeldout();
      what = "bundled held-out recording, " + rec.trials() + " trials the model never saw";
    } else {
      rec = LorenzGenerator.generate(BundledModels.DEMO_SYSTEM.withTrialSeed(trialSeed).withTrials(trials));
      what = rec.trials() + " fresh trials (trial seed " + trialSeed + ")";
    }
    double binSeconds = BundledModels.DEMO_SYSTEM.binSeconds();
    out.printf("lfads-rt demo: bundled model lorenz-demo (%d neurons, %d bins x %.0f ms, controller co_dim %d, "
            + "generator %d, %d factors), backend %s%n",
        c.encodDataDim(), c.encodSeqLen(), binSeconds * 1000, c.coDim(), c.genDim(), c.facDim(), backend);
    out.printf("recording: %s; rates below in Hz, R^2 of inferred vs true rates over bins x neurons%n", what);

    try (InferenceBackend be = Backends.create(backend, model)) {
      ModelShape shape = be.shape();
      InferenceBatch batch = new InferenceBatch(shape, 1);
      batch.trials(1);
      int n = shape.nOut();
      int tRec = shape.tRec();
      double[][][] inferred = new double[rec.trials()][tRec][n];
      int saturated = 0;
      out.println("trial  inferred_hz  true_hz     R2");
      for (int tr = 0; tr < rec.trials(); tr++) {
        saturated += load(batch, rec.spikes()[tr], shape);
        be.infer(batch);
        double sumInf = 0;
        double sumTrue = 0;
        for (int t = 0; t < tRec; t++) {
          for (int k = 0; k < n; k++) {
            inferred[tr][t][k] = Math.exp(batch.lograte(0, t, k));
            sumInf += inferred[tr][t][k];
            sumTrue += rec.rates()[tr][t][k];
          }
        }
        double norm = tRec * (double) n * binSeconds;
        out.printf("%5d  %11.2f  %7.2f  %6.3f%n", tr, sumInf / norm, sumTrue / norm,
            RateScores.r2Pooled(inferred[tr], rec.rates()[tr]));
      }
      out.printf("R^2 over all trials: per-neuron mean %.4f (the figure train_demo.py reports)%n",
          RateScores.r2PerNeuronMean(inferred, rec.rates()));
      if (saturated > 0) out.printf("note: %d counts above 255 were saturated to 255%n", saturated);

      // Latency: one trial per backend call, as a closed-loop system would issue them.
      Histogram hist = new Histogram(3_600_000_000_000L, 3);
      for (int pass = 0; pass <= repeats; pass++) {
        for (int tr = 0; tr < rec.trials(); tr++) {
          load(batch, rec.spikes()[tr], shape);
          long t0 = System.nanoTime();
          be.infer(batch);
          long dt = System.nanoTime() - t0;
          if (pass > 0) hist.recordValue(dt);
        }
      }
      out.printf("latency per trial (%s backend, %d timed trials after a warm-up pass): median %.1f us, "
              + "p99 %.1f us, max %.1f us%n",
          backend, hist.getTotalCount(), hist.getValueAtPercentile(50) / 1e3,
          hist.getValueAtPercentile(99) / 1e3, hist.getMaxValue() / 1e3);
    } catch (BackendException e) {
      err.println("demo: backend " + backend + ": " + e.getMessage());
      return InferCommand.EXIT_BACKEND;
    }
    out.flush();
    return 0;
  }

  /** Copies one trial into the batch (trial 0), saturating at 255; returns how many counts saturated. */
  private static int load(InferenceBatch batch, int[][] trial, ModelShape shape) {
    int saturated = 0;
    for (int t = 0; t < shape.tEnc(); t++) {
      for (int k = 0; k < shape.nIn(); k++) {
        int v = trial[t][k];
        if (v > 255) {
          v = 255;
          saturated++;
        }
        batch.spike(0, t, k, v);
      }
    }
    return saturated;
  }
}
