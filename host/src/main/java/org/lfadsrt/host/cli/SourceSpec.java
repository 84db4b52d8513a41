package org.lfadsrt.host.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.lfadsrt.host.source.NwbReplaySource;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.SyntheticSource;
import org.lfadsrt.host.source.TcpIngestSource;
import org.lfadsrt.host.source.UnitSelection;

/** Parses {@code --source synthetic | nwb:FILE | tcp:PORT} and opens it. */
final class SourceSpec {
  private SourceSpec() {}

  static SpikeSource open(String spec, ModelOptions model, int channels, boolean realTime, int trialBins, int[] units,
      String bind) throws IOException {
    long binWidthNanos = model.binWidthNanos();
    if (spec.equals("synthetic")) {
      return new SyntheticSource(model.syntheticConfig(channels, trialBins), realTime, -1, trialBins > 0);
    }
    if (spec.startsWith("nwb:")) {
      return new NwbReplaySource(Path.of(spec.substring(4)), units, binWidthNanos, realTime);
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
    throw new IllegalArgumentException("--source must be synthetic, nwb:FILE, tcp:PORT or replay:FILE, got '" + spec + "'");
  }

  static int[] parseUnits(String units) {
    return UnitSelection.parse(units);
  }

}
