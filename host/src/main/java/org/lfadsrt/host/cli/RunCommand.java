package org.lfadsrt.host.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.live.LiveControl;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.live.PublishSpinOption;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.sim.model.LfadsModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: the live system. Defaults give the embedded demo: bundled model, synthetic Lorenz spikes
 * paced in real time, default backend, rig server on 127.0.0.1:7411 (dashboard at http://127.0.0.1:7411/).
 * Prints a status line every second; SIGINT (Ctrl-C) stops cleanly and prints a summary.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start the live system: source -> online LFADS inference -> rig server, dashboard, status line.")
public final class RunCommand implements Callable<Integer> {

  @Mixin ModelOptions modelOptions = new ModelOptions();

  @Option(names = "--source", paramLabel = "SPEC", description = "synthetic | nwb:FILE | tcp:PORT | replay:FILE | "
      + "zmq:tcp://HOST:5556 (Open Ephys ZMQ Interface) | intan:HOST:5002 (Intan RHX spikes); parameters in docs/lab.md "
      + "(default: ${DEFAULT-VALUE}).")
  String source = "synthetic";

  @Option(names = "--mode", description = "online | trial (default: ${DEFAULT-VALUE}).")
  Mode mode = Mode.ONLINE;

  @Option(names = "--port", description = "Rig server port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(names = "--bind", description = "Address to bind (default: ${DEFAULT-VALUE}; other addresses need --token).")
  String bind = "127.0.0.1";

  @Option(names = "--token", defaultValue = "${env:LFADS_RT_TOKEN}", description = "Control token, required when binding beyond "
      + "loopback. Prefer the environment variable LFADS_RT_TOKEN (the default) or --token-file: a --token on the command line "
      + "is visible to every user in the process list.")
  String token;

  @Mixin ServerOptions serverOptions = new ServerOptions();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--decoder", paramLabel = "D.json", description = "Behaviour decoder from `calibrate`, applied to every result.")
  Path decoder;

  @Mixin NwbUnitOptions nwbUnits = new NwbUnitOptions();

  @Option(names = "--fast", description = "Run the source as fast as possible instead of pacing at the bin width.")
  boolean fast;

  @Option(names = "--trial-bins", description = "Synthetic source in trial mode: bins per trial (default: the model's T_enc).")
  int trialBins;

  @Option(names = "--bins", description = "Stop after this many bins.")
  long bins = -1;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds.")
  double duration = -1;

  @Option(names = "--client-queue-kb", description = "Per-client queue before results are dropped for it (default: ${DEFAULT-VALUE}).")
  int clientQueueKb = 64;

  @Option(names = "--max-clients", description = "Most simultaneous clients (default: ${DEFAULT-VALUE}).")
  int maxClients = 64;

  @Option(names = "--status-ms", description = "Status line / STATUS frame interval (default: ${DEFAULT-VALUE}).")
  long statusMillis = 1000;

  @Option(names = "--late-ms", description = "Online mode: bins accepted later than this after they completed enter the window but are not inferred "
      + "(counted as late drops), so an overloaded host catches up instead of building a backlog (0: never; default: ${DEFAULT-VALUE}).")
  double lateMillis = 500;

  @Mixin PublishSpinOption publishSpin = new PublishSpinOption();

  @Option(names = "--record", paramLabel = "FILE", description = "Record every ingested bin and published result to FILE (docs/recording.md); written as FILE.part until a clean stop.")
  Path record;

  @Option(names = "--record-nwb", paramLabel = "FILE.nwb",
      description = "At the end, write the inferred factors, rates and decoded behaviour as an NWB 2.x file.")
  Path recordNwb;

  @Option(names = "--record-flush-ms", description = "Recording: fsync at least this often; a crash loses at most this much (default: ${DEFAULT-VALUE}).")
  long recordFlushMillis = 200;

  @Option(names = "--udp-out", paramLabel = "HOST:PORT", description = "Also send each result as one little-endian UDP datagram "
      + "(Simulink Real-Time, LabVIEW; layout in docs/lab.md).")
  String udpOut;

  @Option(names = "--osc-out", paramLabel = "HOST:PORT", description = "Also send each result as OSC messages /lfads/bin, "
      + "/lfads/factors, /lfads/rates, /lfads/decoded (Bonsai.Osc; docs/lab.md).")
  String oscOut;

  @Option(names = "--quiet", description = "No status line (the summary is still printed).")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    var parsed = spec.commandLine().getParseResult();
    try {
      token = serverOptions.token(token, parsed.hasMatchedOption("--token"));
      SourceSpec.checkOptions(source, mode, modelOptions, parsed);
      serverOptions.limits();
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("run: " + e.getMessage());
      return 2;
    }
    boolean loopback = bind.equals("127.0.0.1") || bind.equals("::1") || bind.equals("localhost");
    if (!loopback && (token == null || token.isEmpty())) {
      System.err.println("run: binding to " + bind + " exposes the server beyond this machine; give --token, or better the "
          + "environment variable LFADS_RT_TOKEN or --token-file FILE (a --token shows in the process list)");
      return 2;
    }
    if (publishSpin.problem() != null) {
      System.err.println("run: " + publishSpin.problem());
      return 2;
    }
    LfadsModel model = modelOptions.loadModel();
    RidgeDecoder dec = decoder == null ? null : RidgeDecoder.load(decoder);
    InferenceBackend backend = modelOptions.openLiveBackend(model);
    int tb = mode == Mode.TRIAL && source.equals("synthetic") ? (trialBins > 0 ? trialBins : backend.shape().tEnc()) : 0;
    SpikeSource src;
    try {
      src = SourceSpec.open(source, modelOptions, backend.shape().nIn(), !fast, tb, nwbUnits.rows(), nwbUnits.unitsTable,
          bind);
    } catch (RuntimeException | java.io.IOException e) {
      backend.close();
      throw e;
    }
    java.util.concurrent.atomic.AtomicReference<LiveSystem> liveRef = new java.util.concurrent.atomic.AtomicReference<>();
    org.lfadsrt.host.record.Recorder recorder = null;
    if (record != null) {
      var shape0 = backend.publishedShape(); // rates recorded per neuron (the reconstruction's means)
      var header = new org.lfadsrt.host.record.RecordingHeader(shape0.nIn(), shape0.facDim(), shape0.nOut(),
          dec == null ? 0 : dec.outputDim(), shape0.tEnc(), src.info().binWidthNanos(),
          java.time.Instant.now().getEpochSecond() * 1_000_000_000L, src.info().sourceId(), modelOptions.modelName(),
          backend.name());
      try {
        recorder = org.lfadsrt.host.record.Recorder.create(record, header, 4 << 20, recordFlushMillis, msg -> {
          System.err.println("lfads-rt: " + msg);
          LiveSystem l = liveRef.get();
          if (l != null) l.server().broadcastNotice(Protocol.NOTICE_RECORDING_FAILED, msg);
        });
      } catch (java.io.IOException e) {
        src.close();
        backend.close();
        System.err.println("run: cannot record to " + record + ": " + e.getMessage());
        return 2;
      }
      src = new org.lfadsrt.host.record.RecordingSource(src, recorder);
    }
    ServerConfig cfg = new ServerConfig(bind, port, Protocol.DEFAULT_MAX_SERVER_FRAME, clientQueueKb * 1024, maxClients, token, 0,
        serverOptions.limits());
    long maxNanos = duration > 0 ? (long) (duration * 1e9) : -1;
    NwbOutput nwbOut = recordNwb == null ? null
        : new NwbOutput(recordNwb, src, backend, modelOptions.modelName(), mode, dec, bins > 0 ? bins : 1 << 16);
    org.lfadsrt.host.lab.RigOutputs rigOutputs = org.lfadsrt.host.lab.RigOutputs.open(udpOut, oscOut,
        backend.publishedShape().facDim(), backend.publishedShape().nOut(), dec == null ? 0 : dec.outputDim());
    LiveSystem live = new LiveSystem(src, backend, mode, dec, cfg, modelOptions.modelName(), bins, maxNanos, statusMillis,
        rigOutputs.withTap(nwbOut == null ? recorder : nwbOut.tap(recorder)));
    liveRef.set(live);
    live.server().controlHandler(new LiveControl(live, model, modelOptions.backendName(), ModelOptions.liveConfig()));
    live.pipeline().lateAfter((long) (lateMillis * 1e6));
    live.server().publishSpinMicros(publishSpin.micros());
    boolean terminal = System.console() != null;
    if (!quiet) {
      live.onStatus(s -> {
        if (terminal) out.print("\r" + s.statusLine() + "   ");
        else out.println(s.statusLine());
        out.flush();
      });
    }
    live.start();
    var shape = backend.shape();
    out.printf(Locale.ROOT, "lfads-rt: model %s (N_in %d, T_enc %d, factors %d, N_out %d), backend %s, mode %s, source %s%n",
        modelOptions.modelName(), shape.nIn(), shape.tEnc(), shape.facDim(), shape.nOut(), backend.name(),
        mode.name().toLowerCase(Locale.ROOT), src.info().sourceId());
    if (backend.reconstruction().kind() != org.lfadsrt.sim.model.Reconstruction.Kind.POISSON) {
      out.println("lfads-rt: rates are the means of " + backend.reconstruction().describe());
    }
    if (src instanceof org.lfadsrt.host.source.TcpIngestSource tcp) {
      out.printf("lfads-rt: ingest listening on %s:%d%n", bind, tcp.port());
    }
    out.printf("lfads-rt: listening on %s:%d (rig protocol v%d; dashboard http://%s:%d/ ; Ctrl-C stops)%n",
        bind, live.server().port(), Protocol.VERSION, bind, live.server().port());
    out.flush();

    CountDownLatch summarised = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      live.stop();
      try {
        summarised.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        // exiting anyway
      }
    }, "lfads-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      live.awaitEnd();
      if (terminal && !quiet) out.println();
      // The hot path has ended: finish the recording and print the summary before the slower teardown
      // (server, event loops), so a SIGTERM under load still gets both within the shutdown hook's wait.
      boolean recorded = recorder == null || recorder.close(live.stats().binsIn(), live.stats().publishedCount(),
          live.stats().droppedTotal());
      live.printSummary(out);
      rigOutputs.printSummary(out);
      if (nwbOut != null) nwbOut.write(out, "run");
      if (recorder != null) {
        out.printf("  recording: %d records, %d lost, %s%n", recorder.records(), recorder.lostRecords(),
            recorded ? "complete: " + record : "INCOMPLETE (" + recorder.failure().getMessage() + "), partial file "
                + recorder.partialPath());
      }
      out.flush();
      live.close();
      rigOutputs.close();
    } finally {
      summarised.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down: the hook is running
      }
    }
    return live.loop().failure() == null ? 0 : 1;
  }
}
