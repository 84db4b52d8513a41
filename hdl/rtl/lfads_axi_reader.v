// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Memory reader: turns a request (beat-aligned byte address, number of beats) into AXI4 INCR read
 * bursts and passes the read data on as a beat stream (valid/ready). A non-OKAY response sets
 * `error` until the next request.
 *
 * Bursts: the first burst of a request runs from its address to the next burst boundary (4 KiB,
 * or 256 beats when a beat is narrower than 16 bytes), every later one is a whole boundary block
 * or the request's tail, so no burst crosses 4 KiB (IHI 0022 A3.4.1) or exceeds 256 beats. Bursts
 * are issued back to back without waiting for data, so memory latency is paid once per request.
 *
 * Timing: every AXI output is a register. The read data goes through a two-entry skid buffer
 * (RREADY registered, the beat stream from a register), so no combinational path runs from RVALID
 * into the consumer or from the consumer's ready to RREADY. The skid buffer adds one cycle to the
 * data; the first AR leaves the cycle after the request (one earlier than a request register would
 * allow), so request-to-first-beat latency is the same as a pass-through reader's.
 * Protocol properties: hdl/formal (make -C hdl formal).
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
    // beat aligned: the low address bits are not used
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [63:0]                   req_addr,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [LEN_WIDTH-1:0]          req_beats,

    output reg                           beat_valid = 1'b0,
    input  wire                          beat_ready,
    output reg  [AXI_DATA_WIDTH-1:0]     beat_data,
    output reg                           error,

    output reg                           m_axi_arvalid,
    input  wire                          m_axi_arready,
    output reg  [63:0]                   m_axi_araddr,
    output reg  [7:0]                    m_axi_arlen,
    output wire [2:0]                    m_axi_arsize,
    output wire [1:0]                    m_axi_arburst,
    input  wire                          m_axi_rvalid,
    output reg                           m_axi_rready = 1'b0,
    input  wire [AXI_DATA_WIDTH-1:0]     m_axi_rdata,
    // the reader counts beats itself; RLAST carries no extra information for it
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire                          m_axi_rlast,
    input  wire [1:0]                    m_axi_rresp
    /* verilator lint_on UNUSEDSIGNAL */
);

localparam integer BEAT_BYTES = AXI_DATA_WIDTH / 8;
localparam integer BEAT_SHIFT = $clog2(BEAT_BYTES);
localparam integer PAGE_BEATS = 4096 / BEAT_BYTES;
// beats per boundary block: a 4 KiB page, at most 256 beats (AXI4 INCR limit)
localparam integer BLOCK_BEATS = PAGE_BEATS > 256 ? 256 : PAGE_BEATS;
localparam integer BLOCK_LOG = $clog2(BLOCK_BEATS);
localparam integer BLOCK_SHIFT = BEAT_SHIFT + BLOCK_LOG;

initial begin
    if (BEAT_BYTES * 8 != AXI_DATA_WIDTH || (1 << BEAT_SHIFT) != BEAT_BYTES || AXI_DATA_WIDTH < 64
            || AXI_DATA_WIDTH > 4096 || LEN_WIDTH <= BLOCK_LOG + 1) begin
        $error("AXI_DATA_WIDTH (%0d) must be a power of two in 64..4096 and LEN_WIDTH > %0d",
               AXI_DATA_WIDTH, BLOCK_LOG + 1);
        $finish;
    end
end

assign m_axi_arsize = BEAT_SHIFT[2:0];
assign m_axi_arburst = 2'b01;

// ---- address channel ----
// the block left to issue: page number of the next burst and beats still to request
reg                     more = 1'b0;      // bursts left after the one in the AR register
reg [63-BLOCK_SHIFT:0]  next_block = 0;
reg [LEN_WIDTH-1:0]     beats_left = 0;

assign req_ready = !m_axi_arvalid && !more;

wire take_req = req_valid && req_ready;
wire issue = (!m_axi_arvalid || m_axi_arready) && (more || take_req);

// Burst of the new request (from the request inputs) and burst of the current request's next
// block (from registers), computed side by side and selected by `more`: the mux is the last
// level, not the first. A burst fits when beats + offset <= BLOCK_BEATS (beats >= 1; a zero-beat
// request issues nothing).
// The new request's burst is on the path request register (the producer's) -> AR register in one cycle (the
// AR leaves the cycle after the request). In the whole kernel a sum then a compare of the sum then the select
// made it 4 LUT levels and a carry chain (rd_req_addr -> ARLEN 3.02 ns); here it is written so that the LUT
// mapper sees one cone from the request bits to the AR register (plain gates, no adder: a carry chain is a
// boundary the mapper does not optimise across):
//  - beats >= 2 * BLOCK_BEATS never fits: fits = beats[top:BLOCK_LOG+1] == 0 && lo + offset <= BLOCK_BEATS
//    with lo = beats[BLOCK_LOG:0];
//  - lo + offset > BLOCK_BEATS <=> lo + offset + (BLOCK_BEATS - 1) >= 2 * BLOCK_BEATS: the constant (all ones
//    below bit BLOCK_LOG) folded in as a carry-save step (per bit sum ~(lo ^ offset), carry lo | offset; bit
//    BLOCK_LOG: lo's own), the test is the carry out of the two vectors' sum, a generate / propagate ripple;
//  - the first burst's length lo - 1 (when it fits) per bit: bit i flips when the bits below it are all 0.
function carry_out(input [BLOCK_LOG:0] a, input [BLOCK_LOG:0] b);   // carry out of a + b, as gates
    integer i;
    reg c;
    begin
        c = 1'b0;
        for (i = 0; i <= BLOCK_LOG; i = i + 1)
            c = a[i] & b[i] | c & (a[i] | b[i]);
        carry_out = c;
    end
