// SPDX-License-Identifier: MIT
// Fixed-point primitives of docs/kernel-numerics.md section 1, as Verilog functions.
// Include inside a module body that defines localparam integer FXW (working width, >= ACC_WIDTH + DATA_WIDTH + 8)
// and localparam integer FX_ACC_W (accumulator width: |v| < 2^(FX_ACC_W-1) for every fx_req input).

// RSH(v, k): k > 0 round-half-up right shift, k <= 0 exact left shift.
function automatic signed [FXW-1:0] fx_rsh(input signed [FXW-1:0] v, input integer k);
    reg signed [FXW-1:0] one;
    begin
        one = 1;
        if (k > 0)
            fx_rsh = (v + (one <<< (k - 1))) >>> k;
        else
            fx_rsh = v <<< (-k);
    end
endfunction

// SAT(v, w): clamp to the signed w-bit range.
function automatic signed [FXW-1:0] fx_sat(input signed [FXW-1:0] v, input integer w);
    reg signed [FXW-1:0] one;
    reg signed [FXW-1:0] hi;
    reg signed [FXW-1:0] lo;
    begin
        one = 1;
        hi = (one <<< (w - 1)) - one;
        lo = -(one <<< (w - 1));
        if (v > hi)
            fx_sat = hi;
        else if (v < lo)
            fx_sat = lo;
        else
            fx_sat = v;
    end
endfunction

// REQ(v, Ffrom, Fto, w) = SAT(RSH(v, k), w) with k = Ffrom - Fto. The shift is clamped to a range
// that gives the same result for every accumulator value (|v| < 2^(FX_ACC_W-1)): any right shift
// beyond FX_ACC_W rounds to 0, any left shift beyond w+1 saturates a non-zero value either way.
function automatic signed [FXW-1:0] fx_req(input signed [FXW-1:0] v, input integer k, input integer w);
    integer kk;
    begin
        kk = k;
        if (kk > FX_ACC_W + 1)
            kk = FX_ACC_W + 1;
        if (kk < -(w + 1))
            kk = -(w + 1);
        fx_req = fx_sat(fx_rsh(v, kk), w);
    end
endfunction
