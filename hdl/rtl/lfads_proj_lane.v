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
 * for rings of 4,096 entries or more, see below), one write port, a registered read and the output register (RAMB
 * DOB_REG) as a second register, in banks of one RAM primitive's depth (BANK_DEPTH) so that nothing sits between a
 * RAM and its output register (issue 13: as one 3,072-entry memory, Yosys built a 3:1 bank multiplexer there).
 *
 * Timing, as lfads_weight_lane's tile read: a cycle with rd_en high reads rd_addr; rd_q shows it three cycles
 * later (the lane's own copy of the address, the read, the output register), and holds it until the next read
 * arrives; it is the output register of the bank read last, through a select of registers (no register of its own).
 * A write is registered once in the lane (the engine's broadcast reaches each lane through one register, and the
 * RAM's write port sees only register outputs), so it lands one cycle after it is presented; a read whose address
 * is registered in the same cycle as the write's sees the old value (read-first).
 */
module lfads_proj_lane #
(
    // accumulator width
    parameter ACC_WIDTH = 48,
    // entries: ring slots x encoder row blocks per slot
    parameter DEPTH = 1024,
    parameter AW = $clog2(DEPTH),
    // entries per bank, a power of two: one RAM primitive's depth (UltraRAM 4K x 72, block RAM 1K x 36 / 1K x 18)
    parameter BANK_DEPTH = (DEPTH >= 4096) ? 4096 : 1024
)
(
    input  wire                  clk,

    input  wire                  wr_en,
    input  wire [AW-1:0]         wr_addr,
    input  wire [ACC_WIDTH-1:0]  wr_data,

    input  wire                  rd_en,
    input  wire [AW-1:0]         rd_addr,
    output wire [ACC_WIDTH-1:0]  rd_q
);

// Block RAM for small rings, UltraRAM for large ones (the default 64 x 32 configuration: 6,144 x 48 bits a lane, nine
// RAMB36 each, 576 of the U55C's 2,016, against two URAM288 each, 128 of 960). Read and write never meet on one entry
// (the engine writes the newest bin's slot, reads older bins'), so URAM's fixed collision order does not matter.
localparam integer URAM_MIN_DEPTH = 4096;
localparam integer BANKS = (DEPTH + BANK_DEPTH - 1) / BANK_DEPTH;
// address bits inside a bank (the whole address with one bank), and the bank number's width
localparam integer LAW = (BANKS > 1) ? $clog2(BANK_DEPTH) : AW;
localparam integer SELW = (BANKS > 1) ? $clog2(BANKS) : 1;

initial begin
    if ((1 << $clog2(BANK_DEPTH)) != BANK_DEPTH) begin
        $error("BANK_DEPTH (%0d) must be a power of two", BANK_DEPTH);
        $finish;
    end
end

// ---- write port: one register stage ----
reg                 w_en = 1'b0;
reg [AW-1:0]        w_addr = 0;
reg [ACC_WIDTH-1:0] w_din = 0;
always @(posedge clk) begin
    w_en <= wr_en;
    w_addr <= wr_addr;
    w_din <= wr_data;
end

// ---- read port: the lane's own copy of the address (stage 1), the bank's read (2), its output register (3) ----
reg                 r_en = 1'b0;
reg [AW-1:0]        r_addr = 0;
always @(posedge clk) begin
    r_en <= rd_en;
    r_addr <= rd_addr;
end
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] w_bank = {{(32-AW){1'b0}}, w_addr} >> LAW;
wire [31:0] r_bank = {{(32-AW){1'b0}}, r_addr} >> LAW;
/* verilator lint_on UNUSEDSIGNAL */
// the bank of the read, with its data: stage 2 (the read), stage 3 (the output registers: rd_q's select)
reg            r_en_2 = 1'b0;
reg [SELW-1:0] r_sel_2 = 0, r_sel_3 = 0;
always @(posedge clk) begin
    r_en_2 <= r_en;
    r_sel_2 <= r_bank[SELW-1:0];
    if (r_en_2)
        r_sel_3 <= r_sel_2;
end

// The banks: each one memory of at most BANK_DEPTH entries (one primitive deep: no depth multiplexer between a RAM
// and its output register), read into its latch (the RAM's registered read) when the read is its, then into its
// output register (DO*_REG / URAM OREG, the RAM's own flip-flops: UG901's template with the optional output
// register). rd_q is the output register of the bank last read: a BANKS:1 select of registers by a register,
// taken by the MAC array's start-value register (lfads_mac_array proj_1) one LUT later.
wire [BANKS*ACC_WIDTH-1:0] bank_q;
genvar gb;
generate
for (gb = 0; gb < BANKS; gb = gb + 1) begin : g_bank
    localparam integer BD = (gb == BANKS - 1) ? DEPTH - gb * BANK_DEPTH : BANK_DEPTH;
    localparam integer BAW = (BD > 1) ? $clog2(BD) : 1;      // address bits of this bank (a partial last bank: fewer)
    reg [ACC_WIDTH-1:0] q = 0, o = 0;
    if (DEPTH >= URAM_MIN_DEPTH) begin : g_uram
        (* ram_style = "ultra" *) reg [ACC_WIDTH-1:0] pmem [0:BD-1];
        always @(posedge clk) begin
            if (w_en && w_bank == gb)
                pmem[w_addr[BAW-1:0]] <= w_din;
        end
        always @(posedge clk) begin
            if (r_en && r_bank == gb)
                q <= pmem[r_addr[BAW-1:0]];
        end
    end else begin : g_bram
        (* ram_style = "block" *) reg [ACC_WIDTH-1:0] pmem [0:BD-1];
        always @(posedge clk) begin
            if (w_en && w_bank == gb)
                pmem[w_addr[BAW-1:0]] <= w_din;
        end
        always @(posedge clk) begin
            if (r_en && r_bank == gb)
                q <= pmem[r_addr[BAW-1:0]];
        end
    end
    // (every cycle, no enable: the latch q changes only on its bank's reads, so o holds the bank's last read as q
    // does; an enable here was one LUT net per SLR group once Yosys merged the lanes' equal read registers)
    always @(posedge clk)
        o <= q;
    assign bank_q[gb*ACC_WIDTH +: ACC_WIDTH] = o;
end
endgenerate
assign rd_q = bank_q[r_sel_3*ACC_WIDTH +: ACC_WIDTH];

endmodule

`resetall
