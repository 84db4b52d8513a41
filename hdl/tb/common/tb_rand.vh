// SPDX-License-Identifier: MIT
// Random stimulus shared by the unit benches; `include it inside the bench module.
//
// Every draw is an explicit assignment to a state register owned by ONE process:
//     rng = tb_xorshift32(rng);  x = rng % 6;
// Why not an impure `next_rand()` function that updates a module register: Verilator 5.006
// hoists function calls out of if/else and ?: branches and evaluates both sides, so such a
// function consumed a different number of draws under Verilator than under Icarus and the
// stimulus diverged (the logs differed although both simulators passed). A pure function
// cannot be mis-evaluated that way. Processes that draw in the same time step (a slave model
// in an always block, the stimulus in the initial block) keep separate state registers, so
// the scheduling order of the two processes cannot change either stream.

// one xorshift32 step (Marsaglia 13/17/5); the state must never be 0
function [31:0] tb_xorshift32(input [31:0] s);
    reg [31:0] x;
    begin
        x = s ^ (s << 13);
        x = x ^ (x >> 17);
        tb_xorshift32 = x ^ (x << 5);
    end
endfunction

// a signed value of `bits` (<= 32) bits from draw r, uniform over its range
function signed [63:0] tb_signed(input [31:0] r, input integer bits);
    tb_signed = $signed(r) >>> (32 - bits);
endfunction

// a signed value of `bits` (<= 32) bits from draw r, with the most negative and the most positive
// value 1 time in 8 each (the overflow and saturation edges), otherwise uniform
function signed [63:0] tb_signed_edges(input [31:0] r, input integer bits);
    begin
        case (r[2:0])
            3'd0: tb_signed_edges = -(64'sd1 <<< (bits - 1));
            3'd1: tb_signed_edges = (64'sd1 <<< (bits - 1)) - 1;
            default: tb_signed_edges = $signed(r) >>> (32 - bits);
        endcase
    end
endfunction

// true with probability (100 - pct) %: ready/valid back-pressure of a bus model
function tb_go(input [31:0] r, input integer pct);
    tb_go = (r % 100) >= pct;
endfunction
