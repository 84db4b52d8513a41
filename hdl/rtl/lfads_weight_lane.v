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
 * Memories are written in Vivado's inference templates (UG901, "RAM HDL Coding Techniques"):
 * - weights: simple dual-port block RAM with byte-write enables (one "byte" = one W-bit column
 *   element), a registered read and the output register (RAMB DOB_REG) as a second register;
 * - biases: simple dual-port block RAM, registered read, output register whose synchronous reset
 *   gives the zero bias of a row's later column blocks (RSTREG), so no mux sits between RAM and register;
 * - h0: distributed RAM (LUTRAM) with its read registered in the lane; it is small (H0_DEPTH words).
 *
 * Timing: a cycle with adv high reads the tile / bias addressed (b is 0 unless bias_first: the bias
 * enters a row only with its first column block); w_q / b_q show it three cycles later: the lane's own
 * copy of the read address (the sequencer's tile counter would otherwise fan out to every lane's block
 * RAMs), the read, and the block RAM's output register. Writes are registered once in the lane (the
 * loader's element and its decoded byte enables: the loader's broadcast reaches each lane through one
 * register, and the RAM's write port sees only register outputs), so a write lands one cycle after the
 * loader presents it; the loader writes long before the first read. The broadcast names the row lane it is
 * for (wm_r, el_r); the lane compares it with its own index (LANE) before that register, inside the lane, so
 * the compare sits with the lane's memories (in the far SLR for a far lane: the broadcast's register, the
 * engine's copy for the lane's group, is the only thing before it). A clear (clr_we) zeroes address
 * clr_addr of all three memories and has priority over writes. h0_rdata shows the word at h0_raddr one cycle
 * later (a registered LUTRAM read: the old word if a write lands at the same edge).
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
    parameter H0B = $clog2(H0_DEPTH),
    // this lane's row index: the writes whose wm_r / el_r equal it are this lane's
    parameter LANE = 0
)
(
    input  wire                             clk,

    input  wire                             clr_we,
    input  wire [15:0]                      clr_addr,
    input  wire [DATA_WIDTH-1:0]            el_data,

    input  wire                             wm_we,     // weight element of row lane wm_r
    input  wire [TB-1:0]                    wm_addr,
    input  wire [15:0]                      wm_r,
    input  wire [15:0]                      wm_c,
    input  wire                             bm_we,     // bias element of row lane el_r
    input  wire [RBB-1:0]                   bm_addr,
    input  wire                             h0_we,     // h0 element of row lane el_r
    input  wire [H0B-1:0]                   h0_addr,
    input  wire [15:0]                      el_r,

    input  wire                             adv,
    // 16-bit read addresses (the sequencer's counters); only the low TB / RBB / H0B bits address the memories
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [15:0]                      tile,
    input  wire [15:0]                      bias,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire                             bias_first,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [15:0]                      h0_raddr,
    /* verilator lint_on UNUSEDSIGNAL */

    output reg  [COL_LANES*DATA_WIDTH-1:0]  w_q,
    output reg  [DATA_WIDTH-1:0]            b_q,
    output wire [DATA_WIDTH-1:0]            h0_rdata
);

localparam integer C = COL_LANES;
localparam integer W = DATA_WIDTH;

(* ram_style = "block" *)       reg [C*W-1:0] wmem [0:MAX_TILES-1];
(* ram_style = "block" *)       reg [W-1:0]   bmem [0:MAX_ROW_BLOCKS-1];
(* ram_style = "distributed" *) reg [W-1:0]   h0mem [0:H0_DEPTH-1];

// ---- write port: one register stage of decoded enables, address and data ----
reg           w_en = 1'b0, b_en = 1'b0, h_en = 1'b0;
reg [C-1:0]   w_be = 0;
reg [TB-1:0]  w_addr = 0;
reg [RBB-1:0] b_addr = 0;
reg [H0B-1:0] h_addr = 0;
reg [C*W-1:0] w_din = 0;
reg [W-1:0]   el_din = 0;

