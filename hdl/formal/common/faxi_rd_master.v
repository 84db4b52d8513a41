// SPDX-License-Identifier: MIT
`default_nettype none

/*
 * AXI4 read-channel master protocol checker (formal only), from ARM IHI 0022 A3.1 (reset),
 * A3.2 (handshake), A3.3 (dependencies), A3.4 (bursts). Slave inputs assumed, master outputs
 * asserted; single ID, so read data returns in request order.
 *
 *   slave (assumed)                              master (asserted)
 *   R1 RVALID low in and right after reset       M1 ARVALID low in and right after reset
 *   R2 RVALID held until RREADY, RDATA/RRESP/    M2 ARVALID held until ARREADY, AR payload stable
 *      RLAST stable meanwhile                    M3 INCR bursts of the bus width, address aligned
 *   R3 no read data without an accepted AR       M4 no burst crosses a 4 KiB boundary; ARLEN < 256
 *      (beats requested minus beats returned)    M5 outstanding beats fit the counter
 *   R4 RLAST on exactly the last beat of each burst (tracked for the oldest outstanding burst
 *      only when it is the one being returned: f_burst_left)
 */
module faxi_rd_master #
(
    parameter DATA_WIDTH = 64,
    parameter F_LGDEPTH = 12
)
(
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     arvalid,
    input  wire                     arready,
    input  wire [63:0]              araddr,
    input  wire [7:0]               arlen,
    input  wire [2:0]               arsize,
    input  wire [1:0]               arburst,
    input  wire                     rvalid,
    input  wire                     rready,
    input  wire [DATA_WIDTH-1:0]    rdata,
    input  wire                     rlast,
    input  wire [1:0]               rresp,
    output reg  [F_LGDEPTH-1:0]     f_beats_outstanding
);

localparam integer BEAT_BYTES = DATA_WIDTH / 8;
localparam integer SIZE = $clog2(BEAT_BYTES);

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;
always @(*) if (!f_past_valid) assume(rst);

wire ar_hs = arvalid && arready;
wire r_hs = rvalid && rready;

always @(*) if (rst) assume(!rvalid);
always @(posedge clk) if (f_past_valid && $past(rst)) begin
    assume(!rvalid);                 // R1
    assert(!arvalid);                // M1
end

// M2 / R2
always @(posedge clk) if (f_past_valid && !$past(rst)) begin
    if ($past(arvalid && !arready)) begin
        assert(arvalid);
        assert(araddr == $past(araddr));
        assert(arlen == $past(arlen));
        assert(arsize == $past(arsize));
        assert(arburst == $past(arburst));
    end
end
always @(posedge clk) if (f_past_valid && !$past(rst) && !rst) begin
    if ($past(rvalid && !rready)) begin
        assume(rvalid);
        assume(rdata == $past(rdata));
        assume(rresp == $past(rresp));
        assume(rlast == $past(rlast));
    end
end

// M3 / M4
wire [12:0] f_end = {1'b0, araddr[11:0]} + (({5'd0, arlen} + 13'd1) << SIZE);
always @(*) if (!rst && arvalid) begin
    assert(arburst == 2'b01);
    assert(arsize == SIZE[2:0]);
    assert((araddr & (BEAT_BYTES - 1)) == 0);
    assert(f_end <= 13'd4096);
end

// R3 / M5: beats requested by accepted ARs minus beats returned
initial f_beats_outstanding = 0;
always @(posedge clk) begin
    if (rst)
        f_beats_outstanding <= 0;
    else
        f_beats_outstanding <= f_beats_outstanding + (ar_hs ? {{(F_LGDEPTH-8){1'b0}}, arlen} + 1'b1 : 1'b0) - r_hs;
end
always @(*) if (!rst) begin
    if (f_beats_outstanding == 0)
        assume(!rvalid);
    assert(f_beats_outstanding < (1 << F_LGDEPTH) - 512);
end

// R4: RLAST on the last beat of each burst. The checker keeps the lengths of up to four
// outstanding bursts (more are not needed within the proof depths used here: M5 bounds them
// in any case, and the master under test does not use RLAST for its own bookkeeping).
reg [8:0] f_len_q [0:3];
reg [2:0] f_nq = 0;
reg [1:0] f_qh = 0, f_qt = 0;
reg [8:0] f_done = 0;   // beats of the oldest burst already returned
always @(posedge clk) begin
    if (rst) begin
        f_nq <= 0;
        f_qh <= 0;
        f_qt <= 0;
        f_done <= 0;
    end else begin
        if (ar_hs) begin
            f_len_q[f_qt] <= {1'b0, arlen} + 1'b1;
            f_qt <= f_qt + 1'b1;
        end
        if (r_hs) begin
            if (f_done + 1'b1 == f_len_q[f_qh]) begin
                f_done <= 0;
                f_qh <= f_qh + 1'b1;
            end else begin
                f_done <= f_done + 1'b1;
            end
        end
        f_nq <= f_nq + ar_hs - (r_hs && f_done + 1'b1 == f_len_q[f_qh]);
    end
end
always @(*) if (!rst) begin
    // a slave with room for four outstanding read bursts
    if (f_nq >= 4) assume(!arready);
    assert(f_nq <= 4);
    if (rvalid && f_nq != 0)
        assume(rlast == (f_done + 1'b1 == f_len_q[f_qh]));
end

endmodule
