// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Projection-lane bench (lfads_proj_lane): random mixes of writes (wide values of either sign) and reads with
// rd_en on or off, against a reference copy of the memory kept here. Checks rd_q every cycle: three cycles after
// a read it shows the entry read, and it holds that value while no read arrives. Writes land one cycle after they
// are presented. Directed: every entry written first (the engine never reads an entry it has not written), a write
// and a read of the same entry presented in the same cycle (the read sees the old value), a read of it in the next
// cycle (sees the new value), back-to-back reads of different entries. Three lanes take the same inputs: one memory
// (the default BANK_DEPTH), three full banks of 8, and a bank of 16 with a partial one of 8; each is checked, so a
// read crossing banks (and rd_q holding across a read of another bank) is covered.
module tb_lfads_proj_lane;

localparam integer ACC = 48, D = 24, AW = 5;

reg clk = 0;
always #5 clk = ~clk;

reg             wr_en = 0, rd_en = 0;
reg  [AW-1:0]   wr_addr = 0, rd_addr = 0;
reg  [ACC-1:0]  wr_data = 0;
wire [ACC-1:0]  rd_q, rd_q_b8, rd_q_b16;

lfads_proj_lane #(.ACC_WIDTH(ACC), .DEPTH(D), .AW(AW)) dut (
    .clk(clk), .wr_en(wr_en), .wr_addr(wr_addr), .wr_data(wr_data), .rd_en(rd_en), .rd_addr(rd_addr), .rd_q(rd_q));
lfads_proj_lane #(.ACC_WIDTH(ACC), .DEPTH(D), .AW(AW), .BANK_DEPTH(8)) dut_b8 (
    .clk(clk), .wr_en(wr_en), .wr_addr(wr_addr), .wr_data(wr_data), .rd_en(rd_en), .rd_addr(rd_addr), .rd_q(rd_q_b8));
lfads_proj_lane #(.ACC_WIDTH(ACC), .DEPTH(D), .AW(AW), .BANK_DEPTH(16)) dut_b16 (
    .clk(clk), .wr_en(wr_en), .wr_addr(wr_addr), .wr_data(wr_data), .rd_en(rd_en), .rd_addr(rd_addr),
    .rd_q(rd_q_b16));

`include "tb_rand.vh"
reg [31:0] rng = 32'h0DDBA11E;

reg [ACC-1:0] model [0:D-1];
// the read's three stages and the write's register stage, as the RTL
reg           a_en = 0;
reg [AW-1:0]  a_addr = 0;
reg [ACC-1:0] e_data = 0, e_q = 0;
reg           p_we = 0;
reg [AW-1:0]  p_addr = 0;
reg [ACC-1:0] p_data = 0;
reg           primed = 0;

integer checks = 0, errors = 0, i, n;
reg [31:0] checksum = 0;

task check(input [ACC-1:0] got, input [ACC-1:0] want);
    begin
        checks = checks + 1;
        checksum = tb_xorshift32(checksum ^ got[31:0] ^ {16'd0, got[ACC-1:32]} ^ 32'h9E3779B9);
        if (got !== want) begin
            errors = errors + 1;
            if (errors < 10) $display("MISMATCH rd_q at %0d ns: got %h want %h", $time, got, want);
        end
    end
endtask

task step;
    begin
        e_q = e_data;
        if (a_en) e_data = model[a_addr];
        a_en = rd_en;
        a_addr = rd_addr;
        // the write registered in the previous cycle lands at this edge (after this edge's read)
        if (p_we) model[p_addr] = p_data;
        p_we = wr_en;
        p_addr = wr_addr;
        p_data = wr_data;
        @(posedge clk); #1;
        if (primed) begin
            check(rd_q, e_q);
            check(rd_q_b8, e_q);
            check(rd_q_b16, e_q);
        end
        {wr_en, rd_en} = 0;
    end
endtask

task draw_value;
    reg [63:0] v;
    begin
        rng = tb_xorshift32(rng);
        v[63:32] = rng;
        rng = tb_xorshift32(rng);
        v[31:0] = rng;
        v = $signed(v) >>> (64 - ACC + rng[2:0]);
        wr_data = v[ACC-1:0];
    end
endtask

initial begin
    for (i = 0; i < D; i = i + 1) begin
        wr_en = 1; wr_addr = i; draw_value;
        step;
    end
    step;
    primed = 1;
    // directed: write and read of entry 5 presented together (old value), then a read of it (new value)
    wr_en = 1; wr_addr = 5; wr_data = 48'h8000_0000_0001; rd_en = 1; rd_addr = 5; step;
    rd_en = 1; rd_addr = 5; step;
    rd_en = 1; rd_addr = 6; step;
    rd_en = 1; rd_addr = 23; step;
    repeat (4) step;
    // random mixes
    for (n = 0; n < 4000; n = n + 1) begin
        rng = tb_xorshift32(rng);
        wr_en = rng[0] & rng[1];
        rd_en = rng[2] | rng[3];
        wr_addr = rng[12:8] % D;
        rd_addr = rng[20:16] % D;
        draw_value;
        step;
    end
    if (errors == 0)
        $display("PASS lfads_proj_lane: %0d checks, checksum %h, rng %h", checks, checksum, rng);
    else
        $display("FAIL lfads_proj_lane: %0d errors of %0d checks", errors, checks);
    $finish;
end

endmodule
`resetall
