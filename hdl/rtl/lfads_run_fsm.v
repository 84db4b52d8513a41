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
 * The state decodes the engine needs are outputs (rd_beat_ready, in_beat, sec_beat, sec_go, seq_done, idle): plain
 * compares of the state register, as before the split.
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

initial begin
    if (HDR_KEEP != LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT) begin
        $error("HDR_KEEP (%0d) must be LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT", HDR_KEEP);
        $finish;
    end
end

`define LFADS_RUN_HDR(i) hdr_bits[32*(i) +: 32]

wire [15:0] n_in  = `LFADS_RUN_HDR(LFADS_H_N_IN);
wire [15:0] t_enc = `LFADS_RUN_HDR(LFADS_H_T_ENC);

function [31:0] sec_word(input integer s, input integer field);
    sec_word = `LFADS_RUN_HDR(LFADS_H_SECTION_TABLE + LFADS_SECTION_ENTRY_WORDS * s + field);
endfunction

localparam [4:0] ST_IDLE = 0, ST_CLEAR = 1, ST_HDR_REQ = 2, ST_HDR = 3, ST_CHECK = 4, ST_GEO = 5,
                 ST_GEO_CHECK = 6, ST_SEC = 7, ST_SEC_DATA = 8, ST_TRIAL = 9, ST_IN = 10,
                 ST_RUN = 11, ST_TFLUSH = 12, ST_FINISH = 13, ST_FAIL = 14, ST_OSTAT = 15, ST_OSTAT_WAIT = 16;
reg [4:0] st = ST_IDLE;
assign idle = st == ST_IDLE;

reg [15:0] ctr;                 // clear address / header beat / input beat counter
reg [31:0] trial;
reg [23:0] in_beats_left;
// online mode: the ring of the last T_enc bins lives in the spike lines, one slot of bin_lines whole lines per bin
reg [31:0] run_seq = 0;         // online runs since the kernel's reset (the status block's SEQ), never cleared by a flag
reg [31:0] bins_pushed = 0;     // bins pushed since the window was reset
reg [15:0] head_slot = 0;       // ring slot of the window's oldest bin = where the next bin goes
reg [15:0] head_line = 0;       // its first spike line
reg [31:0] head_pbase = 0;      // its first entry in the projection ring (head_slot * proj_stride)
reg [31:0] slot_idx = 0;        // buffer slot of the next run, and its byte offsets in the input / output buffers
reg [63:0] in_slot_off = 0, out_slot_off = 0;
// trial addresses: advanced by a stride per trial (no trial * stride multiply)
reg  [63:0] trial_in_addr, trial_out_addr;
// section sizes: rows * cols of section `sec`, registered multiplier (SEC_MUL_WAIT cycles after sec changes)
localparam integer SEC_MUL_WAIT = 4;
reg  [31:0] sec_rows_q = 0, sec_cols_q = 0, sec_words_m = 0;
reg  [2:0]  sec_wait = 0;

assign sec_go = st == ST_SEC && sec_wait == 0 && sec != LFADS_SECTION_COUNT && sec_rows_q != 0 && sec_cols_q != 0
                && !rd_req_valid;
assign sec_beat = st == ST_SEC_DATA && rd_beat_valid;
assign rd_beat_ready = (st == ST_HDR) || (st == ST_IN) || (st == ST_SEC_DATA && el_beat_last);
assign in_beat = st == ST_IN && rd_beat_valid;
assign seq_done = st == ST_RUN && seq_drained && !seq_start;

