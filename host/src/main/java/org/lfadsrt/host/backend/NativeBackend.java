package org.lfadsrt.host.backend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * A backend behind the native driver (liblfadsrt through JNA): {@link EmuBackend} or {@link XrtBackend}.
 * Opens the device by URI, loads the kernel image once, then each {@link #infer} is one {@code lfads_run}
 * call on the batch's direct buffers (addresses looked up once per batch object) followed by decoding the
 * raw words: nothing is allocated per call.
 */
public abstract class NativeBackend implements InferenceBackend {
  private final String name;
  private final String uri;
  private final ModelShape shape;
  private final RawOutputs decoder;
  private long handle;
  private InferenceBatch lastBatch;
  private long spikesAddress, outputAddress;

  protected NativeBackend(String name, String uri, KernelImage image, int timeoutMs) throws BackendException {
    this(name, uri, image.toBytes(), timeoutMs);
  }

  /** Opens {@code uri} and loads {@code imageBytes} (checked by the driver: header, sections, CRC). */
  protected NativeBackend(String name, String uri, byte[] imageBytes, int timeoutMs) throws BackendException {
    LfadsNative.require();
    this.name = name;
    this.uri = uri;
    long[] h = new long[1];
    int rc = LfadsNative.lfads_open(uri, h);
    if (rc < 0) throw LfadsNative.error(rc, name + " backend: open " + uri);
    handle = h[0];
    try {
      if (timeoutMs > 0 && (rc = LfadsNative.lfads_set_timeout_ms(handle, timeoutMs)) < 0) {
        throw LfadsNative.error(rc, name + " backend: timeout " + timeoutMs + " ms");
      }
      if ((rc = LfadsNative.lfads_load_image(handle, imageBytes, imageBytes.length)) < 0) {
        throw LfadsNative.error(rc, name + " backend: load kernel image");
      }
      int[] s = new int[5];
      if ((rc = LfadsNative.lfads_shape(handle, s)) < 0) throw LfadsNative.error(rc, name + " backend: shape");
      shape = new ModelShape(s[0], s[1], s[2], s[3], s[4]);
      KernelImage image = KernelImage.fromBytes(imageBytes);
      decoder = new RawOutputs(shape, image.fracFac(), image.fracLograte());
    } catch (BackendException | RuntimeException e) {
      LfadsNative.lfads_close(handle);
      handle = 0;
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The device URI this backend was opened with. */
  public String uri() {
    return uri;
  }

  @Override
  public ModelShape shape() {
    return shape;
  }

  @Override
  public boolean producesRawOutputs() {
    return true;
  }

  @Override
  public void infer(InferenceBatch batch) throws BackendException {
    if (handle == 0) throw new BackendException(BackendException.Kind.DEVICE_ERROR, name + " backend is closed");
    batch.requireShape(shape, "loaded kernel image");
    if (batch != lastBatch) {
      spikesAddress = Pointer.nativeValue(Native.getDirectBufferPointer(batch.spikes()));
      outputAddress = Pointer.nativeValue(Native.getDirectBufferPointer(batch.rawOutputBytes()));
      lastBatch = batch;
    }
    int trials = batch.trials();
    ringOwner = null; // the kernel loads the trials' spikes into the lines of its online ring
    int rc = LfadsNative.lfads_run(handle, spikesAddress, (long) trials * shape.spikeBytesPerTrial(), outputAddress,
        (long) trials * shape.outputWordsPerTrial(), trials);
    if (rc < 0) throw LfadsNative.error(rc, name + " backend: run " + trials + " trials");
    decoder.decode(batch);
  }

  // Direct-buffer addresses of the batches used with submit/await, looked up once per batch (no allocation per call).
  private final InferenceBatch[] streamBatches = new InferenceBatch[8];
  private final long[] streamSpikes = new long[8], streamOutputs = new long[8];

  private int streamIndex(InferenceBatch batch) {
    for (int i = 0; i < streamBatches.length; i++) if (streamBatches[i] == batch) return i;
    for (int i = 0; i < streamBatches.length; i++) {
      if (streamBatches[i] == null) {
        streamBatches[i] = batch;
        streamSpikes[i] = Pointer.nativeValue(Native.getDirectBufferPointer(batch.spikes()));
        streamOutputs[i] = Pointer.nativeValue(Native.getDirectBufferPointer(batch.rawOutputBytes()));
        return i;
      }
    }
    throw new IllegalStateException("more than " + streamBatches.length + " batches used with submit");
  }

  /**
   * Streaming: starts inferring {@code batch.trials()} trials (at most the device's {@code max_trials}) on a free device
   * buffer set and returns at once with a ticket for {@link #await}. The driver keeps {@code slots} buffer sets (URI
   * option, default 2); with all in flight this throws a DEVICE_ERROR naming it. The batch must not be changed until
   * awaited. Up to 8 distinct batch objects per backend.
   */
  public int submit(InferenceBatch batch) throws BackendException {
    if (handle == 0) throw new BackendException(BackendException.Kind.DEVICE_ERROR, name + " backend is closed");
    if (!batch.shape().equals(shape)) {
      throw new BackendException(BackendException.Kind.INVALID_INPUT,
          "batch shape " + batch.shape() + " does not match the loaded kernel image " + shape);
    }
    int i = streamIndex(batch);
    int trials = batch.trials();
    ringOwner = null; // as in infer
    int ticket = LfadsNative.lfads_submit(handle, LfadsNative.MODE_TRIALS, streamSpikes[i],
        (long) trials * shape.spikeBytesPerTrial(), trials);
    if (ticket < 0) throw LfadsNative.error(ticket, name + " backend: submit " + trials + " trials");
    return ticket;
  }

  /** Waits for a {@link #submit}ted run (bounded by the timeout) and fills its batch's outputs. */
  public void await(int ticket, InferenceBatch batch) throws BackendException {
    if (handle == 0) throw new BackendException(BackendException.Kind.DEVICE_ERROR, name + " backend is closed");
    int i = streamIndex(batch);
    int rc = LfadsNative.lfads_wait(handle, ticket, streamOutputs[i], (long) batch.trials() * shape.outputWordsPerTrial());
    if (rc < 0) throw LfadsNative.error(rc, name + " backend: wait for run " + ticket);
    decoder.decode(batch);
  }

  /** The online session whose bins the kernel's window ring holds (null: none, or unknown after a failed run). */
  private DeviceOnline ringOwner;

  /**
   * Online sessions through the kernel's online mode (docs/kernel-numerics.md §13): per window one run pushes the
   * newest bin (N_in bytes in) into the kernel's ring of the last T_enc bins and returns only the newest step's factors
   * and log-rates with a status block (no register read; one register write per bin, two when FLAGS changes). The
   * window's newest step (T_enc − 1, the one a streaming caller publishes) is filled in the batch, raw words and
   * doubles; the other steps are left as they were. Bit for bit the software backend's session at that step.
   */
  @Override
  public OnlineInference openOnline() {
    return handle == 0 ? null : new DeviceOnline();
  }

  /**
   * One session's view of the kernel's ring. The session keeps its own last T_enc bins, so that the kernel's ring can be
   * refilled whenever it does not hold them: at the first window, after {@link #reset}, after another session used the
   * ring, after a whole-window run (the kernel loads a trial's spikes into the same on-chip lines), after a failed run,
   * or when T_enc or more bins were pushed without a window (only the last T_enc matter).
   * Bins pushed without a window are sent with the next one. Direct buffers allocated once; nothing per bin.
   */
  private final class DeviceOnline implements OnlineInference {
    private final int nIn = shape.nIn(), tEnc = shape.tEnc();
    private final ByteBuffer history = ByteBuffer.allocateDirect(tEnc * nIn);
    private final long historyAddress = Pointer.nativeValue(Native.getDirectBufferPointer(history));
    private final int blockWords = LfadsNative.ONLINE_OUT_STATUS_WORDS + shape.facDim() + shape.nOut();
    private final ByteBuffer block = ByteBuffer.allocateDirect(4 * blockWords).order(ByteOrder.LITTLE_ENDIAN);
    private final long blockAddress = Pointer.nativeValue(Native.getDirectBufferPointer(block));
    private long pushed;   // bins pushed since the session's start or reset
    private long onDevice; // of these, the bins the kernel's ring holds (while ringOwner == this)
    private final String whose = name + " backend";

    @Override
    public void pushBin(byte[] counts, int off) {
      history.put((int) (pushed % tEnc) * nIn, counts, off, nIn);
      pushed++;
    }

    @Override
    public void inferWindow(InferenceBatch batch) throws BackendException {
      if (handle == 0) throw new BackendException(BackendException.Kind.DEVICE_ERROR, name + " backend is closed");
      batch.requireOneTrial(shape, whose);
      if (pushed == 0) { // an all-zero window: nothing to push, infer it whole
        ByteBuffer spikes = batch.spikes();
        for (int i = 0; i < shape.spikeBytesPerTrial(); i++) spikes.put(i, (byte) 0);
        infer(batch);
        return;
      }
      boolean refill = ringOwner != this || onDevice == 0 || pushed - onDevice >= tEnc;
      long from = refill ? Math.max(0, pushed - tEnc) : onDevice;
      ringOwner = null; // until the pushes below all succeeded
      for (long b = from; b < pushed; b++) {
        int mode = refill && b == from ? LfadsNative.MODE_ONLINE_RESET : LfadsNative.MODE_ONLINE;
        int ticket = LfadsNative.lfads_submit(handle, mode, historyAddress + (b % tEnc) * nIn, nIn, 1);
        if (ticket < 0) throw LfadsNative.error(ticket, name + " backend: online bin " + b);
        int rc = LfadsNative.lfads_wait(handle, ticket, blockAddress, blockWords);
        if (rc < 0) throw LfadsNative.error(rc, name + " backend: online bin " + b);
      }
      ringOwner = this;
      onDevice = pushed;
      decoder.decodeStep(batch, tEnc - 1, block, 4 * LfadsNative.ONLINE_OUT_STATUS_WORDS);
    }

    @Override
    public void reset() {
      pushed = 0;
      onDevice = 0;
    }
  }

  /** Words of an online run's status block, before its outputs in {@link #onlineRunRaw}'s slot (lfads.h). */
  public static final int ONLINE_STATUS_WORDS = LfadsNative.ONLINE_OUT_STATUS_WORDS;

  private ByteBuffer rawBin, rawSlot; // onlineRunRaw's device-call buffers, allocated at its first call

  /**
   * One online-mode run exactly as the kernel makes it, for co-simulation (docs/kernel-numerics.md §13): pushes the
   * N_in counts {@code counts[off..off+N_in)} into the kernel's window ring, as the first bin of a new window when
   * {@code newWindow} (the driver requires it for the first online run after an image load or a whole-trial run), waits
   * for the run and copies its raw output slot into {@code slot}: {@link #ONLINE_STATUS_WORDS} status words (SEQ,
   * ERROR_CODE, TRIALS_DONE, CYCLES_LO/HI, WINDOW_BINS, STATUS, MAGIC at their OS_* indices), then the newest bin's
   * fac_dim factor words and n_out log-rate words. {@link #lastDeviceCycles} is then the status block's CYCLES. Sessions
   * from {@link #openOnline} refill the kernel's ring at their next window.
   */
  public void onlineRunRaw(byte[] counts, int off, boolean newWindow, int[] slot) throws BackendException {
    if (handle == 0) throw new BackendException(BackendException.Kind.DEVICE_ERROR, name + " backend is closed");
    int nIn = shape.nIn(), words = ONLINE_STATUS_WORDS + shape.facDim() + shape.nOut();
    if (off < 0 || off + nIn > counts.length || slot.length < words) {
      throw new IllegalArgumentException("online run: " + nIn + " counts from " + off + " of " + counts.length
          + ", slot of " + slot.length + " words for " + words);
    }
    if (rawBin == null) {
      rawBin = ByteBuffer.allocateDirect(nIn);
      rawSlot = ByteBuffer.allocateDirect(4 * words).order(ByteOrder.LITTLE_ENDIAN);
    }
    rawBin.put(0, counts, off, nIn);
    ringOwner = null; // the sessions' bins are no longer what the ring holds
    int ticket = LfadsNative.lfads_submit(handle, newWindow ? LfadsNative.MODE_ONLINE_RESET : LfadsNative.MODE_ONLINE,
        Pointer.nativeValue(Native.getDirectBufferPointer(rawBin)), nIn, 1);
    if (ticket < 0) throw LfadsNative.error(ticket, name + " backend: online run");
    int rc = LfadsNative.lfads_wait(handle, ticket, Pointer.nativeValue(Native.getDirectBufferPointer(rawSlot)), words);
    if (rc < 0) throw LfadsNative.error(rc, name + " backend: online run " + ticket);
    rawSlot.asIntBuffer().get(0, slot, 0, words);
  }

  /** Runs submitted and not yet awaited. */
  public int inFlight() {
    return handle == 0 ? 0 : LfadsNative.lfads_in_flight(handle);
  }

  @Override
  public long lastDeviceCycles() {
    return handle == 0 ? -1 : LfadsNative.lfads_last_cycles(handle);
  }

  @Override
  public BusCounters lastCallCounters() {
    return counters(LfadsNative.COUNTERS_LAST_CALL);
  }

  /** Bus counters since the device was opened (the image load included). */
  public BusCounters totalCounters() {
    return counters(LfadsNative.COUNTERS_TOTAL);
  }

  private BusCounters counters(int scope) {
    if (handle == 0) return null;
    long[] c = new long[BusCounters.WORDS];
    return LfadsNative.lfads_counters(handle, scope, c, c.length) < 0 ? null : BusCounters.of(c);
  }

  @Override
  public String deviceDescription() {
    return handle == 0 ? name : describe(handle);
  }

  private static String describe(long handle) {
    byte[] buf = new byte[512];
    if (LfadsNative.lfads_describe(handle, buf, buf.length) < 0) return "";
    int n = 0;
    while (n < buf.length && buf[n] != 0) n++;
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Reads the kernel's identity registers. */
  public DeviceIdentity identity() throws BackendException {
    int[] id = new int[4];
    int rc = LfadsNative.lfads_identity(handle, id);
    if (rc < 0) throw LfadsNative.error(rc, name + " backend: identity");
    return new DeviceIdentity(id[0], id[1], id[2], id[3]);
  }

  /** Sets the bound on every later run (milliseconds, > 0). */
  public void timeoutMillis(int ms) throws BackendException {
    int rc = LfadsNative.lfads_set_timeout_ms(handle, ms);
    if (rc < 0) throw LfadsNative.error(rc, name + " backend: timeout");
  }

  /** A call through the binding that does no work: what the JMH overhead benchmark measures. */
  public int noop() {
    return LfadsNative.lfads_noop(handle);
  }

  @Override
  public void close() {
    if (handle != 0) {
      LfadsNative.lfads_close(handle);
      handle = 0;
    }
  }

  // ---- driver-level queries that need no device -------------------------------------------------

  /** True when liblfadsrt is loaded. */
  public static boolean libraryAvailable() {
    return LfadsNative.available();
  }

  /** Why liblfadsrt is not loaded, with how to build it; null when it is loaded. */
  public static String libraryError() {
    return LfadsNative.loadError();
  }

  /** The driver's version string (lists the backends compiled in). */
  public static String libraryVersion() throws BackendException {
    LfadsNative.require();
    return LfadsNative.lfads_version();
  }

  /** Checks an image with the C driver's validator (header, section table, CRC). */
  public static void validateImage(byte[] image) throws BackendException {
    LfadsNative.require();
    int rc = LfadsNative.lfads_image_validate(image, image.length);
    if (rc < 0) throw LfadsNative.error(rc, "kernel image");
  }

  /** Opens {@code uri} without loading an image, reads the identity registers, closes it. */
  public static DeviceIdentity probe(String uri) throws BackendException {
    return probeDevice(uri).identity();
  }

  /** What {@link #probeDevice} finds: identity, the driver's description, and what the identity call cost on the bus. */
  public record Probe(DeviceIdentity identity, String description, BusCounters identityCost) {}

  /** Opens {@code uri} without loading an image, reads the identity registers and the device description, closes it. */
  public static Probe probeDevice(String uri) throws BackendException {
    LfadsNative.require();
    long[] h = new long[1];
    int rc = LfadsNative.lfads_open(uri, h);
    if (rc < 0) throw LfadsNative.error(rc, "open " + uri);
    try {
      long[] before = new long[BusCounters.WORDS], after = new long[BusCounters.WORDS];
      LfadsNative.lfads_counters(h[0], LfadsNative.COUNTERS_TOTAL, before, before.length);
      int[] id = new int[4];
      if ((rc = LfadsNative.lfads_identity(h[0], id)) < 0) throw LfadsNative.error(rc, "identity of " + uri);
      LfadsNative.lfads_counters(h[0], LfadsNative.COUNTERS_TOTAL, after, after.length);
      for (int i = 0; i < after.length; i++) after[i] -= before[i];
      return new Probe(new DeviceIdentity(id[0], id[1], id[2], id[3]), describe(h[0]), BusCounters.of(after));
    } finally {
      LfadsNative.lfads_close(h[0]);
    }
  }

  /** Number of XRT cards visible to the driver. */
  public static int xrtDeviceCount() throws BackendException {
    LfadsNative.require();
    int n = LfadsNative.lfads_xrt_device_count();
    if (n < 0) throw LfadsNative.error(n, "xrt devices");
    return n;
  }
}
