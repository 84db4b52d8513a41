package org.lfadsrt.host.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lfadsrt.sim.synth.LorenzConfig;
import org.lfadsrt.sim.synth.LorenzGenerator;
import org.lfadsrt.sim.synth.RecordingFiles;
import org.lfadsrt.sim.synth.SyntheticRecording;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code lfads-rt synth}: writes a seeded synthetic Lorenz-driven Poisson recording to a .npz file. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
        "Write a synthetic Lorenz-driven Poisson recording (LFADS paper convention) to a .npz with:",
        "  spikes  int32   (trials, T, N)  spike counts",
        "  rates   float64 (trials, T, N)  ground-truth EXPECTED COUNTS PER BIN (Hz x bin width)",
        "  latents float64 (trials, T, 3)  z-scored Lorenz coordinates",
        "Same options and seeds give the same file. --seed fixes the neurons, --trial-seed the trials."
    })
public final class SynthCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE.npz", description = "Output file.")
  Path out;

  @Option(names = "--neurons", defaultValue = "" + LorenzConfig.DEFAULT_NEURONS, description = "Neurons N (default ${DEFAULT-VALUE}).")
  int neurons;

  @Option(names = "--trials", defaultValue = "" + LorenzConfig.DEFAULT_TRIALS, description = "Trials (default ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--bins", defaultValue = "" + LorenzConfig.DEFAULT_BINS, description = "Bins per trial T (default ${DEFAULT-VALUE}).")
  int bins;

  @Option(names = "--bin-ms", defaultValue = "" + LorenzConfig.DEFAULT_BIN_MS, description = "Bin width in ms (default ${DEFAULT-VALUE}).")
  double binMs;

  @Option(names = "--min-rate", defaultValue = "" + LorenzConfig.DEFAULT_MIN_RATE_HZ, paramLabel = "HZ",
      description = "Lowest firing rate of every neuron, Hz (default ${DEFAULT-VALUE}).")
  double minRateHz;

  @Option(names = "--max-rate", defaultValue = "" + LorenzConfig.DEFAULT_MAX_RATE_HZ, paramLabel = "HZ",
      description = "Highest firing rate of every neuron, Hz (default ${DEFAULT-VALUE}).")
  double maxRateHz;

  @Option(names = "--lorenz-dt", defaultValue = "" + LorenzConfig.DEFAULT_LORENZ_TIME_PER_BIN,
      description = "Lorenz time units per bin (default ${DEFAULT-VALUE}; one loop of the attractor is ~0.7).")
  double lorenzTimePerBin;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated neurons (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--trial-seed", description = "Seed of the trials: starts and spikes (default: --seed).")
  Long trialSeed;

  @Override
  public Integer call() throws Exception {
    LorenzConfig config;
    try {
      config = new LorenzConfig(neurons, binMs, bins, trials, minRateHz, maxRateHz, lorenzTimePerBin,
          seed, trialSeed == null ? seed : trialSeed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "synth: " + e.getMessage());
    }
    SyntheticRecording rec = LorenzGenerator.generate(config);
    RecordingFiles.write(out, rec);
    long total = 0;
    for (int[][] trial : rec.spikes()) for (int[] bin : trial) for (int c : bin) total += c;
    double meanHz = total / (config.trials() * (double) config.bins() * config.neurons() * config.binSeconds());
    spec.commandLine().getOut().printf("synth: wrote %s: %d trials x %d bins x %d neurons (%.1f ms bins), "
            + "%d spikes, mean rate %.2f Hz, seed %d, trial seed %d%n",
        out, config.trials(), config.bins(), config.neurons(), config.binMs(), total, meanHz,
        config.seed(), config.trialSeed());
    return 0;
  }
}
