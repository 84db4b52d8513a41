// SPDX-License-Identifier: MIT
`default_nettype none

/*
 * Formal wrapper for lfads_axi_writer (AXI4 write master) in a small configuration: 64-bit bus
 * (two words per beat), chunks of up to 2 8-bit values, 4-entry chunk FIFO, bursts of up to
 * 4 beats, 2 outstanding bursts, 8-entry beat and burst FIFOs. AXI4 write-channel properties:
 * hdl/formal/common/faxi_wr_master.v, including its M7: `idle` only when every accepted burst
 * was answered (no AW or W pending, B count = AW count = WLAST count). End-to-end checks here:
 *   E2 every burst's beats are at consecutive addresses from its AWADDR: the checker's M5 ties
 *      AWLEN to the W beats; here each AW starts where the previous one ended unless a new base
 *      was set in between;
 *   covers: a burst of more than one beat, W leading its AW, two bursts outstanding.
 * The engine-side contract is assumed: chunks of 1..ROWS values only when the FIFO has room, a
 * new base (beat aligned) only when the packer is empty.
 */
module f_lfads_axi_writer
(
    input  wire         clk,
    input  wire         rst,
    input  wire         set_base,
    input  wire [63:0]  base_addr,
    input  wire         flush,
    input  wire         chunk_valid,
    input  wire [15:0]  chunk_data,
    input  wire [1:0]   chunk_count,
    input  wire         awready,
    input  wire         wready,
    input  wire         bvalid,
    input  wire [1:0]   bresp
);

localparam integer DW = 64;

wire        packer_empty, idle, error, awvalid, wvalid, wlast, bready;
wire [2:0]  fifo_free;
wire [63:0] awaddr;
wire [7:0]  awlen;
wire [2:0]  awsize;
wire [1:0]  awburst;
wire [DW-1:0]   wdata;
wire [DW/8-1:0] wstrb;

lfads_axi_writer #(.AXI_DATA_WIDTH(DW), .ROWS(2), .DATA_WIDTH(8), .FIFO_DEPTH(4), .BURST_BEATS(4),
                   .MAX_OUTSTANDING(2), .BEAT_FIFO_DEPTH(8), .BURST_FIFO_DEPTH(8)) dut (
    .clk(clk), .rst(rst), .set_base(set_base), .base_addr(base_addr), .flush(flush),
    .packer_empty(packer_empty), .idle(idle), .error(error), .chunk_valid(chunk_valid),
    .chunk_data(chunk_data), .chunk_count(chunk_count), .fifo_free(fifo_free),
    .m_axi_awvalid(awvalid), .m_axi_awready(awready), .m_axi_awaddr(awaddr), .m_axi_awlen(awlen),
    .m_axi_awsize(awsize), .m_axi_awburst(awburst), .m_axi_wvalid(wvalid), .m_axi_wready(wready),
    .m_axi_wdata(wdata), .m_axi_wstrb(wstrb), .m_axi_wlast(wlast), .m_axi_bvalid(bvalid),
    .m_axi_bready(bready), .m_axi_bresp(bresp));

wire [7:0] f_aw_count, f_wlast_count, f_b_count;
faxi_wr_master #(.DATA_WIDTH(DW), .F_MAX_BURST(4), .F_MAX_OUTSTANDING(2)) f_axi (
    .clk(clk), .rst(rst), .awvalid(awvalid), .awready(awready), .awaddr(awaddr), .awlen(awlen),
    .awsize(awsize), .awburst(awburst), .wvalid(wvalid), .wready(wready), .wdata(wdata),
    .wstrb(wstrb), .wlast(wlast), .bvalid(bvalid), .bready(bready), .bresp(bresp), .idle(idle),
    .f_aw_count(f_aw_count), .f_wlast_count(f_wlast_count), .f_b_count(f_b_count));

// engine contract
always @(*) begin
    if (rst) begin
        assume(!chunk_valid);
        assume(!set_base);
        assume(!flush);
    end
    if (chunk_valid) begin
        assume(fifo_free != 0);
        assume(chunk_count != 0 && chunk_count <= 2);
    end
    if (set_base) begin
        assume(packer_empty && !chunk_valid && !flush);
        // bases below 512 KiB keep every address below 1 MiB (the upper bits only add solver work)
        assume(base_addr[2:0] == 0 && base_addr[63:19] == 0);
    end
end

// E2: contiguous bursts between two set_base
reg [19:0] f_next = 0;
reg        f_fresh = 1'b1;   // no AW since the last set_base (its address is the new base)
reg [19:0] f_base = 0;
always @(posedge clk) begin
    if (rst) begin
        f_fresh <= 1'b1;
    end else if (set_base) begin
        f_fresh <= 1'b1;
        f_base <= base_addr[19:0];
    end else if (awvalid && awready) begin
        f_fresh <= 1'b0;
        f_next <= awaddr[19:0] + (({12'd0, awlen} + 20'd1) << 3);
    end
end
always @(*) if (!rst && awvalid && awready && !set_base) begin
    assert(awaddr[63:20] == 0);
    if (!f_fresh)
        assert(awaddr[19:0] == f_next);
end

// covers
reg f_w_led = 1'b0;
always @(posedge clk) if (rst) f_w_led <= 1'b0; else if (f_wlast_count > f_aw_count) f_w_led <= 1'b1;
always @(*) if (!rst) begin
    cover(awvalid && awready && awlen != 0);
    cover(f_w_led && idle);
    cover(f_aw_count - f_b_count == 2);
end

endmodule
