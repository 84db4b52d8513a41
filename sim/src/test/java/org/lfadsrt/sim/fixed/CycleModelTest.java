package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link CycleModel} against CYCLES read from the Verilated kernel (hdl/build/lfads_harness*, memory
 * latency 20, no back-pressure; runs of N trials without image load). The cases are recorded from harness
 * runs: `lfads-rt cosim` prints the model's error on every run, so new shapes are checked continuously.
 * Each row names the SLR crossing stages of the build it was measured on (hdl/Makefile CFG_*'s last value,
 * lfads_kernel SLR_CROSSING_STAGES): rows with 0 are builds from before the crossing stages (the same RTL with
 * SLR_CROSSING_STAGES = 0 is cycle-identical to them), rows with 1 the default since.
 */
class CycleModelTest {

  @ParameterizedTest(name = "{0}: {13}x{14} lanes, SLR stages {15}, {16} trials -> {17} cycles")
  @CsvSource({
      // name, n_in, n_out, t_enc, t_rec, h_ic, h_ci, h_con, co, ic, h_gen, fac, maxHidden, rows, cols, slr, trials,
      // measured
      // 64 x 32 harness (hdl/build/lfads_harness) built with SLR stages 1 (2026-12-07) and 0 (before them): `cosim
      // --random-models 2 --shapes paper,mcmaze --bits 16 --trials 2` (the run's CYCLES)
      "paper,    70,  70, 73, 73, 64,  0,  0, 0, 64,  64,   4, 256, 64, 32, 1, 2, 19331",
      "mc_maze, 137, 182, 35, 45, 64, 64, 64, 4, 64, 200, 100, 256, 64, 32, 1, 2, 34217",
      "paper,    70,  70, 73, 73, 64,  0,  0, 0, 64,  64,   4, 256, 64, 32, 0, 2, 18147",
      "mc_maze, 137, 182, 35, 45, 64, 64, 64, 4, 64, 200, 100, 256, 64, 32, 0, 2, 32981",
      "tiny,      5,   6,  4,  6,  3,  0,  0, 0,  4,   5,   2,  64,  8,  4, 0, 2,  1375",
      // small harness (hdl/build/lfads_harness_small) built with SLR stages 1 and 0: `cosim --random-models 2
      // --shapes odd,oddcon --seed 7` (cycles/trial x 4 trials)
      "odd-17in,   17,   3, 11, 15,  5,  0,  0, 0, 13,  17,   1,  64,  8,  4, 1, 4,  9583",
      "oddcon-13in, 13, 11, 15, 18, 17, 19, 17, 7, 13,  17,   7,  64,  8,  4, 1, 4, 47279",
      "odd-17in,   17,   3, 11, 15,  5,  0,  0, 0, 13,  17,   1,  64,  8,  4, 0, 4,  9135",
      "oddcon-13in, 13, 11, 15, 18, 17, 19, 17, 7, 13,  17,   7,  64,  8,  4, 0, 4, 46383",
  })
  void matchesHarness(String name, int nIn, int nOut, int tEnc, int tRec, int hIc, int hCi, int hCon, int co, int ic,
      int hGen, int fac, int maxHidden, int rows, int cols, int slr, int trials, long measured) {
    CycleModel.Prediction p = CycleModel.predict(new CycleModel.Dims(nIn, nOut, tEnc, tRec, hIc, hCi, hCon, co, ic, hGen, fac),
        new CycleModel.Lanes(rows, cols, 20, maxHidden, slr));
    double err = Math.abs(p.runCycles(trials) - measured) / (double) measured;
    assertTrue(err < 0.01, name + ": predicted " + p.runCycles(trials) + ", harness " + measured);
    assertEquals(measured, p.runCycles(trials), name + " (the model replays the schedule exactly)");
  }

