package org.lfadsrt.host.backend;

/**
 * What a kernel says about itself in its identity registers (docs/kernel-numerics.md §11).
 *
 * @param kernelId KERNEL_ID, 0x4C464144 ("LFAD") for this kernel
 * @param version  VERSION, major in the high half (= kernel-image version)
 * @param buildId  BUILD_ID, the build's git hash (32 bits)
 * @param config   CONFIG: [7:0] data width W, [31:16] MAC lanes
 */
public record DeviceIdentity(int kernelId, int version, int buildId, int config) {
  public int dataWidth() {
    return config & 0xFF;
  }

  public int macLanes() {
    return config >>> 16;
  }

  @Override
  public String toString() {
    return String.format("KERNEL_ID 0x%08X VERSION %d.%d BUILD_ID %08x W=%d lanes=%d", kernelId, version >>> 16,
        version & 0xFFFF, buildId, dataWidth(), macLanes());
  }
}
