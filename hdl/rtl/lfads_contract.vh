// SPDX-License-Identifier: MIT
// GENERATED from sim/src/main/java/org/lfadsrt/sim/contract/KernelContract.java
// by ContractGenerator (make contracts). Do not edit: change the Java source and regenerate.
// Include inside a module body: localparams only.
// verilator lint_off UNUSEDPARAM
localparam integer LFADS_IMAGE_MAGIC = 32'h494B464C;
localparam integer LFADS_IMAGE_VERSION = 1;
localparam integer LFADS_IMAGE_HEADER_BYTES = 1024;
localparam integer LFADS_IMAGE_HEADER_WORDS = 256;
localparam integer LFADS_IMAGE_SECTION_ALIGN_WORDS = 16;
localparam integer LFADS_H_MAGIC = 0;
localparam integer LFADS_H_VERSION = 1;
localparam integer LFADS_H_HEADER_BYTES = 2;
localparam integer LFADS_H_PAYLOAD_WORDS = 3;
localparam integer LFADS_H_PAYLOAD_CRC32 = 4;
localparam integer LFADS_H_DATA_WIDTH = 5;
localparam integer LFADS_H_ACC_WIDTH = 6;
localparam integer LFADS_H_FLAGS = 7;
localparam integer LFADS_H_N_IN = 8;
localparam integer LFADS_H_N_OUT = 9;
localparam integer LFADS_H_T_ENC = 10;
localparam integer LFADS_H_T_REC = 11;
localparam integer LFADS_H_H_ICENC = 12;
localparam integer LFADS_H_H_CIENC = 13;
localparam integer LFADS_H_CI_LAG = 14;
localparam integer LFADS_H_H_CON = 15;
localparam integer LFADS_H_CO_DIM = 16;
localparam integer LFADS_H_IC_DIM = 17;
localparam integer LFADS_H_H_GEN = 18;
localparam integer LFADS_H_FAC_DIM = 19;
localparam integer LFADS_H_FRAC_STATE = 20;
localparam integer LFADS_H_FRAC_GATE = 21;
localparam integer LFADS_H_FRAC_PRE = 22;
localparam integer LFADS_H_PRE_WIDTH = 23;
localparam integer LFADS_H_FRAC_IC = 24;
localparam integer LFADS_H_FRAC_CO = 25;
localparam integer LFADS_H_FRAC_FAC = 26;
localparam integer LFADS_H_FRAC_LOGRATE = 27;
localparam integer LFADS_H_CLIP_Q = 28;
localparam integer LFADS_H_ACT_SEG_BITS = 29;
localparam integer LFADS_H_SIGMOID_RANGE_EXP = 30;
localparam integer LFADS_H_TANH_RANGE_EXP = 31;
localparam integer LFADS_H_LANES_HINT = 32;
localparam integer LFADS_H_ACC_FRAC_BASE = 33;
localparam integer LFADS_H_SECTION_TABLE = 48;
localparam integer LFADS_SECTION_ENTRY_WORDS = 4;
localparam integer LFADS_SECTION_OFFSET = 0;
localparam integer LFADS_SECTION_ROWS = 1;
localparam integer LFADS_SECTION_COLS = 2;
localparam integer LFADS_SECTION_FRAC = 3;
localparam integer LFADS_IMAGE_FLAG_HAS_CONTROLLER = 1;
localparam integer LFADS_LAYER_IC_FWD = 0;
localparam integer LFADS_LAYER_IC_BWD = 1;
localparam integer LFADS_LAYER_CI_FWD = 2;
localparam integer LFADS_LAYER_CI_BWD = 3;
localparam integer LFADS_LAYER_CON = 4;
localparam integer LFADS_LAYER_GEN = 5;
localparam integer LFADS_LAYER_IC_LIN = 6;
localparam integer LFADS_LAYER_G0 = 7;
localparam integer LFADS_LAYER_CO = 8;
localparam integer LFADS_LAYER_FAC = 9;
localparam integer LFADS_LAYER_RO = 10;
localparam integer LFADS_LAYER_COUNT = 11;
localparam integer LFADS_S_IC_FWD_H0 = 0;
localparam integer LFADS_S_IC_FWD_WIH = 1;
localparam integer LFADS_S_IC_FWD_WHH = 2;
localparam integer LFADS_S_IC_FWD_B = 3;
localparam integer LFADS_S_IC_BWD_H0 = 4;
localparam integer LFADS_S_IC_BWD_WIH = 5;
localparam integer LFADS_S_IC_BWD_WHH = 6;
localparam integer LFADS_S_IC_BWD_B = 7;
localparam integer LFADS_S_CI_FWD_H0 = 8;
localparam integer LFADS_S_CI_FWD_WIH = 9;
localparam integer LFADS_S_CI_FWD_WHH = 10;
localparam integer LFADS_S_CI_FWD_B = 11;
localparam integer LFADS_S_CI_BWD_H0 = 12;
localparam integer LFADS_S_CI_BWD_WIH = 13;
localparam integer LFADS_S_CI_BWD_WHH = 14;
localparam integer LFADS_S_CI_BWD_B = 15;
localparam integer LFADS_S_CON_H0 = 16;
localparam integer LFADS_S_CON_WIH = 17;
localparam integer LFADS_S_CON_WHH = 18;
localparam integer LFADS_S_CON_B = 19;
localparam integer LFADS_S_CO_W = 20;
localparam integer LFADS_S_CO_B = 21;
localparam integer LFADS_S_IC_LIN_W = 22;
localparam integer LFADS_S_IC_LIN_B = 23;
localparam integer LFADS_S_G0_W = 24;
localparam integer LFADS_S_G0_B = 25;
localparam integer LFADS_S_GEN_WIH = 26;
localparam integer LFADS_S_GEN_WHH = 27;
localparam integer LFADS_S_GEN_B = 28;
localparam integer LFADS_S_FAC_W = 29;
localparam integer LFADS_S_RO_W = 30;
localparam integer LFADS_S_RO_B = 31;
localparam integer LFADS_S_SIGMOID_TABLE = 32;
localparam integer LFADS_S_TANH_TABLE = 33;
localparam integer LFADS_SECTION_COUNT = 34;
localparam integer LFADS_BUFFER_ALIGN_BYTES = 64;
localparam integer LFADS_SPIKE_COUNT_MAX = 255;
localparam integer LFADS_ONLINE_STATUS_BYTES = 64;
localparam integer LFADS_OS_SEQ = 0;
localparam integer LFADS_OS_ERROR_CODE = 1;
localparam integer LFADS_OS_TRIALS_DONE = 2;
localparam integer LFADS_OS_CYCLES_LO = 3;
localparam integer LFADS_OS_CYCLES_HI = 4;
localparam integer LFADS_OS_WINDOW_BINS = 5;
localparam integer LFADS_OS_STATUS = 6;
localparam integer LFADS_OS_MAGIC = 15;
localparam integer LFADS_ONLINE_STATUS_MAGIC = 32'h5453464C;
localparam integer LFADS_REG_CTRL = 0;
localparam integer LFADS_REG_GIE = 4;
localparam integer LFADS_REG_IER = 8;
localparam integer LFADS_REG_ISR = 12;
localparam integer LFADS_REG_IMAGE_PTR_LO = 16;
localparam integer LFADS_REG_IMAGE_PTR_HI = 20;
localparam integer LFADS_REG_INPUT_PTR_LO = 28;
localparam integer LFADS_REG_INPUT_PTR_HI = 32;
localparam integer LFADS_REG_OUTPUT_PTR_LO = 40;
localparam integer LFADS_REG_OUTPUT_PTR_HI = 44;
localparam integer LFADS_REG_NUM_TRIALS = 52;
localparam integer LFADS_REG_FLAGS = 60;
localparam integer LFADS_REG_KERNEL_ID = 64;
localparam integer LFADS_REG_VERSION = 68;
localparam integer LFADS_REG_BUILD_ID = 72;
localparam integer LFADS_REG_CONFIG = 76;
localparam integer LFADS_REG_CYCLES_LO = 80;
localparam integer LFADS_REG_CYCLES_HI = 84;
localparam integer LFADS_REG_STATUS = 88;
localparam integer LFADS_REG_ERROR_CODE = 92;
localparam integer LFADS_REG_TRIALS_DONE = 96;
localparam integer LFADS_CTRL_ADDR_WIDTH = 7;
localparam integer LFADS_CTRL_AP_START = 1;
localparam integer LFADS_CTRL_AP_DONE = 2;
localparam integer LFADS_CTRL_AP_IDLE = 4;
localparam integer LFADS_CTRL_AP_READY = 8;
localparam integer LFADS_CTRL_AUTO_RESTART = 128;
localparam integer LFADS_FLAG_LOAD_IMAGE = 1;
localparam integer LFADS_FLAG_ONLINE = 2;
localparam integer LFADS_FLAG_ONLINE_RESET = 4;
localparam integer LFADS_STATUS_IMAGE_LOADED = 1;
localparam integer LFADS_STATUS_IMAGE_ERROR = 2;
localparam integer LFADS_STATUS_AXI_ERROR = 4;
localparam integer LFADS_ERR_NONE = 0;
localparam integer LFADS_ERR_BAD_MAGIC = 1;
localparam integer LFADS_ERR_BAD_VERSION = 2;
localparam integer LFADS_ERR_WIDTH_MISMATCH = 3;
localparam integer LFADS_ERR_DIMS_TOO_LARGE = 4;
localparam integer LFADS_ERR_AXI = 5;
localparam integer LFADS_ERR_NO_IMAGE = 6;
localparam integer LFADS_ERR_NO_SLOTS = 7;
localparam integer LFADS_KERNEL_ID = 32'h4C464144;
localparam integer LFADS_KERNEL_VERSION = 32'h00010000;
// section 0: IC_FWD_H0
// section 1: IC_FWD_WIH
// section 2: IC_FWD_WHH
// section 3: IC_FWD_B
// section 4: IC_BWD_H0
// section 5: IC_BWD_WIH
// section 6: IC_BWD_WHH
// section 7: IC_BWD_B
// section 8: CI_FWD_H0
// section 9: CI_FWD_WIH
// section 10: CI_FWD_WHH
// section 11: CI_FWD_B
// section 12: CI_BWD_H0
// section 13: CI_BWD_WIH
// section 14: CI_BWD_WHH
// section 15: CI_BWD_B
// section 16: CON_H0
// section 17: CON_WIH
// section 18: CON_WHH
// section 19: CON_B
// section 20: CO_W
// section 21: CO_B
// section 22: IC_LIN_W
// section 23: IC_LIN_B
// section 24: G0_W
// section 25: G0_B
// section 26: GEN_WIH
// section 27: GEN_WHH
// section 28: GEN_B
// section 29: FAC_W
// section 30: RO_W
// section 31: RO_B
// section 32: SIGMOID_TABLE
// section 33: TANH_TABLE
// verilator lint_on UNUSEDPARAM
