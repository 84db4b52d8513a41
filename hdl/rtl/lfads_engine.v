// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * LFADS engine: image loader, trial loop, pass sequencer with scoreboard, MAC array, post lanes,
 * on-chip memories. docs/kernel-numerics.md is the numerics contract; hdl/README.md describes the
 * schedule.
 *
 * Work is a program of "passes"; a pass multiplies one layer's weight rows (all gates z,r of a GRU
 * = phase A, gate n = phase B, or a linear layer) with a column vector made of segments, one R x C
 * tile per cycle, and post-processes each finished row block. Passes issue in program order; a
 * pass waits only until the vectors it reads have been written (scoreboard), so independent passes
 * (forward/backward encoders, factors/readout of the previous step) fill the pipeline latency.
 * Nothing in the schedule depends on data values: the cycle count is a function of the dimensions.
 *
 * Online mode (online_flag; docs/kernel-numerics.md section 13): the spike lines hold a ring of the last T_enc
 * bins, one slot of whole lines per bin. A run reads one bin into the oldest bin's slot, runs the encoders over the
 * ring from the slot after it (wrapping; bins before the first push are zero columns), stops the decoder after step
 * T_enc - 1, emits only that step's factors and log-rates, and then writes the status block through
 * lfads_status_writer once the result writer is idle. Input and output slots rotate (NUM_TRIALS = slot count).
 * The encoders' input projections are kept on chip (the projection ring, lfads_proj_lane, one per row lane): the
 * newest bin's encoder step runs its input columns as in a trial and the MAC array's accumulators after them,
 * W_ih x + b exact, are written to the bin's ring slot; every other step of the window skips its input columns and
 * starts each row block from that slot's accumulators (the leading zero bins of a young window: from the bias,
 * the projection of a zero bin). The spec rounds only after the recurrent term joins the sum: bit-identical.
 */
module lfads_engine #
(
    parameter DATA_WIDTH = 16,
    parameter ACC_WIDTH = 48,
    parameter ROW_LANES = 8,
    parameter COL_LANES = 4,
    parameter MAX_N_IN = 256,
    parameter MAX_N_OUT = 256,
    parameter MAX_T_ENC = 128,
    parameter MAX_T_REC = 128,
    parameter MAX_HIDDEN = 256,
    parameter MAX_TILES = 512,
    parameter MAX_ROW_BLOCKS = 128,
    parameter MAX_ACT_SEG_BITS = 10,
    parameter AXI_DATA_WIDTH = 512,
    // Register stages at each SLR crossing (0 or 1; issue 13 points 2 and 6, hdl/README.md "SLR plan"): with 1, row
    // lanes ROW_LANES/2.. (the second SLR) take the issue, the column vector and the MAC array's lane tag from
    // flip-flops of their own, and the results come back through a register in the engine's SLR: +1 issue stage
    // (S3) and +1 write-back stage, the same for every lane (lfads_pipeline.vh, CycleModel.java).
    parameter SLR_CROSSING_STAGES = 1
)
(
    input  wire                          clk,
    input  wire                          rst,

    // run control
    input  wire                          start,
    input  wire                          load_image,
    // online mode (docs/kernel-numerics.md section 13): push one bin, infer the window ending at it
    input  wire                          online_flag,
    input  wire                          online_reset,
    input  wire [63:0]                   cycle_now,
    input  wire [63:0]                   image_ptr,
    input  wire [63:0]                   input_ptr,
    input  wire [63:0]                   output_ptr,
    input  wire [31:0]                   num_trials,
    output wire                          idle,
    output wire                          done,
    output wire                          image_loaded,
    output wire                          image_error,
    output wire                          axi_error,
    output wire [31:0]                   error_code,
    output wire [31:0]                   trials_done,

    // memory reader
    output wire                          rd_req_valid,
    input  wire                          rd_req_ready,
    output wire [63:0]                   rd_req_addr,
    output wire [23:0]                   rd_req_beats,
    input  wire                          rd_beat_valid,
    output wire                          rd_beat_ready,
    input  wire [AXI_DATA_WIDTH-1:0]     rd_beat_data,
    input  wire                          rd_error,

    // result writer
    output wire                          wr_set_base,
    output wire [63:0]                   wr_base_addr,
    output wire                          wr_flush,
    input  wire                          wr_packer_empty,
    input  wire                          wr_idle,
    input  wire                          wr_error,
    output wire                          wr_chunk_valid,
    output wire [ROW_LANES*DATA_WIDTH-1:0] wr_chunk_data,
    output wire [$clog2(ROW_LANES+1)-1:0]  wr_chunk_count,
    input  wire [4:0]                    wr_fifo_free,

    // online status block writer
    output wire                          st_wr_start,
    output wire [63:0]                   st_wr_addr,
    output wire [AXI_DATA_WIDTH-1:0]     st_wr_data,
    input  wire                          st_wr_busy,
    input  wire                          st_wr_error
);

