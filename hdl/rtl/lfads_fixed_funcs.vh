// SPDX-License-Identifier: MIT
// Fixed-point primitives of docs/kernel-numerics.md section 1, as Verilog functions.
// Include inside a module body that defines localparam integer FXW (working width: 64)
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

// REQ(v, Ffrom, Fto, w) = SAT(RSH(v, k), w) with k = Ffrom - Fto, for |v| < 2^(FX_ACC_W-1).
// Right shifts beyond FX_ACC_W + 1 round every such v to 0, so k is clamped there. A left shift by s
// saturates exactly when v lies outside [ceil(lo / 2^s), floor(hi / 2^s)]; that is tested on v itself,
// so no intermediate is wider than the accumulator plus one bit (FXW = 64 is enough for ACC_WIDTH <= 62).
function automatic signed [FXW-1:0] fx_req(input signed [FXW-1:0] v, input integer k, input integer w);
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
            fx_req = fx_sat(fx_rsh(v, kk), w);
        end else begin
            kk = (-k > w) ? w : -k;
            if (v > (hi >>> kk))
                fx_req = hi;
            else if (v < -(half >>> kk))
                fx_req = -half;
            else
                fx_req = v <<< kk;
        end
    end
endfunction
