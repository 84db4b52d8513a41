// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Vector-store bench: 6,000 cycles of random writes on all four write ports (the three state-slot ports often on
// the same word, to exercise their priority h0 > fs > wb) and random reads on all four read ports, against a
// behavioural model (two plain arrays). The state-slot ports take their addresses and write enables one cycle early
// (*_next, registered in the store's replicated address registers), the h0 port its data too: the bench draws each
// cycle's transaction a cycle ahead and drives it on the *_next inputs, the write data (wb, fs) in its own cycle;
// the CI history's read address too (cih_raddr_next: the block RAM's read, then its output register), its write in
// its own cycle. Checks every cycle: each state-slot read returns the word as it was before that cycle's writes
// (read-before-write on the same word), the CI-history read the word as it was before the writes of the cycle its
// address was presented in (often the word written in that cycle), and the port priority on colliding writes. A
// non-power-of-two state depth checks that only the words below DEPTH are used; LOADS_MAX = 40 splits the 64-bit
// word into several column groups (each with its own address registers) with a narrower last group, so a wrong group
// slice or copy shows as a wrong read.
module tb_lfads_vector_store;

localparam integer WIDTH = 64;
localparam integer DEPTH = 44;          // e.g. 22 slots x 2 words
localparam integer AW = 6;
localparam integer CIH_DEPTH = 32;
localparam integer CAW = 5;
localparam integer LOADS_MAX = 40;      // 2 x 40 / (3 x 2) = 13 bits per group: 5 groups of 13, the last 12
localparam integer CYCLES = 6000;

reg clk = 0;
always #5 clk = ~clk;

reg              wb_we_next = 0, fs_we_next = 0, h0_we_next = 0, cih_we = 0;
reg  [AW-1:0]    wb_addr_next = 0, fs_addr_next = 0, h0_addr_next = 0;
reg  [AW-1:0]    col_addr_next = 0, h_addr_next = 0, z_addr_next = 0;
reg  [WIDTH-1:0] wb_data = 0, fs_data = 0, h0_data_next = 0, cih_wdata = 0;
reg  [CAW-1:0]   cih_waddr = 0, cih_raddr_next = 0;
wire [WIDTH-1:0] col_data, h_data, z_data, cih_rdata;

lfads_vector_store #(
    .WIDTH(WIDTH), .DEPTH(DEPTH), .ADDR_WIDTH(AW), .CIH_DEPTH(CIH_DEPTH), .CIH_ADDR_WIDTH(CAW), .LOADS_MAX(LOADS_MAX)
) dut (
    .clk(clk),
    .wb_we_next(wb_we_next), .wb_addr_next(wb_addr_next), .wb_data(wb_data),
    .fs_we_next(fs_we_next), .fs_addr_next(fs_addr_next), .fs_data(fs_data),
    .h0_we_next(h0_we_next), .h0_addr_next(h0_addr_next), .h0_data_next(h0_data_next),
    .col_addr_next(col_addr_next), .col_data(col_data),
    .h_addr_next(h_addr_next), .h_data(h_data),
    .z_addr_next(z_addr_next), .z_data(z_data),
    .cih_we(cih_we), .cih_waddr(cih_waddr), .cih_wdata(cih_wdata),
    .cih_raddr_next(cih_raddr_next), .cih_rdata(cih_rdata)
);

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED0D15;

// behavioural model
reg [WIDTH-1:0] m_vst [0:DEPTH-1];
reg [WIDTH-1:0] m_cih [0:CIH_DEPTH-1];
reg [WIDTH-1:0] e_col = 0, e_h = 0, e_z = 0, e_cih = 0, e_cih_nx = 0;

// a cycle's transaction: n_* drawn a cycle ahead (driven on the *_next inputs), c_* the current cycle's
reg             n_wb_we, n_fs_we, n_h0_we, n_cih_we, c_wb_we, c_fs_we, c_h0_we, c_cih_we;
reg [AW-1:0]    n_wb_addr, n_fs_addr, n_h0_addr, n_col_addr, n_h_addr, n_z_addr;
reg [AW-1:0]    c_wb_addr, c_fs_addr, c_h0_addr, c_col_addr, c_h_addr, c_z_addr;
reg [CAW-1:0]   n_cih_waddr, n_cih_raddr, c_cih_waddr;
reg [WIDTH-1:0] n_wb_data, n_fs_data, n_h0_data, n_cih_wdata, c_wb_data, c_fs_data, c_h0_data, c_cih_wdata;

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

