package org.lfadsrt.sim.contract;

import java.util.List;

/**
 * The single source of truth for every number the Java host, the C driver and the Verilog kernel must
 * agree on: the kernel-image header and section layout, the AXI4-Lite register map, flag bits and error
 * codes. {@link ContractGenerator} writes the C header ({@code drivers/include/lfads_contract.h}) and the
 * Verilog include ({@code hdl/rtl/lfads_contract.vh}) from this class; a test fails when the committed
 * files differ from what it generates. docs/kernel-numerics.md explains the meaning of each item.
 */
public final class KernelContract {
  private KernelContract() {}

  // ---------------------------------------------------------------------------------------------
  // Kernel image: 1024-byte header of little-endian 32-bit words, then the payload.
  // ---------------------------------------------------------------------------------------------

  /** "LFKI" as little-endian bytes 'L','F','K','I'. */
  public static final int IMAGE_MAGIC = 0x494B464C;
  public static final int IMAGE_VERSION = 1;
  public static final int IMAGE_HEADER_BYTES = 1024;
  public static final int IMAGE_HEADER_WORDS = IMAGE_HEADER_BYTES / 4;
  /** Every section starts on a multiple of this many 32-bit words (64 bytes = one 512-bit AXI beat). */
  public static final int IMAGE_SECTION_ALIGN_WORDS = 16;

  /** Header word indices. */
  public static final int H_MAGIC = 0;
  public static final int H_VERSION = 1;
  public static final int H_HEADER_BYTES = 2;
  public static final int H_PAYLOAD_WORDS = 3;
  /** CRC-32 (IEEE 802.3, as java.util.zip.CRC32 / zlib crc32) of the payload bytes. */
  public static final int H_PAYLOAD_CRC32 = 4;
  public static final int H_DATA_WIDTH = 5;
  public static final int H_ACC_WIDTH = 6;
  public static final int H_FLAGS = 7;
  public static final int H_N_IN = 8;
  public static final int H_N_OUT = 9;
  public static final int H_T_ENC = 10;
  public static final int H_T_REC = 11;
  public static final int H_H_ICENC = 12;
  public static final int H_H_CIENC = 13;
  public static final int H_CI_LAG = 14;
  public static final int H_H_CON = 15;
  public static final int H_CO_DIM = 16;
  public static final int H_IC_DIM = 17;
  public static final int H_H_GEN = 18;
  public static final int H_FAC_DIM = 19;
  public static final int H_FRAC_STATE = 20;
  public static final int H_FRAC_GATE = 21;
  public static final int H_FRAC_PRE = 22;
  public static final int H_PRE_WIDTH = 23;
  public static final int H_FRAC_IC = 24;
  public static final int H_FRAC_CO = 25;
  public static final int H_FRAC_FAC = 26;
  public static final int H_FRAC_LOGRATE = 27;
  public static final int H_CLIP_Q = 28;
  public static final int H_ACT_SEG_BITS = 29;
  public static final int H_SIGMOID_RANGE_EXP = 30;
  public static final int H_TANH_RANGE_EXP = 31;
  public static final int H_LANES_HINT = 32;
  /** Accumulator fraction bits of each layer, {@link #LAYER_COUNT} words starting here (index = LAYER_*). */
  public static final int H_ACC_FRAC_BASE = 33;
  /** Section table: {@link #SECTION_COUNT} entries of 4 words {offset_words, rows, cols, frac}. */
  public static final int H_SECTION_TABLE = 48;
  public static final int SECTION_ENTRY_WORDS = 4;
  public static final int SECTION_OFFSET = 0;
  public static final int SECTION_ROWS = 1;
  public static final int SECTION_COLS = 2;
  public static final int SECTION_FRAC = 3;

  /** Header FLAGS bits. */
  public static final int IMAGE_FLAG_HAS_CONTROLLER = 1;

  /** Layers, for the accumulator-fraction words. */
  public static final int LAYER_IC_FWD = 0;
  public static final int LAYER_IC_BWD = 1;
  public static final int LAYER_CI_FWD = 2;
  public static final int LAYER_CI_BWD = 3;
  public static final int LAYER_CON = 4;
  public static final int LAYER_GEN = 5;
  public static final int LAYER_IC_LIN = 6;
  public static final int LAYER_G0 = 7;
  public static final int LAYER_CO = 8;
  public static final int LAYER_FAC = 9;
  public static final int LAYER_RO = 10;
  public static final int LAYER_COUNT = 11;