endfunction
function [BLOCK_LOG-1:0] minus_one(input [BLOCK_LOG-1:0] a);         // a - 1, as gates
    integer i;
    reg zero_below;
    begin
        zero_below = 1'b1;
        for (i = 0; i < BLOCK_LOG; i = i + 1) begin
            minus_one[i] = a[i] ^ zero_below;
            zero_below = zero_below & !a[i];
        end
    end
endfunction
wire [BLOCK_LOG-1:0]    req_off = req_addr[BLOCK_SHIFT-1:BEAT_SHIFT];
wire [BLOCK_LOG-1:0]    req_lo = req_beats[BLOCK_LOG-1:0];
wire                    req_top_zero = req_beats[LEN_WIDTH-1:BLOCK_LOG+1] == 0;
wire                    req_over = carry_out({req_beats[BLOCK_LOG], ~(req_lo ^ req_off)}, {req_lo | req_off, 1'b0});
wire                    req_fits = req_top_zero && !req_over;
wire [BLOCK_LOG-1:0]    req_len = req_fits ? minus_one(req_lo) : ~req_off;
// later blocks start at offset 0: the whole block or the tail
wire                    blk_fits = beats_left[LEN_WIDTH-1:BLOCK_LOG] == 0
                                   || beats_left[LEN_WIDTH-1:BLOCK_LOG] == 1 && beats_left[BLOCK_LOG-1:0] == 0;
wire [BLOCK_LOG-1:0]    blk_len = blk_fits ? beats_left[BLOCK_LOG-1:0] - 1'b1 : {BLOCK_LOG{1'b1}};

