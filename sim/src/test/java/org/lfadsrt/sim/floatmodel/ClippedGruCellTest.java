package org.lfadsrt.sim.floatmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.model.GruWeights;

/**
 * Single steps of the ClippedGRUCell worked out by hand. The numbers are chosen so that every
 * pre-activation is 0, ln 3 or ln 2, where sigmoid(0) = 1/2, sigmoid(ln 3) = 3/4 and
 * tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 3/5. Each case would give a different answer with
 * torch.nn.GRUCell's gate order (r, z, n), with reset applied after the matmul, or without bias_hh.
 */
class ClippedGruCellTest {
  static final double LN2 = Math.log(2);
  static final double LN3 = Math.log(3);
  static final double TOL = 1e-15;

  /** H = 1, input 1; rows of every array are gates z, r, n. */
  static GruWeights oneUnit() {
    return new GruWeights(
        new double[][] {{0.25}, {0.5}, {1.0}}, // W_iz, W_ir, W_in
        new double[][] {{-1.0}, {2.0}, {2.0}}, // W_hz, W_hr, W_hn
        new double[] {-0.25, 0.0, -2.0}, // b_iz, b_ir, b_in
        new double[] {0.25, LN3 - 2.0, LN2 - 0.75}); // b_hz, b_hr, b_hn
  }

  @Test
  void oneUnitStepByHand() {
    // x = 2, h = 0.5
    // z: x_z = 0.25*2 - 0.25 = 0.25;  h_z = -1*0.5 + 0.25 = -0.25;        z = sigmoid(0)    = 0.5
    // r: x_r = 0.5*2 + 0 = 1;         h_r = 2*0.5 + ln3 - 2 = ln3 - 1;    r = sigmoid(ln 3) = 0.75
    // n: x_n = 1*2 - 2 = 0;  reset before matmul: W_hn (r h) + b_hn = 2*(0.75*0.5) + ln2 - 0.75 = ln 2
    //    n = tanh(ln 2) = 0.6
    // h' = z h + (1 - z) n = 0.5*0.5 + 0.5*0.6 = 0.55   (inside the clip of 5)
    ClippedGruCell cell = new ClippedGruCell(oneUnit(), 5.0);
    assertArrayEquals(new double[] {0.55}, cell.next(new double[] {2.0}, new double[] {0.5}), TOL);
  }

  @Test
  void clampsTheNewStateOnly() {
    // Same step with clip 0.5: 0.55 is clamped to 0.5.
    assertArrayEquals(new double[] {0.5},
        new ClippedGruCell(oneUnit(), 0.5).next(new double[] {2.0}, new double[] {0.5}), TOL);
    // A state beyond the clip is used as it is (lfads-torch does not clamp h0), only h' is clamped:
    // all weights zero, b_iz = ln 3 -> z = 0.75, n = tanh(0) = 0; h = 8 -> h' = 0.75*8 = 6 -> 5.
    GruWeights w = new GruWeights(new double[][] {{0}, {0}, {0}}, new double[][] {{0}, {0}, {0}},
        new double[] {LN3, 0, 0}, new double[] {0, 0, 0});
    assertArrayEquals(new double[] {5.0}, new ClippedGruCell(w, 5.0).next(new double[] {1}, new double[] {8}), TOL);
    assertArrayEquals(new double[] {-5.0}, new ClippedGruCell(w, 5.0).next(new double[] {1}, new double[] {-8}), TOL);
    // Without clipping pressure the same cell gives 0.75*4 = 3.
    assertArrayEquals(new double[] {3.0}, new ClippedGruCell(w, 5.0).next(new double[] {1}, new double[] {4}), TOL);
  }

  @Test
  void twoUnitsResetUsesTheColumnsGate() {
    // H = 2, no input (input size 0, as the generator without controller). Rows: z0 z1 r0 r1 n0 n1.
    // Only non-zero recurrent weight: W_hh[n0][1] = 1 (row 4, column 1), so n0 sees r1 * h1.
    // b_hh: z = (0, ln3) -> z = (0.5, 0.75); r = (0, ln3) -> r = (0.5, 0.75)
    // b_ih: n = (ln2 + 0.75, 0)
    // h = (1, -1):
    //   n0 = tanh(ln2 + 0.75 + 1 * (r1 * h1)) = tanh(ln2 + 0.75 - 0.75) = 0.6
    //   n1 = tanh(0) = 0
    //   h' = (0.5*1 + 0.5*0.6, 0.75*(-1) + 0.25*0) = (0.8, -0.75)
    double[][] whh = new double[6][2];
    whh[4][1] = 1.0;
    GruWeights w = new GruWeights(new double[6][0], whh,
        new double[] {0, 0, 0, 0, LN2 + 0.75, 0},
        new double[] {0, LN3, 0, LN3, 0, 0});
    ClippedGruCell cell = new ClippedGruCell(w, 5.0);
    assertEquals(0, cell.input);
    assertArrayEquals(new double[] {0.8, -0.75}, cell.next(new double[0], new double[] {1, -1}), TOL);
  }
}
