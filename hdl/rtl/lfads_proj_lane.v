// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Projection ring of one MAC row lane (online mode, docs/kernel-numerics.md section 13): the exact accumulator
 * W_ih x + b of this lane's row in every encoder row block of every bin in the window. The engine has one per row
 * lane, as it has one lfads_weight_lane; it writes a row block's accumulators when the newest bin's input columns
 * have been summed (the MAC array's accumulator in the cycle that beat leaves the array) and reads them when a
 * later window's encoder step starts that row block from them instead of from the bias and the input tiles.
 *
 * Written in Vivado's inference template (UG901, "RAM HDL Coding Techniques"): simple dual-port block RAM (UltraRAM
 * for rings of 4,096 entries or more, see below), one
 * write port, a registered read and the output register (RAMB DOB_REG) as a second register.
 *
 * Timing, as lfads_weight_lane's tile read: a cycle with rd_en high reads rd_addr; rd_q shows it three cycles
 * later (the lane's own copy of the address, the read, the output register), and holds it until the next read
 * arrives. A write is registered once in the lane (the engine's broadcast reaches each lane through one register,
 * and the RAM's write port sees only register outputs), so it lands one cycle after it is presented; a read whose
 * address is registered in the same cycle as the write's sees the old value (read-first).
 */
module lfads_proj_lane #
(
    // accumulator width
    parameter ACC_WIDTH = 48,
    // entries: ring slots x encoder row blocks per slot
    parameter DEPTH = 1024,
    parameter AW = $clog2(DEPTH)
)
(
    input  wire                  clk,

    input  wire                  wr_en,
    input  wire [AW-1:0]         wr_addr,
    input  wire [ACC_WIDTH-1:0]  wr_data,

    input  wire                  rd_en,
    input  wire [AW-1:0]         rd_addr,
    output reg  [ACC_WIDTH-1:0]  rd_q
);

// Block RAM for small rings, UltraRAM for large ones (the default 64 x 32 configuration: 6,144 x 48 bits a lane, nine
// RAMB36 each, 576 of the U55C's 2,016, against two URAM288 each, 128 of 960). Read and write never meet on one entry
// (the engine writes the newest bin's slot, reads older bins'), so URAM's fixed collision order does not matter.
localparam URAM_MIN_BITS = 4096 * ACC_WIDTH;

// ---- write port: one register stage ----
reg                 w_en = 1'b0;
reg [AW-1:0]        w_addr = 0;
reg [ACC_WIDTH-1:0] w_din = 0;
always @(posedge clk) begin
    w_en <= wr_en;
    w_addr <= wr_addr;
    w_din <= wr_data;
end

// ---- read port: the lane's own copy of the address, the read, the output register ----
reg                 r_en = 1'b0;
reg [AW-1:0]        r_addr = 0;
wire [ACC_WIDTH-1:0] r_data;
initial rd_q = 0;
always @(posedge clk) begin
    r_en <= rd_en;
    r_addr <= rd_addr;
    rd_q <= r_data;
end

// the memory and its registered read, the same template in both styles
generate
if (DEPTH * ACC_WIDTH >= URAM_MIN_BITS) begin : g_uram
    (* ram_style = "ultra" *) reg [ACC_WIDTH-1:0] pmem [0:DEPTH-1];
    reg [ACC_WIDTH-1:0] q = 0;
    always @(posedge clk) begin
        if (w_en) pmem[w_addr] <= w_din;
    end
    always @(posedge clk) begin
        if (r_en) q <= pmem[r_addr];
    end
    assign r_data = q;
end else begin : g_bram
    (* ram_style = "block" *) reg [ACC_WIDTH-1:0] pmem [0:DEPTH-1];
    reg [ACC_WIDTH-1:0] q = 0;
    always @(posedge clk) begin
        if (w_en) pmem[w_addr] <= w_din;
    end
    always @(posedge clk) begin
        if (r_en) q <= pmem[r_addr];
    end
    assign r_data = q;
end
endgenerate

endmodule

`resetall
