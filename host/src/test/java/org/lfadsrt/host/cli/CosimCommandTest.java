package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.NativeBackend;
import org.lfadsrt.sim.contract.KernelContract;
import org.lfadsrt.sim.contract.OnlineBuffers;
import org.lfadsrt.sim.fixed.CycleModel;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.RandomModels;
import picocli.CommandLine;

/**
 * The reduced co-simulation of `make test`: random odd-shaped models (with and without controller, W = 16
 * and 12, saturating weights and inputs) through the small-configuration RTL harnesses that
 * `make -C hdl test` builds, compared value by value with the Java bit-accurate model. Plus the
 * comparison path itself, with a fake harness that returns wrong words. And the same through the emu library in
 * process ({@code cosim --emu}), which must agree with the harness word for word.
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
   * to 255, both widths, and a whole-trial run in the third window (which ends the window). Every bin's factor and
   * log-rate words, its status block and its cycles (CycleModel) must match, as must the status blocks of the two
   * failing online runs the harness makes first (no image: ERROR_CODE 6; no slots: 7); the host side makes at most 2
   * register writes and no read per bin.
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
        "  printf 'max_t_rec: 32\\nmax_hidden: 64\\nmax_tiles: 4096\\nmax_row_blocks: 512\\nslr_crossing_stages: 1\\n'; exit 0; fi",
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

  private static void assumeEmuLibrary() throws BackendException {
    assumeTrue(NativeBackend.libraryAvailable(), NativeBackend::libraryError);
    assumeTrue(NativeBackend.libraryVersion().contains("emu"),
        "liblfadsrt was built without the emulated kernel (hdl/rtl/lfads_kernel.v missing at build time)");
  }

  private static void assertAllMatch(String[] r, int cases) {
    String out = r[1];
    Matcher m = Pattern.compile("mismatches: (\\d+) of (\\d+) values\\s*$").matcher(out);
    assertTrue(m.find(), out);
    assertEquals("0", m.group(1), out);
    assertTrue(Long.parseLong(m.group(2)) > 1000, out);
    assertTrue(out.contains("cases run: " + cases + " of " + cases), out);
    assertEquals("0", r[0], out);
  }

  /**
   * In process through the emu library: random models with and without controller, saturating weights and counts up to
   * 255, every word equal to the Java model's and every run's CYCLES equal to CycleModel's for the library's kernel
   * configuration (which cosim reads from the library).
   */
  @Test
  void emuMatchesJavaModelOnRandomModels() throws Exception {
    assumeEmuLibrary();
    String[] r = run("cosim", "--emu", "--random-models", "4", "--shapes", "odd,oddcon", "--trials", "3", "--bits", "16",
        "--seed", "7");
    assertAllMatch(r, 4);
    String out = r[1];
    assertTrue(out.contains("emu library (in process): W=16, 8x4 MAC lanes"), out);
    assertTrue(out.contains("-hot"), out);
    assertEquals(4, Pattern.compile("trials=3 .* model=\\d+ +\\(\\+0\\.00%\\)").matcher(out).results().count(),
        "every case's CYCLES is CycleModel's:\n" + out);
  }

  /**
   * The online mode in process: per model the bins of three trials, one run each, a window reset in the second trial
   * and a whole-trial run in the third; every bin's words and status block (its CYCLES: CycleModel.predictOnline) must
   * match, at no register read and at most 2 register writes per bin.
   */
  @Test
  void emuOnlineModeMatchesFixedOnlineWindow() throws Exception {
    assumeEmuLibrary();
    String[] r = run("cosim", "--emu", "--online", "--random-models", "4", "--shapes", "odd,oddcon", "--trials", "3",
        "--bits", "16", "--seed", "11");
    assertAllMatch(r, 4);
    String out = r[1];
    assertTrue(out.contains("-hot") && out.contains("oddcon"), out);
    assertEquals(4, Pattern.compile("reg writes/bin <= [12], reads/bin 0 ").matcher(out).results().count(), out);
  }

  /** An image the library's kernel cannot take is skipped with the limit named; with none run, cosim fails. */
  @Test
  void emuSkipsImagesItsKernelCannotTake() throws Exception {
    assumeEmuLibrary();
    String[] r = run("cosim", "--emu", "--random-models", "1", "--shapes", "odd", "--bits", "12", "--trials", "1");
    String out = r[1];
    assertTrue(out.contains("random00-odd") && out.contains("skipped: the emu library's kernel does not take it: "
        + "image W=12, kernel W=16 (drivers/Makefile EMU_PARAMS)"), out);
    assertTrue(out.contains("cases run: 0 of 1"), out);
    assertEquals("1", r[0], out);
  }

  /** The size checks name the limit an image exceeds (a paper-size model against smaller kernels' memories). */
  @Test
  void kernelConfigNamesTheLimitAnImageExceeds() {
    CosimRtl.KernelConfig small = new CosimRtl.KernelConfig(16, 8, 4, 64, 2048, 64, 64, 32, 32, 256, 1);
    LfadsConfig paper = RandomModels.paperConfig();
    KernelImage img = Quantizer.quantize(RandomModels.random(paper, 1),
        CosimCommand.spikes(new SplittableRandom(1), paper.encodSeqLen(), paper.encodDataDim(), 2, false), 16);
    assertEquals("n_in " + paper.encodDataDim() + " > max_n_in 64", small.whyNot(img));
    CosimRtl.KernelConfig fewTiles = new CosimRtl.KernelConfig(16, 8, 4, 256, 100, 256, 256, 128, 128, 1024, 1);
    assertEquals(CosimCommand.geometry(img, 8, 4)[0] + " weight tiles of 8x4 > max_tiles 100", fewTiles.whyNot(img));
    CosimRtl.KernelConfig large = new CosimRtl.KernelConfig(16, 8, 4, 256, 16384, 256, 256, 128, 128, 1024, 1);
    assertNull(large.whyNot(img));
    assertEquals("image W=16, kernel W=12",
        new CosimRtl.KernelConfig(12, 8, 4, 256, 16384, 256, 256, 128, 128, 1024, 1).whyNot(img));
  }

  /** The emu library's parameters come from its description; a library that does not list them is refused, saying so. */
  @Test
  void emuConfigurationIsReadFromTheLibrarysDescription() throws Exception {
    CosimRtl.KernelConfig k = EmuRtl.config(16, 32, "emu config=default, memory: read latency 20+0..0 cycles; kernel: "
        + "row_lanes=8 col_lanes=4 max_n_in=256 max_n_out=250 max_t_enc=128 max_t_rec=100 max_hidden=256 "
        + "max_tiles=16384 max_row_blocks=1024 slr_crossing_stages=1");
    assertEquals(new CosimRtl.KernelConfig(16, 8, 4, 256, 16384, 256, 250, 128, 100, 1024, 1), k);
    BackendException e = assertThrows(BackendException.class,
        () -> EmuRtl.config(16, 2048, "emu config=full, memory: read latency 20+0..0 cycles; kernel: RTL defaults"));
    assertTrue(e.getMessage().contains("does not list its kernel's parameters"), e.getMessage());
    e = assertThrows(BackendException.class, () -> EmuRtl.config(16, 64, "kernel: row_lanes=8 col_lanes=4 max_n_in=256 "
        + "max_n_out=256 max_t_enc=128 max_t_rec=128 max_hidden=256 max_tiles=16384 max_row_blocks=1024 "
        + "slr_crossing_stages=1"));
    assertTrue(e.getMessage().contains("64 MAC lanes in CONFIG, its description 8x4"), e.getMessage());
  }

  /**
   * The two RTL runners agree on the same case: the emu library in process and the harness subprocess return the same
   * words, trial by trial and bin by bin (status blocks included, SEQ counted from each runner's first stream run).
   * Their CYCLES are each exactly CycleModel's for their own kernel configuration (the same memory timing), so equal
   * where the configurations are; the default emu library (max hidden 256) and the small harness (64) differ only in
   * the per-trial input stage, 5 x MAX_HIDDEN / ROW_LANES cycles, which CycleModel accounts for.
   */
  @Test
  void emuAgreesWithTheHarnessOnTheSameCase() throws Exception {
    assumeEmuLibrary();
    Path small = HDL_BUILD.resolve("lfads_harness_small");
    assumeTrue(Files.isExecutable(small), "RTL harness not built: run `make -C hdl test` (the root `make test` does) first");
    long seed = 9; // controller (ci_lag 1), T_rec 8 > T_enc 5: 15 bins, a reset at bin 7, a whole-trial run before bin 11
    LfadsConfig cfg = RandomModels.oddConfig(seed, true);
    KernelImage img = Quantizer.quantize(RandomModels.random(cfg, seed, RandomModels.Options.saturating()),
        CosimCommand.spikes(new SplittableRandom(seed), cfg.encodSeqLen(), cfg.encodDataDim(), 4, false), 16);
    CosimCommand.Case c = new CosimCommand.Case("agree", img,
        CosimCommand.spikes(new SplittableRandom(seed + 1), cfg.encodSeqLen(), cfg.encodDataDim(), 3, true));
    int n = c.trials().length, words = img.tRec() * (img.facDim() + img.nOut());
    try (CosimRtl harness = HarnessRtl.find(HDL_BUILD, small, null, 0, seed, 2); CosimRtl emu = EmuRtl.open(0, seed, 2)) {
      CosimRtl.KernelConfig hk = harness.configFor(img), ek = emu.configFor(img);
      assertTrue(hk != null && ek != null, "both kernels take the image");

      CosimRtl.TrialRun h = harness.runTrials(c, hk), e = emu.runTrials(c, ek);
      assertNull(h.error());
      assertNull(e.error());
      ByteBuffer hb = ByteBuffer.wrap(h.words()).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer eb = ByteBuffer.wrap(e.words()).order(ByteOrder.LITTLE_ENDIAN);
      for (int k = 0; k < n; k++) {
        for (int w = 0; w < words; w++) {
          assertEquals(hb.getInt(k * h.trialStride() + 4 * w), eb.getInt(k * e.trialStride() + 4 * w),
              "trial " + k + " word " + w);
        }
      }
      assertEquals(CycleModel.predict(img, hk.lanes()).runCycles(n), h.cycles());
      assertEquals(CycleModel.predict(img, ek.lanes()).runCycles(n), e.cycles());
      if (hk.lanes().equals(ek.lanes())) assertEquals(h.cycles(), e.cycles());

      CosimCommand.OnlinePlan plan = CosimCommand.OnlinePlan.of(c);
      assertTrue(plan.resetBin() > 0 && plan.wholeTrialBin() > 0, "the stream has a reset and a whole-trial run");
      CosimRtl.OnlineRun ho = harness.runOnline(c, plan, hk), eo = emu.runOnline(c, plan, ek);
      assertNull(ho.error());
      assertNull(eo.error());
      hb = ByteBuffer.wrap(ho.slots()).order(ByteOrder.LITTLE_ENDIAN);
      eb = ByteBuffer.wrap(eo.slots()).order(ByteOrder.LITTLE_ENDIAN);
      long hStatus = CycleModel.predictOnline(img, hk.lanes()).statusCycles();
      long eStatus = CycleModel.predictOnline(img, ek.lanes()).statusCycles();
      int resultWords = img.facDim() + img.nOut();
      for (int b = 0; b < plan.bins(); b++) {
        int hs = b * ho.slotStride(), es = b * eo.slotStride();
        for (int w = 0; w < resultWords; w++) {
          assertEquals(hb.getInt(hs + OnlineBuffers.RESULT_OFFSET + 4 * w), eb.getInt(es + OnlineBuffers.RESULT_OFFSET + 4 * w),
              "bin " + b + " result word " + w);
        }
        for (int w = 0; w < KernelContract.ONLINE_STATUS_BYTES / 4; w++) {
          int hv = hb.getInt(hs + 4 * w), ev = eb.getInt(es + 4 * w);
          if (w == KernelContract.OS_SEQ) {
            assertEquals(hv - ho.firstSeq(), ev - eo.firstSeq(), "bin " + b + " SEQ");
          } else if (w == KernelContract.OS_CYCLES_LO) {
            assertEquals(hStatus, Integer.toUnsignedLong(hv), "bin " + b + " harness status CYCLES");
            assertEquals(eStatus, Integer.toUnsignedLong(ev), "bin " + b + " emu status CYCLES");
          } else {
            assertEquals(hv, ev, "bin " + b + " status word " + w);
          }
        }
      }
    }
  }

  @Test
  void noHarnessIsAnError(@TempDir Path dir) {
    String[] r = run("cosim", "--harness-dir", dir.toString(), "--random-models", "1");
    assertEquals("2", r[0]);
    assertTrue(r[1].contains("no harness binary found"), r[1]);
  }
}
