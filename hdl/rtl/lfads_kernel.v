// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * LFADS inference kernel: Vitis RTL kernel (ap_ctrl_hs) with one AXI4-Lite control slave and one
 * AXI4 master to device memory. Numerics: docs/kernel-numerics.md; constants: lfads_contract.vh.
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
    // register stages at each SLR crossing, 0 or 1 (lfads_engine; hdl/README.md "SLR plan")
    parameter SLR_CROSSING_STAGES = 1,
    // build identifier (git hash) shown in register BUILD_ID
    parameter BUILD_ID = 32'h0
)
(
    input  wire                          ap_clk,
    input  wire                          ap_rst_n,
    // Vitis names this port `interrupt` (UG1393), a C++ word to Verilator's lint
    /* verilator lint_off SYMRSVDWORD */
    output wire                          interrupt,
    /* verilator lint_on SYMRSVDWORD */

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

initial begin
    if (AXI_DATA_WIDTH != 512) begin
        $error("AXI_DATA_WIDTH must be 512 (one 64-byte beat per image / buffer alignment unit)");
        $finish;
    end
end

// Reset. ap_rst_n is synchronous to ap_clk (Vitis RTL kernel, held low for several cycles); driven straight to
// every block it reached ~1.4k flip-flops from an input port (the flat small kernel's estimate). It is registered
// twice here, the second stage one copy per block, so that each block's reset is a register of its own with only
// that block's fanout (kept apart: Yosys and Vivado merge equal registers otherwise). The blocks leave reset two
// cycles after ap_rst_n rises; until then the control slave's READY outputs stay low and the host waits.
reg rst_q = 1'b1;
always @(posedge ap_clk) rst_q <= !ap_rst_n;
(* keep = "true", dont_touch = "true" *) reg rst = 1'b1, rst_ctrl = 1'b1, rst_reader = 1'b1, rst_writer = 1'b1,
                                             rst_status = 1'b1, rst_engine = 1'b1;
(* keep = "true" *) always @(posedge ap_clk) begin
    rst <= rst_q;
    rst_ctrl <= rst_q;
    rst_reader <= rst_q;
    rst_writer <= rst_q;
    rst_status <= rst_q;
    rst_engine <= rst_q;
end

wire        start, core_idle, core_done;
wire [63:0] image_ptr, input_ptr, output_ptr;
wire [31:0] num_trials, error_code, trials_done;
// FLAGS: bit 0 LOAD_IMAGE, bit 1 ONLINE, bit 2 ONLINE_RESET; bits 31:3 reserved (read back by the host, unused by the kernel)
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] flags;
/* verilator lint_on UNUSEDSIGNAL */
wire        image_loaded, image_error, axi_error;
reg  [63:0] cycles = 0, cycle_ctr = 0;
reg         running = 1'b0;

// CYCLES: ap_clk cycles from the accepted ap_start to ap_done. A start pending when the core finishes is
// accepted in the cycle ap_done rises (the core is idle then): that start must win over the finish.
always @(posedge ap_clk) begin
    if (rst) begin
        running <= 1'b0;
        cycles <= 0;
        cycle_ctr <= 0;
    end else begin
        if (core_done) begin
            running <= 1'b0;
            cycles <= cycle_ctr;
        end
        if (start) begin
            running <= 1'b1;
            cycle_ctr <= 1;
        end else if (running) begin
            cycle_ctr <= cycle_ctr + 1'b1;
        end
    end
end

