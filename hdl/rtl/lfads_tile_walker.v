// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Tile walker of lfads_engine's issue: the pass being issued, walked one R x C weight tile per issued cycle.
 *
 * A pass (layer, kind, step from lfads_pass_program) loads when the walker is idle or issues its last tile, the
 * scoreboard finds its sources written (nx_ready) and `go` (the registered result-writer credit) allows it; a
 * skipped program entry (nx_skip) only advances the program. While a pass is active, every `go` cycle issues one
 * tile: its column block (cb, and within its column segment seg: cbs), its row block (rb), the weight-memory tile
 * (tile) and bias (bias) addresses, and the pass's fields stage A of the engine reads. After a row block's last
 * column block the next row block starts; after the last row block's the pass ends (or the next one loads in the
 * same cycle).
 *
 * Bins: the encoders' forward and backward bins are kept as byte offsets in the spike lines (enc_fbase, enc_bbase)
 * and, online, as entries of the projection ring (proj_fbase, proj_bbase), advanced by a stride on every program
 * step (step_next) and wrapping at the window's end (the online ring; a whole trial never reaches the wrap): no
 * t * n_in multiply. A pass takes the forward or backward one by its layer (odd layers run backward).
 *
 * Online projection ring (docs/kernel-numerics.md section 13): an encoder step of any bin but the newest skips its
 * input segment (skip: its in_blocks column blocks; every row block then starts at column block in_blocks,
 * segment 1, its first tile in_blocks + 1 on from the previous row block's last) and starts each row
 * block from the ring (cached; a leading zero bin of a young window starts from the bias); the newest bin's step
 * captures its projection (cap). A pass load and a row-block restart start their row block through the same
 * function (rb_start).
 *
 * Timing: the walker's inputs are registers of the engine (go, the pass program's descriptor and step flag, the
 * per-run window values, the geometry tables) except nx_ready, the scoreboard's test of the registered counters
 * against the descriptor's registered source mask.
 */
module lfads_tile_walker #
(
    parameter SB_BITS = 23,
    // projection-ring address width (PROJ_DEPTH entries)
    parameter PB = 12
)
(
    input  wire                  clk,
    input  wire                  rst,

    // a run starts: the window's first bins
    input  wire                  start,
    input  wire [31:0]           win_fbase0,
    input  wire [31:0]           win_bbase0,
    input  wire [31:0]           win_pf0,
    input  wire [31:0]           win_pb0,
    // per run: bytes per bin / of the window in the spike lines, entries per bin / of the projection ring
    input  wire [31:0]           enc_stride,
    input  wire [31:0]           enc_end,
    input  wire [31:0]           proj_stride,
    input  wire [31:0]           proj_ring,
    // online: the run keeps projections; input column blocks (and + 1); T_enc - 1; leading zero bins
    input  wire                  proj_on,
    input  wire [15:0]           in_blocks,
    input  wire [15:0]           in_blocks_p1,
    input  wire [15:0]           t_enc_m1,
    input  wire [15:0]           pad_bins,

    // layer geometry (lfads_geometry)
    input  wire [11*16-1:0]      g_rbh_f,
    input  wire [11*16-1:0]      g_ncb_f,
    input  wire [11*16-1:0]      g_tbase_f,
    input  wire [11*16-1:0]      g_tbn_f,
    input  wire [11*16-1:0]      g_bbase_f,
    input  wire [44*16-1:0]      s_ncb_f,

    // the pass at the program counter (lfads_pass_program) and its scoreboard test
    input  wire                  pc_valid,
    input  wire                  pc_step_next,
    input  wire                  nx_skip,
    input  wire [3:0]            nx_l,
    input  wire [1:0]            nx_kind,
    input  wire [15:0]           nx_t,
    input  wire                  nx_fac0,
    input  wire                  nx_emit,
    input  wire [SB_BITS-1:0]    nx_dst,
    input  wire                  nx_ready,
    // issue permission (lfads_scoreboard, registered)
    input  wire                  go,

    output wire                  do_load,        // the pass at the program counter loads (advance, scoreboard load)
    output wire                  do_skip,        // the entry at the program counter is skipped (advance)
    output wire                  issue,          // a tile issues this cycle

    // the pass being issued and its tile
    output reg                   cur_active = 1'b0,
    output reg  [3:0]            cur_l,
    output reg  [1:0]            cur_kind,
    output reg  [15:0]           cur_t,
    output reg  [31:0]           cur_tbase,      // first byte of bin cur_t in the spike lines
    output reg                   cur_fac0,
    output reg                   cur_emit,
    output reg  [SB_BITS-1:0]    cur_dst,
    output reg  [15:0]           cur_rb,
    output reg  [15:0]           cur_cb,
    output reg  [15:0]           cur_cbs,
    output reg  [2:0]            cur_seg,
    output reg  [15:0]           cur_tile,
    output reg  [15:0]           cur_bias,
    output reg                   cur_first,      // the issuing tile is its row block's first
    output reg                   cur_cached,
    output reg                   cur_cap,
    output wire [PB-1:0]         cur_paddr,      // the row block's projection-ring entry
    output wire                  cur_last_cb,    // the tile is its row block's last
    output wire                  cur_last_rb     // the row block is the pass's last
);

// pass kinds (lfads_pass_program; K_LIN = 2: the default)
localparam [1:0] K_GA = 2'd0, K_GB = 2'd1;

reg [15:0] cur_nrb, cur_ncb;
reg        cur_skip;
reg [31:0] cur_pbase;            // the pass's bin's first projection-ring entry
// encoders' bins: forward pc_step * n_in, backward (t_enc - 1 - pc_step) * n_in, kept by adding the stride
reg [31:0] enc_fbase = 0, enc_bbase = 0;
// and their projection-ring entries (online), kept by adding the slot stride
reg [31:0] proj_fbase = 0, proj_bbase = 0;

