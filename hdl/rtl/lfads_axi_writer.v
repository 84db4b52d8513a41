// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Result writer: takes chunks of up to ROWS W-bit results (one MAC row block each) in output order,
 * sign-extends them to int32 and packs them into AXI beats at consecutive addresses from
 * `base_addr`, written as multi-beat AXI4 INCR bursts with byte strobes. `flush` writes out a
 * partially filled beat (end of a trial); `packer_empty` says every accepted word is in a beat
 * handed to the AXI side; `idle` additionally waits for all write responses.
 *
 * Bursts: a beat closes its burst when nothing else is queued behind it (chunk FIFO empty), when
 * it is the BURST_BEATS-th beat, or when it is the last beat before a 4 KiB boundary (IHI 0022
 * A3.4.1). The beats go out on W as soon as they are packed (write data may lead its address,
 * A3.3.1); the burst's AW follows when the burst closes, so the last beat and its AW leave
 * together and the final write response comes as early as with single-beat bursts. Under an
 * unstalled memory the packer's schedule is the single-beat writer's: one hand-over cycle per
 * beat plus one, so CYCLES (CycleModel) is unchanged.
 *
 * AXI side: AW and W each have a FIFO behind a registered output stage (the FIFO is bypassed when
 * empty); BREADY is constantly high; at most MAX_OUTSTANDING bursts wait for their response. The
 * packer holds (never drops) when either FIFO is nearly full. Protocol properties: hdl/formal.
 */
module lfads_axi_writer #
(
    parameter AXI_DATA_WIDTH = 512,
    // values per chunk
    parameter ROWS = 8,
    parameter DATA_WIDTH = 16,
    // chunk FIFO depth (power of two)
    parameter FIFO_DEPTH = 16,
    // longest burst in beats (1..256)
    parameter BURST_BEATS = 16,
    // bursts issued and not yet answered
    parameter MAX_OUTSTANDING = 8,
    // beat and burst FIFOs (powers of two, >= 8)
    parameter BEAT_FIFO_DEPTH = 32,
    parameter BURST_FIFO_DEPTH = 16
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
    output reg  [7:0]                    m_axi_awlen,
    output wire [2:0]                    m_axi_awsize,
    output wire [1:0]                    m_axi_awburst,
    output reg                           m_axi_wvalid,
    input  wire                          m_axi_wready,
    output reg  [AXI_DATA_WIDTH-1:0]     m_axi_wdata,
    output reg  [AXI_DATA_WIDTH/8-1:0]   m_axi_wstrb,
    output reg                           m_axi_wlast,
    input  wire                          m_axi_bvalid,
    output wire                          m_axi_bready,
    // SLVERR and DECERR both have bit 1 set; bit 0 (EXOKAY) is not used by a non-exclusive master
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [1:0]                    m_axi_bresp
    /* verilator lint_on UNUSEDSIGNAL */
);

localparam integer WORDS = AXI_DATA_WIDTH / 32;
localparam integer CW = $clog2(ROWS + 1);
localparam integer FW = $clog2(FIFO_DEPTH);
localparam integer BEAT_SHIFT = $clog2(AXI_DATA_WIDTH / 8);
localparam integer FLW = $clog2(WORDS + 1);
localparam integer PAGE_BEATS = 4096 / (AXI_DATA_WIDTH / 8);
localparam integer PAGE_LOG = $clog2(PAGE_BEATS);
localparam integer WQW = $clog2(BEAT_FIFO_DEPTH);
localparam integer AQW = $clog2(BURST_FIFO_DEPTH);
localparam integer OW = $clog2(MAX_OUTSTANDING + 1);

initial begin
    if ((1 << FW) != FIFO_DEPTH || (1 << WQW) != BEAT_FIFO_DEPTH || (1 << AQW) != BURST_FIFO_DEPTH
            || BEAT_FIFO_DEPTH < 8 || BURST_FIFO_DEPTH < 8) begin
        $error("FIFO depths must be powers of two (beat and burst FIFOs >= 8)");
        $finish;
    end
    // an open burst's beats must fit below the nearly-full mark: a slave may hold W until the AW,
    // which leaves only when the burst closes
    if (BURST_BEATS < 1 || BURST_BEATS > 256 || BURST_BEATS > BEAT_FIFO_DEPTH - 4 || MAX_OUTSTANDING < 1
            || PAGE_BEATS < 2) begin
        $error("BURST_BEATS must be 1..256 and <= BEAT_FIFO_DEPTH - 4, MAX_OUTSTANDING >= 1");
        $finish;
    end
end

