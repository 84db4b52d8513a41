package org.lfadsrt.host.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The models {@code bench --models} names. Latency depends on the model's size, not on trained weights,
 * so the paper- and MC_Maze-size models are seeded random weights in RandomModels' configurations of those sizes.
 */
final class BenchModels {
  private BenchModels() {}

  /**
   * The largest of the small family that fits the emulated kernel of the default drivers/Makefile build
   * (8 x 4 MAC lanes, MAX_HIDDEN 32, MAX_TILES 256): 32 channels, 20 bins, encoder 16, generator 16, 4 factors.
   */
  static LfadsConfig smallEmuConfig() {
    return new LfadsConfig(32, 20, 20, 32, 16, 0, 0, 0, 0, 16, 16, 4, 5.0);
  }

  static final String NAMES = "paper, mc_maze, bundled, small, small_emu, or a model file (.npz)";

  static LfadsModel load(String name, long seed) throws IOException {
    switch (name) {
      case "paper":
        return RandomModels.demo(RandomModels.paperConfig(), seed);
      case "mc_maze":
        return RandomModels.demo(RandomModels.mcMazeConfig(), seed);
      case "small":
        return RandomModels.smallDemo(seed);
      case "small_emu":
        return RandomModels.demo(smallEmuConfig(), seed);
      case "bundled": {
        LfadsModel m = bundled();
        if (m == null) throw new IllegalArgumentException("--models bundled: no bundled model in this build (org.lfadsrt.sim.model.BundledModels)");
        return m;
      }
      default: {
        Path p = Path.of(name);
        if (!Files.isRegularFile(p)) {
          throw new IllegalArgumentException("--models: '" + name + "' is neither a known model (" + NAMES + ") nor a file");
        }
        return ModelFile.load(p);
      }
    }
  }

  /** The bundled trained demo model, looked up reflectively (it lives in sim on main); null when absent. */
  static LfadsModel bundled() {
    try {
      Class<?> c = Class.forName("org.lfadsrt.sim.model.BundledModels");
      return (LfadsModel) c.getMethod("demo").invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  static String describe(LfadsConfig c) {
    return "N_in " + c.encodDataDim() + ", T_enc " + c.encodSeqLen() + ", T_rec " + c.reconSeqLen() + ", N_out "
        + c.readoutDim() + ", enc " + c.icEncDim() + (c.useController() ? ", controller " + c.conDim() + "/" + c.coDim() : "")
        + ", gen " + c.genDim() + ", factors " + c.facDim();
  }
}
