package org.lfadsrt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.OnlineInference;
import org.lfadsrt.host.backend.SoftwareBackend;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

/**
 * Per-bin thread CPU time (median) of online mode's two paths, interleaved bin by bin so that the load of a shared
 * machine hits both alike: the companion of OnlineWindowBench's wall-clock figures. For each model and backend
 * (software, float) one backend instance infers every window whole (ring copied into the batch, {@code infer}) and a
 * second one through its online session (the bin pushed once, the window inferred from cached projections); the
 * two outputs are checked equal at every bin.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.lfadsrt.bench.OnlineCpuTime GOLDEN_DIR BINS MODEL...};
 * prints one JSON object.
 */
public final class OnlineCpuTime {
  private OnlineCpuTime() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int bins = Integer.parseInt(args[1]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder json = new StringBuilder("{");
    for (int a = 2; a < args.length; a++) {
      String name = args[a];
      LfadsModel m = ModelFile.load(dir.resolve(name).resolve("model.npz"));
      LfadsConfig c = m.config();
      NdArray spikes = NpzReader.open(dir.resolve(name).resolve("golden.npz")).array("spikes");
      int tEnc = c.encodSeqLen(), nIn = c.encodDataDim(), n = spikes.dim(0), nBins = n * tEnc;
      byte[] stream = new byte[nBins * nIn];
      int[][][] calib = new int[n][tEnc][nIn];
      for (int i = 0; i < stream.length; i++) {
        int v = (int) Math.min(255, spikes.getLong(i));
        stream[i] = (byte) v;
        calib[i / (tEnc * nIn)][(i / nIn) % tEnc][i % nIn] = v;
      }
      KernelImage img = Quantizer.quantize(m, calib, 16);
      if (a > 2) json.append(", ");
      json.append('"').append(name).append("\": {");
      String[] kinds = {"software", "float"};
      for (int k = 0; k < kinds.length; k++) {
        InferenceBackend whole = k == 0 ? new SoftwareBackend(img) : new FloatBackend(m);
        InferenceBackend reuse = k == 0 ? new SoftwareBackend(img) : new FloatBackend(m);
        OnlineInference session = reuse.openOnline();
        InferenceBatch wb = new InferenceBatch(whole.shape(), 1), rb = new InferenceBatch(reuse.shape(), 1);
        Paths p = new Paths(whole, wb, session, rb, stream, nBins, tEnc, nIn, mx, name + " " + kinds[k]);
        long warmEnd = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < warmEnd) p.bin();
        double[][] cpu = new double[2][bins];
        for (int j = 0; j < bins; j++) {
          p.bin();
          cpu[0][j] = p.wholeNanos / 1e3;
          cpu[1][j] = p.reuseNanos / 1e3;
        }
        for (double[] v : cpu) Arrays.sort(v);
        double f = cpu[0][bins / 2], r = cpu[1][bins / 2];
        if (k > 0) json.append(", ");
        json.append(String.format("\"%s\": {\"full_window_cpu_median_us\": %.1f, \"reuse_cpu_median_us\": %.1f, "
            + "\"ratio\": %.3f, \"bins\": %d}", kinds[k], f, r, f / r, bins));
      }
      json.append('}');
    }
    System.out.println(json.append("}"));
  }

  /** Both paths over the same stream, one bin at a time, alternating which goes first. */
  private static final class Paths {
    final InferenceBackend whole;
    final InferenceBatch wb, rb;
    final OnlineInference session;
    final byte[] stream, ring;
    final int nBins, tEnc, nIn;
    final ThreadMXBean mx;
    final String what;
    int next, ringNext;
    long wholeNanos, reuseNanos;

    Paths(InferenceBackend whole, InferenceBatch wb, OnlineInference session, InferenceBatch rb, byte[] stream,
        int nBins, int tEnc, int nIn, ThreadMXBean mx, String what) {
      this.whole = whole;
      this.wb = wb;
      this.session = session;
      this.rb = rb;
      this.stream = stream;
      this.ring = new byte[tEnc * nIn];
      this.nBins = nBins;
      this.tEnc = tEnc;
      this.nIn = nIn;
      this.mx = mx;
      this.what = what;
    }

    void bin() throws Exception {
      int off = next * nIn;
      next = next + 1 == nBins ? 0 : next + 1;
      if ((next & 1) == 0) {
        long c0 = mx.getCurrentThreadCpuTime();
        wholeWindow(off);
        long c1 = mx.getCurrentThreadCpuTime();
        reuse(off);
        long c2 = mx.getCurrentThreadCpuTime();
        wholeNanos = c1 - c0;
        reuseNanos = c2 - c1;
      } else {
        long c0 = mx.getCurrentThreadCpuTime();
        reuse(off);
        long c1 = mx.getCurrentThreadCpuTime();
        wholeWindow(off);
        long c2 = mx.getCurrentThreadCpuTime();
        reuseNanos = c1 - c0;
        wholeNanos = c2 - c1;
      }
      double dw = wb.factor(0, tEnc - 1, 0), dr = rb.factor(0, tEnc - 1, 0);
      if (Math.abs(dw - dr) > 1e-12) throw new IllegalStateException(what + ": paths disagree, " + dw + " vs " + dr);
    }

    void reuse(int off) throws Exception {
      session.pushBin(stream, off);
      session.inferWindow(rb);
    }

    void wholeWindow(int off) throws Exception {
      System.arraycopy(stream, off, ring, ringNext * nIn, nIn);
      ringNext = ringNext + 1 == tEnc ? 0 : ringNext + 1;
      int tail = (tEnc - ringNext) * nIn;
      wb.spikes().put(0, ring, ringNext * nIn, tail);
      wb.spikes().put(tail, ring, 0, ringNext * nIn);
      whole.infer(wb);
    }
  }
}