`include "lfads_contract.vh"
`include "lfads_pipeline.vh"
`include "lfads_tag.vh"

// ------------------------------------------------------------------------------------------------
// derived parameters
// ------------------------------------------------------------------------------------------------
localparam integer R = ROW_LANES;
localparam integer C = COL_LANES;
localparam integer W = DATA_WIDTH;
localparam integer XW = DATA_WIDTH + 1;
localparam integer RPC = R / C;                          // column slices per vector word
localparam integer VW = (MAX_HIDDEN + R - 1) / R;        // words per vector slot
localparam integer VWB = (VW > 1) ? $clog2(VW) : 1;
localparam integer NSLOT = 22;
localparam integer NSB = 23;                             // scoreboard bits: slots + CI history
localparam integer VST_DEPTH = NSLOT * VW;
localparam integer VSTB = $clog2(VST_DEPTH);
localparam integer CIH_DEPTH = 2 * MAX_T_ENC * VW;
localparam integer CIHB = $clog2(CIH_DEPTH);
localparam integer TB = $clog2(MAX_TILES);
localparam integer RBB = $clog2(MAX_ROW_BLOCKS);
localparam integer H0_DEPTH = 5 * VW;
localparam integer H0B = $clog2(H0_DEPTH);
localparam integer LB = AXI_DATA_WIDTH / 8;             // bytes per beat = spike line
localparam integer HDR_KEEP = LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT;
localparam integer SPK_LINES_TRIAL = (MAX_T_ENC * MAX_N_IN + LB - 1) / LB + 2;
localparam integer SPK_LINES_RING = MAX_T_ENC * ((MAX_N_IN + LB - 1) / LB) + 2;
localparam integer SPK_LINES = (SPK_LINES_RING > SPK_LINES_TRIAL) ? SPK_LINES_RING : SPK_LINES_TRIAL;
localparam integer SPK_BANK = (SPK_LINES + 1) / 2;
localparam integer SPKB = $clog2(SPK_BANK);
localparam integer SHB = $clog2(LB);                    // byte within a spike line
localparam integer SHH = (SHB > 3) ? SHB - 3 : 1;       // ... its 8-byte step
localparam integer CB = (C > 1) ? $clog2(C) : 1;        // a column within the column lanes
localparam integer CLR_N = (MAX_TILES > MAX_ROW_BLOCKS) ? ((MAX_TILES > H0_DEPTH) ? MAX_TILES : H0_DEPTH)
                                                        : ((MAX_ROW_BLOCKS > H0_DEPTH) ? MAX_ROW_BLOCKS : H0_DEPTH);
localparam integer CW = $clog2(R + 1);
localparam integer KT = MAX_ACT_SEG_BITS;
// compute pipeline depths (lfads_pipeline.vh)
localparam integer MAC_LAT = lfads_mac_latency(COL_LANES);
localparam integer POST_LAT = LFADS_POST_LATENCY;
// copies of the registered column vector: one per group of 8 row lanes
localparam integer X_COPIES = (R >= 8) ? R / 8 : 1;
// SLR crossing stages (lfads_pipeline.vh lfads_issue_stages / lfads_writeback_stages): with them, row lanes FAR_ROW..
// are the far SLR's, with their own copies of everything that crosses (and the column vector's copies X_COPIES/2..)
localparam integer XS = SLR_CROSSING_STAGES;
localparam integer ISSUE_ST = lfads_issue_stages(XS);      // A, S1, S2 (+ S3): issue to the MAC array's input
localparam integer WB_XS = lfads_writeback_stages(XS);     // post lanes' output to the write-back's registers
localparam integer FAR_ROW = (XS != 0 && R >= 2) ? R / 2 : R;
// result-writer FIFO slots kept free beyond the chunks already claimed (covers the registered credit check)
localparam integer CREDIT_MARGIN = 3;
// projection ring (online mode): per ring slot, the row blocks of the encoder layers 0..3 (their bias row blocks:
// at most 4 layers x 3 gates x VW, and at most the image's MAX_ROW_BLOCKS), MAX_T_ENC slots
localparam integer PROJ_SLOT_RB = (MAX_ROW_BLOCKS < 12 * VW) ? MAX_ROW_BLOCKS : 12 * VW;
localparam integer PROJ_DEPTH = MAX_T_ENC * PROJ_SLOT_RB;
localparam integer PB = $clog2(PROJ_DEPTH);

initial begin
    if ((1 << $clog2(R)) != R || (1 << $clog2(C)) != C || R < C) begin
        $error("ROW_LANES (%0d) and COL_LANES (%0d) must be powers of two with ROW_LANES >= COL_LANES", R, C);
        $finish;
    end
    if (C > LB) begin
        $error("COL_LANES must not exceed the bytes of one AXI beat");
        $finish;
    end
    if (W < 8 || W > 18) begin
        $error("DATA_WIDTH (%0d) must be in 8..18", W);
        $finish;
    end
    if (SLR_CROSSING_STAGES != 0 && SLR_CROSSING_STAGES != 1) begin
        $error("SLR_CROSSING_STAGES (%0d) must be 0 or 1", SLR_CROSSING_STAGES);
        $finish;
    end
    if (ISSUE_ST != 3 + XS || WB_XS != XS) begin
        $error("lfads_pipeline.vh's issue / write-back stages (%0d, %0d) disagree with the engine's", ISSUE_ST, WB_XS);
        $finish;
    end
    if (ACC_WIDTH < 40) begin
        $error("ACC_WIDTH (%0d) must be >= 40", ACC_WIDTH);
        $finish;
    end
end

// slot numbers of the vector store
localparam [4:0] SL_ICM = 5'd18, SL_CO = 5'd19, SL_FV = 5'd20, SL_FS = 5'd21;
function [4:0] sl_h(input [3:0] l);  sl_h = {1'b0, l};          endfunction
function [4:0] sl_z(input [3:0] l);  sl_z = 5'd6 + l;           endfunction
function [4:0] sl_rh(input [3:0] l); sl_rh = 5'd12 + l;         endfunction

// column-segment sources
localparam [2:0] SRC_SPK = 3'd0, SRC_CIF = 3'd2, SRC_CIB = 3'd3;   // SRC_VEC = 1: the default

// pass kinds (K_LIN = 2: the default)
localparam [1:0] K_GA = 2'd0, K_GB = 2'd1;

// post modes
localparam [1:0] M_Z = 2'd0, M_R = 2'd1, M_N = 2'd2, M_LIN = 2'd3;

// ------------------------------------------------------------------------------------------------
// image header
// ------------------------------------------------------------------------------------------------
// The header words the engine keeps, as one vector rather than a memory: every read but the section table's
// and the accumulator formats' is at a constant word (plain wires), and the variable ones become shifters.
wire [32*HDR_KEEP-1:0] hdr_bits;                // read by the run FSM (lfads_run_fsm)

`define LFADS_HDR(i) hdr_bits[32*(i) +: 32]
`define LFADS_HDR16(i) hdr_bits[32*(i) +: 16]           // a 16-bit field: the word's low half

wire        hc      = hdr_bits[32*LFADS_H_FLAGS];
wire [15:0] n_in    = `LFADS_HDR16(LFADS_H_N_IN);
wire [15:0] n_out   = `LFADS_HDR16(LFADS_H_N_OUT);
wire [15:0] t_enc   = `LFADS_HDR16(LFADS_H_T_ENC);
wire [15:0] t_rec   = `LFADS_HDR16(LFADS_H_T_REC);
wire [31:0] ci_lag  = `LFADS_HDR(LFADS_H_CI_LAG);        // may exceed T_ENC: controller input all zero
wire [15:0] fac_dim = `LFADS_HDR16(LFADS_H_FAC_DIM);

// ------------------------------------------------------------------------------------------------
// layer geometry (latched once per image load): lfads_geometry, tables as flat vectors
// ------------------------------------------------------------------------------------------------
wire [11*16-1:0] g_rows_f;
wire [11*16-1:0] g_rbh_f;
wire [11*16-1:0] g_ncb_f;
wire [11*16-1:0] g_tbase_f;
wire [11*16-1:0] g_tbn_f;
wire [11*16-1:0] g_gtile_f;
wire [11*16-1:0] g_bbase_f;
wire [11*3-1:0] g_nseg_f;
wire [11*8-1:0] g_bsh_f;
wire [11*8-1:0] g_k1_f;
wire [11*8-1:0] g_k2_f;
wire [44*3-1:0] s_src_f;
wire [44*5-1:0] s_slot_f;
wire [44*16-1:0] s_len_f;
wire [44*16-1:0] s_ncb_f;
wire [44*16-1:0] s_cb0_f;
wire [44*7-1:0] s_sh_f;
wire        geo_latch;
wire        geo_busy;
wire [31:0] geo_tiles, geo_rbs;
lfads_geometry #(
    .ROW_LANES(R),
    .COL_LANES(C),
    .HDR_BITS(32 * HDR_KEEP)
) geometry (
    .clk(clk),
    .latch(geo_latch),
    .hdr_bits(hdr_bits),
    .busy(geo_busy),
    .tiles(geo_tiles),
    .row_blocks_total(geo_rbs),
    .g_rows_f(g_rows_f),
    .g_rbh_f(g_rbh_f),
    .g_ncb_f(g_ncb_f),
    .g_tbase_f(g_tbase_f),
    .g_tbn_f(g_tbn_f),
    .g_gtile_f(g_gtile_f),
    .g_bbase_f(g_bbase_f),
    .g_nseg_f(g_nseg_f),
    .g_bsh_f(g_bsh_f),
    .g_k1_f(g_k1_f),
    .g_k2_f(g_k2_f),
    .s_src_f(s_src_f),
    .s_slot_f(s_slot_f),
    .s_len_f(s_len_f),
    .s_ncb_f(s_ncb_f),
    .s_cb0_f(s_cb0_f),
    .s_sh_f(s_sh_f)
);

// The post lanes' requantize right-shift amounts per layer, shift_decode (lfads_tag.vh) of the layer's k1 / k2,
// registered: the tag carries these instead of k, so no lane decodes k per beat (an adder and a clamp between the
// MAC array's tag delay and every lane's first register). Two stages per entry: the 8-bit add (g_sh*_r: lmax + k - 1,
// sign-extended to 10 bits, as shift_decode computes it), then the clamp (in the whole kernel the add and the clamp in
// one stage were 4 LUT levels, 4.1 ns). g_k1_f / g_k2_f change only when the geometry latches an image (ST_CHECK ->
// ST_GEO); the table follows two cycles later, while the loader is still in ST_GEO / ST_GEO_CHECK and thousands of
// cycles before the section loads end and a run can issue its first pass.
localparam integer SH_OFF_I = lfads_req_lmax(W) - 1;             // shift_decode's r = k + SH_OFF
localparam integer SH_MAX_I = lfads_req_lmax(W) + ACC_WIDTH - 1;  // and its upper clamp
localparam [9:0] SH_OFF = SH_OFF_I[9:0];
localparam [9:0] SH_MAX = SH_MAX_I[9:0];
reg [11*10-1:0] g_sh1_r = 0;
reg [11*10-1:0] g_sh2_r = 0;
reg [11*7-1:0] g_sh1_t = 0;
reg [11*7-1:0] g_sh2_t = 0;
integer g_sh_i;
always @(posedge clk) begin
    for (g_sh_i = 0; g_sh_i < 11; g_sh_i = g_sh_i + 1) begin
        g_sh1_r[g_sh_i * 10 +: 10] <= {{2{g_k1_f[g_sh_i * 8 + 7]}}, g_k1_f[g_sh_i * 8 +: 8]} + SH_OFF;
        g_sh2_r[g_sh_i * 10 +: 10] <= {{2{g_k2_f[g_sh_i * 8 + 7]}}, g_k2_f[g_sh_i * 8 +: 8]} + SH_OFF;
        g_sh1_t[g_sh_i * 7 +: 7] <= shift_clamp(g_sh1_r[g_sh_i * 10 +: 10]);
        g_sh2_t[g_sh_i * 7 +: 7] <= shift_clamp(g_sh2_r[g_sh_i * 10 +: 10]);
    end
end
// shift_decode's clamp of r = lmax + k - 1 (10 bits, two's complement) to 0 .. SH_MAX
function [6:0] shift_clamp(input [9:0] r);
    begin
        if (r[9]) shift_clamp = 7'd0;
        else if (r > SH_MAX) shift_clamp = SH_MAX[6:0];
        else shift_clamp = r[6:0];
    end
endfunction
`ifndef SYNTHESIS
// simulation check: the two stages give shift_decode's value (two cycles after k, which the geometry holds)
reg [11*8-1:0] g_k1_d1 = 0, g_k1_d2 = 0, g_k2_d1 = 0, g_k2_d2 = 0;
reg [1:0] g_sh_warm = 0;
always @(posedge clk) begin
    g_k1_d1 <= g_k1_f; g_k1_d2 <= g_k1_d1;
    g_k2_d1 <= g_k2_f; g_k2_d2 <= g_k2_d1;
    if (g_sh_warm != 2'd3) g_sh_warm <= g_sh_warm + 2'd1;
    for (g_sh_i = 0; g_sh_i < 11; g_sh_i = g_sh_i + 1)
        if (g_sh_warm == 2'd3 && g_k1_d2 == g_k1_d1 && g_k2_d2 == g_k2_d1 &&
            (g_sh1_t[g_sh_i * 7 +: 7] !== shift_decode(g_k1_d2[g_sh_i * 8 +: 8], W, ACC_WIDTH) ||
             g_sh2_t[g_sh_i * 7 +: 7] !== shift_decode(g_k2_d2[g_sh_i * 8 +: 8], W, ACC_WIDTH))) begin
            $display("ERROR lfads_engine: g_sh*_t[%0d] differs from shift_decode", g_sh_i);
            $finish;
        end
end
`endif


// ------------------------------------------------------------------------------------------------
// memories written by the loader
// ------------------------------------------------------------------------------------------------
wire          clr_we;                    // zero every lane at clr_addr (the run FSM)
wire [15:0]   clr_addr;
// (the element loader's writes, lfads_element_loader below)
wire          wm_we;                     // one weight element
wire [TB-1:0] wm_addr;
wire [15:0]   wm_r, wm_c;
wire          bm_we;                     // one bias element
wire [RBB-1:0] bm_addr;
wire          h0_we;                     // one h0 element
wire [H0B-1:0] h0_addr;
wire [15:0]   el_r;                      // row lane of bias / h0 element
wire [W-1:0]  el_data;
wire          tab_we;
wire [KT:0]   tab_addr;
wire [2*W-1:0] tab_data;

// configuration of the post lanes (latched by the run FSM from the header)
wire [4:0]    cfg_k;
// (the run FSM latches all these header fields; the post lanes take only k, Fs and the clip, Fg being W - 1)
/* verilator lint_off UNUSEDSIGNAL */
wire [4:0]    cfg_fp;
wire [3:0]    cfg_esig, cfg_etanh;
wire [5:0]    cfg_fg;
/* verilator lint_on UNUSEDSIGNAL */
wire [5:0]    cfg_fs;
wire [W-1:0]  cfg_clip;

// ------------------------------------------------------------------------------------------------
// spike lines (the vector store and CI history are lfads_vector_store, instantiated below)
// ------------------------------------------------------------------------------------------------
reg [LB*8-1:0] spk_even [0:SPK_BANK-1];
reg [LB*8-1:0] spk_odd [0:SPK_BANK-1];
integer vi;
// Simulation starts these memories at zero, as configuration does on the FPGA. Not elaborated for synthesis:
// Yosys unrolls the loops into ~2 Mbit of init values and spent over ten minutes in its frontend on them.
`ifndef SYNTHESIS
initial begin
    for (vi = 0; vi < SPK_BANK; vi = vi + 1) begin
        spk_even[vi] = 0;
        spk_odd[vi] = 0;
    end
end
`endif

// ------------------------------------------------------------------------------------------------
// run / loader state machine (lfads_run_fsm, instantiated below): its outputs the rest of the engine reads
// ------------------------------------------------------------------------------------------------
wire [5:0]  sec;                // section being loaded (its elements: lfads_element_loader)
/* verilator lint_off UNUSEDSIGNAL */
wire [15:0] in_line;            // spike line of the input beat being taken (in_beat); its low SPKB+1 bits address
/* verilator lint_on UNUSEDSIGNAL */
wire        in_beat;
wire [15:0] cp_ctr;             // h0 -> state copy counter (16'hFFFF: none)
wire        online;             // this run is an online run (FLAGS bit ONLINE at its start)
wire [15:0] pad_bins;           // leading window bins that are zero (fewer than T_enc bins pushed)
wire [31:0] win_pf0, win_pb0;   // projection-ring entry of the window's oldest / newest bin
wire [31:0] win_fbase0, win_bbase0;   // byte of the window's oldest / newest bin in the spike lines
wire [31:0] enc_stride, enc_end;      // bytes per bin and bytes of the window in the spike lines
wire        seq_start;
/* verilator lint_off UNUSEDSIGNAL */
wire        seq_done;           // (a run FSM output the engine does not read)
/* verilator lint_on UNUSEDSIGNAL */
wire        seq_drained;        // the pass program at its end, the pipeline and the scoreboard empty

// Per-image sizes: products of header fields, each through a registered multiplier (operand, product and
// output registers: a DSP48E2 with AREG/BREG/MREG/PREG). The header is static long before a trial starts.
reg  [15:0] mul_tenc = 0, mul_nin = 0, mul_trec = 0, mul_onum = 0;
reg  [31:0] mul_in_m = 0, mul_out_m = 0, in_bytes = 0, out_words = 0;
always @(posedge clk) begin
    mul_tenc <= t_enc;
    mul_nin <= n_in;
    mul_trec <= t_rec;
    mul_onum <= fac_dim + n_out;
    mul_in_m <= mul_tenc * mul_nin;
    mul_out_m <= mul_trec * mul_onum;
    in_bytes <= mul_in_m;
    out_words <= mul_out_m;
end
wire [31:0] in_stride = (in_bytes + 63) & ~32'd63;
// online: lines per ring slot (= 64-byte beats per input slot), ring bytes, output slot stride
// (32-bit arithmetic, as the integer LB makes it; n_in < 2^16 lines fit the low 16 bits)
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] bin_lines_w = ({16'd0, n_in} + LB - 1) >> $clog2(LB);
/* verilator lint_on UNUSEDSIGNAL */
wire [15:0] bin_lines = bin_lines_w[15:0];
wire [31:0] bin_bytes = {10'd0, bin_lines, 6'd0};
reg  [15:0] mul_lines = 0;
/* verilator lint_off UNUSEDSIGNAL */
reg  [31:0] mul_ring_m = 0;     // lines in the ring: its top 6 bits shift out of the 32-bit byte count
/* verilator lint_on UNUSEDSIGNAL */
reg  [31:0] ring_bytes = 0;
always @(posedge clk) begin
    mul_lines <= bin_lines;
    mul_ring_m <= mul_tenc * mul_lines;
    ring_bytes <= {mul_ring_m[25:0], 6'd0};
end
// online: the projection ring's entries per slot (the bias row blocks of the encoder layers 0..3 = layer 4's first
// bias row block), its entries in all (T_enc slots), and the input column blocks of an encoder row block
wire [31:0] proj_stride = {16'd0, g_bbase_f[4*16 +: 16]};
wire [15:0] in_cols_padded = n_in + C[15:0] - 16'd1;     // n_in <= MAX_N_IN: no wrap
reg  [15:0] mul_pstride = 0;
reg  [31:0] mul_pring_m = 0, proj_ring = 0;
reg  [15:0] in_blocks = 0, in_blocks_m1 = 0, in_blocks_p1 = 0;
reg         proj_on = 1'b0;     // this run keeps projections: online, with an input (static long before seq_start)
always @(posedge clk) begin
    mul_pstride <= proj_stride[15:0];
    mul_pring_m <= mul_tenc * mul_pstride;
    proj_ring <= mul_pring_m;
    in_blocks <= in_cols_padded >> $clog2(C);
    in_blocks_m1 <= in_blocks - 1'b1;
    in_blocks_p1 <= in_blocks + 1'b1;
    proj_on <= online && in_blocks != 0;
end
wire [31:0] out_slot_stride = LFADS_ONLINE_STATUS_BYTES + (({14'd0, mul_onum, 2'b00} + 63) & ~32'd63);
wire [31:0] out_stride = ((out_words << 2) + 63) & ~32'd63;
// section sizes: rows * cols of section `sec` (the run FSM's registered multiplier)
wire [31:0] sec_words_p;

// the element loader: one element of section `sec` a cycle into the engine's memories, started in ST_SEC once the
// section's beats are requested (its size settled, not empty, the reader free)
wire        sec_go, sec_beat;
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] sec_cols_q;         // the section's columns, registered from `sec` by the run FSM (they fit 16 bits)
/* verilator lint_on UNUSEDSIGNAL */
wire        el_beat_last, el_last;
lfads_element_loader #(
    .ROW_LANES(R),
    .COL_LANES(C),
    .DATA_WIDTH(W),
    .AXI_DATA_WIDTH(AXI_DATA_WIDTH),
    .VW(VW),
    .TB(TB),
    .RBB(RBB),
    .H0B(H0B),
    .KT(KT)
) eloader (
    .clk(clk),
    .rst(rst),
    .start(sec_go),
    .sec(sec),
    .sec_words_in(sec_words_p),
    .sec_cols_in(sec_cols_q[15:0]),
    .beat_valid(sec_beat),
    .beat_data(rd_beat_data),
    .beat_last(el_beat_last),
    .last(el_last),
    .g_rows_f(g_rows_f),
    .g_rbh_f(g_rbh_f),
    .g_ncb_f(g_ncb_f),
    .g_tbase_f(g_tbase_f),
    .g_gtile_f(g_gtile_f),
    .g_bbase_f(g_bbase_f),
    .g_nseg_f(g_nseg_f),
    .s_len_f(s_len_f),
    .s_cb0_f(s_cb0_f),
    .wm_we(wm_we),
    .wm_addr(wm_addr),
    .wm_r(wm_r),
    .wm_c(wm_c),
    .bm_we(bm_we),
    .bm_addr(bm_addr),
    .h0_we(h0_we),
    .h0_addr(h0_addr),
    .el_r(el_r),
    .el_data(el_data),
    .tab_we(tab_we),
    .tab_addr(tab_addr),
    .tab_data(tab_data)
);

// the run / loader state machine: image load (clear, header, geometry, sections), trial or online-bin loop
lfads_run_fsm #(
    .DATA_WIDTH(W),
    .ACC_WIDTH(ACC_WIDTH),
    .MAX_N_IN(MAX_N_IN),
    .MAX_N_OUT(MAX_N_OUT),
    .MAX_T_ENC(MAX_T_ENC),
    .MAX_T_REC(MAX_T_REC),
    .MAX_HIDDEN(MAX_HIDDEN),
    .MAX_TILES(MAX_TILES),
    .MAX_ROW_BLOCKS(MAX_ROW_BLOCKS),
    .MAX_ACT_SEG_BITS(MAX_ACT_SEG_BITS),
    .AXI_DATA_WIDTH(AXI_DATA_WIDTH),
    .CLR_N(CLR_N),
    .H0_DEPTH(H0_DEPTH),
    .HDR_KEEP(HDR_KEEP)
) runfsm (
    .clk(clk),
    .rst(rst),
    .start(start),
    .load_image(load_image),
    .online_flag(online_flag),
    .online_reset(online_reset),
    .cycle_now(cycle_now),
    .image_ptr(image_ptr),
    .input_ptr(input_ptr),
    .output_ptr(output_ptr),
    .num_trials(num_trials),
    .idle(idle),
    .done(done),
    .image_loaded(image_loaded),
    .image_error(image_error),
    .axi_error(axi_error),
    .error_code(error_code),
    .trials_done(trials_done),
    .rd_req_valid(rd_req_valid),
    .rd_req_ready(rd_req_ready),
    .rd_req_addr(rd_req_addr),
    .rd_req_beats(rd_req_beats),
    .rd_beat_valid(rd_beat_valid),
    .rd_beat_data(rd_beat_data),
    .rd_error(rd_error),
    .rd_beat_ready(rd_beat_ready),
    .in_beat(in_beat),
    .in_line(in_line),
    .hdr_bits(hdr_bits),
    .geo_latch(geo_latch),
    .geo_busy(geo_busy),
    .geo_tiles(geo_tiles),
    .geo_rbs(geo_rbs),
    .clr_we(clr_we),
    .clr_addr(clr_addr),
    .cfg_k(cfg_k),
    .cfg_fp(cfg_fp),
    .cfg_esig(cfg_esig),
    .cfg_etanh(cfg_etanh),
    .cfg_fg(cfg_fg),
    .cfg_fs(cfg_fs),
    .cfg_clip(cfg_clip),
    .sec(sec),
    .sec_words_p(sec_words_p),
    .sec_cols_q(sec_cols_q),
    .sec_go(sec_go),
    .sec_beat(sec_beat),
    .el_beat_last(el_beat_last),
    .el_last(el_last),
    .in_bytes(in_bytes),
    .in_stride(in_stride),
    .out_stride(out_stride),
    .bin_lines(bin_lines),
    .bin_bytes(bin_bytes),
    .ring_bytes(ring_bytes),
    .proj_stride(proj_stride),
    .out_slot_stride(out_slot_stride),
    .cp_ctr(cp_ctr),
    .seq_start(seq_start),
    .seq_drained(seq_drained),
    .seq_done(seq_done),
    .online(online),
    .pad_bins(pad_bins),
    .win_fbase0(win_fbase0),
    .win_bbase0(win_bbase0),
    .win_pf0(win_pf0),
    .win_pb0(win_pb0),
    .enc_stride(enc_stride),
    .enc_end(enc_end),
    .wr_set_base(wr_set_base),
    .wr_base_addr(wr_base_addr),
    .wr_flush(wr_flush),
    .wr_packer_empty(wr_packer_empty),
    .wr_idle(wr_idle),
    .wr_error(wr_error),
    .st_wr_start(st_wr_start),
    .st_wr_addr(st_wr_addr),
    .st_wr_data(st_wr_data),
    .st_wr_busy(st_wr_busy),
    .st_wr_error(st_wr_error)
);

// spike lines: beat k of the trial's input goes to line k (online: beat k of the bin to line head_line + k)
always @(posedge clk) begin
    if (in_beat) begin
        if (in_line[0])
            spk_odd[in_line[SPKB:1]] <= rd_beat_data;
        else
            spk_even[in_line[SPKB:1]] <= rd_beat_data;
    end
end

// ------------------------------------------------------------------------------------------------
// pass program: program counter and the descriptor of the pass at it (lfads_pass_program)
// ------------------------------------------------------------------------------------------------
wire           nx_skip;
wire [3:0]     nx_l;
wire [1:0]     nx_kind;
wire [15:0]    nx_t;
wire           nx_fac0;
wire           nx_emit;
wire           nx_newest;
wire [NSB-1:0] nx_src, nx_dst;
wire [3:0]     pc_l;             // the next entry (after the current): the next descriptor's layer and kind
wire [1:0]     pc_kind;
wire [NSB-1:0] pc_next_src, pc_first_src;   // its source mask, and the first entry's (the scoreboard's registered test)
wire           pc_valid, pc_at_end, pc_step_next;
wire           do_load, pc_advance;
wire           sb_advance, sb_load;  // the walker's copies of the two for the scoreboard's ready test
/* verilator lint_off UNUSEDSIGNAL */
wire           do_skip;          // (the walker's skip alone: pc_advance is the take or the skip)
/* verilator lint_on UNUSEDSIGNAL */
lfads_pass_program #(
    .SB_BITS(NSB)
) pprog (
    .clk(clk),
    .rst(rst),
    .start(seq_start),
    .advance(pc_advance),
    .valid(pc_valid),
    .at_end(pc_at_end),
    .step_next(pc_step_next),
    .hc(hc),
    .online(online),
    .t_enc(t_enc),
    .t_rec(t_rec),
    .g_nseg_f(g_nseg_f),
    .s_src_f(s_src_f),
    .s_slot_f(s_slot_f),
    .nx_skip(nx_skip),
    .nx_l(nx_l),
    .nx_kind(nx_kind),
    .nx_t(nx_t),
    .nx_fac0(nx_fac0),
    .nx_emit(nx_emit),
    .nx_newest(nx_newest),
    .nx_src(nx_src),
    .nx_dst(nx_dst),
    .pc_l(pc_l),
    .pc_kind(pc_kind),
    .next_src(pc_next_src),
    .first_src(pc_first_src)
);


// ------------------------------------------------------------------------------------------------
// issue
// ------------------------------------------------------------------------------------------------
// The compute pipeline never stalls: a tile that issues flows through the address, read and column-select
// stages, the MAC array and the post lanes to the write-back, one stage per cycle. Only issue waits: for
// the scoreboard, and for result-writer credits. An emitting row block claims a writer FIFO slot when its
// last tile issues; the claim is returned when its chunk enters the FIFO. `go` is a registered decision
// that only the tile walker sees (no global clock enable).
wire       go;
wire       go_ld;            // go's copy for the take / skip decision (do_load, the pass program's advance)
wire       go_sb;            // and another for the decision's copies that select the scoreboard's ready test
wire       issue_emit;
wire       issue;
wire       nx_ready;         // the current entry's sources are written (the scoreboard's register)
wire       sb_busy;
reg        pipe_busy;

// the pass being issued and its tile (lfads_tile_walker)
wire           cur_active;
wire [3:0]     cur_l;
wire [1:0]     cur_kind;
wire [15:0]    cur_t;
wire [31:0]    cur_tbase;        // first byte of bin cur_t in the spike lines
wire           cur_fac0, cur_emit;   // (cur_emit: the pass emits, nx_pemit)
wire [NSB-1:0] cur_dst;
wire [15:0]    cur_rb, cur_cb, cur_cbs;
/* verilator lint_off UNUSEDSIGNAL */
wire [2:0]     cur_seg;          // (the walker's segment index: the segment's values come as registers)
/* verilator lint_on UNUSEDSIGNAL */
wire [15:0]    cur_tile, cur_bias;
wire           cur_first;        // the issuing tile is its row block's first
wire           cur_cached, cur_cap;
wire [PB-1:0]  cur_paddr;        // the row block's projection-ring entry
wire           cur_last_cb, cur_last_rb;
wire [2:0]     cur_src;          // the issuing tile's segment: source, length, shift, slot word base (stage A)
wire [15:0]    cur_slen, cur_swb, cur_cih_f, cur_cih_b, cur_cih_v;
wire [6:0]     cur_ssh;
// Per layer, the values stage A takes by the layer (rows, row blocks per gate, the post lanes' shifts, the bias
// shift): registered with the pass by the walker (cur_ltag), so stage A reads registers, not a select by cur_l.
localparam integer LTW = 16 + 16 + 7 + 7 + 8;
wire [11*LTW-1:0] g_ltag_f;
wire [LTW-1:0]    cur_ltag;
genvar gl;
generate
for (gl = 0; gl < 11; gl = gl + 1) begin : g_ltag
    assign g_ltag_f[gl*LTW +: LTW] = {g_rows_f[gl*16 +: 16], g_rbh_f[gl*16 +: 16], g_sh1_t[gl*7 +: 7], g_sh2_t[gl*7 +: 7],
                                      g_bsh_f[gl*8 +: 8]};
end
endgenerate
wire [15:0]    cur_rows = cur_ltag[LTW-1 -: 16];
wire [15:0]    cur_rbh = cur_ltag[LTW-17 -: 16];
wire [6:0]     cur_sh1 = cur_ltag[21:15], cur_sh2 = cur_ltag[14:8];
/* verilator lint_off UNUSEDSIGNAL */
wire [7:0]     cur_bsh = cur_ltag[7:0];       // (the bias shift: its low 7 bits, as the MAC array takes it)
/* verilator lint_on UNUSEDSIGNAL */
// the pass's row blocks go to the result writer (the tag's emit field), decoded from the descriptor and registered
// with the pass by the walker (cur_emit): the credit claim at a row block's last tile is a LUT of registers
wire           nx_pemit = nx_kind != K_GA && nx_kind != K_GB
                          && ((nx_l == 4'd9) ? !nx_fac0 && nx_emit : !(nx_l == 4'd6 || nx_l == 4'd7 || nx_l == 4'd8));
lfads_tile_walker #(
    .SB_BITS(NSB),
    .PB(PB),
    .VW(VW),
    .CIH_BOFF(MAX_T_ENC),
    .LTW(LTW)
) walker (
    .clk(clk),
    .rst(rst),
    .start(seq_start),
    .win_fbase0(win_fbase0),
    .win_bbase0(win_bbase0),
    .win_pf0(win_pf0),
    .win_pb0(win_pb0),
    .enc_stride(enc_stride),
    .enc_end(enc_end),
    .proj_stride(proj_stride),
    .proj_ring(proj_ring),
    .proj_on(proj_on),
    .in_blocks(in_blocks),
    .in_blocks_p1(in_blocks_p1),
    .pad_bins(pad_bins),
    .g_rbh_f(g_rbh_f),
    .g_ncb_f(g_ncb_f),
    .g_tbase_f(g_tbase_f),
    .g_tbn_f(g_tbn_f),
    .g_bbase_f(g_bbase_f),
    .s_ncb_f(s_ncb_f),
    .s_src_f(s_src_f),
    .s_slot_f(s_slot_f),
    .s_len_f(s_len_f),
    .s_sh_f(s_sh_f),
    .ci_lag(ci_lag[15:0]),
    .g_ltag_f(g_ltag_f),
    .pc_valid(pc_valid),
    .pc_step_next(pc_step_next),
    .pc_l(pc_l),
    .pc_kind(pc_kind),
    .nx_skip(nx_skip),
    .nx_l(nx_l),
    .nx_kind(nx_kind),
    .nx_t(nx_t),
    .nx_fac0(nx_fac0),
    .nx_emit(nx_pemit),
    .nx_newest(nx_newest),
    .nx_dst(nx_dst),
    .nx_ready(nx_ready),
    .go(go),
    .go_ld(go_ld),
    .go_sb(go_sb),
    .do_load(do_load),
    .do_skip(do_skip),
    .advance(pc_advance),
    .sb_advance(sb_advance),
    .sb_load(sb_load),
    .issue(issue),
    .cur_active(cur_active),
    .cur_l(cur_l),
    .cur_kind(cur_kind),
    .cur_t(cur_t),
    .cur_tbase(cur_tbase),
    .cur_fac0(cur_fac0),
    .cur_emit(cur_emit),
    .cur_dst(cur_dst),
    .cur_rb(cur_rb),
    .cur_cb(cur_cb),
    .cur_cbs(cur_cbs),
    .cur_seg(cur_seg),
    .cur_tile(cur_tile),
    .cur_bias(cur_bias),
    .cur_first(cur_first),
    .cur_cached(cur_cached),
    .cur_cap(cur_cap),
    .cur_paddr(cur_paddr),
    .cur_last_cb(cur_last_cb),
    .cur_last_rb(cur_last_rb),
    .cur_src(cur_src),
    .cur_slen(cur_slen),
    .cur_ssh(cur_ssh),
    .cur_swb(cur_swb),
    .cur_cih_f(cur_cih_f),
    .cur_cih_b(cur_cih_b),
    .cur_cih_v(cur_cih_v),
    .cur_ltag(cur_ltag)
);
assign seq_drained = pc_at_end && !cur_active && !pipe_busy && !sb_busy;

// write-back side (declared here, driven by lfads_writeback below): a pass's last row block releases its destinations
wire           wb_valid;
wire           wb_last_rb;
wire [NSB-1:0] wb_dec;
wire           wb_busy;                  // a row block between the MAC array and the write-back

lfads_scoreboard #(
    .SB_BITS(NSB),
    .CNT_WIDTH(3),
    .FREE_WIDTH(5),
    .CLAIM_WIDTH(6),
    .CREDIT_MARGIN(CREDIT_MARGIN)
) sboard (
    .clk(clk),
    .rst(rst),
    .src_mask(nx_src),
    .first_src(pc_first_src),
    .next_src(pc_next_src),
    .start(seq_start),
    .advance(sb_advance),
    .ready_load(sb_load),
    .src_ready(nx_ready),
    .load(do_load),
    .load_dst(nx_dst),
    .release_valid(wb_valid && wb_last_rb),
    .release_mask(wb_dec),
    .busy(sb_busy),
    .claim(issue_emit),
    .chunk_done(wr_chunk_valid),
    .fifo_free(wr_fifo_free),
    .go(go),
    .go_ld(go_ld),
    .go_sb(go_sb)
);

// ---- stage A: addresses of the issued tile's column data ------------------------------------------
// The segment's values (source, length, shift, slot word base) and the pass's CI-history word bases are registers of
// the tile walker, updated with the segment (pass load, segment step, row-block restart): each address below is a
// select of registers and one adder (cur_cbs / RPC and * C are shifts: R and C are powers of two).
wire [2:0]  seg_src = cur_src;
wire [15:0] col0 = cur_cbs * C[15:0];                        // first column of this block in its segment
// (address sums in 32 bits, as the integer RPC makes them; the memories take the low bits)
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] vst_raddr_w = {16'd0, cur_swb} + {16'd0, cur_cbs} / RPC;
/* verilator lint_on UNUSEDSIGNAL */
wire [VSTB-1:0] vst_raddr = vst_raddr_w[VSTB-1:0];
// CI history: forward output cf[t - lag], backward cb[t + lag]; zero outside the encoder window
wire        cif_ok = {16'd0, cur_t} >= ci_lag && cur_t < t_enc;
wire        cib_ok = {16'd0, cur_t} + ci_lag < {16'd0, t_enc};
wire [15:0] cih_base = (seg_src == SRC_CIF) ? cur_cih_f : (seg_src == SRC_CIB) ? cur_cih_b : cur_cih_v;
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] cih_raddr_w = {16'd0, cih_base} + {16'd0, cur_cbs} / RPC;
/* verilator lint_on UNUSEDSIGNAL */
wire [CIHB-1:0] cih_raddr = cih_raddr_w[CIHB-1:0];
// spikes: bytes t*n_in + col0 ... of the trial's input
wire [31:0] spk_byte = cur_tbase + {16'd0, col0};
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] spk_line0 = spk_byte / LB;          // the spike banks take bits SPKB..1 (line / 2) and bit 0 (bank)
wire [31:0] spk_line0_p1 = spk_line0 + 32'd1;
/* verilator lint_on UNUSEDSIGNAL */
wire [15:0] cols_left = cur_slen - col0;

// tag carried through the MAC array: the vector-store addresses of the row's old state and update gate (read
// when the row block leaves the MAC array), then the fields of lfads_writeback and the post lanes' mode and shifts
// (layout: lfads_tag.vh)
localparam integer WBW = lfads_tag_wb_width(VWB, CW, CIHB, NSB);
localparam integer TAGW = lfads_tag_width(VSTB, PB, WBW);

// The tag of the issued tile is needed from stage S2 on (into the MAC array's delay), so it is formed over stages A
// and S1: stage A registers the row block against the layer's row blocks per gate (compare and difference), the
// layer's rows from the row block on, the CI-history word of the pass's step and the capture test, each one adder or
// compare behind registers (the layer's values are the walker's registers, cur_ltag); S1 forms the fields from these
// registers (a min, a word select, a decode, an add) into s1_tag, the head of the tag's shift register into the MAC
// array (an SRL's data input).
reg [3:0]       a_l = 0;
reg [1:0]       a_kind = 0;
reg             a_fac0 = 1'b0, a_emit = 1'b0, a_last_rb = 1'b0, a_cap = 1'b0, a_cap_cb = 1'b0;
reg [NSB-1:0]   a_dst = 0;
reg [CIHB-1:0]  a_rb = 0;               // the row block (its low bits: the word in the slot, the CI-history row)
reg             a_zh = 1'b0;            // GRU phase A: an update-gate row block (row block < row blocks per gate)
reg [VWB-1:0]   a_word_r = 0;           // ... its word otherwise: row block - row blocks per gate
reg [15:0]      a_rows = 0;             // the layer's rows from the row block's first on (16-bit, as is_count)
reg [CIHB-1:0]  a_cih_t = 0;            // CI-history word of the pass's step: ((MAX_T_ENC if backward) + t) * VW
reg [6:0]       a_sh1 = 0, a_sh2 = 0;
reg [PB-1:0]    a_paddr = 0;
// the layer's z and r ∘ h slots (sl_z / sl_rh: an add of the layer) registered here, so that the tag's destination
// is a select of registers (from a_l through the adds it was 3 LUT levels into the tag's SRL: 2.81 ns in the kernel)
reg [4:0]       a_sl_z = 0, a_sl_rh = 0;
always @(posedge clk) begin
    a_l <= cur_l;
    a_sl_z <= sl_z(cur_l);
    a_sl_rh <= sl_rh(cur_l);
    a_kind <= cur_kind;
    a_fac0 <= cur_fac0;
    a_emit <= cur_emit;
    a_last_rb <= cur_last_rb;
    a_dst <= cur_dst;
    a_rb <= cur_rb[CIHB-1:0];
    a_zh <= cur_rb < cur_rbh;
    a_word_r <= cur_rb[VWB-1:0] - cur_rbh[VWB-1:0];
    a_rows <= cur_rows - cur_rb * R[15:0];
    a_cih_t <= (((cur_l == 4'd3) ? MAX_T_ENC[CIHB-1:0] : {CIHB{1'b0}}) + cur_t[CIHB-1:0]) * VW[CIHB-1:0];
    a_sh1 <= cur_sh1;
    a_sh2 <= cur_sh2;
    // online: the beat that ends the newest bin's input columns captures the row block's accumulators
    a_cap <= cur_cap;
    a_cap_cb <= cur_cb == in_blocks_m1;
    a_paddr <= cur_paddr;
end

// the tag's fields, from stage A's registers
reg [1:0]  is_mode;
reg [4:0]  is_dst;
reg [VWB-1:0] is_word;
reg        is_wr_fs, is_wr_dst, is_cih_we;
reg [CW-1:0] is_count;
always @* begin
    is_word = a_rb[VWB-1:0];
    is_wr_fs = 1'b0;
    is_wr_dst = 1'b1;
    is_cih_we = 1'b0;
    is_count = (a_rows > R[15:0]) ? R[CW-1:0] : a_rows[CW-1:0];
    is_dst = sl_h(a_l);
    is_mode = M_LIN;
    case (a_kind)
        K_GA: begin
            if (a_zh) begin
                is_mode = M_Z;
                is_dst = a_sl_z;
            end else begin
                is_mode = M_R;
                is_dst = a_sl_rh;
                is_word = a_word_r;
            end
        end
        K_GB: begin
            is_mode = M_N;
            is_cih_we = a_l == 2 || a_l == 3;
        end
        default: case (a_l)
            6: is_dst = SL_ICM;
            7: is_dst = sl_h(5);
            8: is_dst = SL_CO;
            9: begin
                is_dst = SL_FV;
                is_wr_dst = !a_fac0;
                is_wr_fs = 1'b1;
            end
            default: begin
                is_wr_dst = 1'b0;
            end
        endcase
    endcase
end

// (slot * VW + word in 32 bits, as the integer VW makes it; the vector store takes the low VSTB bits)
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] is_haddr_w = {27'd0, sl_h(a_l)} * VW + {{(32-VWB){1'b0}}, is_word};
wire [31:0] is_zaddr_w = {27'd0, a_sl_z} * VW + {{(32-VWB){1'b0}}, is_word};
/* verilator lint_on UNUSEDSIGNAL */
wire [VSTB-1:0] is_haddr = is_haddr_w[VSTB-1:0];
wire [VSTB-1:0] is_zaddr = is_zaddr_w[VSTB-1:0];
wire [CIHB-1:0] is_cih_addr = a_cih_t + a_rb;
wire [WBW-1:0] is_wb = `LFADS_TAG_WB(a_last_rb, is_dst, is_word, is_wr_dst, is_wr_fs, a_emit, is_count, is_cih_we,
                                     is_cih_addr, a_dst);
assign issue_emit = issue && cur_last_cb && cur_emit;

// The column vector's zero tests are registered per column in S1 (s1_zw, s1_spk_on) from stage A's registers, and so
// are the spike window's byte selects (s1_sh_hi: 8-byte steps, s1_sh_lo: bytes): the column select is then muxes of
// registers with registered selects, split over two cycles (S1 -> S2 and the MAC array's input stage, below).
reg               a_valid = 1'b0, a_first = 1'b0, a_last = 1'b0, a_psel = 1'b0;
reg [2:0]         a_src = 0;
reg               a_cif_ok = 1'b0, a_cib_ok = 1'b0, a_tpad = 1'b0;
// (the read address registers are in lfads_vector_store: vst_raddr's; cih_raddr's is the CI history's block RAM's)
// the spike lines' registered reads (the block RAMs' latches at the 64 x 32 size): read at stage A's edge from the
// address stage A would register, as the CI history; S1's s1_spk_* are their output registers
reg [LB*8-1:0]    a_spk_even_q = 0, a_spk_odd_q = 0;
reg               a_line_odd = 1'b0;
reg [15:0]        a_slice = 0;
reg [CB-1:0]      a_cols_left = 0;      // the segment's columns from this block's first on: low bits ...
reg               a_cols_hi0 = 1'b0;    // ... and the rest zero (fewer than 2^CB columns)
reg [SHB-1:0]     a_spk_sh = 0;
reg [6:0]         a_shift = 0, a_bias_shift = 0;
always @(posedge clk) begin
    a_valid <= issue;
    a_first <= cur_first;
    a_psel <= cur_cached;
    a_last <= cur_last_cb;
    a_src <= seg_src;
    a_cif_ok <= cif_ok;
    a_cib_ok <= cib_ok;
    a_tpad <= cur_t < pad_bins;
    a_spk_even_q <= spk_even[spk_line0_p1[SPKB:1]];   // line (spk_line0 + 1) >> 1
    a_spk_odd_q <= spk_odd[spk_line0[SPKB:1]];        // line spk_line0 >> 1
    a_line_odd <= spk_line0[0];
    a_slice <= cur_cbs % RPC[15:0];
    a_spk_sh <= spk_byte[SHB-1:0];
    a_cols_left <= cols_left[CB-1:0];
    a_cols_hi0 <= cols_left[15:CB] == 0;
    a_shift <= cur_ssh;
    a_bias_shift <= cur_bsh[6:0];
end

wire            is_pcap = a_valid && a_cap && a_cap_cb;
wire [TAGW-1:0] is_tag = `LFADS_TAG(is_haddr, is_zaddr, is_mode, a_sh1, a_sh2, is_pcap, a_paddr, is_wb);

// ---- stage S1: registered reads (vector store, CI history, spike lines) ------------------------------
reg               s1_valid = 1'b0, s1_first = 1'b0, s1_last = 1'b0, s1_psel = 1'b0;
reg               s1_is_cih = 1'b0;
reg [C-1:0]       s1_zw = 0;             // column c's word part is zero: a spike source, or column c is zero (beyond
reg [C-1:0]       s1_spk_on = 0;         // the segment's columns, or a zero source); column c takes a spike byte
wire [R*W-1:0]    s1_vst;                // lfads_vector_store's registered reads at vst_raddr / cih_raddr
wire [R*W-1:0]    s1_cih;
reg [15:0]        s1_slice = 0;
reg [LB*8-1:0]    s1_spk_even = 0, s1_spk_odd = 0;
// the spike window's byte selects: per reachable byte k < C + 7 its 8-byte step and bank (the odd bank's line when
// the byte is in the line after the first one in the odd bank, or in the first line while the odd bank holds it),
// then per column its byte step; one register per select, not merged (keep on their process for Yosys, which merges
// equal flip-flops despite a keep on the register)
reg [(C+7)*SHH-1:0] s1_sh_hi = 0;
reg [C+6:0]       s1_bank = 0;
reg [3*C-1:0]     s1_sh_lo = 0;
reg [6:0]         s1_shift = 0;
reg [6:0]         s1_bias_shift = 0;
reg [TAGW-1:0]    s1_tag = 0;
always @(posedge clk) begin : s1_regs
    integer c;
    reg kill;
    s1_valid <= a_valid;
    s1_first <= a_first;
    s1_psel <= a_psel;
    s1_last <= a_last;
    s1_is_cih <= a_src == SRC_CIF || a_src == SRC_CIB;
    for (c = 0; c < C; c = c + 1) begin
        kill = (a_src == SRC_CIF && !a_cif_ok) || (a_src == SRC_CIB && !a_cib_ok) || (a_src == SRC_SPK && a_tpad)
               || (a_cols_hi0 && a_cols_left <= c[CB-1:0]);
        s1_zw[c] <= kill || a_src == SRC_SPK;
        s1_spk_on[c] <= !kill && a_src == SRC_SPK;
    end
    s1_slice <= a_slice;
    s1_spk_even <= a_spk_even_q;
    s1_spk_odd <= a_spk_odd_q;
    s1_shift <= a_shift;
    s1_bias_shift <= a_bias_shift;
    s1_tag <= is_tag;
end
(* keep = "true" *) always @(posedge clk) begin : s1_selects
    integer k, c;
    for (k = 0; k < C + 7; k = k + 1) begin
        s1_sh_hi[k*SHH +: SHH] <= a_spk_sh[SHB-1 -: SHH];
        s1_bank[k] <= a_line_odd != ({{(32-SHH){1'b0}}, a_spk_sh[SHB-1 -: SHH]} * 8 + k >= LB);
    end
    for (c = 0; c < C; c = c + 1)
        s1_sh_lo[c*3 +: 3] <= a_spk_sh[2:0];
end

// ---- stage S2: the column vector in two halves, registered in X_COPIES copies ---------------------------
// Column c takes byte sh + c of the spike window (sh: the first column's byte in the first line; the window's bytes
// past the line are the next line's, in the other bank) or the vector word's slice, or zero. The select is split over
// two cycles so that neither is deeper than a 16:1 mux (a 128:1 byte select and the slice / zero select in one cycle
// were 2.96 ns at 64 x 32, three LUT + MUXF7-9 levels):
//   S1 -> S2: the spike bytes any column can reach (coarse: the C + 7 bytes from the 8-byte step of sh, each a 16:1
//             select of step and bank), and each column's word value (its slice of the vector-store or CI-history
//             word, zero when the column takes a spike byte or is zero: s1_zw);
//   at the MAC array's input (x_final, after S2 or after the crossing stage S3): the byte step within 8 (8:1) for a
//             column that takes a spike byte (its word value then zero), else the word value.
// The column vector's bundle (S2 / S3 registers): {per column: spike on, byte step; word values; coarse bytes}.
localparam integer XBW = 4 * C + C * XW + (C + 7) * 8;
reg [XBW-1:0] s1_xb;
always @* begin : colvec
    integer c, k, m, j;
    reg [(C+7)*8-1:0] coarse;
    reg [C*XW-1:0] xw;
    reg [4*C-1:0] xs;
    reg [R*W-1:0] word;
    coarse = 0;
    for (k = 0; k < C + 7; k = k + 1)
        for (m = 0; m < (1 << SHH); m = m + 1) begin
            j = (k + 8 * m) % LB;
            if (s1_sh_hi[k*SHH +: SHH] == m[SHH-1:0])
                coarse[k*8 +: 8] = s1_bank[k] ? s1_spk_odd[j*8 +: 8] : s1_spk_even[j*8 +: 8];
        end
    word = s1_is_cih ? s1_cih : s1_vst;
    for (c = 0; c < C; c = c + 1) begin
        xw[c*XW +: XW] = s1_zw[c] ? {XW{1'b0}} : {word[(s1_slice*C + c)*W + W - 1], word[(s1_slice*C + c)*W +: W]};
        xs[c*4 +: 4] = {s1_spk_on[c], s1_sh_lo[c*3 +: 3]};
    end
    s1_xb = {xs, xw, coarse};
end

// the column vector from a bundle: per column, its byte of the coarse window or its word value (zero-extended byte:
// spike counts are unsigned)
function [C*XW-1:0] x_final(input [XBW-1:0] b);
    integer c, f;
    reg [7:0] sb;
    reg [3:0] xs;
    reg [XW-1:0] xw;
    begin
        for (c = 0; c < C; c = c + 1) begin
            xs = b[(C+7)*8 + C*XW + c*4 +: 4];
            xw = b[(C+7)*8 + c*XW +: XW];
            sb = 8'd0;
            for (f = 0; f < 8; f = f + 1)
                if (xs[2:0] == f[2:0]) sb = b[(c + f)*8 +: 8];
            x_final[c*XW +: XW] = {xw[XW-1:8], xs[3] ? sb : xw[7:0]};
        end
    end
endfunction

reg               s2_valid = 1'b0, s2_first = 1'b0, s2_last = 1'b0, s2_psel = 1'b0;
reg [6:0]         s2_shift = 0, s2_bias_shift = 0;
reg [TAGW-1:0]    s2_tag = 0;
wire [X_COPIES*XBW-1:0] s2_xb;
always @(posedge clk) begin
    s2_valid <= s1_valid;
    s2_first <= s1_first;
    s2_psel <= s1_psel;
    s2_last <= s1_last;
    s2_shift <= s1_shift;
    s2_bias_shift <= s1_bias_shift;
    s2_tag <= s1_tag;
end
genvar gx;
generate
for (gx = 0; gx < X_COPIES; gx = gx + 1) begin : g_xcopy
    // one copy per group of rows; keep: synthesis must not merge the copies back into one register
    (* keep = "true" *) reg [XBW-1:0] x = 0;
    always @(posedge clk) x <= s1_xb;
    assign s2_xb[gx*XBW +: XBW] = x;
end
endgenerate

// ---- stage S3 (SLR_CROSSING_STAGES = 1): the MAC array's input, one flip-flop hop from S2 --------------
// The column vector crosses to the far SLR as a plain register-to-register hop: S2's copy of a group of rows (loaded
// through the column select's first half, in the engine's SLR) drives only that group's S3 copy (x_rx: copies
// X_COPIES/2.. sit with their rows in the far SLR, hdl/vivado/slr_pblocks.tcl), whose select's second half (x_final,
// in the same generate block, so in the same SLR) drives the rows' DSP B registers. The rest of S2 moves along with
// it, and the weight and projection lanes read one cycle later (g_slr_issue below).
// mi_*: the MAC array's input stage (S2 without the crossing stage, S3 with it).
wire             mi_valid, mi_first, mi_last, mi_psel;
wire [6:0]       mi_shift, mi_bias_shift;
wire [TAGW-1:0]  mi_tag;
wire [X_COPIES*C*XW-1:0] mi_x;
generate
if (XS != 0) begin : g_s3
    reg               s3_valid = 1'b0, s3_first = 1'b0, s3_last = 1'b0, s3_psel = 1'b0;
    reg [6:0]         s3_shift = 0, s3_bias_shift = 0;
    reg [TAGW-1:0]    s3_tag = 0;
    always @(posedge clk) begin
        s3_valid <= s2_valid;
        s3_first <= s2_first;
        s3_psel <= s2_psel;
        s3_last <= s2_last;
        s3_shift <= s2_shift;
        s3_bias_shift <= s2_bias_shift;
        s3_tag <= s2_tag;
    end
    assign mi_valid = s3_valid;
    assign mi_first = s3_first;
    assign mi_last = s3_last;
    assign mi_psel = s3_psel;
    assign mi_shift = s3_shift;
    assign mi_bias_shift = s3_bias_shift;
    assign mi_tag = s3_tag;
    for (gx = 0; gx < X_COPIES; gx = gx + 1) begin : g_xrx
        (* keep = "true" *) reg [XBW-1:0] x_rx = 0;
        wire [C*XW-1:0] x_sel = x_final(x_rx);
        always @(posedge clk) x_rx <= s2_xb[gx*XBW +: XBW];
        assign mi_x[gx*C*XW +: C*XW] = x_sel;
    end
end else begin : g_no_s3
    assign mi_valid = s2_valid;
    assign mi_first = s2_first;
    assign mi_last = s2_last;
    assign mi_psel = s2_psel;
    assign mi_shift = s2_shift;
    assign mi_bias_shift = s2_bias_shift;
    assign mi_tag = s2_tag;
    for (gx = 0; gx < X_COPIES; gx = gx + 1) begin : g_xsel
        wire [C*XW-1:0] x_sel = x_final(s2_xb[gx*XBW +: XBW]);
        assign mi_x[gx*C*XW +: C*XW] = x_sel;
    end
end
endgenerate

// The weight and projection lanes' read requests: the walker's registers through a LUT or two (issue, and the
// projection read's enable) without the crossing stage; with it (the lanes read a cycle later, in step with S3), plain
// flip-flops in the engine's SLR, one copy for the near lanes ([0]) and one for the far SLR's ([1]), each driving
// only its lanes' own request registers (lfads_weight_lane rd_*, lfads_proj_lane r_*).
localparam integer LI_N = (FAR_ROW < R) ? 2 : 1;
wire [LI_N-1:0]    li_adv, li_first, li_prd;
wire [LI_N*16-1:0] li_tile, li_bias;
wire [LI_N*PB-1:0] li_paddr;
generate
if (XS != 0) begin : g_slr_issue
    (* keep = "true", shreg_extract = "no" *) reg [LI_N-1:0]    adv = 0, first = 0, prd = 0;
    (* keep = "true", shreg_extract = "no" *) reg [LI_N*16-1:0] tile = 0, bias = 0;
    (* keep = "true", shreg_extract = "no" *) reg [LI_N*PB-1:0] paddr = 0;
    (* keep = "true" *) always @(posedge clk) begin : slr_tx
        integer h;
        for (h = 0; h < LI_N; h = h + 1) begin
            adv[h] <= issue;
            first[h] <= cur_first;
            prd[h] <= issue && cur_first && cur_cached;
            tile[h*16 +: 16] <= cur_tile;
            bias[h*16 +: 16] <= cur_bias;
            paddr[h*PB +: PB] <= cur_paddr;
        end
    end
    assign li_adv = adv;
    assign li_first = first;
    assign li_prd = prd;
    assign li_tile = tile;
    assign li_bias = bias;
    assign li_paddr = paddr;
end else begin : g_issue_direct
    assign li_adv = {LI_N{issue}};
    assign li_first = {LI_N{cur_first}};
    assign li_prd = {LI_N{issue && cur_first && cur_cached}};
    assign li_tile = {LI_N{cur_tile}};
    assign li_bias = {LI_N{cur_bias}};
    assign li_paddr = {LI_N{cur_paddr}};
end
endgenerate

// Image-load writes, the post lanes' configuration and the h0 copy's read address, to the lanes: the loader's weight /
// bias / h0 / activation-table writes, the run FSM's clear and cfg_* and its h0 copy counter (cp_ctr) are registers of
// the engine's SLR; with the crossing stages each lane group takes them through a receiving register of its own (near
// lanes [0], far SLR's [1]: vivado/slr_pblocks.tcl places it there), so the hop is flip-flop -> flip-flop, and the
// per-lane compares (wm_r / el_r == lane) come after it, inside each weight lane (so in the lane's SLR: logic of the
// engine's own scope would be placed with the engine), before the lane's own write register. The
// writes land a cycle later (image load only; the h0 copy, at trial start, is met below by a write enable / address
// delayed a further cycle): no per-trial or per-bin cycle count changes.
localparam integer LX_W = 1 + 16 + 1 + TB + 16 + 16 + 1 + RBB + 1 + H0B + 16 + W + 1 + (KT + 1) + 2 * W + 5 + 6 + W + H0B;
wire [LX_W-1:0]      lx_src = {clr_we, clr_addr, wm_we, wm_addr, wm_r, wm_c, bm_we, bm_addr, h0_we, h0_addr, el_r, el_data,
                               tab_we, tab_addr, tab_data, cfg_k, cfg_fs, cfg_clip, cp_ctr[H0B-1:0]};
wire [LI_N*LX_W-1:0] lx_bus;
genvar glx;
generate
if (XS != 0) begin : g_slr_load
    for (glx = 0; glx < LI_N; glx = glx + 1) begin : g_rx
        (* keep = "true", shreg_extract = "no" *) reg [LX_W-1:0] q = 0;
        (* keep = "true" *) always @(posedge clk) q <= lx_src;
        assign lx_bus[glx*LX_W +: LX_W] = q;
    end
end else begin : g_load_direct
    assign lx_bus = {LI_N{lx_src}};
end
endgenerate

// weight tiles and biases: one memory per row lane (read in step with the stages up to the MAC array's input, mi_*)
wire [R*C*W-1:0] mi_w;
wire [R*W-1:0]   mi_bias;
wire [R*ACC_WIDTH-1:0] mi_proj;          // projection-ring reads (in step with the weight lanes)
wire [R*W-1:0]   h0_rdata;
wire [R*W-1:0]   wb_values;              // the results at the write-back (g_wb_rx below)
wire [R*W-1:0]   wb_values2;
wire [R*W-1:0]   wb_lane_values;         // the post lanes' outputs
wire [R*W-1:0]   wb_lane_values2;
/* verilator lint_off UNUSEDSIGNAL */
wire [R-1:0]     wb_valid_lanes;         // (the lanes' out_valid: the engine does not read it, the lane bench does)
/* verilator lint_on UNUSEDSIGNAL */
wire             mac_valid, mac_valid_far;
wire             mac_busy;
wire [R*ACC_WIDTH-1:0] mac_acc;
// the MAC array carries the tag's low part only (`LFADS_TAG_MAC, lfads_tag.vh): the h / z addresses and the shifts are
// taken before it (hz_next_d, sh_next_d below)
localparam integer MTW = lfads_tag_mac_width(PB, WBW);
wire [MTW-1:0]   mac_tag;

