package org.lfadsrt.host.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.sim.model.BundledModels;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import org.lfadsrt.sim.synth.LorenzConfig;
import picocli.CommandLine.Option;

/** Options shared by commands that run a model: which model, which backend, which bin width. */
public final class ModelOptions {
  @Option(names = "--model", paramLabel = "FILE", description = "Model file (.npz, docs/model-format.md). Default: the bundled demo model (30 channels, 10 ms bins).")
  Path model;

  @Option(names = "--session", paramLabel = "NAME|INDEX",
      description = "Session of a multi-session model (its read-in and readout); required when the model has several.")
  String session;

  @Option(names = "--backend", paramLabel = "NAME", description = "Inference backend (default: ${DEFAULT-VALUE}).")
  String backend = defaultBackend();

  @Option(names = "--bin-ms", paramLabel = "MS", description = "Bin width in milliseconds (default: ${DEFAULT-VALUE}).")
  double binMillis = 10.0;

  @Option(names = "--seed", description = "Trial seed of the synthetic source: which trials (initial states, spikes) it draws; "
      + "source_id shows it as seed=. The bundled model's neurons are fixed (system=7; its training trials are seed 7, "
      + "its held-out ones 1007) (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  private String modelName;
  private boolean bundled;

  /** The software model of the kernel ({@code fixed}, bit-accurate fixed point) when registered, else {@code float}. */
  static String defaultBackend() {
    for (String name : new String[] {"software", "fixed"}) if (Backends.names().contains(name)) return name;
    return "float";
  }

  public long binWidthNanos() {
    if (!(binMillis > 0) || binMillis > 10_000) throw new IllegalArgumentException("--bin-ms must be in (0, 10000], got " + binMillis);
    return Math.round(binMillis * 1e6);
  }

  /** Loads the model: the given file, else the bundled demo model. */
  public LfadsModel loadModel() throws IOException {
    if (model != null) {
      modelName = model.getFileName().toString() + (session == null ? "" : " session " + session);
      return ModelFile.load(model, session);
    }
    if (session != null) throw new IllegalArgumentException("--session needs --model (the bundled model has one session)");
    modelName = "bundled-demo";
    bundled = true;
    return BundledModels.demo();
  }

  /** True when the model is the bundled demo (then the synthetic source simulates its neurons). */
  public boolean bundled() {
    return bundled;
  }

  /**
   * The synthetic neurons to simulate: the bundled model's own (BundledModels.DEMO_SYSTEM, fresh trial
   * seed) when it runs, so its factors mean something; fresh neurons of the model's size otherwise.
   */
  public LorenzConfig syntheticConfig(int nIn, int trialBins) {
    if (bundled) {
      LorenzConfig d = BundledModels.DEMO_SYSTEM.withTrialSeed(seed);
      return new LorenzConfig(d.neurons(), d.binMs(), trialBins > 0 ? trialBins : d.bins(), d.trials(), d.minRateHz(),
          d.maxRateHz(), d.lorenzTimePerBin(), d.seed(), d.trialSeed());
    }
    return new LorenzConfig(nIn, binWidthNanos() / 1e6, trialBins > 0 ? trialBins : LorenzConfig.DEFAULT_BINS, 1,
        LorenzConfig.DEFAULT_MIN_RATE_HZ, LorenzConfig.DEFAULT_MAX_RATE_HZ, LorenzConfig.DEFAULT_LORENZ_TIME_PER_BIN,
        seed, seed);
  }

  public String modelName() {
    return modelName;
  }

  public InferenceBackend openBackend(LfadsModel m) throws BackendException {
    printFidelity(m, org.lfadsrt.host.backend.BackendConfig.defaults());
    return Backends.create(backend, m);
  }

  /**
   * Fixed-point backends: prints the quantizer's fidelity estimate for the image they run, and a warning naming the
   * remedies on stderr when the 16-bit goals are missed.
   */
  void printFidelity(LfadsModel m, org.lfadsrt.host.backend.BackendConfig config) throws BackendException {
    org.lfadsrt.sim.fixed.FidelityReport f = Backends.fidelityOf(backend, m, config);
    if (f == null) return;
    for (String line : org.lfadsrt.sim.fixed.ImageSidecar.fidelityLines(f).split("\n")) {
      if (line.startsWith("WARNING")) System.err.println("lfads-rt: " + line);
      else System.out.println("lfads-rt: " + line + " (synthetic calibration spikes; quantize on real data with `quantize`)");
    }
    System.out.flush();
  }

  /** The backend name chosen with {@code --backend}. */
  public String backendName() {
    return backend;
  }

  /**
   * For the live system: a device backend (emu, xrt) wrapped in a {@link org.lfadsrt.host.backend.FailoverBackend}
   * that re-runs a failed bin on the software model of the same kernel image (LiveSystem reports the switch to
   * clients; it is also printed on stderr).
   */
  public InferenceBackend openLiveBackend(LfadsModel m) throws BackendException {
    printFidelity(m, liveConfig());
    return Backends.open(backend, m, liveConfig());
  }

  static org.lfadsrt.host.backend.BackendConfig liveConfig() {
    return org.lfadsrt.host.backend.BackendConfig.defaults().withFailover(true, f -> System.err.println("lfads-rt: " + f));
  }

}
