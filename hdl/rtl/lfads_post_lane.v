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
 * Three register stages, then out_value is combinational from the third stage and the h / z
 * operands presented in that cycle (the write-back cycle), so a result is written 3 cycles after
 * in_valid's cycle ends.
 */
module lfads_post_lane #
(
    parameter DATA_WIDTH = 16,
    parameter ACC_WIDTH = 48,
    parameter MAX_ACT_SEG_BITS = 10
)
(
    input  wire                          clk,
    input  wire                          en,

    input  wire                          tab_we,
    input  wire [MAX_ACT_SEG_BITS:0]     tab_waddr,
    input  wire [2*DATA_WIDTH-1:0]       tab_wdata,

    input  wire [4:0]                    cfg_seg_bits,
    input  wire [5:0]                    cfg_frac_state,   // Fs
    input  wire [DATA_WIDTH-1:0]         cfg_clip_q,       // CLIP_Q (state units, > 0)

    input  wire                          in_valid,
    input  wire signed [ACC_WIDTH-1:0]   in_acc,
    input  wire [1:0]                    in_mode,          // 0 Z, 1 R, 2 N, 3 LIN
    input  wire signed [7:0]             in_k1,            // A - Fp (gates) or A - Fy (linear)
    input  wire signed [7:0]             in_k2,            // A - Fy2 (second linear output)

    // write-back cycle operands (old state h and update gate z of this row)
    input  wire signed [DATA_WIDTH-1:0]  wb_h,
    input  wire signed [DATA_WIDTH-1:0]  wb_z,

    output wire                          out_valid,
    output reg  signed [DATA_WIDTH-1:0]  out_value,
    output wire signed [DATA_WIDTH-1:0]  out_value2
);

localparam integer PRE_WIDTH = DATA_WIDTH + 4;
// working width: the accumulator plus sign and rounding (REQ), or the GRU update's 3W-bit sum
localparam integer FXW = (ACC_WIDTH + 2 > 3 * DATA_WIDTH + 2) ? ACC_WIDTH + 2 : 3 * DATA_WIDTH + 2;
localparam integer FX_ACC_W = ACC_WIDTH;
`include "lfads_fixed_funcs.vh"

localparam [1:0] MODE_Z = 2'd0, MODE_R = 2'd1, MODE_N = 2'd2, MODE_LIN = 2'd3;

initial begin
    if (ACC_WIDTH > 62) begin
        $error("ACC_WIDTH must be <= 62");
        $finish;
    end
end

// stage 1: requantize
reg                          p1_valid = 1'b0;
reg [1:0]                    p1_mode = 0;
reg signed [PRE_WIDTH-1:0]   p1_pre = 0;
reg signed [DATA_WIDTH-1:0]  p1_lin = 0, p1_lin2 = 0;

// REQ(acc, k1, W) = SAT(REQ(acc, k1, PW), W) because PW > W: one shifter serves gates and linear outputs
reg signed [FXW-1:0] acc_wide;
reg signed [FXW-1:0] pre_q, lin_q, lin2_q;
always @* begin
    acc_wide = in_acc;
    pre_q = fx_req(acc_wide, in_k1, PRE_WIDTH);
    lin_q = fx_sat(pre_q, DATA_WIDTH);
    lin2_q = fx_req(acc_wide, in_k2, DATA_WIDTH);
end

always @(posedge clk) begin
    if (en) begin
        p1_valid <= in_valid;
        p1_mode <= in_mode;
        p1_pre <= pre_q[PRE_WIDTH-1:0];
        p1_lin <= lin_q[DATA_WIDTH-1:0];
        p1_lin2 <= lin2_q[DATA_WIDTH-1:0];
    end
end

// stages 2-3: activation (2 cycles); linear results ride alongside
wire signed [DATA_WIDTH-1:0] act_y;
lfads_act_unit #(
    .DATA_WIDTH(DATA_WIDTH),
    .PRE_WIDTH(PRE_WIDTH),
    .MAX_ACT_SEG_BITS(MAX_ACT_SEG_BITS)
) act (
    .clk(clk),
    .en(en),
    .tab_we(tab_we),
    .tab_waddr(tab_waddr),
    .tab_wdata(tab_wdata),
    .cfg_seg_bits(cfg_seg_bits),
    .in_p(p1_pre),
    .in_tanh(p1_mode == MODE_N),
    .out_y(act_y)
);

reg                          p2_valid = 1'b0, p3_valid = 1'b0;
reg [1:0]                    p2_mode = 0, p3_mode = 0;
reg signed [DATA_WIDTH-1:0]  p2_lin = 0, p2_lin2 = 0, p3_lin = 0, p3_lin2 = 0;

always @(posedge clk) begin
    if (en) begin
        p2_valid <= p1_valid;
        p2_mode <= p1_mode;
        p2_lin <= p1_lin;
        p2_lin2 <= p1_lin2;
        p3_valid <= p2_valid;
        p3_mode <= p2_mode;
        p3_lin <= p2_lin;
        p3_lin2 <= p2_lin2;
    end
end

// write-back: gate combination
reg signed [FXW-1:0] g, h, z, u, one, clip, hn;
localparam integer FG = DATA_WIDTH - 1;   // gate fraction (spec section 3: fixed)
integer fs;
always @* begin
    fs = cfg_frac_state;
    one = 1;
    g = act_y;
    h = wb_h;
    z = wb_z;
    clip = {1'b0, cfg_clip_q};
    u = 0;
    hn = 0;
    case (p3_mode)
        MODE_Z: out_value = act_y;
        MODE_R: begin
            u = fx_sat(fx_rsh(g * h, FG), DATA_WIDTH);
            out_value = u[DATA_WIDTH-1:0];
        end
        MODE_N: begin
            // fx_shl(x, FG - fs) = x <<< (FG - fs), logarithmic shifter (0 when fs > FG, as the operator)
            u = fx_shl(z * h, FG - fs) + (((one <<< FG) - z) * g);
            hn = fx_rsh(u, 2 * FG - fs);
            if (hn > clip) hn = clip;
            if (hn < -clip) hn = -clip;
            hn = fx_sat(hn, DATA_WIDTH);
            out_value = hn[DATA_WIDTH-1:0];
        end
        default: out_value = p3_lin;
    endcase
end

assign out_valid = p3_valid;
assign out_value2 = p3_lin2;

endmodule

`resetall
