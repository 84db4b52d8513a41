// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * LFADS inference kernel: Vitis RTL kernel (ap_ctrl_hs) with one AXI4-Lite control slave and one
 * AXI4 master to device memory. Numerics: docs/kernel-numerics.md; constants: lfads_contract.vh.
 * SKELETON: port list is final; the body is being written.
 */
module lfads_kernel #
(
    // W: weights, biases, states, gates (8..18)
    parameter DATA_WIDTH = 16,
    // exact accumulator width (DSP48E2 P register)
    parameter ACC_WIDTH = 48,
    // MAC array: ROW_LANES output rows x COL_LANES input columns per cycle (ROW_LANES % COL_LANES == 0)
    parameter ROW_LANES = 64,
    parameter COL_LANES = 32,
    // largest model the on-chip memories hold (checked when the image is loaded)
    parameter MAX_N_IN = 256,
    parameter MAX_N_OUT = 256,
    parameter MAX_T_ENC = 128,
    parameter MAX_T_REC = 128,
    // largest vector: any GRU hidden size, ic_dim, co_dim, fac_dim
    parameter MAX_HIDDEN = 256,
    // weight-memory depth in R x C tiles, bias-memory depth in row blocks
    parameter MAX_TILES = 512,
    parameter MAX_ROW_BLOCKS = 128,
    // activation-table segment bits K supported
    parameter MAX_ACT_SEG_BITS = 10,
    // AXI4 master data width (512 = one 64-byte beat)
    parameter AXI_DATA_WIDTH = 512,
    // build identifier (git hash) shown in register BUILD_ID
    parameter BUILD_ID = 32'h0
)
(
    input  wire                          ap_clk,
    input  wire                          ap_rst_n,
    output wire                          interrupt,

    // AXI4-Lite control slave
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

    // AXI4 master to device memory
    output wire                          m_axi_gmem_awvalid,
    input  wire                          m_axi_gmem_awready,
    output wire [63:0]                   m_axi_gmem_awaddr,
    output wire [7:0]                    m_axi_gmem_awlen,
    output wire [2:0]                    m_axi_gmem_awsize,
    output wire [1:0]                    m_axi_gmem_awburst,
    output wire                          m_axi_gmem_wvalid,
    input  wire                          m_axi_gmem_wready,
    output wire [AXI_DATA_WIDTH-1:0]     m_axi_gmem_wdata,
    output wire [AXI_DATA_WIDTH/8-1:0]   m_axi_gmem_wstrb,
    output wire                          m_axi_gmem_wlast,
    input  wire                          m_axi_gmem_bvalid,
    output wire                          m_axi_gmem_bready,
    input  wire [1:0]                    m_axi_gmem_bresp,
    output wire                          m_axi_gmem_arvalid,
    input  wire                          m_axi_gmem_arready,
    output wire [63:0]                   m_axi_gmem_araddr,
    output wire [7:0]                    m_axi_gmem_arlen,
    output wire [2:0]                    m_axi_gmem_arsize,
    output wire [1:0]                    m_axi_gmem_arburst,
    input  wire                          m_axi_gmem_rvalid,
    output wire                          m_axi_gmem_rready,
    input  wire [AXI_DATA_WIDTH-1:0]     m_axi_gmem_rdata,
    input  wire                          m_axi_gmem_rlast,
    input  wire [1:0]                    m_axi_gmem_rresp
);

endmodule

`resetall
