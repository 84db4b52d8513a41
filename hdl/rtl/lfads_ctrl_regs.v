// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * AXI4-Lite control slave: Vitis ap_ctrl_hs control word, GIE/IER/ISR, kernel arguments and the
 * read-only identification / status registers of docs/kernel-numerics.md section 11.
 * Offsets come from lfads_contract.vh (generated from KernelContract.java).
 *
 * Every AXI output is a register (no combinational path from a VALID to a READY): AW and W are
 * accepted independently into holding registers (AWREADY/WREADY drop while a word is held), the
 * write is performed the cycle after both are held and no B is pending; an accepted AR is decoded
 * the next cycle and its data returned from a register. One write and one read in flight; OKAY
 * responses only. Protocol properties: hdl/formal (make -C hdl formal).
 */
module lfads_ctrl_regs #
(
    // BUILD_ID register value
    parameter BUILD_ID = 32'h0,
    // CONFIG register value ([7:0] W, [31:16] MAC lanes)
    parameter CONFIG_WORD = 32'h0
)
(
    input  wire         clk,
    input  wire         rst,

    input  wire         s_axi_awvalid,
    output reg          s_axi_awready,
    input  wire [6:0]   s_axi_awaddr,
    input  wire         s_axi_wvalid,
    output reg          s_axi_wready,
    input  wire [31:0]  s_axi_wdata,
    input  wire [3:0]   s_axi_wstrb,
    output reg          s_axi_bvalid,
    input  wire         s_axi_bready,
    output wire [1:0]   s_axi_bresp,
    input  wire         s_axi_arvalid,
    output reg          s_axi_arready,
    input  wire [6:0]   s_axi_araddr,
    output reg          s_axi_rvalid,
    input  wire         s_axi_rready,
    output reg  [31:0]  s_axi_rdata,
    output wire [1:0]   s_axi_rresp,

    // Vitis' name for the kernel interrupt (also a C++ keyword-like word for Verilator)
    /* verilator lint_off SYMRSVDWORD */
    output wire         interrupt,
    /* verilator lint_on SYMRSVDWORD */

    // to / from the kernel core
    output wire         start,          // one-cycle pulse: ap_start accepted
    input  wire         core_idle,      // core can accept a start
    input  wire         core_done,      // one-cycle pulse: run finished
    output reg  [63:0]  image_ptr,
    output reg  [63:0]  input_ptr,
    output reg  [63:0]  output_ptr,
    output reg  [31:0]  num_trials,
    output reg  [31:0]  flags,
    input  wire [63:0]  cycles,
    input  wire [31:0]  status,
    input  wire [31:0]  error_code,
    input  wire [31:0]  trials_done
);

// the contract defines every offset and constant of the kernel; this module uses the registers'
/* verilator lint_off UNUSEDPARAM */
`include "lfads_contract.vh"
/* verilator lint_on UNUSEDPARAM */

reg ap_start = 1'b0, ap_done = 1'b0, ap_ready = 1'b0, auto_restart = 1'b0;
reg gie = 1'b0;
reg [1:0] ier = 2'b0, isr = 2'b0;

// write channel: address and data held independently until both are present
reg        aw_full = 1'b0, w_full = 1'b0;
reg [6:0]  aw_addr_q = 7'd0;
reg [31:0] w_data_q = 32'd0;
reg [3:0]  w_strb_q = 4'd0;
wire aw_hs = s_axi_awvalid && s_axi_awready;
wire w_hs = s_axi_wvalid && s_axi_wready;
// the write happens this cycle; B goes valid next cycle
wire wr_do = aw_full && w_full && !s_axi_bvalid;
assign s_axi_bresp = 2'b00;

function [31:0] merge(input [31:0] old, input [31:0] val, input [3:0] strb);
    integer b;
    begin
        for (b = 0; b < 4; b = b + 1)
            merge[b*8 +: 8] = strb[b] ? val[b*8 +: 8] : old[b*8 +: 8];
    end
endfunction

// read channel: the accepted address is decoded in the next cycle
reg        ar_full = 1'b0;
reg [6:0]  ar_addr_q = 7'd0;
wire ar_hs = s_axi_arvalid && s_axi_arready;
wire rd_do = ar_full && !s_axi_rvalid;
assign s_axi_rresp = 2'b00;

assign start = ap_start && core_idle;
assign interrupt = gie && (|isr);

wire ctrl_write = wr_do && aw_addr_q == LFADS_REG_CTRL[6:0] && w_strb_q[0];
wire ctrl_read = rd_do && ar_addr_q == LFADS_REG_CTRL[6:0];

always @(posedge clk) begin
    if (rst) begin
        s_axi_awready <= 1'b0;
        s_axi_wready <= 1'b0;
        s_axi_arready <= 1'b0;
        aw_full <= 1'b0;
        w_full <= 1'b0;
        ar_full <= 1'b0;
        s_axi_bvalid <= 1'b0;
        s_axi_rvalid <= 1'b0;
        s_axi_rdata <= 32'd0;
        ap_start <= 1'b0;
        ap_done <= 1'b0;
        ap_ready <= 1'b0;
        auto_restart <= 1'b0;
        gie <= 1'b0;
        ier <= 2'b0;
        isr <= 2'b0;
        image_ptr <= 64'd0;
        input_ptr <= 64'd0;
        output_ptr <= 64'd0;
        num_trials <= 32'd0;
        flags <= 32'd0;
    end else begin
        // AW / W / AR holding registers; READY is low exactly while a word is held
        // (and AR also while its R is outstanding)
        s_axi_awready <= !aw_full && !aw_hs || wr_do;
        s_axi_wready <= !w_full && !w_hs || wr_do;
        s_axi_arready <= !ar_full && !s_axi_rvalid && !ar_hs || s_axi_rvalid && s_axi_rready;
        if (aw_hs) begin
            aw_full <= 1'b1;
            aw_addr_q <= s_axi_awaddr;
        end
        if (w_hs) begin
            w_full <= 1'b1;
            w_data_q <= s_axi_wdata;
            w_strb_q <= s_axi_wstrb;
        end
        if (wr_do) begin
            aw_full <= 1'b0;
            w_full <= 1'b0;
        end
`ifdef LFADS_FORMAL_MUTANT
        // deliberately broken variant for the negative formal check: B dropped without BREADY
        if (s_axi_bvalid)
