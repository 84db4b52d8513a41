// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Activation unit (spec section 6): sigmoid or tanh by table lookup with linear interpolation.
 * The two tables come from the kernel image; the write port takes entry i of table t as the pair
 * {T[i+1], T[i]} at address {t, i}, and the memory keeps {T[i+1] - T[i], T[i]} so one read gives
 * the base value and the slope (the subtraction is on the write side, off the lookup path).
 *
 * Latency LFADS_ACT_LATENCY (lfads_pipeline.vh), one result per cycle, never stalls:
 *   1  clamp, index and normalised fraction   -> table address register
 *   2  table read (RAMB)                      3  table output register (RAMB DO_REG)
 *   4  DSP operand registers (AREG/BREG)      5  slope x fraction (MREG)
 *   6  product register (PREG)                7  + base + rounding carry, saturate -> out_y
 * Why the fraction is normalised: the spec's y = T0 + RSH(d*f, s) has s = E + 1 + Fp - K, which
 * depends on the table and on the image's K. With f' = f << (SMAX - s) (SMAX = s at K = 1),
 * RSH(d*f', SMAX) = RSH(d*f, s) exactly (numerator and divisor scaled by the same power of two),
 * so the shift after the multiplier is a constant (wiring); the one variable shift, u << (SMAX - s),
 * gives the index (its bits above SMAX) and f' (below). The DSP48E2 is a bare multiplier with every
 * register (A/B, M, P: a plain product, no C addend, which Yosys would leave in fabric in front of the
 * P register); the base and the rounding enter after it: (p + T0 * 2^SMAX + 2^(SMAX-1)) >> SMAX =
 * (p >> SMAX) + T0 + p[SMAX-1], a (W+3)-bit add whose carry-in is the rounding bit, then the saturation
 * (top bits all equal?) in the same stage.
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

    // table write: pair {T[i+1], T[i]} at {table, i}
    input  wire                          tab_we,
    input  wire [MAX_ACT_SEG_BITS:0]     tab_waddr,
    input  wire [2*DATA_WIDTH-1:0]       tab_wdata,

    // configuration from the image header (static while lookups run)
    input  wire [4:0]                    cfg_seg_bits,     // K, 1 .. MAX_ACT_SEG_BITS

    input  wire signed [PRE_WIDTH-1:0]   in_p,             // pre-activation, format P
    input  wire                          in_tanh,          // 0 sigmoid, 1 tanh

    output reg  signed [DATA_WIDTH-1:0]  out_y             // format G, LFADS_ACT_LATENCY cycles after in_p
);

