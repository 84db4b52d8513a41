package org.lfadsrt.host.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import picocli.CommandLine.Option;

/** Options shared by commands that run a model: which model, which backend, which bin width. */
public final class ModelOptions {
  @Option(names = "--model", paramLabel = "FILE", description = "Model file (.npz, docs/model-format.md). Default: the bundled demo model.")
  Path model;

  @Option(names = "--backend", paramLabel = "NAME", description = "Inference backend (default: ${DEFAULT-VALUE}).")
  String backend = Backends.defaultName();

  @Option(names = "--bin-ms", paramLabel = "MS", description = "Bin width in milliseconds (default: ${DEFAULT-VALUE}).")
  double binMillis = 10.0;

  @Option(names = "--seed", description = "Seed of the synthetic source and of the stand-in model (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  private String modelName;

  public long binWidthNanos() {
    if (!(binMillis > 0) || binMillis > 10_000) throw new IllegalArgumentException("--bin-ms must be in (0, 10000], got " + binMillis);
    return Math.round(binMillis * 1e6);
  }

  /** Loads the model: the given file, else the bundled demo model, else a seeded stand-in. */
  public LfadsModel loadModel() throws IOException {
    if (model != null) {
      modelName = model.getFileName().toString();
      return ModelFile.load(model);
    }
    LfadsModel bundled = bundledDemo();
    if (bundled != null) {
      modelName = "bundled-demo";
      return bundled;
    }
    modelName = "random-demo(seed=" + seed + ")";
    return DemoModels.small(seed);
  }

  public String modelName() {
    return modelName;
  }

  public InferenceBackend openBackend(LfadsModel m) throws BackendException {
    return Backends.open(backend, m);
  }

  /**
   * The bundled trained demo model (org.lfadsrt.sim.model.BundledModels, from the synth work), looked up
   * reflectively so the host runs before it lands; null when absent.
   */
  static LfadsModel bundledDemo() {
    try {
      Class<?> c = Class.forName("org.lfadsrt.sim.model.BundledModels");
      return (LfadsModel) c.getMethod("demo").invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}