// ---- post-lane inputs: the row's old state and update gate, a registered read addressed by the tag ----
wire            mt_last_rb;
wire [1:0]      mt_mode;
wire [4:0]      mt_dst;
wire [VWB-1:0]  mt_word;
wire            mt_wr_dst, mt_wr_fs, mt_emit, mt_cih_we;
wire [CW-1:0]   mt_count;
wire [CIHB-1:0] mt_cih_addr;
wire [NSB-1:0]  mt_dec;
wire            mt_pcap;
wire [PB-1:0]   mt_paddr;
wire [WBW-1:0]  mt_wb;
assign `LFADS_TAG_MAC(mt_mode, mt_pcap, mt_paddr, mt_wb) = mac_tag;
// the far SLR's lanes: their own copy of the tag's lane part (mode, projection capture and ring address: the fields
// above the write-back part, lfads_tag.vh), unpacked through the same layout
localparam integer LT_W = MTW - WBW;
wire [LT_W-1:0] mac_lane_tag_far;
wire [1:0]      mf_mode;
wire            mf_pcap;
wire [PB-1:0]   mf_paddr;
/* verilator lint_off UNUSEDSIGNAL */
wire [WBW-1:0]  mf_wb;                   // (zero: the far copy holds only the lanes' part)
/* verilator lint_on UNUSEDSIGNAL */
assign `LFADS_TAG_MAC(mf_mode, mf_pcap, mf_paddr, mf_wb) = {mac_lane_tag_far, {WBW{1'b0}}};
assign `LFADS_TAG_WB(mt_last_rb, mt_dst, mt_word, mt_wr_dst, mt_wr_fs, mt_emit, mt_count, mt_cih_we, mt_cih_addr,
                     mt_dec) = mt_wb;
// lfads_vector_store's registered reads at the tag's h / z addresses (mt_haddr / mt_zaddr), which the store registers
// itself: they are given a cycle before mac_tag, mi_tag's top bits delayed MAC_LAT - 1 cycles (the MAC array delays
// its tag MAC_LAT cycles and never stalls)
wire [R*W-1:0] hz_h, hz_z;
reg [2*VSTB-1:0] hz_next_d [1:MAC_LAT-1];
integer hz_i;
initial for (hz_i = 1; hz_i < MAC_LAT; hz_i = hz_i + 1) hz_next_d[hz_i] = 0;
always @(posedge clk) begin
    hz_next_d[1] <= mi_tag[TAGW-1 -: 2*VSTB];
    for (hz_i = 2; hz_i < MAC_LAT; hz_i = hz_i + 1) hz_next_d[hz_i] <= hz_next_d[hz_i-1];
end
// (plain wires for the store's ports: Yosys 0.23's `hierarchy -libdir` re-elaborates a module whose port connection
// indexes a memory word and then fails on the duplicate module)
wire [VSTB-1:0] hz_haddr_next = hz_next_d[MAC_LAT-1][2*VSTB-1 -: VSTB];
wire [VSTB-1:0] hz_zaddr_next = hz_next_d[MAC_LAT-1][VSTB-1:0];
// the post lanes' requantize shift amounts, likewise a cycle before mac_tag (each lane registers them alongside the
// accumulator, so that its two-stage shift selects from registers of its own). The delay line's last stage is a plain
// flip-flop per lane group (sh_tx: keep, not the end of an SRL, ~0.9 ns clock-to-out, nor one register for both
// groups), the sending side of the shifts' SLR crossing: the far lanes' r0 / r0b are the receiving registers.
reg [13:0] sh_next_d [1:MAC_LAT-2];
integer sh_i;                            // (not hz_i: Yosys takes an initial loop's last value as the variable's init)
initial for (sh_i = 1; sh_i < MAC_LAT - 1; sh_i = sh_i + 1) sh_next_d[sh_i] = 0;
always @(posedge clk) begin
    sh_next_d[1] <= mi_tag[TAGW-1-2*VSTB -: 14];
    for (sh_i = 2; sh_i < MAC_LAT - 1; sh_i = sh_i + 1) sh_next_d[sh_i] <= sh_next_d[sh_i-1];
end
wire [LI_N*14-1:0] sh_next_g;            // group h: {shift1, shift2} of copy h
generate
for (glx = 0; glx < LI_N; glx = glx + 1) begin : g_sh_tx
    (* keep = "true", shreg_extract = "no" *) reg [13:0] q = 0;
    (* keep = "true" *) always @(posedge clk) q <= sh_next_d[MAC_LAT-2];
    assign sh_next_g[glx*14 +: 14] = q;
end
endgenerate

genvar gr;
generate
for (gr = 0; gr < R; gr = gr + 1) begin : g_lane
    // lanes FAR_ROW.. (the far SLR with the crossing stages) take the crossing signals from their own copies
    localparam FAR = gr >= FAR_ROW;
    wire          ln_valid = FAR ? mac_valid_far : mac_valid;
    wire [1:0]    ln_mode = FAR ? mf_mode : mt_mode;
    wire          ln_pcap = FAR ? mf_pcap : mt_pcap;
    wire [PB-1:0] ln_paddr = FAR ? mf_paddr : mt_paddr;
    localparam integer LI = (FAR && LI_N > 1) ? 1 : 0;
    // this lane group's copy of the image-load writes, configuration and h0 read address (g_slr_load above)
    wire           lx_clr_we, lx_wm_we, lx_bm_we, lx_h0_we, lx_tab_we;
    wire [15:0]    lx_clr_addr, lx_wm_r, lx_wm_c, lx_el_r;
    wire [TB-1:0]  lx_wm_addr;
    wire [RBB-1:0] lx_bm_addr;
    wire [H0B-1:0] lx_h0_addr, lx_h0_raddr;
    wire [W-1:0]   lx_el_data, lx_cfg_clip;
    wire [KT:0]    lx_tab_addr;
    wire [2*W-1:0] lx_tab_data;
    wire [4:0]     lx_cfg_k;
    wire [5:0]     lx_cfg_fs;
    assign {lx_clr_we, lx_clr_addr, lx_wm_we, lx_wm_addr, lx_wm_r, lx_wm_c, lx_bm_we, lx_bm_addr, lx_h0_we, lx_h0_addr,
            lx_el_r, lx_el_data, lx_tab_we, lx_tab_addr, lx_tab_data, lx_cfg_k, lx_cfg_fs, lx_cfg_clip, lx_h0_raddr} =
           lx_bus[LI*LX_W +: LX_W];
    lfads_weight_lane #(
        .COL_LANES(C),
        .DATA_WIDTH(W),
        .MAX_TILES(MAX_TILES),
        .MAX_ROW_BLOCKS(MAX_ROW_BLOCKS),
        .H0_DEPTH(H0_DEPTH),
        .TB(TB),
        .RBB(RBB),
        .H0B(H0B),
        .LANE(gr)
    ) mem (
        .clk(clk),
        .clr_we(lx_clr_we),
        .clr_addr(lx_clr_addr),
        .el_data(lx_el_data),
        .wm_we(lx_wm_we),
        .wm_addr(lx_wm_addr),
        .wm_r(lx_wm_r),
        .wm_c(lx_wm_c),
        .bm_we(lx_bm_we),
        .bm_addr(lx_bm_addr),
        .h0_we(lx_h0_we),
        .h0_addr(lx_h0_addr),
        .el_r(lx_el_r),
        .adv(li_adv[LI]),
        .tile(li_tile[LI*16 +: 16]),
        .bias(li_bias[LI*16 +: 16]),
        .bias_first(li_first[LI]),
        .h0_raddr({{(16-H0B){1'b0}}, lx_h0_raddr}),
        .w_q(mi_w[gr*C*W +: C*W]),
        .b_q(mi_bias[gr*W +: W]),
        .h0_rdata(h0_rdata[gr*W +: W])
    );

    // online: the row's input projection of every encoder row block of every bin in the window; written when the
    // capture beat leaves the MAC array (mac_acc then holds W_ih x + b), read at a cached row block's first tile
    lfads_proj_lane #(
        .ACC_WIDTH(ACC_WIDTH),
        .DEPTH(PROJ_DEPTH),
        .AW(PB)
    ) pring (
        .clk(clk),
        .wr_en(ln_pcap),
        .wr_addr(ln_paddr),
        .wr_data(mac_acc[gr*ACC_WIDTH +: ACC_WIDTH]),
        .rd_en(li_prd[LI]),
        .rd_addr(li_paddr[LI*PB +: PB]),
        .rd_q(mi_proj[gr*ACC_WIDTH +: ACC_WIDTH])
    );

    wire signed [W-1:0] lane_out, lane_out2;
    lfads_post_lane #(
        .DATA_WIDTH(W),
        .ACC_WIDTH(ACC_WIDTH),
        .MAX_ACT_SEG_BITS(MAX_ACT_SEG_BITS)
    ) post (
        .clk(clk),
        .tab_we(lx_tab_we),
        .tab_waddr(lx_tab_addr),
        .tab_wdata(lx_tab_data),
        .cfg_seg_bits(lx_cfg_k),
        .cfg_frac_state(lx_cfg_fs),
        .cfg_clip_q(lx_cfg_clip),
        .in_valid(ln_valid),
        .in_acc(mac_acc[gr*ACC_WIDTH +: ACC_WIDTH]),
        .in_mode(ln_mode),
        .in_shift1_next(sh_next_g[LI*14+7 +: 7]),
        .in_shift2_next(sh_next_g[LI*14 +: 7]),
        .in_h(hz_h[gr*W +: W]),
        .in_z(hz_z[gr*W +: W]),
        .out_valid(wb_valid_lanes[gr]),
        .out_value(lane_out),
        .out_value2(lane_out2)
    );
    assign wb_lane_values[gr*W +: W] = lane_out;
    assign wb_lane_values2[gr*W +: W] = lane_out2;
end
endgenerate

// The results' crossing (SLR_CROSSING_STAGES = 1): every lane's output enters a register of the engine's SLR
// (wb_rx: one per lane, beside the write-back; the far lanes' outputs cross the boundary into it) before the vector
// store's write port, the CI history and the result chunk; the write-back's field delay is one stage longer to match.
generate
for (gr = 0; gr < R; gr = gr + 1) begin : g_wb_rx
    if (XS != 0) begin : g_reg
        (* keep = "true", shreg_extract = "no" *) reg [W-1:0] v = 0, v2 = 0;
        always @(posedge clk) begin
            v <= wb_lane_values[gr*W +: W];
            v2 <= wb_lane_values2[gr*W +: W];
        end
        assign wb_values[gr*W +: W] = v;
        assign wb_values2[gr*W +: W] = v2;
    end else begin : g_wire
        assign wb_values[gr*W +: W] = wb_lane_values[gr*W +: W];
        assign wb_values2[gr*W +: W] = wb_lane_values2[gr*W +: W];
    end
end
endgenerate

lfads_mac_array #(
    .ROW_LANES(R),
    .COL_LANES(C),
    .DATA_WIDTH(W),
    .X_WIDTH(XW),
    .ACC_WIDTH(ACC_WIDTH),
    .SHIFT_WIDTH(7),
    .TAG_WIDTH(MTW),
    .X_COPIES(X_COPIES),
    .FAR_ROW(FAR_ROW),
    .LANE_TAG_LSB(WBW),
    .LANE_TAG_WIDTH(LT_W)
) mac (
    .clk(clk),
    .in_valid(mi_valid),
    .in_first(mi_first),
    .in_last(mi_last),
    .in_w(mi_w),
    .in_x(mi_x),
    .in_shift(mi_shift),
    .in_bias(mi_bias),
    .in_bias_shift(mi_bias_shift),
    .in_proj(mi_proj),
    .in_proj_sel(mi_psel),
    .in_tag(mi_tag[MTW-1:0]),
    .out_valid(mac_valid),
    .out_acc(mac_acc),
    .out_tag(mac_tag),
    .out_valid_far(mac_valid_far),
    .out_lane_tag_far(mac_lane_tag_far),
    .out_busy(mac_busy)
);

always @* pipe_busy = a_valid || s1_valid || s2_valid || mi_valid || mac_busy || mac_valid || wb_busy;

// write-back: the row block's fields travel alongside the post lanes to the vector store, CI history, result writer
wire            wb_vst_we_next, wb_fs_we_next, wb_cih_we;
wire [VSTB-1:0] wb_vst_addr_next, wb_fs_addr_next;
wire [CIHB-1:0] wb_cih_addr;
wire [R*W-1:0]  wb_vst_data, wb_fs_data, wb_cih_data;
lfads_writeback #(
    .ROW_LANES(R),
    .DATA_WIDTH(W),
    .POST_LATENCY(POST_LAT + WB_XS),  // the post lanes, then the results' crossing register (g_wb_rx)
    .SLOT_WORDS(VW),
    .WORD_WIDTH(VWB),
    .VST_ADDR_WIDTH(VSTB),
    .FS_SLOT(SL_FS),
    .CIH_ADDR_WIDTH(CIHB),
    .SB_BITS(NSB)
) wback (
    .clk(clk),
    .rst(rst),
    .in_valid(mac_valid),
    .in_last_rb(mt_last_rb),
    .in_dst(mt_dst),
    .in_word(mt_word),
    .in_wr_dst(mt_wr_dst),
    .in_wr_fs(mt_wr_fs),
    .in_emit(mt_emit),
    .in_count(mt_count),
    .in_cih_we(mt_cih_we),
    .in_cih_addr(mt_cih_addr),
    .in_dec(mt_dec),
    .lane_values(wb_values),
    .lane_values2(wb_values2),
    .out_valid(wb_valid),
    .out_last_rb(wb_last_rb),
    .out_dec(wb_dec),
    .busy(wb_busy),
    .vst_we_next(wb_vst_we_next),
    .vst_addr_next(wb_vst_addr_next),
    .vst_data(wb_vst_data),
    .fs_we_next(wb_fs_we_next),
    .fs_addr_next(wb_fs_addr_next),
    .fs_data(wb_fs_data),
    .cih_we(wb_cih_we),
    .cih_addr(wb_cih_addr),
    .cih_data(wb_cih_data),
    .chunk_valid(wr_chunk_valid),
    .chunk_data(wr_chunk_data),
    .chunk_count(wr_chunk_count)
);

// vector store and CI history: the write-back's results, and the h0 copy at trial start (h0 memory word
// cp_ctr = layer * VW + word -> state slot of that layer). The store registers the state slots' addresses and write
// enables itself (replicated per column group of its LUTRAM): they are given a cycle early (*_next). The lanes
// register their h0 reads (h0_rdata is the word at cp_ctr a cycle later; with the crossing stages two cycles, their
// read address a register of their own group, g_slr_load), so the copy's enable and address are delayed as many cycles
// here (cp_we_d / cp_addr_d, and cp_we_d2 / cp_addr_d2) to meet its data, and the h0 port is registered whole (data
// too): the copy lands two (three) cycles after cp_ctr, while the pipeline is drained and before the trial's first
// pass (ST_IN waits for cp_ctr == FFFF, then seq_start), so no read sees the difference (the co-simulation checks every
// state read; with the enable delayed only once it reports mismatches).
reg            cp_we_d = 1'b0;
reg [VSTB-1:0] cp_addr_d = 0;
reg            cp_we_d2 = 1'b0;
reg [VSTB-1:0] cp_addr_d2 = 0;
always @(posedge clk) begin
    cp_we_d <= !rst && cp_ctr != 16'hFFFF;
    cp_addr_d <= cp_ctr[VSTB-1:0];
    cp_we_d2 <= !rst && cp_we_d;
    cp_addr_d2 <= cp_addr_d;
end
wire            cp_we_h0 = (XS != 0) ? cp_we_d2 : cp_we_d;
wire [VSTB-1:0] cp_addr_h0 = (XS != 0) ? cp_addr_d2 : cp_addr_d;
lfads_vector_store #(
    .WIDTH(R * W),
    .DEPTH(VST_DEPTH),
    .ADDR_WIDTH(VSTB),
    .CIH_DEPTH(CIH_DEPTH),
    .CIH_ADDR_WIDTH(CIHB)
) vstore (
    .clk(clk),
    .wb_we_next(wb_vst_we_next),
    .wb_addr_next(wb_vst_addr_next),
    .wb_data(wb_vst_data),
    .fs_we_next(wb_fs_we_next),
    .fs_addr_next(wb_fs_addr_next),
    .fs_data(wb_fs_data),
    .h0_we_next(cp_we_h0),
    .h0_addr_next(cp_addr_h0),
    .h0_data_next(h0_rdata),
    .col_addr_next(vst_raddr),
    .col_data(s1_vst),
    .h_addr_next(hz_haddr_next),
    .h_data(hz_h),
    .z_addr_next(hz_zaddr_next),
    .z_data(hz_z),
    .cih_we(wb_cih_we),
    .cih_waddr(wb_cih_addr),
    .cih_wdata(wb_cih_data),
    .cih_raddr_next(cih_raddr),
    .cih_rdata(s1_cih)
);

`ifndef SYNTHESIS
// The CI history is read at stage A's edge (the block RAM's registered read; S1's register is its output register),
// where it was read at S1's: the word as it was before stage A's edge. That is the same word unless a write lands on
// it at that edge, which the scoreboard rules out (a pass that reads the CI history loads only when the CI encoders'
// passes have been released at their last write-back, and issues two cycles after that at the earliest). Checked:
always @(posedge clk) begin : cih_read_check
    if (issue && ((seg_src == SRC_CIF && cif_ok) || (seg_src == SRC_CIB && cib_ok))
        && wb_cih_we && wb_cih_addr == cih_raddr) begin
        $display("ERROR lfads_engine: CI-history word %0d read in the cycle it is written, at %0t", cih_raddr, $time);
        $finish;
    end
end
`endif

`ifndef SYNTHESIS
// The spike lines are read at stage A's edge, where they were read at S1's (as the CI history above): a beat written
// at stage A's edge into a line being read would not be seen. Never: lfads_run_fsm takes a trial's or bin's input
// lines (ST_IN) before it starts the pass sequencer (ST_RUN), which it leaves only when the sequence has drained.
// Checked:
always @(posedge clk) begin : spk_read_check
    if (issue && seg_src == SRC_SPK && in_beat
        && ((in_line[0] && in_line[SPKB:1] == spk_line0[SPKB:1])
            || (!in_line[0] && in_line[SPKB:1] == spk_line0_p1[SPKB:1]))) begin
        $display("ERROR lfads_engine: spike line %0d read in the cycle it is written, at %0t", in_line[SPKB:0], $time);
        $finish;
    end
end
`endif

`undef LFADS_HDR
`undef LFADS_HDR16
endmodule

`resetall
