package org.lfadsrt.host.backend;

/**
 * The online session of a backend that only infers whole windows (emu, xrt: the kernel takes a window at a time):
 * each window is copied oldest-first into the batch and inferred whole. It lets every caller drive an online
 * session whatever the backend ({@link InferenceBackend#openOnline(SpikeWindow)}).
 *
 * <p>Over the caller's window ({@link #over}) it keeps no bins of its own: the caller enters each bin into the
 * window before {@link #pushBin}, which then has nothing to do. {@link #owning} keeps its own window for callers
 * that only push. Allocates nothing per bin.
 */
public final class WholeWindowSession implements OnlineInference {
  private final InferenceBackend backend;
  private final SpikeWindow window;
  private final boolean ownsWindow;

  private WholeWindowSession(InferenceBackend backend, SpikeWindow window, boolean ownsWindow) {
    this.backend = backend;
    this.window = window;
    this.ownsWindow = ownsWindow;
  }

  /** A session that reads the caller's {@code window} (the caller enters each bin there before pushing it). */
  public static WholeWindowSession over(InferenceBackend backend, SpikeWindow window) {
    return new WholeWindowSession(backend, window, false);
  }

  /** A session with a window of its own, filled by {@link #pushBin}. */
  public static WholeWindowSession owning(InferenceBackend backend) {
    return new WholeWindowSession(backend, new SpikeWindow(backend.shape()), true);
  }

  @Override
  public void pushBin(byte[] counts, int off) {
    if (ownsWindow) window.push(counts, off);
  }

  @Override
  public void inferWindow(InferenceBatch batch) throws BackendException {
    batch.requireOneTrial(backend.shape(), backend.name() + " backend's");
    window.copyOldestFirst(batch.spikes());
    backend.infer(batch);
  }

  @Override
  public void reset() {
    if (ownsWindow) window.clear();
  }
}
