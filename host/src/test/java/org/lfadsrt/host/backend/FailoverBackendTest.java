package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.fixed.KernelImage;

/** FailoverBackend's rules, without a device: which faults switch, that the batch is re-run, that input errors do not. */
class FailoverBackendTest {

  /** A backend that fails with a given kind from call {@code failFrom} on. */
  static final class Faulty implements InferenceBackend {
    final SoftwareBackend inner;
    final BackendException.Kind kind;
    final int failFrom;
    int calls;
    boolean closed;

    Faulty(KernelImage image, BackendException.Kind kind, int failFrom) {
      this.inner = new SoftwareBackend(image);
      this.kind = kind;
      this.failFrom = failFrom;
    }

    @Override public String name() { return "faulty"; }
    @Override public ModelShape shape() { return inner.shape(); }
    @Override public void infer(InferenceBatch b) throws BackendException {
      if (++calls >= failFrom) throw new BackendException(kind, "injected " + kind);
      inner.infer(b);
    }
    @Override public void close() { closed = true; }
  }

  @Test
  void deviceFaultsSwitchOnceAndRerunTheBatch() throws Exception {
    KernelImage image = TestImages.image(TestImages.PLAIN, 61);
    for (BackendException.Kind kind : new BackendException.Kind[] {
        BackendException.Kind.TIMEOUT, BackendException.Kind.DEVICE_ERROR, BackendException.Kind.DEVICE_LOST}) {
      List<FailoverBackend.Failover> events = new ArrayList<>();
      Faulty primary = new Faulty(image, kind, 2);
      FailoverBackend fo = new FailoverBackend(primary, new SoftwareBackend(image), events::add);
      InferenceBatch batch = new InferenceBatch(fo.shape(), 2), want = new InferenceBatch(fo.shape(), 2);
      TestImages.fillSpikes(batch, 2, 4);
      TestImages.fillSpikes(want, 2, 4);
      new SoftwareBackend(image).infer(want);
      fo.infer(batch);
      assertEquals("faulty", fo.name());
      batch.rawOutputs().put(0, 12345);
      fo.infer(batch);
      assertEquals("software", fo.name(), kind.toString());
      assertTrue(primary.closed, "the failed primary is closed");
      assertEquals(1, events.size());
      assertEquals(kind, events.get(0).cause().kind());
      assertEquals(want.rawOutputs().get(0), batch.rawOutputs().get(0), "failed batch re-run in software");
      fo.infer(batch);
      assertEquals(2, primary.calls, "no more calls reach the failed primary");
      assertEquals(1, events.size());
    }
  }

  @Test
  void inputErrorsAreNotDeviceFaults() {
    KernelImage image = TestImages.image(TestImages.PLAIN, 62);
    List<FailoverBackend.Failover> events = new ArrayList<>();
    FailoverBackend fo = new FailoverBackend(new Faulty(image, BackendException.Kind.INVALID_INPUT, 1),
        new SoftwareBackend(image), events::add);
    BackendException e = assertThrows(BackendException.class, () -> fo.infer(new InferenceBatch(fo.shape(), 1)));
    assertEquals(BackendException.Kind.INVALID_INPUT, e.kind());
    assertEquals("faulty", fo.name());
    assertTrue(events.isEmpty());
  }

  @Test
  void backendsOfDifferentShapesCannotBePaired() {
    assertThrows(IllegalArgumentException.class, () -> new FailoverBackend(
        new SoftwareBackend(TestImages.image(TestImages.PLAIN, 63)),
        new SoftwareBackend(TestImages.image(TestImages.CONTROLLER, 63)), f -> {}));
  }
}
