// SPDX-License-Identifier: MIT
`default_nettype none

/*
 * Formal wrapper for lfads_status_writer (one-beat AXI4 write master) on a 64-bit bus. AXI4 write-channel
 * properties: hdl/formal/common/faxi_wr_master.v, including its M7 with `idle` = not busy: no AW or W valid
 * and every AW / WLAST answered by a B. End-to-end checks here:
 *   E1 not busy => BREADY low (no response is taken outside a write);
 *   E2 each write is exactly one AW (len 0) and one W beat (WLAST) carrying the address and beat latched at
 *      `start`, and `busy` falls in the cycle after its B handshake;
 *   E3 `error` only in the cycle after a B handshake whose response was SLVERR / DECERR;
 *   covers: a write completed, AW and W accepted in different cycles, an error response.
 */
module f_lfads_status_writer
(
    input  wire         clk,
    input  wire         rst,
    input  wire         start,
    input  wire [63:0]  addr,
    input  wire [63:0]  data,
    input  wire         awready,
    input  wire         wready,
    input  wire         bvalid,
    input  wire [1:0]   bresp
);

localparam integer DW = 64;

wire        busy, error, awvalid, wvalid, wlast, bready;
wire [63:0] awaddr;
wire [7:0]  awlen;
wire [2:0]  awsize;
wire [1:0]  awburst;
wire [DW-1:0]   wdata;
wire [DW/8-1:0] wstrb;

`ifdef LFADS_FORMAL_MUTANT
// mutant: the response is taken but the error bit of the response is ignored
wire [1:0] dut_bresp = 2'b00;
`else
wire [1:0] dut_bresp = bresp;
`endif

lfads_status_writer #(.AXI_DATA_WIDTH(DW)) dut (
    .clk(clk), .rst(rst), .start(start), .addr(addr), .data(data), .busy(busy), .error(error),
    .m_axi_awvalid(awvalid), .m_axi_awready(awready), .m_axi_awaddr(awaddr), .m_axi_awlen(awlen),
    .m_axi_awsize(awsize), .m_axi_awburst(awburst), .m_axi_wvalid(wvalid), .m_axi_wready(wready),
    .m_axi_wdata(wdata), .m_axi_wstrb(wstrb), .m_axi_wlast(wlast), .m_axi_bvalid(bvalid),
    .m_axi_bready(bready), .m_axi_bresp(dut_bresp));

wire [7:0] f_aw_count, f_wlast_count, f_b_count;
faxi_wr_master #(.DATA_WIDTH(DW), .F_MAX_BURST(1), .F_MAX_OUTSTANDING(1)) f_axi (
    .clk(clk), .rst(rst), .awvalid(awvalid), .awready(awready), .awaddr(awaddr), .awlen(awlen),
    .awsize(awsize), .awburst(awburst), .wvalid(wvalid), .wready(wready), .wdata(wdata),
    .wstrb(wstrb), .wlast(wlast), .bvalid(bvalid), .bready(bready), .bresp(bresp), .idle(!busy),
    .f_aw_count(f_aw_count), .f_wlast_count(f_wlast_count), .f_b_count(f_b_count));

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;

// engine contract: a beat-aligned address (the output slots are 64-byte aligned)
always @(*) begin
    if (rst) assume(!start);
    if (start) assume(addr[2:0] == 0);
end

// E1
always @(*) if (!rst && !busy) assert(!bready);

// E2: the latched address and beat, one beat per write
reg [63:0] f_addr = 0, f_data = 0;
always @(posedge clk) if (!rst && !busy && start) begin
    f_addr <= addr;
    f_data <= data;
end
always @(*) if (!rst) begin
    if (awvalid) assert(awaddr == f_addr && awlen == 0);
    if (wvalid) assert(wdata == f_data && wlast && wstrb == {(DW/8){1'b1}});
    if (busy) assert(f_aw_count - f_b_count <= 1 && f_wlast_count - f_b_count <= 1);
end
always @(posedge clk) if (f_past_valid && !$past(rst) && !rst) begin
    if ($past(bvalid && bready)) assert(!busy);
    if ($past(busy) && !busy) assert($past(bvalid && bready));
    if (!$past(busy) && busy) assert($past(start));
end

// E3
always @(posedge clk) if (f_past_valid && !$past(rst) && !rst)
    assert(error == ($past(bvalid && bready) && $past(bresp[1])));

// covers
reg f_split = 1'b0;
always @(posedge clk) if (rst) f_split <= 1'b0; else if (awvalid && awready && wvalid && !wready) f_split <= 1'b1;
always @(*) if (!rst) begin
    cover(f_b_count == 1 && !busy);
    cover(f_split && f_b_count == 1);
    cover(error);
end

endmodule
