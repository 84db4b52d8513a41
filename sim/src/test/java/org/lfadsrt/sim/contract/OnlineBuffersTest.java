package org.lfadsrt.sim.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Online-mode buffer sizes (docs/kernel-numerics.md §13), worked by hand for the paper and MC_Maze sizes. */
class OnlineBuffersTest {

  @Test
  void paperSize() {
    // 70 channels -> one 64-byte beat is not enough: 128; 4 factors + 70 log-rates = 296 bytes -> 320, + 64 status
    assertEquals(128, OnlineBuffers.inputSlotBytes(70));
    assertEquals(384, OnlineBuffers.outputSlotBytes(4, 70));
    assertEquals(70, OnlineBuffers.hostBytesIn(70));
    assertEquals(360, OnlineBuffers.hostBytesOut(4, 70));
  }

  @Test
  void mcMazeSize() {
    // 137 -> 192; 100 + 182 = 282 words = 1128 bytes -> 1152, + 64
    assertEquals(192, OnlineBuffers.inputSlotBytes(137));
    assertEquals(1216, OnlineBuffers.outputSlotBytes(100, 182));
    assertEquals(1192, OnlineBuffers.hostBytesOut(100, 182));
  }

  @Test
  void hostMovesNoMoreThanIssue15Allows() {
    // issue 15, point 6: <= N_in bytes in, <= 4 * (F + N_out) + 64 bytes out per bin
    for (int[] d : new int[][] {{70, 4, 70}, {137, 100, 182}, {1, 1, 1}, {64, 16, 64}}) {
      assertTrue(OnlineBuffers.hostBytesIn(d[0]) <= d[0]);
      assertTrue(OnlineBuffers.hostBytesOut(d[1], d[2]) <= 4L * (d[1] + d[2]) + 64);
    }
  }

  @Test
  void statusBlockFitsItsBeat() {
    int[] words = {KernelContract.OS_SEQ, KernelContract.OS_ERROR_CODE, KernelContract.OS_TRIALS_DONE,
        KernelContract.OS_CYCLES_LO, KernelContract.OS_CYCLES_HI, KernelContract.OS_WINDOW_BINS,
        KernelContract.OS_STATUS, KernelContract.OS_MAGIC};
    for (int w : words) assertTrue(4 * w + 4 <= KernelContract.ONLINE_STATUS_BYTES, "word " + w);
    assertEquals(KernelContract.OS_CYCLES_LO + 1, KernelContract.OS_CYCLES_HI);
    assertEquals(KernelContract.ONLINE_STATUS_BYTES, OnlineBuffers.RESULT_OFFSET);
  }

  @Test
  void slotsRotateFromTheReset() {
    assertEquals(0, OnlineBuffers.slotOf(0, 2));
    assertEquals(1, OnlineBuffers.slotOf(1, 2));
    assertEquals(0, OnlineBuffers.slotOf(2, 2));
    assertEquals(2, OnlineBuffers.slotOf(5, 3));
    assertEquals(0, OnlineBuffers.slotOf(7, 1));
    assertThrows(IllegalArgumentException.class, () -> OnlineBuffers.slotOf(0, 0));
  }
}
