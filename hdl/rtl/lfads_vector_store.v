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
 * CI history (CIH_DEPTH words): one write port (the CI encoders' new states), one read (stage S1) through the
 * block RAM's registered read and its output register: its address a cycle early (cih_raddr_next), as the state
 * slots' (below).
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
 * Address registers, replicated (issue 13 point 2): every address and write enable reaches the LUTRAM from a
 * flip-flop of this module, one copy per group of GROUP_BITS bits of the word (the banks are split into GROUPS
 * column groups, each with its own copies), so that no address bit drives more than ~LOADS_MAX LUTRAM address
 * pins: one address bit reaches 3 banks x ceil(DEPTH / 32) RAM32M16 (2 bits each) or ceil(DEPTH / 64) RAM64M8
 * (1 bit each) per word bit, ~1.5 x ceil(DEPTH / 32) pins per word bit. Small CI configuration (128 bits x 176
 * words): 5 groups of 26 bits (the last 24), at most 252 LUTRAM address pins per copy (Yosys netlist; was 1,197
 * per address bit); default 64 x 32 (1,024 x 88): 19 groups of 54 bits (the last 52), at most 252 (was 4,662).
 * The copies are `keep` / `dont_touch`, so that neither Yosys nor Vivado merges them back into one register with
 * the whole fanout. Cost: GROUPS x (6 x ADDR_WIDTH + 3) flip-flops, the h0 data register (WIDTH flip-flops) and a
 * few % more LUTRAM cells from the group boundaries (900 RAM64M8 instead of 855 small; 3,420 RAM32M16 instead of
 * 3,330 at 64 x 32).
 * The ports therefore take every state-slot address one cycle early (*_next: the value the register takes at this
 * edge), and the write enables too (their priority compares are made on the *_next values and registered):
 *   col_addr_next, h_addr_next, z_addr_next: the address of the read whose data is registered at the next edge
 *       (the read registers are where they were: col_data is the word at the address of the cycle before);
 *   wb_we_next / wb_addr_next, fs_we_next / fs_addr_next: the write made at the next edge, with wb_data / fs_data
 *       of that cycle (the data is not registered here);
 *   h0_we_next / h0_addr_next / h0_data_next: a registered write port, data included (the h0 copy's data is a
 *       combinational read of the h0 memory addressed by the same counter): the write lands one cycle after the
 *       inputs. lfads_engine copies the h0 words only while the pipeline is drained and starts the trial's
 *       first pass after the copy, so that one cycle is not visible (the engine's cycles are unchanged).
 * The CI history's write port is as before (block RAM: a few address pins per bit).
 *
 * The CI history is a simple dual-port block RAM (one write, one read) in UG901's template with the optional output
 * register: the read at cih_raddr_next into the RAM's latch, then cih_rdata as the output register (DO*_REG), so
 * cih_rdata shows the word a cycle later, as it did when the read was registered once from the address a cycle
 * later. The one difference: the word is read as it was before the edge the address is registered at, not the edge
 * after, so a write landing at that edge is not seen. lfads_engine reads no CI-history word in the cycle it is written
 * (its scoreboard holds a reading pass until the writes are done; a simulation check there stops on it).
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
    parameter CIH_ADDR_WIDTH = 9,
    // LUTRAM address pins one address register copy may drive (sets the number of copies)
    parameter LOADS_MAX = 256
)
(
    input  wire                          clk,

    // state-slot writes at the next edge (priority h0 > fs > wb on the same word); data in the write's cycle
    input  wire                          wb_we_next,
    input  wire [ADDR_WIDTH-1:0]         wb_addr_next,
    input  wire [WIDTH-1:0]              wb_data,
    input  wire                          fs_we_next,
    input  wire [ADDR_WIDTH-1:0]         fs_addr_next,
    input  wire [WIDTH-1:0]              fs_data,
    // h0 copy: a registered write port (the write lands one cycle later, data included)
    input  wire                          h0_we_next,
    input  wire [ADDR_WIDTH-1:0]         h0_addr_next,
    input  wire [WIDTH-1:0]              h0_data_next,

    // state-slot registered reads: the read address register is here (*_addr_next is the next cycle's read address);
    // *_data is the word at that address as it was before that cycle's writes, registered at the end of that cycle
    input  wire [ADDR_WIDTH-1:0]         col_addr_next,
    output wire [WIDTH-1:0]              col_data,
    input  wire [ADDR_WIDTH-1:0]         h_addr_next,
    output wire [WIDTH-1:0]              h_data,
    input  wire [ADDR_WIDTH-1:0]         z_addr_next,
    output wire [WIDTH-1:0]              z_data,

    // CI history
    input  wire                          cih_we,
    input  wire [CIH_ADDR_WIDTH-1:0]     cih_waddr,
    input  wire [WIDTH-1:0]              cih_wdata,
    input  wire [CIH_ADDR_WIDTH-1:0]     cih_raddr_next,
    output reg  [WIDTH-1:0]              cih_rdata
);

// LUTRAM address pins per word bit of one address bit (3 banks, ~1.5 per 32 words), the groups and their width
localparam integer PINS_PER_BIT_X2 = 3 * ((DEPTH + 31) / 32);
localparam integer GROUP_BITS_MAX = (2 * LOADS_MAX / PINS_PER_BIT_X2 < 1) ? 1 : 2 * LOADS_MAX / PINS_PER_BIT_X2;
localparam integer GROUPS = (WIDTH + GROUP_BITS_MAX - 1) / GROUP_BITS_MAX;
localparam integer GROUP_BITS = (WIDTH + GROUPS - 1) / GROUPS;

// same word written by two ports in one cycle: only the highest-priority port writes (h0 > fs > wb); the compares
// on the next cycle's addresses, registered with the copies
wire h0_wr_next = h0_we_next;
wire fs_wr_next = fs_we_next && !(h0_we_next && h0_addr_next == fs_addr_next);
wire wb_wr_next = wb_we_next && !(h0_we_next && h0_addr_next == wb_addr_next) && !(fs_we_next && fs_addr_next == wb_addr_next);

genvar g;
generate
for (g = 0; g < GROUPS; g = g + 1) begin : g_col
    localparam integer LO = g * GROUP_BITS;
    localparam integer GB = (WIDTH - LO < GROUP_BITS) ? WIDTH - LO : GROUP_BITS;

    // this group's copies of the addresses and write enables (the stage-A column address register of lfads_engine,
    // the tag's h / z addresses, the write ports'), one copy per group. keep / dont_touch on the registers for Vivado;
    // Yosys (0.23) merges identical flip-flops despite a keep on the wire, but not the cells of a process marked keep
    (* keep = "true", dont_touch = "true" *) reg [ADDR_WIDTH-1:0] col_a = 0, h_a = 0, z_a = 0;
    (* keep = "true", dont_touch = "true" *) reg [ADDR_WIDTH-1:0] wb_a = 0, fs_a = 0, h0_a = 0;
    (* keep = "true", dont_touch = "true" *) reg                  wb_w = 1'b0, fs_w = 1'b0, h0_w = 1'b0;
    (* keep = "true" *) always @(posedge clk) begin
        col_a <= col_addr_next;
        h_a <= h_addr_next;
        z_a <= z_addr_next;
        wb_a <= wb_addr_next;
        fs_a <= fs_addr_next;
        h0_a <= h0_addr_next;
        wb_w <= wb_wr_next;
        fs_w <= fs_wr_next;
        h0_w <= h0_wr_next;
    end
    reg [GB-1:0] h0_d = 0;
    always @(posedge clk) h0_d <= h0_data_next[LO +: GB];

    // the three banks of this group's bits: word = bank_wb ^ bank_fs ^ bank_h0
    (* ram_style = "distributed" *) reg [GB-1:0] bank_wb [0:DEPTH-1];
    (* ram_style = "distributed" *) reg [GB-1:0] bank_fs [0:DEPTH-1];
    (* ram_style = "distributed" *) reg [GB-1:0] bank_h0 [0:DEPTH-1];
    reg [GB-1:0] col_q = 0, h_q = 0, z_q = 0;

    // Simulation starts the memories at zero, as configuration does on the FPGA. Not elaborated for synthesis:
    // Yosys unrolls the loops into init values and spent minutes in its frontend on them.
`ifndef SYNTHESIS
    integer k;
    initial begin
        for (k = 0; k < DEPTH; k = k + 1) begin
            bank_wb[k] = 0;
            bank_fs[k] = 0;
            bank_h0[k] = 0;
        end
    end
`endif

    always @(posedge clk) begin
        if (wb_w)
            bank_wb[wb_a] <= wb_data[LO +: GB] ^ bank_fs[wb_a] ^ bank_h0[wb_a];
        if (fs_w)
            bank_fs[fs_a] <= fs_data[LO +: GB] ^ bank_wb[fs_a] ^ bank_h0[fs_a];
        if (h0_w)
            bank_h0[h0_a] <= h0_d ^ bank_wb[h0_a] ^ bank_fs[h0_a];
        col_q <= bank_wb[col_a] ^ bank_fs[col_a] ^ bank_h0[col_a];
        h_q <= bank_wb[h_a] ^ bank_fs[h_a] ^ bank_h0[h_a];
        z_q <= bank_wb[z_a] ^ bank_fs[z_a] ^ bank_h0[z_a];
    end
    assign col_data[LO +: GB] = col_q;
    assign h_data[LO +: GB] = h_q;
    assign z_data[LO +: GB] = z_q;
end
endgenerate

reg [WIDTH-1:0] cih [0:CIH_DEPTH-1];
reg [WIDTH-1:0] cih_q = 0;               // the RAM's registered read
initial cih_rdata = 0;
`ifndef SYNTHESIS
integer i;
initial for (i = 0; i < CIH_DEPTH; i = i + 1) cih[i] = 0;
`endif

always @(posedge clk) begin
    if (cih_we)
        cih[cih_waddr] <= cih_wdata;
    cih_q <= cih[cih_raddr_next];
    cih_rdata <= cih_q;
end

endmodule

`resetall
