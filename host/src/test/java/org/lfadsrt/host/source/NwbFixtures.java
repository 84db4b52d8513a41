package org.lfadsrt.host.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Generates NWB-shaped test files with Debian's python3-h5py (host/src/test/python/make_nwb.py). */
public final class NwbFixtures {
  private NwbFixtures() {}

  public static final Path PYTHON = Path.of("/usr/bin/python3");

  static Path script() {
    return Path.of(System.getProperty("lfadsrt.root", "."), "host", "src", "test", "python", "make_nwb.py");
  }

  /** Runs make_nwb.py with the given arguments; fails the test with its output on error. */
  public static void run(Path out, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script().toString(), out.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "make_nwb.py failed: " + output);
  }

  public static boolean available() {
    return Files.isExecutable(PYTHON) && Files.exists(Path.of("/usr/lib/python3/dist-packages/h5py/__init__.py"));
  }
}
