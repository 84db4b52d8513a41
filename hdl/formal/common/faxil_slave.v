// SPDX-License-Identifier: MIT
`default_nettype none

/*
 * AXI4-Lite slave protocol checker (formal only: read with `read_verilog -formal`).
 * Written from ARM IHI 0022 (AMBA AXI and ACE), sections A3.1 (reset), A3.2 (handshake),
 * A3.3 (channel dependencies) and B1 (AXI4-Lite). The slave's inputs are assumed to follow the
 * protocol (a well-behaved master); the slave's outputs are asserted to.
 *
 *   master (assumed)                          slave (asserted)
 *   M1 VALIDs low in reset and the cycle after   S1 BVALID/RVALID low in and right after reset
 *   M2 xVALID held until xREADY, payload stable  S2 BVALID/RVALID held until READY, payload stable
 *                                                S3 B only after both AW and W were accepted
 *                                                S4 R only after AR was accepted
 *                                                S5 one response per request (counters never
 *                                                   below zero, at most F_MAX_OUTSTANDING)
 *                                                S6 every request answered within F_MAX_DELAY
 *                                                   cycles (0: not checked)
 * f_*_outstanding: AW/W/AR accepted minus responses given, for the DUT's own invariants.
 */
module faxil_slave #
(
    parameter ADDR_WIDTH = 7,
    parameter DATA_WIDTH = 32,
    parameter F_LGDEPTH = 4,
    parameter F_MAX_OUTSTANDING = 2,
    parameter F_MAX_DELAY = 0
)
(
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     awvalid,
    input  wire                     awready,
    input  wire [ADDR_WIDTH-1:0]    awaddr,
    input  wire                     wvalid,
    input  wire                     wready,
    input  wire [DATA_WIDTH-1:0]    wdata,
    input  wire [DATA_WIDTH/8-1:0]  wstrb,
    input  wire                     bvalid,
    input  wire                     bready,
    input  wire [1:0]               bresp,
    input  wire                     arvalid,
    input  wire                     arready,
    input  wire [ADDR_WIDTH-1:0]    araddr,
    input  wire                     rvalid,
    input  wire                     rready,
    input  wire [DATA_WIDTH-1:0]    rdata,
    input  wire [1:0]               rresp,
    output reg  [F_LGDEPTH-1:0]     f_aw_outstanding,
    output reg  [F_LGDEPTH-1:0]     f_w_outstanding,
    output reg  [F_LGDEPTH-1:0]     f_ar_outstanding
);

reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;

// reset in the first cycle
always @(*) if (!f_past_valid) assume(rst);

wire aw_hs = awvalid && awready;
wire w_hs = wvalid && wready;
wire b_hs = bvalid && bready;
wire ar_hs = arvalid && arready;
wire r_hs = rvalid && rready;

// M1: "the earliest point after reset that a master is permitted to begin driving ARVALID,
// AWVALID or WVALID HIGH is at a rising ACLK edge after ARESETn is HIGH" (A3.1.2)
always @(*) if (rst) begin
    assume(!awvalid);
    assume(!wvalid);
    assume(!arvalid);
end
always @(posedge clk) if (f_past_valid && $past(rst)) begin
    assume(!awvalid);
    assume(!wvalid);
    assume(!arvalid);
    // S1: "the slave interface must drive RVALID and BVALID LOW" during reset
    assert(!bvalid);
    assert(!rvalid);
end

// M2 / S2: "once VALID is asserted it must remain asserted until the handshake occurs";
// the information on the channel must not change meanwhile (A3.2.1)
always @(posedge clk) if (f_past_valid && !$past(rst) && !rst) begin
    if ($past(awvalid && !awready)) begin
        assume(awvalid);
        assume(awaddr == $past(awaddr));
    end
    if ($past(wvalid && !wready)) begin
        assume(wvalid);
        assume(wdata == $past(wdata));
        assume(wstrb == $past(wstrb));
    end
    if ($past(arvalid && !arready)) begin
        assume(arvalid);
        assume(araddr == $past(araddr));
    end
end
always @(posedge clk) if (f_past_valid && !$past(rst)) begin
    if ($past(bvalid && !bready)) begin
        assert(bvalid);
        assert(bresp == $past(bresp));
    end
    if ($past(rvalid && !rready)) begin
        assert(rvalid);
        assert(rdata == $past(rdata));
        assert(rresp == $past(rresp));
    end
end

// S3 / S4 / S5: the write response "must wait for AWVALID, AWREADY, WVALID and WREADY to be
// asserted" (A3.3.1, figure A3-7); the read data must follow the AR handshake (figure A3-5)
always @(posedge clk) begin
    if (rst) begin
        f_aw_outstanding <= 0;
        f_w_outstanding <= 0;
        f_ar_outstanding <= 0;
    end else begin
        f_aw_outstanding <= f_aw_outstanding + aw_hs - b_hs;
        f_w_outstanding <= f_w_outstanding + w_hs - b_hs;
        f_ar_outstanding <= f_ar_outstanding + ar_hs - r_hs;
    end
end
initial begin
    f_aw_outstanding = 0;
    f_w_outstanding = 0;
    f_ar_outstanding = 0;
end
always @(*) if (!rst) begin
    if (bvalid) begin
        assert(f_aw_outstanding != 0);
        assert(f_w_outstanding != 0);
    end
    if (rvalid)
        assert(f_ar_outstanding != 0);
    assert(f_aw_outstanding <= F_MAX_OUTSTANDING);
    assert(f_w_outstanding <= F_MAX_OUTSTANDING);
    assert(f_ar_outstanding <= F_MAX_OUTSTANDING);
end

// S6: bounded response time while the master is ready to take it
generate if (F_MAX_DELAY > 0) begin : g_delay
    reg [7:0] f_b_wait = 0, f_r_wait = 0;
    always @(posedge clk) begin
        if (rst || bvalid || f_aw_outstanding == 0 || f_w_outstanding == 0)
            f_b_wait <= 0;
        else
            f_b_wait <= f_b_wait + 1'b1;
        if (rst || rvalid || f_ar_outstanding == 0)
            f_r_wait <= 0;
        else
            f_r_wait <= f_r_wait + 1'b1;
    end
    always @(*) begin
        assert(f_b_wait < F_MAX_DELAY);
        assert(f_r_wait < F_MAX_DELAY);
    end
end endgenerate

endmodule
