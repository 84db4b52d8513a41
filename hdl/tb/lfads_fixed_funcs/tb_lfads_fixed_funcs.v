// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Bench of the fixed-point functions (rtl/lfads_fixed_funcs.vh), at the post lane's working width.
// The barrel shifters fx_shl / fx_shr / fx_sra and the one-hot decode fx_onehot are checked against
// the plain Verilog operators, and RSH / REQ against their former operator-based definitions
// (kept below as ref_rsh / ref_req), bit for bit: every shift amount 0..2*FXW+2 and integer k in
// [-2*FXW-2, 2*FXW+2], plus amounts at the 32-bit extremes (negative k = huge unsigned amount),
// each with several values: random, 0, +-1, and the FXW-bit extremes (which wrap under rounding).
module tb_lfads_fixed_funcs;

localparam integer FXW = 50;        // lfads_post_lane at W = 16, ACC_WIDTH = 48
localparam integer FX_ACC_W = 48;
`include "lfads_fixed_funcs.vh"
`include "tb_rand.vh"

reg [31:0] rng = 32'h5EED0F1C;

// former definitions (plain operators): the reference the shifters must reproduce
function automatic signed [FXW-1:0] ref_rsh(input signed [FXW-1:0] v, input integer k);
    reg signed [FXW-1:0] one;
    begin
        one = 1;
        if (k > 0)
            ref_rsh = (v + (one <<< (k - 1))) >>> k;
        else
            ref_rsh = v <<< (-k);
    end
endfunction

function automatic signed [FXW-1:0] ref_req(input signed [FXW-1:0] v, input integer k, input integer w);
    integer kk;
    reg signed [FXW-1:0] one;
    reg signed [FXW-1:0] hi;
    reg signed [FXW-1:0] half;
    begin
        one = 1;
        half = one <<< (w - 1);
        hi = half - one;
        if (k >= 0) begin
            kk = (k > FX_ACC_W + 1) ? FX_ACC_W + 1 : k;
            ref_req = fx_sat(ref_rsh(v, kk), w);
        end else begin
            kk = (-k > w) ? w : -k;
            if (v > (hi >>> kk))
                ref_req = hi;
            else if (v < -(half >>> kk))
                ref_req = -half;
            else
                ref_req = v <<< kk;
        end
    end
endfunction

integer checks = 0, errors = 0;
reg [31:0] checksum = 0;

task check(input [255:0] what, input [FXW-1:0] got, input [FXW-1:0] want,
           input [FXW-1:0] v, input integer amt);
    begin
        checks = checks + 1;
        checksum = (checksum * 31) ^ got[31:0] ^ got[FXW-1:32];
        if (got !== want) begin
            errors = errors + 1;
            if (errors <= 20)
                $display("ERROR %0s v=%h amt=%0d: got %h expected %h", what, v, amt, got, want);
        end
    end
endtask

// value number n (of 8) for one amount: edges first, then random FXW-bit and accumulator-range values
function automatic signed [FXW-1:0] pick(input integer n, input [31:0] r1, input [31:0] r2);
    reg signed [63:0] r;
    begin
        r = {r1, r2};
        case (n)
            0: pick = 0;
            1: pick = 1;
            2: pick = -1;
            3: pick = {1'b0, {(FXW-1){1'b1}}};   // FXW-bit maximum (wraps when rounded up)
            4: pick = {1'b1, {(FXW-1){1'b0}}};   // FXW-bit minimum
            5: pick = r;                          // any FXW-bit value
            6: pick = r >>> (64 - FX_ACC_W);      // accumulator range (fx_req's precondition)
            default: pick = r >>> (64 - FX_ACC_W + (r1 % 40));
        endcase
    end
endfunction

task check_amount(input integer k);
    integer n, w;
    reg signed [FXW-1:0] v, req_v;
    reg [31:0] amt;
    begin
        amt = k;
        for (n = 0; n < 8; n = n + 1) begin
            rng = tb_xorshift32(rng);
            begin : draw
                reg [31:0] r1;
                r1 = rng;
                rng = tb_xorshift32(rng);
                v = pick(n, r1, rng);
            end
            check("fx_shl", fx_shl(v, amt), v << amt, v, k);
            check("fx_shr", fx_shr(v, amt), v >> amt, v, k);
            check("fx_sra", fx_sra(v, amt), v >>> amt, v, k);
            check("fx_rsh", fx_rsh(v, k), ref_rsh(v, k), v, k);
            // REQ's precondition |v| < 2^(FX_ACC_W-1)
            req_v = $signed(v[FX_ACC_W-1:0]);
            for (w = 12; w <= 20; w = w + 4)
                check("fx_req", fx_req(req_v, k, w), ref_req(req_v, k, w), req_v, k);
        end
        check("fx_onehot", fx_onehot(amt), {{(FXW-1){1'b0}}, 1'b1} << amt, 0, k);
    end
endtask

integer k, i;
initial begin
    for (k = -2 * FXW - 2; k <= 2 * FXW + 2; k = k + 1)
        check_amount(k);
    check_amount(32'h7FFFFFFF);
    check_amount(32'h80000000);
    check_amount(32'h80000001);
    check_amount(32'hFFFFFFFF);
    for (i = 5; i < 31; i = i + 1) begin
        check_amount(1 << i);
        check_amount(-(1 << i));
        check_amount((1 << i) + 3);
    end
    for (i = 0; i < 200; i = i + 1) begin
        rng = tb_xorshift32(rng);
        check_amount($signed(rng) >>> (rng % 32));
    end
    $display("checksum %08x, stimulus state %08x", checksum, rng);
    if (errors == 0)
        $display("PASS lfads_fixed_funcs (barrel shifters, RSH, REQ): %0d results", checks);
    else
        $display("FAIL lfads_fixed_funcs: %0d errors", errors);
    $finish;
end

endmodule
`resetall
