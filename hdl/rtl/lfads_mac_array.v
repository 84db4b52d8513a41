// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Matrix-vector MAC array: ROW_LANES x COL_LANES multipliers per cycle, exact accumulation.
 * Each input beat is one R x C weight tile and C column values; row r adds
 * (sum_c w[r][c] * x[c]) << in_shift to its accumulator, which in_first (re)loads with
 * bias[r] << in_bias_shift. Order-free exact integer arithmetic (spec section 4), so no schedule
 * has to match the Java model. Latency 3 cycles (product, row sum, accumulate); out_valid marks
 * the beat that carried in_last, when out_acc holds the finished dot products.
 */
module lfads_mac_array #
(
    // output rows per beat
    parameter ROW_LANES = 8,
    // input columns per beat
    parameter COL_LANES = 4,
    // weight / bias width
    parameter DATA_WIDTH = 16,
    // column operand width (DATA_WIDTH + 1: holds W-bit states and unsigned 8-bit spikes)
    parameter X_WIDTH = DATA_WIDTH + 1,
    // accumulator width
    parameter ACC_WIDTH = 48,
    // shift-amount width
    parameter SHIFT_WIDTH = 7,
    // side-band carried alongside each beat
    parameter TAG_WIDTH = 1
)
(
    input  wire                                   clk,
    input  wire                                   en,

    input  wire                                   in_valid,
    input  wire                                   in_first,
    input  wire                                   in_last,
    input  wire [ROW_LANES*COL_LANES*DATA_WIDTH-1:0] in_w,
    input  wire [COL_LANES*X_WIDTH-1:0]            in_x,
    input  wire [SHIFT_WIDTH-1:0]                  in_shift,
    input  wire [ROW_LANES*DATA_WIDTH-1:0]         in_bias,
    input  wire [SHIFT_WIDTH-1:0]                  in_bias_shift,
    input  wire [TAG_WIDTH-1:0]                    in_tag,

    output wire                                    out_valid,
    output wire [ROW_LANES*ACC_WIDTH-1:0]          out_acc,
    output wire [TAG_WIDTH-1:0]                    out_tag,
    // beats inside the array (for drain detection)
    output wire                                    out_busy
);

