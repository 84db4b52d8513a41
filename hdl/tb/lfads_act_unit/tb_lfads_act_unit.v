// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Activation unit bench: both tables, two segment counts K, every clamp edge (range ends, PW
// extremes), segment boundaries +-1, and random pre-activations; expected values from spec
// section 6 computed here. Tables are synthetic (rising with noise, flat saturated ends) so that
// negative interpolation slopes are exercised too.
module tb_lfads_act_unit;

localparam integer W = 16, PW = 20, KMAX = 10, FP = 15;

reg clk = 0;
always #5 clk = ~clk;

reg              tab_we = 0;
reg  [KMAX:0]    tab_waddr = 0;
reg  [2*W-1:0]   tab_wdata = 0;
reg  [4:0]       cfg_k = 10;
reg signed [PW-1:0] in_p = 0;
reg              in_tanh = 0;
wire signed [W-1:0] out_y;

lfads_act_unit #(.DATA_WIDTH(W), .PRE_WIDTH(PW), .MAX_ACT_SEG_BITS(KMAX)) dut (
    .clk(clk), .tab_we(tab_we), .tab_waddr(tab_waddr), .tab_wdata(tab_wdata),
    .cfg_seg_bits(cfg_k),
    .in_p(in_p), .in_tanh(in_tanh), .out_y(out_y));

`include "lfads_pipeline.vh"
`include "tb_rand.vh"
reg [31:0] rng = 32'hCAFEF00D;

reg signed [W-1:0] tabs [0:1][0:(1<<KMAX)];
`include "tb_fixed_ref.vh"
integer checks = 0, errors = 0;
reg [31:0] checksum = 0;

// synthetic tables: rising with noise, flat saturated ends
task load_tables(input integer k);
    integer t, i, v;
    begin
        for (t = 0; t < 2; t = t + 1)
            for (i = 0; i <= (1 << k); i = i + 1) begin
                rng = tb_xorshift32(rng);
                v = -30000 + (i * 60000) / (1 << k) + ($signed(rng) % 700);
                if (i < 3) v = -32768;
                if (i > (1 << k) - 3) v = 32767;
                tabs[t][i] = v;
            end
        tb_write_act_tables(k);
    end
endtask

task check(input signed [63:0] p, input integer t);
    reg signed [63:0] expv;
    begin
        in_p = p[PW-1:0];
        in_tanh = t;
        expv = tb_act_ref($signed(in_p), t, cfg_k);
        repeat (LFADS_ACT_LATENCY) @(posedge clk);
        #1;
        checks = checks + 1;
        checksum = (checksum * 33) ^ {16'd0, out_y};
        if (out_y !== expv[W-1:0]) begin
            errors = errors + 1;
            $display("ERROR K=%0d table %0d p=%0d: got %0d expected %0d", cfg_k, t, $signed(in_p), out_y, expv);
        end
    end
endtask

integer k, t, i, e, s;
reg signed [63:0] p;
initial begin
    for (k = 10; k >= 7; k = k - 3) begin
        cfg_k = k;
        load_tables(k);
        for (t = 0; t < 2; t = t + 1) begin
            e = t ? 3 : 4;
            s = e + 1 + FP - k;
            check(-(64'sd1 <<< (PW - 1)), t);
            check((64'sd1 <<< (PW - 1)) - 1, t);
            check(-(64'sd1 <<< (e + FP)) - 1, t);
            check(-(64'sd1 <<< (e + FP)), t);
            check(-(64'sd1 <<< (e + FP)) + 1, t);
            check((64'sd1 <<< (e + FP)) - 1, t);
            check((64'sd1 <<< (e + FP)), t);
            check(0, t);
            check(-1, t);
            check(1, t);
            for (i = 0; i < 40; i = i + 1) begin
                rng = tb_xorshift32(rng);
                p = -(64'sd1 <<< (e + FP)) + (rng % (1 << k)) * (64'sd1 <<< s);
                check(p, t);
                check(p - 1, t);
                check(p + 1, t);
            end
            for (i = 0; i < 300; i = i + 1) begin
                rng = tb_xorshift32(rng);
                p = tb_signed(rng, PW);
                check(p, t);
            end
        end
    end
    $display("checksum %08x, stimulus state %08x", checksum, rng);
    if (errors == 0)
        $display("PASS lfads_act_unit: %0d activations", checks);
    else
        $display("FAIL lfads_act_unit: %0d errors", errors);
    $finish;
end

endmodule
`resetall
