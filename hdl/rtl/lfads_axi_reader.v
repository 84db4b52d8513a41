// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Memory reader: turns a request (beat-aligned byte address, number of beats) into AXI4 INCR read
 * bursts that never cross a 4 KiB boundary, and passes the read data through as a beat stream
 * (valid/ready). Bursts are issued back to back without waiting for data, so memory latency is
 * paid once per request. A non-OKAY response sets `error` until the next request.
 */
module lfads_axi_reader #
(
    // AXI data width in bits (a power of two, >= 64)
    parameter AXI_DATA_WIDTH = 512,
    // request length field width (beats)
    parameter LEN_WIDTH = 24
)
(
    input  wire                          clk,
    input  wire                          rst,

    input  wire                          req_valid,
    output wire                          req_ready,
    input  wire [63:0]                   req_addr,
    input  wire [LEN_WIDTH-1:0]          req_beats,

    output wire                          beat_valid,
    input  wire                          beat_ready,
    output wire [AXI_DATA_WIDTH-1:0]     beat_data,
    output reg                           error,

    output reg                           m_axi_arvalid,
    input  wire                          m_axi_arready,
    output reg  [63:0]                   m_axi_araddr,
    output reg  [7:0]                    m_axi_arlen,
    output wire [2:0]                    m_axi_arsize,
    output wire [1:0]                    m_axi_arburst,
    input  wire                          m_axi_rvalid,
    output wire                          m_axi_rready,
    input  wire [AXI_DATA_WIDTH-1:0]     m_axi_rdata,
    input  wire                          m_axi_rlast,
    input  wire [1:0]                    m_axi_rresp
);

localparam integer BEAT_BYTES = AXI_DATA_WIDTH / 8;
localparam integer BEAT_SHIFT = $clog2(BEAT_BYTES);
localparam integer PAGE_BEATS = 4096 / BEAT_BYTES;

initial begin
    if (BEAT_BYTES * 8 != AXI_DATA_WIDTH || (1 << BEAT_SHIFT) != BEAT_BYTES || AXI_DATA_WIDTH < 64) begin
        $error("AXI_DATA_WIDTH (%0d) must be a power of two >= 64", AXI_DATA_WIDTH);
        $finish;
    end
end

assign m_axi_arsize = BEAT_SHIFT[2:0];
assign m_axi_arburst = 2'b01;

reg [63:0]          next_addr = 0;
reg [LEN_WIDTH-1:0] beats_left = 0;

assign req_ready = beats_left == 0 && !m_axi_arvalid;

// beats to the end of the 4 KiB page of next_addr, capped at 256
wire [12:0] page_beats = PAGE_BEATS - next_addr[11:BEAT_SHIFT];
wire [LEN_WIDTH-1:0] burst_beats =
    (beats_left < page_beats) ? beats_left : page_beats;

always @(posedge clk) begin
    if (rst) begin
        m_axi_arvalid <= 1'b0;
        m_axi_araddr <= 64'd0;
        m_axi_arlen <= 8'd0;
        beats_left <= 0;
        next_addr <= 64'd0;
        error <= 1'b0;
    end else begin
        if (req_valid && req_ready) begin
            next_addr <= req_addr;
            beats_left <= req_beats;
            error <= 1'b0;
        end
        if (m_axi_arvalid && m_axi_arready)
            m_axi_arvalid <= 1'b0;
        if ((!m_axi_arvalid || m_axi_arready) && beats_left != 0 && !(req_valid && req_ready)) begin
            m_axi_arvalid <= 1'b1;
            m_axi_araddr <= next_addr;
            m_axi_arlen <= burst_beats[7:0] - 8'd1;
            next_addr <= next_addr + (burst_beats << BEAT_SHIFT);
            beats_left <= beats_left - burst_beats;
        end
        if (m_axi_rvalid && m_axi_rready && m_axi_rresp[1])
            error <= 1'b1;
    end
end

assign beat_valid = m_axi_rvalid;
assign beat_data = m_axi_rdata;
assign m_axi_rready = beat_ready;

endmodule

`resetall
