package org.lfadsrt.host.pipeline;

import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.metrics.Stage;
import org.lfadsrt.host.metrics.PipelineStats;
import java.nio.ByteBuffer;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.backend.OnlineInference;
import org.lfadsrt.host.backend.SpikeWindow;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.source.SpikeSource;

/**
 * Turns source events into published results. Owned by one thread (the hot path); every buffer is
 * allocated here, once: the spike window, the inference batch, the reused {@link BinResult}.
 *
 * <p>Online mode writes each bin once, saturated to 8 bits, into a {@link SpikeWindow} of the last T_enc bins
 * (zeros where the window is not yet full, flagged {@link BinResult#FLAG_WINDOW_PARTIAL}), pushes it to the
 * backend's online session ({@link InferenceBackend#openOnline(SpikeWindow)}), asks the session for the window and
 * publishes step T_enc-1 (the newest bin). Software, fixed and float sessions keep per-bin work (the encoders' input
 * projections) between windows; emu and xrt sessions push the bin's N_in bytes to the kernel's online mode, which
 * keeps the window's bins on chip and writes back only the newest step (backends without an online mode get a
 * {@link org.lfadsrt.host.backend.WholeWindowSession}, which copies the window oldest-first into the batch). The
 * results are those of whole-window inference either way. Trial mode writes up to
 * T_enc bins between markers straight into the batch, infers the trial zero-padded to T_enc, and publishes step t
 * for bin t of the trial.
 *
 * <p>Stage accounting: PREPARE ends when the bin is handed to the session; the session's own per-bin work (the
 * software sessions' projections, the device sessions' push, a whole-window session's copy) counts as COMPUTE.
 *
 * <p>Accounting: every bin that enters ends as one published result or one counted {@link DropReason}.
 */
public final class Pipeline {
  private InferenceBackend backend; // hot thread only; replaced between bins (replaceBackend)
  private final java.util.concurrent.atomic.AtomicReference<InferenceBackend> pendingBackend =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicReference<RidgeDecoder> pendingDecoder =
      new java.util.concurrent.atomic.AtomicReference<>();
  private volatile boolean stopped;
  private volatile long backendSwaps;
  private final Mode mode;
  private RidgeDecoder decoder;
  private final ResultSink sink;
  private final PipelineStats stats;
  private final ModelShape shape;
  private final InferenceBatch batch;
  private final SpikeWindow window; // online mode: the last T_enc bins
  private final BinResult result;
  private volatile org.lfadsrt.sim.model.Reconstruction recon; // written by the hot thread with the backend; same neurons always
  private final double[] meanScratch;
  private final ByteBuffer spikes;
  private final int nIn;
  private final int tEnc;
  private OnlineInference online; // online mode: the backend's session over `window` (never null there)
  private long binsSinceUnobserved = Long.MAX_VALUE / 2; // online: bins pushed since the last unobserved one
  private boolean trialUnobserved; // trial mode: the open trial holds an unobserved bin
  private long seq;
  private long lateNanos = -1;
  // trial mode
  private boolean inTrial;
  private int trialBins;
  private final long[] trialBinIndex;
  private final long[] trialSource;
  private final long[] trialAccept;

  public Pipeline(InferenceBackend backend, Mode mode, RidgeDecoder decoder, ResultSink sink, PipelineStats stats) {
    this.backend = backend;
    this.mode = mode;
    this.decoder = decoder;
    this.sink = sink;
    this.stats = stats;
    this.shape = backend.shape();
    if (decoder != null && decoder.inputDim() != shape.facDim()) {
      throw new IllegalArgumentException("decoder takes " + decoder.inputDim() + " inputs but the model has "
          + shape.facDim() + " factors");
    }
    this.nIn = shape.nIn();
    this.tEnc = shape.tEnc();
    this.batch = new InferenceBatch(shape, 1);
    batch.trials(1);
    this.spikes = batch.spikes();
    this.window = new SpikeWindow(tEnc, nIn);
    this.recon = backend.reconstruction();
    this.meanScratch = new double[recon.neurons()];
    this.result = new BinResult(shape.facDim(), recon.neurons(), decoder == null ? 0 : decoder.outputDim());
    this.trialBinIndex = new long[tEnc];
    this.trialSource = new long[tEnc];
    this.trialAccept = new long[tEnc];
    this.online = mode == Mode.ONLINE ? backend.openOnline(window) : null; // trial mode infers whole trials
  }

  /** An online session of {@code b} over the window, in step with it (its bins replayed oldest first). */
  private OnlineInference openPrimed(InferenceBackend b) {
    OnlineInference session = b.openOnline(window);
    window.replayInto(session);
    return session;
  }

  /**
   * Online mode: a bin accepted more than {@code nanos} after it completed at the source still enters
   * the window but is not inferred (dropped as {@link DropReason#LATE}), so an overloaded host catches
   * up instead of queueing ever older bins. 0 or less disables (every bin is inferred).
   */
  public Pipeline lateAfter(long nanos) {
    this.lateNanos = nanos;
    return this;
  }

