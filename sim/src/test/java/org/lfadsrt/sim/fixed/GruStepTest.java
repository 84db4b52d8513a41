package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lfadsrt.sim.contract.KernelContract.*;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.fixed.FixedTrace.Probe;

/**
 * One ClippedGRU step worked by hand in fixed point (docs/kernel-numerics.md §4–§6), W = 16: weights at
 * fraction 14, biases at 13, state at 12, so A = max(14 + 0, 14 + 12) = 26.
 */
class GruStepTest {

  @Test
  void handWorkedStep() {
    // Real values: Wih = [0.25, -0.5, 0.75], Whh = [0.5, 1.25, -0.75], b = [819, -2458, 1000]/2^13, h0 = 2458/2^12 (0.6),
    // input 3 spikes.
    KernelImage img = TinyImages.oneUnit(new int[] {4096, -8192, 12288}, new int[] {8192, 20480, -12288},
        new int[] {819, -2458, 1000}, 2458).build();
    TraceRecorder trace = new TraceRecorder();
    new FixedLfads(img).run(new int[][] {{3}}, FixedOutput.forImage(img), trace);
    // z row: acc = 4096·3·2^12 + 8192·2458·2^0 + 819·2^13 = 50331648 + 20135936 + 6709248 = 77176832
    //        p = RSH(acc, 26 - 15 = 11) = 37684 (37684.0 exactly)
    // r row: acc = -8192·3·2^12 + 20480·2458 + (-2458)·2^13 = -100663296 + 50339840 - 20135936 = -70459392
    //        p = -34404 (exact)
    assertArrayEquals(new int[] {37684, -34404}, trace.get(LAYER_IC_FWD, Probe.PRE_ZR, 0));
    // z = sigmoid(1.15002): u = 37684 + 2^19 = 561972, idx = 548, f = 820, T[548] = 24737, T[549] = 24925:
    //     24737 + RSH(188·820 = 154160, 10) = 24737 + 151 (150.55) = 24888
    // r: u = 489884, idx = 478, f = 412, T = 8416, 8613: 8416 + RSH(197·412 = 81164, 10) = 8416 + 79 (79.26) = 8495
    assertArrayEquals(new int[] {24888}, trace.get(LAYER_IC_FWD, Probe.GATE_Z, 0));
    assertArrayEquals(new int[] {8495}, trace.get(LAYER_IC_FWD, Probe.GATE_R, 0));
    // r∘h = RSH(8495·2458 = 20880710, 15) = 637 (637.23)
    assertArrayEquals(new int[] {637}, trace.get(LAYER_IC_FWD, Probe.RESET_STATE, 0));
    // n row: acc = 12288·3·2^12 - 12288·637 + 1000·2^13 = 150994944 - 7827456 + 8192000 = 151359488, p = 73906
    assertArrayEquals(new int[] {73906}, trace.get(LAYER_IC_FWD, Probe.PRE_N, 0));
    // n: u = 73906 + 2^18 = 336050, s = 9: idx = 656, f = 178, T = 32048, 32070: 32048 + RSH(22·178 = 3916, 9) = 32048 + 8
    assertArrayEquals(new int[] {32056}, trace.get(LAYER_IC_FWD, Probe.CANDIDATE, 0));
    // u = 24888·2458·2^3 + (32768 - 24888)·32056 = 489397632 + 252601280 = 741998912 (fraction 30)
    // h' = RSH(u, 18) = 2830.5 -> 2831 (half up)
    assertArrayEquals(new int[] {2831}, trace.get(LAYER_IC_FWD, Probe.STATE, 0));
    // The float GRU gives 0.69104; 2831/4096 = 0.69116 (one state ulp is 0.00024).
    assertEquals(0.6910397, 2831 / 4096.0, 2.5e-4);
  }

  @Test
  void candidatesTableEntriesMatchTheSharedEvaluator() {
    KernelImage img = TinyImages.oneUnit(new int[] {4096, -8192, 12288}, new int[] {8192, 20480, -12288},
        new int[] {819, -2458, 1000}, 2458).build();
    TraceRecorder trace = new TraceRecorder();
    new FixedLfads(img).run(new int[][] {{3}}, FixedOutput.forImage(img), trace);
    int[] pre = trace.get(LAYER_IC_FWD, Probe.PRE_ZR, 0);
    int[] sig = img.section(S_SIGMOID_TABLE);
    assertEquals(ActivationTable.eval(sig, pre[0], 4, 15, 10, 16), trace.get(LAYER_IC_FWD, Probe.GATE_Z, 0)[0]);
    assertEquals(ActivationTable.eval(sig, pre[1], 4, 15, 10, 16), trace.get(LAYER_IC_FWD, Probe.GATE_R, 0)[0]);
  }

  @Test
  void stateAboveTheClipIsClipped() {
    // h0 = 7.5 (30720) is above cell_clip 5 (learned h0s are not clipped). Wih_z = 1.0 and 8 spikes give
    // p_z = 8.0 (acc = 16384·8·2^12 = 2^29, p = 2^18), z = sigmoid(8) = 32757/32768, r = 0.5, n = tanh(0) = 0:
    // u = 32757·30720·8 + 11·0 = 8050360320 -> RSH(u, 18) = 30710 (7.4976), clipped to CLIP_Q = 20480 (5.0).
    KernelImage img = TinyImages.oneUnit(new int[] {16384, 0, 0}, new int[] {0, 0, 0}, new int[] {0, 0, 0}, 30720)
        .build();
    TraceRecorder trace = new TraceRecorder();
    FixedLfads fx = new FixedLfads(img);
    fx.run(new int[][] {{8}}, FixedOutput.forImage(img), trace);
    assertArrayEquals(new int[] {262144, 0}, trace.get(LAYER_IC_FWD, Probe.PRE_ZR, 0));
    assertArrayEquals(new int[] {32757}, trace.get(LAYER_IC_FWD, Probe.GATE_Z, 0));
    assertArrayEquals(new int[] {15360}, trace.get(LAYER_IC_FWD, Probe.RESET_STATE, 0)); // 16384·30720/2^15
    assertArrayEquals(new int[] {20480}, trace.get(LAYER_IC_FWD, Probe.STATE, 0));
    assertEquals(1, fx.count(LAYER_IC_FWD, FixedLfads.Site.CELL_CLIP));
  }

  @Test
  void negativeStateIsClippedSymmetrically() {
    KernelImage img = TinyImages.oneUnit(new int[] {16384, 0, 0}, new int[] {0, 0, 0}, new int[] {0, 0, 0}, -30720)
        .build();
    TraceRecorder trace = new TraceRecorder();
    new FixedLfads(img).run(new int[][] {{8}}, FixedOutput.forImage(img), trace);
    assertArrayEquals(new int[] {-15360}, trace.get(LAYER_IC_FWD, Probe.RESET_STATE, 0));
    assertArrayEquals(new int[] {-20480}, trace.get(LAYER_IC_FWD, Probe.STATE, 0));
  }

  @Test
  void spikeCountsAbove255SaturateAndAreCounted() {
    KernelImage img = TinyImages.oneUnit(new int[] {1, 1, 1}, new int[] {0, 0, 0}, new int[] {0, 0, 0}, 0).build();
    FixedLfads fx = new FixedLfads(img);
    FixedOutput a = FixedOutput.forImage(img), b = FixedOutput.forImage(img);
    fx.run(new int[][] {{255}}, a, null);
    fx.run(new int[][] {{1000}}, b, null);
    assertArrayEquals(a.logrates, b.logrates);
    assertEquals(1, fx.count(0, FixedLfads.Site.INPUT));
  }
}
