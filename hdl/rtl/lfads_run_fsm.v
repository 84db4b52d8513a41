// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Run FSM of lfads_engine: the image load's control (clear the memories, read and check the header, latch the
 * geometry, request each section's beats for lfads_element_loader) and the run's (whole-trial loop or one online
 * bin: the spike input lines' request and write position, the h0 -> state copy, the pass sequencer's start and
 * drain, the result writer's base and flush, the online status block). hdl/README.md describes the schedule;
 * docs/kernel-numerics.md section 13 the online window.
 *
 * It owns the reader's request port (one request at a time), the kernel's status (done, image_loaded,
 * image_error, axi_error, error_code, trials_done) and the header words the engine keeps (hdr_bits). The
 * per-image products of header fields (in_bytes, ring_bytes) and the strides are the engine's registered
 * multipliers, given here as inputs; the section size multiplier (rows * cols of section `sec`) is here:
 * SEC_MUL_WAIT cycles after `sec` changes it has settled.
 *
 * Timing (issue 13 point 2, <= 2.8 ns estimated; the same cycles as the single-cycle decisions it replaces, image
 * load included):
 *   - the state is one-hot (`sv`; `st` is its index, for benches), each state bit's next value from its own
 *     state's decisions only; each state's decisions (`d_*`) are one LUT of registers and inputs, kept as their own
 *     nets, so every register's enable / select is one or two LUTs more; the outputs the engine reads as strobes /
 *     enables (idle, rd_beat_ready, in_beat, sec_beat, seq_done) are one LUT from registers;
 *   - the decisions that start a section request (d_sec_req, the loader's sec_go) and a trial or online bin
 *     (d_tr_bin, d_tr_whole) are registers decided a cycle ahead, in kept copies per group of loads (FSM, request
 *     registers, trial / window registers, the loader), equal every cycle to the one-LUT decisions they replace
 *     (a simulation-only check compares them); the registers they load, and the window / buffer-slot registers
 *     (cleared by `start`), sit in processes of their own with one kept enable net per group;
 *   - the header check runs in a two-stage pipeline on the header words as they are kept (every checked word is in
 *     the first beats, at least two beats before the header's last), so ST_CHECK reads two registered flags; the
 *     geometry check likewise reads a register of the totals (final when the geometry's busy falls, a cycle
 *     before ST_GEO_CHECK);
 *   - everything a section request needs is registered from `sec` during the SEC_MUL_WAIT cycles the FSM already
 *     waits: its rows / columns / offset words (stages 1-2, an 8:1 then a 5:1 select), its address
 *     image_ptr + header + offset * 4, its emptiness (stage 3) and rows * cols as three 16 x 16 products, each a
 *     DSP48E2 with its A/B (stage 2's registers), M (stage 3) and P (stage 4) ranks, summed (stage 5, sec_words_p);
 *   - the loop's tests are registers decided ahead: the trial count's end (trial_end, set at the start and at
 *     each trial's flush), the input beats' end (== 0 / == 1 flags), the copy counter's, the clear counter's, the
 *     online window's pad and wrap (from the window's registers, or from T_enc alone right after a window reset),
 *     the buffer slot's wrap, the status block's "ok" and window bins.
 * Values read through such registers (num_trials, the pointers, the per-image sizes) are the ones of a cycle or
 * two earlier: they are the control slave's and the engine's registers, static from before `start` through the
 * run (the host writes them in AXI-Lite writes before the one of ap_start).
 */
module lfads_run_fsm #
(
    parameter DATA_WIDTH = 16,
    parameter ACC_WIDTH = 48,
    parameter MAX_N_IN = 256,
    parameter MAX_N_OUT = 256,
    parameter MAX_T_ENC = 128,
    parameter MAX_T_REC = 128,
    parameter MAX_HIDDEN = 256,
    parameter MAX_TILES = 512,
    parameter MAX_ROW_BLOCKS = 128,
    parameter MAX_ACT_SEG_BITS = 10,
    parameter AXI_DATA_WIDTH = 512,
    parameter CLR_N = 512,               // memory words cleared at an image load (clr_addr 0 .. CLR_N-1)
    parameter H0_DEPTH = 160,            // h0 memory words copied to the state slots at a trial's start
    parameter HDR_KEEP = 184             // header words kept (LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT)
)
(
    input  wire                          clk,
    input  wire                          rst,

    // run control (lfads_ctrl_regs)
    input  wire                          start,
    input  wire                          load_image,
    input  wire                          online_flag,
    input  wire                          online_reset,
    input  wire [63:0]                   cycle_now,
    input  wire [63:0]                   image_ptr,
    input  wire [63:0]                   input_ptr,
    input  wire [63:0]                   output_ptr,
    input  wire [31:0]                   num_trials,
    output wire                          idle,
    output reg                           done,
    output reg                           image_loaded,
    output reg                           image_error,
    output reg                           axi_error,
    output reg  [31:0]                   error_code,
    output reg  [31:0]                   trials_done,

    // memory reader: requests, and the beats this FSM takes itself (header, spike lines)
    output reg                           rd_req_valid,
    input  wire                          rd_req_ready,
    output reg  [63:0]                   rd_req_addr,
    output reg  [23:0]                   rd_req_beats,
    input  wire                          rd_beat_valid,
    input  wire [AXI_DATA_WIDTH-1:0]     rd_beat_data,
    input  wire                          rd_error,
    output wire                          rd_beat_ready,
    output wire                          in_beat,          // a spike-line beat is taken: to line in_line
    output reg  [15:0]                   in_line,

    // header and geometry
    output reg  [32*HDR_KEEP-1:0]        hdr_bits = 0,
    output reg                           geo_latch,
    input  wire                          geo_busy,
    input  wire [31:0]                   geo_tiles,
    input  wire [31:0]                   geo_rbs,
    output reg                           clr_we,           // zero every memory lane at clr_addr
    output reg  [15:0]                   clr_addr,
    output reg  [4:0]                    cfg_k,
    output reg  [4:0]                    cfg_fp,
    output reg  [3:0]                    cfg_esig,
    output reg  [3:0]                    cfg_etanh,
    output reg  [5:0]                    cfg_fg,
    output reg  [5:0]                    cfg_fs,
    output reg  [DATA_WIDTH-1:0]         cfg_clip,

    // sections (lfads_element_loader)
    output reg  [5:0]                    sec,
    output reg  [31:0]                   sec_words_p = 0,  // rows * cols of section `sec`
    output reg  [31:0]                   sec_cols_q = 0,   // columns of section `sec` (registered from it)
    output wire                          sec_go,           // the section's beats are requested: start the loader
    output wire                          sec_beat,         // a section beat is valid (the loader's beat_valid)
    input  wire                          el_beat_last,     // the loader takes a beat's last element
    input  wire                          el_last,          // the loader takes the section's last element

    // per-image sizes (the engine's registered multipliers of header fields)
    input  wire [31:0]                   in_bytes,         // a trial's input bytes
    input  wire [31:0]                   in_stride,        // input bytes per trial (64-byte aligned)
    input  wire [31:0]                   out_stride,       // output bytes per trial (64-byte aligned)
    input  wire [15:0]                   bin_lines,        // online: spike lines (beats) per bin
    input  wire [31:0]                   bin_bytes,
    input  wire [31:0]                   ring_bytes,       // online: T_enc bins of lines
    input  wire [31:0]                   proj_stride,      // online: projection-ring entries per bin
    input  wire [31:0]                   out_slot_stride,  // online: output bytes per slot (status block + results)

    // the run: h0 copy, pass sequencer, window of the encoders
    output reg  [15:0]                   cp_ctr,           // h0 word being copied (16'hFFFF: none)
    output reg                           seq_start,
    input  wire                          seq_drained,      // program at its end, pipeline and scoreboard empty
    output wire                          seq_done,
    output reg                           online = 1'b0,    // this run is an online run
    output reg  [15:0]                   pad_bins = 0,     // leading window bins that are zero
    output reg  [31:0]                   win_fbase0 = 0,   // byte of the window's oldest / newest bin in the spike lines
    output reg  [31:0]                   win_bbase0 = 0,
    output reg  [31:0]                   win_pf0 = 0,      // projection-ring entry of the window's oldest / newest bin
    output reg  [31:0]                   win_pb0 = 0,
    output reg  [31:0]                   enc_stride = 0,   // bytes per bin, bytes of the window in the spike lines
    output reg  [31:0]                   enc_end = 0,

    // result writer
    output reg                           wr_set_base,
    output reg  [63:0]                   wr_base_addr,
    output reg                           wr_flush,
    input  wire                          wr_packer_empty,
    input  wire                          wr_idle,
    input  wire                          wr_error,

    // online status block writer
    output reg                           st_wr_start,
    output reg  [63:0]                   st_wr_addr,
    output reg  [AXI_DATA_WIDTH-1:0]     st_wr_data,
    input  wire                          st_wr_busy,
    input  wire                          st_wr_error
);

`include "lfads_contract.vh"

localparam integer W = DATA_WIDTH;
localparam integer LB = AXI_DATA_WIDTH / 8;             // bytes per beat = spike line
localparam integer WPB = AXI_DATA_WIDTH / 32;            // image words per beat
localparam integer HDR_BEATS = LFADS_IMAGE_HEADER_WORDS / WPB;
localparam [23:0] HDR_BEATS24 = HDR_BEATS[23:0];
wire [31:0] hdr_bytes32 = LFADS_IMAGE_HEADER_BYTES;
wire [31:0] ostat_bytes32 = LFADS_ONLINE_STATUS_BYTES;
wire [63:0] hdr_bytes64 = {32'd0, hdr_bytes32};
wire [63:0] ostat_bytes64 = {32'd0, ostat_bytes32};
localparam [5:0] SEC_END = LFADS_SECTION_COUNT[5:0];
// the header check reads words 0 .. HDR_CHECK_WORDS - 1 (the fields up to TANH_RANGE_EXP), two pipeline stages
// after they are kept: their last beat must come at least two beats before the header's last
localparam integer HDR_CHECK_WORDS = LFADS_H_TANH_RANGE_EXP + 1;

initial begin
    if (HDR_KEEP != LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT) begin
        $error("HDR_KEEP (%0d) must be LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT", HDR_KEEP);
        $finish;
    end
    if ((HDR_CHECK_WORDS - 1) / WPB > HDR_BEATS - 3) begin
        $error("the header check's words (0 .. %0d) must be in the header's first %0d beats", HDR_CHECK_WORDS - 1,
               HDR_BEATS - 2);
        $finish;
    end
end

`define LFADS_RUN_HDR(i) hdr_bits[32*(i) +: 32]

wire [15:0] n_in  = hdr_bits[32*LFADS_H_N_IN +: 16];
wire [15:0] t_enc = hdr_bits[32*LFADS_H_T_ENC +: 16];

// states: one-hot, sv[ST_x]; `st` is its index (for benches and waveforms)
localparam integer ST_IDLE = 0, ST_CLEAR = 1, ST_HDR = 3, ST_CHECK = 4, ST_GEO = 5,
                   ST_GEO_CHECK = 6, ST_SEC = 7, ST_SEC_DATA = 8, ST_TRIAL = 9, ST_IN = 10,
                   ST_RUN = 11, ST_TFLUSH = 12, ST_FINISH = 13, ST_FAIL = 14, ST_OSTAT = 15, ST_OSTAT_WAIT = 16;
localparam integer NST = 17;
localparam [NST-1:0] S_IDLE = 1 << ST_IDLE;
reg [NST-1:0] sv = S_IDLE;
// ST_RUN, its decision's register half: sv[ST_RUN] && !seq_start (the pass sequencer's drained flag arrives late
// in the cycle; ST_RUN's decision is one LUT of it and this register)
reg run_go = 1'b0;
function [4:0] st_index(input [NST-1:0] v);
    integer k;
    begin
        st_index = 5'd0;
        for (k = 0; k < NST; k = k + 1)
            if (v[k]) st_index = k[4:0];
    end
endfunction
/* verilator lint_off UNUSEDSIGNAL */
wire [4:0] st = st_index(sv);
/* verilator lint_on UNUSEDSIGNAL */
assign idle = sv[ST_IDLE];

reg [15:0] ctr;                 // clear address
reg        clr_last = 1'b0;     // ctr == CLR_N - 1
reg [HDR_BEATS-1:0] hdr_oh = 0; // header beat being read (one-hot)
reg [23:0] in_beats_left;
reg        ibl_z = 1'b0, ibl_one = 1'b0;   // in_beats_left == 0 / == 1
reg        cp_busy = 1'b0;      // cp_ctr != 16'hFFFF
localparam integer CP_LAST_I = H0_DEPTH - 1;
localparam [15:0] CP_LAST = CP_LAST_I[15:0];
reg        trial_end = 1'b0;    // ST_TRIAL: the run's trials are done (online: its one bin; else trials_done == num_trials)
// online mode: the ring of the last T_enc bins lives in the spike lines, one slot of bin_lines whole lines per bin
reg [31:0] run_seq = 0;         // online runs since the kernel's reset (the status block's SEQ), never cleared by a flag
reg [31:0] bins_pushed = 0;     // bins pushed since the window was reset
reg [15:0] head_slot = 0;       // ring slot of the window's oldest bin = where the next bin goes
reg [15:0] head_line = 0;       // its first spike line
reg [31:0] head_pbase = 0;      // its first entry in the projection ring (head_slot * proj_stride)
reg        win_rst = 1'b0;      // the window was reset and has no bin yet (bins_pushed, head_* all zero)
reg [31:0] slot_idx = 0;        // buffer slot of the next run, and its byte offsets in the input / output buffers
reg [63:0] in_slot_off = 0, out_slot_off = 0;
reg        slot_rst = 1'b0;     // the slots were reset (slot_idx, in_slot_off, out_slot_off all zero)
// trial addresses: advanced by a stride per trial (no trial * stride multiply)
reg  [63:0] trial_in_addr, trial_out_addr;
// section values, registered from `sec` (SEC_MUL_WAIT cycles after sec changes; section_values below)
localparam [2:0] SEC_MUL_WAIT = 5;
reg  [2:0]  sec_wait = 0;
reg  [31:0] sec_rows_q = 0, sec_off_q = 0;
reg  [63:0] sec_addr_q = 0;
reg         sec_end_q = 1'b0, sec_ok_q = 1'b0;
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] sec_beats_w = (sec_words_p + WPB - 1) >> $clog2(WPB);
/* verilator lint_on UNUSEDSIGNAL */

// ---- header check: stage 1 one flag per test, stage 2 the error code (ST_CHECK reads hdr_bad / hdr_ec) ----
reg        hc_magic = 1'b0;
reg [1:0]  hc_ver = 0;
reg [7:0]  hc_width = 0;
reg [14:0] hc_dims = 0;
reg        hdr_bad = 1'b0;
reg [31:0] hdr_ec = 0;
always @(posedge clk) begin : header_check
    hc_magic <= `LFADS_RUN_HDR(LFADS_H_MAGIC) != LFADS_IMAGE_MAGIC;
    hc_ver[0] <= `LFADS_RUN_HDR(LFADS_H_VERSION) != LFADS_IMAGE_VERSION;
    hc_ver[1] <= `LFADS_RUN_HDR(LFADS_H_HEADER_BYTES) != LFADS_IMAGE_HEADER_BYTES;
    hc_width[0] <= `LFADS_RUN_HDR(LFADS_H_DATA_WIDTH) != W;
    hc_width[1] <= `LFADS_RUN_HDR(LFADS_H_PRE_WIDTH) != W + 4;
    hc_width[2] <= `LFADS_RUN_HDR(LFADS_H_ACC_WIDTH) > ACC_WIDTH;
    hc_width[3] <= `LFADS_RUN_HDR(LFADS_H_FRAC_GATE) != W - 1;
    hc_width[4] <= `LFADS_RUN_HDR(LFADS_H_FRAC_PRE) != W - 1;
    hc_width[5] <= `LFADS_RUN_HDR(LFADS_H_SIGMOID_RANGE_EXP) != 4;
    hc_width[6] <= `LFADS_RUN_HDR(LFADS_H_TANH_RANGE_EXP) != 3;
    hc_width[7] <= `LFADS_RUN_HDR(LFADS_H_FRAC_STATE) > W - 1;
    hc_dims[0] <= `LFADS_RUN_HDR(LFADS_H_N_IN) > MAX_N_IN;
    hc_dims[1] <= `LFADS_RUN_HDR(LFADS_H_N_OUT) > MAX_N_OUT;
    hc_dims[2] <= `LFADS_RUN_HDR(LFADS_H_T_ENC) > MAX_T_ENC;
    hc_dims[3] <= `LFADS_RUN_HDR(LFADS_H_T_REC) > MAX_T_REC;
    hc_dims[4] <= `LFADS_RUN_HDR(LFADS_H_T_ENC) == 0;
    hc_dims[5] <= `LFADS_RUN_HDR(LFADS_H_T_REC) < `LFADS_RUN_HDR(LFADS_H_T_ENC);
    hc_dims[6] <= `LFADS_RUN_HDR(LFADS_H_H_ICENC) > MAX_HIDDEN;
    hc_dims[7] <= `LFADS_RUN_HDR(LFADS_H_H_CIENC) > MAX_HIDDEN;
    hc_dims[8] <= `LFADS_RUN_HDR(LFADS_H_H_CON) > MAX_HIDDEN;
    hc_dims[9] <= `LFADS_RUN_HDR(LFADS_H_CO_DIM) > MAX_HIDDEN;
    hc_dims[10] <= `LFADS_RUN_HDR(LFADS_H_IC_DIM) > MAX_HIDDEN;
    hc_dims[11] <= `LFADS_RUN_HDR(LFADS_H_H_GEN) > MAX_HIDDEN;
    hc_dims[12] <= `LFADS_RUN_HDR(LFADS_H_FAC_DIM) > MAX_HIDDEN;
    hc_dims[13] <= `LFADS_RUN_HDR(LFADS_H_ACT_SEG_BITS) > MAX_ACT_SEG_BITS;
    hc_dims[14] <= `LFADS_RUN_HDR(LFADS_H_ACT_SEG_BITS) == 0;
    // the first failing group, in the order magic, version, widths, dimensions
    hdr_bad <= hc_magic || (|hc_ver) || (|hc_width) || (|hc_dims);
    if (hc_magic)
        hdr_ec <= LFADS_ERR_BAD_MAGIC;
    else if (|hc_ver)
        hdr_ec <= LFADS_ERR_BAD_VERSION;
    else if (|hc_width)
        hdr_ec <= LFADS_ERR_WIDTH_MISMATCH;
    else
        hdr_ec <= LFADS_ERR_DIMS_TOO_LARGE;
end

// the header words, written as their beats arrive (beat b: words b * WPB ..); a process per word (one loop over
// all of them in one process cost Yosys's proc_mux minutes on the 5,888-bit register)
genvar hk;
generate
for (hk = 0; hk < HDR_KEEP; hk = hk + 1) begin : g_hdr_word
    always @(posedge clk)
        if (sv[ST_HDR] && rd_beat_valid && hdr_oh[hk / WPB])
            hdr_bits[32*hk +: 32] <= rd_beat_data[(hk % WPB)*32 +: 32];
end
endgenerate

// ---- values registered ahead of the state that reads them (see the timing note above) ----
reg        geo_big = 1'b0;      // the geometry's totals over the maxima (ST_GEO_CHECK)
reg [31:0] nt_m1 = 0;           // num_trials - 1
reg        nt_zero = 1'b0;      // num_trials == 0
reg        td_p1_end = 1'b0;    // trials_done + 1 == num_trials (ST_TFLUSH)
reg        td_one = 1'b0;       // trials_done == 1 (ST_OSTAT)
reg        ec_none = 1'b0;      // error_code == NONE (ST_FINISH, ST_OSTAT)
reg [23:0] in_lines = 0;        // a trial's input beats, == 0, == 1
reg        il_z = 1'b0, il_one = 1'b0;
reg        bl_z = 1'b0, bl_one = 1'b0;   // bin_lines == 0, == 1
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] in_lines_w = (in_bytes + LB - 1) >> $clog2(LB);
/* verilator lint_on UNUSEDSIGNAL */
reg [31:0] in_last = 0;         // in_bytes - n_in: the newest bin's byte
reg [15:0] t_enc_m1 = 0;        // T_enc - 1
reg        bp_full = 1'b0;      // bins_pushed + 1 >= T_enc: the window is full with the next bin
reg [31:0] bp_p1 = 0;           // bins_pushed + 1
reg [15:0] pad_w = 0, pad_r = 0;     // the window's leading zero bins: now / after a window reset
reg        fwrap_w = 1'b0, fwrap_r = 1'b0;   // the oldest bin's slot is the last: now / after a window reset
reg [31:0] wbins = 0;           // the window's bins after this one (status block)
reg        slot_wrap = 1'b0;    // slot_idx + 1 >= num_trials: the next run's slot is 0
reg [63:0] out_off64 = 0;       // out_slot_off + the status block
always @(posedge clk) begin : ahead
    geo_big <= geo_tiles > MAX_TILES || geo_rbs > MAX_ROW_BLOCKS;
    nt_m1 <= num_trials - 1'b1;
    nt_zero <= num_trials == 0;
    td_p1_end <= trials_done == nt_m1;
    td_one <= trials_done == 1;
    ec_none <= error_code == LFADS_ERR_NONE;
    in_lines <= in_lines_w[23:0];
    il_z <= in_lines == 0;
    il_one <= in_lines == 1;
    bl_z <= bin_lines == 0;
    bl_one <= bin_lines == 1;
    in_last <= in_bytes - {16'd0, n_in};
    t_enc_m1 <= t_enc - 1'b1;
    bp_full <= bins_pushed + 1 >= t_enc;
    bp_p1 <= bins_pushed + 1'b1;
    pad_w <= bp_full ? 16'd0 : t_enc_m1 - bins_pushed[15:0];
    pad_r <= (1 >= t_enc) ? 16'd0 : t_enc - 1'b1;
    fwrap_w <= head_slot == t_enc_m1;
    fwrap_r <= t_enc == 1;
    wbins <= bp_full ? {16'd0, t_enc} : bp_p1;
    slot_wrap <= slot_idx + 1'b1 >= num_trials;
    out_off64 <= out_slot_off + ostat_bytes64;
end

// ---- this cycle's decisions: each one LUT of registers and inputs (keep: mapped on their own, so that every
// register's enable and select is one or two LUTs more) ----
(* keep *) wire d_start, d_clr_end, d_hdr_beat, d_hdr_end, d_chk_axi, d_chk_bad, d_chk_ok, d_geo, d_gc_bad;
(* keep *) wire d_gc_ok, d_sec_wait, d_sec_end, d_sec_skip, d_sd_end, d_tr_end;
(* keep *) wire d_in_beat, d_in_end, d_run_end, d_tf_end, d_fin, d_os, d_ow_end;
assign d_start    = sv[ST_IDLE] && start;
assign d_clr_end  = sv[ST_CLEAR] && clr_last;
assign d_hdr_beat = sv[ST_HDR] && rd_beat_valid;
assign d_hdr_end  = sv[ST_HDR] && rd_beat_valid && hdr_oh[HDR_BEATS-1];
assign d_chk_axi  = sv[ST_CHECK] && axi_error;
assign d_chk_bad  = sv[ST_CHECK] && !axi_error && hdr_bad;
assign d_chk_ok   = sv[ST_CHECK] && !axi_error && !hdr_bad;
assign d_geo      = sv[ST_GEO] && !geo_latch && !geo_busy;            // every layer latched
assign d_gc_bad   = sv[ST_GEO_CHECK] && geo_big;
assign d_gc_ok    = sv[ST_GEO_CHECK] && !geo_big;
assign d_sec_wait = sv[ST_SEC] && sec_wait != 0;                      // section values settling
assign d_sec_end  = sv[ST_SEC] && sec_wait == 0 && sec_end_q;
assign d_sec_skip = sv[ST_SEC] && sec_wait == 0 && !sec_end_q && !sec_ok_q;   // an empty section
assign d_sd_end   = sv[ST_SEC_DATA] && rd_beat_valid && el_last;     // the section's last element
assign d_tr_end   = sv[ST_TRIAL] && trial_end;
assign d_in_beat  = sv[ST_IN] && rd_beat_valid;
assign d_in_end   = sv[ST_IN] && (ibl_z || (ibl_one && rd_beat_valid)) && !cp_busy && !rd_req_valid;
assign d_run_end  = run_go && seq_drained;                          // run_go: sv[ST_RUN] && !seq_start
assign d_tf_end   = sv[ST_TFLUSH] && wr_packer_empty && !wr_flush;
assign d_fin      = sv[ST_FINISH] && wr_idle;
assign d_os       = sv[ST_OSTAT] && wr_idle && !st_wr_busy;
assign d_ow_end   = sv[ST_OSTAT_WAIT] && !st_wr_start && !st_wr_busy;

// ---- decisions that are registers, decided a cycle ahead (issue 13 point 2: they drive the element loader's
// start and the run's ~500 window / request / address register enables; as one LUT of registers they were the
// head of 4-LUT paths in the whole engine, 3.0-3.33 ns). Each equals, every cycle, the one-LUT decision it
// replaces (the `ifndef SYNTHESIS` check below compares them):
//   d_sec_req  = sv[ST_SEC] && sec_wait == 0 && sec_ok_q && !rd_req_valid
//   d_tr_bin   = sv[ST_TRIAL] && !trial_end && online && !rd_req_valid
//   d_tr_whole = sv[ST_TRIAL] && !trial_end && !online && !rd_req_valid
// decided from this cycle's state, decisions and registers: the FSM is in ST_SEC with sec_wait == 0 next cycle
// only when it is there now with sec_wait 1 (every entry sets sec_wait to SEC_MUL_WAIT) or waits with sec_wait 0
// for rd_req_valid to fall; sec_ok_q is final from sec_wait == 1 on (`sec` changes only with sec_wait <=
// SEC_MUL_WAIT: stage 3 has settled three cycles later); in ST_TRIAL next cycle when it enters it (d_start, d_sec_end,
// d_tf_end, with the trial_end / online they set) or stays (rd_req_valid still high); nothing raises
// rd_req_valid in those cycles, so next cycle's is rd_req_valid && !rd_req_ready.
// Copies (fanout: the FSM's own registers, the request registers, the window / trial registers), in a keep process
// so that Yosys does not merge them back.
(* keep = "true", dont_touch = "true" *) reg d_sec_req = 1'b0, d_tr_bin = 1'b0, d_tr_whole = 1'b0;
(* keep = "true", dont_touch = "true" *) reg idle_w = 1'b1, idle_s = 1'b1;   // copies of sv[ST_IDLE] (idle_copies)
(* keep = "true", dont_touch = "true" *) reg rq_sec = 1'b0, rq_bin = 1'b0, rq_whole = 1'b0;
(* keep = "true", dont_touch = "true" *) reg tw_bin = 1'b0, tw_whole = 1'b0;
(* keep = "true", dont_touch = "true" *) reg sec_go_q = 1'b0;     // sec_go (the element loader's start)
(* keep = "true", dont_touch = "true" *) reg rq_any = 1'b0, tw_any = 1'b0, tw_any_in = 1'b0;   // ORs of them
(* keep *) wire rrv_low_next;
assign rrv_low_next = !(rd_req_valid && !rd_req_ready);
(* keep *) wire tr_enter_start;
assign tr_enter_start = d_start && !load_image && image_loaded && !(online_flag && nt_zero);
(* keep *) wire tr_enter_sec;
assign tr_enter_sec = d_sec_end && !axi_error && !(online && nt_zero);
(* keep *) wire tr_stay;
assign tr_stay = sv[ST_TRIAL] && !trial_end && rd_req_valid;
(* keep *) wire sec_req_nx, tr_bin_nx, tr_whole_nx;
assign sec_req_nx = !rst && sv[ST_SEC] && sec_ok_q
                    && (sec_wait == 3'd1 ? rrv_low_next : (sec_wait == 3'd0 && !sec_end_q && rd_req_valid && !rd_req_ready));
assign tr_bin_nx = !rst && rrv_low_next
                   && ((tr_enter_start && online_flag) || (tr_enter_sec && !trial_end && online) || (tr_stay && online));
assign tr_whole_nx = !rst && rrv_low_next
                     && ((tr_enter_start && !online_flag && !nt_zero) || (tr_enter_sec && !trial_end && !online)
                         || (d_tf_end && !online && !td_p1_end) || (tr_stay && !online));
(* keep = "true" *) always @(posedge clk) begin : decisions_ahead
    d_sec_req <= sec_req_nx;
    d_tr_bin <= tr_bin_nx;
    d_tr_whole <= tr_whole_nx;
    rq_sec <= sec_req_nx;
    sec_go_q <= sec_req_nx;
    rq_bin <= tr_bin_nx;
    rq_whole <= tr_whole_nx;
    tw_bin <= tr_bin_nx;
    tw_whole <= tr_whole_nx;
    rq_any <= sec_req_nx || tr_bin_nx || tr_whole_nx;
    tw_any <= tr_bin_nx || tr_whole_nx;
    tw_any_in <= tr_bin_nx || tr_whole_nx;
end
`ifndef SYNTHESIS
always @(posedge clk) begin : decisions_ahead_check
    if (d_sec_req !== (sv[ST_SEC] && sec_wait == 0 && sec_ok_q && !rd_req_valid)
        || d_tr_bin !== (sv[ST_TRIAL] && !trial_end && online && !rd_req_valid)
        || d_tr_whole !== (sv[ST_TRIAL] && !trial_end && !online && !rd_req_valid)
        || rq_sec !== d_sec_req || rq_bin !== d_tr_bin || rq_whole !== d_tr_whole || tw_bin !== d_tr_bin
        || tw_whole !== d_tr_whole || sec_go_q !== d_sec_req || rq_any !== (d_sec_req || d_tr_bin || d_tr_whole)
        || tw_any !== (d_tr_bin || d_tr_whole) || tw_any_in !== tw_any || idle_w !== sv[ST_IDLE]
        || idle_s !== sv[ST_IDLE] || run_go !== (sv[ST_RUN] && !seq_start)) begin
        $display("ERROR lfads_run_fsm: a decision decided ahead differs from its definition at %0t", $time);
        $finish;
    end
end
`endif

assign sec_go = sec_go_q;              // (the element loader starts the section)
assign sec_beat = sv[ST_SEC_DATA] && rd_beat_valid;
assign rd_beat_ready = sv[ST_HDR] || sv[ST_IN] || (sv[ST_SEC_DATA] && el_beat_last);
assign in_beat = d_in_beat;
assign seq_done = d_run_end;

// the status block's words and address (ST_OSTAT): loaded in every ST_OSTAT cycle, so the last load is in d_os's
// cycle, the values d_os alone used to load; the status writer latches them at st_wr_start, the cycle after d_os,
// and nothing else reads them. The load enable is then one LUT of registers: d_os (the writers' idle / busy through
// the decision, a high-fanout net) had reached these 576 enables at 2.84 ns in the whole kernel.
wire        os_ok = td_one && ec_none && !axi_error;
wire [31:0] os_ecode = (axi_error && ec_none) ? LFADS_ERR_AXI : error_code;
always @(posedge clk) begin : status_block
    if (!rst && sv[ST_OSTAT]) begin
        st_wr_addr <= output_ptr + out_slot_off;
        st_wr_data <= 0;
        st_wr_data[32*LFADS_OS_SEQ +: 32] <= run_seq + 1'b1;
        st_wr_data[32*LFADS_OS_ERROR_CODE +: 32] <= os_ecode;
        st_wr_data[32*LFADS_OS_TRIALS_DONE +: 32] <= trials_done;
        st_wr_data[32*LFADS_OS_CYCLES_LO +: 64] <= cycle_now;
        st_wr_data[32*LFADS_OS_WINDOW_BINS +: 32] <= os_ok ? wbins : 32'd0;
        st_wr_data[32*LFADS_OS_STATUS +: 32] <= {29'd0, axi_error, image_error, image_loaded};
        st_wr_data[32*LFADS_OS_MAGIC +: 32] <= LFADS_ONLINE_STATUS_MAGIC;
    end
end

// The decisions above are exclusive (one state each); the next state is state_next below.
always @(posedge clk) begin : run_fsm
    // single-cycle strobes: low unless a decision below raises them this cycle, and low in reset
    done <= 1'b0;
    wr_set_base <= 1'b0;
    wr_flush <= 1'b0;
    clr_we <= 1'b0;
    st_wr_start <= 1'b0;
    geo_latch <= 1'b0;
    seq_start <= 1'b0;
    if (rst) begin
        image_loaded <= 1'b0;
        image_error <= 1'b0;
        axi_error <= 1'b0;
        error_code <= 0;
        trials_done <= 0;
        rd_req_valid <= 1'b0;
        cp_ctr <= 16'hFFFF;
        cp_busy <= 1'b0;
        hdr_oh <= 0;
        online <= 1'b0;
        run_seq <= 0;
    end else begin
        if (rd_req_valid && rd_req_ready)
            rd_req_valid <= 1'b0;
        if (rd_error)
            axi_error <= 1'b1;
        if (wr_error || st_wr_error)
            axi_error <= 1'b1;
        if (cp_busy) begin
            cp_ctr <= (cp_ctr == CP_LAST) ? 16'hFFFF : cp_ctr + 1'b1;
            cp_busy <= cp_ctr != CP_LAST;
        end

        // ST_IDLE
        if (d_start) begin
            online <= online_flag;
            trials_done <= 0;
            trial_end <= !online_flag && nt_zero;
            error_code <= LFADS_ERR_NONE;
            axi_error <= 1'b0;
            if (load_image) begin
                image_loaded <= 1'b0;
                image_error <= 1'b0;
                ctr <= 0;
                clr_last <= CLR_N == 1;
            end else if (!image_loaded) begin
                error_code <= LFADS_ERR_NO_IMAGE;
            end else if (online_flag && nt_zero) begin
                error_code <= LFADS_ERR_NO_SLOTS;
            end
        end

        // ST_CLEAR
        if (sv[ST_CLEAR]) begin
            clr_we <= 1'b1;
            clr_addr <= ctr;
            ctr <= ctr + 1'b1;
            clr_last <= ctr == CLR_N - 2;
        end
        if (d_clr_end) begin
            rd_req_valid <= 1'b1;
            hdr_oh <= 1;
        end

        // ST_HDR (header_words keeps the beats' words)
        if (d_hdr_beat)
            hdr_oh <= hdr_oh << 1;

        // ST_CHECK
        if (d_chk_axi) begin
            error_code <= LFADS_ERR_AXI;
        end
        if (d_chk_bad) begin
            error_code <= hdr_ec;
            image_error <= 1'b1;
        end
        if (d_chk_ok) begin
            geo_latch <= 1'b1;
        end

        // ST_GEO, ST_GEO_CHECK
        if (d_gc_bad) begin
            error_code <= LFADS_ERR_DIMS_TOO_LARGE;
            image_error <= 1'b1;
        end
        if (d_gc_ok) begin
            cfg_k <= hdr_bits[32*LFADS_H_ACT_SEG_BITS +: 5];
            cfg_fp <= hdr_bits[32*LFADS_H_FRAC_PRE +: 5];
            cfg_esig <= hdr_bits[32*LFADS_H_SIGMOID_RANGE_EXP +: 4];
            cfg_etanh <= hdr_bits[32*LFADS_H_TANH_RANGE_EXP +: 4];
            cfg_fg <= hdr_bits[32*LFADS_H_FRAC_GATE +: 6];
            cfg_fs <= hdr_bits[32*LFADS_H_FRAC_STATE +: 6];
            cfg_clip <= hdr_bits[32*LFADS_H_CLIP_Q +: W];
            sec <= 0;
            sec_wait <= SEC_MUL_WAIT;
        end

        // ST_SEC, ST_SEC_DATA
        if (d_sec_wait)
            sec_wait <= sec_wait - 1'b1;
        if (d_sec_end) begin
            if (axi_error) begin
                error_code <= LFADS_ERR_AXI;
            end else if (online && nt_zero) begin
                image_loaded <= 1'b1;
                error_code <= LFADS_ERR_NO_SLOTS;
            end else begin
                image_loaded <= 1'b1;
            end
        end
        if (d_sec_skip) begin
            sec <= sec + 1'b1;
            sec_wait <= SEC_MUL_WAIT;
        end
        if (d_sec_req)
            rd_req_valid <= 1'b1;
        if (d_sd_end) begin
            sec <= sec + 1'b1;
            sec_wait <= SEC_MUL_WAIT;
        end

        // ST_TRIAL
        if (d_tr_bin) begin
            // one bin from input slot slot_idx into ring slot head_slot (the oldest bin leaves);
            // the window then runs from the slot after it (wrapping) to it
            // (the request's address and beats, the input lines, the window and the result base: trial_values below)
            rd_req_valid <= 1'b1;
            wr_set_base <= 1'b1;
            cp_ctr <= 0;
            cp_busy <= 1'b1;
        end
        if (d_tr_whole) begin
            rd_req_valid <= 1'b1;
            wr_set_base <= 1'b1;
            cp_ctr <= 0;
            cp_busy <= 1'b1;
        end

        // ST_IN, ST_RUN, ST_TFLUSH
        if (d_in_end) begin
            seq_start <= 1'b1;
        end
        if (d_run_end) begin
            wr_flush <= 1'b1;
        end
        if (d_tf_end) begin
            trials_done <= trials_done + 1'b1;
            trial_end <= online || td_p1_end;    // online: one bin
        end

        // ST_FINISH, ST_FAIL
        if (d_fin) begin
            if (axi_error && ec_none)
                error_code <= LFADS_ERR_AXI;
            done <= 1'b1;
        end
        if (sv[ST_FAIL] && !online)
            done <= 1'b1;

        // ST_OSTAT, ST_OSTAT_WAIT: online, the status block (status_block above), written last (after every result
        // word's write response)
        // the status block's error code (os_ecode) is AXI after an AXI error with no earlier code: error_code takes
        // it in every ST_OSTAT cycle with that condition, not only at d_os (which waits for the writers: the status
        // writer's busy reached error_code's 32-way select through d_os, 2.85 ns in the whole kernel). Same value at
        // d_os and after it (os_ecode is AXI either way); a host reading ERROR_CODE mid-wait sees it a few cycles
        // earlier.
        if (sv[ST_OSTAT] && axi_error && ec_none)
            error_code <= LFADS_ERR_AXI;
        if (d_os) begin
            st_wr_start <= 1'b1;
            run_seq <= run_seq + 1'b1;
        end
        if (d_ow_end) begin
            done <= 1'b1;
        end
    end
end

// ---- the online window's ring head and the buffer slots (ST_IDLE's start, ST_OSTAT's status block) ----
// Each register's reset / clear and advance are their own nets (keep), one LUT of the state, `start` and the flags
// or of registers, so that a register's D / CE / R is one LUT more (in the FSM's process, d_start reached them
// through three more LUT levels in the whole engine, 3.18 ns). The slot offsets' next values are registers
// (in_slot_nx, out_slot_nx: the offsets change only at d_start and d_os, ST_OSTAT at least two cycles after either).
// a new window: on request, with a new image, and after a whole-trial run (its input overwrites the spike lines
// that hold the ring)
(* keep *) wire win_clr;
assign win_clr = rst || (start && idle_w && (load_image || online_reset || !online_flag));
(* keep *) wire win_adv;
assign win_adv = sv[ST_OSTAT] && wr_idle && !st_wr_busy && os_ok;
// every online run uses the next buffer slot; only a run that inferred its window keeps its bin
(* keep *) wire slot_clr;
assign slot_clr = rst || (start && idle_s && (load_image || online_reset));
(* keep *) wire slot_adv;
assign slot_adv = sv[ST_OSTAT] && wr_idle && !st_wr_busy && !nt_zero;
reg [63:0] in_slot_nx = 0, out_slot_nx = 0;   // in_slot_off + bin_bytes, out_slot_off + out_slot_stride
always @(posedge clk) begin : window_slots
    in_slot_nx <= in_slot_off + {32'd0, bin_bytes};
    out_slot_nx <= out_slot_off + {32'd0, out_slot_stride};
    if (win_clr) begin
        bins_pushed <= 0;
        head_slot <= 0;
        head_line <= 0;
        head_pbase <= 0;
        win_rst <= 1'b1;
    end else if (win_adv) begin
        bins_pushed <= bp_p1;
        head_slot <= fwrap_w ? 16'd0 : head_slot + 1'b1;
        head_line <= fwrap_w ? 16'd0 : head_line + bin_lines;
        head_pbase <= fwrap_w ? 32'd0 : head_pbase + proj_stride;
        win_rst <= 1'b0;
    end
    if (slot_clr) begin
        slot_idx <= 0;
        in_slot_off <= 0;
        out_slot_off <= 0;
        slot_rst <= 1'b1;
    end else if (slot_adv) begin
        slot_idx <= slot_wrap ? 32'd0 : slot_idx + 1'b1;
        in_slot_off <= slot_wrap ? 64'd0 : in_slot_nx;
        out_slot_off <= slot_wrap ? 64'd0 : out_slot_nx;
        slot_rst <= 1'b0;
    end
end
`ifndef SYNTHESIS
always @(posedge clk) begin : slot_nx_check
    if (slot_adv && !rst && (in_slot_nx !== in_slot_off + {32'd0, bin_bytes}
                             || out_slot_nx !== out_slot_off + {32'd0, out_slot_stride})) begin
        $display("ERROR lfads_run_fsm: a slot offset's registered next value is stale at %0t", $time);
        $finish;
    end
end
`endif

// ---- the registers a request or a trial's start loads (out of the FSM's process: each group's enable its own
// net, one LUT of the decisions and reset, so that D / CE are a LUT or two from registers) ----
(* keep *) wire rq_load, tr_load, tb_load, in_adv, tra_load;
assign rq_load = !rst && (d_clr_end || rq_any);                           // a read request
assign tr_load = !rst && tw_any;                                          // a trial (bin) starts
assign tb_load = !rst && tw_bin;                                          // an online bin starts
assign in_adv = !rst && (tw_any_in || d_in_beat);                         // ... or takes an input line
assign tra_load = !rst && (d_start || tw_whole);                          // the trial addresses
always @(posedge clk) begin : trial_values
    if (rq_load) begin
        if (rq_bin) begin
            // one bin from input slot slot_idx into ring slot head_slot (the oldest bin leaves)
            rd_req_addr <= input_ptr + in_slot_off;
            rd_req_beats <= {8'd0, bin_lines};
        end else if (rq_whole) begin
            rd_req_addr <= trial_in_addr;
            rd_req_beats <= in_lines;
        end else if (rq_sec) begin
            rd_req_addr <= sec_addr_q;
            rd_req_beats <= sec_beats_w[23:0];
        end else begin
            rd_req_addr <= image_ptr;
            rd_req_beats <= HDR_BEATS24;
        end
    end
    if (in_adv) begin
        if (tw_bin) begin
            in_beats_left <= {8'd0, bin_lines};
            ibl_z <= bl_z;
            ibl_one <= bl_one;
            in_line <= head_line;
        end else if (tw_whole) begin
            in_beats_left <= in_lines;
            ibl_z <= il_z;
            ibl_one <= il_one;
            in_line <= 0;
        end else begin
            in_line <= in_line + 1'b1;
            in_beats_left <= in_beats_left - 1'b1;
            ibl_z <= ibl_one;
            ibl_one <= in_beats_left == 24'd2;
        end
    end
    if (tr_load) begin
        if (tw_bin) begin
            // the window then runs from the slot after head_slot (wrapping) to it
            wr_base_addr <= output_ptr + (slot_rst ? ostat_bytes64 : out_off64);
            pad_bins <= win_rst ? pad_r : pad_w;
            win_bbase0 <= {10'd0, head_line, 6'd0};
            win_fbase0 <= (win_rst ? fwrap_r : fwrap_w) ? 32'd0 : {10'd0, head_line, 6'd0} + bin_bytes;
            enc_stride <= bin_bytes;
            enc_end <= ring_bytes;
        end else begin
            wr_base_addr <= trial_out_addr;
            pad_bins <= 0;
            win_fbase0 <= 0;
            win_bbase0 <= in_last;
            enc_stride <= {16'd0, n_in};
            enc_end <= in_bytes;
        end
    end
    if (tb_load) begin
        win_pb0 <= head_pbase;
        win_pf0 <= (win_rst ? fwrap_r : fwrap_w) ? 32'd0 : head_pbase + proj_stride;
    end
    if (tra_load) begin
        if (d_start) begin
            trial_in_addr <= input_ptr;
            trial_out_addr <= output_ptr;
        end else begin
            trial_in_addr <= trial_in_addr + {32'd0, in_stride};
            trial_out_addr <= trial_out_addr + {32'd0, out_stride};
        end
    end
end

// ---- the next state: one-hot, each state's bit from its own decisions (the decisions are exclusive: one state
// each, and exclusive within it); reset -> ST_IDLE ----
wire tr_fail_start = d_start && !load_image && (!image_loaded || (online_flag && nt_zero));
wire sec_fail = d_sec_end && (axi_error || (online && nt_zero));
// ST_IDLE's bit and two copies of it for the window's and the slots' clears (their own flip-flops, so that each
// clear is one LUT of its copy, `start`, the flags and reset, not a LUT after the other clear and d_start)
(* keep *) wire idle_nx;
assign idle_nx = rst || (sv[ST_IDLE] && !d_start) || d_fin || (sv[ST_FAIL] && !online) || d_ow_end;
(* keep = "true" *) always @(posedge clk) begin : idle_copies
    idle_w <= idle_nx;
    idle_s <= idle_nx;
end
always @(posedge clk) begin : state_next
    sv <= 0;
    run_go <= !rst && sv[ST_RUN] && !d_run_end;        // (d_in_end, which raises seq_start, is ST_IN's)
    sv[ST_IDLE] <= idle_nx;
    if (!rst) begin
        sv[ST_CLEAR] <= (sv[ST_CLEAR] && !d_clr_end) || (d_start && load_image);
        sv[ST_HDR] <= (sv[ST_HDR] && !d_hdr_end) || d_clr_end;
        sv[ST_CHECK] <= d_hdr_end;                            // (ST_CHECK decides in its one cycle)
        sv[ST_GEO] <= (sv[ST_GEO] && !d_geo) || d_chk_ok;
        sv[ST_GEO_CHECK] <= d_geo;                            // (likewise)
        sv[ST_SEC] <= (sv[ST_SEC] && !d_sec_end && !d_sec_req) || d_gc_ok || d_sd_end;
        sv[ST_SEC_DATA] <= (sv[ST_SEC_DATA] && !d_sd_end) || d_sec_req;
        sv[ST_TRIAL] <= (sv[ST_TRIAL] && !d_tr_end && !d_tr_bin && !d_tr_whole) || tr_enter_start || tr_enter_sec
                        || d_tf_end;
        sv[ST_IN] <= (sv[ST_IN] && !d_in_end) || d_tr_bin || d_tr_whole;
        sv[ST_RUN] <= (sv[ST_RUN] && !(run_go && seq_drained)) || d_in_end;
        sv[ST_TFLUSH] <= (sv[ST_TFLUSH] && !d_tf_end) || (run_go && seq_drained);
        sv[ST_FINISH] <= (sv[ST_FINISH] && !d_fin) || (d_tr_end && !online);
        sv[ST_FAIL] <= tr_fail_start || d_chk_axi || d_chk_bad || d_gc_bad || sec_fail;
        sv[ST_OSTAT] <= (sv[ST_OSTAT] && !d_os) || (d_tr_end && online) || (sv[ST_FAIL] && online);
        sv[ST_OSTAT_WAIT] <= (sv[ST_OSTAT_WAIT] && !d_ow_end) || d_os;
    end
end

// ---- section values, registered from `sec` while the FSM waits SEC_MUL_WAIT cycles after it changes ----
// The section table's words by field, a 32-bit entry per section, selected by `sec` in two stages: 8:1 within a
// group of eight sections (sec[2:0]), then between the groups (sec[5:3], registered). (A select of hdr_bits at
// 32 * (table + 4 * sec + field) became a shifter over the whole 5,888-bit header that Yosys's techmap took minutes
// on.)
localparam integer SEC_GROUPS = (LFADS_SECTION_COUNT + 7) / 8;
wire [32*8*SEC_GROUPS-1:0] tab_rows, tab_cols, tab_off;
genvar gs;
generate
for (gs = 0; gs < 8 * SEC_GROUPS; gs = gs + 1) begin : g_sec_tab
    if (gs < LFADS_SECTION_COUNT) begin : g_entry
        assign tab_rows[32*gs +: 32] = `LFADS_RUN_HDR(LFADS_H_SECTION_TABLE + LFADS_SECTION_ENTRY_WORDS * gs + LFADS_SECTION_ROWS);
        assign tab_cols[32*gs +: 32] = `LFADS_RUN_HDR(LFADS_H_SECTION_TABLE + LFADS_SECTION_ENTRY_WORDS * gs + LFADS_SECTION_COLS);
        assign tab_off[32*gs +: 32] = `LFADS_RUN_HDR(LFADS_H_SECTION_TABLE + LFADS_SECTION_ENTRY_WORDS * gs + LFADS_SECTION_OFFSET);
    end else begin : g_none
        assign tab_rows[32*gs +: 32] = 32'd0;
        assign tab_cols[32*gs +: 32] = 32'd0;
        assign tab_off[32*gs +: 32] = 32'd0;
    end
end
endgenerate
reg [32*SEC_GROUPS-1:0] grp_rows = 0, grp_cols = 0, grp_off = 0;
reg [2:0]  sec_grp = 0;
wire [31:0] sec_lo = {29'd0, sec[2:0]};
reg [31:0] sec_mul_ll = 0;                     // M ranks of the three products' DSPs
reg [15:0] sec_mul_lh = 0, sec_mul_hl = 0;
// P ranks: flip-flops in a keep process. sec_words_p's low 16 bits are sec_p_ll's, so M -> P -> sec_words_p is a
// plain delay line there, which Yosys otherwise maps to an SRL16E (its ~0.9 ns clock-to-out was the whole kernel's
// worst path, and it left the products' DSPs no P-rank flip-flops to absorb)
(* shreg_extract = "no" *) reg [31:0] sec_p_ll = 0;
(* shreg_extract = "no" *) reg [15:0] sec_p_lh = 0, sec_p_hl = 0;
(* keep = "true" *) always @(posedge clk) begin : section_products_preg
    sec_p_ll <= sec_mul_ll;
    sec_p_lh <= sec_mul_lh;
    sec_p_hl <= sec_mul_hl;
end
always @(posedge clk) begin : section_values
    integer g;
    // stage 1: each group's entry sec[2:0]; the group; the end of the table
    for (g = 0; g < SEC_GROUPS; g = g + 1) begin
        grp_rows[32*g +: 32] <= tab_rows[32*(8*g + sec_lo) +: 32];
        grp_cols[32*g +: 32] <= tab_cols[32*(8*g + sec_lo) +: 32];
        grp_off[32*g +: 32] <= tab_off[32*(8*g + sec_lo) +: 32];
    end
    sec_grp <= sec[5:3];
    sec_end_q <= sec == SEC_END;
    // stage 2: the section's words (past the table: zero)
    sec_rows_q <= ({29'd0, sec_grp} < SEC_GROUPS) ? grp_rows[32*sec_grp +: 32] : 32'd0;
    sec_cols_q <= ({29'd0, sec_grp} < SEC_GROUPS) ? grp_cols[32*sec_grp +: 32] : 32'd0;
    sec_off_q <= ({29'd0, sec_grp} < SEC_GROUPS) ? grp_off[32*sec_grp +: 32] : 32'd0;
    // stage 3: address, emptiness; the products of the 16-bit halves (rows * cols mod 2^32) into their M ranks
    sec_addr_q <= image_ptr + hdr_bytes64 + {30'd0, sec_off_q, 2'b00};
    sec_ok_q <= !sec_end_q && sec_rows_q != 0 && sec_cols_q != 0;
    sec_mul_ll <= sec_rows_q[15:0] * sec_cols_q[15:0];
    sec_mul_lh <= sec_rows_q[15:0] * sec_cols_q[31:16];
    sec_mul_hl <= sec_rows_q[31:16] * sec_cols_q[15:0];
    // stage 4: the products' P ranks (section_products_preg above; the sum below is of three DSPs' outputs)
    // stage 5: rows * cols (its beats: sec_beats_w, at the request)
    sec_words_p <= sec_p_ll + {sec_p_lh + sec_p_hl, 16'd0};
end

`undef LFADS_RUN_HDR

endmodule

`resetall
