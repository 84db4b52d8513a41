package org.lfadsrt.host.metrics;

/**
 * Latency stages (monotonic ns differences). The pipeline stages are recorded once per bin on the hot
 * path; {@link #ENCODE}, {@link #SOCKET_WRITE}, {@link #TO_SOCKET} and {@link #HOST_OVERHEAD} once per bin
 * and binary client, on the Netty event loop when the RESULT frame has been written to the client's socket
 * (org.lfadsrt.host.server.SocketWriteTimestamps). Timestamps: t0 bin complete at the source, t1
 * accepted, t2 submitted to the backend, t3 backend done, t4 frame encoded for a client, t5 frame written
 * to that client's socket.
 */
public enum Stage {
  /** Bin complete at the source to accepted by the pipeline. */
  INGEST,
  /** Accepted to submitted to the backend (window assembly). */
  PREPARE,
  /** Backend compute. */
  COMPUTE,
  /** Backend done to published to every client channel (decode, encode, write). */
  PUBLISH,
  /** Bin complete at the source to published (t0 to every client's frame handed to Netty). */
  END_TO_END,
  /** Device compute from the backend's cycle counter at the configured clock (backends with a counter only). */
  DEVICE,
  /** Backend done to the RESULT frame encoded for a client (t4 - t3, per client). */
  ENCODE,
  /** Frame encoded to written to the client's socket (t5 - t4, per client: event-loop hand-off and write). */
  SOCKET_WRITE,
  /** Bin complete at the source to written to a client's socket (t5 - t0, per client). */
  TO_SOCKET,
  /** Host overhead: source to socket minus backend compute ((t5 - t0) - (t3 - t2), per client). */
  HOST_OVERHEAD;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
