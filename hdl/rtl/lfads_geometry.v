// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Layer geometry of lfads_engine, latched from the image header once per image load (docs/kernel-numerics.md,
 * hdl/README.md "Schedule"). Eleven layers: the four encoder GRUs (IC forward / backward, CI forward / backward),
 * controller GRU, generator GRU, and the linear layers IC -> g0 mean, g0 mean -> g0, controller output, factors,
 * log-rates. Per layer: rows per gate, row blocks (of ROW_LANES rows), column blocks (of COL_LANES columns), first
 * tile and first bias row block in the weight lanes' memories, the bias and output requantize shifts; per layer up
 * to four non-empty column segments (spikes, a vector-store slot, the CI history, the layer's own hidden state):
 * their source, slot, length, column blocks, first column block and accumulator alignment shift.
 *
 * `latch` starts the walk: the layers enter a pipeline one a cycle (each layer's entries depend only on the header
 * and on the running totals, which are single accumulators in their own stages), nine register stages deep, a few
 * LUT levels each (issue 13 point 2: <= 2.8 ns estimated); `busy` is high from the cycle after `latch` until the
 * last layer has left the pipeline: 11 + 9 - 1 = 19 cycles (was 11). It runs
 * once per image load (the engine's ST_GEO waits for `busy` to fall), outside every trial's CYCLES.
 * `tiles` / `row_blocks_total` are then the image's tile and bias row-block counts, which the engine checks
 * against its memories. The tables are outputs as flat vectors (entry i of a table of B-bit entries at bits
 * [i*B +: B]); the engine indexes them where it read its arrays before. A segment entry a layer does not use
 * (index >= its segment count) keeps what it held.
 *
 * Stages (layer l in stage k one cycle after stage k-1):
 *   1  the layer's header fields (11:1 selects by the layer counter): rows, accumulator / bias / output fractions,
 *      four raw segments {source, slot, length (0: none), state fraction, weight-section fraction}
 *   2  row blocks (rows + R - 1) >> log2 R, column blocks per segment, fraction differences (8 bits)
 *   3  alignment shifts (second subtraction), pair sums of column blocks, segment count and compaction selects
 *   4  first column block per segment (prefix sums), column blocks of the layer
 *   5  per-layer tables written; compacted segments registered; DSP48E2 operand registers (rbh, ncb);
 *      gates x rbh (x + 2x)
 *   6  segment tables written; rbh x ncb (MREG); bias row-block total and first bias row block
 *   7  product register (PREG)
 *   8  tiles per gate written; gates x product (x + 2x)
 *   9  tile total, first tile and gate-n tile
 *
 * Slot and source numbers are the engine's (lfads_engine.v "slot numbers of the vector store", "column-segment
 * sources"): both files must agree.
 */
module lfads_geometry #
(
    parameter ROW_LANES = 8,
    parameter COL_LANES = 4,
    // bits of hdr_bits: 32 * (LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT) (lfads_engine HDR_KEEP)
    parameter HDR_BITS = 32 * 184
)
(
    input  wire                          clk,
    input  wire                          latch,
    // the header words the engine keeps (lfads_engine hdr_bits)
    input  wire [HDR_BITS-1:0]           hdr_bits,
    output reg                           busy,
    output reg  [31:0]                   tiles,
    output reg  [31:0]                   row_blocks_total,
    output wire [11*16-1:0] g_rows_f,
    output wire [11*16-1:0] g_rbh_f,
    output wire [11*16-1:0] g_ncb_f,
    output wire [11*16-1:0] g_tbase_f,
    output wire [11*16-1:0] g_tbn_f,
    output wire [11*16-1:0] g_gtile_f,
    output wire [11*16-1:0] g_bbase_f,
    output wire [11*3-1:0] g_nseg_f,
    output wire [11*8-1:0] g_bsh_f,
    output wire [11*8-1:0] g_k1_f,
    output wire [11*8-1:0] g_k2_f,
    output wire [44*3-1:0] s_src_f,
    output wire [44*5-1:0] s_slot_f,
    output wire [44*16-1:0] s_len_f,
    output wire [44*16-1:0] s_ncb_f,
    output wire [44*16-1:0] s_cb0_f,
    output wire [44*7-1:0] s_sh_f
);

`include "lfads_contract.vh"

localparam integer R = ROW_LANES;
localparam integer C = COL_LANES;
localparam integer HDR_KEEP = LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT;

initial begin
    if (HDR_BITS != 32 * HDR_KEEP) begin
        $error("HDR_BITS (%%0d) must be 32 * %%0d", HDR_BITS, HDR_KEEP);
        $finish;
    end
end

// slot numbers of the vector store and column-segment sources (as lfads_engine.v)
localparam [4:0] SL_ICM = 5'd18, SL_CO = 5'd19, SL_FV = 5'd20, SL_FS = 5'd21;
localparam [2:0] SRC_SPK = 3'd0, SRC_VEC = 3'd1, SRC_CIF = 3'd2, SRC_CIB = 3'd3, SRC_HSEG = 3'd4;

wire [15:0] n_in    = hdr_bits[32*LFADS_H_N_IN +: 16];
wire [15:0] n_out   = hdr_bits[32*LFADS_H_N_OUT +: 16];
wire [15:0] h_ic    = hdr_bits[32*LFADS_H_H_ICENC +: 16];
wire [15:0] h_ci    = hdr_bits[32*LFADS_H_H_CIENC +: 16];
wire [15:0] h_con   = hdr_bits[32*LFADS_H_H_CON +: 16];
wire [15:0] co_dim  = hdr_bits[32*LFADS_H_CO_DIM +: 16];
wire [15:0] ic_dim  = hdr_bits[32*LFADS_H_IC_DIM +: 16];
wire [15:0] h_gen   = hdr_bits[32*LFADS_H_H_GEN +: 16];
wire [15:0] fac_dim = hdr_bits[32*LFADS_H_FAC_DIM +: 16];
wire [7:0] f_state = hdr_bits[32*LFADS_H_FRAC_STATE +: 8];
wire [7:0] f_pre   = hdr_bits[32*LFADS_H_FRAC_PRE +: 8];
wire [7:0] f_ic    = hdr_bits[32*LFADS_H_FRAC_IC +: 8];
wire [7:0] f_co    = hdr_bits[32*LFADS_H_FRAC_CO +: 8];
wire [7:0] f_fac   = hdr_bits[32*LFADS_H_FRAC_FAC +: 8];
wire [7:0] f_lr    = hdr_bits[32*LFADS_H_FRAC_LOGRATE +: 8];

// the fraction of weight section s (its low 8 bits: every difference below is kept at 8 bits or fewer)
function [7:0] sec_frac(input integer s);
    sec_frac = hdr_bits[32*(LFADS_H_SECTION_TABLE + LFADS_SECTION_ENTRY_WORDS * s + LFADS_SECTION_FRAC) +: 8];
endfunction
function [7:0] acc_frac(input integer l);
    acc_frac = hdr_bits[32*(LFADS_H_ACC_FRAC_BASE + l) +: 8];
endfunction

// ---- the tables, flat: entry i of a table of B-bit entries at bits [i*B +: B] ----
reg [11*16-1:0] g_rows  = 0;   // rows per gate (GRU) or rows (linear)
reg [11*16-1:0] g_rbh   = 0;   // row blocks per gate
reg [11*16-1:0] g_ncb   = 0;   // column blocks of one row block
reg [11*16-1:0] g_tbase = 0;   // first tile
reg [11*16-1:0] g_tbn   = 0;   // first tile of gate n (GRU)
reg [11*16-1:0] g_gtile = 0;   // tiles per gate
reg [11*16-1:0] g_bbase = 0;   // first bias row block
reg [11*3-1:0]  g_nseg  = 0;
reg [11*8-1:0]  g_bsh   = 0;
reg [11*8-1:0]  g_k1    = 0;
reg [11*8-1:0]  g_k2    = 0;
// compacted non-empty column segments
reg [44*3-1:0]  s_src   = 0;
reg [44*5-1:0]  s_slot  = 0;
reg [44*16-1:0] s_len   = 0;
reg [44*16-1:0] s_ncb   = 0;
reg [44*16-1:0] s_cb0   = 0;
reg [44*7-1:0]  s_sh    = 0;

initial begin
    tiles = 0;
    row_blocks_total = 0;
    busy = 0;
end

// blocks of R rows / C columns needed for n (R and C are powers of two: a shift, not a divider)
localparam integer LOG2R = $clog2(R), LOG2C = $clog2(C);
localparam [16:0] RM1 = R[16:0] - 17'd1, CM1 = C[16:0] - 17'd1;
function [15:0] row_blocks(input [15:0] n);
    /* verilator lint_off UNUSEDSIGNAL */
    reg [16:0] t;                  // 17 bits for the sum's carry; after the shift the blocks fit the low 16
    /* verilator lint_on UNUSEDSIGNAL */
    begin
        t = ({1'b0, n} + RM1) >> LOG2R;
        row_blocks = t[15:0];
    end
endfunction
function [15:0] col_blocks(input [15:0] n);
    /* verilator lint_off UNUSEDSIGNAL */
    reg [16:0] t;                  // 17 bits for the sum's carry; after the shift the blocks fit the low 16
    /* verilator lint_on UNUSEDSIGNAL */
    begin
        t = ({1'b0, n} + CM1) >> LOG2C;
        col_blocks = t[15:0];
    end
endfunction

// ---- the walk: a layer counter feeding the pipeline one layer a cycle ----
reg       walk = 1'b0;
reg [3:0] geo_l = 0;
// Stage 1's rows, output fraction and segment-0 state fraction select among at most 8 header fields: by 3-bit
// registers set with geo_l (from its next value), so that each is one 8:1 select of static header words (in the
// whole engine, geo_l -> the 11:1 case -> rows1 / yf1 / fx1 were 4 LUT levels, 2.81-2.93 ns).
function [2:0] rows_sel_of(input [3:0] l);
    case (l)
        4'd0, 4'd1: rows_sel_of = 3'd0;     // h_ic
        4'd2, 4'd3: rows_sel_of = 3'd1;     // h_ci
        4'd4: rows_sel_of = 3'd2;           // h_con
        4'd5, 4'd7: rows_sel_of = 3'd3;     // h_gen
        4'd6: rows_sel_of = 3'd4;           // ic_dim
        4'd8: rows_sel_of = 3'd5;           // co_dim
        4'd9: rows_sel_of = 3'd6;           // fac_dim
        default: rows_sel_of = 3'd7;        // n_out
    endcase
endfunction
function [2:0] yf_sel_of(input [3:0] l);
    case (l)
        4'd0, 4'd1, 4'd2, 4'd3, 4'd4, 4'd5: yf_sel_of = 3'd0;   // f_pre
        4'd6: yf_sel_of = 3'd1;             // f_ic
        4'd7: yf_sel_of = 3'd2;             // f_state
        4'd8: yf_sel_of = 3'd3;             // f_co
        4'd9: yf_sel_of = 3'd4;             // f_fac
        default: yf_sel_of = 3'd5;          // f_lr
    endcase
endfunction
function [2:0] fx0_sel_of(input [3:0] l);
    case (l)
        4'd0, 4'd1, 4'd2, 4'd3: fx0_sel_of = 3'd0;   // spikes: 0
        4'd5: fx0_sel_of = 3'd2;            // f_co
        4'd7: fx0_sel_of = 3'd3;            // f_ic
        4'd4, 4'd6, 4'd8, 4'd9: fx0_sel_of = 3'd1;   // f_state
        default: fx0_sel_of = 3'd4;         // f_fac
    endcase
endfunction
// Segment lengths likewise (in the whole engine, geo_l -> the 11:1 case -> len1 was 4 LUT levels, 2.88 ns): segment 0
// and 1 by select registers, segments 2 and 3 (the controller's only) by a flag.
function [2:0] len0_sel_of(input [3:0] l);
    case (l)
        4'd0, 4'd1, 4'd2, 4'd3: len0_sel_of = 3'd0;   // n_in
        4'd4: len0_sel_of = 3'd1;           // h_ci
        4'd5: len0_sel_of = 3'd2;           // co_dim
        4'd6: len0_sel_of = 3'd3;           // h_ic
        4'd7: len0_sel_of = 3'd4;           // ic_dim
        4'd8: len0_sel_of = 3'd5;           // h_con
        4'd9: len0_sel_of = 3'd6;           // h_gen
        default: len0_sel_of = 3'd7;        // fac_dim
    endcase
endfunction
function [1:0] len1_sel_of(input [3:0] l);
    case (l)
        4'd0, 4'd1, 4'd6: len1_sel_of = 2'd1;          // h_ic
        4'd2, 4'd3, 4'd4: len1_sel_of = 2'd2;          // h_ci
        4'd5: len1_sel_of = 2'd3;                      // h_gen
        default: len1_sel_of = 2'd0;                   // no segment 1
    endcase
endfunction
reg [2:0] rows_sel = 3'd0, yf_sel = 3'd0, fx0_sel = 3'd0;   // = *_sel_of(geo_l) (geo_l = 0 at power-up)
reg [2:0] len0_sel = 3'd0;
reg [1:0] len1_sel = 2'd1;
reg       len23_on = 1'b0;     // geo_l == 4 (the controller)
`ifndef SYNTHESIS
always @(posedge clk) begin : sel_check
    if (rows_sel !== rows_sel_of(geo_l) || yf_sel !== yf_sel_of(geo_l) || fx0_sel !== fx0_sel_of(geo_l)
            || len0_sel !== len0_sel_of(geo_l) || len1_sel !== len1_sel_of(geo_l) || len23_on !== (geo_l == 4'd4)) begin
        $display("ERROR lfads_geometry: a stage-1 select register differs from its layer's at %0t", $time);
        $finish;
    end
end
`endif

// ---- stage 1 input: the layer's header fields (11:1 selects by the layer counter) ----
// raw segment j of layer l, at [j*B +: B]: source, slot, length (0: no segment), state fraction, weight-section
// fraction
reg [4*3-1:0]  r_src;
reg [4*5-1:0]  r_slot;
reg [4*16-1:0] r_len;
reg [4*8-1:0]  r_fx;
reg [4*8-1:0]  r_wf;
reg [15:0]     r_rows;
reg [7:0]      r_acc, r_bf, r_yf;
reg            r_bnone;
always @* begin
    r_src = {4{SRC_VEC}};
    r_slot = 0;
    r_len = 0;
    // rows, the output fraction and segment 0's state fraction: 8:1 selects by registers (below)
    case (rows_sel)
        3'd0: r_rows = h_ic;
        3'd1: r_rows = h_ci;
        3'd2: r_rows = h_con;
        3'd3: r_rows = h_gen;
        3'd4: r_rows = ic_dim;
        3'd5: r_rows = co_dim;
        3'd6: r_rows = fac_dim;
        default: r_rows = n_out;
    endcase
    case (yf_sel)
        3'd0: r_yf = f_pre;
        3'd1: r_yf = f_ic;
        3'd2: r_yf = f_state;
        3'd3: r_yf = f_co;
        3'd4: r_yf = f_fac;
        default: r_yf = f_lr;
    endcase
    case (len0_sel)
        3'd0: r_len[0 +: 16] = n_in;
        3'd1: r_len[0 +: 16] = h_ci;
        3'd2: r_len[0 +: 16] = co_dim;
        3'd3: r_len[0 +: 16] = h_ic;
        3'd4: r_len[0 +: 16] = ic_dim;
        3'd5: r_len[0 +: 16] = h_con;
        3'd6: r_len[0 +: 16] = h_gen;
        default: r_len[0 +: 16] = fac_dim;
    endcase
    case (len1_sel)
        2'd1: r_len[16 +: 16] = h_ic;
        2'd2: r_len[16 +: 16] = h_ci;
        2'd3: r_len[16 +: 16] = h_gen;
        default: r_len[16 +: 16] = 16'd0;
    endcase
    if (len23_on)
        r_len[32 +: 32] = {h_con, fac_dim};
    r_fx = {4{f_state}};
    case (fx0_sel)
        3'd0: r_fx[0 +: 8] = 8'd0;
        3'd1: r_fx[0 +: 8] = f_state;
        3'd2: r_fx[0 +: 8] = f_co;
        3'd3: r_fx[0 +: 8] = f_ic;
        default: r_fx[0 +: 8] = f_fac;
    endcase
    r_wf = 0;
    r_bnone = 1'b0;
    r_bf = 0;
    r_acc = acc_frac(10);
    case (geo_l)
        4'd0, 4'd1, 4'd2, 4'd3: begin
            r_src[0 +: 3] = SRC_SPK;
            r_src[3 +: 3] = SRC_HSEG;
            case (geo_l[1:0])
                2'd0: begin r_wf[15:0] = {sec_frac(2), sec_frac(1)};   r_bf = sec_frac(3);  r_acc = acc_frac(0); end
                2'd1: begin r_wf[15:0] = {sec_frac(6), sec_frac(5)};   r_bf = sec_frac(7);  r_acc = acc_frac(1); end
                2'd2: begin r_wf[15:0] = {sec_frac(10), sec_frac(9)};  r_bf = sec_frac(11); r_acc = acc_frac(2); end
                default: begin r_wf[15:0] = {sec_frac(14), sec_frac(13)}; r_bf = sec_frac(15); r_acc = acc_frac(3); end
            endcase
        end
        4'd4: begin
            r_src = {SRC_HSEG, SRC_VEC, SRC_CIB, SRC_CIF};
            r_slot[10 +: 5] = SL_FS;
            r_wf = {sec_frac(LFADS_S_CON_WHH), sec_frac(LFADS_S_CON_WIH), sec_frac(LFADS_S_CON_WIH),
                    sec_frac(LFADS_S_CON_WIH)};
            r_bf = sec_frac(LFADS_S_CON_B); r_acc = acc_frac(4);
        end
        4'd5: begin
            r_src[0 +: 3] = SRC_VEC; r_slot[0 +: 5] = SL_CO;
            r_wf[0 +: 8] = sec_frac(LFADS_S_GEN_WIH);
            r_src[3 +: 3] = SRC_HSEG; r_wf[8 +: 8] = sec_frac(LFADS_S_GEN_WHH);
            r_bf = sec_frac(LFADS_S_GEN_B); r_acc = acc_frac(5);
        end
        4'd6: begin
            r_slot[0 +: 5] = 5'd0; r_wf[0 +: 8] = sec_frac(LFADS_S_IC_LIN_W);
            r_slot[5 +: 5] = 5'd1; r_wf[8 +: 8] = sec_frac(LFADS_S_IC_LIN_W);
            r_bf = sec_frac(LFADS_S_IC_LIN_B); r_acc = acc_frac(6);
        end
        4'd7: begin
            r_slot[0 +: 5] = SL_ICM; r_wf[0 +: 8] = sec_frac(LFADS_S_G0_W);
            r_bf = sec_frac(LFADS_S_G0_B); r_acc = acc_frac(7);
        end
        4'd8: begin
            r_slot[0 +: 5] = 5'd4; r_wf[0 +: 8] = sec_frac(LFADS_S_CO_W);
            r_bf = sec_frac(LFADS_S_CO_B); r_acc = acc_frac(8);
        end
        4'd9: begin
            r_slot[0 +: 5] = 5'd5; r_wf[0 +: 8] = sec_frac(LFADS_S_FAC_W);
            r_bnone = 1'b1; r_acc = acc_frac(9);
        end
        default: begin
            r_slot[0 +: 5] = SL_FV; r_wf[0 +: 8] = sec_frac(LFADS_S_RO_W);
            r_bf = sec_frac(LFADS_S_RO_B); r_acc = acc_frac(10);
        end
    endcase
end

// ---- pipeline registers: flip-flops (shreg_extract off: an SRL's clock-to-out would start the next stage) ----
(* keep = "true", shreg_extract = "no" *) reg [3:0]  l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0;
(* keep = "true", shreg_extract = "no" *) reg        v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0, v6 = 0, v7 = 0, v8 = 0;
(* keep = "true", shreg_extract = "no" *) reg        gates3_1 = 0, gates3_2 = 0, gates3_3 = 0, gates3_4 = 0, gates3_5 = 0,
                                      gates3_6 = 0, gates3_7 = 0;
(* keep = "true", shreg_extract = "no" *) reg [15:0] rows1 = 0, rows2 = 0, rows3 = 0, rows4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [7:0]  acc1 = 0, bf1 = 0, yf1 = 0;
(* keep = "true", shreg_extract = "no" *) reg        bnone1 = 0;
(* keep = "true", shreg_extract = "no" *) reg [7:0]  bsh2 = 0, bsh3 = 0, bsh4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [7:0]  k1_2 = 0, k1_3 = 0, k1_4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [7:0]  k2_2 = 0, k2_3 = 0, k2_4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [15:0] rbh2 = 0, rbh3 = 0, rbh4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*3-1:0]  src1 = 0, src2 = 0, src3 = 0, src4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*5-1:0]  slot1 = 0, slot2 = 0, slot3 = 0, slot4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*16-1:0] len1 = 0, len2 = 0, len3 = 0, len4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*8-1:0]  fx1 = 0, fx2 = 0, wf1 = 0, sht2 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*7-1:0]  sh3 = 0, sh4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*16-1:0] cb2 = 0, cb3 = 0, cb4 = 0, cb0_4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [15:0] s01_3 = 0, s23_3 = 0, ncb4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [3:0]  nz2 = 0;
(* keep = "true", shreg_extract = "no" *) reg [2:0]  n3 = 0, n4 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*2-1:0]  sel3 = 0, sel4 = 0;
// stage 5: compacted segment k = the (k+1)-th non-empty raw segment
(* keep = "true", shreg_extract = "no" *) reg [4*3-1:0]  c_src5 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*5-1:0]  c_slot5 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*16-1:0] c_len5 = 0, c_ncb5 = 0, c_cb0_5 = 0;
(* keep = "true", shreg_extract = "no" *) reg [4*7-1:0]  c_sh5 = 0;
// DSP48E2: operand registers (A/B), product (M), output (P). No KEEP on the operand registers: Vivado does not absorb
// a KEEP register into a DSP48E2 (UG901 "KEEP"); they are flip-flops of a keep process instead (dsp_operands), which
// Yosys 0.23 neither merges nor folds into an SRL, and which Vivado ignores (as lfads_act_unit's f2..f4).
(* shreg_extract = "no" *) reg [15:0] mul_a5 = 0, mul_b5 = 0;
reg [31:0] mul_m6 = 0, mul_p7 = 0;
(* keep = "true", shreg_extract = "no" *) reg [31:0] rb3_5 = 0;            // gates x rbh
(* keep = "true", shreg_extract = "no" *) reg [31:0] gp8 = 0;              // gates x rbh x ncb
(* keep = "true", shreg_extract = "no" *) reg [15:0] p2_8 = 0;             // 2 x rbh x ncb, low 16 bits (gate n's offset)

// index of the (k+1)-th set bit of the four non-empty flags (used only for k < their count)
function [1:0] kth_set(input [3:0] nz, input integer k);
    integer b, seen;
    begin
        kth_set = 0;
        seen = 0;
        for (b = 0; b < 4; b = b + 1) begin
            if (nz[b]) begin
                if (seen == k) kth_set = b[1:0];
                seen = seen + 1;
            end
        end
    end
endfunction

integer j;
always @(posedge clk) begin : pipe
    reg [3:0] geo_l_next;
    // layer counter
    geo_l_next = latch ? 4'd0 : walk ? geo_l + 1'b1 : geo_l;
    if (latch) begin
        walk <= 1'b1;
    end else if (walk) begin
        if (geo_l == 10)
            walk <= 1'b0;
    end
    geo_l <= geo_l_next;
    rows_sel <= rows_sel_of(geo_l_next);
    yf_sel <= yf_sel_of(geo_l_next);
    fx0_sel <= fx0_sel_of(geo_l_next);
    len0_sel <= len0_sel_of(geo_l_next);
    len1_sel <= len1_sel_of(geo_l_next);
    len23_on <= geo_l_next == 4'd4;
    // valid bits: a new latch drops the layers of an earlier walk still in flight
    v1 <= walk && !latch;
    v2 <= v1 && !latch;
    v3 <= v2 && !latch;
    v4 <= v3 && !latch;
    v5 <= v4 && !latch;
    v6 <= v5 && !latch;
    v7 <= v6 && !latch;
    v8 <= v7 && !latch;
    // stage 1
    l1 <= geo_l;
    gates3_1 <= geo_l < 6;
    rows1 <= r_rows;
    acc1 <= r_acc;
    bf1 <= r_bf;
    bnone1 <= r_bnone;
    yf1 <= r_yf;
    src1 <= r_src;
    slot1 <= r_slot;
    len1 <= r_len;
    fx1 <= r_fx;
    wf1 <= r_wf;
    // stage 2
    l2 <= l1; gates3_2 <= gates3_1; rows2 <= rows1;
    rbh2 <= row_blocks(rows1);
    bsh2 <= bnone1 ? 8'd0 : acc1 - bf1;
    k1_2 <= acc1 - yf1;
    k2_2 <= acc1 - f_state;
    src2 <= src1; slot2 <= slot1; len2 <= len1; fx2 <= fx1;
    for (j = 0; j < 4; j = j + 1) begin
        nz2[j] <= len1[16*j +: 16] != 0;
        cb2[16*j +: 16] <= col_blocks(len1[16*j +: 16]);
        sht2[8*j +: 8] <= acc1 - wf1[8*j +: 8];
    end
    // stage 3
    l3 <= l2; gates3_3 <= gates3_2; rows3 <= rows2; rbh3 <= rbh2;
    bsh3 <= bsh2; k1_3 <= k1_2; k2_3 <= k2_2;
    s01_3 <= cb2[0 +: 16] + cb2[16 +: 16];
    s23_3 <= cb2[32 +: 16] + cb2[48 +: 16];
    n3 <= {2'd0, nz2[0]} + {2'd0, nz2[1]} + {2'd0, nz2[2]} + {2'd0, nz2[3]};
    src3 <= src2; slot3 <= slot2; len3 <= len2; cb3 <= cb2;
    for (j = 0; j < 4; j = j + 1) begin
        sh3[7*j +: 7] <= sht2[8*j +: 7] - fx2[8*j +: 7];
        sel3[2*j +: 2] <= kth_set(nz2, j);
    end
    // stage 4
    l4 <= l3; gates3_4 <= gates3_3; rows4 <= rows3; rbh4 <= rbh3;
    bsh4 <= bsh3; k1_4 <= k1_3; k2_4 <= k2_3; n4 <= n3;
    cb0_4 <= {s01_3 + cb3[32 +: 16], s01_3, cb3[0 +: 16], 16'd0};
    ncb4 <= s01_3 + s23_3;
    src4 <= src3; slot4 <= slot3; len4 <= len3; cb4 <= cb3; sh4 <= sh3; sel4 <= sel3;
    // stage 5
    l5 <= l4; gates3_5 <= gates3_4;
    for (j = 0; j < 4; j = j + 1) begin
        c_src5[3*j +: 3] <= src4[3*sel4[2*j +: 2] +: 3];
        c_slot5[5*j +: 5] <= slot4[5*sel4[2*j +: 2] +: 5];
        c_len5[16*j +: 16] <= len4[16*sel4[2*j +: 2] +: 16];
        c_ncb5[16*j +: 16] <= cb4[16*sel4[2*j +: 2] +: 16];
        c_cb0_5[16*j +: 16] <= cb0_4[16*sel4[2*j +: 2] +: 16];
        c_sh5[7*j +: 7] <= sh4[7*sel4[2*j +: 2] +: 7];
    end
    rb3_5 <= gates3_4 ? {16'd0, rbh4} + {15'd0, rbh4, 1'b0} : {16'd0, rbh4};
    // stage 6
    l6 <= l5; gates3_6 <= gates3_5;
    mul_m6 <= mul_a5 * mul_b5;
    // stage 7
    l7 <= l6; gates3_7 <= gates3_6;
    mul_p7 <= mul_m6;
    // stage 8
    l8 <= l7;
    gp8 <= gates3_7 ? mul_p7 + {mul_p7[30:0], 1'b0} : mul_p7;
    p2_8 <= {mul_p7[14:0], 1'b0};
end

(* keep = "true" *) always @(posedge clk) begin : dsp_operands
    mul_a5 <= rbh4;                                     // stage 5
    mul_b5 <= ncb4;
end

// the running totals
always @(posedge clk) begin : totals
    if (latch) begin
        busy <= 1'b1;
        tiles <= 0;
        row_blocks_total <= 0;
    end else begin
        if (v5)
            row_blocks_total <= row_blocks_total + rb3_5;       // stage 6
        if (v8) begin                                           // stage 9
            tiles <= tiles + gp8;
            if (l8 == 10)
                busy <= 1'b0;
        end
    end
end

// the tables, each written in its layer's stage
genvar gl, gk;
generate
for (gl = 0; gl < 11; gl = gl + 1) begin : g_write
    always @(posedge clk) begin
        if (v4 && l4 == gl) begin                               // stage 5
            g_rows[16*gl +: 16] <= rows4;
            g_rbh[16*gl +: 16] <= rbh4;
            g_nseg[3*gl +: 3] <= n4;
            g_ncb[16*gl +: 16] <= ncb4;
            g_bsh[8*gl +: 8] <= bsh4;
            g_k1[8*gl +: 8] <= k1_4;
            g_k2[8*gl +: 8] <= k2_4;
        end
        if (v5 && l5 == gl)                                     // stage 6
            g_bbase[16*gl +: 16] <= row_blocks_total[15:0];
        if (v7 && l7 == gl)                                     // stage 8
            g_gtile[16*gl +: 16] <= mul_p7[15:0];
        if (v8 && l8 == gl) begin                               // stage 9
            g_tbase[16*gl +: 16] <= tiles[15:0];
            g_tbn[16*gl +: 16] <= tiles[15:0] + p2_8;
        end
    end
    for (gk = 0; gk < 4; gk = gk + 1) begin : g_seg_write
        // the write enable v5 && l5 == gl && n5 > gk, registered a cycle ahead from v4 / l4 / n4 (each enable drives 63
        // flip-flops; decoded after v5 it was 4 LUT levels in the whole engine, 2.88 ns)
        reg swe5 = 1'b0;
        always @(posedge clk) begin
            swe5 <= v4 && !latch && l4 == gl && n4 > gk;
            if (swe5) begin                                     // stage 6
                s_src[3*(4*gl+gk) +: 3] <= c_src5[3*gk +: 3];
                s_slot[5*(4*gl+gk) +: 5] <= c_slot5[5*gk +: 5];
                s_len[16*(4*gl+gk) +: 16] <= c_len5[16*gk +: 16];
                s_ncb[16*(4*gl+gk) +: 16] <= c_ncb5[16*gk +: 16];
                s_cb0[16*(4*gl+gk) +: 16] <= c_cb0_5[16*gk +: 16];
                s_sh[7*(4*gl+gk) +: 7] <= c_sh5[7*gk +: 7];
            end
        end
    end
end
endgenerate

assign g_rows_f = g_rows;
assign g_rbh_f = g_rbh;
assign g_ncb_f = g_ncb;
assign g_tbase_f = g_tbase;
assign g_tbn_f = g_tbn;
assign g_gtile_f = g_gtile;
assign g_bbase_f = g_bbase;
assign g_nseg_f = g_nseg;
assign g_bsh_f = g_bsh;
assign g_k1_f = g_k1;
assign g_k2_f = g_k2;
assign s_src_f = s_src;
assign s_slot_f = s_slot;
assign s_len_f = s_len;
assign s_ncb_f = s_ncb;
assign s_cb0_f = s_cb0;
assign s_sh_f = s_sh;

endmodule

`resetall
