package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lfadsrt.sim.model.BundledModels;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;
import org.lfadsrt.sim.model.WindowReference;

/**
 * Online inference with per-bin projection reuse against full-window inference of the same window, run by a
 * separate {@link FixedLfads} instance from the window's raw counts: every output word (factors, log-rates, ic_mean)
 * must be identical, at every bin of a stream that covers the warm-up (fewer than T_enc bins, zero-padded), the first
 * full window and two wrap-arounds of the ring.
 */
class FixedOnlineWindowTest {

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("lorenz-demo", BundledModels.demo(), 16, FixedLfads.Accumulation.LONG),
        Arguments.of("paper", RandomModels.random(RandomModels.paperConfig(), 3), 16, FixedLfads.Accumulation.EXACT_DOUBLE),
        Arguments.of("mc_maze", RandomModels.random(RandomModels.mcMazeConfig(), 4), 16, FixedLfads.Accumulation.LONG),
        Arguments.of("mc_maze-saturating-18bit",
            RandomModels.random(RandomModels.mcMazeConfig(), 5, RandomModels.Options.saturating()), 18,
            FixedLfads.Accumulation.EXACT_DOUBLE),
        Arguments.of("odd-controller-lag", RandomModels.random(RandomModels.oddConfig(21, true), 21), 12,
            FixedLfads.Accumulation.LONG),
        Arguments.of("odd-no-controller", RandomModels.random(RandomModels.oddConfig(22, false), 22), 10,
            FixedLfads.Accumulation.LONG));
  }

  /** Random counts, mostly small, with an occasional count above 255 (clamped by the kernel, counted once per bin). */
  static int[][] stream(int bins, int channels, double rate, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] s = new int[bins][channels];
    for (int[] b : s) {
      for (int i = 0; i < channels; i++) {
        double u = r.nextDouble();
        b[i] = u < 0.002 ? 256 + r.nextInt(100) : (u < rate ? 1 + r.nextInt(3) : 0);
      }
    }
    return s;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyWindowMatchesFullWindowInferenceWordForWord(String name, LfadsModel m, int bits,
      FixedLfads.Accumulation acc) {
    LfadsConfig c = m.config();
    KernelImage img = Quantizer.quantize(m, RandomModels.poissonSpikes(c, 4, 0.3, 9), bits);
    int tEnc = c.encodSeqLen(), nIn = c.encodDataDim();
    FixedLfads streaming = new FixedLfads(img, acc);
    FixedLfads reference = new FixedLfads(img, acc);
    FixedOnlineWindow online = new FixedOnlineWindow(streaming);
    FixedOutput got = FixedOutput.forImage(img), want = FixedOutput.forImage(img);
    int[][] bins = stream(2 * tEnc + 7, nIn, 0.3, name.hashCode());
    long clamped = 0;
    int[] wordsGot = new int[got.deviceWords()], wordsWant = new int[want.deviceWords()];
    for (int i = 0; i < bins.length; i++) {
      for (int v : bins[i]) if (v > 255) clamped++;
      online.pushBin(bins[i]);
      online.infer(got);
      reference.run(WindowReference.windowEndingAt(bins, i, tEnc, nIn), want, null);
      got.toDeviceWords(wordsGot, 0);
      want.toDeviceWords(wordsWant, 0);
      for (int k = 0; k < wordsWant.length; k++) {
        if (wordsGot[k] != wordsWant[k]) {
          throw new AssertionError(name + ", window ending at bin " + i + " (" + (i < tEnc - 1 ? "warm-up" : "full")
              + "): device word " + k + " (" + FixedOutput.describeDeviceWord(k, c.facDim(), c.readoutDim())
              + ") expected " + wordsWant[k] + ", found " + wordsGot[k]);
        }
      }
      assertArrayEquals(want.icMean, got.icMean, name + " ic_mean at bin " + i);
      assertEquals(i + 1, online.binsPushed());
      assertEquals(i >= tEnc - 1, online.windowFull());
    }
    // Clamping is counted once per pushed bin (the full-window path counts it once per window containing it).
    assertEquals(clamped, streaming.count(0, FixedLfads.Site.INPUT), "input saturations counted once per bin");
    // Every other counter sees the same windows.
    java.util.Map<String, Long> a = new java.util.HashMap<>(streaming.counters()), b = new java.util.HashMap<>(reference.counters());
    a.remove("input");
    b.remove("input");
    assertEquals(b, a, name + ": saturation counters");
  }

  /**
   * What the online kernel mode writes per bin (docs/kernel-numerics.md §13): step T_enc - 1's factor words then
   * log-rate words of the full-window run, and WINDOW_BINS = the bins of the window that were pushed.
   */
  @Test
  void newestWordsAreStepTEncMinusOneOfTheFullWindow() {
    LfadsConfig c = RandomModels.oddConfig(23, true);
    KernelImage img = Quantizer.quantize(RandomModels.random(c, 23), RandomModels.poissonSpikes(c, 3, 0.4, 23), 16);
    int tEnc = c.encodSeqLen(), nIn = c.encodDataDim(), fac = c.facDim(), nOut = c.readoutDim();
    FixedOnlineWindow online = new FixedOnlineWindow(new FixedLfads(img));
    FixedLfads reference = new FixedLfads(img);
    FixedOutput got = FixedOutput.forImage(img), want = FixedOutput.forImage(img);
    int[][] bins = stream(2 * tEnc + 3, nIn, 0.4, 99);
    int[] newest = new int[fac + nOut + 2];
    int[] all = new int[want.deviceWords()];
    for (int i = 0; i < bins.length; i++) {
      online.pushBin(bins[i]);
      newest[0] = -12345;
      newest[newest.length - 1] = -12345;
      online.inferNewest(got, newest, 1);
      reference.run(WindowReference.windowEndingAt(bins, i, tEnc, nIn), want, null);
      want.toDeviceWords(all, 0);
      int[] expect = java.util.Arrays.copyOfRange(all, (tEnc - 1) * (fac + nOut), tEnc * (fac + nOut));
      assertArrayEquals(expect, java.util.Arrays.copyOfRange(newest, 1, 1 + fac + nOut), "bin " + i);
      assertEquals(-12345, newest[0], "writes only its words");
      assertEquals(-12345, newest[newest.length - 1], "writes only its words");
      assertEquals(Math.min(i + 1, tEnc), online.windowBins());
    }
    assertThrows(IllegalArgumentException.class, () -> got.stepToDeviceWords(got.tRec, newest, 0));
  }

  /** Every intermediate of every layer (the trace) is identical too, including after the ring has wrapped. */
  @Test
  void tracesAreIdenticalAfterWrapAround() {
    LfadsConfig c = new LfadsConfig(7, 6, 8, 5, 5, 4, 2, 6, 2, 3, 7, 3, 5.0);
    LfadsModel m = RandomModels.random(c, 31);
    KernelImage img = Quantizer.quantize(m, RandomModels.poissonSpikes(c, 4, 0.5, 31), 16);
    FixedOnlineWindow online = new FixedOnlineWindow(new FixedLfads(img));
    FixedLfads reference = new FixedLfads(img);
    FixedOutput out = FixedOutput.forImage(img);
    int[][] bins = stream(3 * c.encodSeqLen() + 2, c.encodDataDim(), 0.5, 77);
    for (int i = 0; i < bins.length; i++) {
      online.pushBin(bins[i]);
      TraceRecorder got = new TraceRecorder(), want = new TraceRecorder();
      online.infer(out, got);
      reference.run(WindowReference.windowEndingAt(bins, i, c.encodSeqLen(), c.encodDataDim()), out, want);
      assertTrue(want.entries().size() > 0);
      assertNull(want.firstMismatch(got), "bin " + i);
    }
  }

  @Test
  void resetReturnsToTheAllZeroWindow() {
    LfadsConfig c = RandomModels.oddConfig(40, true);
    KernelImage img = Quantizer.quantize(RandomModels.random(c, 40), RandomModels.poissonSpikes(c, 2, 0.5, 40), 16);
    FixedOnlineWindow online = new FixedOnlineWindow(new FixedLfads(img));
    FixedOutput fresh = FixedOutput.forImage(img), after = FixedOutput.forImage(img);
    int[][] bins = stream(c.encodSeqLen() + 3, c.encodDataDim(), 0.5, 41);
    online.pushBin(bins[0]);
    online.infer(fresh);
    for (int[] b : bins) online.pushBin(b);
    online.reset();
    assertEquals(0, online.binsPushed());
    online.pushBin(bins[0]);
    online.infer(after);
    assertArrayEquals(fresh.factors, after.factors);
    assertArrayEquals(fresh.logrates, after.logrates);
  }

  @Test
  void badBinsAreRejectedWithTheirPlace() {
    LfadsConfig c = RandomModels.oddConfig(50, false);
    KernelImage img = Quantizer.quantize(RandomModels.random(c, 50), RandomModels.poissonSpikes(c, 2, 0.5, 50), 16);
    FixedOnlineWindow online = new FixedOnlineWindow(new FixedLfads(img));
    int nIn = c.encodDataDim();
    online.pushBin(new int[nIn]);
    int[] bad = new int[nIn];
    bad[nIn - 1] = -2;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> online.pushBin(bad));
    assertEquals("negative spike count -2 in pushed bin 1, channel " + (nIn - 1), e.getMessage());
    assertEquals(1, online.binsPushed(), "a rejected bin does not enter the window");
    e = assertThrows(IllegalArgumentException.class, () -> online.pushBin(new int[nIn + 1], 2));
    assertTrue(e.getMessage().contains("need " + nIn + " counts"), e.getMessage());
  }

  /** The online path (push + infer) allocates nothing once warm. */
  @Test
  void pushAndInferDoNotAllocate() {
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    LfadsConfig c = RandomModels.oddConfig(12, true);
    KernelImage img = Quantizer.quantize(RandomModels.random(c, 12), RandomModels.poissonSpikes(c, 1, 1.0, 12), 16);
    FixedOnlineWindow online = new FixedOnlineWindow(new FixedLfads(img, FixedLfads.Accumulation.fastestFor(img)));
    FixedOutput out = FixedOutput.forImage(img);
    int[][] bins = stream(64, c.encodDataDim(), 0.5, 12);
    for (int i = 0; i < 20_000; i++) {
      online.pushBin(bins[i & 63]);
      online.infer(out);
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000; i++) {
      online.pushBin(bins[i & 63]);
      online.infer(out);
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1_000, "1000 bins allocated " + allocated + " bytes");
  }
}
