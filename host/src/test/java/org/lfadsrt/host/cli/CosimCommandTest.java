package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The reduced co-simulation of `make test`: random odd-shaped models (with and without controller, W = 16
 * and 12, saturating weights and inputs) through the small-configuration RTL harnesses that
 * `make -C hdl test` builds, compared value by value with the Java bit-accurate model. Plus the
 * comparison path itself, with a fake harness that returns wrong words.
 */
class CosimCommandTest {

  private static final Path HDL_BUILD = Path.of("..", "hdl", "build");

  private static String[] run(String... args) {
    StringWriter sw = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(sw));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), sw.toString()};
  }

  @Test
  void rtlMatchesJavaModelOnRandomModels() {
    assumeTrue(Files.isExecutable(HDL_BUILD.resolve("lfads_harness_small"))
            && Files.isExecutable(HDL_BUILD.resolve("lfads_harness_small_w12")),
        "RTL harnesses not built: run `make -C hdl test` (the root `make test` does) first");
    String[] r = run("cosim", "--harness-dir", HDL_BUILD.toString(), "--random-models", "6", "--shapes", "odd,oddcon",
        "--trials", "3", "--bits", "16,12", "--seed", "7");
    String out = r[1];
    Matcher m = Pattern.compile("mismatches: (\\d+) of (\\d+) values\\s*$").matcher(out);
    assertTrue(m.find(), out);
    assertEquals("0", m.group(1), out);
    assertTrue(Long.parseLong(m.group(2)) > 1000, out);
    assertTrue(out.contains("cases run: 6 of 6"), out);
    assertTrue(out.contains("W=12") && out.contains("W=16"), out);
    assertTrue(out.contains("(+0.00%)"), "cycle model matches the RTL's CYCLES:\n" + out);
    assertEquals("0", r[0], out);
  }

  /**
   * The online kernel mode (docs/kernel-numerics.md §13) against {@link org.lfadsrt.sim.fixed.FixedOnlineWindow}: per
   * model three windows' worth of bins, one run each (warm-up with zero-padded windows, the ring wrapping, a window
   * reset in the middle and a second warm-up), models with and without controller, saturating weights and counts up
   * to 255, both widths. Every bin's factor and log-rate words, its status block and its cycles (CycleModel) must
   * match; the host side makes at most 2 register writes and no read per bin.
   */
  @Test
  void onlineModeMatchesFixedOnlineWindow() {
    assumeTrue(Files.isExecutable(HDL_BUILD.resolve("lfads_harness_small"))
            && Files.isExecutable(HDL_BUILD.resolve("lfads_harness_small_w12")),
        "RTL harnesses not built: run `make -C hdl test` (the root `make test` does) first");
    String[] r = run("cosim", "--online", "--harness-dir", HDL_BUILD.toString(), "--random-models", "6", "--shapes",
        "odd,oddcon", "--trials", "3", "--bits", "16,12", "--seed", "11");
    String out = r[1];
    Matcher m = Pattern.compile("mismatches: (\\d+) of (\\d+) values\\s*$").matcher(out);
    assertTrue(m.find(), out);
    assertEquals("0", m.group(1), out);
    assertTrue(Long.parseLong(m.group(2)) > 1000, out);
    assertTrue(out.contains("cases run: 6 of 6"), out);
    assertTrue(out.contains("W=12") && out.contains("W=16") && out.contains("-hot"), out);
    assertTrue(out.contains("reg writes/bin <= 2, reads/bin 0 "), out);
    assertEquals("0", r[0], out);
  }

  /** Online mode under random AXI stalls on every channel and three buffer slots: the words still match. */
  @Test
  void onlineModeUnderBackPressure() {
    assumeTrue(Files.isExecutable(HDL_BUILD.resolve("lfads_harness_small")),
        "RTL harnesses not built: run `make -C hdl test` (the root `make test` does) first");
    String[] r = run("cosim", "--online", "--harness", HDL_BUILD.resolve("lfads_harness_small").toString(),
        "--random-models", "2", "--shapes", "oddcon,odd", "--trials", "3", "--bits", "16", "--seed", "12",
        "--stall", "30", "--slots", "3");
    String out = r[1];
    assertTrue(out.contains("cases run: 2 of 2"), out);
    assertTrue(Pattern.compile("mismatches: 0 of [1-9]\\d* values\\s*$").matcher(out).find(), out);
    assertEquals("0", r[0], out);
  }

  @Test
  void rtlMatchesJavaModelOnTrainedModels() {
    assumeTrue(Files.isExecutable(HDL_BUILD.resolve("lfads_harness_small")),
        "RTL harnesses not built: run `make -C hdl test` (the root `make test` does) first");
    // lfads-torch checkpoints exported by sim/python (with/without controller, ci_lag 0 and 2, cell_clip 0.7)
    Path golden = Path.of("..", "sim", "src", "test", "resources", "golden");
    String[] r = run("cosim", "--harness-dir", HDL_BUILD.toString(), "--trials", "3", "--bits", "16,12",
        "--model", golden.resolve("one_bin_con/model.npz").toString(),
        "--model", golden.resolve("primes_lag0/model.npz").toString(),
        "--model", golden.resolve("primes_lag2/model.npz").toString());
    String out = r[1];
    assertTrue(out.contains("cases run: 6 of 6"), out);
    assertTrue(Pattern.compile("mismatches: 0 of [1-9]\\d* values\\s*$").matcher(out).find(), out);
    assertEquals("0", r[0], out);
  }

  @Test
  void reportsFirstMismatchAndFails(@TempDir Path dir) throws Exception {
    // a "harness" that claims W=16 and writes all-zero outputs
    Path fake = dir.resolve("lfads_harness_fake");
    Files.writeString(fake, String.join("\n",
        "#!/bin/bash",
        "if [ \"$1\" = --info ]; then",
        "  printf 'data_width: 16\\nrow_lanes: 8\\ncol_lanes: 4\\nmax_n_in: 64\\nmax_n_out: 64\\nmax_t_enc: 32\\n'",
        "  printf 'max_t_rec: 32\\nmax_hidden: 64\\nmax_tiles: 4096\\nmax_row_blocks: 512\\n'; exit 0; fi",
        "while [ $# -gt 0 ]; do case $1 in --out) out=$2; shift;; esac; shift; done",
        "head -c 1000000 /dev/zero > \"$out\"",
        "echo 'cycles: 1000'",
        ""));
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    String[] r = run("cosim", "--harness", fake.toString(), "--random-models", "1", "--shapes", "odd", "--trials", "2",
        "--bits", "16", "--seed", "3");
    String out = r[1];
    assertEquals("1", r[0], out);
    assertTrue(out.contains("first mismatch: random00-odd: trial 0, layer "), out);
    assertTrue(Pattern.compile("mismatches: [1-9]\\d* of \\d+ values\\s*$").matcher(out).find(), out);
  }

  @Test
  void noHarnessIsAnError(@TempDir Path dir) {
    String[] r = run("cosim", "--harness-dir", dir.toString(), "--random-models", "1");
    assertEquals("2", r[0]);
    assertTrue(r[1].contains("no harness binary found"), r[1]);
  }
}