  /**
   * Online mode (one bin per run, the encoders' input projections kept on chip): the status block's CYCLES word and
   * the CYCLES register of a run, as the small harness (8 x 4 lanes, max hidden 64) and the emu library (8 x 4, max
   * hidden 256) measured them in `lfads-rt cosim --online` (every bin of a stream takes the same cycles: the schedule
   * does not depend on the data or on the window's fill). Rows: random models of `--shapes odd,oddcon --seed 11` and
   * `--seed 1` (`odd-3in`, `oddcon-13in`), and the emu's paper and MC_Maze sizes (`cosim --emu --online --shapes
   * paper` / `mcmaze`). The slr column as in {@link #matchesHarness}.
   */
  @ParameterizedTest(name = "{0}: {13}x{14} lanes, SLR stages {15} -> status {16}, run {17} cycles")
  @CsvSource({
      // name, n_in, n_out, t_enc, t_rec, h_ic, h_ci, h_con, co, ic, h_gen, fac, maxHidden, rows, cols, slr, status, run
      "paper-emu,    70, 70, 73, 73, 64,  0,  0, 0, 64, 64,   4, 256,  8,  4, 0, 89024, 89033",
      "mcmaze-emu,  137,182, 35, 45, 64, 64, 64, 4, 64, 200, 100, 256,  8,  4, 0, 282602, 282611",
      "odd-19in,     19, 17,  1,  6, 19,  0,  0, 0, 17,  3, 1, 64, 8, 4, 0,   439,   448",
      "odd-3in,       3, 13, 12, 17,  5,  0,  0, 0,  1, 13, 3, 64, 8, 4, 0,  1629,  1638",
      "oddcon-29in,  29,  1,  8, 10, 19,  7, 17, 5,  3, 19, 1, 64, 8, 4, 0,  3616,  3625",
      "oddcon-1in,    1, 23,  3,  8, 11, 19, 13, 1,  7, 13, 17, 64, 8, 4, 0,  1485,  1494",
      "odd-37in,     37, 11, 16, 19,  3,  0,  0, 0,  3, 23, 7, 64, 8, 4, 0,  2587,  2596",
      "oddcon-19in,  19,  5,  5,  5, 17,  3, 11, 2,  1, 13, 5, 64, 8, 4, 0,  1883,  1892",
      "oddcon-13in,  13,  7, 15, 18,  7,  7, 17, 1,  7, 23, 11, 64, 8, 4, 0,  5866,  5875",
      // small harness, SLR stages 1 and 0: the same models with `--online`
      "odd-17in,     17,  3, 11, 15,  5,  0,  0, 0, 13, 17, 1, 64, 8, 4, 1,  1860,  1869",
      "oddcon-13in,  13, 11, 15, 18, 17, 19, 17, 7, 13, 17, 7, 64, 8, 4, 1,  8681,  8690",
      "odd-17in,     17,  3, 11, 15,  5,  0,  0, 0, 13, 17, 1, 64, 8, 4, 0,  1764,  1773",
      "oddcon-13in,  13, 11, 15, 18, 17, 19, 17, 7, 13, 17, 7, 64, 8, 4, 0,  8493,  8502",
  })
  void onlineMatchesHarness(String name, int nIn, int nOut, int tEnc, int tRec, int hIc, int hCi, int hCon, int co,
      int ic, int hGen, int fac, int maxHidden, int rows, int cols, int slr, long status, long run) {
    CycleModel.OnlinePrediction p = CycleModel.predictOnline(
        new CycleModel.Dims(nIn, nOut, tEnc, tRec, hIc, hCi, hCon, co, ic, hGen, fac),
        new CycleModel.Lanes(rows, cols, 20, maxHidden, slr));
    assertEquals(status, p.statusCycles(), name + ": status block CYCLES");
    assertEquals(run, p.runCycles(), name + ": CYCLES register");
  }

  /**
   * Issue 15's per-bin goal: an online run of the paper size costs at most 75 % of a whole-window run (CYCLES
   * register, one trial) on the emu's 8 x 4 lanes. At 64 x 32 lanes the window is bound by its chain of dependent
   * passes, not by tiles: the projections save less there (92 %, docs/performance.md); only the saving is asserted.
   */
  @Test
  void onlinePaperSizeGoal() {
    CycleModel.Dims paper = new CycleModel.Dims(70, 70, 73, 73, 64, 0, 0, 0, 64, 64, 4);
    CycleModel.Lanes emu = new CycleModel.Lanes(8, 4, 20, 256);
    double small = CycleModel.predictOnline(paper, emu).runCycles() / (double) CycleModel.predict(paper, emu).runCycles(1);
    assertTrue(small <= 0.75, "8x4: online / whole window = " + small);
    CycleModel.Lanes card = CycleModel.Lanes.defaults();
    double big = CycleModel.predictOnline(paper, card).runCycles() / (double) CycleModel.predict(paper, card).runCycles(1);
    assertTrue(big < 0.95, "64x32: online / whole window = " + big);
  }

