package org.lfadsrt.sim.fixed;

import static org.lfadsrt.sim.contract.KernelContract.*;

/** Hand-built kernel images for hand-worked cases (no quantizer involved). */
final class TinyImages {
  private TinyImages() {}

  static final int W = 16, FS = 12;

  /**
   * A one-channel, one-bin, all-dimensions-one model without controller at W = 16 (Fs = 12, clip 5.0 -> 20480).
   * IC_FWD gets the given weights (fraction 14), bias (fraction 13) and h0; every other layer is simple.
   */
  static KernelImage.Builder oneUnit(int[] wih, int[] whh, int[] bias, int h0) {
    KernelImage.Builder b = KernelImage.builder();
    b.set(H_DATA_WIDTH, W).set(H_N_IN, 1).set(H_N_OUT, 1).set(H_T_ENC, 1).set(H_T_REC, 1).set(H_H_ICENC, 1)
        .set(H_IC_DIM, 1).set(H_H_GEN, 1).set(H_FAC_DIM, 1);
    b.set(H_FRAC_STATE, FS).set(H_FRAC_GATE, 15).set(H_FRAC_PRE, 15).set(H_PRE_WIDTH, 20).set(H_FRAC_IC, 13)
        .set(H_FRAC_FAC, 13).set(H_FRAC_LOGRATE, 12).set(H_CLIP_Q, 20480);
    b.section(S_IC_FWD_H0, FS, new int[] {h0}).section(S_IC_FWD_WIH, 14, wih).section(S_IC_FWD_WHH, 14, whh)
        .section(S_IC_FWD_B, 13, bias);
    b.section(S_IC_BWD_H0, FS, new int[] {0}).section(S_IC_BWD_WIH, 14, new int[] {100, 200, 300})
        .section(S_IC_BWD_WHH, 14, new int[] {-100, 50, 25}).section(S_IC_BWD_B, 13, new int[] {0, 0, 0});
    b.accFrac(LAYER_IC_FWD, 26).accFrac(LAYER_IC_BWD, 26);
    b.section(S_IC_LIN_W, 14, new int[] {8192, 8192}).section(S_IC_LIN_B, 13, new int[] {0}).accFrac(LAYER_IC_LIN, 26);
    b.section(S_G0_W, 14, new int[] {16384}).section(S_G0_B, 13, new int[] {0}).accFrac(LAYER_G0, 27);
    b.section(S_GEN_WHH, 14, new int[] {0, 0, 8192}).section(S_GEN_B, 13, new int[] {0, 0, 0}).accFrac(LAYER_GEN, 26);
    b.section(S_FAC_W, 14, new int[] {16384}).accFrac(LAYER_FAC, 26);
    b.section(S_RO_W, 14, new int[] {16384}).section(S_RO_B, 13, new int[] {-8192}).accFrac(LAYER_RO, 27);
    b.section(S_SIGMOID_TABLE, 15, ActivationTable.sigmoidTable(W, 10));
    b.section(S_TANH_TABLE, 15, ActivationTable.tanhTable(W, 10));
    return b;
  }
}
