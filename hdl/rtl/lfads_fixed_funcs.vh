// SPDX-License-Identifier: MIT
// Fixed-point primitives of docs/kernel-numerics.md section 1, as Verilog functions.
// Include inside a module body that defines localparam integer FXW (working width: 64)
// and localparam integer FX_ACC_W (accumulator width: |v| < 2^(FX_ACC_W-1) for every fx_req input).

// Variable shifts as explicit logarithmic barrel shifters: one 2:1 mux stage per bit of the shift
// amount below FXW, and one "amount >= 2^n >= FXW" flag for the bits above it. Why not the plain
// operators: Yosys (synth_xilinx) maps `v <<< k` with a variable k into a full 2^|k|:1 mux per output
// bit (~32 LUT6 + MUXF7/8/9 each for a 7-bit k), which made the 64 MAC rows and 64 post lanes
// overflow the U55C. The results are bit-identical to the operators for every amount, including
// amounts >= FXW (left / logical: 0; arithmetic right: sign fill); amt is the operator's unsigned view
// of the amount, so a negative integer amount (huge unsigned) behaves as the operator does too.

// Lint (verilator -Wall) flags these functions' names and locals as hiding the includer's when a module that
// includes this file instantiates another that does too (post_lane -> act_unit, after inlining) or has a
// signal of the same name (`one`): harmless, each function's scope is its own.
// verilator lint_off VARHIDDEN
// v << amt (= v <<< amt), FXW bits
function automatic [FXW-1:0] fx_shl(input [FXW-1:0] v, input [31:0] amt);
    integer i;
    reg [FXW-1:0] x;
    reg out_of_range;
    begin
        x = v;
        out_of_range = 1'b0;
        for (i = 0; i < 32; i = i + 1) begin
            if (i < $clog2(FXW)) begin  // 2^i < FXW
                if (amt[i]) x = x << (1 << i);
            end else begin
                out_of_range = out_of_range | amt[i];
            end
        end
        fx_shl = out_of_range ? {FXW{1'b0}} : x;
    end
endfunction

// v >> amt (logical), FXW bits
function automatic [FXW-1:0] fx_shr(input [FXW-1:0] v, input [31:0] amt);
    integer i;
    reg [FXW-1:0] x;
    reg out_of_range;
    begin
        x = v;
        out_of_range = 1'b0;
        for (i = 0; i < 32; i = i + 1) begin
            if (i < $clog2(FXW)) begin  // 2^i < FXW
                if (amt[i]) x = x >> (1 << i);
            end else begin
                out_of_range = out_of_range | amt[i];
            end
        end
        fx_shr = out_of_range ? {FXW{1'b0}} : x;
    end
endfunction

// v >>> amt (arithmetic), FXW bits
function automatic signed [FXW-1:0] fx_sra(input signed [FXW-1:0] v, input [31:0] amt);
    integer i;
    reg signed [FXW-1:0] x;
    reg out_of_range;
    begin
        x = v;
        out_of_range = 1'b0;
        for (i = 0; i < 32; i = i + 1) begin
            if (i < $clog2(FXW)) begin  // 2^i < FXW
                if (amt[i]) x = x >>> (1 << i);
            end else begin
                out_of_range = out_of_range | amt[i];
            end
        end
        fx_sra = out_of_range ? {FXW{v[FXW-1]}} : x;
    end
endfunction

// 1 << amt (one-hot decode, FXW bits): the rounding bit of RSH without a shifter
function automatic [FXW-1:0] fx_onehot(input [31:0] amt);
    integer j;
    begin
        for (j = 0; j < FXW; j = j + 1)
            fx_onehot[j] = (amt == j);
    end
endfunction

// RSH(v, k): k > 0 round-half-up right shift, k <= 0 exact left shift (FXW-bit wrap-around, as
// (v + (1 <<< (k - 1))) >>> k and v <<< -k compute it).
function automatic signed [FXW-1:0] fx_rsh(input signed [FXW-1:0] v, input integer k);
    reg signed [FXW-1:0] rounded;
    begin
        if (k > 0) begin
            rounded = v + fx_onehot(k - 1);
            fx_rsh = fx_sra(rounded, k);
        end else begin
            fx_rsh = fx_shl(v, -k);
        end
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
            if (v > fx_sra(hi, kk))
                fx_req = hi;
            else if (v < -fx_sra(half, kk))
                fx_req = -half;
            else
                fx_req = fx_shl(v, kk);
        end
    end
endfunction
// verilator lint_on VARHIDDEN