  /** Payload sections in payload order (the order the kernel reads them). Each element is one int32 word. */
  public static final int S_IC_FWD_H0 = 0;
  public static final int S_IC_FWD_WIH = 1;
  public static final int S_IC_FWD_WHH = 2;
  public static final int S_IC_FWD_B = 3;
  public static final int S_IC_BWD_H0 = 4;
  public static final int S_IC_BWD_WIH = 5;
  public static final int S_IC_BWD_WHH = 6;
  public static final int S_IC_BWD_B = 7;
  public static final int S_CI_FWD_H0 = 8;
  public static final int S_CI_FWD_WIH = 9;
  public static final int S_CI_FWD_WHH = 10;
  public static final int S_CI_FWD_B = 11;
  public static final int S_CI_BWD_H0 = 12;
  public static final int S_CI_BWD_WIH = 13;
  public static final int S_CI_BWD_WHH = 14;
  public static final int S_CI_BWD_B = 15;
  public static final int S_CON_H0 = 16;
  public static final int S_CON_WIH = 17;
  public static final int S_CON_WHH = 18;
  public static final int S_CON_B = 19;
  public static final int S_CO_W = 20;
  public static final int S_CO_B = 21;
  public static final int S_IC_LIN_W = 22;
  public static final int S_IC_LIN_B = 23;
  public static final int S_G0_W = 24;
  public static final int S_G0_B = 25;
  public static final int S_GEN_WIH = 26;
  public static final int S_GEN_WHH = 27;
  public static final int S_GEN_B = 28;
  public static final int S_FAC_W = 29;
  public static final int S_RO_W = 30;
  public static final int S_RO_B = 31;
  public static final int S_SIGMOID_TABLE = 32;
  public static final int S_TANH_TABLE = 33;
  public static final int SECTION_COUNT = 34;

  /** Section names in ID order (used in error messages and generated headers). */
  public static final List<String> SECTION_NAMES = List.of(
      "IC_FWD_H0", "IC_FWD_WIH", "IC_FWD_WHH", "IC_FWD_B",
      "IC_BWD_H0", "IC_BWD_WIH", "IC_BWD_WHH", "IC_BWD_B",
      "CI_FWD_H0", "CI_FWD_WIH", "CI_FWD_WHH", "CI_FWD_B",
      "CI_BWD_H0", "CI_BWD_WIH", "CI_BWD_WHH", "CI_BWD_B",
      "CON_H0", "CON_WIH", "CON_WHH", "CON_B",
      "CO_W", "CO_B", "IC_LIN_W", "IC_LIN_B", "G0_W", "G0_B",
      "GEN_WIH", "GEN_WHH", "GEN_B", "FAC_W", "RO_W", "RO_B",
      "SIGMOID_TABLE", "TANH_TABLE");

  public static final List<String> LAYER_NAMES = List.of(
      "IC_FWD", "IC_BWD", "CI_FWD", "CI_BWD", "CON", "GEN", "IC_LIN", "G0", "CO", "FAC", "RO");

  // ---------------------------------------------------------------------------------------------
  // Device buffers.
  // ---------------------------------------------------------------------------------------------

  /** Input: per trial T_enc x N_in unsigned 8-bit spike counts, bin-major; trial stride rounded up to this. */
  public static final int BUFFER_ALIGN_BYTES = 64;
  /** Largest spike count the kernel accepts; hosts saturate larger counts (and count them). */
  public static final int SPIKE_COUNT_MAX = 255;

  // Online mode (FLAG_ONLINE; docs/kernel-numerics.md section 13, sizes in OnlineBuffers). Input slot k: one bin,
  // N_in bytes at INPUT_PTR + k * roundup(N_in, 64). Output slot k at OUTPUT_PTR + k * (ONLINE_STATUS_BYTES +
  // roundup(4 * (fac + n_out), 64)): the status block, then the newest bin's (step T_enc - 1) fac factor words and
  // n_out log-rate words (int32, sign-extended). NUM_TRIALS = the number of slots S; the run with FLAG_ONLINE_RESET
  // (or the first online run after LOAD_IMAGE) uses slot 0, each later online run the next slot mod S. The status
  // block is written last, after every result word's write response.
  // Host, once: pointers, NUM_TRIALS = S, FLAGS = LOAD_IMAGE, start, poll ap_done; learn the SEQ base from the first
  // online run's status block. Host, per bin: copy the bin into its input slot; write FLAGS only when it changes
  // (FLAG_ONLINE | FLAG_ONLINE_RESET for a window's first bin, FLAG_ONLINE after); write REG_CTRL = CTRL_AP_START;
  // wait until the slot's OS_SEQ word equals the expected SEQ. No register read; at most 2 register writes.