// Is the clear address inside a memory of `depth` words? Bit tests rather than a 16-bit less-than: the bits above
// the memory's address all zero (one LUT for a power-of-two depth), and for other depths the address bits below them
// one of the first `depth` values (a constant table indexed by them, a LUT for up to 64 words; a `<` would be a
// carry chain). In the whole engine the three `clr_addr < DEPTH` compares of every lane were shared into one chain
// of 6 LUT levels to w_en.
function in_depth(input [15:0] a, input integer depth, input integer abits);
    integer i;
    reg lo_ok;
    begin
        lo_ok = depth >= (1 << abits);
        for (i = 0; i < ((depth >= (1 << abits)) ? 0 : depth); i = i + 1)
            if ((a & ((16'd1 << abits) - 16'd1)) == i[15:0]) lo_ok = 1'b1;
        in_depth = ((a >> abits) == 16'd0) && lo_ok;
    end
endfunction
wire clr_w_in = in_depth(clr_addr, MAX_TILES, TB);
wire clr_b_in = in_depth(clr_addr, MAX_ROW_BLOCKS, RBB);
wire clr_h_in = in_depth(clr_addr, H0_DEPTH, H0B);

localparam [31:0] LANE_32 = LANE;
wire wm_mine = wm_r == LANE_32[15:0];
wire el_mine = el_r == LANE_32[15:0];
integer c;
always @(posedge clk) begin
    w_en   <= clr_we ? clr_w_in : wm_we && wm_mine;
    b_en   <= clr_we ? clr_b_in : bm_we && el_mine;
    h_en   <= clr_we ? clr_h_in : h0_we && el_mine;
    w_addr <= clr_we ? clr_addr[TB-1:0] : wm_addr;
    b_addr <= clr_we ? clr_addr[RBB-1:0] : bm_addr;
    h_addr <= clr_we ? clr_addr[H0B-1:0] : h0_addr;
    for (c = 0; c < C; c = c + 1) begin
        w_be[c] <= clr_we || wm_c == c[15:0];
        w_din[c*W +: W] <= clr_we ? {W{1'b0}} : el_data;
    end
    el_din <= clr_we ? {W{1'b0}} : el_data;
end

// ---- read port: the lane's own copy of the read address ----
reg           rd_en = 1'b0, rd_bias_first = 1'b0, out_bias_first = 1'b0;
reg [TB-1:0]  rd_tile = 0;
reg [RBB-1:0] rd_bias = 0;
always @(posedge clk) begin
    rd_en <= adv;
    rd_tile <= tile[TB-1:0];
    rd_bias <= bias[RBB-1:0];
    rd_bias_first <= bias_first;
end

reg [C*W-1:0] w_rd = 0;
reg [W-1:0]   b_rd = 0;
initial begin
    w_q = 0;
    b_q = 0;
end

// weights: UG901 simple dual-port RAM with byte-wide write enables
always @(posedge clk) begin
    for (c = 0; c < C; c = c + 1)
        if (w_en && w_be[c]) wmem[w_addr][c*W +: W] <= w_din[c*W +: W];
end
always @(posedge clk) begin
    if (rd_en) w_rd <= wmem[rd_tile];
    w_q <= w_rd;
end

// biases: UG901 simple dual-port RAM; the output register's synchronous reset zeroes a bias that
// does not enter its row (bias_first low), held with the read's enable like the data it qualifies
always @(posedge clk) begin
    if (b_en) bmem[b_addr] <= el_din;
end
always @(posedge clk) begin
    if (rd_en) begin
        b_rd <= bmem[rd_bias];
        out_bias_first <= rd_bias_first;
    end
    if (!out_bias_first) b_q <= {W{1'b0}};
    else                 b_q <= b_rd;
end

// h0: distributed RAM, its read registered in the lane (the trial-start copy's data leaves the lane from a
// flip-flop: with the far lanes in another SLR, the read address crosses into the lane and the data crosses back,
// each hop ending in a register)
always @(posedge clk) begin
    if (h_en) h0mem[h_addr] <= el_din;
end

reg [W-1:0] h0_q = 0;
always @(posedge clk) h0_q <= h0mem[h0_raddr[H0B-1:0]];
assign h0_rdata = h0_q;

endmodule

`resetall
