// SPDX-License-Identifier: MIT
`default_nettype none

/*
 * AXI4 write-channel master protocol checker (formal only), from ARM IHI 0022 A3.1 (reset),
 * A3.2 (handshake), A3.3 (dependencies), A3.4 (bursts). Slave inputs assumed, master outputs
 * asserted; single ID, so W beats and B responses follow the AW order. Write data may lead its
 * address (A3.3.1), so W bursts are matched with AW bursts by index, not by time.
 *
 *   slave (assumed)                             master (asserted)
 *   B1 BVALID low in and right after reset      M1 AWVALID/WVALID low in and right after reset
 *   B2 BVALID held until BREADY, BRESP stable   M2 AWVALID/WVALID held until READY, payload stable
 *   B3 a response only for a burst whose AW     M3 INCR bursts of the bus width, address aligned
 *      and WLAST beat were both accepted        M4 no burst crosses 4 KiB; AWLEN + 1 <= F_MAX_BURST
 *                                               M5 WLAST on exactly the last beat of each burst,
 *                                                  the burst's beat count equal to AWLEN + 1
 *                                                  (checked for an arbitrary burst, f_tag)
 *                                               M6 at most F_MAX_OUTSTANDING bursts without B
 *                                               M7 `idle` (the master's own claim that it is done)
 *                                                  only when nothing is pending: no AWVALID or
 *                                                  WVALID, every AW and WLAST answered by a B
 *                                                  (tie `idle` low if the master has no such claim)
 */
module faxi_wr_master #
(
    parameter DATA_WIDTH = 64,
    parameter F_MAX_BURST = 256,
    parameter F_MAX_OUTSTANDING = 8
)
(
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     awvalid,
    input  wire                     awready,
    input  wire [63:0]              awaddr,
    input  wire [7:0]               awlen,
    input  wire [2:0]               awsize,
    input  wire [1:0]               awburst,
    input  wire                     wvalid,
    input  wire                     wready,
    input  wire [DATA_WIDTH-1:0]    wdata,
    input  wire [DATA_WIDTH/8-1:0]  wstrb,
    input  wire                     wlast,
    input  wire                     bvalid,
    input  wire                     bready,
    input  wire [1:0]               bresp,
    input  wire                     idle,
    output reg  [7:0]               f_aw_count,
    output reg  [7:0]               f_wlast_count,
    output reg  [7:0]               f_b_count
);

localparam integer BEAT_BYTES = DATA_WIDTH / 8;
localparam integer SIZE = $clog2(BEAT_BYTES);

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;
always @(*) if (!f_past_valid) assume(rst);

wire aw_hs = awvalid && awready;
wire w_hs = wvalid && wready;
wire b_hs = bvalid && bready;

always @(*) if (rst) assume(!bvalid);
always @(posedge clk) if (f_past_valid && $past(rst)) begin
    assume(!bvalid);                 // B1
    assert(!awvalid);                // M1
    assert(!wvalid);
end

// M2 / B2
always @(posedge clk) if (f_past_valid && !$past(rst)) begin
    if ($past(awvalid && !awready)) begin
        assert(awvalid);
        assert(awaddr == $past(awaddr));
        assert(awlen == $past(awlen));
        assert(awsize == $past(awsize));
        assert(awburst == $past(awburst));
    end
    if ($past(wvalid && !wready)) begin
        assert(wvalid);
        assert(wdata == $past(wdata));
        assert(wstrb == $past(wstrb));
        assert(wlast == $past(wlast));
    end
end
always @(posedge clk) if (f_past_valid && !$past(rst) && !rst && $past(bvalid && !bready)) begin
    assume(bvalid);
    assume(bresp == $past(bresp));
end

// M3 / M4
wire [12:0] f_end = {1'b0, awaddr[11:0]} + (({5'd0, awlen} + 13'd1) << SIZE);
always @(*) if (!rst && awvalid) begin
    assert(awburst == 2'b01);
    assert(awsize == SIZE[2:0]);
    assert((awaddr & (BEAT_BYTES - 1)) == 0);
    assert(f_end <= 13'd4096);
    assert({1'b0, awlen} + 1'b1 <= F_MAX_BURST);
end

// counters: AW accepted, W bursts completed (WLAST accepted), B given
initial begin
    f_aw_count = 0;
    f_wlast_count = 0;
    f_b_count = 0;
end
always @(posedge clk) begin
    if (rst) begin
        f_aw_count <= 0;
        f_wlast_count <= 0;
        f_b_count <= 0;
    end else begin
        f_aw_count <= f_aw_count + aw_hs;
        f_wlast_count <= f_wlast_count + (w_hs && wlast);
        f_b_count <= f_b_count + b_hs;
    end
end
// B3 / M6
always @(*) if (!rst) begin
    if (bvalid) begin
        assume(f_b_count != f_aw_count);
        assume(f_b_count != f_wlast_count);
    end
    assert(f_aw_count - f_b_count <= F_MAX_OUTSTANDING);
    assert(f_aw_count != 8'hFF && f_wlast_count != 8'hFF);
end
// B3 written as counts: the responses never overtake either side (differences stay small)
always @(*) if (!rst) begin
    assert(f_aw_count - f_b_count < 8'h80);
    assert(f_wlast_count - f_b_count < 8'h80);
end

// M7
always @(*) if (!rst && idle) begin
    assert(!awvalid && !wvalid);
    assert(f_aw_count == f_b_count && f_wlast_count == f_b_count);
end

// M5: beats of the current W burst, and of one arbitrary burst (index f_tag) against its AWLEN
reg [8:0] f_wbeats = 0;          // beats of the W burst in progress already accepted
always @(posedge clk) begin
    if (rst)
        f_wbeats <= 0;
    else if (w_hs)
        f_wbeats <= wlast ? 9'd0 : f_wbeats + 1'b1;
end
always @(*) if (!rst && wvalid) assert(f_wbeats < F_MAX_BURST);
always @(*) if (!rst && wvalid && f_wbeats == F_MAX_BURST - 1) assert(wlast);

(* anyconst *) reg [7:0] f_tag;
reg [8:0] f_tag_len = 0;         // AWLEN + 1 of burst f_tag, once its AW was accepted
reg       f_tag_len_known = 1'b0;
reg [8:0] f_tag_beats = 0;       // its W beats, once its WLAST was accepted
reg       f_tag_w_done = 1'b0;
always @(posedge clk) begin
    if (rst) begin
        f_tag_len_known <= 1'b0;
        f_tag_w_done <= 1'b0;
    end else begin
        if (aw_hs && f_aw_count == f_tag) begin
            f_tag_len <= {1'b0, awlen} + 1'b1;
            f_tag_len_known <= 1'b1;
        end
        if (w_hs && wlast && f_wlast_count == f_tag) begin
            f_tag_beats <= f_wbeats + 1'b1;
            f_tag_w_done <= 1'b1;
        end
    end
end
always @(*) if (!rst) begin
    // a beat of burst f_tag once its length is known: within it, WLAST exactly on the last
    if (wvalid && f_wlast_count == f_tag && f_tag_len_known) begin
        assert(f_wbeats + 1'b1 <= f_tag_len);
        assert(wlast == (f_wbeats + 1'b1 == f_tag_len));
    end
    // the address came after the data: its length must match the beats sent
    if (awvalid && f_aw_count == f_tag && f_tag_w_done)
        assert({1'b0, awlen} + 1'b1 == f_tag_beats);
    if (f_tag_len_known && f_tag_w_done)
        assert(f_tag_len == f_tag_beats);
end

endmodule
