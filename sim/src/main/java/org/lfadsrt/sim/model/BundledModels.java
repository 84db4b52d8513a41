package org.lfadsrt.sim.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.synth.LorenzConfig;
import org.lfadsrt.sim.synth.RecordingFiles;
import org.lfadsrt.sim.synth.SyntheticRecording;

/**
 * Models shipped inside the sim jar (classpath resources under {@code /org/lfadsrt/sim/models/}).
 *
 * <p>{@link #demo()}: a small LFADS with a controller (30 neurons, 50 bins of 10 ms; IC encoder 32,
 * CI encoder 16, controller 16, co 2, IC 16, generator 64, 8 factors) trained by
 * {@code sim/python/train_demo.py} on synthetic Lorenz trials of {@link #DEMO_SYSTEM}'s neurons.
 * {@link #demoHeldout()}: 80 further trials of the same neurons, never seen in training, with
 * ground-truth rates (expected counts per bin).
 */
public final class BundledModels {

  public static final String DEMO_RESOURCE = "/org/lfadsrt/sim/models/lorenz-demo.npz";
  public static final String DEMO_HELDOUT_RESOURCE = "/org/lfadsrt/sim/models/lorenz-demo-heldout.npz";

  /**
   * The simulated neurons and held-out trials behind the demo model. Must agree with
   * {@code SYNTH_ARGS}, {@code HELDOUT_TRIALS} and {@code HELDOUT_TRIAL_SEED} in
   * {@code sim/python/train_demo.py} (a test regenerates the held-out file from it). Use
   * {@code DEMO_SYSTEM.withTrialSeed(s).withTrials(n)} for fresh trials of the same neurons; training
   * used trial seed 7.
   */
  public static final LorenzConfig DEMO_SYSTEM =
      new LorenzConfig(30, 10.0, 50, 80, 5.0, 100.0, 0.015, 7, 1007);

  /** Trial seed of the training recording (trials the demo model has seen). */
  public static final long DEMO_TRAINING_TRIAL_SEED = 7;

  private BundledModels() {}

  /** The bundled demo model (loaded and validated on each call). */
  public static LfadsModel demo() {
    try (InputStream in = open(DEMO_RESOURCE)) {
      return ModelFile.load(in, "classpath:" + DEMO_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The demo model's held-out recording: spikes, true rates, true latents ({@code config()} is null). */
  public static SyntheticRecording demoHeldout() {
    try (InputStream in = open(DEMO_HELDOUT_RESOURCE)) {
      return RecordingFiles.read(NpzReader.read(in, "classpath:" + DEMO_HELDOUT_RESOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = BundledModels.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("bundled resource " + resource + " is missing from the classpath "
          + "(regenerate with: /usr/bin/python3 sim/python/train_demo.py)");
    }
    return in;
  }
}
