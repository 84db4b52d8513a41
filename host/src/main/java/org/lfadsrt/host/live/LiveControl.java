package org.lfadsrt.host.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.lfadsrt.host.backend.BackendConfig;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.backend.SoftwareBackend;
import org.lfadsrt.host.calibration.DecoderCalibration;
import org.lfadsrt.host.server.ControlHandler;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.source.UnitSelection;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

/**
 * The control operations of a running {@link LiveSystem} (docs/protocol.md, CONTROL). The server calls
 * {@link #handle} only for sessions with control rights (docs/security.md), one operation at a time on its
 * control thread. Every change is announced to all clients as a NOTICE ({@link Protocol#NOTICE_CONTROL}).
 * <ul>
 *   <li><b>stop</b>: bins keep entering (the source is drained, no backlog) but are not inferred; each is
 *       counted as a {@code stopped} drop. <b>start</b> resumes inference at the next bin.</li>
 *   <li><b>load-model PATH [session=NAME|INDEX]</b>: a model file (.npz) on this host (for a multi-session model,
 *       the session whose read-in and readout to use; missing or wrong, the reply lists the sessions), loaded and
 *       validated (its shape must equal the stream's: clients were told it in HANDSHAKE), opened on the current
 *       backend, warmed up, and swapped in between two bins: every accepted bin is inferred by the old or the new
 *       model.</li>
 *   <li><b>switch-backend NAME</b>: the current model on another backend; device backends are wrapped in
 *       failover to software. If it cannot be opened, nothing changes and the reply says why.</li>
 *   <li><b>calibrate PATH [behavior=G] [lambda=X] [lag-ms=X] [units=i,j,..] [out=D.json]</b>: fits the ridge
 *       decoder on an NWB recording exactly like the {@code calibrate} command (a separate backend instance of
 *       the current model replays it), optionally saves it, and, when the stream carries decoded outputs of the
 *       same dimension, installs it between two bins.</li>
 * </ul>
 */
public final class LiveControl implements ControlHandler {
  /** load-model's option naming the session of a multi-session model (lfads-torch's session name or index). */
  static final String SESSION_OPTION = "session=";

  private final LiveSystem live;
  private final BackendConfig config;
  private final long binWidthNanos;
  private LfadsModel model;
  private String backendName;

  /**
   * @param backendName the name the current backend was opened with ({@code --backend})
   * @param config      how backends are opened (failover on for device backends)
   */
  public LiveControl(LiveSystem live, LfadsModel model, String backendName, BackendConfig config) {
    this.live = live;
    this.model = model;
    this.backendName = backendName;
    this.config = config;
    this.binWidthNanos = live.source().info().binWidthNanos();
  }

  @Override
  public String handle(int op, String argument) throws ControlException {
    String arg = argument == null ? "" : argument.trim();
    String done = switch (op) {
      case Protocol.OP_STOP -> stop();
      case Protocol.OP_START -> start();
      case Protocol.OP_LOAD_MODEL -> loadModel(arg);
      case Protocol.OP_SWITCH_BACKEND -> switchBackend(arg);
      case Protocol.OP_CALIBRATE -> calibrate(arg);
      default -> throw new ControlException("unknown control operation " + op + " (known: 1 stop, 2 start, 3 load-model, "
          + "4 switch-backend, 5 calibrate)");
    };
    live.server().broadcastNotice(Protocol.NOTICE_CONTROL, done);
    return done;
  }

  private String stop() throws ControlException {
    if (live.pipeline().stopped()) throw new ControlException("stop: already stopped (start resumes)");
    live.pipeline().stopped(true);
    return "stop: inference stopped; bins are counted as 'stopped' drops until start";
  }

  private String start() throws ControlException {
    if (!live.pipeline().stopped()) throw new ControlException("start: already running");
    live.pipeline().stopped(false);
    return "start: inference resumed at the next bin";
  }

