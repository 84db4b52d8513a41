// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * On-chip image memories of one MAC row lane: the lane's weight tiles (one C x W word per tile),
 * its bias elements (one per row block) and its h0 elements. The engine has one per row lane; the
 * loader writes them one element at a time, the sequencer reads a tile and a bias per beat.
 * Kept as a module of its own so that each lane's memories map to block RAM independently and
 * Yosys can synthesise one lane instead of 64 copies inside the engine (scripts/synth.sh).
 *
 * Timing: a cycle with adv high reads the tile / bias addressed (b is 0 unless bias_first: the bias
 * enters a row only with its first column block); w_q / b_q show it three cycles later: the lane's own
 * copy of the read address (the sequencer's tile counter would otherwise fan out to every lane's block
 * RAMs), the read, and the block RAM's output register (RAMB DO_REG). h0_rdata is a combinational read of a small LUT memory. A clear (clr_we) zeroes address clr_addr of all three memories and has priority over writes.
 */
module lfads_weight_lane #
(
    // columns per tile
    parameter COL_LANES = 4,
    // element width
    parameter DATA_WIDTH = 16,
    // weight tiles per lane
    parameter MAX_TILES = 512,
    // bias elements per lane
    parameter MAX_ROW_BLOCKS = 128,
    // h0 elements per lane
    parameter H0_DEPTH = 20,
    parameter TB = $clog2(MAX_TILES),
    parameter RBB = $clog2(MAX_ROW_BLOCKS),
    parameter H0B = $clog2(H0_DEPTH)
)
(
    input  wire                             clk,

    input  wire                             clr_we,
    input  wire [15:0]                      clr_addr,
    input  wire [DATA_WIDTH-1:0]            el_data,

    input  wire                             wm_we,     // weight element of this lane
    input  wire [TB-1:0]                    wm_addr,
    input  wire [15:0]                      wm_c,
    input  wire                             bm_we,     // bias element of this lane
    input  wire [RBB-1:0]                   bm_addr,
    input  wire                             h0_we,     // h0 element of this lane
    input  wire [H0B-1:0]                   h0_addr,

    input  wire                             adv,
    input  wire [15:0]                      tile,
    input  wire [15:0]                      bias,
    input  wire                             bias_first,
    input  wire [15:0]                      h0_raddr,

    output reg  [COL_LANES*DATA_WIDTH-1:0]  w_q,
    output reg  [DATA_WIDTH-1:0]            b_q,
    output wire [DATA_WIDTH-1:0]            h0_rdata
);

localparam integer C = COL_LANES;
localparam integer W = DATA_WIDTH;

reg [C*W-1:0] wmem [0:MAX_TILES-1];
reg [W-1:0]   bmem [0:MAX_ROW_BLOCKS-1];
reg [W-1:0]   h0mem [0:H0_DEPTH-1];

reg [C*W-1:0] w_rd = 0;
reg [W-1:0]   b_rd = 0;
// read address register (one copy per lane)
reg           rd_en = 1'b0, rd_bias_first = 1'b0;
reg [TB-1:0]  rd_tile = 0;
reg [RBB-1:0] rd_bias = 0;
always @(posedge clk) begin
    rd_en <= adv;
    rd_tile <= tile[TB-1:0];
    rd_bias <= bias[RBB-1:0];
    rd_bias_first <= bias_first;
end
initial begin
    w_q = 0;
    b_q = 0;
end

integer c;
always @(posedge clk) begin
    if (clr_we) begin
        if (clr_addr < MAX_TILES) wmem[clr_addr[TB-1:0]] <= 0;
    end else if (wm_we) begin
        for (c = 0; c < C; c = c + 1)
            if (wm_c == c) wmem[wm_addr][c*W +: W] <= el_data;
    end
    if (rd_en)
        w_rd <= wmem[rd_tile];
    w_q <= w_rd;
end

always @(posedge clk) begin
    if (clr_we) begin
        if (clr_addr < MAX_ROW_BLOCKS) bmem[clr_addr[RBB-1:0]] <= 0;
    end else if (bm_we) begin
        bmem[bm_addr] <= el_data;
    end
    if (rd_en)
        b_rd <= rd_bias_first ? bmem[rd_bias] : {W{1'b0}};
    b_q <= b_rd;
end

always @(posedge clk) begin
    if (clr_we) begin
        if (clr_addr < H0_DEPTH) h0mem[clr_addr[H0B-1:0]] <= 0;
    end else if (h0_we) begin
        h0mem[h0_addr] <= el_data;
    end
end

assign h0_rdata = h0mem[h0_raddr[H0B-1:0]];

endmodule

`resetall
