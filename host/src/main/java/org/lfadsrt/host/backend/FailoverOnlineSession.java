package org.lfadsrt.host.backend;

/**
 * {@link FailoverBackend}'s online session. It keeps its own ring of the last T_enc bins (raw counts) so that it can
 * always infer a window whole, and drives the online session of whichever backend is active:
 *
 * <ul>
 *   <li>active backend with an online session: bins are pushed to it as they arrive and windows reuse its per-bin work;
 *   <li>active backend without one (emu, xrt: the kernel takes a whole window): the ring is copied oldest-first into
 *       the batch and the backend infers the window;
 *   <li>a device fault on the primary: {@link FailoverBackend#failOver} switches, the failed window is re-run whole on
 *       the fallback (so the bin is not lost), and from the next window on the fallback's online session is used,
 *       first primed by replaying the ring (zero bins included: a zero bin projects like the empty start).
 * </ul>
 *
 * <p>Only the active backend's session receives bins, so per-bin work is not done twice. Allocates nothing per bin.
 */
final class FailoverOnlineSession implements OnlineInference {
  private final FailoverBackend owner;
  private final OnlineInference primarySession, fallbackSession;
  private final int tEnc, nIn;
  private final byte[] ring; // T_enc x N_in, slot `next` is the oldest bin
  private int next;
  /** The backend whose session is in step with the ring (receives pushes), or null. */
  private InferenceBackend synced;

  FailoverOnlineSession(FailoverBackend owner) {
    this.owner = owner;
    this.primarySession = owner.primary().openOnline();
    this.fallbackSession = owner.fallback().openOnline();
    ModelShape shape = owner.shape();
    this.tEnc = shape.tEnc();
    this.nIn = shape.nIn();
    this.ring = new byte[tEnc * nIn];
    this.synced = primarySession != null ? owner.primary() : null;
  }

  private OnlineInference sessionOf(InferenceBackend b) {
    if (b == owner.primary()) return primarySession;
    if (b == owner.fallback()) return fallbackSession;
    return null;
  }

  @Override
  public void pushBin(byte[] counts, int off) {
    System.arraycopy(counts, off, ring, next * nIn, nIn);
    next = next + 1 == tEnc ? 0 : next + 1;
    if (synced != null) {
      // a session that misses a bin (the active backend changed) is out of step until primed again
      if (synced == owner.active()) sessionOf(synced).pushBin(counts, off);
      else synced = null;
    }
  }

  @Override
  public void inferWindow(InferenceBatch batch) throws BackendException {
    InferenceBackend active = owner.beginCall();
    OnlineInference session = sessionOf(active);
    if (session != null && synced != active) prime(active, session);
    try {
      if (session != null) {
        session.inferWindow(batch);
      } else {
        inferWhole(active, batch);
      }
      return;
    } catch (BackendException e) {
      if (!owner.failOver(active, e)) {
        if (active == owner.fallback()) owner.fallbackFailed();
        throw e;
      }
    }
    try {
      inferWhole(owner.fallback(), batch);
    } catch (BackendException e) {
      owner.fallbackFailed();
      throw e;
    }
  }

  /** Brings {@code b}'s session in step with the ring: reset, then every slot oldest-first. */
  private void prime(InferenceBackend b, OnlineInference session) {
    session.reset();
    for (int t = 0; t < tEnc; t++) {
      int slot = next + t < tEnc ? next + t : next + t - tEnc;
      session.pushBin(ring, slot * nIn);
    }
    synced = b;
  }

  /** The window oldest-first into trial 0 of the batch, inferred whole by {@code b}. */
  private void inferWhole(InferenceBackend b, InferenceBatch batch) throws BackendException {
    if (batch.trials() != 1) {
      throw new BackendException(BackendException.Kind.INVALID_INPUT,
          "an online window is one trial, the batch is set to " + batch.trials());
    }
    int tail = (tEnc - next) * nIn;
    batch.spikes().put(0, ring, next * nIn, tail);
    batch.spikes().put(tail, ring, 0, next * nIn);
    b.infer(batch);
  }

  @Override
  public void reset() {
    java.util.Arrays.fill(ring, (byte) 0);
    next = 0;
    if (synced != null) sessionOf(synced).reset();
  }
}