`else
        if (s_axi_bvalid && s_axi_bready)
`endif
            s_axi_bvalid <= 1'b0;

        if (ar_hs) begin
            ar_full <= 1'b1;
            ar_addr_q <= s_axi_araddr;
        end
        if (rd_do)
            ar_full <= 1'b0;
        if (s_axi_rvalid && s_axi_rready)
            s_axi_rvalid <= 1'b0;

        // ap_start: set by the host, cleared when the core accepts it, re-armed by auto_restart
        if (start)
            ap_start <= 1'b0;
        if (core_done && auto_restart)
            ap_start <= 1'b1;
        if (ctrl_write && w_data_q[0])
            ap_start <= 1'b1;
        if (ctrl_write)
            auto_restart <= w_data_q[7];

        // ap_done / ap_ready: set on completion, cleared when CTRL is read
        if (ctrl_read) begin
            ap_done <= 1'b0;
            ap_ready <= 1'b0;
        end
        if (core_done) begin
            ap_done <= 1'b1;
            ap_ready <= 1'b1;
        end

        if (wr_do) begin
            s_axi_bvalid <= 1'b1;
            case (aw_addr_q)
                LFADS_REG_GIE[6:0]:           if (w_strb_q[0]) gie <= w_data_q[0];
                LFADS_REG_IER[6:0]:           if (w_strb_q[0]) ier <= w_data_q[1:0];
                LFADS_REG_IMAGE_PTR_LO[6:0]:  image_ptr[31:0] <= merge(image_ptr[31:0], w_data_q, w_strb_q);
                LFADS_REG_IMAGE_PTR_HI[6:0]:  image_ptr[63:32] <= merge(image_ptr[63:32], w_data_q, w_strb_q);
                LFADS_REG_INPUT_PTR_LO[6:0]:  input_ptr[31:0] <= merge(input_ptr[31:0], w_data_q, w_strb_q);
                LFADS_REG_INPUT_PTR_HI[6:0]:  input_ptr[63:32] <= merge(input_ptr[63:32], w_data_q, w_strb_q);
                LFADS_REG_OUTPUT_PTR_LO[6:0]: output_ptr[31:0] <= merge(output_ptr[31:0], w_data_q, w_strb_q);
                LFADS_REG_OUTPUT_PTR_HI[6:0]: output_ptr[63:32] <= merge(output_ptr[63:32], w_data_q, w_strb_q);
                LFADS_REG_NUM_TRIALS[6:0]:    num_trials <= merge(num_trials, w_data_q, w_strb_q);
                LFADS_REG_FLAGS[6:0]:         flags <= merge(flags, w_data_q, w_strb_q);
                default: ;
            endcase
        end

        // ISR: set by events (when enabled), toggled by writes
        begin : isr_update
            reg [1:0] next_isr;
            next_isr = isr;
            if (wr_do && aw_addr_q == LFADS_REG_ISR[6:0] && w_strb_q[0])
                next_isr = next_isr ^ w_data_q[1:0];
            if (core_done)
                next_isr = next_isr | ier;
            isr <= next_isr;
        end

        if (rd_do) begin
            s_axi_rvalid <= 1'b1;
            case (ar_addr_q)
                LFADS_REG_CTRL[6:0]:          s_axi_rdata <= {24'd0, auto_restart, 3'd0, ap_ready, core_idle, ap_done, ap_start};
                LFADS_REG_GIE[6:0]:           s_axi_rdata <= {31'd0, gie};
                LFADS_REG_IER[6:0]:           s_axi_rdata <= {30'd0, ier};
                LFADS_REG_ISR[6:0]:           s_axi_rdata <= {30'd0, isr};
                LFADS_REG_IMAGE_PTR_LO[6:0]:  s_axi_rdata <= image_ptr[31:0];
                LFADS_REG_IMAGE_PTR_HI[6:0]:  s_axi_rdata <= image_ptr[63:32];
                LFADS_REG_INPUT_PTR_LO[6:0]:  s_axi_rdata <= input_ptr[31:0];
                LFADS_REG_INPUT_PTR_HI[6:0]:  s_axi_rdata <= input_ptr[63:32];
                LFADS_REG_OUTPUT_PTR_LO[6:0]: s_axi_rdata <= output_ptr[31:0];
                LFADS_REG_OUTPUT_PTR_HI[6:0]: s_axi_rdata <= output_ptr[63:32];
                LFADS_REG_NUM_TRIALS[6:0]:    s_axi_rdata <= num_trials;
                LFADS_REG_FLAGS[6:0]:         s_axi_rdata <= flags;
                LFADS_REG_KERNEL_ID[6:0]:     s_axi_rdata <= LFADS_KERNEL_ID;
                LFADS_REG_VERSION[6:0]:       s_axi_rdata <= LFADS_KERNEL_VERSION;
                LFADS_REG_BUILD_ID[6:0]:      s_axi_rdata <= BUILD_ID;
                LFADS_REG_CONFIG[6:0]:        s_axi_rdata <= CONFIG_WORD;
                LFADS_REG_CYCLES_LO[6:0]:     s_axi_rdata <= cycles[31:0];
                LFADS_REG_CYCLES_HI[6:0]:     s_axi_rdata <= cycles[63:32];
                LFADS_REG_STATUS[6:0]:        s_axi_rdata <= status;
                LFADS_REG_ERROR_CODE[6:0]:    s_axi_rdata <= error_code;
                LFADS_REG_TRIALS_DONE[6:0]:   s_axi_rdata <= trials_done;
                default:                      s_axi_rdata <= 32'd0;
            endcase
        end
    end
end

`ifdef FORMAL
// ---- formal: AXI4-Lite protocol (hdl/formal/common/faxil_slave.v) and the invariants that make
// the proof inductive (they tie the checker's outstanding counts to the holding registers) ----
wire [3:0] f_aw_outstanding, f_w_outstanding, f_ar_outstanding;
faxil_slave #(.ADDR_WIDTH(7), .DATA_WIDTH(32), .F_LGDEPTH(4), .F_MAX_OUTSTANDING(2), .F_MAX_DELAY(3)) f_axil (
    .clk(clk), .rst(rst),
    .awvalid(s_axi_awvalid), .awready(s_axi_awready), .awaddr(s_axi_awaddr),
    .wvalid(s_axi_wvalid), .wready(s_axi_wready), .wdata(s_axi_wdata), .wstrb(s_axi_wstrb),
    .bvalid(s_axi_bvalid), .bready(s_axi_bready), .bresp(s_axi_bresp),
    .arvalid(s_axi_arvalid), .arready(s_axi_arready), .araddr(s_axi_araddr),
    .rvalid(s_axi_rvalid), .rready(s_axi_rready), .rdata(s_axi_rdata), .rresp(s_axi_rresp),
    .f_aw_outstanding(f_aw_outstanding), .f_w_outstanding(f_w_outstanding),
    .f_ar_outstanding(f_ar_outstanding));
`ifndef LFADS_FORMAL_MUTANT  // the mutant must be caught by the protocol properties alone
always @(*) if (!rst) begin
    assert(f_aw_outstanding == aw_full + s_axi_bvalid);
    assert(f_w_outstanding == w_full + s_axi_bvalid);
    assert(f_ar_outstanding == ar_full + s_axi_rvalid);
    assert(!(ar_full && s_axi_rvalid));
    if (s_axi_awready) assert(!aw_full);
    if (s_axi_wready) assert(!w_full);
    if (s_axi_arready) assert(!ar_full && !s_axi_rvalid);
    // OKAY only (this slave has no error responses)
    assert(s_axi_bresp == 2'b00 && s_axi_rresp == 2'b00);
end
`endif
`endif

endmodule

`resetall
