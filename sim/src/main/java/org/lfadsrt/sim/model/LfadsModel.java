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
 * @param readout   readout.0: (readout_dim x fac_dim)
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
    LinearWeights readout) {}
