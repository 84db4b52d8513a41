package org.lfadsrt.host.source;

import java.util.List;

/**
 * Describes a binned spike stream in the spirit of an LSL stream info: what it is, where it comes
 * from, how many channels, at what nominal rate. Sent to rig clients in the handshake.
 *
 * @param name          human-readable stream name, e.g. "lorenz-synthetic"
 * @param type          content type, e.g. "SpikeCounts"
 * @param sourceId      stable identifier of the source (file path, host:port, generator seed)
 * @param channelCount  spike channels per bin
 * @param binWidthNanos bin width in nanoseconds
 * @param channelNames  one name per channel (unit ids for NWB, "ch0".. otherwise)
 */
public record StreamInfo(
    String name, String type, String sourceId, int channelCount, long binWidthNanos, List<String> channelNames) {

  public StreamInfo {
    if (channelCount <= 0) throw new IllegalArgumentException("channelCount must be > 0, got " + channelCount);
    if (binWidthNanos <= 0) throw new IllegalArgumentException("binWidthNanos must be > 0, got " + binWidthNanos);
    if (channelNames.size() != channelCount) {
      throw new IllegalArgumentException(
          "channelNames has " + channelNames.size() + " entries for " + channelCount + " channels");
    }
    channelNames = List.copyOf(channelNames);
  }

  /** Nominal sampling rate in bins per second. */
  public double nominalRateHz() {
    return 1e9 / binWidthNanos;
  }

  /** Default channel names ch0..ch(n-1). */
  public static List<String> numberedChannels(int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) names[i] = "ch" + i;
    return List.of(names);
  }
}
