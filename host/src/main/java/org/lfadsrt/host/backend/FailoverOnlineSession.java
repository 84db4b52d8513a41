package org.lfadsrt.host.backend;

/**
 * {@link FailoverBackend}'s online session. It reads the last T_enc bins from a {@link SpikeWindow} (the caller's,
 * or one of its own filled by {@link #pushBin}) so that it can always infer a window whole, and drives the online
 * session of whichever backend is active:
 *
 * <ul>
 *   <li>active backend with an online session: bins are pushed to it as they arrive and windows reuse its per-bin work;
 *   <li>active backend without one: its {@link WholeWindowSession} copies the window oldest-first into the batch and
 *       the backend infers it (emu and xrt have one: the kernel's online mode, one bin per run);
 *   <li>a device fault on the primary: {@link FailoverBackend#failOver} switches, the failed window is re-run whole on
 *       the fallback (so the bin is not lost), and from the next window on the fallback's online session is used,
 *       first primed by replaying the window (zero bins included: a zero bin projects like the empty start).
 * </ul>
 *
 * <p>Only the active backend's session receives bins, so per-bin work is not done twice. Allocates nothing per bin.
 */
final class FailoverOnlineSession implements OnlineInference {
  private final FailoverBackend owner;
  private final SpikeWindow window;
  private final boolean ownsWindow;
  /** Never null: a backend without the capability gets a {@link WholeWindowSession} over {@link #window}. */
  private final OnlineInference primarySession, fallbackSession;
  /** The failed window re-run whole on the fallback (its own session is not in step yet). */
  private final OnlineInference fallbackWhole;
  /** The backend whose session is in step with the window (receives pushes), or null. */
  private InferenceBackend synced;

  FailoverOnlineSession(FailoverBackend owner, SpikeWindow window, boolean ownsWindow) {
    this.owner = owner;
    this.window = window;
    this.ownsWindow = ownsWindow;
    this.primarySession = owner.primary().openOnline(window);
    this.fallbackSession = owner.fallback().openOnline(window);
    this.fallbackWhole = WholeWindowSession.over(owner.fallback(), window);
    this.synced = owner.primary();
  }

  private OnlineInference sessionOf(InferenceBackend b) {
    return b == owner.primary() ? primarySession : fallbackSession;
  }

  @Override
  public void pushBin(byte[] counts, int off) {
    if (ownsWindow) window.push(counts, off);
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
    if (synced != active) {
      window.replayInto(session);
      synced = active;
    }
    try {
      session.inferWindow(batch);
      return;
    } catch (BackendException e) {
      if (!owner.failOver(active, e)) {
        if (active == owner.fallback()) owner.fallbackFailed();
        throw e;
      }
    }
    try {
      fallbackWhole.inferWindow(batch);
    } catch (BackendException e) {
      owner.fallbackFailed();
      throw e;
    }
  }

  @Override
  public void reset() {
    if (ownsWindow) window.clear();
    if (synced != null) sessionOf(synced).reset();
  }
}