  /** Bytes of the status block at the start of an online output slot (one 64-byte AXI beat). */
  public static final int ONLINE_STATUS_BYTES = 64;
  /** Status-block word indices (32-bit little-endian words; words not listed are written as zero).
   * OS_SEQ: online runs since the kernel's reset including this one (successful or not; no flag clears it). */
  public static final int OS_SEQ = 0;
  public static final int OS_ERROR_CODE = 1;
  public static final int OS_TRIALS_DONE = 2;
  public static final int OS_CYCLES_LO = 3;
  public static final int OS_CYCLES_HI = 4;
  public static final int OS_WINDOW_BINS = 5;
  public static final int OS_STATUS = 6;
  public static final int OS_MAGIC = 15;
  /** OS_MAGIC value: "LFST" as little-endian bytes. */
  public static final int ONLINE_STATUS_MAGIC = 0x5453464C;

  // ---------------------------------------------------------------------------------------------
  // AXI4-Lite register map (s_axi_control), byte offsets. Vitis control protocol ap_ctrl_hs.
  // ---------------------------------------------------------------------------------------------

  public static final int REG_CTRL = 0x00;
  public static final int REG_GIE = 0x04;
  public static final int REG_IER = 0x08;
  public static final int REG_ISR = 0x0C;
  public static final int REG_IMAGE_PTR_LO = 0x10;
  public static final int REG_IMAGE_PTR_HI = 0x14;
  public static final int REG_INPUT_PTR_LO = 0x1C;
  public static final int REG_INPUT_PTR_HI = 0x20;
  public static final int REG_OUTPUT_PTR_LO = 0x28;
  public static final int REG_OUTPUT_PTR_HI = 0x2C;
  public static final int REG_NUM_TRIALS = 0x34;
  public static final int REG_FLAGS = 0x3C;
  public static final int REG_KERNEL_ID = 0x40;
  public static final int REG_VERSION = 0x44;
  public static final int REG_BUILD_ID = 0x48;
  public static final int REG_CONFIG = 0x4C;
  public static final int REG_CYCLES_LO = 0x50;
  public static final int REG_CYCLES_HI = 0x54;
  public static final int REG_STATUS = 0x58;
  public static final int REG_ERROR_CODE = 0x5C;
  public static final int REG_TRIALS_DONE = 0x60;
  /** Address bits of s_axi_control. */
  public static final int CTRL_ADDR_WIDTH = 7;

  /** REG_CTRL bits. */
  public static final int CTRL_AP_START = 1 << 0;
  public static final int CTRL_AP_DONE = 1 << 1;
  public static final int CTRL_AP_IDLE = 1 << 2;
  public static final int CTRL_AP_READY = 1 << 3;
  public static final int CTRL_AUTO_RESTART = 1 << 7;

  /** REG_FLAGS bits. */
  public static final int FLAG_LOAD_IMAGE = 1 << 0;
  /**
   * Online mode (docs/kernel-numerics.md section 13): the run pushes one bin into the kernel's ring of the last T_enc
   * bins, infers the window ending at it and writes a status block and that bin's factors and log-rates into the
   * output slot. REG_NUM_TRIALS is then the number of buffer slots the kernel rotates through.
   */
  public static final int FLAG_ONLINE = 1 << 1;
  /** With FLAG_ONLINE: forget every bin pushed before this run's (the window is zeros and this bin) and restart
   * at buffer slot 0. A run with FLAG_LOAD_IMAGE resets the window as well. */
  public static final int FLAG_ONLINE_RESET = 1 << 2;

  /** REG_STATUS bits. */
  public static final int STATUS_IMAGE_LOADED = 1 << 0;
  public static final int STATUS_IMAGE_ERROR = 1 << 1;
  public static final int STATUS_AXI_ERROR = 1 << 2;

  /** REG_ERROR_CODE values. */
  public static final int ERR_NONE = 0;
  public static final int ERR_BAD_MAGIC = 1;
  public static final int ERR_BAD_VERSION = 2;
  public static final int ERR_WIDTH_MISMATCH = 3;
  public static final int ERR_DIMS_TOO_LARGE = 4;
  public static final int ERR_AXI = 5;
  public static final int ERR_NO_IMAGE = 6;
  /** An online run with REG_NUM_TRIALS (the buffer-slot count) 0. */
  public static final int ERR_NO_SLOTS = 7;

  /** REG_KERNEL_ID value: "LFAD". */
  public static final int KERNEL_ID = 0x4C464144;
  /** REG_VERSION value: major << 16 | minor. The major equals {@link #IMAGE_VERSION}. */
  public static final int KERNEL_VERSION = 0x00010000;
}
