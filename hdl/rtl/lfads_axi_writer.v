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

// ---- packer control (stage P): which words of the head chunk go where, one cycle ahead of the data ----
// The control keeps the single-beat writer's schedule cycle for cycle (fifo_free, packer_empty and the
// hand-overs are unchanged, so CycleModel is). It no longer reads the head chunk's count from the FIFO
// memory and subtracts the pointer: `rem` (words left in the head chunk) and `space` (free words in the
// line) are registers, so take = min(rem, space) is one compare of two registers. The data stage (D)
// applies the registered decision one cycle later.
reg [ROWS*DATA_WIDTH-1:0] fifo_data [0:FIFO_DEPTH-1];
// the chunks' counts: flip-flops, one CW-bit field per entry (a vector, not a memory: its two reads, at rd_ptr1 and
// rd_ptr2, end in nc_q's select below; as a memory, Yosys shared the two read ports behind one address select, the
// pop's, which put the read after the pop decision)
reg [FIFO_DEPTH*CW-1:0]   count_q = 0;
reg [FW:0]                wr_ptr = 0, rd_ptr = 0, rd_ptr1 = 1, rd_ptr2 = 2;   // rd_ptr + 1, rd_ptr + 2
reg                       fifo_empty = 1'b1;    // wr_ptr == rd_ptr, registered
// fifo_free = FIFO_DEPTH - (wr_ptr - rd_ptr), kept as a register moved by the pointers' own push and pop (the
// pointer difference was two LUTs of subtraction ahead of the consumer's credit compare: in the whole kernel
// rd_ptr -> fifo_free -> the scoreboard's `go`, 3.05 ns). Same value every cycle (modular arithmetic: the
// pointers and the count move together); a simulation check and a formal assertion below compare the two.
reg [FW:0]                free_q = FIFO_DEPTH[FW:0];
assign fifo_free = free_q;

always @(posedge clk) begin
    if (chunk_valid) begin
        fifo_data[wr_ptr[FW-1:0]] <= chunk_data;
    end
end
always @(posedge clk) begin : count_write
    integer e;
    for (e = 0; e < FIFO_DEPTH; e = e + 1)
        if (chunk_valid && wr_ptr[FW-1:0] == e[FW-1:0])
            count_q[e*CW +: CW] <= chunk_count;
end
// field a of the counts v (a select by a, no shifter; v an argument, so that a continuous assignment calling it is
// sensitive to the counts)
function [CW-1:0] count_at(input [FIFO_DEPTH*CW-1:0] v, input [FW-1:0] a);
    integer e;
    begin
        count_at = 0;
        for (e = 0; e < FIFO_DEPTH; e = e + 1)
            if (a == e[FW-1:0])
                count_at = v[e*CW +: CW];
    end
endfunction

// count of the chunk behind the head: in the FIFO (nc_q), or arriving now (head_last: the FIFO holds only the head).
// nc_q is count_q's field at rd_ptr1 in a register: the field at the next cycle's rd_ptr1 (rd_ptr2 on a pop), a
// write there this cycle bypassed (the write pointer is at rd_ptr1 when the FIFO holds one chunk, at rd_ptr2 when
// two). head_last and fifo_two (two chunks) are registers too, from the next free count. So next_count, which
// feeds fill_rem_q's adder, is one select of registers (from the count read and the pointer compare it was 2.875 ns
// in the whole kernel). Checked below.
reg           head_last = 1'b0;            // one chunk in the FIFO (wr_ptr == rd_ptr1), registered
reg           fifo_two = 1'b0;             // two chunks (wr_ptr == rd_ptr2), registered
reg  [CW-1:0] nc_q = 0;
wire          fifo_pop;
wire [CW-1:0] nc_stay = (chunk_valid && head_last) ? chunk_count : count_at(count_q, rd_ptr1[FW-1:0]);
wire [CW-1:0] nc_move = (chunk_valid && fifo_two) ? chunk_count : count_at(count_q, rd_ptr2[FW-1:0]);
always @(posedge clk)
    nc_q <= (!rst && fifo_pop) ? nc_move : nc_stay;
wire [CW-1:0] next_count = head_last ? chunk_count : nc_q;

