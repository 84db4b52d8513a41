// SPDX-License-Identifier: MIT
`default_nettype none

/*
 * Formal wrapper for lfads_axi_reader (AXI4 read master), at a 64-bit bus (8-byte beats: bursts
 * are capped by 256 beats as well as by 4 KiB) and 10-bit request lengths. AXI4 read-channel
 * properties: hdl/formal/common/faxi_rd_master.v. End-to-end checks here:
 *   F1 the bursts of a request are contiguous: the first starts at the request address, each
 *      later one where the previous ended; no new request is accepted while an AR is pending
 *      (that the bursts add up to exactly the requested beats is checked by the unit bench: the
 *      length arithmetic makes the unrolled problem too slow for z3 at useful depths);
 *   F2 the beat stream holds BEAT_VALID and BEAT_DATA until BEAT_READY, never has more beats
 *      than were read, and delivers the read data in order (one arbitrary beat, f_tag, tracked);
 *   F3 `error` is set by a SLVERR/DECERR beat and cleared by a new request.
 * The engine-side request is assumed held until accepted, with a beat-aligned address.
 */
module f_lfads_axi_reader
(
    input  wire         clk,
    input  wire         rst,
    input  wire         req_valid,
    input  wire [63:0]  req_addr,
    input  wire [9:0]   req_beats,
    input  wire         beat_ready,
    input  wire         arready,
    input  wire         rvalid,
    input  wire [63:0]  rdata,
    input  wire         rlast,
    input  wire [1:0]   rresp
);

localparam integer DW = 64;

wire         req_ready, beat_valid, error, arvalid, rready;
wire [DW-1:0] beat_data;
wire [63:0]  araddr;
wire [7:0]   arlen;
wire [2:0]   arsize;
wire [1:0]   arburst;

lfads_axi_reader #(.AXI_DATA_WIDTH(DW), .LEN_WIDTH(10)) dut (
    .clk(clk), .rst(rst), .req_valid(req_valid), .req_ready(req_ready), .req_addr(req_addr),
    .req_beats(req_beats), .beat_valid(beat_valid), .beat_ready(beat_ready), .beat_data(beat_data),
    .error(error), .m_axi_arvalid(arvalid), .m_axi_arready(arready), .m_axi_araddr(araddr),
    .m_axi_arlen(arlen), .m_axi_arsize(arsize), .m_axi_arburst(arburst), .m_axi_rvalid(rvalid),
    .m_axi_rready(rready), .m_axi_rdata(rdata), .m_axi_rlast(rlast), .m_axi_rresp(rresp));

wire [15:0] f_beats_outstanding;
faxi_rd_master #(.DATA_WIDTH(DW), .F_LGDEPTH(16)) f_axi (
    .clk(clk), .rst(rst), .arvalid(arvalid), .arready(arready), .araddr(araddr), .arlen(arlen),
    .arsize(arsize), .arburst(arburst), .rvalid(rvalid), .rready(rready), .rdata(rdata),
    .rlast(rlast), .rresp(rresp), .f_beats_outstanding(f_beats_outstanding));

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;

wire req_hs = req_valid && req_ready;
wire ar_hs = arvalid && arready;
wire r_hs = rvalid && rready;
wire beat_hs = beat_valid && beat_ready;

// engine side: request held until accepted, beat aligned
always @(*) begin
    if (rst) assume(!req_valid);
    assume(req_addr[2:0] == 3'd0);
    // addresses below 1 MiB and 8 significant data bits: the upper bits run through the same
    // adders and registers and only add solver work
    assume(req_addr[63:20] == 0);
    assume(rdata[63:8] == 0);
end
always @(posedge clk) if (f_past_valid && !$past(rst) && $past(req_valid && !req_ready)) begin
    assume(req_valid);
    assume(req_addr == $past(req_addr));
    assume(req_beats == $past(req_beats));
end

// F1: the expected address of the next burst
reg [23:0] f_addr = 0;
always @(posedge clk) begin
    if (req_hs) begin
        f_addr <= req_addr[23:0];
    end else if (ar_hs) begin
        // from the burst just accepted (equal to f_addr by the assertion below; restarting from
        // the AR keeps each step's adder identity small for the solver)
        f_addr <= araddr[23:0] + (({16'd0, arlen} + 24'd1) << 3);
    end
end
// AR payload as seen at its handshake: where the previous ended, within the request
always @(*) if (!rst && ar_hs) begin
    assert(araddr[23:0] == f_addr && araddr[63:24] == 0);
end
// a new request only when the previous one is fully issued
always @(*) if (!rst && req_ready) assert(!arvalid);

// F2: beat stream
always @(posedge clk) if (f_past_valid && !$past(rst) && $past(beat_valid && !beat_ready)) begin
    assert(beat_valid);
    assert(beat_data == $past(beat_data));
end
always @(posedge clk) if (f_past_valid && $past(rst)) assert(!beat_valid);
reg [15:0] f_r_count = 0, f_beat_count = 0;
always @(posedge clk) begin
    if (rst) begin
        f_r_count <= 0;
        f_beat_count <= 0;
    end else begin
        f_r_count <= f_r_count + r_hs;
        f_beat_count <= f_beat_count + beat_hs;
    end
end
always @(*) if (!rst) begin
    assert(f_beat_count + beat_valid <= f_r_count);
    assert(f_r_count - f_beat_count <= 2);   // two-entry skid buffer
end
(* anyconst *) reg [3:0] f_tag;
reg [7:0] f_tag_data = 0;
reg f_tag_seen = 1'b0;
always @(posedge clk) if (!rst && r_hs && f_r_count == f_tag) begin
    f_tag_data <= rdata[7:0];
    f_tag_seen <= 1'b1;
end
always @(*) if (!rst && beat_valid && f_beat_count == f_tag) begin
    assert(f_tag_seen);
    assert(beat_data == {56'd0, f_tag_data});
end

// F3
always @(posedge clk) if (f_past_valid && !$past(rst) && !rst) begin
    if ($past(r_hs && rresp[1])) assert(error);
    if ($past(req_hs) && !$past(r_hs && rresp[1])) assert(!error);
end

// covers: a request split into several bursts, and its data delivered under back-pressure
reg [2:0] f_ars = 0;
always @(posedge clk) if (rst || req_hs) f_ars <= 0; else if (ar_hs && f_ars != 7) f_ars <= f_ars + 1'b1;
always @(*) if (!rst) begin
    cover(f_ars == 2 && req_ready);
    cover(beat_hs && f_beat_count == 3 && f_r_count == 5);
end

endmodule
