package org.lfadsrt.host.reliability;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.NativeBackend;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.record.Recorder;
import org.lfadsrt.host.record.RecordingHeader;
import org.lfadsrt.host.record.RecordingReader;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.ProtocolError;
import org.lfadsrt.host.server.RigDecoder;
import org.lfadsrt.host.server.RigEncoder;
import org.lfadsrt.host.server.RigMessage;
import org.lfadsrt.host.source.IngestProtocol;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.TcpIngestSource;
import org.lfadsrt.sim.contract.KernelContract;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.KernelImageException;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.ModelFile;
import org.lfadsrt.sim.model.RandomModels;

/**
 * Fuzzing of every decoder that takes bytes from outside: rig-protocol frames (the server's
 * {@link RigDecoder} in an {@link EmbeddedChannel}), ingest frames ({@link TcpIngestSource}), recordings
 * ({@link RecordingReader}), model files ({@link ModelFile}), NumPy arrays ({@link Npy}) and kernel images
 * ({@link KernelImage}, and the C driver's validator when liblfadsrt is built: see {@link #checkKernelImage}). Inputs are
 * valid seeds with random mutations (byte flips, truncation, extension, splices, boundary values in
 * length and count fields) plus pure noise. A target passes an input when it yields messages or its
 * documented error (ProtocolError, ingest ERROR, IOException with a message) and nothing else: no other
 * exception, no hang, no leaked buffer (tests run with Netty's paranoid leak detector).
 *
 * <p>The jqwik properties in the tests call the per-target checks; {@link #run} drives them with a plain
 * random generator for the soak (10 million inputs).
 */
public final class DecoderFuzz {
  /** The decoders fuzzed. */
  public enum Target { RIG_FRAME, INGEST, RECORDING, MODEL_FILE, NPY, KERNEL_IMAGE }

  public record Report(long inputs, long[] perTarget, double seconds, List<String> failures) {
    public void print(PrintStream out) {
      StringBuilder sb = new StringBuilder();
      for (Target t : Target.values()) sb.append(t.name().toLowerCase(Locale.ROOT)).append(' ').append(perTarget[t.ordinal()]).append(", ");
      out.printf(Locale.ROOT, "fuzz: %d inputs in %.1f s (%s) -> %s%n", inputs, seconds, sb.substring(0, sb.length() - 2),
          failures.isEmpty() ? "no failures" : failures.size() + " FAILURES: " + String.join(" | ", failures.subList(0,
              Math.min(5, failures.size()))));
    }
  }

  private DecoderFuzz() {}

  // ------------------------------------------------------------------ seeds

  private static final List<byte[]> RIG_SEEDS = rigSeeds();
  private static final List<byte[]> INGEST_SEEDS = ingestSeeds();
  private static byte[] recordingSeed;
  private static byte[] modelSeed;
  private static byte[] npySeed;
  private static List<byte[]> imageSeeds;

  private static List<byte[]> rigSeeds() {
    List<RigMessage> ms = List.of(
        new RigMessage.Hello(1, 1, "client", "tok"),
        new RigMessage.Subscribe(Protocol.STREAM_ALL, 3),
        new RigMessage.Subscribe(Protocol.STREAM_FACTORS, 1, Protocol.SUBSCRIBE_CREDIT),
        RigMessage.Credit.of(1),
        new RigMessage.Heartbeat(123, 456),
        new RigMessage.Control(Protocol.OP_STOP, "now"),
        new RigMessage.ControlReply(1, 0, "ok"),
        new RigMessage.Notice(1, "failover"),
        new RigMessage.Error(3, "bad"),
        new RigMessage.Status(1, 2, 3, 4, 5, 6, 7, 8, 9.5, List.of(new RigMessage.DropCount("late", 3))),
        new RigMessage.Result(1, 2, 3, 4, 5, 6, 7, 0, 1, 7, new float[] {1, 2}, new float[] {3}, new float[] {Float.NaN}),
        new RigMessage.Handshake(1, 9, 1, 2, 8, 8, 3, 0, 4, 4, 1_000_000, 1000, 1 << 20, 65536, "s", "t", "id", "float",
            "online", "m", "float32", List.of("x", "y")));
    List<byte[]> out = new ArrayList<>();
    for (RigMessage m : ms) {
      out.add(RigEncoder.toBytes(m));
    }
    return out;
  }