  public ModelShape shape() { return shape; }
  public Mode mode() { return mode; }
  public PipelineStats stats() { return stats; }
  public RidgeDecoder decoder() { return decoder; }
  /** The backend the last bin ran on (a replacement takes effect at the next event). */
  public InferenceBackend backend() { return backend; }

  /**
   * Queues {@code next} to replace the backend between two events, on the hot-path thread: the bin being
   * inferred finishes on the old backend, the next one runs on the new one, so no accepted bin is lost.
   * The old backend is closed after the switch; a replacement queued but not yet applied is closed when
   * replaced again. Callable from any thread.
   *
   * @throws IllegalArgumentException when {@code next} has another shape (the window, the result layout
   *     and what clients were told in HANDSHAKE all depend on it)
   */
  public void replaceBackend(InferenceBackend next) {
    if (!next.shape().equals(shape)) {
      throw new IllegalArgumentException("backend " + next.name() + " has shape " + next.shape() + " but the stream has " + shape);
    }
    if (next.reconstruction().neurons() != recon.neurons()) {
      throw new IllegalArgumentException("backend " + next.name() + " reconstructs " + next.reconstruction().describe()
          + " but the stream publishes " + recon.describe());
    }
    InferenceBackend superseded = pendingBackend.getAndSet(next);
    if (superseded != null) superseded.close();
  }

  /** Queues a decoder with the same input and output dimensions as the current one to replace it between events. */
  public void replaceDecoder(RidgeDecoder next) {
    int outputs = decoder == null ? 0 : decoder.outputDim();
    if (next.inputDim() != shape.facDim() || next.outputDim() != outputs) {
      throw new IllegalArgumentException("decoder maps " + next.inputDim() + " -> " + next.outputDim() + " but the stream has "
          + shape.facDim() + " factors -> " + outputs + " decoded outputs");
    }
    pendingDecoder.set(next);
  }

  /** Replacements applied so far. */
  public long backendSwaps() {
    return backendSwaps;
  }

  /**
   * Operator stop/start: while stopped, bins still enter (the window keeps filling, the source is still
   * drained, so no backlog builds up) but are not inferred; each is counted as {@link DropReason#STOPPED}.
   */
  public void stopped(boolean on) {
    this.stopped = on;
  }

  public boolean stopped() {
    return stopped;
  }

  /** Applies queued replacements; hot-path thread, between events. Allocation-free when nothing is queued. */
  private void applyPending() {
    if (pendingBackend.get() != null) {
      InferenceBackend next = pendingBackend.getAndSet(null);
      if (next != null) {
        InferenceBackend old = backend;
        backend = next;
        recon = next.reconstruction();
        backendSwaps++;
        if (mode == Mode.ONLINE) online = openPrimed(next);
        if (old != next) old.close();
      }
    }
    if (pendingDecoder.get() != null) decoder = pendingDecoder.getAndSet(null);
  }

  /** A replacement queued but never applied (the run ended first); the owner closes it. */
  public InferenceBackend takePendingBackend() {
    return pendingBackend.getAndSet(null);
  }

  /**
   * Handles one source event ({@link SpikeSource} bits).
   *
   * @param counts   the bin's counts when {@code flags} has {@link SpikeSource#BIN}
   * @param binIndex source bin index
   * @param tSource  monotonic ns the bin was complete at the source
   */
  public void onEvent(int flags, int[] counts, long binIndex, long tSource) {
    long tAccept = System.nanoTime();
    applyPending();
    if (mode == Mode.TRIAL && (flags & SpikeSource.TRIAL_START) != 0) {
      if (inTrial && trialBins > 0) inferTrial(); // a start without an end closes the previous trial
      inTrial = true;
      trialUnobserved = false;
      trialBins = 0;
    }
    if ((flags & SpikeSource.BIN) != 0) {
      stats.binIn();
      stats.record(Stage.INGEST, tAccept - tSource);
      if (!validate(counts)) {
        stats.drop(DropReason.INVALID);
      } else if (mode == Mode.ONLINE) {
        binsSinceUnobserved = (flags & SpikeSource.UNOBSERVED) != 0 ? 0 : binsSinceUnobserved + 1;
        onlineBin(counts, binIndex, tSource, tAccept);
      } else {
        if ((flags & SpikeSource.UNOBSERVED) != 0 && inTrial) trialUnobserved = true;
        trialBin(counts, binIndex, tSource, tAccept);
      }
    }
    if (mode == Mode.TRIAL && (flags & SpikeSource.TRIAL_END) != 0 && inTrial) {
      inferTrial();
      inTrial = false;
      trialBins = 0;
    }
  }

