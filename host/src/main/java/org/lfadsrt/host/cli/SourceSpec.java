package org.lfadsrt.host.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.lfadsrt.host.source.NwbReplaySource;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.SyntheticSource;
import org.lfadsrt.host.source.TcpIngestSource;

/** Parses {@code --source synthetic | nwb:FILE | tcp:PORT | replay:FILE | zmq:tcp://HOST:PORT | intan:HOST:PORT} and opens it. */
final class SourceSpec {
  private SourceSpec() {}

  static SpikeSource open(String spec, ModelOptions model, int channels, boolean realTime, int trialBins, int[] units,
      String bind) throws IOException {
    return open(spec, model, channels, realTime, trialBins, units, null, bind);
  }

  /** @param unitsTable for nwb: the Units table's path, or null to find the only one */
  static SpikeSource open(String spec, ModelOptions model, int channels, boolean realTime, int trialBins, int[] units,
      String unitsTable, String bind) throws IOException {
    long binWidthNanos = model.binWidthNanos();
    if (spec.equals("synthetic")) {
      return new SyntheticSource(model.syntheticConfig(channels, trialBins), realTime, -1, trialBins > 0);
    }
    if (spec.startsWith("nwb:")) {
      return new NwbReplaySource(Path.of(spec.substring(4)), units, unitsTable, binWidthNanos, realTime);
    }
    if (spec.startsWith("replay:")) {
      return new org.lfadsrt.host.record.ReplaySource(Path.of(spec.substring(7)), realTime);
    }
    if (spec.startsWith("tcp:")) {
      int port;
      try {
        port = Integer.parseInt(spec.substring(4));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--source tcp:PORT needs a port number, got '" + spec + "'");
      }
      return new TcpIngestSource(bind, port, channels, binWidthNanos);
    }
    if (spec.startsWith("zmq:")) return org.lfadsrt.host.lab.ZmqSpikeSource.open(spec.substring(4), channels, binWidthNanos);
    if (spec.startsWith("intan:")) return org.lfadsrt.host.lab.IntanSpikeSource.open(spec.substring(6), channels, binWidthNanos);
    throw new IllegalArgumentException("--source must be synthetic, nwb:FILE, tcp:PORT, replay:FILE, zmq:tcp://HOST:PORT "
        + "or intan:HOST:PORT, got '" + spec + "'");
  }

  /**
   * Refuses options the chosen source would silently ignore (CLI honesty: an option given is applied or refused):
   * {@code --bin-ms} with the bundled model's synthetic source (it simulates the 10 ms bins the model was trained on)
   * or a replay (the recording has its bin width); {@code --units} except with nwb:; {@code --seed} except with the
   * synthetic source; {@code --trial-bins} except with the synthetic source in trial mode; {@code --fast} with tcp:
   * (the acquisition system paces it).
   */
  static void checkOptions(String spec, org.lfadsrt.host.pipeline.Mode mode, ModelOptions model,
      picocli.CommandLine.ParseResult given) {
    boolean synthetic = spec.equals("synthetic");
    if (given.hasMatchedOption("--bin-ms")) {
      if (synthetic && model.model == null) {
        throw new IllegalArgumentException("--bin-ms: the synthetic source of the bundled demo model simulates the "
            + org.lfadsrt.sim.model.BundledModels.DEMO_SYSTEM.binMs() + " ms bins the model was trained on; --bin-ms "
            + "applies to nwb: and tcp: sources and to the synthetic source of a --model file");
      }
      if (spec.startsWith("replay:")) {
        throw new IllegalArgumentException("--bin-ms: a replay: source runs at the bin width of its recording");
      }
    }
    if (given.hasMatchedOption("--units") && !spec.startsWith("nwb:")) {
      throw new IllegalArgumentException("--units selects rows of an NWB recording; it does not apply to --source " + spec);
    }
    if (given.hasMatchedOption("--seed") && !synthetic) {
      throw new IllegalArgumentException("--seed seeds the synthetic source; it does not apply to --source " + spec);
    }
    if (given.hasMatchedOption("--trial-bins") && !(synthetic && mode == org.lfadsrt.host.pipeline.Mode.TRIAL)) {
      throw new IllegalArgumentException("--trial-bins sets the synthetic source's trial length in --mode trial; it does not "
          + "apply to --source " + spec + " in --mode " + mode.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (given.hasMatchedOption("--fast") && spec.startsWith("tcp:")) {
      throw new IllegalArgumentException("--fast: a tcp: source runs at the pace the acquisition system sends");
    }
  }
}
