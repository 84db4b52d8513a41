package org.lfadsrt.host.backend;

/**
 * An online session on a backend (optional capability, {@link InferenceBackend#openOnline()}): the caller pushes
 * each bin once as it arrives and asks for the sliding window of the last T_enc bins, so the backend can keep the
 * work that depends on one bin only between windows instead of recomputing the whole window. The software and float
 * backends keep every encoder GRU's input projection {@code W_ih x_t + b_ih} per bin in a ring of T_enc slots; the
 * encoder recurrences (they restart from h0 at each window's oldest bin) and the decoder are recomputed per window.
 * Outputs are those of {@link InferenceBackend#infer} on the same window: bit for bit on the fixed-point backends.
 *
 * <p>One thread drives a session, the same one that would call {@code infer}; a session shares its backend's work
 * buffers. Nothing is allocated per bin.
 */
public interface OnlineInference {

  /**
   * Appends one bin: {@code N_in} unsigned 8-bit counts at {@code counts[off ..]} (the caller saturates larger
   * counts and counts them, as for {@link InferenceBatch#spike}). Before T_enc bins have been pushed the window
   * starts with all-zero bins.
   */
  void pushBin(byte[] counts, int off);

  /**
   * Infers the window of the last T_enc pushed bins, oldest first, into trial 0 of {@code batch}'s outputs (factors,
   * log-rates, and the raw words when the backend produces them). {@code batch} must hold one trial; its spike
   * buffer may be used as scratch.
   *
   * @throws BackendException as {@link InferenceBackend#infer}
   */
  void inferWindow(InferenceBatch batch) throws BackendException;

  /** Forgets every pushed bin (the window is all zeros again). */
  void reset();
}