  /**
   * End of stream: a trial still open (its end marker never came) is inferred with the bins it has, so
   * its bins are published rather than silently lost.
   */
  public void finish() {
    if (mode == Mode.TRIAL && inTrial && trialBins > 0) inferTrial();
    inTrial = false;
    trialBins = 0;
  }

  private boolean validate(int[] counts) {
    for (int c = 0; c < nIn; c++) if (counts[c] < 0) return false;
    return true;
  }

  /** Saturates to the 8-bit input range of the backends, counting every clipped count. */
  private byte saturate(int count) {
    if (count > 255) {
      stats.saturated();
      return (byte) 255;
    }
    return (byte) count;
  }

  private void onlineBin(int[] counts, long binIndex, long tSource, long tAccept) {
    int base = window.claim();
    byte[] bins = window.array();
    for (int c = 0; c < nIn; c++) bins[base + c] = saturate(counts[c]);
    boolean late = lateNanos > 0 && tAccept - tSource > lateNanos;
    // a stopped or late bin is not inferred but still enters the window
    if (stopped || late) {
      online.pushBin(bins, base);
      stats.drop(stopped ? DropReason.STOPPED : DropReason.LATE);
      return;
    }
    sink.resultExpected();
    result.tBackendStart = System.nanoTime();
    stats.record(Stage.PREPARE, result.tBackendStart - tAccept);
    try {
      online.pushBin(bins, base); // the bin's per-bin work counts as compute
      online.inferWindow(batch);
    } catch (BackendException e) {
      stats.drop(DropReason.BACKEND_FAULT);
      return;
    }
    result.tBackendDone = System.nanoTime();
    stats.record(Stage.COMPUTE, result.tBackendDone - result.tBackendStart);
    result.deviceCycles = backend.lastDeviceCycles();
    stats.recordDeviceCycles(result.deviceCycles);
    result.flags = (window.full() ? 0 : BinResult.FLAG_WINDOW_PARTIAL)
        | (binsSinceUnobserved < tEnc ? BinResult.FLAG_UNOBSERVED : 0);
    publishStep(tEnc - 1, binIndex, tSource, tAccept);
  }

  private void trialBin(int[] counts, long binIndex, long tSource, long tAccept) {
    if (stopped) {
      stats.drop(DropReason.STOPPED);
      return;
    }
    if (!inTrial) {
      stats.drop(DropReason.OUTSIDE_TRIAL);
      return;
    }
    if (trialBins == tEnc) {
      stats.drop(DropReason.TRIAL_OVERFLOW);
      return;
    }
    int base = trialBins * nIn;
    for (int c = 0; c < nIn; c++) spikes.put(base + c, saturate(counts[c]));
    trialBinIndex[trialBins] = binIndex;
    trialSource[trialBins] = tSource;
    trialAccept[trialBins] = tAccept;
    trialBins++;
  }

  private void inferTrial() {
    // the trial's bins are already in the batch (trialBin wrote them there); zero-pad to T_enc
    for (int i = trialBins * nIn; i < tEnc * nIn; i++) spikes.put(i, (byte) 0);
    result.tBackendStart = System.nanoTime();
    stats.record(Stage.PREPARE, result.tBackendStart - trialAccept[trialBins - 1]);
    try {
      backend.infer(batch);
    } catch (BackendException e) {
      for (int t = 0; t < trialBins; t++) stats.drop(DropReason.BACKEND_FAULT);
      return;
    }
    result.tBackendDone = System.nanoTime();
    stats.record(Stage.COMPUTE, result.tBackendDone - result.tBackendStart);
    result.deviceCycles = backend.lastDeviceCycles();
    stats.recordDeviceCycles(result.deviceCycles);
    for (int t = 0; t < trialBins; t++) {
      result.flags = BinResult.FLAG_TRIAL | (trialUnobserved ? BinResult.FLAG_UNOBSERVED : 0) | (t == 0 ? BinResult.FLAG_TRIAL_FIRST : 0)
          | (t == trialBins - 1 ? BinResult.FLAG_TRIAL_LAST : 0);
      publishStep(t, trialBinIndex[t], trialSource[t], trialAccept[t]);
    }
  }

  private void publishStep(int step, long binIndex, long tSource, long tAccept) {
    int facDim = shape.facDim();
    float[] f = result.factors;
    for (int k = 0; k < facDim; k++) f[k] = (float) batch.factor(0, step, k);
    // rates = the reconstruction distribution's mean (exp(log-rates) for Poisson) of trial 0's step
    recon.means(batch.logrates(), step * shape.nOut(), result.rates, meanScratch);
    if (decoder != null) decoder.apply(f, result.decoded);
    result.seq = seq++;
    result.binIndex = binIndex;
    result.tSource = tSource;
    result.tAccept = tAccept;
    sink.publish(result);
    long done = System.nanoTime();
    stats.published();
    stats.record(Stage.PUBLISH, done - result.tBackendDone);
    stats.record(Stage.END_TO_END, done - tSource);
  }
}
