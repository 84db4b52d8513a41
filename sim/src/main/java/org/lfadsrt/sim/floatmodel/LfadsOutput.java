package org.lfadsrt.sim.floatmodel;

/**
 * Inference result for one trial.
 *
 * @param factors  (T_rec x fac_dim)
 * @param logrates (T_rec x N_out), the readout of the factors: the reconstruction's raw parameters
 *                 (log-rates for Poisson; see {@link org.lfadsrt.sim.model.Reconstruction})
 * @param rates    (T_rec x neurons), the reconstruction distribution's mean (exp(logrates) for Poisson)
 * @param icMean   (ic_dim), the IC posterior mean fed to the generator
 * @param coMean   (T_rec x co_dim), controller output means (co_dim = 0 without controller)
 */
public record LfadsOutput(double[][] factors, double[][] logrates, double[][] rates, double[] icMean, double[][] coMean) {}
