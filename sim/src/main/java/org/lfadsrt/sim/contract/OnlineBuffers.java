package org.lfadsrt.sim.contract;

/**
 * Sizes and offsets of the online-mode device buffers (docs/kernel-numerics.md section 13), derived from the
 * constants of {@link KernelContract} in one place for the host, the driver bindings, cosim and the tests.
 *
 * <p>Input slot k is {@link #inputSlotBytes} bytes at {@code INPUT_PTR + k * inputSlotBytes}; output slot k is
 * {@link #outputSlotBytes} bytes at {@code OUTPUT_PTR + k * outputSlotBytes}: the status block
 * ({@link KernelContract#ONLINE_STATUS_BYTES} bytes, words {@code OS_*}) then, at {@link #RESULT_OFFSET}, the
 * newest bin's factor words and log-rate words. A run with FLAG_ONLINE_RESET (or LOAD_IMAGE) uses slot 0 and
 * every later online run the next slot modulo NUM_TRIALS.
 */
public final class OnlineBuffers {
  private OnlineBuffers() {}

  /** Byte offset of the result words in an output slot. */
  public static final int RESULT_OFFSET = KernelContract.ONLINE_STATUS_BYTES;

  private static long roundUp(long v) {
    long a = KernelContract.BUFFER_ALIGN_BYTES;
    return (v + a - 1) / a * a;
  }

  /** Bytes between input slots: one bin of N_in counts, rounded up to 64. */
  public static long inputSlotBytes(int nIn) {
    return roundUp(nIn);
  }

  /** Bytes between output slots: the status block and the newest bin's (fac + n_out) int32 words, rounded up to 64. */
  public static long outputSlotBytes(int facDim, int nOut) {
    return KernelContract.ONLINE_STATUS_BYTES + roundUp(4L * (facDim + nOut));
  }

  /** Bytes a host moves to the device per bin: the bin's counts. */
  public static long hostBytesIn(int nIn) {
    return nIn;
  }

  /** Bytes a host moves from the device per bin: the status block and the result words it needs. */
  public static long hostBytesOut(int facDim, int nOut) {
    return KernelContract.ONLINE_STATUS_BYTES + 4L * (facDim + nOut);
  }

  /** The slot of the {@code runsSinceReset}-th online run after a reset (0 = the reset run itself). */
  public static int slotOf(long runsSinceReset, int slots) {
    if (slots < 1) throw new IllegalArgumentException("slots must be >= 1, is " + slots);
    return (int) Math.floorMod(runsSinceReset, (long) slots);
  }
}
