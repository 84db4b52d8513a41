// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Matrix-vector MAC array: ROW_LANES x COL_LANES multipliers per cycle, exact accumulation.
 * Each input beat is one R x C weight tile and C column values; row r adds
 * (sum_c w[r][c] * x[c]) << in_shift to its accumulator, which in_first (re)loads with
 * bias[r] << in_bias_shift, or, when in_proj_sel, with in_proj[r]: an exact accumulator value kept from
 * an earlier row block (the online mode's cached input projection W_ih x + b, docs/kernel-numerics.md
 * section 13). Order-free exact integer arithmetic (spec section 4), so no schedule has to match the
 * Java model. out_valid marks the beat that carried in_last, LATENCY cycles later,
 * when out_acc holds the finished dot products.
 *
 * Pipeline (LATENCY = lfads_mac_latency(COL_LANES), lfads_pipeline.vh), built for 300 MHz+ on
 * UltraScale+: every multiplier has its operand registers (AREG/BREG: one register per DSP, so the
 * 544-bit column broadcast is re-registered next to every row), MREG and PREG; the row-sum adder
 * tree has a register after every second level (each level one carry chain); the alignment shift
 * (a 7-bit logarithmic shifter, <= 4 LUT levels) and the accumulate (one 48-bit carry chain) have a
 * stage each. The accumulator's start value (shifted bias or in_proj) is chosen by a 2:1 mux in a
 * stage of its own (stage 3) while the products are in the DSPs. The array never stalls: a beat enters every cycle in_valid is high.
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
    parameter TAG_WIDTH = 1,
    // copies of the column vector in in_x (the producer registers one copy per group of
    // ROW_LANES / X_COPIES rows, so no register drives all rows' operand registers)
    parameter X_COPIES = 1,
    // SLR crossing (lfads_engine SLR_CROSSING_STAGES): rows FAR_ROW.. sit in the second SLR; the post lanes there take
    // the beat's valid and the lane part of the tag (bits LANE_TAG_LSB +: LANE_TAG_WIDTH) from their own copy of the
    // output registers (out_valid_far, out_lane_tag_far). FAR_ROW = ROW_LANES: one SLR, no copy needed.
    parameter FAR_ROW = ROW_LANES,
    parameter LANE_TAG_LSB = 0,
    parameter LANE_TAG_WIDTH = 1
)
(
    input  wire                                   clk,

    input  wire                                   in_valid,
    input  wire                                   in_first,
    input  wire                                   in_last,
    input  wire [ROW_LANES*COL_LANES*DATA_WIDTH-1:0] in_w,
    input  wire [X_COPIES*COL_LANES*X_WIDTH-1:0]   in_x,
    input  wire [SHIFT_WIDTH-1:0]                  in_shift,
    input  wire [ROW_LANES*DATA_WIDTH-1:0]         in_bias,
    input  wire [SHIFT_WIDTH-1:0]                  in_bias_shift,
    // start value of the accumulator instead of the shifted bias (with in_first and in_proj_sel)
    input  wire [ROW_LANES*ACC_WIDTH-1:0]          in_proj,
    input  wire                                    in_proj_sel,
    input  wire [TAG_WIDTH-1:0]                    in_tag,

    output wire                                    out_valid,
    output wire [ROW_LANES*ACC_WIDTH-1:0]          out_acc,
    output wire [TAG_WIDTH-1:0]                    out_tag,
    // copies of out_valid and of out_tag's lane part for rows FAR_ROW.. (same cycle, same values)
    output wire                                    out_valid_far,
    output wire [LANE_TAG_WIDTH-1:0]               out_lane_tag_far,
    // beats inside the array (for drain detection)
    output wire                                    out_busy
);

