package org.lfadsrt.host.pipeline;

/**
 * One published result: the newest factors / rates / decoded behaviour for one bin, with its
 * sequence number and the monotonic timestamps of each stage. A single instance is reused for every
 * bin by the hot-path thread; sinks must copy what they keep before {@link ResultSink#publish} returns.
 */
public final class BinResult {
  /** The online window was not yet full (zero bins padded at its start). */
  public static final int FLAG_WINDOW_PARTIAL = 1;
  /** Produced by trial mode (whole-trial inference). */
  public static final int FLAG_TRIAL = 2;
  /** First bin of a trial. */
  public static final int FLAG_TRIAL_FIRST = 4;
  /** Last bin of a trial. */
  public static final int FLAG_TRIAL_LAST = 8;
  /** The inferred window holds a bin the source did not fully observe (SpikeSource.UNOBSERVED, NWB obs_intervals). */
  public static final int FLAG_UNOBSERVED = 16;

  /** Sequence number of published results, 0-based, without gaps unless bins were dropped. */
  public long seq;
  /** Source bin index of this result. */
  public long binIndex;
  /** Monotonic ns: bin complete at the source. */
  public long tSource;
  /** Monotonic ns: bin accepted by the pipeline. */
  public long tAccept;
  /** Monotonic ns: inference submitted to the backend. */
  public long tBackendStart;
  /** Monotonic ns: backend returned. */
  public long tBackendDone;
  /** Kernel cycles of the inference, or -1 when the backend has no cycle counter. */
  public long deviceCycles = -1;
  public int flags;
  public final float[] factors;
  public final float[] rates;
  public final float[] decoded;

  public BinResult(int facDim, int nOut, int decodedDim) {
    this.factors = new float[facDim];
    this.rates = new float[nOut];
    this.decoded = new float[decodedDim];
  }
}