wire [BLOCK_LOG-1:0]    src_offset = more ? {BLOCK_LOG{1'b0}} : req_off;
wire [63-BLOCK_SHIFT:0] src_block = more ? next_block : req_addr[63:BLOCK_SHIFT];
wire                    src_empty = more ? beats_left == 0 : req_beats == 0;
wire                    fits = more ? blk_fits : req_fits;
reg  [7:0]              arlen_next;
always @* begin
    arlen_next = 8'd0;
    arlen_next[BLOCK_LOG-1:0] = more ? blk_len : req_len;
end
// beats after this burst (meaningful when it does not fit): beats + offset - BLOCK_BEATS
wire [LEN_WIDTH-1:0]    left_next = more ? beats_left - BLOCK_BEATS[LEN_WIDTH-1:0]
                                         : req_beats + {{(LEN_WIDTH-BLOCK_LOG){1'b1}}, req_off};
wire [63-BLOCK_SHIFT:0] block_next = more ? next_block + 1'b1 : req_addr[63:BLOCK_SHIFT] + 1'b1;

always @(posedge clk) begin
    if (rst) begin
        m_axi_arvalid <= 1'b0;
        m_axi_araddr <= 64'd0;
        m_axi_arlen <= 8'd0;
        more <= 1'b0;
        next_block <= 0;
        beats_left <= 0;
    end else begin
        if (m_axi_arvalid && m_axi_arready)
`ifdef LFADS_FORMAL_MUTANT
            ;
        // deliberately broken variant for the negative formal check: ARVALID dropped early
        if (m_axi_arvalid)
`endif
            m_axi_arvalid <= 1'b0;
        // a zero-beat request is accepted and issues nothing. The AR payload and the block registers load at every
        // issue, a zero-beat request's too (ARVALID stays low and `more` clears, so those values are never used):
        // the request's zero test reaches ARVALID and `more` only, not the ~140 enables (request -> enables was 2.51 ns)
        if (issue) begin
            if (!src_empty)
                m_axi_arvalid <= 1'b1;
            m_axi_araddr <= {src_block, src_offset, {BEAT_SHIFT{1'b0}}};
            m_axi_arlen <= arlen_next;
            more <= !src_empty && !fits;
            next_block <= block_next;
            beats_left <= left_next;
        end
    end
end

// The first burst's gate form against its plain definition (beats + offset <= BLOCK_BEATS; length beats - 1 or to
// the block's end): in simulation at every cycle the request inputs are known (the unit bench sweeps offsets and
// lengths through it; a mismatch stops the simulation), in the formal build as an assertion.
wire [LEN_WIDTH:0]      ref_end = {1'b0, req_beats} + {{(LEN_WIDTH+1-BLOCK_LOG){1'b0}}, req_off};
wire                    ref_fits = ref_end <= BLOCK_BEATS[LEN_WIDTH:0];
wire [BLOCK_LOG-1:0]    ref_len = ref_fits ? req_lo - 1'b1 : ~req_off;
`ifndef SYNTHESIS
`ifndef FORMAL
always @(posedge clk) begin : first_burst_check
    if ((^{req_off, req_beats}) !== 1'bx && (req_fits !== ref_fits || req_len !== ref_len)) begin
        $display("ERROR lfads_axi_reader: first burst of offset %0d, %0d beats: fits %b length %0d, expected %b %0d",
                 req_off, req_beats, req_fits, req_len, ref_fits, ref_len);
        $finish;
    end
end
`endif
`endif
`ifdef FORMAL
always @(*) assert(req_fits == ref_fits && req_len == ref_len);
`endif

// ---- read data: two-entry skid buffer ----
// The data registers (beat_data, skid_data: 2 x AXI_DATA_WIDTH flip-flops) load on enables from the consumer's ready
// and these registers. As one net each, the load enable had 516 loads at 512 bits (issue 13 point 2: no combinational
// enable above ~500); so the data are loaded in DATA_COPIES parts, each part's enables from its own copies of
// beat_valid and RREADY, ~AXI_DATA_WIDTH / DATA_COPIES + a few loads each. Each copy is updated from its own part's
// enables and itself (the same next value as beat_valid / RREADY, but not the same net: Yosys 0.23 merged copies
// loaded from one next-value net into one flip-flop, keep or not). A simulation check and a formal assertion say
// the copies equal beat_valid and m_axi_rready in every cycle.
localparam integer DATA_COPIES = 2;
localparam integer PART = AXI_DATA_WIDTH / DATA_COPIES;
reg                      skid_valid = 1'b0;
reg [AXI_DATA_WIDTH-1:0] skid_data;
wire r_hs = m_axi_rvalid && m_axi_rready;
wire out_load = beat_ready || !beat_valid;

wire [DATA_COPIES-1:0] beat_valid_c, rready_c;
genvar gp;
generate
for (gp = 0; gp < DATA_COPIES; gp = gp + 1) begin : g_part
    (* keep = "true", shreg_extract = "no" *) reg valid_cp = 1'b0, rready_cp = 1'b0;
    wire part_hs = m_axi_rvalid && rready_cp;
    wire part_load = beat_ready || !valid_cp;
    (* keep = "true" *) always @(posedge clk) begin : copies
        valid_cp <= !rst && (part_load ? skid_valid || part_hs : valid_cp);
        rready_cp <= !rst && (part_load || !skid_valid && !part_hs);
    end
    assign beat_valid_c[gp] = valid_cp;
    assign rready_c[gp] = rready_cp;
    always @(posedge clk) begin
        if (part_load) begin
            if (skid_valid)
                beat_data[gp*PART +: PART] <= skid_data[gp*PART +: PART];
            else if (part_hs)
                beat_data[gp*PART +: PART] <= m_axi_rdata[gp*PART +: PART];
        end else if (part_hs) begin
            skid_data[gp*PART +: PART] <= m_axi_rdata[gp*PART +: PART];
        end
    end
end
endgenerate

always @(posedge clk) begin
    if (rst) begin
        beat_valid <= 1'b0;
        skid_valid <= 1'b0;
        m_axi_rready <= 1'b0;
        error <= 1'b0;
    end else begin
        if (out_load) begin
            beat_valid <= skid_valid || r_hs;
            skid_valid <= 1'b0;
        end else if (r_hs) begin
            skid_valid <= 1'b1;
        end
        // RREADY next cycle = the skid register will be empty
        m_axi_rready <= out_load || !skid_valid && !r_hs;
        if (take_req)
            error <= 1'b0;
        if (r_hs && m_axi_rresp[1])
            error <= 1'b1;
    end
end

`ifndef SYNTHESIS
`ifndef FORMAL
always @(posedge clk) begin : copies_check
    if (beat_valid_c !== {DATA_COPIES{beat_valid}} || rready_c !== {DATA_COPIES{m_axi_rready}}) begin
        $display("ERROR lfads_axi_reader: beat_valid / RREADY copies %b / %b differ from %b / %b at %0t",
                 beat_valid_c, rready_c, beat_valid, m_axi_rready, $time);
        $finish;
    end
end
`endif
`endif
`ifdef FORMAL
always @(*) assert(beat_valid_c == {DATA_COPIES{beat_valid}} && rready_c == {DATA_COPIES{m_axi_rready}});
`endif

endmodule

`resetall
