// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Vector store of lfads_engine: the state slots (encoder / controller / generator states, the GRU's update gate z
 * and r*h, the IC mean, controller output, factors) and the controller-input history (forward and backward CI
 * encoder outputs of every encoder step). One word is one row block: ROW_LANES values of DATA_WIDTH bits.
 *
 * State slots (DEPTH words), three write ports applied in one cycle, a later port winning on the same word:
 *   wb_*   the write-back's result row block (a GRU gate, a new state, a linear layer's output);
 *   fs_*   the factor layer's second output (the state-format factors the controller reads);
 *   h0_*   the copy of the initial states into their slots at the start of a trial (one word a cycle).
 * Three read ports, each a registered read (the word as it was before this cycle's writes):
 *   col_*  the column vector of the tile being issued (lfads_engine stage S1);
 *   h_*    the old state of the row block leaving the MAC array (the GRU update's h);
 *   z_*    its update gate z.
 * CI history (CIH_DEPTH words): one write port (the CI encoders' new states), one registered read (stage S1).
 *
 * State slots in LUTRAM, three write ports by the XOR scheme (LaForest & Steffan, "Efficient Multi-Ported
 * Memories for FPGAs", FPGA 2010/2012): one bank per write port (bank_wb, bank_fs, bank_h0), each written only by
 * its port, and a word's value is the XOR of its three banks. A port writing d at address a stores
 * d ^ (the other two banks at a), read before this cycle's writes; a read XORs the three banks at its address.
 * Each bank has one write port and five asynchronous reads (col, h, z and the other two ports' write addresses):
 * RAM64M8 (one write, seven reads, 64 x 1 bit each) on UltraScale+. Two ports writing the same word in one
 * cycle: only the highest-priority one writes (h0 > fs > wb, as before; address compares on the write side), so
 * the XOR stays consistent. Reads are registered after the XOR, each read register at the same cycle as before
 * (the word as it was before this cycle's writes): the engine's cycles are unchanged.
 * Timing (issue 13 points 2 and 3): address -> LUTRAM read (one LUT per 64 words) -> depth select and the three-bank
 * XOR -> read register, and LUTRAM -> XOR -> the other banks' write data, a few LUT levels each, instead of a
 * DEPTH:1 flip-flop multiplexer (4 LUT levels + MUXF7/8/9 at 176 words). Area: three banks of DEPTH x WIDTH
 * LUTRAM bits (SLICEM LUTs) instead of DEPTH x WIDTH flip-flops and three DEPTH:1 multiplexers per bit.
 *
 * The CI history is a simple dual-port block RAM (one write, one registered read).
 */
module lfads_vector_store #
(
    // bits of one word (ROW_LANES * DATA_WIDTH)
    parameter WIDTH = 128,
    // state-slot words (slots * words per slot) and their address width
    parameter DEPTH = 176,
    parameter ADDR_WIDTH = 8,
    // CI-history words and their address width
    parameter CIH_DEPTH = 512,
    parameter CIH_ADDR_WIDTH = 9
)
(
    input  wire                          clk,

    // state-slot writes (priority h0 > fs > wb on the same word)
    input  wire                          wb_we,
    input  wire [ADDR_WIDTH-1:0]         wb_addr,
    input  wire [WIDTH-1:0]              wb_data,
    input  wire                          fs_we,
    input  wire [ADDR_WIDTH-1:0]         fs_addr,
    input  wire [WIDTH-1:0]              fs_data,
    input  wire                          h0_we,
    input  wire [ADDR_WIDTH-1:0]         h0_addr,
    input  wire [WIDTH-1:0]              h0_data,

    // state-slot registered reads
    input  wire [ADDR_WIDTH-1:0]         col_addr,
    output reg  [WIDTH-1:0]              col_data,
    input  wire [ADDR_WIDTH-1:0]         h_addr,
    output reg  [WIDTH-1:0]              h_data,
    input  wire [ADDR_WIDTH-1:0]         z_addr,
    output reg  [WIDTH-1:0]              z_data,

    // CI history
    input  wire                          cih_we,
    input  wire [CIH_ADDR_WIDTH-1:0]     cih_waddr,
    input  wire [WIDTH-1:0]              cih_wdata,
    input  wire [CIH_ADDR_WIDTH-1:0]     cih_raddr,
    output reg  [WIDTH-1:0]              cih_rdata
);

// the three banks: word = bank_wb ^ bank_fs ^ bank_h0
(* ram_style = "distributed" *) reg [WIDTH-1:0] bank_wb [0:DEPTH-1];
(* ram_style = "distributed" *) reg [WIDTH-1:0] bank_fs [0:DEPTH-1];
(* ram_style = "distributed" *) reg [WIDTH-1:0] bank_h0 [0:DEPTH-1];
reg [WIDTH-1:0] cih [0:CIH_DEPTH-1];

initial begin
    col_data = 0;
    h_data = 0;
    z_data = 0;
    cih_rdata = 0;
end

integer i;
// Simulation starts the memories at zero, as configuration does on the FPGA. Not elaborated for synthesis: Yosys
// unrolls the loops into init values and spent minutes in its frontend on them.
`ifndef SYNTHESIS
initial begin
    for (i = 0; i < DEPTH; i = i + 1) begin
        bank_wb[i] = 0;
        bank_fs[i] = 0;
        bank_h0[i] = 0;
    end
    for (i = 0; i < CIH_DEPTH; i = i + 1) cih[i] = 0;
end
`endif

// same word written by two ports in one cycle: only the highest-priority port writes (h0 > fs > wb)
wire h0_wr = h0_we;
wire fs_wr = fs_we && !(h0_we && h0_addr == fs_addr);
wire wb_wr = wb_we && !(h0_we && h0_addr == wb_addr) && !(fs_we && fs_addr == wb_addr);

always @(posedge clk) begin
    if (wb_wr)
        bank_wb[wb_addr] <= wb_data ^ bank_fs[wb_addr] ^ bank_h0[wb_addr];
    if (fs_wr)
        bank_fs[fs_addr] <= fs_data ^ bank_wb[fs_addr] ^ bank_h0[fs_addr];
    if (h0_wr)
        bank_h0[h0_addr] <= h0_data ^ bank_wb[h0_addr] ^ bank_fs[h0_addr];
    col_data <= bank_wb[col_addr] ^ bank_fs[col_addr] ^ bank_h0[col_addr];
    h_data <= bank_wb[h_addr] ^ bank_fs[h_addr] ^ bank_h0[h_addr];
    z_data <= bank_wb[z_addr] ^ bank_fs[z_addr] ^ bank_h0[z_addr];
end

always @(posedge clk) begin
    if (cih_we)
        cih[cih_waddr] <= cih_wdata;
    cih_rdata <= cih[cih_raddr];
end

endmodule

`resetall
