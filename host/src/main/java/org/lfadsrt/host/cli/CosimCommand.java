package org.lfadsrt.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * harness, hdl/harness, which drives the kernel over AXI exactly as a host does) and through the Java
 * bit-accurate model ({@link FixedLfads}), and compares every factor and log-rate word. The last line is
 * {@code mismatches: M of V values}; the exit code is non-zero when M > 0 or a run fails, and the first
 * mismatch is located (layer, step, index, both values) with the Java model's trace of that step.
 *
 * <p>Cases: {@code --model} (an .npz model, quantized at each {@code --bits}, or a ready .img), and
 * {@code --random-models K} seeded random models cycling through the paper size, the MC_Maze size and odd
 * small shapes, with and without a controller, well-behaved and saturating weights, spike inputs with
 * counts up to 255. Each image runs on a harness binary built for its data width ({@code --harness-dir},
 * binaries named lfads_harness*; {@code --info} tells their configuration); images larger than a
 * harness's memories are skipped with a note. The measured CYCLES are printed next to {@link CycleModel}'s
 * prediction.
 *
 * <p>{@code --online}: the online kernel mode (docs/kernel-numerics.md §13) instead. Each case's trials are streamed
 * bin by bin (their bins back to back), with a window reset half a window into the second trial and a whole-trial
 * run one bin into the third (which ends the window as a reset does); the harness pushes
 * one bin per run and waits on the status block. Every bin's factor and log-rate words are compared with
 * {@link FixedOnlineWindow} fed the same stream, and every status block's words (SEQ, ERROR_CODE, TRIALS_DONE,
 * WINDOW_BINS, STATUS, magic) with what they must be; its CYCLES word with {@link CycleModel#predictOnline}.
 * Mismatching status words and cycle predictions count as mismatches. Before the stream the harness checks the
 * status blocks of two failing online runs (no image loaded, then NUM_TRIALS 0), so the stream's SEQ starts at 3.
 */
@Command(name = "cosim", mixinStandardHelpOptions = true,
    description = "Compare the RTL kernel (Verilator harness) with the Java bit-accurate model, value by value.")
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

  @Option(names = "--keep", description = "Keep the images, inputs and outputs under this directory")
  Path keep;

  @Option(names = "--online", description = "Run the online kernel mode: one bin per run, newest outputs and status "
      + "block compared with FixedOnlineWindow and CycleModel.predictOnline")
  boolean online;

  @Option(names = "--slots", description = "Online buffer slots the kernel rotates through (default: ${DEFAULT-VALUE})")
  int slots = 2;

  private record HarnessInfo(Path path, int width, int rows, int cols, int maxHidden, int maxTiles, int maxIn,
      int maxOut, int maxTEnc, int maxTRec, int maxRowBlocks) {
    boolean fits(KernelImage img) {
      if (img.dataWidth() != width) return false;
      int[] hid = {img.hIcEnc(), img.hCiEnc(), img.hCon(), img.coDim(), img.icDim(), img.hGen(), img.facDim()};
      for (int h : hid) if (h > maxHidden) return false;
      if (img.nIn() > maxIn || img.nOut() > maxOut || img.tEnc() > maxTEnc || img.tRec() > maxTRec) return false;
      long[] g = geometry(img, rows, cols);
      return g[0] <= maxTiles && g[1] <= maxRowBlocks;
    }
  }

  private record Case(String name, KernelImage image, int[][][] trials) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<HarnessInfo> harnesses = findHarnesses();
    if (harnesses.isEmpty()) {
      out.println("cosim: no harness binary found (build one with `make -C hdl harness`)");
      out.flush();
      return 2;
    }
    for (HarnessInfo h : harnesses) {
      out.printf(Locale.ROOT, "harness %s: W=%d, %dx%d MAC lanes, max hidden %d, max tiles %d%n", h.path(),
          h.width(), h.rows(), h.cols(), h.maxHidden(), h.maxTiles());
    }
    List<Case> cases = buildCases();
    if (cases.isEmpty()) {
      out.println("cosim: nothing to run (give --model and/or --random-models)");
      out.flush();
      return 2;
    }
    long values = 0, mismatches = 0;
    int ran = 0, failed = 0;
    String firstMismatch = null;
    Path work = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("lfads-cosim");
    for (Case c : cases) {
      HarnessInfo h = harnesses.stream().filter(x -> x.fits(c.image())).findFirst().orElse(null);
      if (h == null) {
        out.printf(Locale.ROOT, "%-34s skipped: no harness for W=%d with memories this large%n", c.name(),
            c.image().dataWidth());
        continue;
      }
      Path dir = Files.createDirectories(work.resolve(c.name().replaceAll("[^A-Za-z0-9_.-]", "_")));
      if (online) {
        CycleModel.Lanes lanes = new CycleModel.Lanes(h.rows(), h.cols(), CycleModel.Lanes.defaults().memoryLatency(),
            h.maxHidden());
        OnlineResult o = runOnline(h, c, dir, lanes);
        if (o.error() != null) {
          out.printf(Locale.ROOT, "%-34s RTL run failed: %s%n", c.name(), o.error());
          failed++;
          continue;
        }
        ran++;
        values += o.values();
        mismatches += o.mismatches();
        if (o.first() != null && firstMismatch == null) firstMismatch = c.name() + ": " + o.first();
        CycleModel.Prediction whole = CycleModel.predict(c.image(), lanes);
        out.printf(Locale.ROOT, "%-34s W=%-2d online bins=%-4d status cycles/bin=%-7d model=%-7d run=%-7d model=%-7d "
                + "(%.1f%% of whole-window %d) %.2f us@300MHz, reg writes/bin <= %s, reads/bin %s  mismatches %d of %d%n",
            c.name(), c.image().dataWidth(), o.bins(), o.statusCycles(), o.predicted().statusCycles(), o.runCycles(),
            o.predicted().runCycles(), 100.0 * o.predicted().runCycles() / whole.cyclesPerTrial(),
            whole.cyclesPerTrial(), o.predicted().runCycles() / 300.0, o.log().get("reg_writes_per_bin_max"),
            o.log().get("reg_reads_per_bin"), o.mismatches(), o.values());
        out.flush();
        continue;
      }
      RunResult r = runHarness(h, c, dir);
      if (r.error() != null) {
        out.printf(Locale.ROOT, "%-34s RTL run failed: %s%n", c.name(), r.error());
        failed++;
        continue;
      }
      ran++;
      Comparison cmp = compare(c, r.output());
      values += cmp.values();
      mismatches += cmp.mismatches();
      if (cmp.first() != null && firstMismatch == null) firstMismatch = c.name() + ": " + cmp.first();
      CycleModel.Prediction p = CycleModel.predict(c.image(),
          new CycleModel.Lanes(h.rows(), h.cols(), CycleModel.Lanes.defaults().memoryLatency(), h.maxHidden()));
      double perTrial = (double) r.cycles() / c.trials().length;
      out.printf(Locale.ROOT, "%-34s W=%-2d trials=%-3d cycles/trial=%-8.1f model=%-8d (%+.2f%%) %.2f us@300MHz  mismatches %d of %d%n",
          c.name(), c.image().dataWidth(), c.trials().length, perTrial, p.cyclesPerTrial(),
          100.0 * (p.runCycles(c.trials().length) - r.cycles()) / r.cycles(), perTrial / 300.0,
          cmp.mismatches(), cmp.values());
      out.flush();
    }
    if (keep == null) deleteTree(work);
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

  // ---------------------------------------------------------------------------------------------
  // RTL runs

  private record RunResult(byte[] output, long cycles, String error) {}

  private RunResult runHarness(HarnessInfo h, Case c, Path dir) throws IOException, InterruptedException {
    KernelImage img = c.image();
    int inStride = roundUp(img.tEnc() * img.nIn(), KernelContract.BUFFER_ALIGN_BYTES);
    byte[] input = new byte[inStride * c.trials().length];
    for (int k = 0; k < c.trials().length; k++) {
      for (int t = 0; t < img.tEnc(); t++) {
        for (int i = 0; i < img.nIn(); i++) input[k * inStride + t * img.nIn() + i] = (byte) c.trials()[k][t][i];
      }
    }
    Path imgPath = dir.resolve("model.img"), inPath = dir.resolve("input.bin"), outPath = dir.resolve("out.bin");
    img.write(imgPath);
    Files.write(inPath, input);
    List<String> cmd = List.of(h.path().toString(), "--image", imgPath.toString(), "--input", inPath.toString(),
        "--trials", Integer.toString(c.trials().length), "--out", outPath.toString(), "--stall", Integer.toString(stall),
        "--seed", Long.toString(seed), "--quiet");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(1, TimeUnit.HOURS)) {
      p.destroyForcibly();
      return new RunResult(null, 0, "harness timed out");
    }
    if (p.exitValue() != 0) return new RunResult(null, 0, "harness exit " + p.exitValue() + ": " + log.strip());
    Map<String, String> kv = parse(log);
    if (!kv.containsKey("cycles")) return new RunResult(null, 0, "no cycles in harness output: " + log.strip());
    Files.writeString(dir.resolve("harness.log"), log);
    return new RunResult(Files.readAllBytes(outPath), Long.parseLong(kv.get("cycles")), null);
  }

  private record Comparison(long values, long mismatches, String first) {}

  private record OnlineResult(int bins, long values, long mismatches, String first, long statusCycles, long runCycles,
      CycleModel.OnlinePrediction predicted, Map<String, String> log, String error) {
    static OnlineResult failed(String error) {
      return new OnlineResult(0, 0, 0, null, 0, 0, null, Map.of(), error);
    }
  }

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
   * Streams the case's bins through the harness in online mode and compares every bin's output slot: the result
   * words with {@link FixedOnlineWindow}, the status block with the expected words (its CYCLES with
   * {@link CycleModel#predictOnline}: every bin's run takes the same cycles).
   */
  private OnlineResult runOnline(HarnessInfo h, Case c, Path dir, CycleModel.Lanes lanes)
      throws IOException, InterruptedException {
    KernelImage img = c.image();
    int tEnc = img.tEnc(), nIn = img.nIn(), fac = img.facDim(), nOut = img.nOut();
    int bins = c.trials().length * tEnc;
    int reset = onlineResetBin(tEnc, bins);
    int wholeTrial = onlineWholeTrialBin(tEnc, bins);
    byte[] input = new byte[bins * nIn];
    int[][] stream = new int[bins][];
    for (int b = 0; b < bins; b++) {
      stream[b] = c.trials()[b / tEnc][b % tEnc];
      for (int i = 0; i < nIn; i++) input[b * nIn + i] = (byte) stream[b][i];
    }
    Path imgPath = dir.resolve("model.img"), inPath = dir.resolve("bins.bin"), outPath = dir.resolve("out.bin");
    img.write(imgPath);
    Files.write(inPath, input);
    List<String> cmd = new ArrayList<>(List.of(h.path().toString(), "--image", imgPath.toString(), "--online",
        "--input", inPath.toString(), "--bins", Integer.toString(bins), "--slots", Integer.toString(slots),
        "--out", outPath.toString(), "--stall", Integer.toString(stall), "--seed", Long.toString(seed), "--quiet",
        "--error-checks"));
    if (reset >= 0) cmd.addAll(List.of("--reset-at", Integer.toString(reset)));
    if (wholeTrial >= 0) cmd.addAll(List.of("--whole-trial-at", Integer.toString(wholeTrial)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(1, TimeUnit.HOURS)) {
      p.destroyForcibly();
      return OnlineResult.failed("harness timed out");
    }
    if (p.exitValue() != 0) return OnlineResult.failed("harness exit " + p.exitValue() + ": " + log.strip());
    Files.writeString(dir.resolve("harness.log"), log);
    Map<String, String> kv = parse(log);
    if (!kv.containsKey("cycles_last")) return OnlineResult.failed("no cycles in harness output: " + log.strip());
    byte[] rtl = Files.readAllBytes(outPath);
    int slotBytes = (int) OnlineBuffers.outputSlotBytes(fac, nOut);
    if (rtl.length != bins * slotBytes) {
      return OnlineResult.failed("harness wrote " + rtl.length + " bytes, want " + bins + " x " + slotBytes);
    }
    ByteBuffer bb = ByteBuffer.wrap(rtl).order(ByteOrder.LITTLE_ENDIAN);
    CycleModel.OnlinePrediction pred = CycleModel.predictOnline(img, lanes);
    FixedOnlineWindow window = new FixedOnlineWindow(new FixedLfads(img));
    FixedOutput o = FixedOutput.forImage(img);
    int[] want = new int[fac + nOut];
    long values = 0, bad = 0;
    String first = null;
    long statusCycles = -1;
    for (int b = 0; b < bins; b++) {
      if (b == reset || b == wholeTrial) window.reset();
      window.pushBin(stream[b]);
      window.inferNewest(o, want, 0);
      int base = b * slotBytes;
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
          {KernelContract.OS_SEQ, b + 3}, {KernelContract.OS_ERROR_CODE, KernelContract.ERR_NONE},
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
    values++;
    if (!"ok".equals(kv.get("error_checks"))) {
      bad++;
      if (first == null) first = "harness error checks did not report ok";
    }
    long runCycles = Long.parseLong(kv.get("cycles_last"));
    if (stall == 0) values++;
    if (stall == 0 && runCycles != pred.runCycles()) {
      bad++;
      if (first == null) {
        first = String.format(Locale.ROOT, "last run's CYCLES register %d, CycleModel.predictOnline %d", runCycles,
            pred.runCycles());
      }
    }
    return new OnlineResult(bins, values, bad, first, statusCycles, runCycles, pred, kv, null);
  }

  private Comparison compare(Case c, byte[] rtl) {
    KernelImage img = c.image();
    FixedLfads java = new FixedLfads(img);
    FixedOutput o = FixedOutput.forImage(img);
    int fac = img.facDim(), nOut = img.nOut(), per = img.tRec() * (fac + nOut);
    int outStride = roundUp(per * 4, KernelContract.BUFFER_ALIGN_BYTES);
    ByteBuffer bb = ByteBuffer.wrap(rtl).order(ByteOrder.LITTLE_ENDIAN);
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

  // ---------------------------------------------------------------------------------------------
  // harness discovery

  private List<HarnessInfo> findHarnesses() throws IOException, InterruptedException {
    List<Path> bins = new ArrayList<>();
    if (harness != null) {
      bins.add(harness);
    } else if (Files.isDirectory(harnessDir)) {
      try (Stream<Path> s = Files.list(harnessDir)) {
        s.filter(p -> p.getFileName().toString().startsWith("lfads_harness") && Files.isExecutable(p)
            && !p.getFileName().toString().contains(".")).sorted(Comparator.comparing(Path::toString)).forEach(bins::add);
      }
    }
    List<HarnessInfo> infos = new ArrayList<>();
    for (Path b : bins) {
      Process p = new ProcessBuilder(b.toString(), "--info").redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) continue;
      Map<String, String> kv = parse(log);
      try {
        infos.add(new HarnessInfo(b, i(kv, "data_width"), i(kv, "row_lanes"), i(kv, "col_lanes"), i(kv, "max_hidden"),
            i(kv, "max_tiles"), i(kv, "max_n_in"), i(kv, "max_n_out"), i(kv, "max_t_enc"), i(kv, "max_t_rec"),
            i(kv, "max_row_blocks")));
      } catch (RuntimeException e) {
        // not a harness of this version
      }
    }
    // prefer the largest MAC array (the default configuration)
    infos.sort(Comparator.comparingInt((HarnessInfo h) -> -h.rows() * h.cols()));
    return infos;
  }

  private static int i(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) throw new IllegalStateException("missing " + key);
    return Integer.parseInt(v.trim());
  }

  private static Map<String, String> parse(String log) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String line : log.split("\n")) {
      int c = line.indexOf(':');
      if (c > 0) kv.put(line.substring(0, c).trim(), line.substring(c + 1).trim());
    }
    return kv;
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

  private static int roundUp(int v, int a) {
    return (v + a - 1) / a * a;
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      // temporary files only
    }
  }
}
