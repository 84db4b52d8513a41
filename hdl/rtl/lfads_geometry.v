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
 * `latch` starts the walk; one layer a cycle (each layer's entries depend only on the header and the running
 * totals, so a layer is a small block of logic instead of all eleven chained in one cycle); `busy` falls after
 * the last. `tiles` / `row_blocks_total` are then the image's tile and bias row-block counts, which the engine
 * checks against its memories. The tables are outputs as flat vectors (entry i of a table of B-bit entries at
 * bits [i*B +: B]); the engine indexes them where it read its arrays before.
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

`define LFADS_HDR(i) hdr_bits[32*(i) +: 32]

wire [15:0] n_in    = `LFADS_HDR(LFADS_H_N_IN);
wire [15:0] n_out   = `LFADS_HDR(LFADS_H_N_OUT);
wire [15:0] h_ic    = `LFADS_HDR(LFADS_H_H_ICENC);
wire [15:0] h_ci    = `LFADS_HDR(LFADS_H_H_CIENC);
wire [15:0] h_con   = `LFADS_HDR(LFADS_H_H_CON);
wire [15:0] co_dim  = `LFADS_HDR(LFADS_H_CO_DIM);
wire [15:0] ic_dim  = `LFADS_HDR(LFADS_H_IC_DIM);
wire [15:0] h_gen   = `LFADS_HDR(LFADS_H_H_GEN);
wire [15:0] fac_dim = `LFADS_HDR(LFADS_H_FAC_DIM);
wire signed [31:0] f_state = `LFADS_HDR(LFADS_H_FRAC_STATE);
wire signed [31:0] f_pre   = `LFADS_HDR(LFADS_H_FRAC_PRE);
wire signed [31:0] f_ic    = `LFADS_HDR(LFADS_H_FRAC_IC);
wire signed [31:0] f_co    = `LFADS_HDR(LFADS_H_FRAC_CO);
wire signed [31:0] f_fac   = `LFADS_HDR(LFADS_H_FRAC_FAC);
wire signed [31:0] f_lr    = `LFADS_HDR(LFADS_H_FRAC_LOGRATE);

