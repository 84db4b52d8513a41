package org.lfadsrt.host.backend;

/**
 * The dimensions a backend was loaded with.
 *
 * @param nIn    spike channels per bin (N_in)
 * @param tEnc   bins per inference window (T_enc)
 * @param tRec   output steps per trial (T_rec >= T_enc)
 * @param facDim factors per step
 * @param nOut   log-rate channels per step (N_out)
 */
public record ModelShape(int nIn, int tEnc, int tRec, int facDim, int nOut) {

  /** Bytes of one trial's spike counts: T_enc x N_in unsigned 8-bit counts. */
  public int spikeBytesPerTrial() {
    return tEnc * nIn;
  }

  /** 32-bit words of one trial's raw output: per step, fac_dim factors then n_out log-rates. */
  public int outputWordsPerTrial() {
    return tRec * (facDim + nOut);
  }
}
