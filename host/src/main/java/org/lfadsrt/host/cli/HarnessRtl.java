package org.lfadsrt.host.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lfadsrt.sim.contract.KernelContract;
import org.lfadsrt.sim.contract.OnlineBuffers;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * cosim's RTL in the Verilated harness binaries (hdl/harness/lfads_harness.cpp, built by hdl/Makefile): per case the
 * image, the inputs and the outputs go through files in a work directory (kept with {@code --keep}), and the harness
 * runs as a subprocess; its {@code --info} tells each binary's configuration. Before an online stream the harness checks
 * the status blocks of two failing online runs (no image loaded, then NUM_TRIALS 0), so the stream's SEQ starts at 3.
 */
final class HarnessRtl implements CosimRtl {
  private record Harness(Path path, KernelConfig config) {}

  private final List<Harness> harnesses;
  private final Path work;
  private final boolean keep;
  private final int stall;
  private final long seed;
  private final int slots;

  private HarnessRtl(List<Harness> harnesses, Path work, boolean keep, int stall, long seed, int slots) {
    this.harnesses = harnesses;
    this.work = work;
    this.keep = keep;
    this.stall = stall;
    this.seed = seed;
    this.slots = slots;
  }

  /** The harnesses found ({@code harness} alone, else every lfads_harness* in {@code dir}); null when there is none. */
  static HarnessRtl find(Path dir, Path harness, Path keep, int stall, long seed, int slots)
      throws IOException, InterruptedException {
    List<Path> bins = new ArrayList<>();
    if (harness != null) {
      bins.add(harness);
    } else if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().startsWith("lfads_harness") && Files.isExecutable(p)
            && !p.getFileName().toString().contains(".")).sorted(Comparator.comparing(Path::toString)).forEach(bins::add);
      }
    }
    List<Harness> found = new ArrayList<>();
    for (Path b : bins) {
      Process p = new ProcessBuilder(b.toString(), "--info").redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) continue;
      try {
        found.add(new Harness(b, KernelConfig.of(parse(log), null)));
      } catch (RuntimeException e) {
        // not a harness of this version
      }
    }
    if (found.isEmpty()) return null;
    // prefer the largest MAC array (the default configuration)
    found.sort(Comparator.comparingInt((Harness h) -> -h.config().rows() * h.config().cols()));
    Path work = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("lfads-cosim");
    return new HarnessRtl(found, work, keep != null, stall, seed, slots);
  }

  @Override
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (Harness h : harnesses) lines.add("harness " + h.path() + ": " + h.config().summary());
    return lines;
  }

  @Override
  public KernelConfig configFor(KernelImage image) {
    return harnesses.stream().map(Harness::config).filter(k -> k.whyNot(image) == null).findFirst().orElse(null);
  }

  @Override
  public String skipReason(KernelImage image) {
    return "no harness for W=" + image.dataWidth() + " with memories this large";
  }

  private Path binary(KernelConfig k) {
    return harnesses.stream().filter(h -> h.config() == k).findFirst().orElseThrow().path();
  }

  private Path caseDir(CosimCommand.Case c) throws IOException {
    return Files.createDirectories(work.resolve(c.name().replaceAll("[^A-Za-z0-9_.-]", "_")));
  }

  /** The harness's arguments every run shares: image, memory timing, seed. */
  private List<String> command(KernelConfig k, Path image) {
    return new ArrayList<>(List.of(binary(k).toString(), "--image", image.toString(), "--latency",
        Integer.toString(CosimCommand.MEMORY_LATENCY), "--stall", Integer.toString(stall), "--seed", Long.toString(seed),
        "--quiet"));
  }

  /** Runs the harness; its log's {@code key: value} lines, or null with {@code error[0]} set. */
  private static Map<String, String> execute(List<String> cmd, Path dir, String[] error)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(1, TimeUnit.HOURS)) {
      p.destroyForcibly();
      error[0] = "harness timed out";
      return null;
    }
    if (p.exitValue() != 0) {
      error[0] = "harness exit " + p.exitValue() + ": " + log.strip();
      return null;
    }
    Files.writeString(dir.resolve("harness.log"), log);
    return parse(log);
  }

  @Override
  public TrialRun runTrials(CosimCommand.Case c, KernelConfig k) throws IOException, InterruptedException {
    KernelImage img = c.image();
    int inStride = CosimCommand.roundUp(img.tEnc() * img.nIn(), KernelContract.BUFFER_ALIGN_BYTES);
    byte[] input = new byte[inStride * c.trials().length];
    for (int t = 0; t < c.trials().length; t++) CosimCommand.putTrial(c.trials()[t], input, t * inStride);
    Path dir = caseDir(c);
    Path imgPath = dir.resolve("model.img"), inPath = dir.resolve("input.bin"), outPath = dir.resolve("out.bin");
    img.write(imgPath);
    Files.write(inPath, input);
    List<String> cmd = command(k, imgPath);
    cmd.addAll(List.of("--input", inPath.toString(), "--trials", Integer.toString(c.trials().length), "--out",
        outPath.toString()));
    String[] error = new String[1];
    Map<String, String> kv = execute(cmd, dir, error);
    if (kv == null) return TrialRun.failed(error[0]);
    if (!kv.containsKey("cycles")) return TrialRun.failed("no cycles in harness output: " + kv);
    int outStride = CosimCommand.roundUp(img.tRec() * (img.facDim() + img.nOut()) * 4, KernelContract.BUFFER_ALIGN_BYTES);
    return new TrialRun(Files.readAllBytes(outPath), outStride, Long.parseLong(kv.get("cycles")), null);
  }

  @Override
  public OnlineRun runOnline(CosimCommand.Case c, CosimCommand.OnlinePlan plan, KernelConfig k)
      throws IOException, InterruptedException {
    KernelImage img = c.image();
    int nIn = img.nIn();
    byte[] input = new byte[plan.bins() * nIn];
    for (int b = 0; b < plan.bins(); b++) CosimCommand.putBin(plan.stream()[b], input, b * nIn);
    Path dir = caseDir(c);
    Path imgPath = dir.resolve("model.img"), inPath = dir.resolve("bins.bin"), outPath = dir.resolve("out.bin");
    img.write(imgPath);
    Files.write(inPath, input);
    List<String> cmd = command(k, imgPath);
    cmd.addAll(List.of("--online", "--input", inPath.toString(), "--bins", Integer.toString(plan.bins()), "--slots",
        Integer.toString(slots), "--out", outPath.toString(), "--error-checks"));
    if (plan.resetBin() >= 0) cmd.addAll(List.of("--reset-at", Integer.toString(plan.resetBin())));
    if (plan.wholeTrialBin() >= 0) cmd.addAll(List.of("--whole-trial-at", Integer.toString(plan.wholeTrialBin())));
    String[] error = new String[1];
    Map<String, String> kv = execute(cmd, dir, error);
    if (kv == null) return OnlineRun.failed(error[0]);
    if (!kv.containsKey("cycles_last")) return OnlineRun.failed("no cycles in harness output: " + kv);
    byte[] rtl = Files.readAllBytes(outPath);
    int slotBytes = (int) OnlineBuffers.outputSlotBytes(img.facDim(), img.nOut());
    if (rtl.length != plan.bins() * slotBytes) {
      return OnlineRun.failed("harness wrote " + rtl.length + " bytes, want " + plan.bins() + " x " + slotBytes);
    }
    return new OnlineRun(rtl, slotBytes, 3, Long.parseLong(kv.get("cycles_last")),
        kv.getOrDefault("error_checks", "not reported"), kv.get("reg_writes_per_bin_max"), kv.get("reg_reads_per_bin"),
        null);
  }

  @Override
  public void close() {
    if (keep) return;
    try (Stream<Path> s = Files.walk(work)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      // temporary files only
    }
  }

  static Map<String, String> parse(String log) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String line : log.split("\n")) {
      int c = line.indexOf(':');
      if (c > 0) kv.put(line.substring(0, c).trim(), line.substring(c + 1).trim());
    }
    return kv;
  }
}