  static final int INGEST_CHANNELS = 4;

  private static List<byte[]> ingestSeeds() {
    List<byte[]> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 10 + 2 * INGEST_CHANNELS).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(b.capacity() - 4).put((byte) IngestProtocol.BIN_COUNTS).put((byte) 1).putShort((short) 0).putLong(1000)
        .putShort((short) INGEST_CHANNELS);
    for (int c = 0; c < INGEST_CHANNELS; c++) b.putShort((short) c);
    out.add(b.array());
    ByteBuffer e = ByteBuffer.allocate(4 + 4 + 2 + 3 * 10).order(ByteOrder.LITTLE_ENDIAN);
    e.putInt(e.capacity() - 4).put((byte) IngestProtocol.SPIKE_EVENTS).put((byte) 1).putShort((short) 0).putShort((short) 3);
    e.putShort((short) 0).putLong(100).putShort((short) 1).putLong(1_500_000).putShort((short) 3).putLong(2_600_000);
    out.add(e.array());
    ByteBuffer t = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    t.putInt(12).put((byte) IngestProtocol.TICK).put((byte) 1).putShort((short) 0).putLong(9_000_000);
    out.add(t.array());
    out.add(new byte[] {4, 0, 0, 0, (byte) IngestProtocol.TRIAL_START, 1, 0, 0});
    out.add(new byte[] {4, 0, 0, 0, (byte) IngestProtocol.TRIAL_END, 1, 0, 0});
    return out;
  }

  private static synchronized byte[] recordingSeed() throws IOException {
    if (recordingSeed == null) {
      java.nio.file.Path f = java.nio.file.Files.createTempFile("fuzz-seed", ".lfrec");
      try {
        RecordingHeader h = new RecordingHeader(3, 2, 3, 1, 4, 1_000_000, 0, "seed", "m", "float");
        Recorder r = Recorder.create(f, h, 1 << 16, 1000, msg -> {});
        BinResult res = new BinResult(2, 3, 1);
        for (int i = 0; i < 4; i++) {
          r.bin(SpikeSource.BIN, new int[] {i, 1, 2}, 3, i, 100 + i);
          res.seq = i;
          res.binIndex = i;
          res.factors[0] = i;
          r.publish(res);
        }
        r.note(1, "note");
        r.close();
        recordingSeed = java.nio.file.Files.readAllBytes(f);
      } finally {
        java.nio.file.Files.deleteIfExists(f);
      }
    }
    return recordingSeed;
  }

  private static synchronized byte[] modelSeed() throws IOException {
    if (modelSeed == null) {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      try (org.lfadsrt.sim.io.NpzWriter w = new org.lfadsrt.sim.io.NpzWriter(bos)) {
        ModelFile.write(RandomModels.demo(new LfadsConfig(2, 2, 2, 2, 2, 0, 1, 0, 0, 2, 2, 2, 5.0), 1), w);
      }
      modelSeed = bos.toByteArray();
    }
    return modelSeed;
  }

  private static synchronized byte[] npySeed() {
    if (npySeed == null) {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      try {
        Npy.write(bos, Npy.read(npyOf(), "seed"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      npySeed = bos.toByteArray();
    }
    return npySeed;
  }

  /** Kernel images of two small models (with and without controller) at W = 16 and W = 12. */
  private static synchronized List<byte[]> imageSeeds() {
    if (imageSeeds == null) {
      List<byte[]> out = new ArrayList<>();
      LfadsConfig plain = new LfadsConfig(3, 3, 3, 4, 4, 0, 1, 0, 0, 2, 4, 2, 5.0);
      LfadsConfig con = new LfadsConfig(3, 3, 3, 4, 4, 2, 1, 2, 1, 2, 4, 2, 5.0);
      int bits = 16;
      for (LfadsConfig c : List.of(plain, con)) {
        var model = RandomModels.demo(c, 3);
        out.add(Quantizer.quantize(model, RandomModels.poissonSpikes(c, 4, 0.3, 1), bits).toBytes());
        bits = 12;
      }
      imageSeeds = List.copyOf(out);
    }
    return imageSeeds;
  }

  /** Header words worth hitting: dimensions, widths, formats, the section table, payload length. */
  static final int[] HUGE = {KernelImage.MAX_DIM, KernelImage.MAX_DIM + 1, 1 << 20, 1 << 30, Integer.MAX_VALUE, -1,
      Integer.MIN_VALUE, 0, 1, 2, 7, 8, 18, 19, 40, 62, 63, 16, 1024, 4096};

  /**
   * A mutated kernel image that mostly gets past the CRC: header words set to boundary or huge values (dims,
   * section rows/cols/offsets, PAYLOAD_WORDS), payload bits flipped with the CRC fixed up (so content checks
   * run), truncations and extensions (wrong lengths), or the generic byte mutations.
   */
  static byte[] mutateImage(byte[] seed, SplittableRandom r) {
    int headerWords = KernelContract.IMAGE_HEADER_WORDS;
    byte[] a = seed.clone();
    ByteBuffer bb = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    switch (r.nextInt(6)) {
      case 0 -> { // one or two header words: boundary / huge values
        for (int k = 0, n = 1 + r.nextInt(2); k < n; k++) {
          int word = r.nextInt(4) == 0 ? r.nextInt(headerWords)
              : r.nextBoolean() ? KernelContract.H_DATA_WIDTH + r.nextInt(KernelContract.H_SECTION_TABLE - KernelContract.H_DATA_WIDTH)
              : KernelContract.H_SECTION_TABLE + r.nextInt(KernelContract.SECTION_COUNT * KernelContract.SECTION_ENTRY_WORDS);
          int old = bb.getInt(4 * word);
          int v = switch (r.nextInt(3)) {
            case 0 -> HUGE[r.nextInt(HUGE.length)];
            case 1 -> old + r.nextInt(33) - 16;
            default -> old ^ (1 << r.nextInt(32));
          };
          bb.putInt(4 * word, v);
        }
      }
      case 1 -> { // section count / payload length vs the file: PAYLOAD_WORDS edits
        int v = r.nextBoolean() ? HUGE[r.nextInt(HUGE.length)] : bb.getInt(4 * KernelContract.H_PAYLOAD_WORDS) + r.nextInt(65) - 32;
        bb.putInt(4 * KernelContract.H_PAYLOAD_WORDS, v);
      }
      case 2 -> { // payload bit flips, CRC fixed so the content checks see them
        if (a.length > KernelContract.IMAGE_HEADER_BYTES) {
          for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) {
            int at = KernelContract.IMAGE_HEADER_BYTES + r.nextInt(a.length - KernelContract.IMAGE_HEADER_BYTES);
            a[at] ^= (byte) (1 << r.nextInt(8));
          }
        }
      }
      case 3 -> a = java.util.Arrays.copyOf(a, r.nextInt(a.length + 1)); // truncation
      case 4 -> a = java.util.Arrays.copyOf(a, a.length + 4 * (1 + r.nextInt(64))); // trailing words
      default -> a = mutate(a, r, false);
    }
    if (r.nextInt(4) != 0 && a.length >= KernelContract.IMAGE_HEADER_BYTES) fixCrc(a);
    return a;
  }

  /** Rewrites PAYLOAD_CRC32 over the payload PAYLOAD_WORDS claims (when the file holds it). */
  static void fixCrc(byte[] a) {
    ByteBuffer bb = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    long words = bb.getInt(4 * KernelContract.H_PAYLOAD_WORDS);
    if (words < 0 || KernelContract.IMAGE_HEADER_BYTES + 4 * words > a.length) return;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(a, KernelContract.IMAGE_HEADER_BYTES, (int) (4 * words));
    bb.putInt(4 * KernelContract.H_PAYLOAD_CRC32, (int) crc.getValue());
  }

  /** A hand-written version-1.0 .npy of a 2x3 float64 array. */
  private static byte[] npyOf() {
    String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    StringBuilder h = new StringBuilder(header);
    h.append(" ".repeat(pad)).append('\n');
    ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 48).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0).putShort((short) h.length()).put(h.toString().getBytes());
    for (int i = 0; i < 6; i++) b.putDouble(i * 0.5);
    return b.array();
  }

  // ------------------------------------------------------------------ mutation

  /** One fuzz input for {@code target}: a mutated seed (mostly) or noise. */
  public static byte[] input(Target target, SplittableRandom r) {
    try {
      byte[] seed = switch (target) {
        case RIG_FRAME -> RIG_SEEDS.get(r.nextInt(RIG_SEEDS.size()));
        case INGEST -> concat(r, INGEST_SEEDS, 1 + r.nextInt(4));
        case RECORDING -> recordingSeed();
        case MODEL_FILE -> modelSeed();
        case NPY -> npySeed();
        case KERNEL_IMAGE -> imageSeeds().get(r.nextInt(imageSeeds().size()));
      };
      if (r.nextInt(16) == 0) {
        byte[] noise = new byte[r.nextInt(64)];
        r.nextBytes(noise);
        return noise;
      }
      if (target == Target.KERNEL_IMAGE) return mutateImage(seed, r);
      return mutate(seed, r, target == Target.RIG_FRAME || target == Target.INGEST);
    } catch (IOException e) {
      throw new IllegalStateException("fuzz seed could not be built", e);
    }
  }

  private static byte[] concat(SplittableRandom r, List<byte[]> seeds, int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) out.writeBytes(seeds.get(r.nextInt(seeds.size())));
    return out.toByteArray();
  }

  static final int[] INTERESTING = {0, 1, -1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF, 0x8000, Integer.MAX_VALUE, Integer.MIN_VALUE, 4, 8};

  /** Mutates a copy: 1-4 of flips, boundary values, truncation, extension, splices; framed inputs also get length edits. */
  public static byte[] mutate(byte[] seed, SplittableRandom r, boolean framed) {
    byte[] a = seed.clone();
    int ops = 1 + r.nextInt(4);
    for (int k = 0; k < ops; k++) {
      if (a.length == 0) a = new byte[] {(byte) r.nextInt(256)};
      switch (r.nextInt(framed ? 7 : 6)) {
        case 0 -> a[r.nextInt(a.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> a[r.nextInt(a.length)] = (byte) r.nextInt(256);
        case 2 -> { // boundary value at a random (aligned-ish) place
          int at = r.nextInt(a.length);
          int v = INTERESTING[r.nextInt(INTERESTING.length)];
          int width = 1 << r.nextInt(3);
          for (int i = 0; i < width && at + i < a.length; i++) a[at + i] = (byte) (v >>> (8 * i));
        }
        case 3 -> a = java.util.Arrays.copyOf(a, r.nextInt(a.length + 1));
        case 4 -> {
          byte[] tail = new byte[1 + r.nextInt(16)];
          r.nextBytes(tail);
          byte[] b = java.util.Arrays.copyOf(a, a.length + tail.length);
          System.arraycopy(tail, 0, b, a.length, tail.length);
          a = b;
        }
        case 5 -> { // splice: repeat a slice
          int from = r.nextInt(a.length), len = 1 + r.nextInt(Math.min(32, a.length - from));
          byte[] b = new byte[a.length + len];
          int at = r.nextInt(a.length + 1);
          System.arraycopy(a, 0, b, 0, at);
          System.arraycopy(a, from, b, at, len);
          System.arraycopy(a, at, b, at + len, a.length - at);
          a = b;
        }
        default -> { // a length field: first 4 bytes
          if (a.length >= 4) {
            int v = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : a.length - 4 + r.nextInt(9) - 4;
            a[0] = (byte) v;
            a[1] = (byte) (v >>> 8);
            a[2] = (byte) (v >>> 16);
            a[3] = (byte) (v >>> 24);
          }
        }
      }
    }
    return a;
  }

  // ------------------------------------------------------------------ per-target checks (null = passed)

  /** Feeds the bytes (in 1-3 random chunks) to a server-side RigDecoder; every output must be a message or a ProtocolError. */
  public static String checkRigFrame(byte[] input, SplittableRandom r) {
    EmbeddedChannel ch = new EmbeddedChannel(new RigDecoder(Protocol.MAX_CLIENT_FRAME));
    try {
      int at = 0;
      while (at < input.length) {
        int n = r == null ? input.length : 1 + r.nextInt(input.length - at);
        ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
        at += n;
      }
      Object o;
      while ((o = ch.readInbound()) != null) {
        if (!(o instanceof RigMessage) && !(o instanceof ProtocolError)) return "rig decoder emitted " + o.getClass().getName();
        if (o instanceof ProtocolError e && (e.message() == null || e.message().isEmpty())) return "ProtocolError without a message";
      }
      ch.finish();
      while ((o = ch.readInbound()) != null) {
        if (!(o instanceof RigMessage) && !(o instanceof ProtocolError)) return "rig decoder emitted " + o.getClass().getName();
      }
      return null;
    } catch (RuntimeException e) {
      return "rig decoder threw " + e + " on " + hex(input);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** Reads the bytes as one ingest connection; the source must end, reject (counted) or deliver bins, nothing else. */
  public static String checkIngest(byte[] input) {
    final byte[][] once = {input};
    TcpIngestSource src = TcpIngestSource.overStreams(() -> {
      byte[] b = once[0];
      once[0] = null;
      return b == null ? null : new ByteArrayInputStream(b);
    }, INGEST_CHANNELS, 1_000_000);
    int[] counts = new int[INGEST_CHANNELS];
    try {
      for (int events = 0; events < 10_000; events++) {
        int f = src.next(counts);
        if (f == SpikeSource.END_OF_STREAM) return null;
        if ((f & SpikeSource.BIN) != 0) {
          for (int c : counts) if (c < 0 || c > 0xFFFF) return "ingest produced count " + c;
        }
      }
      return "ingest: one input of " + input.length + " bytes produced more than 10000 events (clock jump flood?) " + hex(input);
    } catch (IOException e) {
      return e.getMessage() == null ? "ingest IOException without a message" : null;
    } catch (RuntimeException e) {
      return "ingest threw " + e + " on " + hex(input);
    } finally {
      src.close();
    }
  }

  /** Reads a (mutated) recording: header errors are RecordingFormatExceptions, records end at a tail or END. */
  public static String checkRecording(byte[] input) {
    try (RecordingReader rr = new RecordingReader(new ByteArrayInputStream(input), "fuzz")) {
      int n = 0;
      while (rr.next() != null) {
        if (++n > 10_000) return "recording reader did not stop";
      }
      if (!rr.complete() && rr.tail() == null) return "recording reader stopped without END and without a tail";
      return null;
    } catch (IOException e) {
      return e.getMessage() == null ? "recording IOException without a message" : null;
    } catch (RuntimeException e) {
      return "recording reader threw " + e;
    }
  }

  /** Loads a (mutated) model file: a model, or an IOException / IllegalArgumentException naming the problem. */
  public static String checkModelFile(byte[] input) {
    try (InputStream in = new ByteArrayInputStream(input)) {
      ModelFile.load(in, "fuzz.npz");
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return e.getMessage() == null || e.getMessage().isEmpty() ? "model error without a message: " + e : null;
    } catch (RuntimeException | OutOfMemoryError e) {
      return "model loader threw " + e;
    }
  }

  /** Reads a (mutated) .npy. */
  public static String checkNpy(byte[] input) {
    try {
      Npy.read(input, "fuzz.npy");
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return e.getMessage() == null ? "npy error without a message: " + e : null;
    } catch (RuntimeException | OutOfMemoryError e) {
      return "npy reader threw " + e;
    }
  }

  /**
   * Parses a (mutated) kernel image: a valid image, or a {@link KernelImageException} whose field names the
   * header word, section or length at fault; never another exception type, never an out-of-memory. When the C
   * driver is loadable, its validator (header, section table, CRC) must agree where the two overlap: an image
   * Java accepts is one C accepts, and one C rejects is one Java rejects.
   */
  public static String checkKernelImage(byte[] input) {
    boolean javaAccepts;
    try {
      KernelImage.fromBytes(input);
      javaAccepts = true;
    } catch (KernelImageException e) {
      if (e.field() == null || e.field().isEmpty() || e.getMessage() == null) return "kernel image error without a field: " + e;
      javaAccepts = false;
    } catch (RuntimeException | OutOfMemoryError e) {
      return "kernel image parser threw " + e + " on " + hex(input);
    }
    if (NATIVE_VALIDATOR) {
      try {
        NativeBackend.validateImage(input);
        if (!javaAccepts) return null; // C checks less (no value ranges): fine
      } catch (BackendException e) {
        if (e.kind() != BackendException.Kind.BAD_IMAGE) return "C validator answered " + e.kind() + ": " + e.getMessage();
        if (javaAccepts) return "C validator rejects an image Java accepts: " + e.getMessage();
      }
    }
    return null;
  }

  /** The C driver's validator is fuzzed too when liblfadsrt is built (`make test` builds it). */
  static final boolean NATIVE_VALIDATOR = NativeBackend.libraryAvailable();

  public static String check(Target t, byte[] input, SplittableRandom r) {
    return switch (t) {
      case RIG_FRAME -> checkRigFrame(input, r);
      case INGEST -> checkIngest(input);
      case RECORDING -> checkRecording(input);
      case MODEL_FILE -> checkModelFile(input);
      case NPY -> checkNpy(input);
      case KERNEL_IMAGE -> checkKernelImage(input);
    };
  }

  /** Share of inputs per target (rig frames and ingest are the network-facing ones). */
  static final double[] SHARE = {0.40, 0.32, 0.09, 0.02, 0.07, 0.10};

  /** {@code n} inputs across all targets; prints progress every 10 s. */
  public static Report run(long n, long seed, PrintStream progress) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] per = new long[Target.values().length];
    List<String> failures = new ArrayList<>();
    long t0 = System.nanoTime(), lastPrint = t0;
    for (Target t : Target.values()) {
      long quota = (long) Math.ceil(n * SHARE[t.ordinal()]);
      for (long i = 0; i < quota; i++) {
        String f = check(t, input(t, r), r);
        per[t.ordinal()]++;
        if (f != null && failures.size() < 100) failures.add(t + ": " + f);
        if (progress != null && (i & 0xFFF) == 0 && System.nanoTime() - lastPrint > 10_000_000_000L) {
          lastPrint = System.nanoTime();
          progress.printf("fuzz: %s %d / %d%n", t, i, quota);
        }
      }
    }
    long total = 0;
    for (long p : per) total += p;
    return new Report(total, per, (System.nanoTime() - t0) / 1e9, failures);
  }

  static String hex(byte[] a) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(a.length, 48); i++) sb.append(String.format("%02x", a[i]));
    if (a.length > 48) sb.append("...(").append(a.length).append(" bytes)");
    return sb.toString();
  }
}