assign m_axi_awsize = BEAT_SHIFT[2:0];
assign m_axi_awburst = 2'b01;
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
reg [$clog2(WORDS+1)-1:0]  fill = 0;   // FLW bits
reg [63:0]                 line_addr = 0;
reg [CW-1:0]               ptr = 0;
reg                        flush_pending = 1'b0;

// AXI side state (declared here, driven below)
reg [WQW:0] wq_wr = 0, wq_rd = 0;
reg [AQW:0] aq_wr = 0, aq_rd = 0;
reg         hand_over_q = 1'b0;
reg [OW-1:0] outstanding = 0;
wire [WQW:0] wq_count = wq_wr - wq_rd;
wire [AQW:0] aq_count = aq_wr - aq_rd;
// the packer waits the cycle after a hand-over (the single-beat writer's AW/W handshake cycle,
// which keeps the schedule CycleModel replays) and while a FIFO is nearly full (registered flags:
// at most one push per two cycles, so a flag one cycle late still leaves free entries)
reg  wq_nearly_full = 1'b0, aq_nearly_full = 1'b0;
always @(posedge clk) begin
    wq_nearly_full <= !rst && wq_count >= BEAT_FIFO_DEPTH - 4;
    aq_nearly_full <= !rst && aq_count >= BURST_FIFO_DEPTH - 4;
end
wire hold = hand_over_q || wq_nearly_full || aq_nearly_full;
wire line_full = fill == WORDS[FLW-1:0];
wire hand_over = !hold && (line_full || (flush_pending && fifo_empty && fill != 0));

assign packer_empty = fifo_empty && fill == 0 && !flush_pending;
assign idle = packer_empty && wq_count == 0 && aq_count == 0 && !m_axi_awvalid && !m_axi_wvalid
              && outstanding == 0;

