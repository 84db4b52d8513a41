package org.lfadsrt.host.pipeline;

/** Latency stages recorded per bin (monotonic ns differences). */
public enum Stage {
  /** Bin complete at the source to accepted by the pipeline. */
  INGEST,
  /** Accepted to submitted to the backend (window assembly). */
  PREPARE,
  /** Backend compute. */
  COMPUTE,
  /** Backend done to published to every client channel (decode, encode, write). */
  PUBLISH,
  /** Bin complete at the source to published. */
  END_TO_END;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
