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
 * Timing today: the memories are flip-flops (for the default configuration 22 x 32 = 704 words of 1,024 bits for the
 * state slots alone) and each read is a DEPTH:1 multiplexer in front of its output register; every write decodes a
 * full address per word. This keeps the engine's cycle count exactly as before the split (the reads already had
 * one register, the writes are visible to a read one cycle later).
 *
 * Issue 13 point 3 wants this banked in LUTRAM / BRAM with registered reads (a RAM's read is synchronous: address
 * register -> array -> output register). A bank per write port and per read port (or a live-value table over
 * banks) keeps three writes a cycle; the read then takes one more cycle than today (address registered, then the
 * RAM's output register): +1 cycle on the column path (stage A -> S1) and +1 on the h/z path (the MAC array's tag
 * must then leave one stage earlier). The column path's extra cycle is pipeline latency: it adds one cycle to every
 * dependent pass's issue-to-write-back distance (the scoreboard waits for the write), i.e. about one cycle per
 * dependent pass in the schedule (CycleModel's issue-side stage count + 1), which interleaving independent passes
 * hides only partly. The h/z path costs nothing when its address comes one stage earlier from the tag.
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

reg [WIDTH-1:0] vst [0:DEPTH-1];
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
    for (i = 0; i < DEPTH; i = i + 1) vst[i] = 0;
    for (i = 0; i < CIH_DEPTH; i = i + 1) cih[i] = 0;
end
`endif

always @(posedge clk) begin
    // in this order: on the same word, the later write wins
    if (wb_we)
        vst[wb_addr] <= wb_data;
    if (fs_we)
        vst[fs_addr] <= fs_data;
    if (h0_we)
        vst[h0_addr] <= h0_data;
    col_data <= vst[col_addr];
    h_data <= vst[h_addr];
    z_data <= vst[z_addr];
end

always @(posedge clk) begin
    if (cih_we)
        cih[cih_waddr] <= cih_wdata;
    cih_rdata <= cih[cih_raddr];
end

endmodule

`resetall