// CONFIG register: [31:16] MAC lanes, [7:0] W. Sized localparams truncate as the contract wants,
// in plain Verilog-2005 (no SystemVerilog casts: every .v file is read by `yosys read_verilog`).
localparam [15:0] CONFIG_LANES = ROW_LANES * COL_LANES;
localparam [7:0]  CONFIG_WIDTH = DATA_WIDTH;
localparam [31:0] CONFIG_WORD  = {CONFIG_LANES, 8'd0, CONFIG_WIDTH};

lfads_ctrl_regs #(
    .BUILD_ID(BUILD_ID),
    .CONFIG_WORD(CONFIG_WORD)
) ctrl (
    .clk(ap_clk),
    .rst(rst_ctrl),
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
    .start(start),
    .core_idle(core_idle),
    .core_done(core_done),
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

wire         rd_req_valid, rd_req_ready, rd_beat_valid, rd_beat_ready, rd_error;
wire [63:0]  rd_req_addr;
wire [23:0]  rd_req_beats;
wire [AXI_DATA_WIDTH-1:0] rd_beat_data;

lfads_axi_reader #(
    .AXI_DATA_WIDTH(AXI_DATA_WIDTH),
    .LEN_WIDTH(24)
) reader (
    .clk(ap_clk),
    .rst(rst_reader),
    .req_valid(rd_req_valid),
    .req_ready(rd_req_ready),
    .req_addr(rd_req_addr),
    .req_beats(rd_req_beats),
    .beat_valid(rd_beat_valid),
    .beat_ready(rd_beat_ready),
    .beat_data(rd_beat_data),
    .error(rd_error),
    .m_axi_arvalid(m_axi_gmem_arvalid),
    .m_axi_arready(m_axi_gmem_arready),
    .m_axi_araddr(m_axi_gmem_araddr),
    .m_axi_arlen(m_axi_gmem_arlen),
    .m_axi_arsize(m_axi_gmem_arsize),
    .m_axi_arburst(m_axi_gmem_arburst),
    .m_axi_rvalid(m_axi_gmem_rvalid),
    .m_axi_rready(m_axi_gmem_rready),
    .m_axi_rdata(m_axi_gmem_rdata),
    .m_axi_rlast(m_axi_gmem_rlast),
    .m_axi_rresp(m_axi_gmem_rresp)
);

localparam integer CW = $clog2(ROW_LANES + 1);
wire         wr_set_base, wr_flush, wr_packer_empty, wr_idle, wr_error, wr_chunk_valid;
wire [63:0]  wr_base_addr;
wire [ROW_LANES*DATA_WIDTH-1:0] wr_chunk_data;
wire [CW-1:0] wr_chunk_count;
wire [4:0]   wr_fifo_free;
// the result writer's AXI write channels; the kernel's are shared with the status-block writer (online mode)
wire         wq_awvalid, wq_wvalid, wq_wlast, wq_bready;
wire [63:0]  wq_awaddr;
wire [7:0]   wq_awlen;
wire [2:0]   wq_awsize;
wire [1:0]   wq_awburst;
wire [AXI_DATA_WIDTH-1:0]   wq_wdata;
wire [AXI_DATA_WIDTH/8-1:0] wq_wstrb;
wire         sw_start, sw_busy, sw_error;
wire [63:0]  sw_addr;
wire [AXI_DATA_WIDTH-1:0]   sw_data;
wire         sw_awvalid, sw_wvalid, sw_wlast, sw_bready;
wire [63:0]  sw_awaddr;
wire [7:0]   sw_awlen;
wire [2:0]   sw_awsize;
wire [1:0]   sw_awburst;
wire [AXI_DATA_WIDTH-1:0]   sw_wdata;
wire [AXI_DATA_WIDTH/8-1:0] sw_wstrb;

lfads_axi_writer #(
    .AXI_DATA_WIDTH(AXI_DATA_WIDTH),
    .ROWS(ROW_LANES),
    .DATA_WIDTH(DATA_WIDTH),
    .FIFO_DEPTH(16)
) writer (
    .clk(ap_clk),
    .rst(rst_writer),
    .set_base(wr_set_base),
    .base_addr(wr_base_addr),
    .flush(wr_flush),
    .packer_empty(wr_packer_empty),
    .idle(wr_idle),
    .error(wr_error),
    .chunk_valid(wr_chunk_valid),
    .chunk_data(wr_chunk_data),
    .chunk_count(wr_chunk_count),
    .fifo_free(wr_fifo_free),
    .m_axi_awvalid(wq_awvalid),
    .m_axi_awready(m_axi_gmem_awready && !sw_busy),
    .m_axi_awaddr(wq_awaddr),
    .m_axi_awlen(wq_awlen),
    .m_axi_awsize(wq_awsize),
    .m_axi_awburst(wq_awburst),
    .m_axi_wvalid(wq_wvalid),
    .m_axi_wready(m_axi_gmem_wready && !sw_busy),
    .m_axi_wdata(wq_wdata),
    .m_axi_wstrb(wq_wstrb),
    .m_axi_wlast(wq_wlast),
    .m_axi_bvalid(m_axi_gmem_bvalid && !sw_busy),
    .m_axi_bready(wq_bready),
    .m_axi_bresp(m_axi_gmem_bresp)
);

