// SPDX-License-Identifier: MIT
`default_nettype none

/*
 * Formal wrapper for lfads_ctrl_regs (AXI4-Lite control slave). Every input is free; the AXI4-Lite
 * protocol properties are in hdl/formal/common/faxil_slave.v (instantiated by the DUT under
 * `ifdef FORMAL`, with the DUT's inductive invariants). This wrapper adds end-to-end checks on the
 * register file seen through the ports:
 *   D1 a completed write (its B handshake) to NUM_TRIALS has updated byte 0 of the num_trials
 *      port as its strobe says (AW and W paired in order, as AXI requires; one byte lane keeps
 *      the unrolled problem small for the solver, the other lanes are the same logic);
 *   D2 reads of the read-only identification registers return their constants;
 *   covers: a write and a read complete, two writes back to back.
 */
module f_lfads_ctrl_regs
(
    input  wire         clk,
    input  wire         rst,
    input  wire         awvalid,
    input  wire [6:0]   awaddr,
    input  wire         wvalid,
    input  wire [31:0]  wdata,
    input  wire [3:0]   wstrb,
    input  wire         bready,
    input  wire         arvalid,
    input  wire [6:0]   araddr,
    input  wire         rready,
    input  wire         core_idle,
    input  wire         core_done,
    input  wire [63:0]  cycles,
    input  wire [31:0]  status,
    input  wire [31:0]  error_code,
    input  wire [31:0]  trials_done
);

`include "lfads_contract.vh"

localparam [31:0] F_BUILD_ID = 32'hB111D1D0;
localparam [31:0] F_CONFIG = 32'h0800_0010;

wire        awready, wready, bvalid, arready, rvalid, interrupt, start;
wire [1:0]  bresp, rresp;
wire [31:0] rdata, num_trials, flags;
wire [63:0] image_ptr, input_ptr, output_ptr;

lfads_ctrl_regs #(.BUILD_ID(F_BUILD_ID), .CONFIG_WORD(F_CONFIG)) dut (
    .clk(clk), .rst(rst),
    .s_axi_awvalid(awvalid), .s_axi_awready(awready), .s_axi_awaddr(awaddr),
    .s_axi_wvalid(wvalid), .s_axi_wready(wready), .s_axi_wdata(wdata), .s_axi_wstrb(wstrb),
    .s_axi_bvalid(bvalid), .s_axi_bready(bready), .s_axi_bresp(bresp),
    .s_axi_arvalid(arvalid), .s_axi_arready(arready), .s_axi_araddr(araddr),
    .s_axi_rvalid(rvalid), .s_axi_rready(rready), .s_axi_rdata(rdata), .s_axi_rresp(rresp),
    .interrupt(interrupt), .start(start), .core_idle(core_idle), .core_done(core_done),
    .image_ptr(image_ptr), .input_ptr(input_ptr), .output_ptr(output_ptr),
    .num_trials(num_trials), .flags(flags), .cycles(cycles), .status(status),
    .error_code(error_code), .trials_done(trials_done));

wire aw_hs = awvalid && awready;
wire w_hs = wvalid && wready;
wire b_hs = bvalid && bready;
wire ar_hs = arvalid && arready;
wire r_hs = rvalid && rready;


// D1: two-entry queues of accepted AW addresses and W words (the slave holds at most two of
// each: one being written, one waiting behind a pending B), popped by B
reg [6:0]  f_aq0 = 0, f_aq1 = 0;
reg [7:0]  f_dq0 = 0, f_dq1 = 0;
reg        f_sq0 = 0, f_sq1 = 0;
reg [1:0]  f_an = 0, f_wn = 0;
reg [7:0]  f_num_trials = 0;
always @(posedge clk) begin
    if (rst) begin
        f_an <= 0;
        f_wn <= 0;
        f_num_trials <= 0;
    end else begin
        if (b_hs) begin
            f_aq0 <= f_aq1;
            f_dq0 <= f_dq1;
            f_sq0 <= f_sq1;
            if (f_aq0 == LFADS_REG_NUM_TRIALS[6:0] && f_sq0)
                f_num_trials <= f_dq0;
        end
        if (aw_hs) begin
            if (f_an - b_hs == 0) f_aq0 <= awaddr; else f_aq1 <= awaddr;
        end
        if (w_hs) begin
            if (f_wn - b_hs == 0) begin f_dq0 <= wdata[7:0]; f_sq0 <= wstrb[0]; end
            else begin f_dq1 <= wdata[7:0]; f_sq1 <= wstrb[0]; end
        end
        f_an <= f_an + aw_hs - b_hs;
        f_wn <= f_wn + w_hs - b_hs;
    end
end
always @(*) if (!rst) begin
    assert(f_an <= 2 && f_wn <= 2);
    // between writes (nothing accepted and not yet answered) the port equals the shadow
    if (f_an == 0 && f_wn == 0)
        assert(num_trials[7:0] == f_num_trials);
end
// right after the B handshake of a write to NUM_TRIALS the port holds the merged word
reg f_past_valid = 1'b0;
always @(posedge clk) f_past_valid <= 1'b1;
always @(posedge clk) if (f_past_valid && !$past(rst) && !rst && $past(b_hs))
    assert(num_trials[7:0] == f_num_trials);

// D2: read-only registers
reg [6:0] f_ar = 0;
always @(posedge clk) if (ar_hs) f_ar <= araddr;
always @(*) if (!rst && r_hs) begin
    if (f_ar == LFADS_REG_KERNEL_ID[6:0]) assert(rdata == LFADS_KERNEL_ID);
    if (f_ar == LFADS_REG_VERSION[6:0]) assert(rdata == LFADS_KERNEL_VERSION);
    if (f_ar == LFADS_REG_BUILD_ID[6:0]) assert(rdata == F_BUILD_ID);
    if (f_ar == LFADS_REG_CONFIG[6:0]) assert(rdata == F_CONFIG);
end

// covers
reg [1:0] f_b_count = 0;
always @(posedge clk) if (rst) f_b_count <= 0; else if (b_hs && f_b_count != 3) f_b_count <= f_b_count + 1'b1;
always @(*) if (!rst) begin
    cover(b_hs);
    cover(r_hs && f_ar == LFADS_REG_KERNEL_ID[6:0]);
    cover(f_b_count == 2 && num_trials[7:0] == 8'hEE);
end

endmodule
