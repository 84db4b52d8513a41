// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Result writer: takes chunks of up to ROWS W-bit results (one MAC row block each) in output order,
 * sign-extends them to int32, packs them into AXI beats at consecutive addresses from `base_addr`
 * and writes each beat as a single-beat INCR burst with byte strobes. `flush` writes out a partially
 * filled beat (end of a trial); `packer_empty` says every accepted word is in an issued beat;
 * `idle` additionally waits for all write responses.
 */
module lfads_axi_writer #
(
    parameter AXI_DATA_WIDTH = 512,
    // values per chunk
    parameter ROWS = 8,
    parameter DATA_WIDTH = 16,
    // chunk FIFO depth (power of two)
    parameter FIFO_DEPTH = 16
)
(
    input  wire                          clk,
    input  wire                          rst,

    input  wire                          set_base,       // start a new output region at base_addr
    input  wire [63:0]                   base_addr,      // beat aligned
    input  wire                          flush,
    output wire                          packer_empty,
    output wire                          idle,
    output reg                           error,

    input  wire                          chunk_valid,    // no ready: the producer respects fifo_free
    input  wire [ROWS*DATA_WIDTH-1:0]    chunk_data,
    input  wire [$clog2(ROWS+1)-1:0]     chunk_count,
    output wire [$clog2(FIFO_DEPTH+1)-1:0] fifo_free,

    output reg                           m_axi_awvalid,
    input  wire                          m_axi_awready,
    output reg  [63:0]                   m_axi_awaddr,
    output wire [7:0]                    m_axi_awlen,
    output wire [2:0]                    m_axi_awsize,
    output wire [1:0]                    m_axi_awburst,
    output reg                           m_axi_wvalid,
    input  wire                          m_axi_wready,
    output reg  [AXI_DATA_WIDTH-1:0]     m_axi_wdata,
    output reg  [AXI_DATA_WIDTH/8-1:0]   m_axi_wstrb,
    output wire                          m_axi_wlast,
    input  wire                          m_axi_bvalid,
    output wire                          m_axi_bready,
    input  wire [1:0]                    m_axi_bresp
);

localparam integer WORDS = AXI_DATA_WIDTH / 32;
localparam integer CW = $clog2(ROWS + 1);
localparam integer FW = $clog2(FIFO_DEPTH);
localparam integer BEAT_SHIFT = $clog2(AXI_DATA_WIDTH / 8);

initial begin
    if ((1 << FW) != FIFO_DEPTH) begin
        $error("FIFO_DEPTH must be a power of two");
        $finish;
    end
end

assign m_axi_awlen = 8'd0;
assign m_axi_awsize = BEAT_SHIFT[2:0];
assign m_axi_awburst = 2'b01;
assign m_axi_wlast = 1'b1;
assign m_axi_bready = 1'b1;

// chunk FIFO
reg [ROWS*DATA_WIDTH-1:0] fifo_data [0:FIFO_DEPTH-1];
reg [CW-1:0]              fifo_count [0:FIFO_DEPTH-1];
reg [FW:0]                wr_ptr = 0, rd_ptr = 0;
wire                      fifo_empty = wr_ptr == rd_ptr;
assign fifo_free = FIFO_DEPTH - (wr_ptr - rd_ptr);

always @(posedge clk) begin
    if (chunk_valid) begin
        fifo_data[wr_ptr[FW-1:0]] <= chunk_data;
        fifo_count[wr_ptr[FW-1:0]] <= chunk_count;
    end
end

wire [ROWS*DATA_WIDTH-1:0] head_data = fifo_data[rd_ptr[FW-1:0]];
wire [CW-1:0]              head_count = fifo_count[rd_ptr[FW-1:0]];

// line assembly
reg [AXI_DATA_WIDTH-1:0]   line = 0;
reg [WORDS-1:0]            line_mask = 0;
reg [$clog2(WORDS+1)-1:0]  fill = 0;
reg [63:0]                 line_addr = 0;
reg [CW-1:0]               ptr = 0;
reg                        flush_pending = 1'b0;
reg [15:0]                 outstanding = 0;

wire out_busy = m_axi_awvalid || m_axi_wvalid;
wire line_full = fill == WORDS;
wire hand_over = !out_busy && (line_full || (flush_pending && fifo_empty && fill != 0));

assign packer_empty = fifo_empty && fill == 0 && !flush_pending;
assign idle = packer_empty && !out_busy && outstanding == 0;

integer s, take, idx;
reg [AXI_DATA_WIDTH-1:0] next_line;
reg [WORDS-1:0]          next_mask;
always @* begin
    take = 0;
    idx = 0;
    next_line = line;
    next_mask = line_mask;
    if (!fifo_empty && !line_full) begin
        take = head_count - ptr;
        if (take > WORDS - fill)
            take = WORDS - fill;
        for (s = 0; s < WORDS; s = s + 1) begin
            idx = ptr + s - fill;
            if (s >= fill && s < fill + take) begin
                next_line[s*32 +: 32] = {{(32-DATA_WIDTH){head_data[idx*DATA_WIDTH+DATA_WIDTH-1]}},
                                         head_data[idx*DATA_WIDTH +: DATA_WIDTH]};
                next_mask[s] = 1'b1;
            end
        end
    end
end

integer b;
always @(posedge clk) begin
    if (rst) begin
        wr_ptr <= 0;
        rd_ptr <= 0;
        fill <= 0;
        ptr <= 0;
        line_mask <= 0;
        flush_pending <= 1'b0;
        outstanding <= 0;
        m_axi_awvalid <= 1'b0;
        m_axi_wvalid <= 1'b0;
        error <= 1'b0;
        line_addr <= 0;
    end else begin
        if (chunk_valid)
            wr_ptr <= wr_ptr + 1'b1;
        if (flush)
            flush_pending <= 1'b1;
        if (set_base) begin
            line_addr <= base_addr;
            error <= 1'b0;
        end

        if (m_axi_awvalid && m_axi_awready)
            m_axi_awvalid <= 1'b0;
        if (m_axi_wvalid && m_axi_wready)
            m_axi_wvalid <= 1'b0;

        if (hand_over) begin
            m_axi_awvalid <= 1'b1;
            m_axi_awaddr <= line_addr;
            m_axi_wvalid <= 1'b1;
            m_axi_wdata <= line;
            for (b = 0; b < WORDS; b = b + 1)
                m_axi_wstrb[b*4 +: 4] <= {4{line_mask[b]}};
            line_addr <= line_addr + (AXI_DATA_WIDTH / 8);
            fill <= 0;
            line_mask <= 0;
        end else begin
            line <= next_line;
            line_mask <= next_mask;
            fill <= fill + take;
            if (take != 0) begin
                if (ptr + take == head_count) begin
                    ptr <= 0;
                    rd_ptr <= rd_ptr + 1'b1;
                end else begin
                    ptr <= ptr + take;
                end
            end
            if (flush_pending && fifo_empty && fill == 0 && !flush)
                flush_pending <= 1'b0;
        end

        case ({m_axi_awvalid && m_axi_awready, m_axi_bvalid})
            2'b10: outstanding <= outstanding + 1'b1;
            2'b01: outstanding <= outstanding - 1'b1;
            default: ;
        endcase
        if (m_axi_bvalid && m_axi_bresp[1])
            error <= 1'b1;
    end
end

endmodule

`resetall
