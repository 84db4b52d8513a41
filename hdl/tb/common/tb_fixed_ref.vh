// SPDX-License-Identifier: MIT
// Fixed-point reference helpers (numerics spec, sections 3-5) shared by the benches of the
// activation unit and the post-accumulation lane; `include it inside the bench module.
// Computed in 128-bit integers so no intermediate can wrap; the DUT's narrower datapath must
// match these exactly.
//
// The including bench declares (the tables are the bench's stimulus, so they live there):
//   localparam integer W, FP, KMAX;                   data width, pre-activation fraction bits
//   reg signed [W-1:0] tabs [0:1][0:(1<<KMAX)];       sigmoid (0) and tanh (1) knots
//   reg clk, tab_we; reg [..] tab_waddr, tab_wdata;   the DUT's table write port

// saturate v to a signed w-bit range
function signed [127:0] tb_sat(input signed [127:0] v, input integer w);
    begin
        if (v > (128'sd1 <<< (w - 1)) - 1) tb_sat = (128'sd1 <<< (w - 1)) - 1;
        else if (v < -(128'sd1 <<< (w - 1))) tb_sat = -(128'sd1 <<< (w - 1));
        else tb_sat = v;
    end
endfunction

// arithmetic shift right by k with round-half-up; a negative k shifts left
function signed [127:0] tb_rsh(input signed [127:0] v, input integer k);
    tb_rsh = (k > 0) ? ((v + (128'sd1 <<< (k - 1))) >>> k) : (v <<< (-k));
endfunction

// piecewise-linear activation of pre-activation p (FP fraction bits) with 2^k segments over
// [-2^e, 2^e) (e = 4 for sigmoid, 3 for tanh), table t: clamp, index, interpolate, saturate
function signed [127:0] tb_act_ref(input signed [127:0] p, input integer t, input integer k);
    integer e, s;
    reg signed [127:0] lo, hi, u, idx, f, t0, t1;
    begin
        e = t ? 3 : 4;
        lo = -(128'sd1 <<< (e + FP));
        hi = (128'sd1 <<< (e + FP)) - 1;
        u = ((p < lo) ? lo : (p > hi) ? hi : p) - lo;
        s = e + 1 + FP - k;
        idx = u >>> s;
        f = u & ((128'sd1 <<< s) - 1);
        t0 = tabs[t][idx];
        t1 = tabs[t][idx + 1];
        tb_act_ref = tb_sat(t0 + tb_rsh((t1 - t0) * f, s), W);
    end
endfunction

// write both tables (2^k segments each, knot pairs) through the DUT's table port
task tb_write_act_tables(input integer k);
    integer t, i;
    begin
        for (t = 0; t < 2; t = t + 1)
            for (i = 0; i < (1 << k); i = i + 1) begin
                @(posedge clk);
                #1;
                tab_we = 1;
                tab_waddr = (t << KMAX) | i;
                tab_wdata = {tabs[t][i + 1], tabs[t][i]};
            end
        @(posedge clk);
        #1;
        tab_we = 0;
    end
endtask
