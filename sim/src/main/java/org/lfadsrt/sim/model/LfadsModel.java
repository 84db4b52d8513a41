package org.lfadsrt.sim.model;

/**
 * A complete LFADS model for inference: hyperparameters plus every parameter the inference path
 * reads, exactly as lfads-torch stores them (names in docs/model-format.md). Arrays are not copied;
 * treat them as read-only. Controller-related fields are null when {@code !config.useController()}.
 *
 * @param icEncH0   encoder.ic_enc_h0 as (2 x ic_enc_dim): [0] forward, [1] backward
 * @param icEncFwd  encoder.ic_enc.fwd_gru.cell.*
 * @param icEncBwd  encoder.ic_enc.bwd_gru.cell.*
 * @param icLinear  encoder.ic_linear: (2*ic_dim x 2*ic_enc_dim); rows [0,ic_dim) give ic_mean
 * @param ciEncH0   encoder.ci_enc_h0 as (2 x ci_enc_dim)
 * @param ciEncFwd  encoder.ci_enc.fwd_gru.cell.*
 * @param ciEncBwd  encoder.ci_enc.bwd_gru.cell.*
 * @param conH0     decoder.con_h0 as (con_dim)
 * @param conCell   decoder.rnn.cell.con_cell.*: input = [ci_fwd, ci_bwd, factor]
 * @param coLinear  decoder.rnn.cell.co_linear: (2*co_dim x con_dim); rows [0,co_dim) give co_mean
 * @param icToG0    decoder.ic_to_g0: (gen_dim x ic_dim)
 * @param genCell   decoder.rnn.cell.gen_cell.*: input = co_mean (co_dim, possibly 0)
 * @param facWeight decoder.rnn.cell.fac_linear.weight (fac_dim x gen_dim), NOT row-normalised
 * @param readout   the session's readout (readout.S): (readout_dim x fac_dim); a readout without bias has a zero bias
 * @param reconstruction how the readout's output becomes the distribution mean (readout_dim = its readoutDim())
 */
public record LfadsModel(
    LfadsConfig config,
    double[][] icEncH0,
    GruWeights icEncFwd,
    GruWeights icEncBwd,
    LinearWeights icLinear,
    double[][] ciEncH0,
    GruWeights ciEncFwd,
    GruWeights ciEncBwd,
    double[] conH0,
    GruWeights conCell,
    LinearWeights coLinear,
    LinearWeights icToG0,
    GruWeights genCell,
    double[][] facWeight,
    LinearWeights readout,
    Reconstruction reconstruction) {

  public LfadsModel {
    if (reconstruction == null) reconstruction = Reconstruction.poisson(config.readoutDim());
    if (reconstruction.readoutDim() != config.readoutDim()) {
      throw new IllegalArgumentException("reconstruction " + reconstruction.describe() + " needs a readout of "
          + reconstruction.readoutDim() + " outputs, the model has " + config.readoutDim());
    }
  }

  /** A Poisson model (lfads-torch's default reconstruction): the readout gives log-rates. */
  public LfadsModel(LfadsConfig config, double[][] icEncH0, GruWeights icEncFwd, GruWeights icEncBwd,
      LinearWeights icLinear, double[][] ciEncH0, GruWeights ciEncFwd, GruWeights ciEncBwd, double[] conH0,
      GruWeights conCell, LinearWeights coLinear, LinearWeights icToG0, GruWeights genCell, double[][] facWeight,
      LinearWeights readout) {
    this(config, icEncH0, icEncFwd, icEncBwd, icLinear, ciEncH0, ciEncFwd, ciEncBwd, conH0, conCell, coLinear, icToG0,
        genCell, facWeight, readout, null);
  }

  /** This model with another reconstruction (same weights). */
  public LfadsModel withReconstruction(Reconstruction r) {
    return new LfadsModel(config, icEncH0, icEncFwd, icEncBwd, icLinear, ciEncH0, ciEncFwd, ciEncBwd, conH0, conCell,
        coLinear, icToG0, genCell, facWeight, readout, r);
  }
}
