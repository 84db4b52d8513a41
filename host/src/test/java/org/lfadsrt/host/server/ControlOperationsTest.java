package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.backend.BackendConfig;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.FailoverBackend;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.calibration.DecoderCalibration;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.live.LiveControl;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.source.NwbFixtures;
import org.lfadsrt.host.source.NwbReplaySource;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.SyntheticSource;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The control operations of a running system ({@link LiveControl}) over the rig protocol: each op done by a
 * session with rights, refused without the token (nothing changes), and refused with a clear CONTROL_FAILED
 * message for bad arguments. Accounting holds across every change: no accepted bin is lost.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ControlOperationsTest {
  static final LfadsConfig CONFIG = new LfadsConfig(6, 5, 5, 7, 8, 0, 1, 0, 0, 4, 8, 3, 5.0);
  static final LfadsModel MODEL = RandomModels.demo(CONFIG, 31);
  static final String FLAKY = "flaky-device-test";

  static {
    // a "device" that times out on its 40th call, wrapped like emu/xrt are: failover to the float model
    Backends.register(FLAKY, m -> new FailoverBackend(new FailingAt(new FloatBackend(m), 40), new FloatBackend(m), e -> {}));
  }

  @TempDir Path dir;
  private LiveSystem live;
  private final List<TestRigClient> clients = new ArrayList<>();
  private final List<BinResult> published = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (TestRigClient c : clients) c.close();
    if (live != null) live.close();
  }

  static final class FailingAt implements InferenceBackend {
    final InferenceBackend inner;
    final int failAt;
    int calls;

    FailingAt(InferenceBackend inner, int failAt) {
      this.inner = inner;
      this.failAt = failAt;
    }

    public String name() { return "flaky"; }
    public ModelShape shape() { return inner.shape(); }
    public void infer(InferenceBatch b) throws BackendException {
      if (++calls == failAt) throw new BackendException(BackendException.Kind.TIMEOUT, "scripted TIMEOUT at call " + calls);
      inner.infer(b);
    }
    public void close() { inner.close(); }
  }

  /** A live system on a paced synthetic source (1 ms bins) with the real LiveControl. */
  private LiveSystem start(String bind, String token, LfadsModel model, RidgeDecoder decoder, int channels, long binNanos)
      throws Exception {
    ServerConfig cfg = new ServerConfig(bind, 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 1 << 20, 8, token);
    SyntheticSource src = new SyntheticSource(channels, binNanos, true, 3, -1, 0);
    live = new LiveSystem(src, new FloatBackend(model), Mode.ONLINE, decoder, cfg, "m0", -1, -1, 200,
        r -> {
          BinResult copy = new BinResult(r.factors.length, r.rates.length, r.decoded.length);
          copy.seq = r.seq;
          copy.binIndex = r.binIndex;
          System.arraycopy(r.decoded, 0, copy.decoded, 0, r.decoded.length);
          published.add(copy);
        });
    live.server().controlHandler(new LiveControl(live, model, FloatBackend.NAME,
        BackendConfig.defaults().withFailover(true, f -> {})));
    live.start();
    return live;
  }

  private TestRigClient client(String host, String token) throws Exception {
    TestRigClient c = new TestRigClient(host, live.server().port(), 0);
    clients.add(c);
    c.send(new RigMessage.Hello(1, 1, "ctl", token));
    c.readUntil(RigMessage.Handshake.class);
    return c;
  }

  /** NOTICEs read while waiting for a reply (a failover NOTICE may overtake the CONTROL_REPLY). */
  private final List<RigMessage.Notice> notices = new CopyOnWriteArrayList<>();

  /** Sends CONTROL and returns the CONTROL_REPLY or ERROR that answers it (keeping NOTICEs, skipping STATUS, ...). */
  private Object control(TestRigClient c, int op, String arg) throws Exception {
    c.send(new RigMessage.Control(op, arg));
    while (true) {
      Object o = c.read();
      if (o instanceof RigMessage.Notice n) notices.add(n);
      if (o instanceof RigMessage.ControlReply || o instanceof RigMessage.Error) return o;
    }
  }

  /** The next NOTICE with {@code code}, from those already read or from the connection. */
  private RigMessage.Notice awaitNotice(TestRigClient c, int code) throws Exception {
    for (RigMessage.Notice n : notices) if (n.code() == code) return n;
    while (true) {
      RigMessage.Notice n = c.readUntil(RigMessage.Notice.class);
      if (n.code() == code) return n;
    }
  }

  private static RigMessage.ControlReply done(Object o) {
    RigMessage.ControlReply r = assertInstanceOf(RigMessage.ControlReply.class, o);
    assertEquals(0, r.status(), r.message());
    return r;
  }

  private static String failed(Object o) {
    RigMessage.ControlReply r = assertInstanceOf(RigMessage.ControlReply.class, o);
    assertEquals(Protocol.ERR_CONTROL_FAILED, r.status(), r.message());
    return r.message();
  }

  private static void await(BooleanSupplier cond, String what) throws InterruptedException {
    long until = System.nanoTime() + 60_000_000_000L; // a hang guard, not a timing requirement
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > until) fail("timed out waiting for " + what);
      Thread.sleep(5);
    }
  }

  /** Stops the source and checks every bin that entered was published or dropped with a reason, seq contiguous. */
  private void assertAccounted() throws Exception {
    live.stop();
    live.awaitEnd();
    PipelineStats st = live.stats();
    assertNull(live.loop().failure());
    assertEquals(st.binsIn(), st.publishedCount() + st.droppedTotal(), "every bin accounted for");
    assertEquals(st.drops(DropReason.STOPPED), st.droppedTotal(), "the only drops are bins that arrived while stopped");
    for (int i = 0; i < published.size(); i++) assertEquals(i, published.get(i).seq, "seq contiguous");
  }

  @Test
  void stopThenStartPausesInferenceAndResumesWithEveryBinAccounted() throws Exception {
    start("127.0.0.1", null, MODEL, null, 6, 1_000_000);
    TestRigClient c = client("127.0.0.1", "");
    await(() -> live.stats().publishedCount() > 20, "first results");
    assertTrue(done(control(c, Protocol.OP_STOP, "")).message().contains("stopped"));
    assertTrue(live.pipeline().stopped());
    long publishedAtStop = live.stats().publishedCount();
    await(() -> live.stats().drops(DropReason.STOPPED) > 30, "bins counted as stopped");
    assertTrue(live.stats().publishedCount() <= publishedAtStop + 1, "at most the bin in flight is published after stop");
    assertTrue(failed(control(c, Protocol.OP_STOP, "")).contains("already stopped"));

    done(control(c, Protocol.OP_START, ""));
    long stoppedDrops = live.stats().drops(DropReason.STOPPED);
    long resumedAt = live.stats().publishedCount();
    await(() -> live.stats().publishedCount() > resumedAt + 30, "results after start");
    assertTrue(live.stats().drops(DropReason.STOPPED) <= stoppedDrops + 1);
    assertTrue(failed(control(c, Protocol.OP_START, "")).contains("already running"));
    assertAccounted();
  }

  @Test
  void loadModelSwapsBetweenBinsWithoutLosingOne() throws Exception {
    LfadsModel next = RandomModels.demo(CONFIG, 77);
    Path file = dir.resolve("next.npz");
    ModelFile.save(next, file);
    start("127.0.0.1", null, MODEL, null, 6, 1_000_000);
    TestRigClient c = client("127.0.0.1", "");
    await(() -> live.stats().publishedCount() > 20, "first results");

    // bad arguments first: nothing changes
    assertTrue(failed(control(c, Protocol.OP_LOAD_MODEL, "")).contains("no path given"));
    assertTrue(failed(control(c, Protocol.OP_LOAD_MODEL, dir.resolve("missing.npz").toString())).contains("no such file"));
    Path garbage = dir.resolve("garbage.npz");
    Files.write(garbage, new byte[] {'P', 'K', 3, 4, 9, 9, 9});
    assertTrue(failed(control(c, Protocol.OP_LOAD_MODEL, garbage.toString())).startsWith("load-model: " + garbage));
    Path other = dir.resolve("other.npz");
    ModelFile.save(RandomModels.demo(new LfadsConfig(7, 5, 5, 7, 8, 0, 1, 0, 0, 4, 8, 3, 5.0), 1), other);
    String shape = failed(control(c, Protocol.OP_LOAD_MODEL, other.toString()));
    assertTrue(shape.contains("N_in 7") && shape.contains("needs a restart"), shape);
    assertEquals(0, live.pipeline().backendSwaps());

    assertTrue(done(control(c, Protocol.OP_LOAD_MODEL, file.toString())).message().contains("next.npz loaded"));
    await(() -> live.pipeline().backendSwaps() == 1, "the swap at a bin boundary");
    long afterSwap = live.stats().publishedCount();
    await(() -> live.stats().publishedCount() > afterSwap + 20, "results on the new model");
    // the backend now in use computes the new model (checked against an independent FloatBackend of it)
    InferenceBatch got = new InferenceBatch(live.backend().shape(), 1), want = new InferenceBatch(live.backend().shape(), 1);
    got.trials(1);
    want.trials(1);
    for (int i = 0; i < live.backend().shape().spikeBytesPerTrial(); i++) {
      got.spikes().put(i, (byte) (i % 3));
      want.spikes().put(i, (byte) (i % 3));
    }
    assertAccounted();
    InferenceBatch old = new InferenceBatch(live.backend().shape(), 1);
    old.trials(1);
    for (int i = 0; i < live.backend().shape().spikeBytesPerTrial(); i++) old.spikes().put(i, (byte) (i % 3));
    live.backend().infer(got);
    try (FloatBackend reference = new FloatBackend(next); FloatBackend first = new FloatBackend(MODEL)) {
      reference.infer(want);
      first.infer(old);
    }
    int tEnc = CONFIG.encodSeqLen();
    for (int t = 0; t < tEnc; t++) {
      for (int k = 0; k < CONFIG.facDim(); k++) assertEquals(want.factor(0, t, k), got.factor(0, t, k), "factor " + t + "," + k);
    }
    assertNotEquals(old.factor(0, tEnc - 1, 0), got.factor(0, tEnc - 1, 0), "the two models differ");
    assertEquals("next.npz", live.server().stream().model(), "new HANDSHAKEs name the loaded model");
  }

  @Test
  void loadModelTakesTheSessionOfAMultiSessionModelAndListsThemWhenMissingOrWrong() throws Exception {
    Path root = Path.of(System.getProperty("lfadsrt.root", "..")).toAbsolutePath().normalize();
    Path file = root.resolve("sim/src/test/resources/lfads_torch/multisession/model.npz"); // sessA: 11 in, sessB: 7 in
    LfadsModel sessB = ModelFile.load(file, "sessB");
    LfadsModel first = RandomModels.demo(sessB.config(), 5); // a stream of sessB's shape running another model
    start("127.0.0.1", null, first, null, 7, 1_000_000);
    TestRigClient c = client("127.0.0.1", "");
    await(() -> live.stats().publishedCount() > 20, "first results");

    String missing = failed(control(c, Protocol.OP_LOAD_MODEL, file.toString()));
    assertTrue(missing.contains("the model has 2 sessions (0 = sessA, 1 = sessB); choose one (load-model " + file
        + " session=NAME|INDEX)"), missing);
    String wrong = failed(control(c, Protocol.OP_LOAD_MODEL, file + " session=sessC"));
    assertTrue(wrong.contains("no session 'sessC'; the model has 2 sessions (0 = sessA, 1 = sessB)"), wrong);
    assertTrue(failed(control(c, Protocol.OP_LOAD_MODEL, file + " session=2")).contains("no session '2'"));
    assertTrue(failed(control(c, Protocol.OP_LOAD_MODEL, file + " session=")).contains("names no session"));
    String shape = failed(control(c, Protocol.OP_LOAD_MODEL, file + " session=sessA"));
    assertTrue(shape.contains("model.npz session sessA has shape") && shape.contains("N_in 11")
        && shape.contains("needs a restart"), shape);
    assertEquals(0, live.pipeline().backendSwaps(), "nothing changes on a refused load-model");

    // by index: session 1 is sessB
    assertTrue(done(control(c, Protocol.OP_LOAD_MODEL, file + " session=1")).message()
        .contains("model.npz session 1 loaded on float"));
    await(() -> live.pipeline().backendSwaps() == 1, "the swap at a bin boundary");
    assertEquals("model.npz session 1", live.server().stream().model(), "new HANDSHAKEs name the model and session");
    long afterSwap = live.stats().publishedCount();
    await(() -> live.stats().publishedCount() > afterSwap + 20, "results on session 1");

    assertTrue(done(control(c, Protocol.OP_LOAD_MODEL, file + " session=sessB")).message()
        .contains("model.npz session sessB loaded on float"));
    await(() -> live.pipeline().backendSwaps() == 2, "the second swap");
    assertEquals("model.npz session sessB", live.server().stream().model());
    assertAccounted(); // stops the system: the backend is the hot path's alone while it runs

    // the backend now in use computes sessB's read-in and readout (an independent FloatBackend of it)
    ModelShape s = live.backend().shape();
    InferenceBatch got = new InferenceBatch(s, 1), want = new InferenceBatch(s, 1), old = new InferenceBatch(s, 1);
    for (int i = 0; i < s.spikeBytesPerTrial(); i++) {
      for (InferenceBatch b : List.of(got, want, old)) b.spikes().put(i, (byte) (i % 4));
    }
    live.backend().infer(got);
    try (FloatBackend reference = new FloatBackend(sessB); FloatBackend before = new FloatBackend(first)) {
      reference.infer(want);
      before.infer(old);
    }
    for (int i = 0; i < want.logrates().length; i++) assertEquals(want.logrates()[i], got.logrates()[i], "lograte " + i);
    assertNotEquals(old.logrates()[0], got.logrates()[0], "the two models differ");
  }

  @Test
  void switchBackendRunsOnTheNewBackendAndItsFailoverReachesClients() throws Exception {
    start("127.0.0.1", null, MODEL, null, 6, 1_000_000);
    TestRigClient c = client("127.0.0.1", "");
    await(() -> live.stats().publishedCount() > 20, "first results");
    String unknown = failed(control(c, Protocol.OP_SWITCH_BACKEND, "warp-drive"));
    assertTrue(unknown.contains("unknown backend 'warp-drive'") && unknown.contains("software"), unknown);
    assertTrue(failed(control(c, Protocol.OP_SWITCH_BACKEND, "")).contains("no backend name given"));
    assertEquals("float", live.backend().name());

    assertTrue(done(control(c, Protocol.OP_SWITCH_BACKEND, FLAKY)).message().contains("float -> flaky"));
    assertTrue(awaitNotice(c, Protocol.NOTICE_CONTROL).message().startsWith("switch-backend:"), "every client hears of the change");
    // the flaky device times out on its 40th call (20 of them are the warm-up): the bin is re-run on the
    // fallback within the call and the switch reaches the client as a NOTICE
    RigMessage.Notice n = awaitNotice(c, Protocol.NOTICE_BACKEND_FAILOVER);
    assertTrue(n.message().contains("TIMEOUT") && n.message().contains("re-run on float"), n.message());
    long at = live.stats().publishedCount();
    await(() -> live.stats().publishedCount() > at + 20, "results after the failover");
    assertEquals(1, live.pipeline().backendSwaps());
    assertAccounted();
  }

  @Test
  void withoutTheTokenNoOperationChangesAnything() throws Exception {
    start("127.0.0.2", "s3cret", MODEL, null, 6, 1_000_000);
    Path file = dir.resolve("same.npz");
    ModelFile.save(RandomModels.demo(CONFIG, 5), file);
    TestRigClient anonymous = client("127.0.0.2", "");
    for (int op : new int[] {Protocol.OP_STOP, Protocol.OP_START, Protocol.OP_LOAD_MODEL, Protocol.OP_SWITCH_BACKEND,
        Protocol.OP_CALIBRATE}) {
      String arg = op == Protocol.OP_LOAD_MODEL ? file.toString() : op == Protocol.OP_SWITCH_BACKEND ? "software" : "";
      RigMessage.Error e = assertInstanceOf(RigMessage.Error.class, control(anonymous, op, arg));
      assertEquals(Protocol.ERR_UNAUTHORIZED, e.code());
    }
    assertFalse(live.pipeline().stopped());
    assertEquals(0, live.pipeline().backendSwaps());
    TestRigClient operator = client("127.0.0.2", "s3cret");
    done(control(operator, Protocol.OP_SWITCH_BACKEND, "software"));
    await(() -> live.pipeline().backendSwaps() == 1, "the operator's switch");
    assertEquals("software", live.backend().name());
    assertEquals(Protocol.ERR_UNAUTHORIZED,
        assertInstanceOf(RigMessage.Error.class, control(anonymous, Protocol.OP_STOP, "")).code(), "still refused");
  }

  @Test
  void calibrateFitsOnARecordingAndInstallsTheDecoder() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with python3-h5py");
    LfadsModel model = RandomModels.smallDemo(5);
    Path nwb = dir.resolve("rec.nwb");
    NwbFixtures.run(nwb, "--units", "32", "--duration", "2", "--bin-ms", "10", "--seed", "11");
    int bins = 0;
    double t0;
    try (NwbReplaySource src = new NwbReplaySource(nwb, null, 10_000_000L, false)) {
      t0 = src.t0();
      int[] counts = new int[32];
      while (src.next(counts) != SpikeSource.END_OF_STREAM) bins++;
    }
    SplittableRandom r = new SplittableRandom(2);
    double[] beh = new double[bins * 2], ts = new double[bins];
    for (int i = 0; i < bins; i++) {
      ts[i] = t0 + (i + 1) * 0.010;
      beh[2 * i] = r.nextGaussian();
      beh[2 * i + 1] = r.nextGaussian();
    }
    Npy.write(dir.resolve("beh.npy"), NdArray.ofDoubles(beh, bins, 2));
    Npy.write(dir.resolve("ts.npy"), NdArray.ofDoubles(ts, bins));
    NwbFixtures.run(nwb, "--add-behavior", dir.resolve("beh.npy").toString(), dir.resolve("ts.npy").toString());

    RidgeDecoder initial = new RidgeDecoder(new double[2][4], new double[2], 1, List.of("a", "b"), 0);
    start("127.0.0.1", null, model, initial, 32, 10_000_000);
    TestRigClient c = client("127.0.0.1", "");
    assertTrue(failed(control(c, Protocol.OP_CALIBRATE, "")).contains("no recording given"));
    assertTrue(failed(control(c, Protocol.OP_CALIBRATE, dir.resolve("none.nwb").toString())).contains("no such file"));
    assertTrue(failed(control(c, Protocol.OP_CALIBRATE, nwb + " lambda=-1")).contains("lambda=-1 must be"));
    assertTrue(failed(control(c, Protocol.OP_CALIBRATE, nwb + " colour=red")).contains("unknown option 'colour=red'"));
    assertTrue(failed(control(c, Protocol.OP_CALIBRATE, nwb + " behavior=processing/none")).startsWith("calibrate: " + nwb));

    Path out = dir.resolve("dec.json");
    String msg = done(control(c, Protocol.OP_CALIBRATE, nwb + " lambda=0.5 out=" + out)).message();
    assertTrue(msg.contains("R^2") && msg.contains("in use from the next bin"), msg);
    assertTrue(Files.exists(out));
    // the installed decoder is the one the calibrate command fits offline on the same recording
    RidgeDecoder want;
    try (FloatBackend b = new FloatBackend(model)) {
      want = DecoderCalibration.fit(b, nwb, "processing/behavior/hand_vel", 0.5, 0, null, 10_000_000L).decoder();
    }
    await(() -> live.pipeline().decoder() != initial, "the decoder swap");
    double[] x = {0.3, -0.2, 0.9, 0.1}, y1 = new double[2], y2 = new double[2];
    live.pipeline().decoder().apply(x, y1);
    want.apply(x, y2);
    assertArrayEquals(y2, y1, 1e-12);
    double[] y3 = new double[2];
    RidgeDecoder.load(out).apply(x, y3);
    assertArrayEquals(y2, y3, 1e-12, "the saved decoder is the installed one");
    assertEquals(want.outputNames(), live.server().stream().decodedNames(), "new HANDSHAKEs name the decoded outputs");
  }
}