// The start of a row block, at a pass load (base: the pass's first tile) and at a row-block restart (base: the
// previous row block's last tile): its first column block, its column block within the segment, its segment and its
// tile. A skipping pass's input segment is an encoder layer's first, of in_blocks column blocks, whose tiles the row
// block passes over; the recurrent segment follows. (Each add in parallel with the skip decision, a 2:1 mux after.)
function [50:0] rb_start(input skip, input restart, input [15:0] base);
    rb_start = skip ? {in_blocks, 16'd0, 3'd1, base + (restart ? in_blocks_p1 : in_blocks)}
                    : {16'd0, 16'd0, 3'd0, base + {15'd0, restart}};
endfunction

// the pass at the program counter, online: an encoder step that skips its input columns (every bin but the newest)
// or one that captures the newest bin's projection; a skipped step of a leading zero bin starts from the bias
wire nx_enc = nx_l[3:2] == 2'b00;
wire nx_newest = nx_t == t_enc_m1;
wire ld_skip = proj_on && nx_enc && !nx_newest;
wire ld_cap = proj_on && nx_enc && nx_newest;
wire ld_cached = ld_skip && nx_t >= pad_bins;
wire [15:0] ld_tile0 = (nx_kind == K_GB) ? g_tbn_f[(nx_l) * 16 +: 16] : g_tbase_f[(nx_l) * 16 +: 16];
// The row block's projection-ring entry: its bin's first entry + the row block's bias index (the encoder layers'
// bias row blocks are the first, contiguous from 0: the same numbering per slot). One adder from registers into the
// lanes' address registers; the ring has 2^PB entries at most, so the bits from PB up are zero.
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] cur_paddr_w = cur_pbase + {16'd0, cur_bias};
/* verilator lint_on UNUSEDSIGNAL */
assign cur_paddr = cur_paddr_w[PB-1:0];

assign cur_last_cb = cur_cb == cur_ncb - 1;
assign cur_last_rb = cur_rb == cur_nrb - 1;
wire last_tile = cur_active && cur_last_rb && cur_last_cb;
wire can_take = !cur_active || last_tile;
assign do_load = go && pc_valid && !nx_skip && can_take && nx_ready;
assign do_skip = go && pc_valid && nx_skip;
assign issue = go && cur_active;

always @(posedge clk) begin : walk
    if (rst) begin
        cur_active <= 1'b0;
    end else begin
        if (start) begin
            enc_fbase <= win_fbase0;
            enc_bbase <= win_bbase0;
            proj_fbase <= win_pf0;
            proj_bbase <= win_pb0;
        end else if (go) begin
            if (pc_step_next) begin
                // next bin of the window (the online ring wraps; a whole trial never reaches the wrap)
                enc_fbase <= (enc_fbase + enc_stride == enc_end) ? 32'd0 : enc_fbase + enc_stride;
                enc_bbase <= (enc_bbase == 0) ? enc_end - enc_stride : enc_bbase - enc_stride;
                proj_fbase <= (proj_fbase + proj_stride == proj_ring) ? 32'd0 : proj_fbase + proj_stride;
                proj_bbase <= (proj_bbase == 0) ? proj_ring - proj_stride : proj_bbase - proj_stride;
            end
            if (do_load) begin
                cur_active <= 1'b1;
                cur_l <= nx_l;
                cur_kind <= nx_kind;
                cur_t <= nx_t;
                cur_tbase <= nx_l[0] ? enc_bbase : enc_fbase;
                cur_fac0 <= nx_fac0;
                cur_emit <= nx_emit;
                cur_nrb <= (nx_kind == K_GA) ? 2 * g_rbh_f[(nx_l) * 16 +: 16] : g_rbh_f[(nx_l) * 16 +: 16];
                cur_ncb <= g_ncb_f[(nx_l) * 16 +: 16];
                cur_rb <= 0;
                {cur_cb, cur_cbs, cur_seg, cur_tile} <= rb_start(ld_skip, 1'b0, ld_tile0);
                cur_bias <= g_bbase_f[(nx_l) * 16 +: 16] + ((nx_kind == K_GB) ? 2 * g_rbh_f[(nx_l) * 16 +: 16] : 16'd0);
                cur_dst <= nx_dst;
                cur_first <= 1'b1;
                cur_skip <= ld_skip;
                cur_cached <= ld_cached;
                cur_cap <= ld_cap;
                cur_pbase <= nx_l[0] ? proj_bbase : proj_fbase;
            end else if (last_tile) begin
                cur_active <= 1'b0;
            end else if (cur_active) begin
                if (cur_last_cb) begin
                    {cur_cb, cur_cbs, cur_seg, cur_tile} <= rb_start(cur_skip, 1'b1, cur_tile);
                    cur_rb <= cur_rb + 1'b1;
                    cur_bias <= cur_bias + 1'b1;
                    cur_first <= 1'b1;
                end else begin
                    cur_tile <= cur_tile + 1'b1;
                    cur_first <= 1'b0;
                    cur_cb <= cur_cb + 1'b1;
                    if (cur_cbs == s_ncb_f[({cur_l, 2'b00} + {3'd0, cur_seg}) * 16 +: 16] - 1) begin
                        cur_cbs <= 0;
                        cur_seg <= cur_seg + 1'b1;
                    end else begin
                        cur_cbs <= cur_cbs + 1'b1;
                    end
                end
            end
        end
    end
end

endmodule

`resetall
