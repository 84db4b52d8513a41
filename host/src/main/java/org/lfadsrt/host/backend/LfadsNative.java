package org.lfadsrt.host.backend;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JNA direct mapping of liblfadsrt (drivers/include/lfads.h). Direct mapping ({@link Native#register})
 * compiles each call to a JNI stub with no per-call reflection; handles and buffer addresses cross as
 * {@code long}, so a call allocates nothing.
 *
 * <p>The library is looked up in this order: system property {@code lfadsrt.native}, environment
 * variable {@code LFADSRT_NATIVE} (paths to the .so), {@code <lfadsrt.root>/drivers/build}, then
 * next to the code: for the directory holding the host jar (or classes) and its parents up to four levels,
 * {@code DIR/liblfadsrt.so} and {@code DIR/drivers/build/liblfadsrt.so} (so {@code java -jar
 * host/target/lfads-rt-host.jar} finds the repository's library from any working directory), then JNA's own
 * search ({@code jna.library.path}, system paths). The working directory plays no part.
 */
final class LfadsNative {
  // Error codes of lfads.h.
  static final int E_INVALID = -1, E_NOT_AVAILABLE = -2, E_DEVICE = -3, E_TIMEOUT = -4, E_BAD_IMAGE = -5,
      E_NO_IMAGE = -6, E_NOMEM = -7, E_LOST = -8, E_FAILED = -9, E_BUSY = -10;
  // lfads_counters scopes.
  static final int COUNTERS_LAST_CALL = 0, COUNTERS_TOTAL = 1;

  static final String LIBRARY = "lfadsrt";
  private static final String LOAD_ERROR;

  static {
    String error = null;
    List<Path> candidates = candidates();
    try {
      NativeLibrary lib = null;
      for (Path p : candidates) {
        if (Files.isRegularFile(p)) {
          lib = NativeLibrary.getInstance(p.toAbsolutePath().toString());
          break;
        }
      }
      if (lib == null) lib = NativeLibrary.getInstance(LIBRARY);
      Native.register(LfadsNative.class, lib);
    } catch (Throwable t) {
      error = missingLibraryMessage(candidates, t.getMessage());
    }
    LOAD_ERROR = error;
  }

  private LfadsNative() {}

  static List<Path> candidates() {
    List<Path> c = new ArrayList<>();
    String prop = System.getProperty("lfadsrt.native");
    if (prop != null && !prop.isEmpty()) c.add(Path.of(prop));
    String env = System.getenv("LFADSRT_NATIVE");
    if (env != null && !env.isEmpty()) c.add(Path.of(env));
    String root = System.getProperty("lfadsrt.root");
    if (root != null && !root.isEmpty()) c.add(Path.of(root, "drivers", "build", "liblfadsrt.so"));
    c.addAll(besideTheCode());
    return c;
  }

  /** Candidates relative to where this class was loaded from (a jar or a classes directory), not the working directory. */
  static List<Path> besideTheCode() {
    List<Path> c = new ArrayList<>();
    Path at;
    try {
      var source = LfadsNative.class.getProtectionDomain().getCodeSource();
      if (source == null) return c;
      at = Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
      return c;
    }
    Path dir = Files.isDirectory(at) ? at : at.getParent();
    for (int up = 0; dir != null && up <= 4; up++, dir = dir.getParent()) {
      c.add(dir.resolve("liblfadsrt.so"));
      c.add(dir.resolve("drivers").resolve("build").resolve("liblfadsrt.so"));
    }
    return c;
  }

  /** What to tell the user when the library cannot be loaded: where we looked and how to build it. */
  static String missingLibraryMessage(List<Path> looked, String reason) {
    StringBuilder sb = new StringBuilder("native driver liblfadsrt.so not loaded (")
        .append(reason).append("); looked in:");
    for (Path p : looked) sb.append(' ').append(p.toAbsolutePath().normalize());
    sb.append(", jna.library.path=").append(System.getProperty("jna.library.path", "(unset)"));
    sb.append(". Build it with `make -C drivers` from the repository root (needs verilator and libxrt-dev: "
        + "scripts/setup.sh), or point -Dlfadsrt.native=/path/to/liblfadsrt.so at it");
    return sb.toString();
  }

  /** True when the native library is loaded. */
  static boolean available() {
    return LOAD_ERROR == null;
  }

  /** Why the library is not loaded (null when it is). */
  static String loadError() {
    return LOAD_ERROR;
  }

  static void require() throws BackendException {
    if (LOAD_ERROR != null) throw new BackendException(BackendException.Kind.NOT_AVAILABLE, LOAD_ERROR);
  }

  /** Maps a negative lfads.h code to an exception carrying the driver's message. */
  static BackendException error(int code, String what) {
    BackendException.Kind kind = switch (code) {
      case E_TIMEOUT -> BackendException.Kind.TIMEOUT;
      case E_LOST -> BackendException.Kind.DEVICE_LOST;
      case E_BAD_IMAGE -> BackendException.Kind.BAD_IMAGE;
      case E_NOT_AVAILABLE -> BackendException.Kind.NOT_AVAILABLE;
      case E_INVALID -> BackendException.Kind.INVALID_INPUT;
      default -> BackendException.Kind.DEVICE_ERROR;
    };
    return new BackendException(kind, what + ": " + lfads_errmsg() + " (lfads error " + code + ")");
  }

  static native String lfads_errmsg();

  static native String lfads_version();

  /** out[0] receives the handle. */
  static native int lfads_open(String uri, long[] out);

  static native void lfads_close(long dev);

  static native int lfads_identity(long dev, int[] out);

  static native int lfads_image_validate(byte[] image, long bytes);

  static native int lfads_load_image(long dev, byte[] image, long bytes);

  static native int lfads_shape(long dev, int[] out);

  static native int lfads_run(long dev, long spikes, long spikeBytes, long out, long outWords, int trials);

  static native long lfads_last_cycles(long dev);

  static native int lfads_set_timeout_ms(long dev, int ms);

  static native int lfads_noop(long dev);

  static native int lfads_xrt_device_count();

  static native int lfads_counters(long dev, int scope, long[] out, long words);

  /** lfads.h LFADS_MODE_TRIALS. */
  static final int MODE_TRIALS = 0;

  /** lfads.h LFADS_MODE_ONLINE: one bin pushed into the kernel's window ring (docs/kernel-numerics.md §13). */
  static final int MODE_ONLINE = 1;

  /** lfads.h LFADS_MODE_ONLINE_RESET: as MODE_ONLINE, the first bin of a new window. */
  static final int MODE_ONLINE_RESET = 2;

  /** lfads.h LFADS_ONLINE_OUT_STATUS_WORDS: status words before an online run's outputs in lfads_wait's buffer. */
  static final int ONLINE_OUT_STATUS_WORDS = 16;

  static native int lfads_submit(long dev, int mode, long input, long inputBytes, int trials);

  static native int lfads_wait(long dev, int ticket, long out, long outWords);

  static native int lfads_in_flight(long dev);

  static native int lfads_describe(long dev, byte[] buf, long cap);
}
