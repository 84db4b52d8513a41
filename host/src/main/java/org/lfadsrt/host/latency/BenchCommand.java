package org.lfadsrt.host.latency;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.sim.model.LfadsModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: latency of the whole live system, measured like a lab would, plus compute baselines on
 * the same model and inputs. For every (model, backend, bin rate, client count) of the sweep: a real-time
 * run of source → pipeline → backend → Netty → K loopback clients; then a report directory with tables,
 * SVG plots and HdrHistogram logs (see {@link BenchReport}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Latency benchmark of the live system (per-stage histograms, plots, baselines) into a report directory.")
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--models", split = ",", paramLabel = "M", description = "Models to sweep: " + BenchModels.NAMES
      + " (default: ${DEFAULT-VALUE}).")
  List<String> models = List.of("paper", "mc_maze", "bundled");

  @Option(names = "--backends", split = ",", paramLabel = "B", description = "Backends to sweep; 'fixed' means 'software'. "
      + "Backends missing from this build or without their device are skipped with a note (default: float,software,emu).")
  List<String> backends = List.of("float", "software", "emu");

  @Option(names = "--rates", split = ",", paramLabel = "HZ", description = "Bin rates in Hz, 1..10000 (default: ${DEFAULT-VALUE}).")
  List<Double> rates = List.of(1000.0);

  @Option(names = "--clients", split = ",", paramLabel = "K", description = "Loopback client counts, 0..64 (default: ${DEFAULT-VALUE}).")
  List<Integer> clients = List.of(4);

  @Option(names = "--bins", description = "Bins per run (default: ${DEFAULT-VALUE}).")
  long bins = 10_000;

  @Option(names = "--late-ms", description = "Bins accepted later than this after completing are dropped as late instead of "
      + "inferred (0: never; default: 5 bin widths).")
  double lateMillis = -1;

  @Option(names = "--interval-ms", description = "Interval of the HdrHistogram log and the over-time plot (default: ${DEFAULT-VALUE}).")
  long intervalMillis = 1000;

  @Option(names = "--device-clock-mhz", description = "Kernel clock for converting device cycle counts (default: ${DEFAULT-VALUE}).")
  double deviceClockMhz = PipelineStats.DEFAULT_DEVICE_CLOCK_HZ / 1e6;

  @Option(names = "--client-queue-kb", description = "Per-client queue before results are dropped for it (default: ${DEFAULT-VALUE}).")
  int clientQueueKb = 64;

  @Option(names = "--baseline-windows", description = "Windows per compute baseline (0: no baselines; default: ${DEFAULT-VALUE}).")
  int baselineWindows = 500;

  @Option(names = "--baseline-warmup-ms", description = "JIT warm-up of each compute baseline before timing (default: ${DEFAULT-VALUE}).")
  long baselineWarmupMillis = 3000;

  @Option(names = "--torch-windows", description = "Windows timed by the PyTorch baseline (the first of the same windows; "
      + "PyTorch is 10-50x slower; default: ${DEFAULT-VALUE}).")
  int torchWindows = 200;

  @Option(names = "--no-torch", description = "Skip the PyTorch baseline.")
  boolean noTorch;

  @Option(names = "--python", description = "Python with torch for the PyTorch baseline (default: ${DEFAULT-VALUE}).")
  String python = "/usr/bin/python3";

  @Option(names = "--torch-script", description = "PyTorch baseline script (default: ${DEFAULT-VALUE}).")
  Path torchScript = Path.of("scripts", "bench_torch_windows.py");

  @Option(names = "--emu-model", paramLabel = "M", description = "Model of the emu baselines when no swept model fits the "
      + "emulated kernel (the default drivers/Makefile build is 8 x 4 MAC lanes with the card's memories: hidden sizes <= 256): baselines only, "
      + "Java float, Java fixed, emu and PyTorch, no live runs; 'none' to skip (default: ${DEFAULT-VALUE}).")
  String emuModel = "small_emu";

  @Option(names = "--emu-windows", description = "Windows timed by the emu baseline (each is a Verilator simulation of "
      + "the whole kernel run: tens of ms for small models, seconds at the paper and MC_Maze sizes; default: ${DEFAULT-VALUE}).")
  int emuWindows = 10;

  /**
   * Backends with default options, but a device timeout that an emulated MC_Maze-size image load (~400k simulated cycles,
   * seconds on a busy machine) cannot hit: the bench measures, it does not test hang detection.
   */
  private static final org.lfadsrt.host.backend.BackendConfig BACKEND_CONFIG =
      new org.lfadsrt.host.backend.BackendConfig(null, 16, "", 0, null, 120_000, false, null);

  @Option(names = "--pacer-spin-us", description = "The source's wait before each bin: park until this long before the "
      + "bin's end, then spin (0: park only, the OS wake-up delay lands in the ingest stage; spinning costs this much CPU "
      + "per bin on a shared 2-core machine; default: ${DEFAULT-VALUE}).")
  long pacerSpinMicros = 0;

  @Mixin org.lfadsrt.host.live.PublishSpinOption publishSpin = new org.lfadsrt.host.live.PublishSpinOption();

  @Option(names = "--hiccup-seconds", description = "Before the runs, measure the machine's own stalls for this long: one "
      + "thread spinning on the clock records every gap (the floor under every latency tail; 0: skip; "
      + "default: ${DEFAULT-VALUE}).")
  double hiccupSeconds = 10;

  @Option(names = "--lab-paths", paramLabel = "BINS", description = "Bins of 10 ms per lab path (native TCP, BRAND Redis, "
      + "Open Ephys ZMQ -> UDP, Intan -> OSC; first model and backend of the sweep; 0: skip; default: ${DEFAULT-VALUE}).")
  long labPathBins = 1000;

  @Option(names = "--seed", description = "Seed of the models and the synthetic source (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = {"--out", "-o"}, paramLabel = "DIR", description = "Report directory (default: reports/bench-<timestamp>).")
  Path out;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** An emu baseline was skipped because the model does not fit the emulated kernel build. */
  private boolean emuTooSmall;

  /** The report of the last call, for tests. */
  BenchReport lastReport;

  @Override
  public Integer call() throws Exception {
    PrintStream log = System.out;
    validate();
    Path dir = out != null ? out
        : Path.of("reports", "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(dir);
    BenchReport report = new BenchReport(dir);
    lastReport = report;
    report.commandLine = "java -jar host/target/lfads-rt.jar " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    report.settings.put("models", String.join(", ", models));
    report.settings.put("backends", String.join(", ", backends));
    report.settings.put("bin rates (Hz)", rates.toString());
    report.settings.put("clients", clients.toString());
    report.settings.put("bins per run", Long.toString(bins));
    report.settings.put("late threshold", lateMillis < 0 ? "5 bin widths" : lateMillis == 0 ? "off" : lateMillis + " ms");
    report.settings.put("compute baseline windows", Integer.toString(baselineWindows));
    report.settings.put("source wait", pacerSpinMicros == 0 ? "park" : "park, then spin the last " + pacerSpinMicros + " us");
    report.settings.put("publish wait", publishSpin.micros() == 0 ? "event loop sleeps until woken"
        : "event loop spins up to " + publishSpin.micros() + " us per expected result");
    String transport = org.lfadsrt.host.server.RigServer.TRANSPORT;
    report.settings.put("socket transport", transport.equals("nio") ? "nio" : transport + " (-Dlfadsrt.transport=nio for NIO)");
    report.settings.put("machine load at start", MachineInfo.loadAverage());
    double clockHz = deviceClockMhz * 1e6;
    report.clockHz = clockHz;

    Set<String> available = new LinkedHashSet<>();
    for (String n : Backends.names()) available.add(n);
    List<String> chosen = new ArrayList<>();
    for (String b : backends) {
      String name = Backends.canonical(b);
      if (!available.contains(name)) {
        report.notes.add("backend '" + name + "' is not in this build (available: " + String.join(", ", available) + "): skipped");
        continue;
      }
      if (!chosen.contains(name)) chosen.add(name);
    }

    if (hiccupSeconds > 0) {
      log.printf(Locale.ROOT, "bench: machine floor: a thread spinning on the clock for %.1f s%n", hiccupSeconds);
      report.hiccups = MachineHiccups.measure((long) (hiccupSeconds * 1e9));
      log.printf(Locale.ROOT, "  stalls > 100 us: %d, > 1 ms: %d, max %s us%n", report.hiccups.over100us,
          report.hiccups.over1ms, BenchReport.us(report.hiccups.stalls.getMaxValue()));
    }
    boolean emuBaselineDone = false;
    for (String modelName : models) emuBaselineDone |= benchModel(modelName, true, chosen, report, log, clockHz);
    // Only when the emu is there but too small for the swept models (not when its library is missing).
    if (chosen.contains("emu") && !emuBaselineDone && emuTooSmall && baselineWindows > 0 && !emuModel.equals("none")) {
      log.println("bench: emu baselines on model " + emuModel + " (no swept model fits the emulated kernel)");
      report.notes.add("emu baselines on model " + emuModel + ", the swept models do not fit the emulated kernel build");
      benchModel(emuModel, false, chosen, report, log, clockHz);
    }
    if (labPathBins > 0 && !chosen.isEmpty()) {
      try {
        LfadsModel m = BenchModels.load(models.get(0), seed);
        report.labPaths = org.lfadsrt.host.lab.LabPathLatency.markdown(
            org.lfadsrt.host.lab.LabPathLatency.run(m, chosen.get(0), labPathBins, log), models.get(0), chosen.get(0));
        report.settings.put("lab paths", labPathBins + " bins of 10 ms each, model " + models.get(0) + ", backend " + chosen.get(0));
      } catch (IllegalArgumentException e) {
        report.notes.add("lab paths not measured: " + e.getMessage());
      }
    }
    report.write();
    log.println("bench: report " + dir.resolve("report.md"));
    return 0;
  }

  /**
   * Baselines and (when {@code liveRuns}) the live runs of one model. Returns whether an emu baseline was
   * measured on it.
   */
  private boolean benchModel(String modelName, boolean liveRuns, List<String> chosen, BenchReport report, PrintStream log,
      double clockHz) throws Exception {
    boolean emuMeasured = false;
    LfadsModel model;
    try {
      model = BenchModels.load(modelName, seed);
    } catch (IllegalArgumentException e) {
      report.notes.add(e.getMessage() + ": skipped");
      log.println("bench: " + e.getMessage() + ": skipped");
      return false;
    }
    String desc = BenchModels.describe(model.config());
    log.println("bench: model " + modelName + " (" + desc + ")");
    int nIn = model.config().encodDataDim(), tEnc = model.config().encodSeqLen();
    byte[][] windows = baselineWindows > 0
        ? ComputeBaseline.windows(nIn, tEnc, Math.round(1e9 / rates.get(0)), seed, baselineWindows) : null;
    for (String backendName : chosen) {
      boolean emu = backendName.equals("emu");
      long baselineP50 = 0;
      // Compute baseline first: it is also the JIT warm-up of this backend before the live runs.
      if (windows != null) {
        try (InferenceBackend be = Backends.open(backendName, model, BACKEND_CONFIG)) {
          // The emu simulates the whole kernel run per window (tens of ms): fewer windows, a short warm-up.
          byte[][] set = emu ? java.util.Arrays.copyOf(windows, Math.min(windows.length, emuWindows)) : windows;
          // A device with an online session (emu) is measured both ways in the same run: whole windows (lfads_run), then
          // the kernel's online mode (one bin per run); the live runs use the online session.
          boolean[] modes = emu && be.openOnline() != null ? new boolean[] {false, true} : new boolean[] {true};
          BenchReport.BinRow whole = null;
          for (boolean useOnline : modes) {
            String label = !emu ? "java " + backendName : modes.length == 1 ? "emu host wall" : useOnline ? "emu online host wall"
                : "emu whole-window host wall";
            var res = ComputeBaseline.measure(be, set, emu ? 3 : Math.max(20, baselineWindows / 10),
                emu ? 0 : baselineWarmupMillis * 1_000_000L, clockHz, useOnline);
            baselineP50 = res.wall().getValueAtPercentile(50);
            String lanes = emu ? emuLanes() : null;
            report.baselines.add(new BenchReport.Baseline(modelName, label,
                res.wall().getTotalCount(), baselineP50, res.wall().getValueAtPercentile(90), res.wall().getValueAtPercentile(99),
                res.wall().getMaxValue(), res.cpu().getValueAtPercentile(50),
                emu ? "Verilated RTL kernel through the native driver (" + lanes + "), wall time per "
                    + (useOnline && modes.length == 2 ? "bin in the kernel's online mode" : "window") + " on the host" : null));
            // exact: the device histogram (ns, 3 significant digits) would round the cycle count
            long cycles = res.cyclesMedian() >= 0 ? res.cyclesMedian()
                : res.device().getTotalCount() > 0 ? Math.round(res.device().getValueAtPercentile(50) * clockHz / 1e9) : -1;
            String deviceName = backendName + (modes.length == 2 ? (useOnline ? " online" : " whole-window") : "");
            if (res.device().getTotalCount() > 0) {
              report.baselines.add(new BenchReport.Baseline(modelName, deviceName + " device time", res.device().getTotalCount(),
                  res.device().getValueAtPercentile(50), res.device().getValueAtPercentile(90),
                  res.device().getValueAtPercentile(99), res.device().getMaxValue(), 0,
                  String.format(Locale.ROOT, "kernel CYCLES at %.0f MHz: p50 %d cycles%s", deviceClockMhz, cycles,
                      lanes == null ? "" : ", " + lanes)));
            }
            if (res.busPerCall() != null) {
              report.busRows.add(new BenchReport.BusRow(modelName, deviceName, res.deviceDescription(), res.busPerCall(), cycles));
            }
            if (modes.length == 2) {
              BenchReport.BinRow row = new BenchReport.BinRow(modelName, useOnline ? "online (one bin per run)" : "whole window",
                  res.busPerCall(), cycles, baselineP50, whole);
              report.binRows.add(row);
              if (!useOnline) whole = row;
            }
            log.printf(Locale.ROOT, "  baseline %s: p50 %s us%n", label, BenchReport.us(baselineP50));
          }
          if (emu && be instanceof org.lfadsrt.host.backend.NativeBackend nb) report.jnaNoopNanos = JnaOverhead.medianNoopNanos(nb);
          emuMeasured |= emu;
        } catch (BackendException | RuntimeException e) {
          boolean tooSmall = emu && e.getMessage() != null && e.getMessage().contains("dimensions too large");
          emuTooSmall |= tooSmall;
          String why = tooSmall ? "model " + modelName + " does not fit the emulated kernel build (drivers/Makefile EMU_PARAMS)"
              : firstSentence(e.getMessage());
          report.note("backend '" + backendName + "' not available (" + why + "): skipped");
          log.println("  backend " + backendName + ": " + why + ": skipped");
          continue;
        }
      }
      if (!liveRuns) continue;
      for (double rate : rates) {
        for (int k : clients) {
          if (baselineP50 > 1e9 / rate) {
            String why = String.format(Locale.ROOT, "live run of backend '%s' on model %s at %.0f Hz skipped: one window takes "
                + "%s us (baseline p50), longer than a bin; every bin would be dropped as late", backendName, modelName, rate,
                BenchReport.us(baselineP50));
            report.note(why);
            log.println("  " + why);
            break;
          }
          InferenceBackend be;
          try {
            be = Backends.open(backendName, model, BACKEND_CONFIG);
          } catch (BackendException | RuntimeException e) {
            report.note("backend '" + backendName + "' not available (" + firstSentence(e.getMessage()) + "): skipped");
            break;
          }
          double late = lateMillis < 0 ? 5 * 1000.0 / rate : lateMillis;
          var settings = new BenchRun.Settings(modelName, desc, backendName, rate, k, bins, late, intervalMillis, clockHz,
              clientQueueKb, seed);
          log.printf(Locale.ROOT, "  run %s: %d bins at %.0f Hz (%.1f s)%n", settings.id(), bins, rate, bins / rate);
          BenchRun.Result r = BenchRun.run(settings, be, report.dir, log, pacerSpinMicros * 1000,
              publishSpin.micros()); // closes the backend
          report.runs.add(r);
          var e2e = r.stages.get(org.lfadsrt.host.metrics.Stage.END_TO_END);
          log.printf(Locale.ROOT, "    published %d / %d, dropped %d, client drops %d, end-to-end p50 %s p99 %s max %s us%n",
              r.published, r.binsIn, r.droppedTotal(), r.clientDropsTotal, BenchReport.us(e2e.getValueAtPercentile(50)),
              BenchReport.us(e2e.getValueAtPercentile(99)), BenchReport.us(e2e.getMaxValue()));
        }
      }
    }
    if (windows != null && !noTorch) {
      try {
        byte[][] torchSet = java.util.Arrays.copyOf(windows, Math.max(1, Math.min(windows.length, torchWindows)));
        for (TorchBaseline.Result t : TorchBaseline.run(python, torchScript, model, torchSet, nIn, tEnc,
            Math.max(10, baselineWindows / 20), report.dir)) {
          report.baselines.add(new BenchReport.Baseline(modelName, "pytorch " + t.dtype(), t.count(), t.p50(), t.p90(), t.p99(),
              t.max(), t.cpuP50(), "torch " + t.torchVersion() + ", 1 thread"));
          log.printf(Locale.ROOT, "  baseline pytorch %s: p50 %s us%n", t.dtype(), BenchReport.us(t.p50()));
        }
      } catch (java.io.IOException e) {
        report.notes.add("PyTorch baseline on model " + modelName + " skipped: " + e.getMessage());
        log.println("  pytorch baseline: " + e.getMessage());
      }
    }
    return emuMeasured;
  }

  /** The emulated kernel's MAC lanes from its identity register (CONFIG), or why they are unknown. */
  private static String emuLanes() {
    try {
      var id = org.lfadsrt.host.backend.NativeBackend.probe("emu:");
      return id.macLanes() + " MAC lanes, W = " + id.dataWidth() + (id.macLanes() == 32 ? ", 8 x 4: the default drivers/Makefile EMU_PARAMS" : "");
    } catch (BackendException | RuntimeException e) {
      return "lanes unknown: " + firstSentence(e.getMessage());
    }
  }

  private void validate() {
    if (emuWindows < 1) bad("--emu-windows must be >= 1, got " + emuWindows);
    if (pacerSpinMicros < 0) bad("--pacer-spin-us must be >= 0, got " + pacerSpinMicros);
    if (hiccupSeconds < 0) bad("--hiccup-seconds must be >= 0, got " + hiccupSeconds);
    if (publishSpin.problem() != null) bad(publishSpin.problem());
    for (double r : rates) {
      if (pacerSpinMicros * 1000 >= 1e9 / r) bad("--pacer-spin-us " + pacerSpinMicros + " is not below the bin width at " + r + " Hz");
    }
    if (bins < 1) bad("--bins must be >= 1, got " + bins);
    for (double r : rates) if (!(r >= 1 && r <= 10_000)) bad("--rates: each rate must be in 1..10000 Hz, got " + r);
    for (int k : clients) if (k < 0 || k > 64) bad("--clients: each count must be in 0..64, got " + k);
    if (intervalMillis < 10) bad("--interval-ms must be >= 10, got " + intervalMillis);
    if (!(deviceClockMhz > 0)) bad("--device-clock-mhz must be > 0, got " + deviceClockMhz);
    if (baselineWarmupMillis < 0) bad("--baseline-warmup-ms must be >= 0, got " + baselineWarmupMillis);
    if (torchWindows < 1) bad("--torch-windows must be >= 1, got " + torchWindows);
    if (baselineWindows < 0) bad("--baseline-windows must be >= 0, got " + baselineWindows);
    if (models.isEmpty() || backends.isEmpty() || rates.isEmpty() || clients.isEmpty()) {
      bad("--models, --backends, --rates and --clients each need at least one value");
    }
  }

  /** The message up to its first line break or sentence end, at most 160 characters (native-loader messages run long). */
  static String firstSentence(String message) {
    if (message == null) return "no message";
    String m = message.strip();
    int cut = m.length();
    int nl = m.indexOf('\n');
    if (nl >= 0) cut = nl;
    int dot = m.indexOf(". ");
    if (dot >= 0 && dot < cut) cut = dot;
    int paren = m.indexOf(" (");
    if (paren > 0 && paren < cut) cut = paren;
    String hint = message.contains("make -C drivers") ? "; build it with `make -C drivers`" : "";
    m = m.substring(0, cut).strip();
    return (m.length() > 160 ? m.substring(0, 157) + "..." : m) + hint;
  }

  private void bad(String message) {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "bench: " + message);
  }

}