function [31:0] sec_word(input integer s, input integer field);
    sec_word = `LFADS_HDR(LFADS_H_SECTION_TABLE + LFADS_SECTION_ENTRY_WORDS * s + field);
endfunction

reg [15:0] g_rows  [0:10];   // rows per gate (GRU) or rows (linear)
reg [15:0] g_rbh   [0:10];   // row blocks per gate
reg [15:0] g_ncb   [0:10];   // column blocks of one row block
reg [15:0] g_tbase [0:10];   // first tile
reg [15:0] g_tbn   [0:10];   // first tile of gate n (GRU)
reg [15:0] g_gtile [0:10];   // tiles per gate
reg [15:0] g_bbase [0:10];   // first bias row block
reg [2:0]  g_nseg  [0:10];
reg signed [7:0] g_bsh [0:10];
reg signed [7:0] g_k1  [0:10];
reg signed [7:0] g_k2  [0:10];
// compacted non-empty column segments
reg [2:0]  s_src   [0:43];
reg [4:0]  s_slot  [0:43];
reg [15:0] s_len   [0:43];
reg [15:0] s_ncb   [0:43];
reg [15:0] s_cb0   [0:43];
reg [6:0]  s_sh    [0:43];
reg [3:0]  geo_l;                    // the layer being latched

integer gi;
initial begin
    for (gi = 0; gi < 11; gi = gi + 1) begin
        g_rows[gi] = 0; g_rbh[gi] = 0; g_ncb[gi] = 0; g_tbase[gi] = 0;
        g_tbn[gi] = 0; g_gtile[gi] = 0; g_bbase[gi] = 0; g_nseg[gi] = 0; g_bsh[gi] = 0; g_k1[gi] = 0; g_k2[gi] = 0;
    end
    for (gi = 0; gi < 44; gi = gi + 1) begin
        s_src[gi] = 0; s_slot[gi] = 0; s_len[gi] = 0; s_ncb[gi] = 0; s_cb0[gi] = 0; s_sh[gi] = 0;
    end
    tiles = 0;
    row_blocks_total = 0;
    busy = 0;
    geo_l = 0;
end

// blocks of R rows / C columns needed for n (R and C are powers of two: a shift, not a divider)
localparam integer LOG2R = $clog2(R), LOG2C = $clog2(C);
function [15:0] row_blocks(input [15:0] n);
    row_blocks = ({1'b0, n} + R - 1) >> LOG2R;
endfunction
function [15:0] col_blocks(input [15:0] n);
    col_blocks = ({1'b0, n} + C - 1) >> LOG2C;
endfunction

// raw segment description of layer l, segment j: {src, slot, len, fx, matrix section}
task automatic raw_seg(input integer l, input integer j, output integer src, output integer slot,
                       output integer len, output integer fx, output integer wsec);
    begin
        src = -1; slot = 0; len = 0; fx = 0; wsec = 0;
        case (l)
            0, 1, 2, 3: begin
                if (j == 0) begin src = SRC_SPK; len = n_in; fx = 0; wsec = 4 * l + 1; end
                if (j == 1) begin src = SRC_HSEG; len = (l < 2) ? h_ic : h_ci; fx = f_state; wsec = 4 * l + 2; end
            end
            4: begin
                if (j == 0) begin src = SRC_CIF; len = h_ci; fx = f_state; wsec = LFADS_S_CON_WIH; end
                if (j == 1) begin src = SRC_CIB; len = h_ci; fx = f_state; wsec = LFADS_S_CON_WIH; end
                if (j == 2) begin src = SRC_VEC; slot = SL_FS; len = fac_dim; fx = f_state; wsec = LFADS_S_CON_WIH; end
                if (j == 3) begin src = SRC_HSEG; len = h_con; fx = f_state; wsec = LFADS_S_CON_WHH; end
            end
            5: begin
                if (j == 0) begin src = SRC_VEC; slot = SL_CO; len = co_dim; fx = f_co; wsec = LFADS_S_GEN_WIH; end
                if (j == 1) begin src = SRC_HSEG; len = h_gen; fx = f_state; wsec = LFADS_S_GEN_WHH; end
            end
            6: begin
                if (j == 0) begin src = SRC_VEC; slot = 0; len = h_ic; fx = f_state; wsec = LFADS_S_IC_LIN_W; end
                if (j == 1) begin src = SRC_VEC; slot = 1; len = h_ic; fx = f_state; wsec = LFADS_S_IC_LIN_W; end
            end
            7: if (j == 0) begin src = SRC_VEC; slot = SL_ICM; len = ic_dim; fx = f_ic; wsec = LFADS_S_G0_W; end
            8: if (j == 0) begin src = SRC_VEC; slot = 4; len = h_con; fx = f_state; wsec = LFADS_S_CO_W; end
            9: if (j == 0) begin src = SRC_VEC; slot = 5; len = h_gen; fx = f_state; wsec = LFADS_S_FAC_W; end
            10: if (j == 0) begin src = SRC_VEC; slot = SL_FV; len = fac_dim; fx = f_fac; wsec = LFADS_S_RO_W; end
            default: ;
        endcase
    end
endtask

function integer layer_rows(input integer l);
    case (l)
        0, 1: layer_rows = h_ic;
        2, 3: layer_rows = h_ci;
        4: layer_rows = h_con;
        5: layer_rows = h_gen;
        6: layer_rows = ic_dim;
        7: layer_rows = h_gen;
        8: layer_rows = co_dim;
        9: layer_rows = fac_dim;
        default: layer_rows = n_out;
    endcase
endfunction

function integer bias_sec(input integer l);
    case (l)
        0, 1, 2, 3: bias_sec = 4 * l + 3;
        4: bias_sec = LFADS_S_CON_B;
        5: bias_sec = LFADS_S_GEN_B;
        6: bias_sec = LFADS_S_IC_LIN_B;
        7: bias_sec = LFADS_S_G0_B;
        8: bias_sec = LFADS_S_CO_B;
        10: bias_sec = LFADS_S_RO_B;
        default: bias_sec = -1;
    endcase
endfunction

// One layer per cycle after latch (the engine's ST_GEO waits for busy to fall): each layer's entries depend only on
// the header and the running totals, so a layer is a small block of logic instead of all eleven chained in one
// cycle (which no clock would close timing on, and which Yosys could not get through).
always @(posedge clk) begin : geometry
    integer j, n, src, slot, len, fx, wsec, acc_frac, yfrac;
    reg [15:0] rows, rbh, ncb;
    reg [1:0]  gates;
    if (latch) begin
        busy <= 1'b1;
        geo_l <= 0;
        tiles <= 0;
        row_blocks_total <= 0;
    end else if (busy) begin
        acc_frac = $signed(`LFADS_HDR(LFADS_H_ACC_FRAC_BASE + geo_l));
        rows = layer_rows(geo_l);
        rbh = row_blocks(rows);
        gates = (geo_l < 6) ? 2'd3 : 2'd1;
        n = 0;
        ncb = 0;
        for (j = 0; j < 4; j = j + 1) begin
            raw_seg(geo_l, j, src, slot, len, fx, wsec);
            if (src >= 0 && len > 0) begin
                s_src[geo_l * 4 + n] <= src;
                s_slot[geo_l * 4 + n] <= slot;
                s_len[geo_l * 4 + n] <= len;
                s_ncb[geo_l * 4 + n] <= col_blocks(len);
                s_cb0[geo_l * 4 + n] <= ncb;
                s_sh[geo_l * 4 + n] <= acc_frac - $signed(sec_word(wsec, LFADS_SECTION_FRAC)) - fx;
                ncb = ncb + col_blocks(len);
                n = n + 1;
            end
        end
        g_rows[geo_l] <= rows;
        g_rbh[geo_l] <= rbh;
        g_nseg[geo_l] <= n;
        g_ncb[geo_l] <= ncb;
        g_tbase[geo_l] <= tiles;
        g_tbn[geo_l] <= tiles + 2 * rbh * ncb;
        g_gtile[geo_l] <= rbh * ncb;
        g_bbase[geo_l] <= row_blocks_total;
        tiles <= tiles + gates * rbh * ncb;
        row_blocks_total <= row_blocks_total + gates * rbh;
        g_bsh[geo_l] <= (bias_sec(geo_l) >= 0) ? acc_frac - $signed(sec_word(bias_sec(geo_l), LFADS_SECTION_FRAC)) : 0;
        case (geo_l)
            6: yfrac = f_ic;
            7: yfrac = f_state;
            8: yfrac = f_co;
            9: yfrac = f_fac;
            10: yfrac = f_lr;
            default: yfrac = f_pre;
        endcase
        g_k1[geo_l] <= acc_frac - yfrac;
        g_k2[geo_l] <= acc_frac - f_state;
        geo_l <= geo_l + 1'b1;
        if (geo_l == 10)
            busy <= 1'b0;
    end
