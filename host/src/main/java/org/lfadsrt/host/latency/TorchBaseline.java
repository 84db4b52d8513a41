package org.lfadsrt.host.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

/**
 * PyTorch CPU baseline: runs scripts/bench_torch_windows.py (Debian's torch through /usr/bin/python3,
 * one thread, batch 1) on the same model (saved as a model file) and the same windows (saved as .npy),
 * and reads its JSON (per-window wall and thread-CPU percentiles).
 */
final class TorchBaseline {
  /** Percentiles in nanoseconds; {@code note} explains a skipped baseline. */
  record Result(String dtype, long count, long p50, long p90, long p99, long max, long cpuP50, String torchVersion) {}

  private TorchBaseline() {}

  /**
   * @return results per dtype (float64, float32)
   * @throws IOException with the reason when the baseline cannot run (no python, no torch, no script)
   */
  static List<Result> run(String python, Path script, LfadsModel model, byte[][] windows, int nIn, int tEnc, int warmup,
      Path workDir) throws IOException, InterruptedException {
    if (!Files.isRegularFile(script)) throw new IOException("PyTorch script " + script + " not found (run from the repository root)");
    Path modelFile = workDir.resolve("torch-model.npz");
    Path spikesFile = workDir.resolve("torch-windows.npy");
    Path outFile = workDir.resolve("torch-result.json");
    ModelFile.save(model, modelFile);
    double[] flat = new double[windows.length * tEnc * nIn];
    for (int i = 0; i < windows.length; i++) {
      for (int j = 0; j < tEnc * nIn; j++) flat[i * tEnc * nIn + j] = windows[i][j] & 0xFF;
    }
    Npy.write(spikesFile, NdArray.ofDoubles(flat, windows.length, tEnc, nIn));
    Process p = new ProcessBuilder(python, script.toString(), "--model", modelFile.toString(), "--windows",
        spikesFile.toString(), "--warmup", Integer.toString(warmup), "--out", outFile.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("PyTorch baseline timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException("PyTorch baseline failed (exit " + p.exitValue() + "): " + lastLines(log, 4));
    }
    JsonNode root = new ObjectMapper().readTree(outFile.toFile());
    List<Result> out = new ArrayList<>();
    for (String dtype : new String[] {"float64", "float32"}) {
      JsonNode r = root.path("results").path(dtype);
      if (r.isMissingNode()) continue;
      out.add(new Result(dtype, r.path("count").asLong(), r.path("p50_ns").asLong(), r.path("p90_ns").asLong(),
          r.path("p99_ns").asLong(), r.path("max_ns").asLong(), r.path("cpu_p50_ns").asLong(), root.path("torch").asText()));
    }
    Files.deleteIfExists(modelFile);
    Files.deleteIfExists(spikesFile);
    return out;
  }

  private static String lastLines(String s, int n) {
    String[] lines = s.strip().split("\n");
    return String.join(" | ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
  }
}
