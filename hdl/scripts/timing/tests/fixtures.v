// SPDX-License-Identifier: MIT
// Small circuits with hand-computed register-to-register delays for test_sta.py. Every input and output
// is registered inside the module, so the estimate sees only the circuit under test.
`default_nettype none

// N instantiated LUT1 in a row between two flip-flops (kept: synthesis may not merge them)
module fx_lut_chain #(parameter N = 3) (input wire clk, input wire d, output reg q);
reg r;
wire [N:0] w;
assign w[0] = r;
genvar i;
generate for (i = 0; i < N; i = i + 1) begin : g
    (* keep *) LUT1 #(.INIT(2'b01)) l (.I0(w[i]), .O(w[i+1]));
end endgenerate
always @(posedge clk) begin r <= d; q <= w[N]; end
endmodule

// 64-bit adder: one LUT level + a 16-CARRY4 chain
module fx_add64 (input wire clk, input wire [63:0] a, input wire [63:0] b, output reg [63:0] s);
reg [63:0] ra, rb;
always @(posedge clk) begin ra <= a; rb <= b; s <= ra + rb; end
endmodule

// multiplier with flip-flops on A, B, after the product (M) and after that (P): all absorbed
module fx_mul_amp (input wire clk, input wire signed [15:0] a, input wire signed [15:0] b, output reg signed [31:0] p);
reg signed [15:0] ra, rb;
reg signed [31:0] m;
always @(posedge clk) begin ra <= a; rb <= b; m <= ra * rb; p <= m; end
endmodule

// multiplier with flip-flops on A, B and the product only (AREG/BREG + PREG, no MREG)
module fx_mul_ap (input wire clk, input wire signed [15:0] a, input wire signed [15:0] b, output reg signed [31:0] p);
reg signed [15:0] ra, rb;
always @(posedge clk) begin ra <= a; rb <= b; p <= ra * rb; end
endmodule

// multiplier with logic on both sides: no DSP register can be used (15-bit unsigned: one DSP48E2)
module fx_mul_none (input wire clk, input wire [14:0] a, input wire [14:0] b, input wire [14:0] c,
                    input wire [14:0] d, input wire [29:0] e, output reg [29:0] p);
reg [14:0] ra, rb, rc, rd;
reg [29:0] re;
wire [29:0] m = (ra ^ rc) * (rb ^ rd);
always @(posedge clk) begin ra <= a; rb <= b; rc <= c; rd <= d; re <= e; p <= m ^ re; end
endmodule

// an instantiated DSP48E2 (P = A * B), register parameters REGS for AREG/BREG/MREG/PREG, logic on both sides
module fx_dsp_inst #(parameter REGS = 1) (input wire clk, input wire [15:0] a, input wire [15:0] b,
                                          input wire [15:0] c, input wire [47:0] e, output reg [47:0] q);
reg [15:0] ra, rb, rc;
reg [47:0] re;
wire [47:0] p;
wire [15:0] ax = ra ^ rc;
DSP48E2 #(.AREG(REGS), .BREG(REGS), .MREG(REGS), .PREG(REGS), .CREG(0), .DREG(0), .ADREG(0),
          .ACASCREG(REGS), .BCASCREG(REGS), .OPMODEREG(0), .ALUMODEREG(0), .INMODEREG(0),
          .CARRYINREG(0), .CARRYINSELREG(0)) dsp (
    .CLK(clk), .A({14'd0, ax}), .B({2'd0, rb}), .C(48'd0), .D(27'd0), .PCIN(48'd0), .ACIN(30'd0),
    .BCIN(18'd0), .CARRYIN(1'b0), .CARRYCASCIN(1'b0), .MULTSIGNIN(1'b0),
    .OPMODE(9'b000000101), .ALUMODE(4'd0), .INMODE(5'd0), .CARRYINSEL(3'd0),
    .CEA1(1'b1), .CEA2(1'b1), .CEB1(1'b1), .CEB2(1'b1), .CEC(1'b0), .CED(1'b0), .CEAD(1'b0), .CEM(1'b1),
    .CEP(1'b1), .CECTRL(1'b0), .CEALUMODE(1'b0), .CEINMODE(1'b0), .CECARRYIN(1'b0),
    .RSTA(1'b0), .RSTB(1'b0), .RSTC(1'b0), .RSTD(1'b0), .RSTM(1'b0), .RSTP(1'b0), .RSTCTRL(1'b0),
    .RSTALLCARRYIN(1'b0), .RSTALUMODE(1'b0), .RSTINMODE(1'b0), .P(p));
always @(posedge clk) begin ra <= a; rb <= b; rc <= c; re <= e; q <= p ^ re; end
endmodule

// block RAM, synchronous read without the output register, one LUT after it
module fx_bram (input wire clk, input wire we, input wire [9:0] wa, input wire [9:0] ra, input wire [31:0] d,
                input wire [31:0] c, output reg [31:0] y);
reg [31:0] mem [0:1023];
reg [31:0] q, rc;
reg [9:0] rra, rwa;
reg rwe;
reg [31:0] rd;
always @(posedge clk) begin
    rra <= ra; rwa <= wa; rwe <= we; rd <= d; rc <= c;
    if (rwe) mem[rwa] <= rd;
    q <= mem[rra];
    y <= q ^ rc;
end
endmodule

// the same with a second register straight after the read: the output register (DOA_REG / DOB_REG)
module fx_bram_reg (input wire clk, input wire we, input wire [9:0] wa, input wire [9:0] ra, input wire [31:0] d,
                    input wire [31:0] c, output reg [31:0] y);
reg [31:0] mem [0:1023];
reg [31:0] q, q2, rc;
reg [9:0] rra, rwa;
reg rwe;
reg [31:0] rd;
always @(posedge clk) begin
    rra <= ra; rwa <= wa; rwe <= we; rd <= d; rc <= c;
    if (rwe) mem[rwa] <= rd;
    q <= mem[rra];
    q2 <= q;
    y <= q2 ^ rc;
end
endmodule

// 32 x 16 LUTRAM, asynchronous read at an address computed by one LUT
module fx_lutram (input wire clk, input wire we, input wire [4:0] wa, input wire [4:0] a, input wire [4:0] b,
                  input wire [15:0] d, output reg [15:0] y);
reg [15:0] mem [0:31];
reg [4:0] ra, rb, rwa;
reg rwe;
reg [15:0] rd;
always @(posedge clk) begin
    ra <= a; rb <= b; rwa <= wa; rwe <= we; rd <= d;
    if (rwe) mem[rwa] <= rd;
    y <= mem[ra ^ rb];
end
endmodule

// 16-deep shift register (SRL16E) into a flip-flop
module fx_srl (input wire clk, input wire d, output reg q);
reg [15:0] sh;
always @(posedge clk) begin sh <= {sh[14:0], d}; q <= sh[15]; end
endmodule

// 8 LUT6 -> 4 MUXF7 -> 2 MUXF8 -> 1 MUXF9, instantiated
module fx_muxf (input wire clk, input wire [47:0] d, input wire [2:0] s, output reg q);
reg [47:0] rd;
reg [2:0] rs;
wire [7:0] l;
wire [3:0] m7;
wire [1:0] m8;
wire m9;
genvar i;
generate for (i = 0; i < 8; i = i + 1) begin : g
    (* keep *) LUT6 #(.INIT(64'h8000000000000001)) lut (.I0(rd[6*i]), .I1(rd[6*i+1]), .I2(rd[6*i+2]),
                                                      .I3(rd[6*i+3]), .I4(rd[6*i+4]), .I5(rd[6*i+5]), .O(l[i]));
end
for (i = 0; i < 4; i = i + 1) begin : g7
    (* keep *) MUXF7 mux (.I0(l[2*i]), .I1(l[2*i+1]), .S(rs[0]), .O(m7[i]));
end
for (i = 0; i < 2; i = i + 1) begin : g8
    (* keep *) MUXF8 mux (.I0(m7[2*i]), .I1(m7[2*i+1]), .S(rs[1]), .O(m8[i]));
end
endgenerate
(* keep *) MUXF9 mux9 (.I0(m8[0]), .I1(m8[1]), .S(rs[2]), .O(m9));
always @(posedge clk) begin rd <= d; rs <= s; q <= m9; end
endmodule
