package org.lfadsrt.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.lfadsrt.sim.contract.KernelContract;
import org.lfadsrt.sim.fixed.CycleModel;
import org.lfadsrt.sim.contract.OnlineBuffers;
import org.lfadsrt.sim.fixed.FixedLfads;
import org.lfadsrt.sim.fixed.FixedOnlineWindow;
import org.lfadsrt.sim.fixed.FixedOutput;
import org.lfadsrt.sim.fixed.FixedTrace;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import org.lfadsrt.sim.model.RandomModels;
import org.lfadsrt.sim.synth.Poisson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Co-simulation: runs the same kernel images and spike inputs through the RTL (the Verilated top-level
 * harness, hdl/harness, which drives the kernel over AXI exactly as a host does; or with {@code --emu} the same
 * Verilated kernel in process, through liblfadsrt's emu backend: {@link EmuRtl}) and through the Java
 * bit-accurate model ({@link FixedLfads}), and compares every factor and log-rate word. The last line is
 * {@code mismatches: M of V values}; the exit code is non-zero when M > 0 or a run fails, and the first
 * mismatch is located (layer, step, index, both values) with the Java model's trace of that step.
 *
 * <p>Cases: {@code --model} (an .npz model, quantized at each {@code --bits}, or a ready .img), and
 * {@code --random-models K} seeded random models cycling through the paper size, the MC_Maze size and odd
 * small shapes, with and without a controller, well-behaved and saturating weights, spike inputs with
 * counts up to 255. Each image runs on a harness binary built for its data width ({@code --harness-dir},
 * binaries named lfads_harness*; {@code --info} tells their configuration); images larger than a
 * harness's memories are skipped with a note. With {@code --emu} every image runs on the library's one kernel
 * configuration (drivers/Makefile EMU_PARAMS, listed by lfads_describe; by default W = 16, 8 x 4 MAC lanes) and the
 * images it cannot take are skipped naming the limit. The measured CYCLES are printed next to {@link CycleModel}'s
 * prediction for the configuration that ran (both runners give the kernel the same memory timing).
 *
 * <p>{@code --online}: the online kernel mode (docs/kernel-numerics.md §13) instead. Each case's trials are streamed
 * bin by bin (their bins back to back), with a window reset half a window into the second trial and a whole-trial
 * run one bin into the third (which ends the window as a reset does); the harness pushes
 * one bin per run and waits on the status block. Every bin's factor and log-rate words are compared with
 * {@link FixedOnlineWindow} fed the same stream, and every status block's words (SEQ, ERROR_CODE, TRIALS_DONE,
 * WINDOW_BINS, STATUS, magic) with what they must be; its CYCLES word with {@link CycleModel#predictOnline}.
 * Mismatching status words and cycle predictions count as mismatches. Before the stream the harness checks the
 * status blocks of two failing online runs (no image loaded, then NUM_TRIALS 0), so the stream's SEQ starts at 3;
 * through the emu library (which refuses such runs itself) it starts at 1, and the last run's CYCLES register,
 * which the driver does not read after an online run, is not compared ({@code run=-}).
 */
@Command(name = "cosim", mixinStandardHelpOptions = true,
    description = "Compare the RTL kernel (the Verilator harness, or with --emu the emu library in process) with the "
        + "Java bit-accurate model, value by value, and its CYCLES with sim's CycleModel.")
public final class CosimCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", description = "Model file (repeatable): .npz (quantized at each --bits), a kernel image "
      + ".img, or classpath:/RESOURCE.npz (e.g. the bundled demo model)")
  List<String> models = new ArrayList<>();

  @Option(names = "--random-models", description = "Number of seeded random models (default: ${DEFAULT-VALUE})")
  int randomModels = 0;

  @Option(names = "--trials", description = "Trials per model (default: ${DEFAULT-VALUE})")
  int trials = 4;

  @Option(names = "--bits", split = ",", description = "Data widths to quantize at (default: 16,12)")
  int[] bits = {16, 12};

  @Option(names = "--seed", description = "Seed of models and inputs (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--harness-dir", description = "Directory with lfads_harness* binaries (default: ${DEFAULT-VALUE})")
  Path harnessDir = Path.of("hdl/build");

  @Option(names = "--harness", description = "Use only this harness binary")
  Path harness;

  @Option(names = "--shapes", split = ",",
      description = "Random-model shapes to cycle through: paper, mcmaze, odd, oddcon (default: all that fit)")
  List<String> shapes;

  @Option(names = "--stall", description = "Percent of random idle/back-pressure cycles on every AXI channel")
  int stall = 0;

  @Option(names = "--keep", description = "Keep the images, inputs and outputs under this directory (harness runs)")
  Path keep;

  @Option(names = "--online", description = "Run the online kernel mode: one bin per run, newest outputs and status "
      + "block compared with FixedOnlineWindow and CycleModel.predictOnline")
  boolean online;

  @Option(names = "--slots", description = "Online buffer slots the kernel rotates through (default: ${DEFAULT-VALUE})")
  int slots = 2;

  @Option(names = "--emu", description = "Run the RTL in process through liblfadsrt's emu backend (the Verilated "
      + "kernel the host's emu backend runs; its configuration is the library's, by default W=16 and 8x4 MAC lanes) "
      + "instead of the harness binaries: no subprocess, no files")
  boolean emu;

  /** Device-memory read latency (cycles) both RTL runners give the kernel: CycleModel's default configuration's. */
  static final int MEMORY_LATENCY = CycleModel.Lanes.defaults().memoryLatency();

  /** One co-simulation case: a kernel image and its trials' spike counts ([trial][bin][channel]). */
  record Case(String name, KernelImage image, int[][][] trials) {}

  /**
   * An online stream: the case's trials' bins back to back, a window reset at {@code resetBin} and a whole-trial run
   * before {@code wholeTrialBin} (-1: none).
   */
  record OnlinePlan(int bins, int[][] stream, int resetBin, int wholeTrialBin) {
    static OnlinePlan of(Case c) {
      int tEnc = c.image().tEnc();
      int bins = c.trials().length * tEnc;
      int[][] stream = new int[bins][];
      for (int b = 0; b < bins; b++) stream[b] = c.trials()[b / tEnc][b % tEnc];
      return new OnlinePlan(bins, stream, onlineResetBin(tEnc, bins), onlineWholeTrialBin(tEnc, bins));
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (trials < 1) {
      out.println("cosim: --trials must be >= 1, got " + trials);
      out.flush();
      return 2;
    }
    CosimRtl rtl;
    if (emu) {
      try {
        rtl = EmuRtl.open(stall, seed, slots);
      } catch (org.lfadsrt.host.backend.BackendException e) {
        out.println("cosim: --emu: " + e.getMessage());
        out.flush();
        return 2;
      }
    } else {
      rtl = HarnessRtl.find(harnessDir, harness, keep, stall, seed, slots);
      if (rtl == null) {
        out.println("cosim: no harness binary found (build one with `make -C hdl harness`)");
        out.flush();
        return 2;
      }
    }
    try (rtl) {
      return run(rtl, out);
    }
  }

  private int run(CosimRtl rtl, PrintWriter out) throws IOException, InterruptedException {
    rtl.describe().forEach(out::println);
    List<Case> cases = buildCases();
    if (cases.isEmpty()) {
      out.println("cosim: nothing to run (give --model and/or --random-models)");
      out.flush();
      return 2;
    }
    long values = 0, mismatches = 0;
    int ran = 0, failed = 0;
    String firstMismatch = null;
    for (Case c : cases) {
      CosimRtl.KernelConfig k = rtl.configFor(c.image());
      if (k == null) {
        out.printf(Locale.ROOT, "%-34s skipped: %s%n", c.name(), rtl.skipReason(c.image()));
        continue;
      }
      CycleModel.Lanes lanes = k.lanes();
      if (online) {
        OnlinePlan plan = OnlinePlan.of(c);
        CosimRtl.OnlineRun run = rtl.runOnline(c, plan, k);
        if (run.error() != null) {
          out.printf(Locale.ROOT, "%-34s RTL run failed: %s%n", c.name(), run.error());
          failed++;
          continue;
        }
        OnlineResult o = compareOnline(c, plan, run, lanes, stall);
        ran++;
        values += o.values();
        mismatches += o.mismatches();
        if (o.first() != null && firstMismatch == null) firstMismatch = c.name() + ": " + o.first();
        CycleModel.Prediction whole = CycleModel.predict(c.image(), lanes);
        out.printf(Locale.ROOT, "%-34s W=%-2d online bins=%-4d status cycles/bin=%-7d model=%-7d run=%-7s model=%-7d "
                + "(%.1f%% of whole-window %d) %.2f us@300MHz, reg writes/bin <= %s, reads/bin %s  mismatches %d of %d%n",
            c.name(), c.image().dataWidth(), plan.bins(), o.statusCycles(), o.predicted().statusCycles(),
            run.runCycles() < 0 ? "-" : Long.toString(run.runCycles()), o.predicted().runCycles(),
            100.0 * o.predicted().runCycles() / whole.cyclesPerTrial(), whole.cyclesPerTrial(),
            o.predicted().runCycles() / 300.0, run.regWritesPerBinMax(), run.regReadsPerBin(), o.mismatches(), o.values());
        out.flush();
        continue;
      }
      CosimRtl.TrialRun r = rtl.runTrials(c, k);
      if (r.error() != null) {
        out.printf(Locale.ROOT, "%-34s RTL run failed: %s%n", c.name(), r.error());
        failed++;
        continue;
      }
      ran++;
      Comparison cmp = compare(c, r);
      values += cmp.values();
      mismatches += cmp.mismatches();
      if (cmp.first() != null && firstMismatch == null) firstMismatch = c.name() + ": " + cmp.first();
      CycleModel.Prediction p = CycleModel.predict(c.image(), lanes);
      double perTrial = (double) r.cycles() / c.trials().length;
      out.printf(Locale.ROOT, "%-34s W=%-2d trials=%-3d cycles/trial=%-8.1f model=%-8d (%+.2f%%) %.2f us@300MHz  mismatches %d of %d%n",
          c.name(), c.image().dataWidth(), c.trials().length, perTrial, p.cyclesPerTrial(),
          100.0 * (p.runCycles(c.trials().length) - r.cycles()) / r.cycles(), perTrial / 300.0,
          cmp.mismatches(), cmp.values());
      out.flush();
    }
    if (firstMismatch != null) out.println("first mismatch: " + firstMismatch);
    if (failed > 0) out.println("failed runs: " + failed);
    out.printf(Locale.ROOT, "cases run: %d of %d%n", ran, cases.size());
    out.printf(Locale.ROOT, "mismatches: %d of %d values%n", mismatches, values);
    out.flush();
    return (mismatches == 0 && failed == 0 && ran > 0) ? 0 : 1;
  }

  // ---------------------------------------------------------------------------------------------
  // cases

  private List<Case> buildCases() throws IOException {
    List<Case> cases = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(seed);
    for (String spec : models) {
      String name = spec.startsWith("classpath:") ? spec.substring(spec.lastIndexOf('/') + 1)
          : (Path.of(spec).getParent() != null && Path.of(spec).getParent().getFileName() != null
              ? Path.of(spec).getParent().getFileName() + "/" : "") + Path.of(spec).getFileName();
      if (spec.endsWith(".img")) {
        KernelImage img = KernelImage.read(Path.of(spec));
        cases.add(new Case(name, img, spikes(rng, img.tEnc(), img.nIn(), trials, false)));
      } else {
        LfadsModel m;
        if (spec.startsWith("classpath:")) {
          String res = spec.substring("classpath:".length());
          try (java.io.InputStream in = CosimCommand.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalArgumentException("--model: no classpath resource " + res);
            m = ModelFile.load(in, res);
          }
        } else {
          m = ModelFile.load(Path.of(spec));
        }
        LfadsConfig c = m.config();
        int[][][] calib = spikes(rng, c.encodSeqLen(), c.encodDataDim(), 8, false);
        for (int b : bits) {
          cases.add(new Case(name + "/W" + b, Quantizer.quantize(m, calib, b),
              spikes(rng, c.encodSeqLen(), c.encodDataDim(), trials, false)));
        }
      }
    }
    List<String> shapeList = shapes != null ? shapes : List.of("odd", "oddcon", "paper", "mcmaze");
    for (int k = 0; k < randomModels; k++) {
      String shape = shapeList.get(k % shapeList.size());
      long s = seed * 1000 + k;
      LfadsConfig c = switch (shape) {
        case "paper" -> RandomModels.paperConfig();
        case "mcmaze" -> RandomModels.mcMazeConfig();
        case "odd" -> RandomModels.oddConfig(s, false);
        case "oddcon" -> RandomModels.oddConfig(s, true);
        default -> throw new IllegalArgumentException("--shapes: unknown shape '" + shape + "'");
      };
      // every third model saturates (large weights, hot inputs): exercises every narrowing
      boolean hot = k % 3 == 2;
      LfadsModel m = RandomModels.random(c, s, hot ? RandomModels.Options.saturating() : RandomModels.Options.standard());
      int b = bits[(k / shapeList.size()) % bits.length];   // every shape at every width
      int[][][] calib = spikes(new SplittableRandom(s), c.encodSeqLen(), c.encodDataDim(), 4, false);
      KernelImage img = Quantizer.quantize(m, calib, b);
      String name = String.format(Locale.ROOT, "random%02d-%s%s", k, shape, hot ? "-hot" : "");
      cases.add(new Case(name, img, spikes(new SplittableRandom(s + 1), c.encodSeqLen(), c.encodDataDim(), trials, hot)));
    }
    return cases;
  }

  /** Poisson-like spike counts; "hot" inputs add bursts up to 255 (the largest count the kernel takes). */
  static int[][][] spikes(SplittableRandom r, int tEnc, int nIn, int n, boolean hot) {
    int[][][] x = new int[n][tEnc][nIn];
    for (int k = 0; k < n; k++) {
      double rate = 0.05 + r.nextDouble() * (hot ? 20 : 2);
      for (int t = 0; t < tEnc; t++) {
        for (int i = 0; i < nIn; i++) {
          int v = Poisson.sample(r::nextDouble, rate);
          if (hot && r.nextInt(20) == 0) v = 255;
          x[k][t][i] = Math.min(v, KernelContract.SPIKE_COUNT_MAX);
        }
      }
    }
    return x;
  }

  /** Trial {@code trial}'s counts into {@code dst} from {@code off}: T_enc x N_in bytes, bin-major. */
  static void putTrial(int[][] trial, byte[] dst, int off) {
    for (int t = 0; t < trial.length; t++) putBin(trial[t], dst, off + t * trial[t].length);
  }

  /** One bin's counts (0..255) into {@code dst} from {@code off}. */
  static void putBin(int[] bin, byte[] dst, int off) {
    for (int i = 0; i < bin.length; i++) dst[off + i] = (byte) bin[i];
  }

  // ---------------------------------------------------------------------------------------------
  // comparison with the Java model (both RTL runners)

  private record Comparison(long values, long mismatches, String first) {}

  record OnlineResult(long values, long mismatches, String first, long statusCycles,
      CycleModel.OnlinePrediction predicted) {}

  /**
   * The bin before which the online stream runs one whole trial (which ends the window: spec §13), one bin into
   * the third window; -1 when the stream is shorter.
   */
  static int onlineWholeTrialBin(int tEnc, int bins) {
    int b = 2 * tEnc + 1;
    return b < bins ? b : -1;
  }

  /** The bin (0-based) at which the online stream resets its window: half a window into the second trial. */
  static int onlineResetBin(int tEnc, int bins) {
    int b = tEnc + Math.max(1, tEnc / 2);
    return b < bins ? b : -1;
  }

  /**
   * Compares every bin's output slot of an online stream: the result words with {@link FixedOnlineWindow} fed the same
   * stream, the status block with the expected words (its CYCLES with {@link CycleModel#predictOnline}: every bin's run
   * takes the same cycles), the runner's error checks and the last run's CYCLES register when it has them.
   */
  static OnlineResult compareOnline(Case c, OnlinePlan plan, CosimRtl.OnlineRun run, CycleModel.Lanes lanes, int stall) {
    KernelImage img = c.image();
    int fac = img.facDim(), nOut = img.nOut();
    int reset = plan.resetBin(), wholeTrial = plan.wholeTrialBin();
    ByteBuffer bb = ByteBuffer.wrap(run.slots()).order(ByteOrder.LITTLE_ENDIAN);
    CycleModel.OnlinePrediction pred = CycleModel.predictOnline(img, lanes);
    FixedOnlineWindow window = new FixedOnlineWindow(new FixedLfads(img));
    FixedOutput o = FixedOutput.forImage(img);
    int[] want = new int[fac + nOut];
    long values = 0, bad = 0;
    String first = null;
    long statusCycles = -1;
    for (int b = 0; b < plan.bins(); b++) {
      if (b == reset || b == wholeTrial) window.reset();
      window.pushBin(plan.stream()[b]);
      window.inferNewest(o, want, 0);
      int base = b * run.slotStride();
      for (int j = 0; j < fac + nOut; j++) {
        int got = bb.getInt(base + OnlineBuffers.RESULT_OFFSET + 4 * j);
        values++;
        if (got != want[j]) {
          bad++;
          if (first == null) {
            first = String.format(Locale.ROOT, "bin %d (window of %d bins%s), %s %d: java %d, rtl %d", b,
                window.windowBins(), reset >= 0 && b >= reset ? ", after the reset" : "", j < fac ? "factor" : "lograte",
                j < fac ? j : j - fac, want[j], got);
          }
        }
      }
      long cyc = Integer.toUnsignedLong(bb.getInt(base + 4 * KernelContract.OS_CYCLES_LO))
          | (long) bb.getInt(base + 4 * KernelContract.OS_CYCLES_HI) << 32;
      if (statusCycles < 0) statusCycles = cyc;
      long[][] status = {
          {KernelContract.OS_SEQ, b + run.firstSeq()}, {KernelContract.OS_ERROR_CODE, KernelContract.ERR_NONE},
          {KernelContract.OS_TRIALS_DONE, 1}, {KernelContract.OS_WINDOW_BINS, window.windowBins()},
          {KernelContract.OS_STATUS, KernelContract.STATUS_IMAGE_LOADED},
          {KernelContract.OS_MAGIC, KernelContract.ONLINE_STATUS_MAGIC}};
      for (long[] sw : status) {
        values++;
        int got = bb.getInt(base + 4 * (int) sw[0]);
        if (got != (int) sw[1]) {
          bad++;
          if (first == null) {
            first = String.format(Locale.ROOT, "bin %d: status word %d is %d, want %d", b, sw[0], got, sw[1]);
          }
        }
      }
      if (stall == 0) values++;   // with random stalls the cycles vary: only the words are compared
      if (stall == 0 && cyc != pred.statusCycles()) {
        bad++;
        if (first == null) {
          first = String.format(Locale.ROOT, "bin %d: status CYCLES %d, CycleModel.predictOnline %d", b, cyc,
              pred.statusCycles());
        }
      }
    }
    // the harness's error paths (no image: ERROR_CODE 6; no slots: 7), checked word by word before the stream
    if (run.errorChecks() != null) {
      values++;
      if (!"ok".equals(run.errorChecks())) {
        bad++;
        if (first == null) first = "RTL error checks reported " + run.errorChecks();
      }
    }
    if (stall == 0 && run.runCycles() >= 0) {
      values++;
      if (run.runCycles() != pred.runCycles()) {
        bad++;
        if (first == null) {
          first = String.format(Locale.ROOT, "last run's CYCLES register %d, CycleModel.predictOnline %d",
              run.runCycles(), pred.runCycles());
        }
      }
    }
    return new OnlineResult(values, bad, first, statusCycles, pred);
  }

  private static Comparison compare(Case c, CosimRtl.TrialRun run) {
    KernelImage img = c.image();
    FixedLfads java = new FixedLfads(img);
    FixedOutput o = FixedOutput.forImage(img);
    int fac = img.facDim(), nOut = img.nOut();
    int outStride = run.trialStride();
    ByteBuffer bb = ByteBuffer.wrap(run.words()).order(ByteOrder.LITTLE_ENDIAN);
    long values = 0, bad = 0;
    String first = null;
    for (int k = 0; k < c.trials().length; k++) {
      java.run(c.trials()[k], o, null);
      for (int t = 0; t < img.tRec(); t++) {
        for (int j = 0; j < fac + nOut; j++) {
          int got = bb.getInt(k * outStride + 4 * (t * (fac + nOut) + j));
          int want = j < fac ? o.factors[t * fac + j] : o.logrates[t * nOut + (j - fac)];
          values++;
          if (got != want) {
            bad++;
            if (first == null) first = locate(java, c.trials()[k], k, t, j, fac, want, got);
          }
        }
      }
    }
    return new Comparison(values, bad, first);
  }

  /** Describes the first mismatch and the Java model's trace of that step's generator state. */
  private static String locate(FixedLfads java, int[][] spikes, int trial, int t, int j, int fac, int want, int got) {
    int layer = j < fac ? KernelContract.LAYER_FAC : KernelContract.LAYER_RO;
    int index = j < fac ? j : j - fac;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "trial %d, layer %s, step %d, index %d: java %d, rtl %d", trial,
        KernelContract.LAYER_NAMES.get(layer), t, index, want, got));
    Map<String, String> ctx = new LinkedHashMap<>();
    FixedTrace trace = (l, probe, step, v, len) -> {
      if (step == t && (l == KernelContract.LAYER_GEN && probe == FixedTrace.Probe.STATE)) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(len, 8); i++) s.append(i == 0 ? "" : ",").append(v[i]);
        ctx.put("java GEN state[0..8) at step " + t, "[" + s + (len > 8 ? ",...]" : "]"));
      }
    };
    java.run(spikes, FixedOutput.forImage(java.image()), trace);
    ctx.forEach((k, v) -> sb.append("; ").append(k).append(' ').append(v));
    return sb.toString();
  }

  /** {tiles, row blocks} the RTL needs for an image (hdl/rtl/lfads_geometry.v). */
  static long[] geometry(KernelImage img, int r, int c) {
    int[] rows = {img.hIcEnc(), img.hIcEnc(), img.hCiEnc(), img.hCiEnc(), img.hCon(), img.hGen(), img.icDim(),
        img.hGen(), img.coDim(), img.facDim(), img.nOut()};
    int[][] segs = {
        {img.nIn(), img.hIcEnc()}, {img.nIn(), img.hIcEnc()}, {img.nIn(), img.hCiEnc()}, {img.nIn(), img.hCiEnc()},
        {img.hCiEnc(), img.hCiEnc(), img.facDim(), img.hCon()}, {img.coDim(), img.hGen()},
        {img.hIcEnc(), img.hIcEnc()}, {img.icDim()}, {img.hCon()}, {img.hGen()}, {img.facDim()}};
    long tiles = 0, rbs = 0;
    for (int l = 0; l < 11; l++) {
      long ncb = 0;
      for (int len : segs[l]) ncb += (len + c - 1) / c;
      long nrb = (l < 6 ? 3L : 1L) * ((rows[l] + r - 1) / r);
      tiles += nrb * ncb;
      rbs += nrb;
    }
    return new long[] {tiles, rbs};
  }

  static int roundUp(int v, int a) {
    return (v + a - 1) / a * a;
  }
}
