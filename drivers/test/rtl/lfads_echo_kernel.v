// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none
// Echo kernel: the lfads_kernel ports and register block around a trivial datapath, so the driver's
// emulation harness (AXI4-Lite master, AXI4 memory model, fault injection) is tested on its own.
// The control registers are the kernel's own (hdl/rtl/lfads_ctrl_regs.v), so the harness tests
// exercise the register logic the real kernel ships with.
// Image load: reads the first two 64-byte header beats in one burst, checks MAGIC/VERSION, keeps
// spb = T_ENC*N_IN and owpt = T_REC*(FAC_DIM+N_OUT). Per trial: reads the input one beat at a time,
// writes owpt words out[i] = 3*in[i % spb] - i in bursts of up to 4 beats (none crossing 4 KB).
module lfads_echo_kernel #(
    parameter integer AXI_ADDR_WIDTH = 64,
    parameter integer AXI_DATA_WIDTH = 512,   // only 512 is supported by this test kernel
    parameter [31:0]  BUILD_ID = 32'hEC40EC40
) (
    input  wire                          ap_clk,
    input  wire                          ap_rst_n,
    output wire                          interrupt,
    // AXI4-Lite slave: control registers
    input  wire                          s_axi_control_awvalid,
    output wire                          s_axi_control_awready,
    input  wire [6:0]                    s_axi_control_awaddr,
    input  wire                          s_axi_control_wvalid,
    output wire                          s_axi_control_wready,
    input  wire [31:0]                   s_axi_control_wdata,
    input  wire [3:0]                    s_axi_control_wstrb,
    output wire                          s_axi_control_bvalid,
    input  wire                          s_axi_control_bready,
    output wire [1:0]                    s_axi_control_bresp,
    input  wire                          s_axi_control_arvalid,
    output wire                          s_axi_control_arready,
    input  wire [6:0]                    s_axi_control_araddr,
    output wire                          s_axi_control_rvalid,
    input  wire                          s_axi_control_rready,
    output wire [31:0]                   s_axi_control_rdata,
    output wire [1:0]                    s_axi_control_rresp,
    // AXI4 master: global memory
    output reg                           m_axi_gmem_awvalid,
    input  wire                          m_axi_gmem_awready,
    output reg  [AXI_ADDR_WIDTH-1:0]     m_axi_gmem_awaddr,
    output reg  [7:0]                    m_axi_gmem_awlen,
    output wire [2:0]                    m_axi_gmem_awsize,
    output wire [1:0]                    m_axi_gmem_awburst,
    output reg                           m_axi_gmem_wvalid,
    input  wire                          m_axi_gmem_wready,
    output reg  [AXI_DATA_WIDTH-1:0]     m_axi_gmem_wdata,
    output reg  [AXI_DATA_WIDTH/8-1:0]   m_axi_gmem_wstrb,
    output reg                           m_axi_gmem_wlast,
    input  wire                          m_axi_gmem_bvalid,
    output wire                          m_axi_gmem_bready,
    input  wire [1:0]                    m_axi_gmem_bresp,
    output reg                           m_axi_gmem_arvalid,
    input  wire                          m_axi_gmem_arready,
    output reg  [AXI_ADDR_WIDTH-1:0]     m_axi_gmem_araddr,
    output reg  [7:0]                    m_axi_gmem_arlen,
    output wire [2:0]                    m_axi_gmem_arsize,
    output wire [1:0]                    m_axi_gmem_arburst,
    input  wire                          m_axi_gmem_rvalid,
    output wire                          m_axi_gmem_rready,
    input  wire [AXI_DATA_WIDTH-1:0]     m_axi_gmem_rdata,
    input  wire                          m_axi_gmem_rlast,
    input  wire [1:0]                    m_axi_gmem_rresp
);
`include "lfads_contract.vh"

  localparam integer BEAT = AXI_DATA_WIDTH / 8;
  assign m_axi_gmem_awsize = 3'd6;
  assign m_axi_gmem_arsize = 3'd6;
  assign m_axi_gmem_awburst = 2'b01;
  assign m_axi_gmem_arburst = 2'b01;
  assign m_axi_gmem_bready = 1'b1;
  assign m_axi_gmem_rready = 1'b1;

  // ---------------- control registers: the kernel's register block ----------------
  wire [63:0] image_ptr, input_ptr, output_ptr;
  wire [31:0] num_trials, flags;
  reg  [63:0] cycles;
  reg  [31:0] trials_done, error_code;
  reg image_loaded, image_error, axi_error;
  wire start_accept;   // ap_start accepted (the core is idle)
  wire core_idle;
  wire finish;         // one-cycle pulse: the run is over

  lfads_ctrl_regs #(
    .BUILD_ID(BUILD_ID),
    .CONFIG_WORD({16'd1, 8'd0, 8'd16})   // one "MAC lane", W = 16
  ) ctrl (
    .clk(ap_clk),
    .rst(!ap_rst_n),
    .s_axi_awvalid(s_axi_control_awvalid),
    .s_axi_awready(s_axi_control_awready),
    .s_axi_awaddr(s_axi_control_awaddr),
    .s_axi_wvalid(s_axi_control_wvalid),
    .s_axi_wready(s_axi_control_wready),
    .s_axi_wdata(s_axi_control_wdata),
    .s_axi_wstrb(s_axi_control_wstrb),
    .s_axi_bvalid(s_axi_control_bvalid),
    .s_axi_bready(s_axi_control_bready),
    .s_axi_bresp(s_axi_control_bresp),
    .s_axi_arvalid(s_axi_control_arvalid),
    .s_axi_arready(s_axi_control_arready),
    .s_axi_araddr(s_axi_control_araddr),
    .s_axi_rvalid(s_axi_control_rvalid),
    .s_axi_rready(s_axi_control_rready),
    .s_axi_rdata(s_axi_control_rdata),
    .s_axi_rresp(s_axi_control_rresp),
    .interrupt(interrupt),
    .start(start_accept),
    .core_idle(core_idle),
    .core_done(finish),
    .image_ptr(image_ptr),
    .input_ptr(input_ptr),
    .output_ptr(output_ptr),
    .num_trials(num_trials),
    .flags(flags),
    .cycles(cycles),
    .status({29'd0, axi_error, image_error, image_loaded}),
    .error_code(error_code),
    .trials_done(trials_done)
  );

  // ---------------- datapath ----------------
  localparam [3:0] S_IDLE = 0, S_IMG_AR = 1, S_IMG_R = 2, S_TRIAL = 3, S_IN_AR = 4, S_IN_R = 5,
                   S_OUT_AW = 6, S_OUT_W = 7, S_OUT_B = 8, S_DONE = 9;
  reg [3:0] state;
  reg [31:0] spb, owpt, in_beats, out_beats, beat, burst_beats, burst_done, trial;
  reg [7:0] inbuf [0:4095];
  reg rbeat;
  assign core_idle = state == S_IDLE;
  assign finish = state == S_DONE;

  wire [63:0] in_base = input_ptr + trial * ((spb + BEAT - 1) / BEAT * BEAT);
  wire [63:0] out_base = output_ptr + trial * ((owpt * 4 + BEAT - 1) / BEAT * BEAT);
  wire [63:0] out_addr = out_base + beat * BEAT;
  wire [31:0] page_beats = (4096 - {20'd0, out_addr[11:0]}) / BEAT;
  wire [31:0] left = out_beats - beat;
  wire [31:0] first_burst = (left < 4 ? left : 4) < page_beats ? (left < 4 ? left : 4) : page_beats;

  // Output beat: 16 words f(i) = 3*in[i % spb] - i, lanes beyond owpt strobed off.
  reg [AXI_DATA_WIDTH-1:0] obeat;
  reg [AXI_DATA_WIDTH/8-1:0] ostrb;
  integer k;
  always @* begin
    for (k = 0; k < BEAT / 4; k = k + 1) begin
      obeat[32*k +: 32] = 3 * {24'd0, inbuf[((beat + burst_done) * (BEAT / 4) + k) % spb]} - ((beat + burst_done) * (BEAT / 4) + k);
      ostrb[4*k +: 4] = ((beat + burst_done) * (BEAT / 4) + k) < owpt ? 4'hF : 4'h0;
    end
  end

  integer j;
  always @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      state <= S_IDLE; m_axi_gmem_arvalid <= 0; m_axi_gmem_awvalid <= 0; m_axi_gmem_wvalid <= 0;
      image_loaded <= 0; image_error <= 0; axi_error <= 0; error_code <= 0; cycles <= 0; trials_done <= 0;
      spb <= 1; owpt <= 0;
    end else begin
      if (state != S_IDLE && state != S_DONE) cycles <= cycles + 1;
      case (state)
        S_IDLE: if (start_accept) begin
          cycles <= 1; trials_done <= 0; error_code <= 0; axi_error <= 0; trial <= 0;
          if (flags[0]) begin
            image_loaded <= 0; image_error <= 0;
            m_axi_gmem_araddr <= image_ptr; m_axi_gmem_arlen <= 8'd1; m_axi_gmem_arvalid <= 1; rbeat <= 0;
            state <= S_IMG_AR;
          end else if (num_trials == 0) state <= S_DONE;
          else if (!image_loaded) begin error_code <= LFADS_ERR_NO_IMAGE; state <= S_DONE; end
          else state <= S_TRIAL;
        end
        S_IMG_AR: if (m_axi_gmem_arready) begin m_axi_gmem_arvalid <= 0; state <= S_IMG_R; end
        S_IMG_R: if (m_axi_gmem_rvalid) begin
          rbeat <= 1;
          if (m_axi_gmem_rresp != 0) axi_error <= 1;
          if (!rbeat) begin
            if (m_axi_gmem_rdata[31:0] != LFADS_IMAGE_MAGIC) error_code <= LFADS_ERR_BAD_MAGIC;
            else if (m_axi_gmem_rdata[63:32] != LFADS_IMAGE_VERSION) error_code <= LFADS_ERR_BAD_VERSION;
            spb <= m_axi_gmem_rdata[32*LFADS_H_T_ENC +: 32] * m_axi_gmem_rdata[32*LFADS_H_N_IN +: 32];
            owpt <= m_axi_gmem_rdata[32*LFADS_H_T_REC +: 32];  // times (fac + n_out), completed below
            out_beats <= m_axi_gmem_rdata[32*LFADS_H_N_OUT +: 32];  // n_out parked here
          end else begin
            owpt <= owpt * (m_axi_gmem_rdata[32*(LFADS_H_FAC_DIM-16) +: 32] + out_beats);
            if (!m_axi_gmem_rlast) axi_error <= 1;
            state <= S_DONE;
            if (m_axi_gmem_rresp != 0 || axi_error) error_code <= LFADS_ERR_AXI;
            else if (error_code == 0) begin
              image_loaded <= 1;
              if (num_trials != 0) state <= S_TRIAL;
            end else image_error <= 1;
          end
        end
        S_TRIAL: if (trial == num_trials) state <= S_DONE;
          else begin
            in_beats <= (spb + BEAT - 1) / BEAT; out_beats <= (owpt * 4 + BEAT - 1) / BEAT; beat <= 0;
            state <= S_IN_AR;
          end
        S_IN_AR: if (!m_axi_gmem_arvalid) begin
            m_axi_gmem_araddr <= in_base + beat * BEAT; m_axi_gmem_arlen <= 0; m_axi_gmem_arvalid <= 1;
          end else if (m_axi_gmem_arready) begin m_axi_gmem_arvalid <= 0; state <= S_IN_R; end
        S_IN_R: if (m_axi_gmem_rvalid) begin
          if (m_axi_gmem_rresp != 0) begin axi_error <= 1; error_code <= LFADS_ERR_AXI; end
          for (j = 0; j < BEAT; j = j + 1) inbuf[(beat * BEAT + j) % 4096] <= m_axi_gmem_rdata[8*j +: 8];
          if (beat + 1 == in_beats) begin beat <= 0; burst_done <= 0; state <= S_OUT_AW; end
          else begin beat <= beat + 1; state <= S_IN_AR; end
        end
        S_OUT_AW: if (!m_axi_gmem_awvalid) begin
            m_axi_gmem_awaddr <= out_addr; m_axi_gmem_awlen <= first_burst[7:0] - 1; m_axi_gmem_awvalid <= 1;
            burst_beats <= first_burst; burst_done <= 0;
          end else if (m_axi_gmem_awready) begin m_axi_gmem_awvalid <= 0; state <= S_OUT_W; end
        S_OUT_W: begin
          if (!m_axi_gmem_wvalid) begin
            m_axi_gmem_wvalid <= 1; m_axi_gmem_wdata <= obeat; m_axi_gmem_wstrb <= ostrb;
            m_axi_gmem_wlast <= burst_done + 1 == burst_beats;
          end else if (m_axi_gmem_wready) begin
            m_axi_gmem_wvalid <= 0;
            burst_done <= burst_done + 1;
            if (burst_done + 1 == burst_beats) state <= S_OUT_B;
          end
        end
        S_OUT_B: if (m_axi_gmem_bvalid) begin
          if (m_axi_gmem_bresp != 0) begin axi_error <= 1; error_code <= LFADS_ERR_AXI; end
          beat <= beat + burst_beats; burst_done <= 0;
          if (beat + burst_beats == out_beats) begin
            trial <= trial + 1; trials_done <= trials_done + 1; state <= S_TRIAL;
          end else state <= S_OUT_AW;
        end
        S_DONE: state <= S_IDLE;
        default: state <= S_IDLE;
      endcase
    end
  end
endmodule
`resetall
