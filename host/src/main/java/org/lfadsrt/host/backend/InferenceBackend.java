package org.lfadsrt.host.backend;

/**
 * Runs LFADS inference on batches of trials. Implementations: {@code float} (Java double reference),
 * {@code software} (Java bit-accurate fixed-point model), {@code emu} (Verilated RTL through the
 * native driver) and {@code xrt} (an Alveo card through the native driver).
 *
 * <p>Threading: one thread calls {@link #infer}; implementations allocate nothing per call.
 */
public interface InferenceBackend extends AutoCloseable {

  /** Short name as given to {@code --backend}. */
  String name();

  /** Dimensions of the loaded model. */
  ModelShape shape();

  /**
   * Infers {@code batch.trials()} trials from {@code batch.spikes()} and fills the batch's outputs.
   *
   * @throws BackendException on a device error or timeout; the batch outputs are then undefined
   */
  void infer(InferenceBatch batch) throws BackendException;

  /** Kernel clock cycles of the last {@link #infer} call, or -1 when the backend has no cycle counter. */
  default long lastDeviceCycles() {
    return -1;
  }

  /**
   * What the last {@link #infer} cost on the host-device bus (register accesses, DMA syncs and bytes, kernel runs),
   * as the native driver counts it; null for backends without a device.
   */
  default BusCounters lastCallCounters() {
    return null;
  }

  /** One line describing the device behind the backend (configuration, emulated memory timing); the name by default. */
  default String deviceDescription() {
    return name();
  }

  /**
   * Optional capability: opens an online session that keeps per-bin work between sliding windows
   * ({@link OnlineInference}). Null (the default) when the backend only infers whole windows; callers then copy the
   * window into a batch and call {@link #infer}. Called once at setup (it allocates), not per bin.
   */
  default OnlineInference openOnline() {
    return null;
  }

  /**
   * The model's reconstruction distribution: how each step's {@code nOut} readout outputs (the batch's
   * "log-rates", in general the distribution's raw parameters) become the {@code neurons()} means published as
   * rates. Default: Poisson over all outputs (the readout gives log-rates).
   */
  default org.lfadsrt.sim.model.Reconstruction reconstruction() {
    return org.lfadsrt.sim.model.Reconstruction.poisson(shape().nOut());
  }

  /** {@link #shape()} with {@code nOut} = the neurons whose rates are published (the reconstruction's means). */
  default ModelShape publishedShape() {
    ModelShape s = shape();
    return new ModelShape(s.nIn(), s.tEnc(), s.tRec(), s.facDim(), reconstruction().neurons());
  }

  /**
   * An online session over the caller's {@code window}, whatever the backend: the caller enters each bin into
   * {@code window} ({@link SpikeWindow#claim}) and then pushes that slot to the session. A backend with the
   * capability returns its {@link #openOnline()} session (which keeps its own per-bin work); the others a
   * {@link WholeWindowSession} that infers {@code window} whole, reading it in place. Never null. Called at setup.
   */
  default OnlineInference openOnline(SpikeWindow window) {
    OnlineInference own = openOnline();
    return own != null ? own : WholeWindowSession.over(this, window);
  }

  /** True when {@link #infer} fills {@link InferenceBatch#rawOutputs()} with kernel fixed-point words. */
  default boolean producesRawOutputs() {
    return false;
  }

  @Override
  void close();
}
