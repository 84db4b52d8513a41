// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Vector-store bench: 6,000 cycles of random writes on all four write ports (the three state-slot ports often on
// the same word, to exercise their priority h0 > fs > wb) and random reads on all four read ports, against a
// behavioural model (two plain arrays). Checks every cycle: each registered read returns the word as it was
// before that cycle's writes (read-before-write on the same word) and the port priority on colliding writes.
// A non-power-of-two state depth checks that only the words below DEPTH are used.
module tb_lfads_vector_store;

localparam integer WIDTH = 64;
localparam integer DEPTH = 44;          // e.g. 22 slots x 2 words
localparam integer AW = 6;
localparam integer CIH_DEPTH = 32;
localparam integer CAW = 5;
localparam integer CYCLES = 6000;

reg clk = 0;
always #5 clk = ~clk;

reg              wb_we = 0, fs_we = 0, h0_we = 0, cih_we = 0;
reg  [AW-1:0]    wb_addr = 0, fs_addr = 0, h0_addr = 0, col_addr = 0, h_addr = 0, z_addr = 0;
reg  [WIDTH-1:0] wb_data = 0, fs_data = 0, h0_data = 0, cih_wdata = 0;
reg  [CAW-1:0]   cih_waddr = 0, cih_raddr = 0;
wire [WIDTH-1:0] col_data, h_data, z_data, cih_rdata;

lfads_vector_store #(
    .WIDTH(WIDTH), .DEPTH(DEPTH), .ADDR_WIDTH(AW), .CIH_DEPTH(CIH_DEPTH), .CIH_ADDR_WIDTH(CAW)
) dut (
    .clk(clk),
    .wb_we(wb_we), .wb_addr(wb_addr), .wb_data(wb_data),
    .fs_we(fs_we), .fs_addr(fs_addr), .fs_data(fs_data),
    .h0_we(h0_we), .h0_addr(h0_addr), .h0_data(h0_data),
    .col_addr(col_addr), .col_data(col_data),
    .h_addr(h_addr), .h_data(h_data),
    .z_addr(z_addr), .z_data(z_data),
    .cih_we(cih_we), .cih_waddr(cih_waddr), .cih_wdata(cih_wdata),
    .cih_raddr(cih_raddr), .cih_rdata(cih_rdata)
);

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED0D15;

// behavioural model
reg [WIDTH-1:0] m_vst [0:DEPTH-1];
reg [WIDTH-1:0] m_cih [0:CIH_DEPTH-1];
reg [WIDTH-1:0] e_col = 0, e_h = 0, e_z = 0, e_cih = 0;

integer checks = 0, errors = 0, collisions = 0, rbw = 0;
reg [31:0] checksum = 0;

function [WIDTH-1:0] rand_word(input [31:0] a, input [31:0] b);
    rand_word = {a, b};
endfunction

