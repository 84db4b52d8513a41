package org.lfadsrt.host.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.metrics.Stage;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.source.NwbReplaySource;
import org.lfadsrt.sim.model.LfadsModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code replay FILE.nwb}: replays a recording through the live system (rig server up, so clients can
 * record the results) with a progress bar; as fast as possible unless {@code --realtime}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay an NWB recording through the live system with a progress bar.")
public final class ReplayCommand implements Callable<Integer> {

  @Mixin ModelOptions modelOptions = new ModelOptions();

  @Parameters(index = "0", paramLabel = "FILE.nwb", description = "NWB file with sorted units.")
  Path file;

  @Option(names = "--realtime", description = "Pace at the bin width instead of as fast as possible.")
  boolean realtime;

  @Option(names = "--mode", description = "online | trial (default: ${DEFAULT-VALUE}).")
  Mode mode = Mode.ONLINE;

  @Mixin NwbUnitOptions nwbUnits = new NwbUnitOptions();

  @Option(names = "--record-nwb", paramLabel = "FILE.nwb",
      description = "Write the inferred factors, rates and decoded behaviour as an NWB 2.x file at the end.")
  Path recordNwb;

  @Option(names = "--decoder", paramLabel = "D.json", description = "Behaviour decoder applied to every result.")
  Path decoder;

  @Option(names = "--port", description = "Rig server port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(names = "--status-ms", description = "Progress update interval (default: ${DEFAULT-VALUE}).")
  long statusMillis = 500;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    LfadsModel model = modelOptions.loadModel();
    InferenceBackend backend = modelOptions.openBackend(model);
    NwbReplaySource src;
    try {
      src = new NwbReplaySource(file, nwbUnits.rows(), nwbUnits.unitsTable, modelOptions.binWidthNanos(), realtime);
    } catch (java.io.IOException | RuntimeException e) {
      backend.close();
      throw e;
    }
    out.println("replay: " + src.describe());
    RidgeDecoder dec = decoder == null ? null : RidgeDecoder.load(decoder);
    long total = src.totalBins();
    NwbOutput nwbOut = recordNwb == null ? null
        : new NwbOutput(recordNwb, src, backend, modelOptions.modelName(), mode, dec, total);
    LiveSystem live = new LiveSystem(src, backend, mode, dec, ServerConfig.loopback(port), modelOptions.modelName(), -1, -1,
        statusMillis, nwbOut == null ? null : nwbOut.tap(null));
    boolean terminal = System.console() != null;
    live.onStatus(s -> {
      String bar = progress(s, total);
      if (terminal) out.print("\r" + bar);
      else out.println(bar);
      out.flush();
    });
    live.start();
    out.printf(Locale.ROOT, "replay: %s, %d units, %d bins of %.1f ms (%s); rig server on 127.0.0.1:%d (protocol v%d)%n",
        file, src.info().channelCount(), total, modelOptions.binMillis, realtime ? "real time" : "as fast as possible",
        live.server().port(), Protocol.VERSION);
    Thread hook = new Thread(live::stop, "lfads-replay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      live.awaitEnd();
      live.stats().sample();
      String bar = progress(live, total);
      out.print(terminal ? "\r" + bar + "\n" : bar + "\n");
      live.close();
      live.printSummary(out);
      if (nwbOut != null && !nwbOut.write(out, "replay")) return 2;
      if (src.recording().hasObsIntervals()) {
        out.printf(Locale.ROOT, "replay: %d of %d bins outside some unit's obs_intervals (results flagged unobserved)%n",
            src.unobservedBins(), total);
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // shutting down
      }
    }
    return live.loop().failure() == null ? 0 : 1;
  }

  static String progress(LiveSystem s, long total) {
    long done = s.stats().binsIn();
    double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
    int width = 30, filled = (int) Math.round(fraction * width);
    Histogram e2e = s.stats().recent(Stage.END_TO_END);
    return String.format(Locale.ROOT, "[%s%s] %5.1f%% %d/%d bins | %.0f bins/s | p99 %s | clients %d",
        "#".repeat(filled), ".".repeat(width - filled), fraction * 100, done, total, s.stats().binsPerSecond(),
        LiveSystem.micros(e2e.getValueAtPercentile(99)), s.server().clientCount());
  }
}
