// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * AXI4-Lite control slave: Vitis ap_ctrl_hs control word, GIE/IER/ISR, kernel arguments and the
 * read-only identification / status registers of docs/kernel-numerics.md section 11.
 * Offsets come from lfads_contract.vh (generated from KernelContract.java).
 * One transaction at a time per direction; OKAY responses only.
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
    output wire         s_axi_awready,
    input  wire [6:0]   s_axi_awaddr,
    input  wire         s_axi_wvalid,
    output wire         s_axi_wready,
    input  wire [31:0]  s_axi_wdata,
    input  wire [3:0]   s_axi_wstrb,
    output reg          s_axi_bvalid,
    input  wire         s_axi_bready,
    output wire [1:0]   s_axi_bresp,
    input  wire         s_axi_arvalid,
    output wire         s_axi_arready,
    input  wire [6:0]   s_axi_araddr,
    output reg          s_axi_rvalid,
    input  wire         s_axi_rready,
    output reg  [31:0]  s_axi_rdata,
    output wire [1:0]   s_axi_rresp,

    output wire         interrupt,

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

`include "lfads_contract.vh"

reg ap_start = 1'b0, ap_done = 1'b0, ap_ready = 1'b0, auto_restart = 1'b0;
reg gie = 1'b0;
reg [1:0] ier = 2'b0, isr = 2'b0;

// write channel: accept address and data together
wire wr_fire = s_axi_awvalid && s_axi_wvalid && !s_axi_bvalid;
assign s_axi_awready = wr_fire;
assign s_axi_wready = wr_fire;
assign s_axi_bresp = 2'b00;

function [31:0] merge(input [31:0] old, input [31:0] val, input [3:0] strb);
    integer b;
    begin
        for (b = 0; b < 4; b = b + 1)
            merge[b*8 +: 8] = strb[b] ? val[b*8 +: 8] : old[b*8 +: 8];
    end
endfunction

wire rd_fire = s_axi_arvalid && !s_axi_rvalid;
assign s_axi_arready = rd_fire;
assign s_axi_rresp = 2'b00;

assign start = ap_start && core_idle;
assign interrupt = gie && (|isr);

wire ctrl_write = wr_fire && s_axi_awaddr == LFADS_REG_CTRL[6:0] && s_axi_wstrb[0];
wire ctrl_read = rd_fire && s_axi_araddr == LFADS_REG_CTRL[6:0];

always @(posedge clk) begin
    if (rst) begin
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
        if (s_axi_bvalid && s_axi_bready)
            s_axi_bvalid <= 1'b0;
        if (s_axi_rvalid && s_axi_rready)
            s_axi_rvalid <= 1'b0;

        // ap_start: set by the host, cleared when the core accepts it, re-armed by auto_restart
        if (start)
            ap_start <= 1'b0;
        if (core_done && auto_restart)
            ap_start <= 1'b1;
        if (ctrl_write && s_axi_wdata[0])
            ap_start <= 1'b1;
        if (ctrl_write)
            auto_restart <= s_axi_wdata[7];

        // ap_done / ap_ready: set on completion, cleared when CTRL is read
        if (ctrl_read) begin
            ap_done <= 1'b0;
            ap_ready <= 1'b0;
        end
        if (core_done) begin
            ap_done <= 1'b1;
            ap_ready <= 1'b1;
        end

        if (wr_fire) begin
            s_axi_bvalid <= 1'b1;
            case (s_axi_awaddr)
                LFADS_REG_GIE[6:0]:           if (s_axi_wstrb[0]) gie <= s_axi_wdata[0];
                LFADS_REG_IER[6:0]:           if (s_axi_wstrb[0]) ier <= s_axi_wdata[1:0];
                LFADS_REG_IMAGE_PTR_LO[6:0]:  image_ptr[31:0] <= merge(image_ptr[31:0], s_axi_wdata, s_axi_wstrb);
                LFADS_REG_IMAGE_PTR_HI[6:0]:  image_ptr[63:32] <= merge(image_ptr[63:32], s_axi_wdata, s_axi_wstrb);
                LFADS_REG_INPUT_PTR_LO[6:0]:  input_ptr[31:0] <= merge(input_ptr[31:0], s_axi_wdata, s_axi_wstrb);
                LFADS_REG_INPUT_PTR_HI[6:0]:  input_ptr[63:32] <= merge(input_ptr[63:32], s_axi_wdata, s_axi_wstrb);
                LFADS_REG_OUTPUT_PTR_LO[6:0]: output_ptr[31:0] <= merge(output_ptr[31:0], s_axi_wdata, s_axi_wstrb);
                LFADS_REG_OUTPUT_PTR_HI[6:0]: output_ptr[63:32] <= merge(output_ptr[63:32], s_axi_wdata, s_axi_wstrb);
                LFADS_REG_NUM_TRIALS[6:0]:    num_trials <= merge(num_trials, s_axi_wdata, s_axi_wstrb);
                LFADS_REG_FLAGS[6:0]:         flags <= merge(flags, s_axi_wdata, s_axi_wstrb);
                default: ;
            endcase
        end

        // ISR: set by events (when enabled), toggled by writes
        begin : isr_update
            reg [1:0] next_isr;
            next_isr = isr;
            if (wr_fire && s_axi_awaddr == LFADS_REG_ISR[6:0] && s_axi_wstrb[0])
                next_isr = next_isr ^ s_axi_wdata[1:0];
            if (core_done)
                next_isr = next_isr | ier;
            isr <= next_isr;
        end

        if (rd_fire) begin
            s_axi_rvalid <= 1'b1;
            case (s_axi_araddr)
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

endmodule

`resetall