reg [31:0] r1, r2;
reg [AW-1:0] base;
// the transaction of cycle t into n_*: random for t < CYCLES, then every word once more through each read port
task draw(input integer t);
    integer i;
    begin
        if (t >= CYCLES) begin
            i = t - CYCLES;
            n_wb_we = 0; n_fs_we = 0; n_h0_we = 0; n_cih_we = 0;
            n_col_addr = i % DEPTH; n_h_addr = DEPTH - 1 - (i % DEPTH); n_z_addr = (i * 7) % DEPTH;
            n_cih_raddr = i % CIH_DEPTH;
        end else begin
            // addresses from a small window one time in four (collisions), else anywhere
            rng = tb_xorshift32(rng);
            base = rng % DEPTH;
            rng = tb_xorshift32(rng);
            n_wb_we = rng[0]; n_fs_we = rng[1] & rng[2]; n_h0_we = rng[3] & rng[4]; n_cih_we = rng[5];
            if (rng[7:6] == 0) begin
                n_wb_addr = base; n_fs_addr = (base + rng[8]) % DEPTH; n_h0_addr = (base + rng[9]) % DEPTH;
                n_col_addr = (base + rng[10]) % DEPTH; n_h_addr = base; n_z_addr = (base + rng[11]) % DEPTH;
            end else begin
                rng = tb_xorshift32(rng); n_wb_addr = rng % DEPTH;
                rng = tb_xorshift32(rng); n_fs_addr = rng % DEPTH;
                rng = tb_xorshift32(rng); n_h0_addr = rng % DEPTH;
                rng = tb_xorshift32(rng); n_col_addr = rng % DEPTH;
                rng = tb_xorshift32(rng); n_h_addr = rng % DEPTH;
                rng = tb_xorshift32(rng); n_z_addr = rng % DEPTH;
            end
            rng = tb_xorshift32(rng); n_cih_waddr = rng % CIH_DEPTH;
            // the read's address is presented a cycle before its data: often the word written in that cycle (c_*),
            // whose write it must not see, or the word written in the read's own cycle
            rng = tb_xorshift32(rng); n_cih_raddr = rng[31] ? (rng[30] ? c_cih_waddr : n_cih_waddr) : rng % CIH_DEPTH;
            rng = tb_xorshift32(rng); r1 = rng; rng = tb_xorshift32(rng); r2 = rng; n_wb_data = rand_word(r1, r2);
            rng = tb_xorshift32(rng); r1 = rng; rng = tb_xorshift32(rng); r2 = rng; n_fs_data = rand_word(r1, r2);
            rng = tb_xorshift32(rng); r1 = rng; rng = tb_xorshift32(rng); r2 = rng; n_h0_data = rand_word(r1, r2);
            rng = tb_xorshift32(rng); r1 = rng; rng = tb_xorshift32(rng); r2 = rng; n_cih_wdata = rand_word(r1, r2);
        end
    end
endtask

integer i, cyc;
initial begin
    for (i = 0; i < DEPTH; i = i + 1) m_vst[i] = 0;
    for (i = 0; i < CIH_DEPTH; i = i + 1) m_cih[i] = 0;
    n_wb_addr = 0; n_fs_addr = 0; n_h0_addr = 0; n_cih_waddr = 0; c_cih_waddr = 0;
    n_wb_data = 0; n_fs_data = 0; n_h0_data = 0; n_cih_wdata = 0;
    draw(0);
    wb_we_next = n_wb_we; fs_we_next = n_fs_we; h0_we_next = n_h0_we;
    wb_addr_next = n_wb_addr; fs_addr_next = n_fs_addr; h0_addr_next = n_h0_addr; h0_data_next = n_h0_data;
    col_addr_next = n_col_addr; h_addr_next = n_h_addr; z_addr_next = n_z_addr;
    cih_raddr_next = n_cih_raddr; e_cih_nx = m_cih[n_cih_raddr];
    @(posedge clk); #1;
    for (cyc = 0; cyc < CYCLES + DEPTH; cyc = cyc + 1) begin
        c_wb_we = n_wb_we; c_fs_we = n_fs_we; c_h0_we = n_h0_we; c_cih_we = n_cih_we;
        c_wb_addr = n_wb_addr; c_fs_addr = n_fs_addr; c_h0_addr = n_h0_addr;
        c_col_addr = n_col_addr; c_h_addr = n_h_addr; c_z_addr = n_z_addr;
        c_cih_waddr = n_cih_waddr;
        c_wb_data = n_wb_data; c_fs_data = n_fs_data; c_h0_data = n_h0_data; c_cih_wdata = n_cih_wdata;
        draw(cyc + 1);
        // the state-slot ports a cycle ahead (the h0 port's data too), the write data and the CI history now
        wb_we_next = n_wb_we; fs_we_next = n_fs_we; h0_we_next = n_h0_we;
        wb_addr_next = n_wb_addr; fs_addr_next = n_fs_addr; h0_addr_next = n_h0_addr; h0_data_next = n_h0_data;
        col_addr_next = n_col_addr; h_addr_next = n_h_addr; z_addr_next = n_z_addr; cih_raddr_next = n_cih_raddr;
        wb_data = c_wb_data; fs_data = c_fs_data;
        cih_we = c_cih_we; cih_waddr = c_cih_waddr; cih_wdata = c_cih_wdata;
        // expected reads: the state slots' words before this cycle's writes; the CI history's before the writes of
        // the cycle its address was presented in (e_cih_nx: the word at the next cycle's address, before this cycle's)
        e_col = m_vst[c_col_addr];
        e_h = m_vst[c_h_addr];
        e_z = m_vst[c_z_addr];
        e_cih = e_cih_nx;
        e_cih_nx = m_cih[n_cih_raddr];
        if ((c_wb_we && (c_wb_addr == c_col_addr || c_wb_addr == c_h_addr || c_wb_addr == c_z_addr))
            || (c_cih_we && c_cih_waddr == n_cih_raddr))
            rbw = rbw + 1;
        if ((c_wb_we && c_fs_we && c_wb_addr == c_fs_addr) || (c_h0_we && c_fs_we && c_h0_addr == c_fs_addr)
            || (c_h0_we && c_wb_we && c_h0_addr == c_wb_addr))
            collisions = collisions + 1;
        // writes, the later port winning
        if (c_wb_we) m_vst[c_wb_addr] = c_wb_data;
        if (c_fs_we) m_vst[c_fs_addr] = c_fs_data;
        if (c_h0_we) m_vst[c_h0_addr] = c_h0_data;
        if (c_cih_we) m_cih[c_cih_waddr] = c_cih_wdata;
        @(posedge clk); #1;
        check(col_data, e_col, "col", cyc);
        check(h_data, e_h, "h", cyc);
        check(z_data, e_z, "z", cyc);
        check(cih_rdata, e_cih, "cih", cyc);
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