// online status block: one beat, written while the result writer is idle (the engine waits for wr_idle)
lfads_status_writer #(
    .AXI_DATA_WIDTH(AXI_DATA_WIDTH)
) status_writer (
    .clk(ap_clk),
    .rst(rst_status),
    .start(sw_start),
    .addr(sw_addr),
    .data(sw_data),
    .busy(sw_busy),
    .error(sw_error),
    .m_axi_awvalid(sw_awvalid),
    .m_axi_awready(m_axi_gmem_awready && sw_busy),
    .m_axi_awaddr(sw_awaddr),
    .m_axi_awlen(sw_awlen),
    .m_axi_awsize(sw_awsize),
    .m_axi_awburst(sw_awburst),
    .m_axi_wvalid(sw_wvalid),
    .m_axi_wready(m_axi_gmem_wready && sw_busy),
    .m_axi_wdata(sw_wdata),
    .m_axi_wstrb(sw_wstrb),
    .m_axi_wlast(sw_wlast),
    .m_axi_bvalid(m_axi_gmem_bvalid && sw_busy),
    .m_axi_bready(sw_bready),
    .m_axi_bresp(m_axi_gmem_bresp)
);

// write channels: the status writer's while it is busy (a register), the result writer's otherwise
assign m_axi_gmem_awvalid = sw_busy ? sw_awvalid : wq_awvalid;
assign m_axi_gmem_awaddr  = sw_busy ? sw_awaddr  : wq_awaddr;
assign m_axi_gmem_awlen   = sw_busy ? sw_awlen   : wq_awlen;
assign m_axi_gmem_awsize  = sw_busy ? sw_awsize  : wq_awsize;
assign m_axi_gmem_awburst = sw_busy ? sw_awburst : wq_awburst;
assign m_axi_gmem_wvalid  = sw_busy ? sw_wvalid  : wq_wvalid;
assign m_axi_gmem_wdata   = sw_busy ? sw_wdata   : wq_wdata;
assign m_axi_gmem_wstrb   = sw_busy ? sw_wstrb   : wq_wstrb;
assign m_axi_gmem_wlast   = sw_busy ? sw_wlast   : wq_wlast;
assign m_axi_gmem_bready  = sw_busy ? sw_bready  : wq_bready;

lfads_engine #(
    .DATA_WIDTH(DATA_WIDTH),
    .ACC_WIDTH(ACC_WIDTH),
    .ROW_LANES(ROW_LANES),
    .COL_LANES(COL_LANES),
    .MAX_N_IN(MAX_N_IN),
    .MAX_N_OUT(MAX_N_OUT),
    .MAX_T_ENC(MAX_T_ENC),
    .MAX_T_REC(MAX_T_REC),
    .MAX_HIDDEN(MAX_HIDDEN),
    .MAX_TILES(MAX_TILES),
    .MAX_ROW_BLOCKS(MAX_ROW_BLOCKS),
    .MAX_ACT_SEG_BITS(MAX_ACT_SEG_BITS),
    .AXI_DATA_WIDTH(AXI_DATA_WIDTH),
    .SLR_CROSSING_STAGES(SLR_CROSSING_STAGES)
) engine (
    .clk(ap_clk),
    .rst(rst_engine),
    .start(start),
    .load_image(flags[0]),
    .online_flag(flags[1]),
    .online_reset(flags[2]),
    .cycle_now(cycle_ctr),
    .image_ptr(image_ptr),
    .input_ptr(input_ptr),
    .output_ptr(output_ptr),
    .num_trials(num_trials),
    .idle(core_idle),
    .done(core_done),
    .image_loaded(image_loaded),
    .image_error(image_error),
    .axi_error(axi_error),
    .error_code(error_code),
    .trials_done(trials_done),
    .rd_req_valid(rd_req_valid),
    .rd_req_ready(rd_req_ready),
    .rd_req_addr(rd_req_addr),
    .rd_req_beats(rd_req_beats),
    .rd_beat_valid(rd_beat_valid),
    .rd_beat_ready(rd_beat_ready),
    .rd_beat_data(rd_beat_data),
    .rd_error(rd_error),
    .wr_set_base(wr_set_base),
    .wr_base_addr(wr_base_addr),
    .wr_flush(wr_flush),
    .wr_packer_empty(wr_packer_empty),
    .wr_idle(wr_idle),
    .wr_error(wr_error),
    .wr_chunk_valid(wr_chunk_valid),
    .wr_chunk_data(wr_chunk_data),
    .wr_chunk_count(wr_chunk_count),
    .wr_fifo_free(wr_fifo_free),
    .st_wr_start(sw_start),
    .st_wr_addr(sw_addr),
    .st_wr_data(sw_data),
    .st_wr_busy(sw_busy),
    .st_wr_error(sw_error)
);

endmodule

`resetall
