// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * One-beat AXI4 write of the online-mode status block (docs/kernel-numerics.md section 13): `start` latches an
 * address and a full beat; AW and W are offered together (single-beat burst, WLAST, every byte strobe set); `busy`
 * stays high from the cycle after `start` until the write response has been taken. A response other than OKAY
 * raises `error` for one cycle. The kernel top gives this block the write channels while `busy` is high; the
 * engine starts it only when the result writer is idle (no write in flight), so the two never interleave.
 * Every output is a register.
 */
module lfads_status_writer #
(
    parameter AXI_DATA_WIDTH = 512
)
(
    input  wire                          clk,
    input  wire                          rst,

    input  wire                          start,
    input  wire [63:0]                   addr,
    input  wire [AXI_DATA_WIDTH-1:0]     data,
    output reg                           busy,
    output reg                           error,

    output reg                           m_axi_awvalid,
    input  wire                          m_axi_awready,
    output reg  [63:0]                   m_axi_awaddr,
    output wire [7:0]                    m_axi_awlen,
    output wire [2:0]                    m_axi_awsize,
    output wire [1:0]                    m_axi_awburst,
    output reg                           m_axi_wvalid,
    input  wire                          m_axi_wready,
    output reg  [AXI_DATA_WIDTH-1:0]     m_axi_wdata,
    output wire [AXI_DATA_WIDTH/8-1:0]   m_axi_wstrb,
    output wire                          m_axi_wlast,
    input  wire                          m_axi_bvalid,
    output reg                           m_axi_bready,
    // bit 0 (EXOKAY vs OKAY, DECERR vs SLVERR) does not matter here: bit 1 is an error
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [1:0]                    m_axi_bresp
    /* verilator lint_on UNUSEDSIGNAL */
);

localparam integer BEAT_SIZE = $clog2(AXI_DATA_WIDTH / 8);
localparam [2:0]   AWSIZE = BEAT_SIZE[2:0];

assign m_axi_awlen = 8'd0;
assign m_axi_awsize = AWSIZE;
assign m_axi_awburst = 2'b01;
assign m_axi_wstrb = {(AXI_DATA_WIDTH/8){1'b1}};
assign m_axi_wlast = 1'b1;

initial begin
    busy = 1'b0;
    error = 1'b0;
    m_axi_awvalid = 1'b0;
    m_axi_awaddr = 0;
    m_axi_wvalid = 1'b0;
    m_axi_wdata = 0;
    m_axi_bready = 1'b0;
end

always @(posedge clk) begin
    error <= 1'b0;
    if (rst) begin
        busy <= 1'b0;
        m_axi_awvalid <= 1'b0;
        m_axi_wvalid <= 1'b0;
        m_axi_bready <= 1'b0;
    end else if (!busy) begin
        if (start) begin
            busy <= 1'b1;
            m_axi_awvalid <= 1'b1;
            m_axi_awaddr <= addr;
            m_axi_wvalid <= 1'b1;
            m_axi_wdata <= data;
            m_axi_bready <= 1'b1;
        end
    end else begin
        if (m_axi_awvalid && m_axi_awready)
            m_axi_awvalid <= 1'b0;
        if (m_axi_wvalid && m_axi_wready)
            m_axi_wvalid <= 1'b0;
        if (m_axi_bvalid && m_axi_bready) begin
            m_axi_bready <= 1'b0;
            busy <= 1'b0;
            error <= m_axi_bresp[1];
        end
    end
end

endmodule

`resetall