task check(input [WIDTH-1:0] got, input [WIDTH-1:0] exp, input [8*8-1:0] name, input integer cyc);
    begin
        checks = checks + 1;
        checksum = tb_xorshift32(checksum ^ got[31:0] ^ got[63:32] ^ 32'h1);
        if (got !== exp) begin
            errors = errors + 1;
            if (errors < 10) $display("ERROR cycle %0d: %0s read %h, expected %h", cyc, name, got, exp);
        end
    end
endtask

integer i, cyc;
reg [31:0] r1, r2;
reg [AW-1:0] base;
initial begin
    for (i = 0; i < DEPTH; i = i + 1) m_vst[i] = 0;
    for (i = 0; i < CIH_DEPTH; i = i + 1) m_cih[i] = 0;
    @(posedge clk); #1;
    for (cyc = 0; cyc < CYCLES; cyc = cyc + 1) begin
        // this cycle's inputs: addresses from a small window one time in three (collisions), else anywhere
        rng = tb_xorshift32(rng);
        base = rng % DEPTH;
        rng = tb_xorshift32(rng);
        wb_we = rng[0]; fs_we = rng[1] & rng[2]; h0_we = rng[3] & rng[4]; cih_we = rng[5];
        if (rng[7:6] == 0) begin
            wb_addr = base; fs_addr = (base + rng[8]) % DEPTH; h0_addr = (base + rng[9]) % DEPTH;
            col_addr = (base + rng[10]) % DEPTH; h_addr = base; z_addr = (base + rng[11]) % DEPTH;
        end else begin
            rng = tb_xorshift32(rng); wb_addr = rng % DEPTH;
            rng = tb_xorshift32(rng); fs_addr = rng % DEPTH;
            rng = tb_xorshift32(rng); h0_addr = rng % DEPTH;
            rng = tb_xorshift32(rng); col_addr = rng % DEPTH;
            rng = tb_xorshift32(rng); h_addr = rng % DEPTH;
            rng = tb_xorshift32(rng); z_addr = rng % DEPTH;
        end
        rng = tb_xorshift32(rng); cih_waddr = rng % CIH_DEPTH;
        rng = tb_xorshift32(rng); cih_raddr = rng[31] ? cih_waddr : rng % CIH_DEPTH;
        rng = tb_xorshift32(rng); r1 = rng; rng = tb_xorshift32(rng); r2 = rng; wb_data = rand_word(r1, r2);
        rng = tb_xorshift32(rng); r1 = rng; rng = tb_xorshift32(rng); r2 = rng; fs_data = rand_word(r1, r2);
        rng = tb_xorshift32(rng); r1 = rng; rng = tb_xorshift32(rng); r2 = rng; h0_data = rand_word(r1, r2);
        rng = tb_xorshift32(rng); r1 = rng; rng = tb_xorshift32(rng); r2 = rng; cih_wdata = rand_word(r1, r2);
        // expected reads: the words before this cycle's writes
        e_col = m_vst[col_addr];
        e_h = m_vst[h_addr];
        e_z = m_vst[z_addr];
        e_cih = m_cih[cih_raddr];
        if ((wb_we && (wb_addr == col_addr || wb_addr == h_addr || wb_addr == z_addr))
            || (cih_we && cih_waddr == cih_raddr))
            rbw = rbw + 1;
        if ((wb_we && fs_we && wb_addr == fs_addr) || (h0_we && fs_we && h0_addr == fs_addr)
            || (h0_we && wb_we && h0_addr == wb_addr))
            collisions = collisions + 1;
        // writes, the later port winning
        if (wb_we) m_vst[wb_addr] = wb_data;
        if (fs_we) m_vst[fs_addr] = fs_data;
        if (h0_we) m_vst[h0_addr] = h0_data;
        if (cih_we) m_cih[cih_waddr] = cih_wdata;
        @(posedge clk); #1;
        check(col_data, e_col, "col", cyc);
        check(h_data, e_h, "h", cyc);
        check(z_data, e_z, "z", cyc);
        check(cih_rdata, e_cih, "cih", cyc);
    end
    // every word once more through each read port
    wb_we = 0; fs_we = 0; h0_we = 0; cih_we = 0;
    for (i = 0; i < DEPTH; i = i + 1) begin
        col_addr = i; h_addr = DEPTH - 1 - i; z_addr = (i * 7) % DEPTH; cih_raddr = i % CIH_DEPTH;
        e_col = m_vst[col_addr]; e_h = m_vst[h_addr]; e_z = m_vst[z_addr]; e_cih = m_cih[cih_raddr];
        @(posedge clk); #1;
        check(col_data, e_col, "col", CYCLES + i);
        check(h_data, e_h, "h", CYCLES + i);
        check(z_data, e_z, "z", CYCLES + i);
        check(cih_rdata, e_cih, "cih", CYCLES + i);
    end
    if (errors == 0 && collisions > 100 && rbw > 100)
        $display("PASS lfads_vector_store: %0d checks, %0d colliding writes, %0d reads of a word being written, checksum %h",
                 checks, collisions, rbw, checksum);
    else
        $display("FAIL lfads_vector_store: %0d errors (%0d collisions, %0d read-before-write cases)", errors, collisions, rbw);
    $finish;
end

endmodule
`resetall
