package org.lfadsrt.host.backend;

import java.util.Locale;

/**
 * What a device call cost on the host-device bus, as the native driver counts it (lfads.h {@code LFADS_COUNT_*}):
 * AXI4-Lite register reads and writes over PCIe, DMA transfers each way and their bytes, kernel starts.
 */
public record BusCounters(long regReads, long regWrites, long syncsToDevice, long bytesToDevice, long syncsFromDevice,
    long bytesFromDevice, long kernelRuns) {

  /** Words of the driver's counter array, in its order. */
  static final int WORDS = 7;

  static BusCounters of(long[] c) {
    return new BusCounters(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
  }

  /** Everything zero (a call that never reached the bus). */
  public static final BusCounters NONE = new BusCounters(0, 0, 0, 0, 0, 0, 0);

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d register reads, %d writes, %d DMA syncs to the device (%d B), %d from it (%d B), %d kernel runs",
        regReads, regWrites, syncsToDevice, bytesToDevice, syncsFromDevice, bytesFromDevice, kernelRuns);
  }
}