`include "lfads_pipeline.vh"

localparam integer R = ROW_LANES;
localparam integer C = COL_LANES;
localparam integer PROD_WIDTH = DATA_WIDTH + X_WIDTH;
localparam integer SUM_WIDTH = PROD_WIDTH + $clog2(COL_LANES) + 1;
// row-sum adder tree: TREE_LEAVES = 2^TREE_DEPTH >= COL_LANES leaves, a register after every second level
localparam integer TREE_DEPTH = $clog2(COL_LANES);
localparam integer TREE_LEAVES = 1 << TREE_DEPTH;
localparam integer TREE_STAGES = (TREE_DEPTH + 1) / 2;
// stage numbers (the register written at the end of the cycle a beat spends there)
localparam integer ST_P = 3;                       // 1 operands, 2 product (MREG), 3 product (PREG)
localparam integer ST_SH = ST_P + TREE_STAGES + 1; // shifted row sum
localparam integer LATENCY = lfads_mac_latency(COL_LANES);
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
    if (X_COPIES < 1 || ROW_LANES % X_COPIES != 0) begin
        $error("X_COPIES (%0d) must divide ROW_LANES", X_COPIES);
        $finish;
    end
    if (ST_SH < 4) begin
        $error("the start-value mux needs stage 3 before the shift stage (ST_SH %0d)", ST_SH);
        $finish;
    end
    if (FAR_ROW < 1 || FAR_ROW > ROW_LANES || LANE_TAG_LSB + LANE_TAG_WIDTH > TAG_WIDTH) begin
        $error("FAR_ROW (%0d) / LANE_TAG_LSB (%0d) / LANE_TAG_WIDTH (%0d) out of range", FAR_ROW, LANE_TAG_LSB,
               LANE_TAG_WIDTH);
        $finish;
    end
    if (LATENCY != ST_SH + 1) begin
        $error("lfads_mac_latency disagrees with the pipeline (%0d, %0d)", LATENCY, ST_SH + 1);
        $finish;
    end
end

// ---- beat control, delayed along the pipeline (index = stage) ----
// shreg_extract no: a chain of plain registers, not an SRL (an SRL's clock-to-out is ~1 ns, and these drive logic)
(* shreg_extract = "no" *) reg [ST_SH:1]         v_d = 0, first_d = 0, last_d = 0;
(* shreg_extract = "no" *) reg [SHIFT_WIDTH-1:0] shift_d [1:ST_SH-2];
reg [TAG_WIDTH-1:0]     tag_d [1:LATENCY-1];

integer i;
initial begin
    for (i = 1; i < ST_SH - 1; i = i + 1) shift_d[i] = 0;
    for (i = 1; i < LATENCY; i = i + 1) tag_d[i] = 0;
end

always @(posedge clk) begin : control
    integer k;
    v_d <= {v_d[ST_SH-1:1], in_valid};
    first_d <= {first_d[ST_SH-1:1], in_first};
    last_d <= {last_d[ST_SH-1:1], in_last};
    shift_d[1] <= in_shift;
    for (k = 2; k < ST_SH - 1; k = k + 1) shift_d[k] <= shift_d[k-1];
    tag_d[1] <= in_tag;
    for (k = 2; k < LATENCY; k = k + 1) tag_d[k] <= tag_d[k-1];
end
// out_valid's register kept apart from the far rows' copy (g_far.slr_tx_valid, same D): without keep on both, Yosys
// (and Vivado's equivalent-register removal) merge them into one flip-flop driving both SLRs' lanes
(* keep = "true", shreg_extract = "no" *) reg valid_q = 1'b0;
(* keep = "true" *) always @(posedge clk) valid_q <= v_d[ST_SH] && last_d[ST_SH];
assign out_valid = valid_q;

genvar gr, gc, gn;
generate
for (gr = 0; gr < R; gr = gr + 1) begin : g_row
    // Per-row copies of the control that drives wide logic (shift amounts: ~100 mux selects per row; valid
    // and first: the 48 accumulator bits), so no control register fans out to every row. The copies are written
    // in a process marked keep: Yosys 0.23 merges equal flip-flops despite a keep on the register (only the cells
    // of a keep process survive opt_merge), and a keep register is still taken as the last stage of an SRL whose
    // earlier stages are the producer's own delay registers (in the whole engine row_bias_shift became the output
    // of an SRL16E holding the sequencer's a/s1/s2_bias_shift: ~0.9 ns clock-to-out ahead of the bias shifter).
    (* keep = "true", shreg_extract = "no" *) reg [SHIFT_WIDTH-1:0] row_bias_shift = 0;   // stage 1
    (* keep = "true", shreg_extract = "no" *) reg [SHIFT_WIDTH-1:0] row_shift = 0;        // stage ST_SH - 1
    (* keep = "true", shreg_extract = "no" *) reg                   row_v = 1'b0, row_first = 1'b0;   // stage ST_SH
    (* keep = "true", shreg_extract = "no" *) reg                   row_psel_1 = 1'b0, row_psel_2 = 1'b0;
    reg [ACC_WIDTH-1:0] proj_1 = 0, proj_2 = 0;                                                   // stages 1, 2
    (* keep = "true" *) always @(posedge clk) begin
        row_bias_shift <= in_bias_shift;
        row_psel_1 <= in_proj_sel;
        row_psel_2 <= row_psel_1;
        // loaded only with a valid beat (they matter only then)
        if (v_d[ST_SH-2])
            row_shift <= shift_d[ST_SH-2];
        row_v <= v_d[ST_SH-1];
        if (v_d[ST_SH-1])
            row_first <= first_d[ST_SH-1];
    end
    always @(posedge clk) begin
        proj_1 <= in_proj[gr*ACC_WIDTH +: ACC_WIDTH];
        proj_2 <= proj_1;
    end

    // The row's bias and start value, delayed to the accumulate: per row (with the row, in its SLR: the bias comes from
    // the row's own weight lane and goes to the row's own accumulator)
    reg [DATA_WIDTH-1:0] bias_1 = 0;             // stage 1
    reg [ACC_WIDTH-1:0]  bias_d [2:ST_SH];       // stage 2: shifted bias; 3..: start value
    wire [ACC_WIDTH-1:0] bias_shifted, start_value;
    integer bi;
    initial for (bi = 2; bi <= ST_SH; bi = bi + 1) bias_d[bi] = 0;
    always @(posedge clk) begin : bias_delay
        integer bk;
        bias_1 <= in_bias[gr*DATA_WIDTH +: DATA_WIDTH];
        bias_d[2] <= bias_shifted;
        bias_d[3] <= start_value;
        for (bk = 4; bk <= ST_SH; bk = bk + 1) bias_d[bk] <= bias_d[bk-1];
    end
    // bias << bias_shift (logarithmic shifter fx_shl), registered while the products are in the DSPs
    assign bias_shifted =
        fx_shl({{(ACC_WIDTH-DATA_WIDTH){bias_1[DATA_WIDTH-1]}}, bias_1},
               {{(32-SHIFT_WIDTH){1'b0}}, row_bias_shift});
    // the accumulator's start value: the cached projection or the shifted bias (registered as bias_d[3])
    assign start_value = row_psel_2 ? proj_2 : bias_d[2];

    // row-sum tree in heap order: node n = node 2n + node 2n+1, leaves TREE_LEAVES + c (zero padded). split_var: the
    // lint otherwise sees one variable feeding itself through the combinational levels (UNOPTFLAT); each node is
    // a separate net in every other tool anyway.
    wire signed [SUM_WIDTH-1:0] tree [1:2*TREE_LEAVES-1] /* verilator split_var */;

    for (gc = 0; gc < TREE_LEAVES; gc = gc + 1) begin : g_col
        if (gc < C) begin : g_mul
            // one DSP48E2: operand registers, MREG, PREG
            reg signed [DATA_WIDTH-1:0] a = 0;
            reg signed [X_WIDTH-1:0]    b = 0;
            reg signed [PROD_WIDTH-1:0] m = 0, p = 0;
            always @(posedge clk) begin
                a <= in_w[(gr*C+gc)*DATA_WIDTH +: DATA_WIDTH];
                b <= in_x[((gr * X_COPIES / R) * C + gc)*X_WIDTH +: X_WIDTH];
                m <= a * b;
                p <= m;
            end
            assign tree[TREE_LEAVES+gc] = {{(SUM_WIDTH-PROD_WIDTH){p[PROD_WIDTH-1]}}, p};
        end else begin : g_pad
            assign tree[TREE_LEAVES+gc] = 0;
        end
    end

    // Two-input adders as wide as their level needs, with explicit sign extension (an unsigned add of
    // {msb, child}): Yosys' alumacc merges a chain or tree of signed adds into one $macc built from LUT
    // full adders; these stay separate carry-chain adders. Levels counted from the leaves (1..TREE_DEPTH);
    // a level is registered when it is even or the last, so a stage holds at most two carry chains.
    for (gn = 1; gn < TREE_LEAVES; gn = gn + 1) begin : g_node
        localparam integer LEVEL = TREE_DEPTH + 1 - $clog2(gn + 1);
        localparam integer CHILD_W = PROD_WIDTH + LEVEL - 1;
        wire [CHILD_W-1:0] left = tree[2*gn][CHILD_W-1:0];
        wire [CHILD_W-1:0] right = tree[2*gn+1][CHILD_W-1:0];
        wire [CHILD_W:0] sum = {left[CHILD_W-1], left} + {right[CHILD_W-1], right};
        if (LEVEL % 2 == 0 || LEVEL == TREE_DEPTH) begin : g_reg
            reg [CHILD_W:0] q = 0;
            always @(posedge clk) q <= sum;
            assign tree[gn] = {{(SUM_WIDTH-CHILD_W-1){q[CHILD_W]}}, q};
        end else begin : g_comb
            assign tree[gn] = {{(SUM_WIDTH-CHILD_W-1){sum[CHILD_W]}}, sum};
        end
    end
    wire signed [SUM_WIDTH-1:0] row_sum = tree[1];

    // alignment shift (logarithmic shifter fx_shl), then accumulate
    reg signed [ACC_WIDTH-1:0] sh = 0, acc = 0;
    always @(posedge clk) begin
        sh <= fx_shl({{(ACC_WIDTH-SUM_WIDTH){row_sum[SUM_WIDTH-1]}}, row_sum}, {{(32-SHIFT_WIDTH){1'b0}}, row_shift});
        if (row_v)
            acc <= (row_first ? $signed(bias_d[ST_SH]) : acc) + sh;
    end

    assign out_acc[gr*ACC_WIDTH +: ACC_WIDTH] = acc;
end
endgenerate

// The tag's last stage is a plain flip-flop, not the end of the delay line's SRL (~0.9 ns clock-to-out): its fields go
// to the post lanes, the projection rings and the write-back, the lanes' part across the SLR boundary (issue 13
// points 2 and 6). The far rows' post lanes take their own copy of the lane part and of out_valid (keep: a process
// Yosys does not merge or fold into the SRL), a flip-flop that drives only the far SLR's lane registers.
wire [TAG_WIDTH-1:0] tag_last = tag_d[LATENCY-1];
(* keep = "true", shreg_extract = "no" *) reg [TAG_WIDTH-1:0] tag_q = 0;
(* keep = "true" *) always @(posedge clk) tag_q <= tag_last;
assign out_tag = tag_q;
generate
if (FAR_ROW < ROW_LANES) begin : g_far
    (* keep = "true", shreg_extract = "no" *) reg [LANE_TAG_WIDTH-1:0] slr_tx_lane_tag = 0;
    (* keep = "true", shreg_extract = "no" *) reg                      slr_tx_valid = 1'b0;
    (* keep = "true" *) always @(posedge clk) begin
        slr_tx_lane_tag <= tag_last[LANE_TAG_LSB +: LANE_TAG_WIDTH];
        slr_tx_valid <= v_d[ST_SH] && last_d[ST_SH];
    end
    assign out_valid_far = slr_tx_valid;
    assign out_lane_tag_far = slr_tx_lane_tag;
end else begin : g_near_only
    assign out_valid_far = out_valid;
    assign out_lane_tag_far = tag_q[LANE_TAG_LSB +: LANE_TAG_WIDTH];
end
endgenerate
assign out_busy = |v_d;

endmodule

`resetall
