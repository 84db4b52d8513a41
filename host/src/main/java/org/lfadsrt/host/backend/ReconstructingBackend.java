package org.lfadsrt.host.backend;

import org.lfadsrt.sim.model.Reconstruction;

/**
 * A backend that reports its model's non-Poisson reconstruction (the kernel and the backends only compute the
 * readout; what its outputs mean is the model's). Delegates every call; allocates nothing.
 */
public final class ReconstructingBackend implements InferenceBackend {
  private final InferenceBackend inner;
  private final Reconstruction reconstruction;

  private ReconstructingBackend(InferenceBackend inner, Reconstruction reconstruction) {
    this.inner = inner;
    this.reconstruction = reconstruction;
  }

  /**
   * {@code backend} reporting {@code r}; {@code backend} itself when {@code r} is null or is the default (Poisson
   * over every output).
   *
   * @throws BackendException when {@code r} does not fit the backend's readout width
   */
  public static InferenceBackend wrap(InferenceBackend backend, Reconstruction r) throws BackendException {
    if (r == null || r.equals(Reconstruction.poisson(backend.shape().nOut()))) return backend;
    if (r.readoutDim() != backend.shape().nOut()) {
      backend.close();
      throw new BackendException(BackendException.Kind.INVALID_INPUT, "reconstruction " + r.describe() + " needs "
          + r.readoutDim() + " readout outputs, the backend's model has " + backend.shape().nOut());
    }
    return new ReconstructingBackend(backend, r);
  }

  @Override
  public Reconstruction reconstruction() {
    return reconstruction;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public ModelShape shape() {
    return inner.shape();
  }

  @Override
  public void infer(InferenceBatch batch) throws BackendException {
    inner.infer(batch);
  }

  @Override
  public long lastDeviceCycles() {
    return inner.lastDeviceCycles();
  }

  @Override
  public BusCounters lastCallCounters() {
    return inner.lastCallCounters();
  }

  @Override
  public String deviceDescription() {
    return inner.deviceDescription();
  }

  @Override
  public OnlineInference openOnline() {
    return inner.openOnline();
  }

  @Override
  public boolean producesRawOutputs() {
    return inner.producesRawOutputs();
  }

  @Override
  public void close() {
    inner.close();
  }
}