localparam integer IW = ROWS > 1 ? $clog2(ROWS) : 1;   // word index within a chunk
reg [FLW-1:0]              fill = 0;       // words in the line
reg [FLW-1:0]              space = WORDS[FLW-1:0];   // WORDS - fill
reg                        line_full = 1'b0;         // fill == WORDS
reg [CW-1:0]               ptr = 0;        // next word of the head chunk
reg [CW-1:0]               rem = 0;        // words left in the head chunk (its count - ptr)
reg [63:0]                 line_addr = 0;
reg                        flush_pending = 1'b0;

// AXI side state (declared here, driven below)
reg [WQW:0] wq_wr = 0, wq_rd = 0;
reg [AQW:0] aq_wr = 0, aq_rd = 0;
reg         hand_over_q = 1'b0;
reg [OW-1:0] outstanding = 0;
reg  [WQW:0] wq_count = 0;                 // wq_wr - wq_rd, kept as a register
reg  [AQW:0] aq_count = 0;                 // aq_wr - aq_rd, kept as a register
reg          aq_empty = 1'b1;              // aq_count == 0, registered (as wq_empty)
// the packer waits the cycle after a hand-over (the single-beat writer's AW/W handshake cycle,
// which keeps the schedule CycleModel replays) and while a FIFO is nearly full (registered flags:
// at most one push per two cycles, so flags two cycles late (flag register, data stage) still leave
// free entries)
reg  wq_nearly_full = 1'b0, aq_nearly_full = 1'b0;
always @(posedge clk) begin
    wq_nearly_full <= !rst && wq_count >= BEAT_FIFO_DEPTH - 4;
    aq_nearly_full <= !rst && aq_count >= BURST_FIFO_DEPTH - 4;