end

// the tables as flat vectors
genvar gf, gs;
generate
for (gf = 0; gf < 11; gf = gf + 1) begin : g_layer
    assign g_rows_f[gf*16 +: 16] = g_rows[gf];
    assign g_rbh_f[gf*16 +: 16] = g_rbh[gf];
    assign g_ncb_f[gf*16 +: 16] = g_ncb[gf];
    assign g_tbase_f[gf*16 +: 16] = g_tbase[gf];
    assign g_tbn_f[gf*16 +: 16] = g_tbn[gf];
    assign g_gtile_f[gf*16 +: 16] = g_gtile[gf];
    assign g_bbase_f[gf*16 +: 16] = g_bbase[gf];
    assign g_nseg_f[gf*3 +: 3] = g_nseg[gf];
    assign g_bsh_f[gf*8 +: 8] = g_bsh[gf];
    assign g_k1_f[gf*8 +: 8] = g_k1[gf];
    assign g_k2_f[gf*8 +: 8] = g_k2[gf];
end
for (gs = 0; gs < 44; gs = gs + 1) begin : g_seg
    assign s_src_f[gs*3 +: 3] = s_src[gs];
    assign s_slot_f[gs*5 +: 5] = s_slot[gs];
    assign s_len_f[gs*16 +: 16] = s_len[gs];
    assign s_ncb_f[gs*16 +: 16] = s_ncb[gs];
    assign s_cb0_f[gs*16 +: 16] = s_cb0[gs];
    assign s_sh_f[gs*7 +: 7] = s_sh[gs];
end
endgenerate

`undef LFADS_HDR
endmodule

`resetall