  private String loadModel(String arg) throws ControlException {
    if (arg.isEmpty()) {
      throw new ControlException("load-model: no path given (argument: a .npz model file on the host [session=NAME|INDEX])");
    }
    // "PATH [session=NAME|INDEX]": the option is the last word, so a path with spaces still loads
    String path = arg, session = null;
    int sp = Math.max(arg.lastIndexOf(' '), arg.lastIndexOf('\t'));
    if (sp >= 0 && arg.substring(sp + 1).startsWith(SESSION_OPTION)) {
      session = arg.substring(sp + 1 + SESSION_OPTION.length());
      path = arg.substring(0, sp).trim();
      if (session.isEmpty()) {
        throw new ControlException("load-model: session= names no session (session=NAME or session=INDEX)");
      }
    }
    Path file = Path.of(path);
    if (!Files.isRegularFile(file)) throw new ControlException("load-model: " + path + ": no such file on the host");
    if (!Files.isReadable(file)) throw new ControlException("load-model: " + path + ": not readable");
    LfadsModel next;
    try {
      next = ModelFile.load(file, session);
    } catch (IOException | RuntimeException e) {
      // ModelFile lists the sessions on a missing or unknown one; name the CONTROL form of the choice, not the CLI's
      String why = String.valueOf(e.getMessage()).replace("(--session NAME|INDEX)",
          "(load-model " + path + " " + SESSION_OPTION + "NAME|INDEX)");
      throw new ControlException("load-model: " + (why.startsWith(path) ? why : path + ": " + why));
    }
    String name = file.getFileName() + (session == null ? "" : " session " + session);
    ModelShape want = live.pipeline().shape();
    ModelShape got = FloatBackend.shapeOf(next.config());
    if (!got.equals(want)) {
      throw new ControlException("load-model: " + name + " has shape " + describe(got) + " but the stream has "
          + describe(want) + "; a model of another shape needs a restart (clients were told the shape in HANDSHAKE)");
    }
    InferenceBackend backend = open("load-model " + arg, backendName, next);
    swapIn(backend);
    model = next;
    live.server().updateModel(name);
    return "load-model: " + name + " loaded on " + backend.name() + "; in use from the next bin";
  }

  private String switchBackend(String arg) throws ControlException {
    if (arg.isEmpty()) throw new ControlException("switch-backend: no backend name given (available: " + available() + ")");
    if (!Backends.names().contains(arg)) {
      throw new ControlException("switch-backend: unknown backend '" + arg + "' (available: " + available() + ")");
    }
    String before = live.backend().name();
    InferenceBackend backend = open("switch-backend " + arg, arg, model);
    swapIn(backend);
    backendName = arg;
    return "switch-backend: " + before + " -> " + backend.name() + " from the next bin";
  }