integer s, take, idx, ptr_i, fill_i, cnt_i;
reg [AXI_DATA_WIDTH-1:0] next_line;
reg [WORDS-1:0]          next_mask;
always @* begin
    ptr_i = {{(32-CW){1'b0}}, ptr};
    fill_i = {{(32-FLW){1'b0}}, fill};
    cnt_i = {{(32-CW){1'b0}}, head_count};
    take = 0;
    idx = 0;
    next_line = line;
    next_mask = line_mask;
    if (!fifo_empty && !line_full) begin
        take = cnt_i - ptr_i;
        if (take > WORDS - fill_i)
            take = WORDS - fill_i;
        for (s = 0; s < WORDS; s = s + 1) begin
            idx = ptr_i + s - fill_i;
            if (s >= fill_i && s < fill_i + take) begin
                next_line[s*32 +: 32] = {{(32-DATA_WIDTH){head_data[idx*DATA_WIDTH+DATA_WIDTH-1]}},
                                         head_data[idx*DATA_WIDTH +: DATA_WIDTH]};
                next_mask[s] = 1'b1;
            end
        end
    end
end

// burst being formed: first beat's address and beats handed so far
reg [63:0] burst_addr = 0;
reg [7:0]  burst_n = 0;
// this hand-over closes the burst: nothing queued behind it, the burst is full, or a 4 KiB
// boundary follows
wire close = !fifo_empty || chunk_valid ? (burst_n == BURST_BEATS - 1
                                           || line_addr[BEAT_SHIFT+PAGE_LOG-1:BEAT_SHIFT] == {PAGE_LOG{1'b1}})
                                        : 1'b1;
wire [63:0] close_addr = burst_n == 0 ? line_addr : burst_addr;

always @(posedge clk) begin
    if (rst) begin
        wr_ptr <= 0;
        rd_ptr <= 0;
        fill <= 0;
        ptr <= 0;
        line_mask <= 0;
        flush_pending <= 1'b0;
        error <= 1'b0;
        line_addr <= 0;
        hand_over_q <= 1'b0;
        burst_n <= 0;
    end else begin
        if (chunk_valid)
            wr_ptr <= wr_ptr + 1'b1;
        if (flush)
            flush_pending <= 1'b1;
        if (set_base) begin
            line_addr <= base_addr;
            error <= 1'b0;
        end
        hand_over_q <= hand_over;

        if (hand_over) begin
            line_addr <= line_addr + (AXI_DATA_WIDTH / 8);
            fill <= 0;
            line_mask <= 0;
            if (burst_n == 0)
                burst_addr <= line_addr;
            burst_n <= close ? 8'd0 : burst_n + 1'b1;
        end else begin
            line <= next_line;
            line_mask <= next_mask;
            fill <= fill + take[FLW-1:0];
            if (take != 0) begin
                if (ptr_i + take == cnt_i) begin
                    ptr <= 0;
                    rd_ptr <= rd_ptr + 1'b1;
                end else begin
                    ptr <= ptr + take[CW-1:0];
                end
            end
            if (flush_pending && fifo_empty && fill == 0 && !flush)
                flush_pending <= 1'b0;
        end
        if (m_axi_bvalid && m_axi_bresp[1])
            error <= 1'b1;
    end
end

// ---- W: beat FIFO behind the registered W outputs (bypassed when empty) ----
localparam integer WQ_BITS = AXI_DATA_WIDTH + WORDS + 1;
reg [WQ_BITS-1:0] wq_mem [0:BEAT_FIFO_DEPTH-1];
wire [WQ_BITS-1:0] wq_in = {close, line_mask, line};
wire [WQ_BITS-1:0] wq_head = wq_mem[wq_rd[WQW-1:0]];
wire w_load = !m_axi_wvalid || m_axi_wready;
wire wq_empty = wq_count == 0;

function [AXI_DATA_WIDTH/8-1:0] strobes(input [WORDS-1:0] mask);
    integer k;
    begin
        for (k = 0; k < WORDS; k = k + 1)
            strobes[k*4 +: 4] = {4{mask[k]}};
    end
endfunction

always @(posedge clk) begin
    if (hand_over && !(w_load && wq_empty))
        wq_mem[wq_wr[WQW-1:0]] <= wq_in;
    if (w_load) begin
        if (!wq_empty) begin
            m_axi_wdata <= wq_head[AXI_DATA_WIDTH-1:0];
            m_axi_wstrb <= strobes(wq_head[AXI_DATA_WIDTH +: WORDS]);
            m_axi_wlast <= wq_head[WQ_BITS-1];
        end else begin
            m_axi_wdata <= line;
            m_axi_wstrb <= strobes(line_mask);
`ifdef LFADS_FORMAL_MUTANT
            // deliberately broken variant for the negative formal check: WLAST lost on the bypass
            m_axi_wlast <= 1'b0;
`else
            m_axi_wlast <= close;
`endif
        end
    end
    if (rst) begin
        wq_wr <= 0;
        wq_rd <= 0;
        m_axi_wvalid <= 1'b0;
    end else begin
        if (hand_over && !(w_load && wq_empty))
            wq_wr <= wq_wr + 1'b1;
        if (w_load) begin
            m_axi_wvalid <= !wq_empty || hand_over;
            if (!wq_empty)
                wq_rd <= wq_rd + 1'b1;
        end
    end
end

// ---- AW: burst FIFO behind the registered AW outputs, at most MAX_OUTSTANDING in flight ----
localparam integer AQ_BITS = 64 + 8;
reg [AQ_BITS-1:0] aq_mem [0:BURST_FIFO_DEPTH-1];
wire push_aw = hand_over && close;
wire [AQ_BITS-1:0] aq_in = {burst_n, close_addr};
wire [AQ_BITS-1:0] aq_head = aq_mem[aq_rd[AQW-1:0]];
wire aq_empty = aq_count == 0;
// a new AW may be loaded: the register is free (or being accepted) and a response slot is free
// (outstanding counts every burst loaded into the AW register until its B)
wire aw_load = (!m_axi_awvalid || m_axi_awready) && outstanding < MAX_OUTSTANDING;
wire b_hs = m_axi_bvalid && m_axi_bready;

always @(posedge clk) begin
    if (push_aw && !(aw_load && aq_empty))
        aq_mem[aq_wr[AQW-1:0]] <= aq_in;
    if (aw_load) begin
        if (!aq_empty)
            {m_axi_awlen, m_axi_awaddr} <= aq_head;
        else
            {m_axi_awlen, m_axi_awaddr} <= aq_in;
    end
    if (rst) begin
        aq_wr <= 0;
        aq_rd <= 0;
        m_axi_awvalid <= 1'b0;
        outstanding <= 0;
    end else begin
        if (push_aw && !(aw_load && aq_empty))
            aq_wr <= aq_wr + 1'b1;
        if (m_axi_awvalid && m_axi_awready)
            m_axi_awvalid <= 1'b0;
        if (aw_load && (!aq_empty || push_aw)) begin
            m_axi_awvalid <= 1'b1;
            if (!aq_empty)
                aq_rd <= aq_rd + 1'b1;
        end
        outstanding <= outstanding + {{(OW-1){1'b0}}, aw_load && (!aq_empty || push_aw)}
                                   - {{(OW-1){1'b0}}, b_hs};
    end
end

`ifdef FORMAL
// an open burst (beats handed, AW not yet queued) always has words behind it in the packer, so
// `packer_empty` (when the engine may set a new base) implies every burst is closed
always @(*) if (!rst && packer_empty) assert(burst_n == 0);
`endif

endmodule

`resetall