  /** The online run never costs more than a whole window of the same model plus the status block's write. */
  @Test
  void onlineRunIsNoDearerThanAWholeWindow() {
    CycleModel.Lanes lanes = CycleModel.Lanes.defaults();
    for (CycleModel.Dims d : new CycleModel.Dims[] {
        new CycleModel.Dims(70, 70, 73, 73, 64, 0, 0, 0, 64, 64, 4),
        new CycleModel.Dims(137, 182, 35, 45, 64, 64, 64, 4, 64, 200, 100)}) {
      long whole = CycleModel.predict(d, lanes).cyclesPerTrial();
      long online = CycleModel.predictOnline(d, lanes).runCycles();
      assertTrue(online < whole, d + ": online " + online + ", whole window " + whole);
    }
  }

  /**
   * Issue 13's goals at 300 MHz with the timing-driven pipeline (writeback latency 24 at 64 x 32 lanes): the
   * MC_Maze-size goal (<= 18,000 cycles, 60 us) holds. The paper-size goal (<= 4,500 cycles, 15 us) does not:
   * its 146 GRU steps are a chain of 292 dependent passes of 2-4 tiles each, so every cycle of pipeline depth
   * costs ~296 cycles there (hdl/README.md). What is asserted for it is the bound that still matters: faster
   * than the published hls4ml kernel (41.97 us at 300 MHz, i.e. 12,591 cycles).
   */
  @Test
  void goalsAtDefaultLanes() {
    CycleModel.Lanes lanes = CycleModel.Lanes.defaults();
    CycleModel.Prediction paper = CycleModel.predict(new CycleModel.Dims(70, 70, 73, 73, 64, 0, 0, 0, 64, 64, 4), lanes);
    CycleModel.Prediction maze = CycleModel.predict(new CycleModel.Dims(137, 182, 35, 45, 64, 64, 64, 4, 64, 200, 100), lanes);
    assertEquals(26, CycleModel.writebackLatency(lanes));
    assertTrue(paper.microsecondsPerTrial(300) < 41.97, "paper-size " + paper.microsecondsPerTrial(300) + " us");
    assertTrue(maze.cyclesPerTrial() <= 18_000, "MC_Maze-size " + maze.cyclesPerTrial() + " cycles");
    assertTrue(maze.microsecondsPerTrial(300) <= 60.0, "MC_Maze-size " + maze.microsecondsPerTrial(300) + " us");
  }

  @Test
  void pipelineDepthsFollowTheRtl() {
    // lfads_mac_latency (hdl/rtl/lfads_pipeline.vh): 3 DSP stages, ceil(log2(C) / 2) tree stages, shift, accumulate
    assertEquals(6, CycleModel.macLatency(4));
    assertEquals(7, CycleModel.macLatency(8));
    assertEquals(8, CycleModel.macLatency(32));
    assertEquals(5, CycleModel.macLatency(1));
  }

  @Test
  void moreLanesNeverSlower() {
    CycleModel.Dims d = new CycleModel.Dims(137, 182, 35, 45, 64, 64, 64, 4, 64, 200, 100);
    long small = CycleModel.predict(d, new CycleModel.Lanes(16, 8, 20)).cyclesPerTrial();
    long big = CycleModel.predict(d, new CycleModel.Lanes(64, 32, 20)).cyclesPerTrial();
    assertTrue(big < small / 3, "64x32 lanes: " + big + ", 16x8 lanes: " + small);
  }

  @Test
  void rejectsBadLanes() {
    assertThrows(IllegalArgumentException.class, () -> new CycleModel.Lanes(48, 32, 20));
    assertThrows(IllegalArgumentException.class, () -> new CycleModel.Lanes(16, 32, 20));
    assertThrows(IllegalArgumentException.class, () -> new CycleModel.Lanes(64, 32, 0));
  }
}
