package org.lfadsrt.sim.model;

/**
 * LFADS hyperparameters that fix the inference path, named as in lfads-torch's
 * {@code hyper_parameters} (see docs/model-format.md). Immutable; validated at construction.
 *
 * @param encodDataDim N_in, spike channels fed to the encoders
 * @param encodSeqLen  T_enc, bins the encoders see
 * @param reconSeqLen  T_rec, bins the generator produces (T_rec >= T_enc; the extra bins are forward prediction)
 * @param readoutDim   N_out, channels the readout produces (may exceed N_in: held-out neurons)
 * @param icEncDim     IC encoder GRU size (per direction)
 * @param ciEncDim     CI encoder GRU size (per direction); 0 when there is no controller
 * @param ciLag        controller-input lag in bins (lfads-torch default 1)
 * @param conDim       controller GRU size; 0 when there is no controller
 * @param coDim        controller output size; 0 when there is no controller
 * @param icDim        initial-condition size
 * @param genDim       generator GRU size
 * @param facDim       factor count
 * @param cellClip     every GRU hidden state is clamped to +-cellClip
 */
public record LfadsConfig(
    int encodDataDim,
    int encodSeqLen,
    int reconSeqLen,
    int readoutDim,
    int icEncDim,
    int ciEncDim,
    int ciLag,
    int conDim,
    int coDim,
    int icDim,
    int genDim,
    int facDim,
    double cellClip) {

  public LfadsConfig {
    positive("encod_data_dim", encodDataDim);
    positive("encod_seq_len", encodSeqLen);
    positive("recon_seq_len", reconSeqLen);
    positive("readout_dim", readoutDim);
    positive("ic_enc_dim", icEncDim);
    positive("ic_dim", icDim);
    positive("gen_dim", genDim);
    positive("fac_dim", facDim);
    nonNegative("ci_enc_dim", ciEncDim);
    nonNegative("con_dim", conDim);
    nonNegative("co_dim", coDim);
    nonNegative("ci_lag", ciLag);
    if (reconSeqLen < encodSeqLen) {
      throw new IllegalArgumentException(
          "recon_seq_len (" + reconSeqLen + ") must be >= encod_seq_len (" + encodSeqLen + ")");
    }
    boolean anyCon = ciEncDim > 0 || conDim > 0 || coDim > 0;
    boolean allCon = ciEncDim > 0 && conDim > 0 && coDim > 0;
    if (anyCon && !allCon) {
      throw new IllegalArgumentException(
          "controller needs ci_enc_dim, con_dim and co_dim all > 0 (or all 0), got "
              + ciEncDim + ", " + conDim + ", " + coDim);
    }
    if (!(cellClip > 0) || Double.isInfinite(cellClip)) {
      throw new IllegalArgumentException("cell_clip must be a finite positive number, got " + cellClip);
    }
  }

  /** True when the model has a CI encoder, a controller and controller outputs (lfads-torch's use_con). */
  public boolean useController() {
    return coDim > 0;
  }

  /** Generator input size: co_dim (external inputs are not supported). */
  public int genInputDim() {
    return coDim;
  }

  /** Controller input size: 2*ci_enc_dim + fac_dim. */
  public int conInputDim() {
    return 2 * ciEncDim + facDim;
  }

  private static void positive(String name, int v) {
    if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + v);
  }

  private static void nonNegative(String name, int v) {
    if (v < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + v);
  }
}
