// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Write-back of lfads_engine: where a finished row block goes once it leaves the post lanes.
 *
 * A row block enters (in_valid, with its write-back fields, decoded at issue) the cycle it leaves the MAC array and
 * enters the post lanes; its fields travel alongside the lanes through POST_LATENCY registers, so they meet the
 * lanes' values (lane_values, lane_values2: the lanes' output registers) in the cycle those are valid.
 * That cycle (out_valid):
 *   - the vector store takes the row block at slot in_dst, word in_word, and, for the factor layer, the
 *     state-format factors at slot FS_SLOT: the data are the lanes' output registers, the write enables and
 *     addresses are given a cycle early (vst_we_next / vst_addr_next, fs_we_next / fs_addr_next: registers here,
 *     computed from the fields one stage before the end of the delay line) because lfads_vector_store registers
 *     them itself, in one copy per column group of its LUTRAM banks (issue 13 point 2: no SRL output, no single
 *     register drives the banks' address pins);
 *   - the CI encoders' new states also go to the CI history (cih_we);
 *   - an emitted row block goes to the result writer as one chunk of in_count values (chunk_*: registered, one
 *     cycle later; chunk_data is loaded every cycle, valid with chunk_valid: the result writer takes it only
 *     then, and an enable from out_valid && emit would reach every bit of it, ~1k flip-flops at 64 x 32 lanes);
 *   - the scoreboard releases the pass's destinations (out_dec) when this was the pass's last row block.
 * The fields a post lane needs (mode, requantize shifts) and the old state's addresses are not carried here: the
 * post lanes and the vector store take them from the MAC array's tag directly.
 *
 * Nothing here stalls: the compute pipeline never does (lfads_engine reserves result-writer space at issue).
 * `busy` is high while a row block is between in_valid and out_valid (the engine's drain condition).
 */
module lfads_writeback #
(
    parameter ROW_LANES = 8,
    parameter DATA_WIDTH = 16,
    // lfads_post_lane latency (lfads_pipeline.vh LFADS_POST_LATENCY)
    parameter POST_LATENCY = 13,
    // vector store: words per slot, word-index width, address width; slot of the state-format factors
    parameter SLOT_WORDS = 8,
    parameter WORD_WIDTH = 3,
    parameter VST_ADDR_WIDTH = 8,
    parameter FS_SLOT = 21,
    // CI-history address width, scoreboard bits
    parameter CIH_ADDR_WIDTH = 9,
    parameter SB_BITS = 23
)
(
    input  wire                                 clk,
    input  wire                                 rst,

    // row block entering the post lanes, with its write-back fields
    input  wire                                 in_valid,
    input  wire                                 in_last_rb,       // the pass's last row block
    input  wire [4:0]                           in_dst,           // destination slot
    input  wire [WORD_WIDTH-1:0]                in_word,          // word of the slot = row block of the layer
    input  wire                                 in_wr_dst,        // write the destination slot
    input  wire                                 in_wr_fs,         // write the state-format factors
    input  wire                                 in_emit,          // send to the result writer
    input  wire [$clog2(ROW_LANES+1)-1:0]       in_count,         // valid rows of the block
    input  wire                                 in_cih_we,        // write the CI history
    input  wire [CIH_ADDR_WIDTH-1:0]            in_cih_addr,
    input  wire [SB_BITS-1:0]                   in_dec,           // scoreboard bits the pass releases

    // post lanes' outputs (valid in the out_valid cycle)
    input  wire [ROW_LANES*DATA_WIDTH-1:0]      lane_values,
    input  wire [ROW_LANES*DATA_WIDTH-1:0]      lane_values2,

    // scoreboard release and drain
    output wire                                 out_valid,
    output wire                                 out_last_rb,
    output wire [SB_BITS-1:0]                   out_dec,
    output wire                                 busy,

    // vector store writes: write enables and addresses one cycle ahead of the data (the write is made at the end of
    // the out_valid cycle; the store registers *_next the cycle before)
    output wire                                 vst_we_next,
    output wire [VST_ADDR_WIDTH-1:0]            vst_addr_next,
    output wire [ROW_LANES*DATA_WIDTH-1:0]      vst_data,
    output wire                                 fs_we_next,
    output wire [VST_ADDR_WIDTH-1:0]            fs_addr_next,
    output wire [ROW_LANES*DATA_WIDTH-1:0]      fs_data,
    output wire                                 cih_we,
    output wire [CIH_ADDR_WIDTH-1:0]            cih_addr,
    output wire [ROW_LANES*DATA_WIDTH-1:0]      cih_data,

    // result writer (registered)
    output reg                                  chunk_valid,
    output reg  [ROW_LANES*DATA_WIDTH-1:0]      chunk_data,
    output reg  [$clog2(ROW_LANES+1)-1:0]       chunk_count
);

`include "lfads_tag.vh"

localparam integer CW = $clog2(ROW_LANES + 1);
// the fields in the layout of the MAC tag's write-back part (lfads_tag.vh)
localparam integer FW = lfads_tag_wb_width(WORD_WIDTH, CW, CIH_ADDR_WIDTH, SB_BITS);

initial begin
    if (POST_LATENCY < 3) begin
        $error("POST_LATENCY (%0d) must be >= 3", POST_LATENCY);
        $finish;
    end
    if (VST_ADDR_WIDTH < 5 || VST_ADDR_WIDTH < WORD_WIDTH) begin
        $error("VST_ADDR_WIDTH (%0d) must hold a slot number and a word index", VST_ADDR_WIDTH);
        $finish;
    end
end

// the fields, delayed with the post lanes (no reset: only the valid bits need one)
reg  [FW-1:0]           d_fields [1:POST_LATENCY];
reg  [POST_LATENCY:1]   d_valid = 0;
integer i;
initial for (i = 1; i <= POST_LATENCY; i = i + 1) d_fields[i] = 0;
always @(posedge clk) begin
    if (rst)
        d_valid <= 0;
    else
        d_valid <= {d_valid[POST_LATENCY-1:1], in_valid};
    d_fields[1] <= `LFADS_TAG_WB(in_last_rb, in_dst, in_word, in_wr_dst, in_wr_fs, in_emit, in_count, in_cih_we,
                                 in_cih_addr, in_dec);
    for (i = 2; i <= POST_LATENCY; i = i + 1) d_fields[i] <= d_fields[i-1];
end

// (the fields' store-write part is taken a stage earlier, below)
/* verilator lint_off UNUSEDSIGNAL */
wire                      o_last_rb;
wire [4:0]                o_dst;
wire [WORD_WIDTH-1:0]     o_word;
wire                      o_wr_dst, o_wr_fs, o_emit, o_cih_we;
wire [CW-1:0]             o_count;
wire [CIH_ADDR_WIDTH-1:0] o_cih_addr;
wire [SB_BITS-1:0]        o_dec;
assign `LFADS_TAG_WB(o_last_rb, o_dst, o_word, o_wr_dst, o_wr_fs, o_emit, o_count, o_cih_we, o_cih_addr, o_dec) =
       d_fields[POST_LATENCY];
/* verilator lint_on UNUSEDSIGNAL */

assign out_valid = d_valid[POST_LATENCY];
// out_last_rb / out_dec (the scoreboard's release, into its slot counters' adders) are flip-flops loaded from stage
// POST_LATENCY - 1, not the last stage of the fields' SRL (~0.9 ns clock-to-out); keep: a process Yosys does not fold
// into the SRL. Same values, same cycle as d_fields[POST_LATENCY] (the fields have no reset; `LFADS_TAG_WB puts
// last_rb in the top bit, dec in the low SB_BITS).
/* verilator lint_off UNUSEDSIGNAL */
wire [FW-1:0]             r_fields = d_fields[POST_LATENCY-1];
/* verilator lint_on UNUSEDSIGNAL */
(* keep = "true", shreg_extract = "no" *) reg                r_last_rb = 1'b0;
(* keep = "true", shreg_extract = "no" *) reg [SB_BITS-1:0]  r_dec = 0;
(* keep = "true" *) always @(posedge clk) begin
    r_last_rb <= r_fields[FW-1];
    r_dec <= r_fields[SB_BITS-1:0];
end
assign out_last_rb = r_last_rb;
assign out_dec = r_dec;
assign busy = d_valid != 0;

// vector-store addresses at the store's width: slot * SLOT_WORDS + word
localparam [31:0] SLOT_WORDS_32 = SLOT_WORDS;
localparam [31:0] FS_BASE_32 = FS_SLOT * SLOT_WORDS;
localparam [VST_ADDR_WIDTH-1:0] A_SLOT_WORDS = SLOT_WORDS_32[VST_ADDR_WIDTH-1:0];
localparam [VST_ADDR_WIDTH-1:0] A_FS_BASE = FS_BASE_32[VST_ADDR_WIDTH-1:0];
// The store's write enables and addresses one cycle ahead: registers at stage POST_LATENCY - 1, from the fields at
// stage POST_LATENCY - 2 (the address arithmetic before the register; a plain register, not an SRL: it drives the
// store's address copies and compares). Qualified with !rst at both edges, as d_valid is, so that the store's
// registered write enable equals out_valid && wr_dst / wr_fs exactly. With SLOT_WORDS a power of two the addresses
// are only the delayed fields ({dst, word}, FS_BASE | word): Yosys then folds these registers into the fields' SRL
// (~0.9 ns clock-to-out instead of 0.1, ahead of the store's write-port compares) despite shreg_extract; it keeps
// the flip-flops of a process marked keep.
/* verilator lint_off UNUSEDSIGNAL */
wire                      q_last_rb;
wire [4:0]                q_dst;
wire [WORD_WIDTH-1:0]     q_word;
wire                      q_wr_dst, q_wr_fs, q_emit, q_cih_we;
wire [CW-1:0]             q_count;
wire [CIH_ADDR_WIDTH-1:0] q_cih_addr;
wire [SB_BITS-1:0]        q_dec;
assign `LFADS_TAG_WB(q_last_rb, q_dst, q_word, q_wr_dst, q_wr_fs, q_emit, q_count, q_cih_we, q_cih_addr, q_dec) =
       d_fields[POST_LATENCY-2];
/* verilator lint_on UNUSEDSIGNAL */
wire [VST_ADDR_WIDTH-1:0] q_word_a = {{(VST_ADDR_WIDTH-WORD_WIDTH){1'b0}}, q_word};
(* keep = "true", shreg_extract = "no" *) reg                      p_vst_we = 1'b0, p_fs_we = 1'b0;
(* keep = "true", shreg_extract = "no" *) reg [VST_ADDR_WIDTH-1:0] p_vst_addr = 0, p_fs_addr = 0;
(* keep = "true" *) always @(posedge clk) begin
    p_vst_we <= !rst && d_valid[POST_LATENCY-2] && q_wr_dst;
    p_fs_we <= !rst && d_valid[POST_LATENCY-2] && q_wr_fs;
    p_vst_addr <= {{(VST_ADDR_WIDTH-5){1'b0}}, q_dst} * A_SLOT_WORDS + q_word_a;
    p_fs_addr <= A_FS_BASE + q_word_a;
end
assign vst_we_next = p_vst_we && !rst;
assign vst_addr_next = p_vst_addr;
assign vst_data = lane_values;
assign fs_we_next = p_fs_we && !rst;
assign fs_addr_next = p_fs_addr;
assign fs_data = lane_values2;
assign cih_we = out_valid && o_cih_we;
assign cih_addr = o_cih_addr;
assign cih_data = lane_values;

initial chunk_valid = 1'b0;
always @(posedge clk) begin
    chunk_valid <= 1'b0;
    chunk_data <= lane_values;
    if (out_valid && o_emit) begin
        chunk_valid <= 1'b1;
        chunk_count <= o_count;
    end
end

endmodule

`resetall
