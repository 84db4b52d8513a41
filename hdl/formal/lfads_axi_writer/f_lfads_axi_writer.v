// SPDX-License-Identifier: MIT
`default_nettype none

/*
 * Formal wrapper for lfads_axi_writer (AXI4 write master) in a small configuration: 64-bit bus
 * (two words per beat), chunks of up to 2 8-bit values, 4-entry chunk FIFO, bursts of up to
 * 4 beats, 2 outstanding bursts, 8-entry beat and burst FIFOs. AXI4 write-channel properties:
 * hdl/formal/common/faxi_wr_master.v, including its M7: `idle` only when every accepted burst
 * was answered (no AW or W pending, B count = AW count = WLAST count). End-to-end checks here:
 *   E2 every burst's AWADDR is the address the packer gave its first beat (a region's beats at
 *      consecutive addresses from its base; the checker's M5 ties AWLEN to the W beats), bursts
 *      stay within their region, strobes are whole words from word 0;
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

// E2: every burst's AWADDR is the address the packer gave its first beat. The packer lays out the beats
// of a region (region 0 from reset at address 0, region k from the k-th set_base at its base) at
// consecutive addresses, and W carries the beats in packer order, so the W stream cut into regions by
// word counts (every beat's strobes are whole words from word 0) gives each beat's address. (AW order
// alone cannot: set_base waits only for the packer, so the AWs of the region before may still be queued
// or held by the slave when the new base is set.) For an arbitrary region f_rtag and burst f_btag:
//   E2a no beat straddles a region's start (a region's words start a new beat),
//   E2b a region's first beat starts a burst (bursts stay within their region),
//   E2c burst f_btag's AWADDR, if its first beat lies in region f_rtag, is that region's base plus
//       8 bytes per beat of the region before it; every address below 1 MiB.
localparam integer WORDS = DW / 32;
wire w_hs = wvalid && wready;
wire aw_hs = awvalid && awready;

// words of a beat from its strobes, which must be whole words from word 0
reg [3:0] f_beat_words;
reg       f_strb_ok;
always @(*) begin : strobe_words
    integer k;
    f_beat_words = 0;
    f_strb_ok = wstrb[3:0] == 4'hF;
    for (k = 0; k < WORDS; k = k + 1) begin
        f_beat_words = f_beat_words + wstrb[4*k];
        if (wstrb[4*k +: 4] != 4'h0 && wstrb[4*k +: 4] != 4'hF)
            f_strb_ok = 1'b0;
    end
    for (k = 1; k < WORDS; k = k + 1)
        if (wstrb[4*k] && !wstrb[4*k-4])
            f_strb_ok = 1'b0;
end
always @(*) if (!rst && wvalid) assert(f_strb_ok);

// input side: words accepted, regions begun (set_base count), region f_rtag's base and first word
(* anyconst *) reg [7:0] f_rtag;
reg [7:0]  f_in_words = 0, f_region = 0;
reg        f_r_known = 1'b0;     // region f_rtag has begun
reg [7:0]  f_r_start = 0;        // words accepted before it
reg [19:0] f_r_base = 0;
reg [7:0]  f_r_end = 0;          // words accepted when it ended (the next set_base)
always @(posedge clk) begin
    if (rst) begin
        f_in_words <= 0;
        f_region <= 0;
        f_r_known <= f_rtag == 0;
        f_r_start <= 0;
        f_r_base <= 0;
    end else begin
        if (chunk_valid)
            f_in_words <= f_in_words + chunk_count;
        if (set_base) begin   // (no chunk in that cycle)
            f_region <= f_region + 1'b1;
            if (f_region + 1'b1 == f_rtag) begin
                f_r_known <= 1'b1;
                f_r_start <= f_in_words;
                f_r_base <= base_addr[19:0];
            end
            if (f_region == f_rtag)
                f_r_end <= f_in_words;
        end
    end
end
always @(*) if (!rst) assert(f_region != 8'hFF && f_in_words < 8'hF0);

// W side: words and beats accepted, whether the next beat starts a burst, region f_rtag's first beat
reg [7:0] f_out_words = 0, f_out_beats = 0;
reg       f_w_first = 1'b1;
reg [7:0] f_r_beat0 = 0;         // index of region f_rtag's first beat
always @(posedge clk) begin
    if (rst) begin
        f_out_words <= 0;
        f_out_beats <= 0;
        f_w_first <= 1'b1;
    end else if (w_hs) begin
        f_out_words <= f_out_words + f_beat_words;
        f_out_beats <= f_out_beats + 1'b1;
        f_w_first <= wlast;
        if (f_r_known && f_out_words == f_r_start)
            f_r_beat0 <= f_out_beats;
    end
end
// the beat on W lies in region f_rtag: its first word came after the region began, and the region is the
// newest one or its first word came before the region ended
wire       f_w_in_r = f_r_known && f_out_words >= f_r_start && (f_region == f_rtag || f_out_words < f_r_end);
// its address: the region's base, 8 bytes per beat of the region before it
wire [19:0] f_w_addr = f_r_base + {9'd0, (f_out_words == f_r_start ? 8'd0 : f_out_beats - f_r_beat0), 3'd0};
always @(*) if (!rst && wvalid) begin
    if (f_r_known && f_out_words < f_r_start)
        assert(f_out_words + f_beat_words <= f_r_start);                 // E2a
    if (f_w_in_r && f_out_words == f_r_start)
        assert(f_w_first);                                                // E2b
end

// E2c: burst f_btag's first-beat address (from W) against its AWADDR, whichever comes second
(* anyconst *) reg [7:0] f_btag;
reg        f_b_aw_known = 1'b0, f_b_w_known = 1'b0;
reg [19:0] f_b_awaddr = 0, f_b_waddr = 0;
wire       f_b_first_beat = w_hs && f_w_first && f_wlast_count == f_btag && f_w_in_r;
always @(posedge clk) begin
    if (rst) begin
        f_b_aw_known <= 1'b0;
        f_b_w_known <= 1'b0;
    end else begin
        if (aw_hs && f_aw_count == f_btag) begin
            f_b_aw_known <= 1'b1;
            f_b_awaddr <= awaddr[19:0];
        end
        if (f_b_first_beat) begin
            f_b_w_known <= 1'b1;
            f_b_waddr <= f_w_addr;
        end
    end
end
always @(*) if (!rst) begin
    if (aw_hs)
        assert(awaddr[63:20] == 0);
    if (aw_hs && f_aw_count == f_btag && f_b_w_known)
        assert(awaddr[19:0] == f_b_waddr);
    if (f_b_first_beat && f_b_aw_known)
        assert(f_b_awaddr == f_w_addr);
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
