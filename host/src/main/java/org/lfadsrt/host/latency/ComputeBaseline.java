package org.lfadsrt.host.latency;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.BusCounters;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.NativeBackend;
import org.lfadsrt.host.backend.OnlineInference;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.SyntheticSource;

/**
 * Compute-only baseline: one backend inferring the same online windows the live run sees (batch 1),
 * timed per call in wall-clock and thread-CPU nanoseconds, plus device time for backends with a cycle
 * counter. No source, no network: what the backend alone costs per bin. A backend with an online session
 * ({@link InferenceBackend#openOnline}) is timed as the live pipeline drives it: push the window's newest bin,
 * infer the window (consecutive windows, so the session holds exactly window i); others infer each whole window.
 */
final class ComputeBaseline {
  private static final long HIGHEST_NS = 60_000_000_000L;

  /**
   * Per-call wall, thread-CPU and device histograms; the bus cost of the last timed window (every driver call of it: for
   * an online session, submit + wait; null without a device) and the device's description.
   */
  record Result(String backend, Histogram wall, Histogram cpu, Histogram device, BusCounters busPerCall, String deviceDescription,
      long cyclesMedian) {
    Result(String backend, Histogram wall, Histogram cpu, Histogram device, BusCounters busPerCall, String deviceDescription) {
      this(backend, wall, cpu, device, busPerCall, deviceDescription, -1);
    }
  }

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
    return measure(backend, windows, warmup, warmupNanos, deviceClockHz, true);
  }

  /** As above; {@code useOnline = false} infers whole windows even on a backend with an online session. */
  static Result measure(InferenceBackend backend, byte[][] windows, int warmup, long warmupNanos, double deviceClockHz,
      boolean useOnline) throws BackendException {
    InferenceBatch batch = new InferenceBatch(backend.shape(), 1);
    batch.trials(1);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
    Histogram wall = new Histogram(1, HIGHEST_NS, 3);
    Histogram cpu = new Histogram(1, HIGHEST_NS, 3);
    Histogram device = new Histogram(1, HIGHEST_NS, 3);
    OnlineInference online = useOnline ? backend.openOnline() : null;
    NativeBackend device0 = backend instanceof NativeBackend n ? n : null;
    BusCounters before = null, after = null;
    int nIn = backend.shape().nIn(), newest = (backend.shape().tEnc() - 1) * nIn;
    // Warm-up (JIT): at least `warmup` calls and at least `warmupNanos`, at most 20000 calls.
    long warmStart = System.nanoTime();
    if (online != null) prime(online, windows[0], newest, nIn);
    int warmed = 0;
    for (; warmed < 20_000 && (warmed < warmup || System.nanoTime() - warmStart < warmupNanos); warmed++) {
      inferOne(backend, online, batch, windows[warmed % windows.length], newest);
    }
    // A device session's first window fills the kernel's ring (T_enc kernel runs): not timed. When the warm-up stayed
    // within the windows (a device: few, slow calls), the session is in step: time the windows after it.
    int first = 0;
    if (online != null && device0 != null && warmed > 0 && warmed < windows.length) {
      first = warmed;
    } else if (online != null && device0 != null && windows.length > 1) {
      prime(online, windows[0], newest, nIn);
      inferOne(backend, online, batch, windows[0], newest);
      first = 1;
    } else if (online != null) {
      prime(online, windows[0], newest, nIn);
    }
    long[] cycleCounts = new long[windows.length];
    java.util.Arrays.fill(cycleCounts, -1);
    for (int i = first; i < windows.length; i++) {
      byte[] w = windows[i];
      long c0 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
      if (device0 != null && i == windows.length - 1) before = device0.totalCounters();
      long t0 = System.nanoTime();
      inferOne(backend, online, batch, w, newest);
      long t1 = System.nanoTime();
      if (device0 != null && i == windows.length - 1) after = device0.totalCounters();
      long c1 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
      wall.recordValue(Math.max(1, t1 - t0));
      if (cpuTime) cpu.recordValue(Math.max(1, c1 - c0));
      long cycles = backend.lastDeviceCycles();
      cycleCounts[i] = cycles;
      if (cycles >= 0) device.recordValue(Math.max(1, (long) (cycles * 1e9 / deviceClockHz)));
    }
    BusCounters bus = before != null && after != null ? minus(after, before) : backend.lastCallCounters();
    long[] timed = java.util.Arrays.stream(cycleCounts, first, windows.length).filter(c -> c >= 0).sorted().toArray();
    long cyclesMedian = timed.length == 0 ? -1 : timed[timed.length / 2];
    return new Result(backend.name(), wall, cpu, device, bus, backend.deviceDescription(), cyclesMedian);
  }

  private static BusCounters minus(BusCounters a, BusCounters b) {
    return new BusCounters(a.regReads() - b.regReads(), a.regWrites() - b.regWrites(), a.syncsToDevice() - b.syncsToDevice(),
        a.bytesToDevice() - b.bytesToDevice(), a.syncsFromDevice() - b.syncsFromDevice(), a.bytesFromDevice() - b.bytesFromDevice(),
        a.kernelRuns() - b.kernelRuns());
  }

  /** A fresh session holding all but the newest bin of {@code first}: pushing that bin gives window 0. */
  private static void prime(OnlineInference online, byte[] first, int newest, int nIn) {
    online.reset();
    for (int off = 0; off < newest; off += nIn) online.pushBin(first, off);
  }

  /**
   * One bin's compute as the live pipeline counts it: with a session, push the window's newest bin and infer (the push
   * is compute too); without one, copy the window into {@code batch} and infer it (the pipeline's whole-window session
   * does the same copy inside COMPUTE).
   */
  private static void inferOne(InferenceBackend backend, OnlineInference online, InferenceBatch batch, byte[] w, int newest)
      throws BackendException {
    if (online != null) {
      online.pushBin(w, newest);
      online.inferWindow(batch);
    } else {
      batch.spikes().put(0, w, 0, w.length);
      backend.infer(batch);
    }
  }
}