`include "lfads_pipeline.vh"

localparam integer W = DATA_WIDTH;
localparam integer PW = PRE_WIDTH;
localparam integer KT = MAX_ACT_SEG_BITS;
// fixed formats (spec sections 3 and 6; the loader rejects other images): Fp = W - 1, E = 4 / 3
localparam integer FP = DATA_WIDTH - 1;
localparam integer E_SIGMOID = 4;
localparam integer E_TANH = 3;
// normalised fraction bits: s of the sigmoid table at K = 1 (the largest s of either table)
localparam integer SMAX = E_SIGMOID + FP;
// u (sigmoid: E_SIGMOID + 1 + FP bits) << (SMAX - s): index above SMAX, fraction below
localparam integer VW = SMAX + KT;
localparam integer DW = W + 1;                 // slope T[i+1] - T[i]
localparam integer PRODW = DW + SMAX + 1;      // slope x unsigned fraction, signed
localparam integer YW = PRODW + 2;

initial begin
    if (PRE_WIDTH != DATA_WIDTH + 4) begin
        $error("PRE_WIDTH must be DATA_WIDTH + 4 (spec section 3)");
        $finish;
    end
end

// ---- table: {slope, base} per segment, written as knot pairs ----
reg [DW+W-1:0] table_mem [0:(2 << KT)-1];

wire signed [DW-1:0] tab_slope = $signed(tab_wdata[2*W-1:W]) - $signed(tab_wdata[W-1:0]);
always @(posedge clk) begin
    if (tab_we)
        table_mem[tab_waddr] <= {tab_slope, tab_wdata[W-1:0]};
end

// ---- configuration: normalising shifts (SMAX - s = K - 1 for the sigmoid, K for tanh) ----
// K is 1 .. KT (the run FSM rejects other images), so both shifts fit NSW bits: one 2^NSW:1 select per bit (a LUT6
// and MUXF7..9 for KT up to 15), not a 32-way shifter of two mux levels.
localparam integer NSW = $clog2(KT + 1);
reg [NSW-1:0] nsh_sig = 0, nsh_tanh = 0;
reg [VW-1:0]  v_tanh_hi = 0;     // u = 2^(E_TANH + 1 + FP) - 1 (tanh input above its range), normalised
always @(posedge clk) begin
    nsh_sig <= cfg_seg_bits[NSW-1:0] - 1'b1;
    nsh_tanh <= cfg_seg_bits[NSW-1:0];
    v_tanh_hi <= {{(VW-E_TANH-1-FP){1'b0}}, {(E_TANH+1+FP){1'b1}}} << cfg_seg_bits;
end

// ---- stage 1: clamp, u = p - lo, v = u << (SMAX - s) ----
// sigmoid: the range [-2^(E+Fp), 2^(E+Fp)) is exactly the PW-bit range, so u = p + 2^(PW-1) (sign bit
// flipped). tanh: one bit less; p outside it clamps to the table ends (top two bits 10 or 01).
// Both shifts are computed, in_tanh only selects between them in the last LUT. Yosys' resource sharing (`share`)
// merges two shifters whose results a mux tree never uses together into one shifter of the selected operand by the
// selected amount, in_tanh at its head: the keep on the wires did not stop it in the whole engine (in_tanh, one
// register for every lane -> amount select -> shifter -> v1, 3.14 ns, 4 LUT). So the last select is an AND-OR of
// both results (a mux tree share does not see through), the tanh clamps a mux of v_tanh's own.
(* keep = "true" *) wire [VW-1:0] v_sig;
(* keep = "true" *) wire [VW-1:0] v_tanh;
assign v_sig = {{(VW-PW){1'b0}}, ~in_p[PW-1], in_p[PW-2:0]} << nsh_sig;
assign v_tanh = {{(VW-PW+1){1'b0}}, ~in_p[PW-2], in_p[PW-3:0]} << nsh_tanh;
wire [VW-1:0] v_tanh_c = (in_p[PW-1] && !in_p[PW-2]) ? {VW{1'b0}}
                       : (!in_p[PW-1] && in_p[PW-2]) ? v_tanh_hi : v_tanh;
(* keep = "true", shreg_extract = "no" *) reg [VW-1:0] v1 = 0;   // a flip-flop, not the head of an SRL
reg          tanh1 = 1'b0;
always @(posedge clk) begin
    tanh1 <= in_tanh;
    v1 <= ({VW{!in_tanh}} & v_sig) | ({VW{in_tanh}} & v_tanh_c);
end

// ---- stages 2-3: table read, output register ----
// The fraction's registers f2 .. f4 and the slope's d4 (the DSP's A / B registers), the table's output register rd3
// (RAMB DO_REG) and the base's t4 .. t6 are plain flip-flops, not SRLs (~1 ns clock-to-out): shreg_extract = "no" on
// each for Vivado, and keep processes for Yosys 0.23, which ignores keep on a register (it had made rd3 -> t4 -> t5
// one SRL16E fed by the RAM's output). No KEEP on the registers themselves: Vivado does not absorb a register with
// KEEP into a DSP48E2 or merge it into a block RAM (UG901, "KEEP"), and these are meant to be AREG / BREG / DO_REG.
reg [DW+W-1:0] rd2 = 0;
(* shreg_extract = "no" *) reg [DW+W-1:0] rd3 = 0;
(* shreg_extract = "no" *) reg [SMAX-1:0] f2 = 0;
(* shreg_extract = "no" *) reg [SMAX-1:0] f3 = 0;
always @(posedge clk) begin
    rd2 <= table_mem[{tanh1, v1[SMAX +: KT]}];
end
(* keep = "true" *) always @(posedge clk) begin : fraction_regs
    f2 <= v1[SMAX-1:0];
    f3 <= f2;
end

// ---- stages 4-6: DSP48E2 (AREG/BREG, MREG, PREG) ----
(* shreg_extract = "no" *) reg signed [DW-1:0]    d4 = 0;
(* shreg_extract = "no" *) reg        [SMAX-1:0]  f4 = 0;
(* shreg_extract = "no" *) reg signed [W-1:0]     t4 = 0;
(* shreg_extract = "no" *) reg signed [W-1:0]     t5 = 0;
(* shreg_extract = "no" *) reg signed [W-1:0]     t6 = 0;
reg signed [PRODW-1:0] m5 = 0, p6 = 0;
(* keep = "true" *) always @(posedge clk) begin : operand_regs
    d4 <= rd3[W +: DW];
    f4 <= f3;
end
always @(posedge clk) begin
    m5 <= d4 * $signed({1'b0, f4});
    p6 <= m5;
end
(* keep = "true" *) always @(posedge clk) begin : base_regs
    rd3 <= rd2;
    t4 <= rd3[W-1:0];
    t5 <= t4;
    t6 <= t5;
end

// ---- stage 7: (p + base * 2^SMAX + 2^(SMAX-1)) >> SMAX = (p >> SMAX) + base + p[SMAX-1], saturate ----
// one carry chain: {a, 1} + {b, c} = 2 (a + b + c) + 1 + c, whose bits above the lowest are a + b + c
localparam integer SUMW = YW - SMAX;               // W + 4 bits: no overflow
wire signed [SUMW-1:0] p_hi = {{(SUMW-PRODW+SMAX){p6[PRODW-1]}}, p6[PRODW-1:SMAX]};   // p6 >>> SMAX
wire signed [SUMW-1:0] t_ext = {{(SUMW-W){t6[W-1]}}, t6};
/* verilator lint_off UNUSEDSIGNAL */
wire [SUMW:0] sum7 = {p_hi, 1'b1} + {t_ext, p6[SMAX-1]};   // bit 0 is the carry-in trick's filler, not a result
/* verilator lint_on UNUSEDSIGNAL */
wire signed [SUMW-1:0] y7 = sum7[SUMW:1];
// saturation: y7 fits W bits iff its bits W-1 .. SUMW-1 are all equal (one LUT each for the flag)
wire fits7 = &y7[SUMW-1:W-1] || ~|y7[SUMW-1:W-1];
initial out_y = 0;
always @(posedge clk) begin
    if (fits7)
        out_y <= y7[W-1:0];
    else
        out_y <= {y7[SUMW-1], {(W-1){!y7[SUMW-1]}}};
end

endmodule

`resetall
