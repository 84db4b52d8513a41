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
 */
class CycleModelTest {

  @ParameterizedTest(name = "{0}: {13}x{14} lanes, {15} trials -> {16} cycles")
  @CsvSource({
      // name, n_in, n_out, t_enc, t_rec, h_ic, h_ci, h_con, co, ic, h_gen, fac, maxHidden, rows, cols, trials, measured
      "paper,    70,  70, 73, 73, 64,  0,  0, 0, 64,  64,   4, 256, 64, 32, 2,  8370",
      "mc_maze, 137, 182, 35, 45, 64, 64, 64, 4, 64, 200, 100, 256, 64, 32, 1, 11864",
      "tiny,      5,   6,  4,  6,  3,  0,  0, 0,  4,   5,   2,  32,  8,  4, 2,   618",
  })
  void matchesHarness(String name, int nIn, int nOut, int tEnc, int tRec, int hIc, int hCi, int hCon, int co, int ic,
      int hGen, int fac, int maxHidden, int rows, int cols, int trials, long measured) {
    CycleModel.Prediction p = CycleModel.predict(new CycleModel.Dims(nIn, nOut, tEnc, tRec, hIc, hCi, hCon, co, ic, hGen, fac),
        new CycleModel.Lanes(rows, cols, 20, maxHidden));
    double err = Math.abs(p.runCycles(trials) - measured) / (double) measured;
    assertTrue(err < 0.01, name + ": predicted " + p.runCycles(trials) + ", harness " + measured);
    assertEquals(measured, p.runCycles(trials), name + " (the model replays the schedule exactly)");
  }

  @Test
  void goalsAtDefaultLanes() {
    CycleModel.Lanes lanes = CycleModel.Lanes.defaults();
    CycleModel.Prediction paper = CycleModel.predict(new CycleModel.Dims(70, 70, 73, 73, 64, 0, 0, 0, 64, 64, 4), lanes);
    CycleModel.Prediction maze = CycleModel.predict(new CycleModel.Dims(137, 182, 35, 45, 64, 64, 64, 4, 64, 200, 100), lanes);
    assertTrue(paper.microsecondsPerTrial(300) <= 15.0, "paper-size " + paper.microsecondsPerTrial(300) + " us");
    assertTrue(maze.microsecondsPerTrial(300) <= 60.0, "MC_Maze-size " + maze.microsecondsPerTrial(300) + " us");
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
