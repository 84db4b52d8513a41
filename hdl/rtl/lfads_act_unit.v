// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Activation unit (spec section 6): sigmoid or tanh by table lookup with linear interpolation.
 * The two tables come from the kernel image; entry i of table t is stored as the pair
 * {T[i+1], T[i]} at address {t, i} so one read gives both interpolation points.
 * Latency 2 cycles: table read, interpolate + saturate.
 */
module lfads_act_unit #
(
    // gate / table entry width W
    parameter DATA_WIDTH = 16,
    // pre-activation width PW = W + 4
    parameter PRE_WIDTH = DATA_WIDTH + 4,
    // largest table segment bits K supported (table depth 2^K per function)
    parameter MAX_ACT_SEG_BITS = 10
)
(
    input  wire                          clk,
    input  wire                          en,

    // table write: pair {T[i+1], T[i]} at {table, i}
    input  wire                          tab_we,
    input  wire [MAX_ACT_SEG_BITS:0]     tab_waddr,
    input  wire [2*DATA_WIDTH-1:0]       tab_wdata,

    // configuration from the image header
    input  wire [4:0]                    cfg_seg_bits,     // K

    input  wire signed [PRE_WIDTH-1:0]   in_p,             // pre-activation, format P
    input  wire                          in_tanh,          // 0 sigmoid, 1 tanh

    output reg  signed [DATA_WIDTH-1:0]  out_y             // format G, 2 cycles after in_p
);

// working width: interpolation product (W+1 bits times a segment offset of < W+4 bits) plus rounding
localparam integer FXW = 2 * DATA_WIDTH + 8;
// fixed formats (spec sections 3 and 6; the loader rejects other images): Fp = W - 1, E = 4 / 3
localparam integer FP = DATA_WIDTH - 1;
localparam integer E_SIGMOID = 4;
localparam integer E_TANH = 3;
localparam integer FX_ACC_W = 48;
`include "lfads_fixed_funcs.vh"

initial begin
    if (PRE_WIDTH < DATA_WIDTH) begin
        $error("PRE_WIDTH must be >= DATA_WIDTH");
        $finish;
    end
end

reg [2*DATA_WIDTH-1:0] table_mem [0:(2 << MAX_ACT_SEG_BITS)-1];

always @(posedge clk) begin
    if (tab_we)
        table_mem[tab_waddr] <= tab_wdata;
end

// address computation (combinational)
// The variable shifts are written out as a logarithmic shifter (idx = u >> s) and a comparator mask
// (frac = u & ((1 << s) - 1): bit j kept iff s > j, unsigned, so s >= 32 or s < 0 keeps all bits, as
// the operator's wrap-around does); the plain operators became wide mux trees in Yosys.
integer e, s, b, j;
reg signed [31:0] lo, hi, pc;
reg [31:0] u, idx, frac;
always @* begin
    e = in_tanh ? E_TANH : E_SIGMOID;
    lo = in_tanh ? -(32'sd1 <<< (E_TANH + FP)) : -(32'sd1 <<< (E_SIGMOID + FP));
    hi = in_tanh ? (32'sd1 <<< (E_TANH + FP)) - 32'sd1 : (32'sd1 <<< (E_SIGMOID + FP)) - 32'sd1;
    pc = in_p;
    if (pc < lo) pc = lo;
    if (pc > hi) pc = hi;
    u = pc - lo;
    s = e + 1 + FP - cfg_seg_bits;
    idx = u;
    for (b = 0; b < 5; b = b + 1)
        if (s[b]) idx = idx >> (1 << b);
    if (s[31:5] != 0) idx = 0;
    for (j = 0; j < 32; j = j + 1)
        frac[j] = u[j] & ($unsigned(s) > j);
end

reg [2*DATA_WIDTH-1:0] pair_r = 0;
reg [31:0]             frac_r = 0;
reg [5:0]              s_r = 0;

always @(posedge clk) begin
    if (en) begin
        pair_r <= table_mem[{in_tanh, idx[MAX_ACT_SEG_BITS-1:0]}];
        frac_r <= frac;
        s_r <= s[5:0];
    end
end

reg signed [FXW-1:0] t0, t1, y;
always @* begin
    t0 = $signed(pair_r[DATA_WIDTH-1:0]);
    t1 = $signed(pair_r[2*DATA_WIDTH-1:DATA_WIDTH]);
    y = fx_sat(t0 + fx_rsh((t1 - t0) * $signed({1'b0, frac_r}), s_r), DATA_WIDTH);
end

initial out_y = 0;
always @(posedge clk) begin
    if (en)
        out_y <= y[DATA_WIDTH-1:0];
end

endmodule

`resetall
