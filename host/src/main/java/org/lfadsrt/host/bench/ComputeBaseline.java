package org.lfadsrt.host.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.SyntheticSource;

/**
 * Compute-only baseline: one backend inferring the same online windows the live run sees (batch 1),
 * timed per call in wall-clock and thread-CPU nanoseconds, plus device time for backends with a cycle
 * counter. No source, no network: what the backend alone costs per bin.
 */
final class ComputeBaseline {
  private static final long HIGHEST_NS = 60_000_000_000L;

  /** Per-call wall, thread-CPU and device histograms. */
  record Result(String backend, Histogram wall, Histogram cpu, Histogram device) {}

  private ComputeBaseline() {}

  /**
   * The online windows of a seeded synthetic recording: window i holds bins i .. i + T_enc - 1, counts
   * saturated to 8 bits as the pipeline does. Same generator and seed as the live run's source.
   */
  static byte[][] windows(int nIn, int tEnc, long binWidthNanos, long seed, int count) {
    int bins = count + tEnc - 1;
    byte[] all = new byte[bins * nIn];
    int[] counts = new int[nIn];
    try (SyntheticSource source = new SyntheticSource(nIn, binWidthNanos, false, seed, bins, 0)) {
      for (int b = 0; b < bins; b++) {
        if (source.next(counts) == SpikeSource.END_OF_STREAM) throw new IllegalStateException("synthetic source ended early");
        for (int c = 0; c < nIn; c++) all[b * nIn + c] = (byte) Math.min(255, Math.max(0, counts[c]));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating windows", e);
    }
    byte[][] w = new byte[count][tEnc * nIn];
    for (int i = 0; i < count; i++) System.arraycopy(all, i * nIn, w[i], 0, tEnc * nIn);
    return w;
  }

  static Result measure(InferenceBackend backend, byte[][] windows, int warmup, long warmupNanos, double deviceClockHz)
      throws BackendException {
    InferenceBatch batch = new InferenceBatch(backend.shape(), 1);
    batch.trials(1);
    ByteBuffer spikes = batch.spikes();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
    Histogram wall = new Histogram(1, HIGHEST_NS, 3);
    Histogram cpu = new Histogram(1, HIGHEST_NS, 3);
    Histogram device = new Histogram(1, HIGHEST_NS, 3);
    // Warm-up (JIT): at least `warmup` calls and at least `warmupNanos`, at most 20000 calls.
    long warmStart = System.nanoTime();
    for (int i = 0; i < 20_000 && (i < warmup || System.nanoTime() - warmStart < warmupNanos); i++) {
      byte[] w = windows[i % windows.length];
      spikes.put(0, w, 0, w.length);
      backend.infer(batch);
    }
    for (int i = 0; i < windows.length; i++) {
      byte[] w = windows[i];
      spikes.put(0, w, 0, w.length);
      long c0 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
      long t0 = System.nanoTime();
      backend.infer(batch);
      long t1 = System.nanoTime();
      long c1 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
      wall.recordValue(Math.max(1, t1 - t0));
      if (cpuTime) cpu.recordValue(Math.max(1, c1 - c0));
      long cycles = backend.lastDeviceCycles();
      if (cycles >= 0) device.recordValue(Math.max(1, (long) (cycles * 1e9 / deviceClockHz)));
    }
    return new Result(backend.name(), wall, cpu, device);
  }
}