  private String calibrate(String arg) throws ControlException {
    String[] words = arg.isEmpty() ? new String[0] : arg.split("\\s+");
    if (words.length == 0) {
      throw new ControlException("calibrate: no recording given (argument: R.nwb [behavior=G] [lambda=X] [lag-ms=X] "
          + "[units=i,j,..] [out=D.json])");
    }
    Path recording = Path.of(words[0]);
    if (!Files.isRegularFile(recording)) throw new ControlException("calibrate: " + words[0] + ": no such file on the host");
    Map<String, String> opts = new LinkedHashMap<>();
    Set<String> known = Set.of("behavior", "lambda", "lag-ms", "units", "out");
    for (int i = 1; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      String key = eq < 0 ? words[i] : words[i].substring(0, eq);
      if (eq < 0 || !known.contains(key)) {
        throw new ControlException("calibrate: unknown option '" + words[i] + "' (known: behavior=, lambda=, lag-ms=, units=, out=)");
      }
      opts.put(key, words[i].substring(eq + 1));
    }
    String behavior = opts.getOrDefault("behavior", "processing/behavior/hand_vel");
    double lambda = number(opts, "lambda", 1.0, x -> x > 0 && Double.isFinite(x) ? null : "must be a finite number > 0");
    double lagMs = number(opts, "lag-ms", 0.0, x -> x >= 0 && x < 60_000 ? null : "must be in [0, 60000)");
    int[] units;
    try {
      units = UnitSelection.parse(opts.get("units"));
    } catch (RuntimeException e) {
      throw new ControlException("calibrate: units=" + opts.get("units") + ": " + e.getMessage());
    }
    int streamDecoded = live.server().stream().decodedDim();
    Path out = opts.containsKey("out") ? Path.of(opts.get("out")) : null;
    DecoderCalibration.Fit fit;
    // a separate instance of the current model replays the recording: the hot path's backend is not touched
    String name = live.backend().name().equals(FloatBackend.NAME) ? FloatBackend.NAME : SoftwareBackend.NAME;
    try (InferenceBackend replay = Backends.open(name, model, BackendConfig.defaults())) {
      fit = DecoderCalibration.fit(replay, recording, behavior, lambda, lagMs, units, binWidthNanos);
    } catch (BackendException | IOException | RuntimeException e) {
      throw new ControlException("calibrate: " + words[0] + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException("calibrate: interrupted (server shutting down)");
    }
    String r2 = String.format(Locale.ROOT, "%d bins, R^2 fit %.4f, held-out %.4f", fit.bins(), fit.r2Fit(), fit.r2HeldOut());
    String saved = "";
    if (out != null) {
      try {
        fit.decoder().save(out);
        saved = "; saved to " + out;
      } catch (IOException | RuntimeException e) {
        throw new ControlException("calibrate: fitted (" + r2 + ") but cannot write out=" + out + ": " + e.getMessage());
      }
    }
    if (fit.decoder().outputDim() != streamDecoded) {
      if (out == null) {
        throw new ControlException("calibrate: fitted " + fit.decoder().outputNames() + " (" + r2 + ") but this stream carries "
            + streamDecoded + " decoded outputs, so it cannot be installed live; give out=D.json to save it for run --decoder");
      }
      return "calibrate: fitted " + fit.decoder().outputNames() + " (" + r2 + ")" + saved + "; not installed: this stream carries "
          + streamDecoded + " decoded outputs (restart with --decoder " + out + ")";
    }
    try {
      live.pipeline().replaceDecoder(fit.decoder());
    } catch (IllegalArgumentException e) {
      throw new ControlException("calibrate: " + e.getMessage());
    }
    live.server().updateDecodedNames(fit.decoder().outputNames());
    return "calibrate: fitted " + fit.decoder().outputNames() + " (" + r2 + ")" + saved + "; in use from the next bin";
  }

  private static double number(Map<String, String> opts, String key, double dflt, Function<Double, String> check)
      throws ControlException {
    String s = opts.get(key);
    if (s == null) return dflt;
    double x;
    try {
      x = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new ControlException("calibrate: " + key + "=" + s + " is not a number");
    }
    String problem = check.apply(x);
    if (problem != null) throw new ControlException("calibrate: " + key + "=" + s + " " + problem);
    return x;
  }

  /** Opens and warms up a backend; on failure nothing has changed. */
  private InferenceBackend open(String what, String name, LfadsModel m) throws ControlException {
    InferenceBackend b;
    try {
      b = Backends.open(name, m, config);
    } catch (BackendException | RuntimeException e) {
      throw new ControlException(what + ": " + e.getMessage() + "; still running on " + live.backend().name());
    }
    LiveSystem.warmUp(b, 20, 1_000_000_000L);
    return b;
  }

  private void swapIn(InferenceBackend b) throws ControlException {
    try {
      live.replaceBackend(b);
    } catch (IllegalArgumentException e) {
      b.close();
      throw new ControlException(e.getMessage());
    }
  }

  private static String available() {
    return String.join(", ", Backends.names());
  }

  private static String describe(ModelShape s) {
    return "(N_in " + s.nIn() + ", T_enc " + s.tEnc() + ", T_rec " + s.tRec() + ", factors " + s.facDim() + ", N_out " + s.nOut() + ")";
  }
}
