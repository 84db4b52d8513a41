package org.lfadsrt.sim.synth;

/**
 * A synthetic recording with its ground truth. Arrays are indexed [trial][bin][channel] and not
 * copied; treat them as read-only. {@code config} is null, and {@code latents} may be, for a
 * recording read back from a file ({@link RecordingFiles#read}).
 *
 * @param config  how it was made
 * @param spikes  Poisson spike counts (trials x T x N)
 * @param rates   ground-truth <b>expected spike count per bin</b> (rate in Hz x bin width in s),
 *                (trials x T x N); this is the quantity LFADS's {@code exp(logrates)} estimates
 * @param latents ground-truth z-scored Lorenz coordinates (trials x T x 3)
 */
public record SyntheticRecording(LorenzConfig config, int[][][] spikes, double[][][] rates,
                                 double[][][] latents) {

  public int trials() {
    return spikes.length;
  }

  public int bins() {
    return spikes.length == 0 ? 0 : spikes[0].length;
  }

  public int neurons() {
    return spikes.length == 0 || spikes[0].length == 0 ? 0 : spikes[0][0].length;
  }
}