end
wire hold = hand_over_q || wq_nearly_full || aq_nearly_full;
wire hand_over = !hold && (line_full || (flush_pending && fifo_empty && fill != 0));
// words move while the head chunk exists and the line has room (a hand-over needs a full line or an
// empty FIFO, so it never coincides with a take)
wire active = !fifo_empty && !line_full;
// counts zero-extended to one common width (chunk and beat word counts differ in width)
localparam integer XW = (CW > FLW ? CW : FLW) + 1;
wire [XW-1:0] rem_x = {{(XW-CW){1'b0}}, rem};
wire [XW-1:0] fill_x = {{(XW-FLW){1'b0}}, fill};
wire [XW-1:0] space_x = {{(XW-FLW){1'b0}}, space};
wire take_all = rem_x <= space_x;          // the head chunk's remaining words all fit: pop it
// fill + rem (the line's fill after taking all of them, <= WORDS when take_all), kept as a register moved with fill
// and rem below: the plan's slot enables compare registers with constants, with no adder before the compare (as an
// adder into the compares it was the writer's worst path in the whole kernel, 2.745-2.845 ns as ABC remapped it).
// A simulation check and a formal assertion below compare it with fill + rem.
reg [XW-1:0] fill_rem_q = 0;
wire [XW-1:0] next_count_x = {{(XW-CW){1'b0}}, next_count};
wire [XW-1:0] chunk_count_x = {{(XW-CW){1'b0}}, chunk_count};
// the head chunk leaves the FIFO (rd_ptr advances below); the free count moves by -push +pop: a select by the two
// strobes of the count and its +1 / -1 (carry chains from the register), so the producer's chunk_valid reaches it
// through one LUT
assign        fifo_pop = !hand_over && active && take_all;
wire [FW:0]   free_up = free_q + 1'b1;
wire [FW:0]   free_dn = free_q - 1'b1;
wire [FW:0]   free_next = chunk_valid ? (fifo_pop ? free_q : free_dn) : (fifo_pop ? free_up : free_q);
always @(posedge clk) begin : fifo_level
    head_last <= !rst && free_next == FIFO_DEPTH[FW:0] - 1'b1;
    fifo_two <= !rst && free_next == FIFO_DEPTH[FW:0] - {{(FW-1){1'b0}}, 2'd2};
end

reg ho_q = 1'b0;                           // stage D: the beat handed over in stage P is complete
reg  [WORDS-1:0] ho_mask = 0;              // its words: [0, fill)
reg              ho_close = 1'b0;
reg  [7:0]       ho_len = 0;               // its burst (when ho_close): AWLEN and first address
reg  [63:0]      ho_addr = 0;

assign packer_empty = fifo_empty && fill == 0 && !flush_pending;

// burst being formed: first beat's address and beats handed so far
reg [63:0] burst_addr = 0;
reg [7:0]  burst_n = 0;
reg        burst_first = 1'b1;   // burst_n == 0, registered
// this hand-over closes the burst: nothing queued behind it, the burst is full, or a 4 KiB
// boundary follows
wire close = !fifo_empty || chunk_valid ? (burst_n == BURST_BEATS - 1
                                           || line_addr[BEAT_SHIFT+PAGE_LOG-1:BEAT_SHIFT] == {PAGE_LOG{1'b1}})
                                        : 1'b1;
wire [63:0] close_addr = burst_first ? line_addr : burst_addr;

function [WORDS-1:0] thermometer(input [FLW-1:0] n);   // bits [0, n)
    integer k;
    begin
        for (k = 0; k < WORDS; k = k + 1)
            thermometer[k] = k < n;
    end
endfunction

// stage P -> D: per line slot, write it (en_q) with word sel_q of the head chunk (head_q)
reg [WORDS-1:0]          en_q = 0;
reg [WORDS*IW-1:0]       sel_q = 0;
reg [ROWS*DATA_WIDTH-1:0] head_q = 0;
always @(posedge clk) begin : plan
    integer k;
    reg [XW-1:0] kx;
    head_q <= fifo_data[rd_ptr[FW-1:0]];
    for (k = 0; k < WORDS; k = k + 1) begin
        kx = k[XW-1:0];
        // slot k takes word ptr + k - fill when fill <= k < fill + min(rem, space) (k < WORDS <= fill + space);
        // that word index is < ROWS <= 2^IW, so IW-bit arithmetic gives it exactly
        en_q[k] <= !rst && active && kx >= fill_x && kx < fill_rem_q;
        sel_q[k*IW +: IW] <= ptr[IW-1:0] + kx[IW-1:0] - fill_x[IW-1:0];
    end
end

// fill_rem_q follows fill and rem as the block below sets them. While words move (active, never with a hand-over or
// a chunk into an empty FIFO): taking all of the head chunk fills the line to fill + rem and makes the next chunk's
// count rem (+ next_count); taking part of it (fill WORDS, rem less the space WORDS - fill) leaves the sum. Otherwise:
// a hand-over empties the line (rem: the head's, or the chunk arriving into an empty FIFO), and a chunk into the
// empty FIFO is the new rem. The FIFO's count read reaches the register through the adder and one select (by
// registers and take_all), the other cases' selects beside it.
wire [XW-1:0] fr_take = fill_rem_q + next_count_x;
wire [XW-1:0] fr_idle = hand_over ? ((fifo_empty && chunk_valid) ? chunk_count_x : rem_x)
                      : (fifo_empty && chunk_valid) ? fill_x + chunk_count_x : fill_rem_q;
always @(posedge clk) begin
    if (rst)
        fill_rem_q <= 0;
    else if (active)
        fill_rem_q <= take_all ? fr_take : fill_rem_q;
    else
        fill_rem_q <= fr_idle;
end

always @(posedge clk) begin
    if (rst) begin
        wr_ptr <= 0;
        rd_ptr <= 0;
        rd_ptr1 <= 1;
        rd_ptr2 <= 2;
        free_q <= FIFO_DEPTH[FW:0];
        fifo_empty <= 1'b1;
        fill <= 0;
        space <= WORDS[FLW-1:0];
        line_full <= 1'b0;
        ptr <= 0;
        rem <= 0;
        flush_pending <= 1'b0;
        error <= 1'b0;
        line_addr <= 0;
        hand_over_q <= 1'b0;
        burst_n <= 0;
        burst_first <= 1'b1;
        ho_q <= 1'b0;
    end else begin
        if (chunk_valid)
            wr_ptr <= wr_ptr + 1'b1;
        free_q <= free_next;
        // empty next cycle: no chunk arrives, and the FIFO is empty or pops its last chunk
        fifo_empty <= !chunk_valid && (fifo_empty || (active && take_all && head_last));
        if (flush)
            flush_pending <= 1'b1;
        if (set_base) begin
            // (-DLFADS_FORMAL_MUTANT_BASE: deliberately broken variant for the negative formal check, the
            // new base ignored and the next region continuing where the last one ended)
`ifndef LFADS_FORMAL_MUTANT_BASE
            line_addr <= base_addr;
`endif
            error <= 1'b0;
        end
        hand_over_q <= hand_over;
        ho_q <= hand_over;
        if (fifo_empty && chunk_valid)
            rem <= chunk_count;                // a chunk into the empty FIFO: the new head

        if (hand_over) begin
            line_addr <= line_addr + (AXI_DATA_WIDTH / 8);
            fill <= 0;
            space <= WORDS[FLW-1:0];
            line_full <= 1'b0;
            if (burst_first)
                burst_addr <= line_addr;
            burst_n <= close ? 8'd0 : burst_n + 1'b1;
            burst_first <= close;         // burst_n + 1 <= BURST_BEATS - 1 never wraps to 0
        end else begin
            if (active) begin
                if (take_all) begin
                    fill <= fill_rem_q[FLW-1:0];
                    space <= space - rem_x[FLW-1:0];   // rem <= space <= WORDS here
                    line_full <= rem_x == space_x;
                    ptr <= 0;
                    rem <= next_count;
                    rd_ptr <= rd_ptr1;
                    rd_ptr1 <= rd_ptr2;
                    rd_ptr2 <= rd_ptr2 + 1'b1;
                end else begin
                    fill <= WORDS[FLW-1:0];
                    space <= 0;
                    line_full <= 1'b1;
                    ptr <= ptr + space_x[CW-1:0];
                    rem <= rem - space_x[CW-1:0];
                end
            end
            if (flush_pending && fifo_empty && fill == 0 && !flush)
                flush_pending <= 1'b0;
        end
        if (m_axi_bvalid && m_axi_bresp[1])
            error <= 1'b1;
    end
    // the hand-over record for stage D, captured every cycle (no enable): read only when ho_q
    ho_mask <= thermometer(fill);
    ho_close <= close;
    ho_len <= burst_n;
    ho_addr <= close_addr;
end

// ---- stage D: the line (written one cycle after stage P decided) ----
reg [AXI_DATA_WIDTH-1:0] line = 0;
always @(posedge clk) begin : data
    integer k;
    reg [IW-1:0] sel;
    reg [DATA_WIDTH-1:0] word;
    for (k = 0; k < WORDS; k = k + 1) begin
        sel = sel_q[k*IW +: IW];
        word = head_q[sel*DATA_WIDTH +: DATA_WIDTH];
        if (en_q[k])
            line[k*32 +: 32] <= {{(32-DATA_WIDTH){word[DATA_WIDTH-1]}}, word};
    end
end

// ---- W: beat FIFO behind the registered W outputs (bypassed when empty) ----
// The W registers load only while WVALID is low (w_free, a register, replicated so no copy drives more
// than ~300 enables): WREADY reaches WVALID and the FIFO's read pointer only, never the 512-bit
// payload's enables. A beat therefore takes two cycles on W (accept, then reload); the packer hands over
// at most one beat per two cycles, so an unstalled memory sees the same beat rate.
localparam integer WQ_BITS = AXI_DATA_WIDTH + WORDS + 1;
localparam integer WHALF = AXI_DATA_WIDTH / 2;
reg [WQ_BITS-1:0] wq_mem [0:BEAT_FIFO_DEPTH-1];
wire [WQ_BITS-1:0] wq_in = {ho_close, ho_mask, line};
wire [WQ_BITS-1:0] wq_head = wq_mem[wq_rd[WQW-1:0]];
// wq_empty: a register (two copies, one per half of the W payload's select), not a compare of pointers
(* keep = "true", shreg_extract = "no" *) reg wq_empty = 1'b1;
(* keep = "true", shreg_extract = "no" *) reg wq_nonempty_hi = 1'b0;   // inverted: not merged with wq_empty
wire wq_push = ho_q && !(w_free && wq_empty);
wire wq_pop = w_free && !wq_empty;
wire [WQW:0] wq_count_next = wq_count + {{WQW{1'b0}}, wq_push} - {{WQW{1'b0}}, wq_pop};
(* keep = "true", shreg_extract = "no" *) reg w_free_lo = 1'b1;   // = !m_axi_wvalid
(* keep = "true", shreg_extract = "no" *) reg w_free_hi = 1'b1;   // = !m_axi_wvalid
wire w_free = w_free_lo;

assign idle = packer_empty && !ho_q && wq_empty && aq_empty && !m_axi_awvalid && !m_axi_wvalid
              && outstanding == 0;

function [AXI_DATA_WIDTH/8-1:0] strobes(input [WORDS-1:0] mask);
    integer k;
    begin
        for (k = 0; k < WORDS; k = k + 1)
            strobes[k*4 +: 4] = {4{mask[k]}};
    end
endfunction

always @(posedge clk) begin
    if (wq_push)
        wq_mem[wq_wr[WQW-1:0]] <= wq_in;
    if (w_free_lo) begin
        if (!wq_empty) begin
            m_axi_wdata[WHALF-1:0] <= wq_head[WHALF-1:0];
            m_axi_wstrb <= strobes(wq_head[AXI_DATA_WIDTH +: WORDS]);
            m_axi_wlast <= wq_head[WQ_BITS-1];
        end else begin
            m_axi_wdata[WHALF-1:0] <= line[WHALF-1:0];
            m_axi_wstrb <= strobes(ho_mask);
`ifdef LFADS_FORMAL_MUTANT
            // deliberately broken variant for the negative formal check: WLAST lost on the bypass
            m_axi_wlast <= 1'b0;
`else
            m_axi_wlast <= ho_close;
`endif
        end
    end
    if (w_free_hi)
        m_axi_wdata[AXI_DATA_WIDTH-1:WHALF] <= wq_nonempty_hi ? wq_head[AXI_DATA_WIDTH-1:WHALF]
                                                         : line[AXI_DATA_WIDTH-1:WHALF];
    if (rst) begin
        wq_wr <= 0;
        wq_rd <= 0;
        wq_count <= 0;
        wq_empty <= 1'b1;
        wq_nonempty_hi <= 1'b0;
        m_axi_wvalid <= 1'b0;
        w_free_lo <= 1'b1;
        w_free_hi <= 1'b1;
    end else begin
        if (wq_push)
            wq_wr <= wq_wr + 1'b1;
        wq_count <= wq_count_next;
        // empty next cycle: empty now and no push, or one entry, popped, none pushed (no adder on the way)
        wq_empty <= wq_empty ? !wq_push : (wq_count == 1 && wq_pop && !wq_push);
        wq_nonempty_hi <= !(wq_empty ? !wq_push : (wq_count == 1 && wq_pop && !wq_push));
        if (w_free) begin
            m_axi_wvalid <= !wq_empty || ho_q;
            w_free_lo <= !(!wq_empty || ho_q);
            w_free_hi <= !(!wq_empty || ho_q);
            if (wq_pop)
                wq_rd <= wq_rd + 1'b1;
        end else if (m_axi_wready) begin
            m_axi_wvalid <= 1'b0;
            w_free_lo <= 1'b1;
            w_free_hi <= 1'b1;
        end
    end
end

// ---- AW: burst FIFO behind the registered AW outputs, at most MAX_OUTSTANDING in flight ----
localparam integer AQ_BITS = 64 + 8;
reg [AQ_BITS-1:0] aq_mem [0:BURST_FIFO_DEPTH-1];
wire push_aw = ho_q && ho_close;
wire [AQ_BITS-1:0] aq_in = {ho_len, ho_addr};
wire [AQ_BITS-1:0] aq_head = aq_mem[aq_rd[AQW-1:0]];
// a new AW may be loaded: the register is free (or being accepted) and a response slot is free
// (outstanding counts every burst loaded into the AW register until its B; out_room = outstanding <
// MAX_OUTSTANDING, registered)
reg  out_room = 1'b1;
wire aw_load = (!m_axi_awvalid || m_axi_awready) && out_room;
wire b_hs = m_axi_bvalid && m_axi_bready;
wire aq_push = push_aw && !(aw_load && aq_empty);
wire aq_pop = aw_load && !aq_empty;
wire aw_fire = aw_load && (!aq_empty || push_aw);
wire [AQW:0] aq_count_next = aq_count + {{AQW{1'b0}}, aq_push} - {{AQW{1'b0}}, aq_pop};
wire [OW-1:0] outstanding_next = outstanding + {{(OW-1){1'b0}}, aw_fire} - {{(OW-1){1'b0}}, b_hs};

always @(posedge clk) begin
    if (aq_push)
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
        aq_count <= 0;
        aq_empty <= 1'b1;
        m_axi_awvalid <= 1'b0;
        outstanding <= 0;
        out_room <= 1'b1;
    end else begin
        if (aq_push)
            aq_wr <= aq_wr + 1'b1;
        if (aq_pop)
            aq_rd <= aq_rd + 1'b1;
        aq_count <= aq_count_next;
        aq_empty <= aq_empty ? !aq_push : (aq_count == 1 && aq_pop && !aq_push);
        if (m_axi_awvalid && m_axi_awready)
            m_axi_awvalid <= 1'b0;
        if (aw_fire)
            m_axi_awvalid <= 1'b1;
        outstanding <= outstanding_next;
        out_room <= outstanding_next < MAX_OUTSTANDING;
    end
end

`ifndef SYNTHESIS
`ifndef FORMAL
// the registered free count equals the pointers' difference (a stale or mis-stepped count stops the simulation)
always @(posedge clk) begin : free_check
    if (free_q !== FIFO_DEPTH[FW:0] - (wr_ptr - rd_ptr)) begin
        $display("ERROR lfads_axi_writer: fifo_free %0d != FIFO_DEPTH - (wr_ptr - rd_ptr) = %0d at %0t", free_q,
                 FIFO_DEPTH[FW:0] - (wr_ptr - rd_ptr), $time);
        $finish;
    end
end
// head_last / fifo_two are the pointers' compares; nc_q is count_q's field at rd_ptr1 while that entry holds a chunk
always @(posedge clk) begin : next_count_check
    if (head_last !== (wr_ptr == rd_ptr1) || fifo_two !== (wr_ptr == rd_ptr2)
        || (!fifo_empty && !head_last && nc_q !== count_at(count_q, rd_ptr1[FW-1:0]))) begin
        $display("ERROR lfads_axi_writer: head_last %0d / fifo_two %0d / nc_q %0d disagree with the pointers %0d, %0d and the count %0d at %0t",
                 head_last, fifo_two, nc_q, wr_ptr, rd_ptr, count_at(count_q, rd_ptr1[FW-1:0]), $time);
        $finish;
    end
end
// the registered fill + rem equals the sum
always @(posedge clk) begin : fill_rem_check
    if (fill_rem_q !== fill_x + rem_x) begin
        $display("ERROR lfads_axi_writer: fill_rem_q %0d != fill + rem = %0d at %0t", fill_rem_q, fill_x + rem_x, $time);
        $finish;
    end
end
`endif
`endif

`ifdef FORMAL
// the registered free count is the pointers' difference
always @(*) assert(free_q == FIFO_DEPTH[FW:0] - (wr_ptr - rd_ptr));
// the registered fill + rem is the sum; the registered count behind the head is the memory's while a chunk is there
always @(*) assert(fill_rem_q == fill_x + rem_x);
always @(*) assert(head_last == (wr_ptr == rd_ptr1) && fifo_two == (wr_ptr == rd_ptr2));
always @(*) if (!fifo_empty && !head_last) assert(nc_q == count_at(count_q, rd_ptr1[FW-1:0]));
// an open burst (beats handed, AW not yet queued) always has words behind it in the packer, so
// `packer_empty` (when the engine may set a new base) implies every burst is closed
always @(*) if (!rst && packer_empty) assert(burst_n == 0);
`endif

endmodule

`resetall