function [31:0] check_header(input integer dummy);
    begin
        check_header = LFADS_ERR_NONE;
        if (`LFADS_RUN_HDR(LFADS_H_MAGIC) != LFADS_IMAGE_MAGIC)
            check_header = LFADS_ERR_BAD_MAGIC;
        else if (`LFADS_RUN_HDR(LFADS_H_VERSION) != LFADS_IMAGE_VERSION || `LFADS_RUN_HDR(LFADS_H_HEADER_BYTES) != LFADS_IMAGE_HEADER_BYTES)
            check_header = LFADS_ERR_BAD_VERSION;
        else if (`LFADS_RUN_HDR(LFADS_H_DATA_WIDTH) != W || `LFADS_RUN_HDR(LFADS_H_PRE_WIDTH) != W + 4
                 || `LFADS_RUN_HDR(LFADS_H_ACC_WIDTH) > ACC_WIDTH
                 || `LFADS_RUN_HDR(LFADS_H_FRAC_GATE) != W - 1 || `LFADS_RUN_HDR(LFADS_H_FRAC_PRE) != W - 1
                 || `LFADS_RUN_HDR(LFADS_H_SIGMOID_RANGE_EXP) != 4 || `LFADS_RUN_HDR(LFADS_H_TANH_RANGE_EXP) != 3
                 || `LFADS_RUN_HDR(LFADS_H_FRAC_STATE) > W - 1)
            check_header = LFADS_ERR_WIDTH_MISMATCH;
        else if (`LFADS_RUN_HDR(LFADS_H_N_IN) > MAX_N_IN || `LFADS_RUN_HDR(LFADS_H_N_OUT) > MAX_N_OUT
                 || `LFADS_RUN_HDR(LFADS_H_T_ENC) > MAX_T_ENC || `LFADS_RUN_HDR(LFADS_H_T_REC) > MAX_T_REC
                 || `LFADS_RUN_HDR(LFADS_H_T_ENC) == 0 || `LFADS_RUN_HDR(LFADS_H_T_REC) < `LFADS_RUN_HDR(LFADS_H_T_ENC)
                 || `LFADS_RUN_HDR(LFADS_H_H_ICENC) > MAX_HIDDEN || `LFADS_RUN_HDR(LFADS_H_H_CIENC) > MAX_HIDDEN
                 || `LFADS_RUN_HDR(LFADS_H_H_CON) > MAX_HIDDEN || `LFADS_RUN_HDR(LFADS_H_CO_DIM) > MAX_HIDDEN
                 || `LFADS_RUN_HDR(LFADS_H_IC_DIM) > MAX_HIDDEN || `LFADS_RUN_HDR(LFADS_H_H_GEN) > MAX_HIDDEN
                 || `LFADS_RUN_HDR(LFADS_H_FAC_DIM) > MAX_HIDDEN || `LFADS_RUN_HDR(LFADS_H_ACT_SEG_BITS) > MAX_ACT_SEG_BITS
                 || `LFADS_RUN_HDR(LFADS_H_ACT_SEG_BITS) == 0)
            check_header = LFADS_ERR_DIMS_TOO_LARGE;
    end
endfunction

always @(posedge clk) begin : run_fsm
    reg [31:0] ec;
    // single-cycle strobes: low unless a state below raises them this cycle, and low in reset
    done <= 1'b0;
    wr_set_base <= 1'b0;
    wr_flush <= 1'b0;
    clr_we <= 1'b0;
    st_wr_start <= 1'b0;
    geo_latch <= 1'b0;
    seq_start <= 1'b0;
    if (rst) begin
        st <= ST_IDLE;
        image_loaded <= 1'b0;
        image_error <= 1'b0;
        axi_error <= 1'b0;
        error_code <= 0;
        trials_done <= 0;
        rd_req_valid <= 1'b0;
        cp_ctr <= 16'hFFFF;
        online <= 1'b0;
        run_seq <= 0;
        bins_pushed <= 0;
        head_slot <= 0;
        head_line <= 0;
        head_pbase <= 0;
        slot_idx <= 0;
        in_slot_off <= 0;
        out_slot_off <= 0;
    end else begin
        if (rd_req_valid && rd_req_ready)
            rd_req_valid <= 1'b0;
        if (rd_error)
            axi_error <= 1'b1;
        if (wr_error || st_wr_error)
            axi_error <= 1'b1;
        if (cp_ctr != 16'hFFFF)
            cp_ctr <= (cp_ctr == H0_DEPTH - 1) ? 16'hFFFF : cp_ctr + 1'b1;

        case (st)
            ST_IDLE: if (start) begin
                online <= online_flag;
                if (load_image || online_reset) begin
                    slot_idx <= 0;
                    in_slot_off <= 0;
                    out_slot_off <= 0;
                end
                // a new window: on request, with a new image, and after a whole-trial run (its input overwrites
                // the spike lines that hold the ring)
                if (load_image || online_reset || !online_flag) begin
                    bins_pushed <= 0;
                    head_slot <= 0;
                    head_line <= 0;
                    head_pbase <= 0;
                end
                trials_done <= 0;
                trial <= 0;
                trial_in_addr <= input_ptr;
                trial_out_addr <= output_ptr;
                error_code <= LFADS_ERR_NONE;
                axi_error <= 1'b0;
                if (load_image) begin
                    image_loaded <= 1'b0;
                    image_error <= 1'b0;
                    ctr <= 0;
                    st <= ST_CLEAR;
                end else if (!image_loaded) begin
                    error_code <= LFADS_ERR_NO_IMAGE;
                    st <= ST_FAIL;
                end else if (online_flag && num_trials == 0) begin
                    error_code <= LFADS_ERR_NO_SLOTS;
                    st <= ST_FAIL;
                end else begin
                    st <= ST_TRIAL;
                end
            end

            ST_CLEAR: begin
                clr_we <= 1'b1;
                clr_addr <= ctr;
                ctr <= ctr + 1'b1;
                if (ctr == CLR_N - 1) begin
                    rd_req_valid <= 1'b1;
                    rd_req_addr <= image_ptr;
                    rd_req_beats <= HDR_BEATS;
                    ctr <= 0;
                    st <= ST_HDR;
                end
            end

            ST_HDR: if (rd_beat_valid) begin : hdr_beat
                integer k;
                // constant word positions: word k arrives in beat k / WPB
                for (k = 0; k < HDR_KEEP; k = k + 1)
                    if (ctr == k / WPB)
                        hdr_bits[32*k +: 32] <= rd_beat_data[(k % WPB)*32 +: 32];
                ctr <= ctr + 1'b1;
                if (ctr == HDR_BEATS - 1)
                    st <= ST_CHECK;
            end

            ST_CHECK: begin
                if (axi_error) begin
                    error_code <= LFADS_ERR_AXI;
                    st <= ST_FAIL;
                end else if (check_header(0) != LFADS_ERR_NONE) begin
                    error_code <= check_header(0);
                    image_error <= 1'b1;
                    st <= ST_FAIL;
                end else begin
                    geo_latch <= 1'b1;
                    st <= ST_GEO;
                end
            end

            ST_GEO: if (!geo_latch && !geo_busy) st <= ST_GEO_CHECK;   // every layer latched

            ST_GEO_CHECK: begin
                if (geo_tiles > MAX_TILES || geo_rbs > MAX_ROW_BLOCKS) begin
                    error_code <= LFADS_ERR_DIMS_TOO_LARGE;
                    image_error <= 1'b1;
                    st <= ST_FAIL;
                end else begin
                    cfg_k <= `LFADS_RUN_HDR(LFADS_H_ACT_SEG_BITS);
                    cfg_fp <= `LFADS_RUN_HDR(LFADS_H_FRAC_PRE);
                    cfg_esig <= `LFADS_RUN_HDR(LFADS_H_SIGMOID_RANGE_EXP);
                    cfg_etanh <= `LFADS_RUN_HDR(LFADS_H_TANH_RANGE_EXP);
                    cfg_fg <= `LFADS_RUN_HDR(LFADS_H_FRAC_GATE);
                    cfg_fs <= `LFADS_RUN_HDR(LFADS_H_FRAC_STATE);
                    cfg_clip <= `LFADS_RUN_HDR(LFADS_H_CLIP_Q);
                    sec <= 0;
                    sec_wait <= SEC_MUL_WAIT;
                    st <= ST_SEC;
                end
            end

            ST_SEC: if (sec_wait != 0) begin
                sec_wait <= sec_wait - 1'b1;         // section size multiplier settling
            end else begin
                if (sec == LFADS_SECTION_COUNT) begin
                    if (axi_error) begin
                        error_code <= LFADS_ERR_AXI;
                        st <= ST_FAIL;
                    end else if (online && num_trials == 0) begin
                        image_loaded <= 1'b1;
                        error_code <= LFADS_ERR_NO_SLOTS;
                        st <= ST_FAIL;
                    end else begin
                        image_loaded <= 1'b1;
                        st <= ST_TRIAL;
                    end
                end else if (sec_rows_q == 0 || sec_cols_q == 0) begin
                    sec <= sec + 1'b1;
                    sec_wait <= SEC_MUL_WAIT;
                end else if (!rd_req_valid) begin
                    // (sec_go: the element loader starts the section)
                    ec = sec_words_p;
                    rd_req_valid <= 1'b1;
                    rd_req_addr <= image_ptr + LFADS_IMAGE_HEADER_BYTES + {sec_word(sec, LFADS_SECTION_OFFSET), 2'b00};
                    rd_req_beats <= (ec + WPB - 1) >> $clog2(WPB);
                    st <= ST_SEC_DATA;
                end
            end

            ST_SEC_DATA: if (rd_beat_valid && el_last) begin     // the section's last element (lfads_element_loader)
                sec <= sec + 1'b1;
                sec_wait <= SEC_MUL_WAIT;
                st <= ST_SEC;
            end

            ST_TRIAL: begin
                if (online ? trial == 1 : trial == num_trials) begin
                    st <= online ? ST_OSTAT : ST_FINISH;
                end else if (online && !rd_req_valid) begin
                    // one bin from input slot slot_idx into ring slot head_slot (the oldest bin leaves);
                    // the window then runs from the slot after it (wrapping) to it
                    rd_req_valid <= 1'b1;
                    rd_req_addr <= input_ptr + in_slot_off;
                    rd_req_beats <= bin_lines;
                    in_beats_left <= bin_lines;
                    in_line <= head_line;
                    wr_set_base <= 1'b1;
                    wr_base_addr <= output_ptr + out_slot_off + LFADS_ONLINE_STATUS_BYTES;
                    pad_bins <= (bins_pushed + 1 >= t_enc) ? 16'd0 : t_enc - bins_pushed[15:0] - 1'b1;
                    win_bbase0 <= {head_line, 6'd0};
                    win_fbase0 <= (head_slot + 1'b1 == t_enc) ? 32'd0 : {head_line, 6'd0} + bin_bytes;
                    win_pb0 <= head_pbase;
                    win_pf0 <= (head_slot + 1'b1 == t_enc) ? 32'd0 : head_pbase + proj_stride;
                    enc_stride <= bin_bytes;
                    enc_end <= ring_bytes;
                    cp_ctr <= 0;
                    st <= ST_IN;
                end else if (!online && !rd_req_valid) begin
                    rd_req_valid <= 1'b1;
                    rd_req_addr <= trial_in_addr;
                    rd_req_beats <= (in_bytes + LB - 1) >> $clog2(LB);
                    in_beats_left <= (in_bytes + LB - 1) >> $clog2(LB);
                    in_line <= 0;
                    pad_bins <= 0;
                    win_fbase0 <= 0;
                    win_bbase0 <= in_bytes - n_in;
                    enc_stride <= n_in;
                    enc_end <= in_bytes;
                    wr_set_base <= 1'b1;
                    wr_base_addr <= trial_out_addr;
                    trial_in_addr <= trial_in_addr + in_stride;
                    trial_out_addr <= trial_out_addr + out_stride;
                    cp_ctr <= 0;
                    st <= ST_IN;
                end
            end

            ST_IN: begin
                if (rd_beat_valid) begin
                    in_line <= in_line + 1'b1;
                    in_beats_left <= in_beats_left - 1'b1;
                end
                if ((in_beats_left == 0 || (in_beats_left == 1 && rd_beat_valid)) && cp_ctr == 16'hFFFF && !rd_req_valid) begin
                    seq_start <= 1'b1;
                    st <= ST_RUN;
                end
            end

            ST_RUN: if (seq_done) begin
                wr_flush <= 1'b1;
                st <= ST_TFLUSH;
            end

            ST_TFLUSH: if (wr_packer_empty && !wr_flush) begin
                trial <= trial + 1'b1;
                trials_done <= trials_done + 1'b1;
                st <= ST_TRIAL;
            end

            ST_FINISH: if (wr_idle) begin
                if (axi_error && error_code == LFADS_ERR_NONE)
                    error_code <= LFADS_ERR_AXI;
                done <= 1'b1;
                st <= ST_IDLE;
            end

            ST_FAIL: if (online) begin
                st <= ST_OSTAT;
            end else begin
                done <= 1'b1;
                st <= ST_IDLE;
            end

            // online: the status block, written last (after every result word's write response)
            ST_OSTAT: if (wr_idle && !st_wr_busy) begin : ostat
                reg ok;
                reg [31:0] ecode;
                ok = trials_done == 1 && error_code == LFADS_ERR_NONE && !axi_error;
                ecode = (axi_error && error_code == LFADS_ERR_NONE) ? LFADS_ERR_AXI : error_code;
                error_code <= ecode;
                st_wr_start <= 1'b1;
                st_wr_addr <= output_ptr + out_slot_off;
                st_wr_data <= 0;
                st_wr_data[32*LFADS_OS_SEQ +: 32] <= run_seq + 1'b1;
                st_wr_data[32*LFADS_OS_ERROR_CODE +: 32] <= ecode;
                st_wr_data[32*LFADS_OS_TRIALS_DONE +: 32] <= trials_done;
                st_wr_data[32*LFADS_OS_CYCLES_LO +: 64] <= cycle_now;
                st_wr_data[32*LFADS_OS_WINDOW_BINS +: 32] <= !ok ? 32'd0 : (bins_pushed + 1 >= t_enc) ? {16'd0, t_enc}
                                                                           : bins_pushed + 1'b1;
                st_wr_data[32*LFADS_OS_STATUS +: 32] <= {29'd0, axi_error, image_error, image_loaded};
                st_wr_data[32*LFADS_OS_MAGIC +: 32] <= LFADS_ONLINE_STATUS_MAGIC;
                run_seq <= run_seq + 1'b1;
                // every online run uses the next buffer slot; only a run that inferred its window keeps its bin
                if (num_trials != 0) begin
                    slot_idx <= (slot_idx + 1'b1 >= num_trials) ? 32'd0 : slot_idx + 1'b1;
                    in_slot_off <= (slot_idx + 1'b1 >= num_trials) ? 64'd0 : in_slot_off + bin_bytes;
                    out_slot_off <= (slot_idx + 1'b1 >= num_trials) ? 64'd0 : out_slot_off + out_slot_stride;
                end
                if (ok) begin
                    bins_pushed <= bins_pushed + 1'b1;
                    head_slot <= (head_slot + 1'b1 == t_enc) ? 16'd0 : head_slot + 1'b1;
                    head_line <= (head_slot + 1'b1 == t_enc) ? 16'd0 : head_line + bin_lines;
                    head_pbase <= (head_slot + 1'b1 == t_enc) ? 32'd0 : head_pbase + proj_stride;
                end
                st <= ST_OSTAT_WAIT;
            end

            ST_OSTAT_WAIT: if (!st_wr_start && !st_wr_busy) begin
                done <= 1'b1;
                st <= ST_IDLE;
            end

            default: st <= ST_IDLE;
        endcase
    end
end

always @(posedge clk) begin : section_size
    sec_rows_q <= sec_word(sec, LFADS_SECTION_ROWS);
    sec_cols_q <= sec_word(sec, LFADS_SECTION_COLS);
    sec_words_m <= sec_rows_q * sec_cols_q;
    sec_words_p <= sec_words_m;
end

`undef LFADS_RUN_HDR

endmodule

`resetall
