// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Post-processing of one accumulator row (one GRU-step lane, spec section 5, or a linear output,
 * section 4). Modes:
 *   Z   : z  = SIGMOID(REQ(acc, k1, PW))
 *   R   : rh = REQ(SIGMOID(REQ(acc, k1, PW)) * h, Fg + Fs, Fs, W)
 *   N   : n  = TANH(REQ(acc, k1, PW)); h' = SAT(clamp(RSH(z*h*2^(Fg-Fs) + (2^Fg - z)*n, 2Fg - Fs), +-CLIP), W)
 *   LIN : y  = REQ(acc, k1, W), y2 = REQ(acc, k2, W)
 *
 * Timing: in_acc / in_mode with in_valid in cycle 0; in_shift1_next / in_shift2_next (the beat's right-shift amounts)
 * a cycle earlier, in cycle -1 (for every cycle, valid or not: the engine delays them alongside the tag); in_h / in_z
 * (the row's old state and update gate, a registered memory read addressed in cycle 0) in cycle 1. out_value /
 * out_value2 are plain flip-flops of stage L, LFADS_POST_LATENCY (lfads_pipeline.vh) cycles after cycle 0 (with the
 * SLR crossing stages a far lane's results cross into the engine's SLR flip-flop to flip-flop); out_valid is the end
 * of a delay line (the engine does not read it; the bench does). One row per cycle, never stalls. Stages (<= ~4 LUT
 * levels or one carry chain each):
 *   0      (cycle -1) the right-shift amounts r (decoded: shift_decode in lfads_tag.vh) into one register per lane
 *   1      input register and the coarse requantize shift: z = (acc << LMAX) >>> (8 * r[6:3]) (a <= 16:1 select by
 *          a register of this lane)
 *   2      the fine shift: x = z >>> r[2:0] (an 8:1 select by registers), i.e. x = (acc << LMAX) >>> r, acc >>> (k - 1)
 *          (k >= 1) or acc << (1 - k) (k <= 0): one direction
 *   3      round + saturate: (x + 1) >> 1 on the low PW + 1 bits, overflow flags from x's high bits
 *   4-10   activation (lfads_act_unit); meanwhile z*h on its own DSP (operand, M and P registers),
 *          << (Fg - Fs) and + the rounding constant, and the update operands are selected
 *   11-12  update DSP: the activation's output register is its A register; (2^Fg - z) or h on B,
 *          z*h*2^(Fg-Fs) + round or round on C; MREG, PREG; beside PREG, the output stage's operands are
 *          selected by mode (limits, limit values, the extra shift, the Z / LIN value)
 *   13     output registers: shift right by 2Fg - Fs (N) or Fg (R); clip (N) / saturate (R) / select (Z, LIN):
 *          the clip and saturation compares are made on the unshifted sum against limits shifted left
 *          instead (carry chains in parallel with the shift's mux) and select the limit value (or the Z / LIN
 *          value) or the shifted sum
 */
module lfads_post_lane #
(
    parameter DATA_WIDTH = 16,
    parameter ACC_WIDTH = 48,
    parameter MAX_ACT_SEG_BITS = 10
)
(
    input  wire                          clk,

    input  wire                          tab_we,
    input  wire [MAX_ACT_SEG_BITS:0]     tab_waddr,
    input  wire [2*DATA_WIDTH-1:0]       tab_wdata,

    input  wire [4:0]                    cfg_seg_bits,
    input  wire [5:0]                    cfg_frac_state,   // Fs (<= Fg = W - 1)
    input  wire [DATA_WIDTH-1:0]         cfg_clip_q,       // CLIP_Q (state units, 1 .. 2^(W-1) - 1)

    input  wire                          in_valid,
    input  wire signed [ACC_WIDTH-1:0]   in_acc,
    input  wire [1:0]                    in_mode,          // 0 Z, 1 R, 2 N, 3 LIN
    // the cycle before in_valid (the next beat's): shift_decode(k1), k1 = A - Fp (gates) or A - Fy (linear), and
    // shift_decode(k2), k2 = A - Fy2 (second linear output)
    input  wire [6:0]                    in_shift1_next,
    input  wire [6:0]                    in_shift2_next,

    // the cycle after in_valid: old state h and update gate z of this row
    input  wire signed [DATA_WIDTH-1:0]  in_h,
    input  wire signed [DATA_WIDTH-1:0]  in_z,

    output wire                          out_valid,
    output reg  signed [DATA_WIDTH-1:0]  out_value,    // a register
    output wire signed [DATA_WIDTH-1:0]  out_value2
);

`include "lfads_pipeline.vh"
`include "lfads_tag.vh"

localparam integer W = DATA_WIDTH;
localparam integer PW = DATA_WIDTH + 4;
localparam integer FG = DATA_WIDTH - 1;            // gate fraction (spec section 3: fixed)
localparam integer L = LFADS_POST_LATENCY;
localparam integer A0 = 3;                         // stage of the activation input
localparam integer A1 = A0 + LFADS_ACT_LATENCY;    // stage of the activation output
// requantize: a left shift by more than PW + 1 saturates every nonzero accumulator, so it is capped
// at LMAX; x holds acc << LMAX
localparam integer LMAX = lfads_req_lmax(DATA_WIDTH);   // = PW + 2
localparam integer XQ = ACC_WIDTH + LMAX + 2;
// GRU update sum u = z*h*2^(Fg-Fs) + round + (2^Fg - z)*n (mode N) or h*r + round (mode R), fraction 2Fg, in UW = 3W
// bits: 48 at W = 16, the DSP48E2's C port and ALU, so the update is UG901's multiply-add (A, B, C, M and P registered;
// the add in the DSP, not beside it in fabric). Exact, never wrapping: with |z|, |h|, |n| <= 2^(W-1), |2^Fg - z| and
// |h| on B <= 2^W, d = Fg - Fs <= Fg = W - 1 (run FSM header check: Fs <= W - 1) and round <= 2^(2Fg-1):
//   |z*h*2^d| <= 2^(2W-2) * 2^(W-1) = 2^(3W-3),  |act * B| <= 2^(W-1) * 2^W = 2^(2W-1),  round <= 2^(2W-3),
//   |u| <= 2^(3W-3) + 2^(2W-1) + 2^(2W-3) < 2^(3W-2): 3W - 1 bits signed, one bit to spare (until session 12 UW was
//   3W + 2 = 50, which put the add in fabric beside a DSP with one output register). Checked in simulation below.
localparam integer UW = 3 * DATA_WIDTH;
// the output stage works on the sum >> Fg (UQ bits): both final shifts are Fg + d, d = Fg - Fs (N) or 0 (R)
localparam integer UQ = UW - FG;
localparam integer DB = $clog2(FG + 1);            // bits of d (0 .. Fg: Fs <= Fg, which the loader enforces)

localparam [1:0] MODE_Z = 2'd0, MODE_R = 2'd1, MODE_N = 2'd2;   // 2'd3: linear (the case defaults below)

initial begin
    if (ACC_WIDTH > 62 || ACC_WIDTH + DATA_WIDTH + 5 > 127) begin
        $error("ACC_WIDTH must be <= 62 and the requantize shift amount LMAX + ACC_WIDTH - 1 must fit 7 bits");
        $finish;
    end
    if (L != A1 + 3) begin
        $error("LFADS_POST_LATENCY disagrees with the pipeline");
        $finish;
    end
end

// ---- mode / valid along the pipeline (index = stage) ----
// shreg_extract no: the mode taps drive selects, so plain registers rather than an SRL (~1 ns clock-to-out)
reg [L:1]  valid_d = 0;
(* shreg_extract = "no" *) reg [1:0] mode_d [1:L-3];
reg        tanh3 = 1'b0;                          // stage 3: the activation selects tanh (mode N)
integer i;
initial for (i = 1; i <= L - 3; i = i + 1) mode_d[i] = 0;
always @(posedge clk) begin : delays
    integer k;
    valid_d <= {valid_d[L-1:1], in_valid};
    mode_d[1] <= in_mode;
    tanh3 <= mode_d[2] == MODE_N;
    for (k = 2; k <= L - 3; k = k + 1) mode_d[k] <= mode_d[k-1];
end
// stage L-2: the output stage's mode, decoded into flip-flops, so that its operand selects (and the synchronous
// resets / sets Yosys makes of their constant arms) are flip-flops, not LUTs of mode_d: Yosys merges the equal mode
// registers of the row lanes behind one broadcast, so a LUT there would drive the resets of 32 lanes (2,080 loads at
// 64 x 32, as u_is_r below). Each constant arm is the outermost select, by a flip-flop of positive polarity.
reg o_not_n = 1'b0, o_is_r = 1'b0, o_is_z = 1'b0;
always @(posedge clk) begin : out_mode
    o_not_n <= mode_d[L-3] != MODE_N;
    o_is_r <= mode_d[L-3] == MODE_R;
    o_is_z <= mode_d[L-3] == MODE_Z;
end

// ---- configuration (static while rows flow): shift amounts, rounding constant, clip limits ----
// The GRU update's final value is us = floor(u / 2^(Fg + d)) (d = Fg - Fs in mode N, 0 in R); it is compared with
// the clip / saturation limits as u' = floor(u / 2^Fg) against limits shifted left by d:
//   us > C  <=>  u' >= (C + 1) * 2^d        us < C' <=>  u' < C' * 2^d
// (floor division by 2^Fg keeps both comparisons with multiples of 2^Fg exact), so the compares need no shifted
// value: they run beside the final shift, in the output stage. The N limits are registers two cycles after the
// configuration (static while rows flow; rows reach the output stage >= L cycles after the first one enters).
localparam [31:0] FG_32 = FG;
localparam [31:0] RND_FS0_32 = 2 * FG - 1;
localparam [4:0]  FG5 = FG_32[4:0];
localparam [5:0]  RND_FS0 = RND_FS0_32[5:0];    // the Fs whose rounding constant is 2^0
reg [4:0]        sh_zh = 0;        // Fg - Fs
reg [UW-1:0]     rnd_n = 0;        // 2^(2Fg - Fs - 1)
reg [W-1:0]      clip_hi = 0;      // CLIP_Q
reg signed [W:0] clip_lo = 0;      // -CLIP_Q
reg [W:0]        clip_p1 = 0;      // CLIP_Q + 1
reg signed [UQ-1:0] lim_hi_n = 0, lim_lo_n = 0;    // (CLIP_Q + 1) * 2^(Fg - Fs), -CLIP_Q * 2^(Fg - Fs)
always @(posedge clk) begin : cfg_regs
    integer b;
    sh_zh <= FG5 - cfg_frac_state[4:0];
    // one-hot decode (one LUT per bit from the configuration register, not a subtract then a shift)
    for (b = 0; b < UW; b = b + 1)
        rnd_n[b] <= (b <= 2 * FG - 1) && (cfg_frac_state == RND_FS0 - b[5:0]);
    clip_hi <= cfg_clip_q;
    clip_lo <= -$signed({1'b0, cfg_clip_q});
    clip_p1 <= {1'b0, cfg_clip_q} + 1'b1;
    lim_hi_n <= {{(UQ-W-1){1'b0}}, clip_p1} <<< sh_zh[DB-1:0];
    lim_lo_n <= {{(UQ-W-1){clip_lo[W]}}, clip_lo} <<< sh_zh[DB-1:0];
end

// ---- stage 0 (cycle -1): the shift amounts, a cycle ahead of the accumulator ----
// The requantize shift is bidirectional (right by k - 1 for k >= 1, left by 1 - k for k <= 0). Resolved into one
// direction, x = (acc << LMAX) >>> r, by shift_decode (lfads_tag.vh), which the engine applies once per layer. The
// 7-bit amount r was a 70:1 select per bit in one stage (4 LUT levels in the whole engine, 3.22 ns); now its coarse
// part r[6:3] selects in stage 1 and its fine part r[2:0] in stage 2, each from a register of this lane: the engine
// gives r a cycle early (in_shift*_next), registered here in r0 / r0b alongside in_acc.
// r0 / r0b / r1 / r1b are the same in every lane; they must stay one register per lane (tens of loads per lane per
// bit), not be merged into one register driving every lane's shifter: keep on the registers for Vivado, and on their
// process for Yosys (0.23 merges equal flip-flops despite a keep on the register, not the cells of a process marked
// keep).
localparam integer YQ = ACC_WIDTH + LMAX;           // acc << LMAX
(* keep = "true", shreg_extract = "no" *) reg [6:0] r0 = 0;
(* keep = "true", shreg_extract = "no" *) reg [6:0] r0b = 0;
(* keep = "true", shreg_extract = "no" *) reg [2:0] r1 = 0;
(* keep = "true", shreg_extract = "no" *) reg [2:0] r1b = 0;
(* keep = "true" *) always @(posedge clk) begin
    r0 <= in_shift1_next;
    r0b <= in_shift2_next;
    r1 <= r0[2:0];
    r1b <= r0b[2:0];
end

// ---- stage 1: input register, z = (acc << LMAX) >>> (8 * r[6:3]) ----
// one select per bit by the 4-bit coarse amount (constant shifts of the one operand: a <= 16:1 mux, not a shifter of
// four 2:1 levels)
function signed [YQ-1:0] req_coarse(input signed [ACC_WIDTH-1:0] v, input [3:0] c);
    reg signed [YQ-1:0] y;
    integer j;
    begin
        y = {v, {LMAX{1'b0}}};
        req_coarse = y;
        for (j = 1; j < 16; j = j + 1)
            if (c == j[3:0]) req_coarse = y >>> (8 * j);
    end
endfunction
reg signed [YQ-1:0] z1 = 0, z1b = 0;
always @(posedge clk) begin
    z1 <= req_coarse(in_acc, r0[6:3]);
    z1b <= req_coarse(in_acc, r0b[6:3]);
end

// ---- stage 2: x = z >>> r[2:0] (8 choices), sign-extended to XQ bits ----
function signed [XQ-1:0] req_fine(input signed [YQ-1:0] z, input [2:0] f);
    reg signed [XQ-1:0] zx;
    begin
        zx = {{(XQ-YQ){z[YQ-1]}}, z};                // sign-extended to XQ bits
        req_fine = zx >>> f;
    end
endfunction
reg signed [XQ-1:0] x2 = 0, x2b = 0;
always @(posedge clk) begin
    x2 <= req_fine(z1, r1);
    x2b <= req_fine(z1b, r1b);
end

// ---- stage 3: y = (x + 1) >> 1 saturated to w bits ----
// y > 2^(w-1) - 1 iff x >= 2^w - 1; y < -2^(w-1) iff x < -2^w - 1 (= ~2^w); otherwise y is the low w bits
// of (x[w:0] + 1) >> 1. The flags are reductions of x's high bits, in parallel with a (w+1)-bit adder.
function signed [PW-1:0] req_round_sat(input signed [XQ-1:0] x, input integer w);
    /* verilator lint_off UNUSEDSIGNAL */
    reg [PW:0] y;                                // y[PW] is 0 (the sum >> 1); the low PW bits are the result
    /* verilator lint_on UNUSEDSIGNAL */
    reg hi_ovf, lo_ovf;
    integer b;
    reg all_lo, any_hi, all_hi;
    begin
        all_lo = 1'b1;
        for (b = 0; b < PW; b = b + 1) if (b < w) all_lo = all_lo & x[b];
        any_hi = 1'b0;
        all_hi = 1'b1;
        for (b = 0; b < XQ - 1; b = b + 1) begin
            if (b >= w) any_hi = any_hi | x[b];
            if (b >= w + 1) all_hi = all_hi & x[b];
        end
        hi_ovf = !x[XQ-1] && (any_hi || all_lo);
        lo_ovf = x[XQ-1] && !(all_hi && (x[w] || all_lo));
        y = (x[PW:0] + 1'b1) >> 1;
        if (hi_ovf)
            req_round_sat = (1 <<< (w - 1)) - 1;
        else if (lo_ovf)
            req_round_sat = -(1 <<< (w - 1));
        else
            req_round_sat = $signed(y[PW-1:0] << (PW - w)) >>> (PW - w);   // sign-extend the low w bits
    end
endfunction
reg signed [PW-1:0] p3 = 0;
reg signed [W-1:0]  lin_d [3:L-2];           // to the output stage's operand select
reg signed [W-1:0]  lin2_d [3:L-1];          // then out2_q (stage L) below
initial for (i = 3; i < L; i = i + 1) begin
    if (i <= L - 2) lin_d[i] = 0;
    lin2_d[i] = 0;
end
always @(posedge clk) begin : lin_delay
    integer k;
    /* verilator lint_off UNUSEDSIGNAL */
    reg signed [PW-1:0] t;                       // a W-bit saturated value sign-extended: only t[W-1:0] is kept
    /* verilator lint_on UNUSEDSIGNAL */
    p3 <= req_round_sat(x2, PW);
    t = req_round_sat(x2, W);
    lin_d[3] <= t[W-1:0];
    t = req_round_sat(x2b, W);
    lin2_d[3] <= t[W-1:0];
    for (k = 4; k < L; k = k + 1) begin
        if (k <= L - 2) lin_d[k] <= lin_d[k-1];
        lin2_d[k] <= lin2_d[k-1];
    end
end
// out_value2's register (stage L) a plain flip-flop, not the end of the delay line's SRL (~0.9 ns clock-to-out before
// the SLR crossing; Yosys made lin2_d[L] one): keep, in a keep process (Yosys 0.23 honours it there)
(* keep = "true", shreg_extract = "no" *) reg signed [W-1:0] out2_q = 0;
(* keep = "true" *) always @(posedge clk) out2_q <= lin2_d[L-1];

// ---- stages 4-10: activation ----
wire signed [W-1:0] act_y;
lfads_act_unit #(
    .DATA_WIDTH(W),
    .PRE_WIDTH(PW),
    .MAX_ACT_SEG_BITS(MAX_ACT_SEG_BITS)
) act (
    .clk(clk),
    .tab_we(tab_we),
    .tab_waddr(tab_waddr),
    .tab_wdata(tab_wdata),
    .cfg_seg_bits(cfg_seg_bits),
    .in_p(p3),
    .in_tanh(tanh3),
    .out_y(act_y)
);

// logarithmic shifter (one 2:1 level per amount bit) for z*h << (Fg - Fs)
function signed [UW-1:0] shl_uw(input signed [2*W-1:0] v, input [4:0] amt);
    integer b;
    reg signed [UW-1:0] x;
    begin
        x = {{(UW-2*W){v[2*W-1]}}, v};           // sign-extended to UW bits
        for (b = 0; b < 5; b = b + 1)
            if (amt[b]) x = x <<< (1 << b);
        shl_uw = x;
    end
endfunction

// ---- z*h << (Fg - Fs) + round, beside the activation ----
reg signed [W-1:0]   h2 = 0, z2 = 0, zh_a = 0;
// the z*h DSP's B register, a flip-flop of its own: its D equals h_d[3]'s, and Yosys merged the two (despite a keep
// on the register; hence keep on its process), leaving the DSP's B port fed from the head of h_d's shift register
// rather than a register of its own (BREG)
(* shreg_extract = "no" *) reg signed [W-1:0] zh_b = 0;
reg signed [2*W-1:0] zh_m = 0, zh_p = 0;
reg signed [UW-1:0]  zhs = 0, zhr = 0;
reg signed [W:0]     omz3 = 0;                  // 2^Fg - z
reg signed [W:0]     omz_d [4:A1-1];
reg signed [W-1:0]   h_d [3:A1-1];
reg signed [UW-1:0]  zhr_d [8:A1-1];
initial for (i = 3; i < A1; i = i + 1) begin
    h_d[i] = 0;
    if (i >= 4) omz_d[i] = 0;
    if (i >= 8) zhr_d[i] = 0;
end
always @(posedge clk) begin : zh_path
    integer k;
    h2 <= in_h;                                  // stage 2
    z2 <= in_z;
    zh_a <= z2;                                  // stage 3: DSP operand registers (zh_b below)
    omz3 <= (1 <<< FG) - z2;
    h_d[3] <= h2;
    zh_m <= zh_a * zh_b;                         // 4: MREG
    omz_d[4] <= omz3;
    zh_p <= zh_m;                                // 5: PREG
    zhs <= shl_uw(zh_p, sh_zh);                  // 6: << (Fg - Fs)
    zhr <= zhs + rnd_n;                          // 7: + 2^(2Fg - Fs - 1)
    zhr_d[8] <= zhr;
    for (k = 4; k < A1; k = k + 1) h_d[k] <= h_d[k-1];
    for (k = 5; k < A1; k = k + 1) omz_d[k] <= omz_d[k-1];
    for (k = 9; k < A1; k = k + 1) zhr_d[k] <= zhr_d[k-1];
end

(* keep = "true" *) always @(posedge clk) begin : zh_breg
    zh_b <= h2;                                  // stage 3: BREG
end

// ---- stages A1 .. A1+2: update DSP (A = act_y, the activation's output register) ----
// (UW <= 48: P = M + C in the DSP's ALU; the addend's select uc is a fabric register before CREG)
reg signed [W:0]    ub = 0;                      // stage A1: BREG
reg signed [UW-1:0] uc = 0;                      // stage A1: the addend, selected by mode
reg signed [UW-1:0] um = 0, ucm = 0;            // A1+1: MREG, CREG
/* verilator lint_off UNUSEDSIGNAL */
reg signed [UW-1:0] up = 0;                      // A1+2: PREG = MREG + CREG (the output stage takes its bits from Fg up)
/* verilator lint_on UNUSEDSIGNAL */
reg signed [W-1:0]  g_d1 = 0;
// u_is_r: the mode R select of ub and uc, decoded into a flip-flop a stage ahead (the outermost select of uc's
// constant arm: FDRE R / FDSE S from a flip-flop). As a LUT of mode_d it drove 65 loads in each of the 32 lanes
// Yosys merges behind one broadcast (2,080 at 64 x 32).
reg u_is_r = 1'b0;
always @(posedge clk) begin : u_mode
    u_is_r <= mode_d[A1-2] == MODE_R;
end
always @(posedge clk) begin
    ub <= u_is_r ? {h_d[A1-1][W-1], h_d[A1-1]} : omz_d[A1-1];
    uc <= u_is_r ? ({{(UW-1){1'b0}}, 1'b1} <<< (FG - 1)) : zhr_d[A1-1];
    um <= act_y * ub;
    ucm <= uc;
    up <= um + ucm;
    g_d1 <= act_y;
end

// ---- stage L-1 (beside PREG): the output stage's operands, selected by mode ----
//   N: limits (CLIP_Q + 1) * 2^d and -CLIP_Q * 2^d, values CLIP_Q / -CLIP_Q, d = Fg - Fs
//      (clip: |h'| <= CLIP_Q < 2^(W-1), so the final SAT is a no-op)
//   R: limits +-2^(W-1) (saturate to W bits), values 2^(W-1) - 1 / -2^(W-1), d = 0
//   Z, LIN: the high limit the most negative value (always taken), the high value the gate / requantized result
localparam signed [UQ-1:0] LIM_MIN = {1'b1, {(UQ-1){1'b0}}};
localparam signed [UQ-1:0] LIM_R_HI = {{(UQ-W){1'b0}}, 1'b1, {(W-1){1'b0}}};
localparam signed [UQ-1:0] LIM_R_LO = -LIM_R_HI;
localparam signed [W-1:0]  VAL_R_HI = {1'b0, {(W-1){1'b1}}};
localparam signed [W-1:0]  VAL_R_LO = {1'b1, {(W-1){1'b0}}};
// The limits and the shift depend only on the mode and the configuration, equal in every lane: keep on their process,
// so that Yosys does not merge them across the lanes (one register then drove 32 lanes' compare carry chains at
// 64 x 32, the lanes' worst path, 2.82 ns); each lane's compares and shift mux read registers of their own.
reg signed [UQ-1:0] o_lim_hi = 0, o_lim_lo = 0;
reg signed [W-1:0]  o_val_hi = 0, o_val_lo = 0;
reg [DB-1:0]        o_d = 0;
(* keep = "true" *) always @(posedge clk) begin : out_limits
    o_lim_hi <= o_not_n ? (o_is_r ? LIM_R_HI : LIM_MIN) : lim_hi_n;      // (Z and linear: LIM_MIN)
    o_lim_lo <= o_not_n ? LIM_R_LO : lim_lo_n;
    o_d <= o_not_n ? {DB{1'b0}} : sh_zh[DB-1:0];
end
always @(posedge clk) begin
    o_val_hi <= o_is_r ? VAL_R_HI : !o_not_n ? clip_hi : o_is_z ? g_d1 : lin_d[L-2];
    o_val_lo <= o_not_n ? VAL_R_LO : clip_lo[W-1:0];
end

// ---- stage L: output registers ----
// u' = up >> Fg; the high limit first (it is the most negative value in Z / LIN); the value within the limits is
// u' >> d, of which only the low W bits are needed. The compares as subtractions (one carry chain each, their sign
// bits), the shift a 2^DB:1 mux beside them, and the select of the limit values or the shifted sum, all before the
// output register: out_value is a plain flip-flop, the results' SLR crossing flip-flop to flip-flop (hdl/README.md
// "Crossing registers"). Until session 11 the select was one LUT after the registers (the flags, the limit value and
// the shifted sum registered): the estimate is 2.72 ns, 3 LUT (the carry chains, then the flags folded into the shift's
// mux tree), the module's worst, within the budget.
wire signed [UQ-1:0] uq = up[UW-1:FG];
/* verilator lint_off UNUSEDSIGNAL */
wire signed [UQ-1:0] uq_sh = uq >>> o_d;
wire signed [UQ:0]   d_hi = {uq[UQ-1], uq} - {o_lim_hi[UQ-1], o_lim_hi};    // sign clear: u' >= high limit
wire signed [UQ:0]   d_lo = {uq[UQ-1], uq} - {o_lim_lo[UQ-1], o_lim_lo};    // sign set: u' < low limit
/* verilator lint_on UNUSEDSIGNAL */
initial out_value = 0;
always @(posedge clk)
    out_value <= !d_hi[UQ] ? o_val_hi : d_lo[UQ] ? o_val_lo : uq_sh[W-1:0];

assign out_valid = valid_d[L];

`ifndef SYNTHESIS
// UW's one input-dependent premise: d = Fg - Fs <= Fg on every mode-N row (z*h << d, stage 6)
always @(posedge clk) begin : uw_premise_check
    if (valid_d[6] && mode_d[6] == MODE_N && sh_zh > FG5) begin
        $display("ERROR lfads_post_lane: Fg - Fs = %0d > Fg = %0d (Fs > Fg) at %0t: the update sum's width UW assumes Fs <= Fg",
                 sh_zh, FG, $time);
        $finish;
    end
end
`endif
assign out_value2 = out2_q;

endmodule

`resetall
