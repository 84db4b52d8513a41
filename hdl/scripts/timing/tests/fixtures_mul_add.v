// SPDX-License-Identifier: MIT
// Multiply-add circuits for test_sta.py, in a file of their own: read into the same Yosys process as fixtures.v,
// they changed how Yosys 0.23 mapped fx_mul_none there (three DSPs and a macc adder instead of one DSP), so they
// are synthesised after every fixtures.v design, from this file.
// UG901 multiply-add: product, addend and sum registered, W bits: A/B/C/M/P at W <= 48 (the DSP48E2's ALU); at
// W = 50, wider than the ALU, the add stays in fabric (no MREG)
module fx_mul_add #(parameter W = 48) (input wire clk, input wire signed [15:0] a, input wire signed [16:0] b,
                                       input wire signed [W-1:0] c, output wire signed [W-16:0] q);
reg signed [15:0] ra;
reg signed [16:0] rb;
reg signed [W-1:0] rc, m, cm, p;
always @(posedge clk) begin ra <= a; rb <= b; rc <= c; m <= ra * rb; cm <= rc; p <= m + cm; end
assign q = p[W-1:15];
endmodule

// 48 bits, but logic after the add (its sum compared with an addend): not an ALU post-add (no MREG)
module fx_mul_add_logic (input wire clk, input wire signed [15:0] a, input wire signed [16:0] b,
                         input wire signed [47:0] c, output reg lt);
reg signed [15:0] ra;
reg signed [16:0] rb;
reg signed [47:0] rc, m, cm;
always @(posedge clk) begin ra <= a; rb <= b; rc <= c; m <= ra * rb; cm <= rc; lt <= (m + cm) < rc; end
endmodule