localparam integer PROD_WIDTH = DATA_WIDTH + X_WIDTH;
localparam integer SUM_WIDTH = PROD_WIDTH + $clog2(COL_LANES) + 1;
// row-sum adder tree: TREE_LEAVES = 2^TREE_DEPTH >= COL_LANES leaves
localparam integer TREE_DEPTH = $clog2(COL_LANES);
localparam integer TREE_LEAVES = 1 << TREE_DEPTH;
// fixed-point helpers at accumulator width (only the barrel shifter fx_shl is used here)
localparam integer FXW = ACC_WIDTH;
localparam integer FX_ACC_W = ACC_WIDTH;
`include "lfads_fixed_funcs.vh"

initial begin
    if (ACC_WIDTH < SUM_WIDTH) begin
        $error("ACC_WIDTH (%0d) must hold a row sum (%0d bits)", ACC_WIDTH, SUM_WIDTH);
        $finish;
    end
    if (X_WIDTH < 9) begin
        $error("X_WIDTH (%0d) must hold unsigned 8-bit spike counts", X_WIDTH);
        $finish;
    end
end

// stage 2: products
reg                            s2_valid = 1'b0, s2_first = 1'b0, s2_last = 1'b0;
reg [SHIFT_WIDTH-1:0]          s2_shift = 0, s2_bias_shift = 0;
reg [ROW_LANES*DATA_WIDTH-1:0] s2_bias = 0;
reg [TAG_WIDTH-1:0]            s2_tag = 0;
reg signed [PROD_WIDTH-1:0]    s2_prod [0:ROW_LANES*COL_LANES-1];

// stage 3: shifted row sums, bias terms
reg                            s3_valid = 1'b0, s3_first = 1'b0, s3_last = 1'b0;
reg [TAG_WIDTH-1:0]            s3_tag = 0;
reg signed [ACC_WIDTH-1:0]     s3_sum [0:ROW_LANES-1];
reg signed [ACC_WIDTH-1:0]     s3_bias [0:ROW_LANES-1];

// stage 4: accumulators
reg                            s4_valid = 1'b0;
reg [TAG_WIDTH-1:0]            s4_tag = 0;
reg signed [ACC_WIDTH-1:0]     s4_acc [0:ROW_LANES-1];

integer i;
initial begin
    for (i = 0; i < ROW_LANES*COL_LANES; i = i + 1) s2_prod[i] = 0;
    for (i = 0; i < ROW_LANES; i = i + 1) begin
        s3_sum[i] = 0;
        s3_bias[i] = 0;
        s4_acc[i] = 0;
    end
end

always @(posedge clk) begin
    if (en) begin
        s2_valid <= in_valid;
        s2_first <= in_first;
        s2_last <= in_last;
        s2_shift <= in_shift;
        s2_bias_shift <= in_bias_shift;
        s2_bias <= in_bias;
        s2_tag <= in_tag;
        s3_valid <= s2_valid;
        s3_first <= s2_first;
        s3_last <= s2_last;
        s3_tag <= s2_tag;
        s4_valid <= s3_valid && s3_last;
        s4_tag <= s3_tag;
    end
end

genvar gr, gc;
generate
for (gr = 0; gr < ROW_LANES; gr = gr + 1) begin : g_row
    for (gc = 0; gc < COL_LANES; gc = gc + 1) begin : g_col
        always @(posedge clk) begin
            if (en) begin
                s2_prod[gr*COL_LANES+gc] <=
                    $signed(in_w[(gr*COL_LANES+gc)*DATA_WIDTH +: DATA_WIDTH]) *
                    $signed(in_x[gc*X_WIDTH +: X_WIDTH]);
            end
        end
    end

    // Row sum as a balanced tree of two-input adders (heap order: node n = node 2n + node 2n+1, leaves
    // TREE_LEAVES + c, zero padded), each as wide as its level needs. Exact integer sums, so the result
    // equals the former linear sum. Why the tree and the explicit sign extension (an unsigned add of
    // {msb, child} operands): Yosys' alumacc merges a chain of adds (or a tree of signed adds) into
    // one multi-operand $macc and maps that to a carry-save tree of LUT full adders (~5.5k LUT6 and
    // MUXF7/8/9 per 32-column row); two-input adds whose operands are not another add's output
    // verbatim stay separate $alu cells on the carry chain.
    wire signed [SUM_WIDTH-1:0] tree [1:2*TREE_LEAVES-1];
    genvar gn;
    for (gn = 0; gn < TREE_LEAVES; gn = gn + 1) begin : g_leaf
        if (gn < COL_LANES)
            assign tree[TREE_LEAVES+gn] = s2_prod[gr*COL_LANES+gn];
        else
            assign tree[TREE_LEAVES+gn] = 0;
    end
    for (gn = 1; gn < TREE_LEAVES; gn = gn + 1) begin : g_node
        // node gn sits on level floor(log2 gn) = $clog2(gn + 1) - 1; its children carry CHILD_W bits
        localparam integer CHILD_W = PROD_WIDTH + TREE_DEPTH - $clog2(gn + 1);
        wire [CHILD_W-1:0] left = tree[2*gn][CHILD_W-1:0];
        wire [CHILD_W-1:0] right = tree[2*gn+1][CHILD_W-1:0];
        wire [CHILD_W:0] sum = {left[CHILD_W-1], left} + {right[CHILD_W-1], right};
        assign tree[gn] = {{(SUM_WIDTH-CHILD_W-1){sum[CHILD_W]}}, sum};
    end
    wire signed [SUM_WIDTH-1:0] row_sum = tree[1];

    always @(posedge clk) begin
        if (en) begin
            // logarithmic shifters (fx_shl): the plain `<<< s2_shift` became a 128:1 mux per bit in Yosys
            s3_sum[gr] <= fx_shl({{(ACC_WIDTH-SUM_WIDTH){row_sum[SUM_WIDTH-1]}}, row_sum}, s2_shift);
            s3_bias[gr] <= fx_shl({{(ACC_WIDTH-DATA_WIDTH){s2_bias[gr*DATA_WIDTH+DATA_WIDTH-1]}},
                                   s2_bias[gr*DATA_WIDTH +: DATA_WIDTH]}, s2_bias_shift);
            if (s3_valid)
                s4_acc[gr] <= (s3_first ? s3_bias[gr] : s4_acc[gr]) + s3_sum[gr];
        end
    end

    assign out_acc[gr*ACC_WIDTH +: ACC_WIDTH] = s4_acc[gr];
end
endgenerate

assign out_valid = s4_valid;
assign out_tag = s4_tag;
assign out_busy = s2_valid || s3_valid;

endmodule

`resetall
