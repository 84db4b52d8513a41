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

  static int[] parseUnits(String units) {
    if (units == null || units.isBlank()) return null;
    String[] parts = units.split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--units must be comma-separated unit rows, got '" + units + "'");
      }
    }
    return out;
  }
}
