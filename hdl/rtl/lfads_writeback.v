// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Write-back of lfads_engine: where a finished row block goes once it leaves the post lanes.
 *
 * A row block enters (in_valid, with its write-back fields, decoded at issue) the cycle it leaves the MAC array and
 * enters the post lanes; its fields travel alongside the lanes through POST_LATENCY registers, so they meet the
 * lanes' values (lane_values, lane_values2: combinational from the lanes' last stage) in the cycle those are valid.
 * That cycle (out_valid):
 *   - the vector store takes the row block at slot in_dst, word in_word (vst_we), and, for the factor layer, the
 *     state-format factors at slot FS_SLOT (fs_we): both are the lanes' output registers;
 *   - the CI encoders' new states also go to the CI history (cih_we);
 *   - an emitted row block goes to the result writer as one chunk of in_count values (chunk_*: registered, one
 *     cycle later);
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

    // vector store writes
    output wire                                 vst_we,
    output wire [VST_ADDR_WIDTH-1:0]            vst_addr,
    output wire [ROW_LANES*DATA_WIDTH-1:0]      vst_data,
    output wire                                 fs_we,
    output wire [VST_ADDR_WIDTH-1:0]            fs_addr,
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
    if (POST_LATENCY < 2) begin
        $error("POST_LATENCY (%0d) must be >= 2", POST_LATENCY);
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

wire                      o_last_rb;
wire [4:0]                o_dst;
wire [WORD_WIDTH-1:0]     o_word;
wire                      o_wr_dst, o_wr_fs, o_emit, o_cih_we;
wire [CW-1:0]             o_count;
wire [CIH_ADDR_WIDTH-1:0] o_cih_addr;
wire [SB_BITS-1:0]        o_dec;
assign `LFADS_TAG_WB(o_last_rb, o_dst, o_word, o_wr_dst, o_wr_fs, o_emit, o_count, o_cih_we, o_cih_addr, o_dec) =
       d_fields[POST_LATENCY];

assign out_valid = d_valid[POST_LATENCY];
assign out_last_rb = o_last_rb;
assign out_dec = o_dec;
assign busy = d_valid != 0;

// vector-store addresses at the store's width: slot * SLOT_WORDS + word
localparam [31:0] SLOT_WORDS_32 = SLOT_WORDS;
localparam [31:0] FS_BASE_32 = FS_SLOT * SLOT_WORDS;
localparam [VST_ADDR_WIDTH-1:0] A_SLOT_WORDS = SLOT_WORDS_32[VST_ADDR_WIDTH-1:0];
localparam [VST_ADDR_WIDTH-1:0] A_FS_BASE = FS_BASE_32[VST_ADDR_WIDTH-1:0];
wire [VST_ADDR_WIDTH-1:0] word_a = {{(VST_ADDR_WIDTH-WORD_WIDTH){1'b0}}, o_word};
assign vst_we = out_valid && o_wr_dst;
assign vst_addr = {{(VST_ADDR_WIDTH-5){1'b0}}, o_dst} * A_SLOT_WORDS + word_a;
assign vst_data = lane_values;
assign fs_we = out_valid && o_wr_fs;
assign fs_addr = A_FS_BASE + word_a;
assign fs_data = lane_values2;
assign cih_we = out_valid && o_cih_we;
assign cih_addr = o_cih_addr;
assign cih_data = lane_values;

initial chunk_valid = 1'b0;
always @(posedge clk) begin
    chunk_valid <= 1'b0;
    if (out_valid && o_emit) begin
        chunk_valid <= 1'b1;
        chunk_data <= lane_values;
        chunk_count <= o_count;
    end
end

endmodule

`resetall
