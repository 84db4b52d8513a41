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
 * captures its projection (cap). A row-block restart starts its row block through rb_start; a pass load from the
 * same values registered per layer (the first tile with the skip's in_blocks already added).
 *
 * Timing: every test that decides the next tile (last column block, last row block, segment end, the window's
 * wraps) is a register decided a cycle ahead from registers, and so is "the walker can take a pass" (cur_take: idle,
 * or issuing its last tile), so `do_load`, `do_skip` and `advance` (either) are each one LUT of registers (nx_ready is
 * the scoreboard's registered test of the current entry's sources) and no adder feeds a compare. The pass registers' clock enable
 * does not wait for nx_ready: they take the entry at the program counter in every `go` cycle the walker could take a
 * pass (go && cur_take: one LUT of registers), also when the scoreboard then holds it back or there is none. The
 * walker is then idle (cur_active low), its outputs are read by nobody (the engine qualifies them with `issue`), and
 * the pass loads again once ready. A walking register's enable is `go`, its data a select by cur_take (a register)
 * between the load value and the walk. The window's bin bases move a cycle after the program's step advance (step_d),
 * and a pass load in that cycle takes the moved values: their 130 enables are registers. The engine's per-layer
 * stage-A values (g_ltag_f) are taken with the pass (cur_ltag). A pass load takes its counts, flags and bases from
 * per-layer tables registered here from the geometry tables and the per-run values (each count minus two, the first
 * tile with and without the skipped input columns, the bias base per gate, the last-block flags), selected one entry
 * ahead: by the layer and kind of the entry at the program counter (pc_l, pc_kind: registers of lfads_pass_program,
 * what the descriptor takes at the next advance) into registers (p_*), so that the load is a 2:1 select of registers
 * (p_* right after the descriptor moved, else the values held, q_*) and the skip decision, not an 11:1 select by the
 * descriptor's layer; no adder or compare behind it (but `cached`'s compare of the step with pad_bins). The walker's
 * other inputs are registers of the engine (go, the pass program's descriptor, next entry and step flag, the per-run
 * window values, the geometry tables); the per-run values and the geometry tables are in place at least a cycle
 * before `start` (the first pass's values are selected in the `start` cycle; the engine sets the per-run values in
 * ST_TRIAL, `start` follows from ST_IN, the geometry long before at the image load), and stay static through the
 * run; in_blocks_p1 = in_blocks + 1.
 */
module lfads_tile_walker #
(
    parameter SB_BITS = 23,
    // projection-ring address width (PROJ_DEPTH entries)
    parameter PB = 12,
    // words per vector slot (lfads_engine's VW) and the CI history's backward half (MAX_T_ENC bins)
    parameter VW = 1,
    parameter CIH_BOFF = 0,
    // per-layer values the engine's stage A takes with the pass (opaque here): their width
    parameter LTW = 1
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
    input  wire [15:0]           pad_bins,

    // layer geometry (lfads_geometry)
    input  wire [11*16-1:0]      g_rbh_f,
    input  wire [11*16-1:0]      g_ncb_f,
    input  wire [11*16-1:0]      g_tbase_f,
    input  wire [11*16-1:0]      g_tbn_f,
    input  wire [11*16-1:0]      g_bbase_f,
    input  wire [44*16-1:0]      s_ncb_f,
    // per segment: source, slot, length, shift (lfads_geometry); the CI lag (per run)
    input  wire [44*3-1:0]       s_src_f,
    input  wire [44*5-1:0]       s_slot_f,
    input  wire [44*16-1:0]      s_len_f,
    input  wire [44*7-1:0]       s_sh_f,
    input  wire [15:0]           ci_lag,
    // per layer: the engine's stage-A values (registered with the pass: cur_ltag)
    input  wire [11*LTW-1:0]     g_ltag_f,

    // the pass at the program counter (lfads_pass_program) and its scoreboard test
    input  wire                  pc_valid,
    input  wire                  pc_step_next,
    // the entry at the program counter (lfads_pass_program's registers): nx_l / nx_kind after the next advance
    input  wire [3:0]            pc_l,
    input  wire [1:0]            pc_kind,
    input  wire                  nx_skip,
    input  wire [3:0]            nx_l,
    input  wire [1:0]            nx_kind,
    input  wire [15:0]           nx_t,
    input  wire                  nx_fac0,
    input  wire                  nx_emit,
    input  wire                  nx_newest,      // an encoder pass of the window's newest bin (nx_t == T_enc - 1)
    input  wire [SB_BITS-1:0]    nx_dst,
    input  wire                  nx_ready,       // the scoreboard's test of its sources (a register there)
    // issue permission (lfads_scoreboard, registered), and its copy for the take / skip decision (do_load, advance)
    input  wire                  go,
    input  wire                  go_ld,
    input  wire                  go_sb,          // another copy, for sb_advance / sb_load

    output wire                  do_load,        // the pass at the program counter loads (advance, scoreboard load)
    output wire                  do_skip,        // the entry at the program counter is skipped (advance)
    output wire                  advance,        // do_load || do_skip: one LUT of registers (the pass program's enable)
    output wire                  sb_advance,     // copies of advance and do_load from go_sb (keep), for the scoreboard's
    output wire                  sb_load,        // registered ready test alone
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
    output wire                  cur_last_rb,    // the row block is the pass's last
    // the issuing tile's segment (registered, stage A of the engine): source, length, shift, the first word of its
    // vector-store slot (slot * VW; a hidden-state segment: the layer's h (phase A) or r*h slot), and the pass's
    // CI-history word bases ((t - lag) * VW, (CIH_BOFF + t + lag) * VW, (t + lag) * VW)
    output reg  [2:0]            cur_src,
    output reg  [15:0]           cur_slen,
    output reg  [6:0]            cur_ssh,
    output reg  [15:0]           cur_swb,
    output reg  [15:0]           cur_cih_f,
    output reg  [15:0]           cur_cih_b,
    output reg  [15:0]           cur_cih_v,
    output reg  [LTW-1:0]        cur_ltag
);

// pass kinds (lfads_pass_program; K_LIN = 2: the default)
localparam [1:0] K_GA = 2'd0, K_GB = 2'd1;

// The last-block and segment-end tests are registers, each decided a cycle ahead from registers: the tile that
// follows is the last column block when cb + 1 == ncb - 1, i.e. cb == ncb - 2 (the pass's counts minus two,
// registered at its load; 17 bits, so that a count below 2 never matches, as in a 32-bit `x + 1 == n - 1`), or
// when a row block starts at its last column block (registered per pass). So `cur_take` and `do_load` are decided from
// registers.
reg        cur_lcb, cur_lrb;     // the tile is its row block's last column block / the row block is the pass's last
reg        cur_lcb0;             // a row block's first tile is its last (one column block, or only the recurrent one)
reg [16:0] cur_ncb_m2, cur_nrb_m2;
// The segment's column blocks after this tile, minus one, counting down: the tile is its segment's last when the
// count is below zero (its sign bit, no compare). Loaded with the segment's column blocks minus two (segments have
// at least one column block: lfads_geometry compacts the empty ones away).
reg [16:0] cur_srem;
reg [16:0] cur_srem0;            // ... at a row block's first tile
reg [4*17-1:0] cur_sz_m2;        // the pass's segments' column blocks minus two
wire       cur_slast = cur_srem[16];
reg        cur_skip;
reg [31:0] cur_pbase;            // the pass's bin's first projection-ring entry
// encoders' bins: forward pc_step * n_in, backward (t_enc - 1 - pc_step) * n_in, kept by adding the stride
reg [31:0] enc_fbase = 0, enc_bbase = 0;
// and their projection-ring entries (online), kept by adding the slot stride
reg [31:0] proj_fbase = 0, proj_bbase = 0;
// Their wraps, decided a cycle ahead (the add or subtract then has a registered select behind it, no compare in
// front): the forward one wraps after this step when base + stride == end, i.e. base == end - stride; after the next
// when base == end - 2 stride; the backward one when base == 0, after the next when base == stride. The strides and
// ends are per-run values, set before `start` and static during a run (end - stride registered from them).
reg [31:0] enc_last = 0, enc_last2 = 0, proj_last = 0, proj_last2 = 0;
reg        enc_last0 = 1'b0, proj_last0 = 1'b0;    // end - stride == 0: a window of one bin
reg        enc_fwrap = 1'b0, enc_bzero = 1'b0, proj_fwrap = 1'b0, proj_bzero = 1'b0;
always @(posedge clk) begin
    enc_last0 <= enc_end == enc_stride;
    proj_last0 <= proj_ring == proj_stride;
    enc_last <= enc_end - enc_stride;
    enc_last2 <= enc_end - {enc_stride[30:0], 1'b0};
    proj_last <= proj_ring - proj_stride;
    proj_last2 <= proj_ring - {proj_stride[30:0], 1'b0};
end

// The start of a row block at a row-block restart (base: the previous row block's last tile): its first column
// block, its column block within the segment, its segment and its tile. A skipping pass's input segment is an encoder
// layer's first, of in_blocks column blocks, whose tiles the row block passes over; the recurrent segment follows.
// (Each add in parallel with the skip decision, a 2:1 mux after.) A pass load starts its first row block the same way
// from the layer tables below (the skip's in_blocks added there).
function [50:0] rb_start(input skip, input [15:0] base);
    rb_start = skip ? {in_blocks, 16'd0, 3'd1, base + in_blocks_p1}
                    : {16'd0, 16'd0, 3'd0, base + 16'd1};
endfunction

// Per-layer load values, registered from the geometry tables and the per-run values (static during a run): the
// row blocks minus two and the last-row-block flag per gate (GRU phase A has the reset and update gates: twice the
// row blocks), the column blocks minus two, the segments' column blocks minus two, the first-tile-is-last flag with
// and without the skipped input columns, the first tile per kind (phase B: the candidate's tiles), with the skip for
// the encoder layers (0..3: the only ones that skip), the bias base per kind (phase B: after the two gates' row
// blocks).
reg [11*17-1:0] t_nrb_m2_a, t_nrb_m2_b, t_ncb_m2;
reg [44*17-1:0] t_sz_m2;
reg [10:0]      t_lrb_a, t_lrb_b, t_lcb0;
reg [3:0]       t_lcb0_s;
reg [11*16-1:0] t_tile_a, t_tile_b, t_bias_a, t_bias_b;
reg [4*16-1:0]  t_tile_as, t_tile_bs;
always @(posedge clk) begin : layer_tables
    integer l, j;
    for (l = 0; l < 11; l = l + 1) begin
        t_nrb_m2_a[l * 17 +: 17] <= {1'b0, g_rbh_f[l * 16 +: 15], 1'b0} - 17'd2;
        t_nrb_m2_b[l * 17 +: 17] <= {1'b0, g_rbh_f[l * 16 +: 16]} - 17'd2;
        t_lrb_a[l] <= {g_rbh_f[l * 16 +: 15], 1'b0} == 16'd1;
        t_lrb_b[l] <= g_rbh_f[l * 16 +: 16] == 16'd1;
        t_ncb_m2[l * 17 +: 17] <= {1'b0, g_ncb_f[l * 16 +: 16]} - 17'd2;
        t_lcb0[l] <= g_ncb_f[l * 16 +: 16] == 16'd1;
        for (j = 0; j < 4; j = j + 1)
            t_sz_m2[(l * 4 + j) * 17 +: 17] <= {1'b0, s_ncb_f[(l * 4 + j) * 16 +: 16]} - 17'd2;
        t_tile_a[l * 16 +: 16] <= g_tbase_f[l * 16 +: 16];
        t_tile_b[l * 16 +: 16] <= g_tbn_f[l * 16 +: 16];
        t_bias_a[l * 16 +: 16] <= g_bbase_f[l * 16 +: 16];
        t_bias_b[l * 16 +: 16] <= g_bbase_f[l * 16 +: 16] + {g_rbh_f[l * 16 +: 15], 1'b0};
    end
    for (l = 0; l < 4; l = l + 1) begin
        t_lcb0_s[l] <= in_blocks_p1 == g_ncb_f[l * 16 +: 16];
        t_tile_as[l * 16 +: 16] <= g_tbase_f[l * 16 +: 16] + in_blocks;
        t_tile_bs[l * 16 +: 16] <= g_tbn_f[l * 16 +: 16] + in_blocks;
    end
end

// Per-segment stage-A values, registered per layer from the geometry tables (static during a run): source, length,
// shift, and the slot's first word per kind (a hidden-state segment reads the layer's h in GRU phase A, its r*h
// otherwise; lfads_engine's sl_h / sl_rh). A pass load registers its layer's four (cur_stab_*); the current segment's
// (cur_src, ...) load with the pass (segment 0, or 1 skipping), at a row-block restart and at a segment step (a 4:1
// select by the registered segment), like cur_srem. The CI-history bases are per pass: one adder behind nx_t.
localparam [2:0] SRC_HSEG = 3'd4;
reg [44*16-1:0] t_swb_a, t_swb_b;
reg [15:0]      lag_b = 0;
always @(posedge clk) begin : seg_tables
    integer l, j;
    lag_b <= ci_lag + CIH_BOFF[15:0];
    for (l = 0; l < 11; l = l + 1)
        for (j = 0; j < 4; j = j + 1) begin
            t_swb_a[(l * 4 + j) * 16 +: 16] <= ((s_src_f[(l * 4 + j) * 3 +: 3] == SRC_HSEG) ? l[15:0]
                                                : {11'd0, s_slot_f[(l * 4 + j) * 5 +: 5]}) * VW[15:0];
            t_swb_b[(l * 4 + j) * 16 +: 16] <= ((s_src_f[(l * 4 + j) * 3 +: 3] == SRC_HSEG) ? 16'd12 + l[15:0]
                                                : {11'd0, s_slot_f[(l * 4 + j) * 5 +: 5]}) * VW[15:0];
        end
end
reg [4*3-1:0]   cur_stab_src;
reg [4*16-1:0]  cur_stab_len, cur_stab_swb;
reg [4*7-1:0]   cur_stab_sh;

// The descriptor's layer values, one entry ahead. nx_l / nx_kind (registers of lfads_pass_program) change at an
// `advance` (do_load or do_skip, here) to the entry at the program counter (pc_l / pc_kind, registers there too), and
// at `start` to layer 0, phase A; a pass can load in the very next cycle (a skipped entry, or a one-tile pass before
// it), so the layer's values cannot be selected by nx_l a cycle ahead. Instead: p_* is the select by the entry at
// the counter (by layer 0, phase A in a `start` cycle), registered every cycle; upd_d says that the descriptor moved
// at the last edge (to that entry); q_* holds the values in use (ld_*, registered every cycle). So ld_* = upd_d ? p_*
// : q_* is the descriptor's layer's values: a 2:1 select of registers (3:1 with the skip's first tile), not an 11:1
// select by nx_l. (No clock enable on `advance`: its fanout stays that of the pass program.) The first pass after
// `start` takes p_* registered at the `start` edge from the tables, so the geometry tables and the per-run values
// must be in place a cycle before `start`.
reg              upd_d = 1'b0;
wire             adv_now = !rst && (start || advance);
// the selects by the entry's layer alone (both kinds' values) ...
// One record per layer (every value the load takes from it; the skip's for the encoder layers 0-3, zero above), the
// records at a power-of-two stride in one vector, padded to 16 layers: the select is then a 16:1 mux by pc_l's four
// bits (a LUT6 and MUXF7 / MUXF8 per bit), not an 11-way compare chain. (As a loop of `if (pc_l == l)` Yosys decoded
// pc_l first, a LUT with ~270 loads, then two LUT levels and MUXF7 / MUXF8: 2.87 ns in the whole kernel.)
// the record's width: ltag (LTW), nrb_m2 a / b, ncb_m2 (3 x 17), lrb a / b, lcb0 (3), sz_m2 (68), tile a / b, bias a / b
// (4 x 16), stab_src (12), stab_len (64), stab_sh (28), swb a / b (2 x 64), skip values (33): LTW + 451. The unpacking
// below takes exactly REC_W bits, so a field added without this sum changing is a width error under `make lint`.
localparam integer REC_W = LTW + 451;
localparam integer REC_B = $clog2(REC_W);
localparam integer REC_S = 1 << REC_B;
wire [16*REC_S-1:0] layer_rec;
genvar gl;
generate
for (gl = 0; gl < 16; gl = gl + 1) begin : g_layer_rec
    if (gl < 11) begin : g_on
        wire [32:0] skip_vals;
        if (gl < 4) begin : g_skip
            assign skip_vals = {t_lcb0_s[gl], t_tile_as[gl * 16 +: 16], t_tile_bs[gl * 16 +: 16]};
        end else begin : g_noskip
            assign skip_vals = 33'd0;
        end
        assign layer_rec[gl * REC_S +: REC_S] = {{(REC_S - REC_W){1'b0}},
            g_ltag_f[gl * LTW +: LTW], t_nrb_m2_a[gl * 17 +: 17], t_nrb_m2_b[gl * 17 +: 17], t_lrb_a[gl], t_lrb_b[gl],
            t_ncb_m2[gl * 17 +: 17], t_lcb0[gl], t_sz_m2[gl * 68 +: 68], t_tile_a[gl * 16 +: 16],
            t_tile_b[gl * 16 +: 16], t_bias_a[gl * 16 +: 16], t_bias_b[gl * 16 +: 16], s_src_f[gl * 12 +: 12],
            s_len_f[gl * 64 +: 64], s_sh_f[gl * 28 +: 28], t_swb_a[gl * 64 +: 64], t_swb_b[gl * 64 +: 64], skip_vals};
    end else begin : g_off
        assign layer_rec[gl * REC_S +: REC_S] = {REC_S{1'b0}};
    end
end
endgenerate
/* verilator lint_off UNUSEDSIGNAL */
wire [REC_S-1:0] s_rec = layer_rec[{pc_l, {REC_B{1'b0}}} +: REC_S];
/* verilator lint_on UNUSEDSIGNAL */
wire [LTW-1:0]   s_ltag;
wire [16:0]      s_nrb_m2_a, s_nrb_m2_b, s_ncb_m2;
wire             s_lrb_a, s_lrb_b, s_lcb0, s_lcb0_s;
wire [4*17-1:0]  s_sz_m2;
wire [15:0]      s_tile_a, s_tile_b, s_tile_as, s_tile_bs, s_bias_a, s_bias_b;
wire [4*3-1:0]   s_stab_src;
wire [4*16-1:0]  s_stab_len, s_stab_swb_a, s_stab_swb_b;
wire [4*7-1:0]   s_stab_sh;
assign {s_ltag, s_nrb_m2_a, s_nrb_m2_b, s_lrb_a, s_lrb_b, s_ncb_m2, s_lcb0, s_sz_m2, s_tile_a, s_tile_b, s_bias_a,
        s_bias_b, s_stab_src, s_stab_len, s_stab_sh, s_stab_swb_a, s_stab_swb_b, s_lcb0_s, s_tile_as, s_tile_bs}
    = s_rec[REC_W-1:0];
// ... then by its kind, or in a `start` cycle layer 0's phase A values (table registers, constant indexes): the last
// LUT before the register (the layer select has only pc_l in front of it)
wire             p_ga = pc_kind == K_GA;
wire             p_gb = pc_kind == K_GB;
reg [LTW-1:0]    p_ltag, q_ltag;
reg [16:0]       p_nrb_m2, q_nrb_m2, p_ncb_m2, q_ncb_m2;
reg              p_lrb, q_lrb, p_lcb0, p_lcb0_s, q_lcb0;
reg [4*17-1:0]   p_sz_m2, q_sz_m2;
reg [15:0]       p_tile0, p_tile0_s, q_tile0, p_bias, q_bias;
reg [4*3-1:0]    p_stab_src, q_stab_src;
reg [4*16-1:0]   p_stab_len, q_stab_len, p_stab_swb, q_stab_swb;
reg [4*7-1:0]    p_stab_sh, q_stab_sh;
always @(posedge clk) begin : load_ahead
    upd_d <= adv_now;
    p_ltag <= start ? g_ltag_f[0 +: LTW] : s_ltag;
    p_nrb_m2 <= start ? t_nrb_m2_a[0 +: 17] : p_ga ? s_nrb_m2_a : s_nrb_m2_b;
    p_lrb <= start ? t_lrb_a[0] : p_ga ? s_lrb_a : s_lrb_b;
    p_ncb_m2 <= start ? t_ncb_m2[0 +: 17] : s_ncb_m2;
    p_lcb0 <= start ? t_lcb0[0] : s_lcb0;
    p_lcb0_s <= start ? t_lcb0_s[0] : s_lcb0_s;
    p_sz_m2 <= start ? t_sz_m2[0 +: 68] : s_sz_m2;
    p_tile0 <= start ? t_tile_a[0 +: 16] : p_gb ? s_tile_b : s_tile_a;
    p_tile0_s <= start ? t_tile_as[0 +: 16] : p_gb ? s_tile_bs : s_tile_as;
    p_bias <= start ? t_bias_a[0 +: 16] : p_gb ? s_bias_b : s_bias_a;
    p_stab_src <= start ? s_src_f[0 +: 12] : s_stab_src;
    p_stab_len <= start ? s_len_f[0 +: 64] : s_stab_len;
    p_stab_sh <= start ? s_sh_f[0 +: 28] : s_stab_sh;
    p_stab_swb <= start ? t_swb_a[0 +: 64] : p_ga ? s_stab_swb_a : s_stab_swb_b;
end

// the pass at the program counter, online: an encoder step that skips its input columns (every bin but the newest)
// or one that captures the newest bin's projection; a skipped step of a leading zero bin starts from the bias
wire nx_enc = nx_l[3:2] == 2'b00;
wire ld_skip = proj_on && nx_enc && !nx_newest;
wire ld_cap = proj_on && nx_enc && nx_newest;
wire ld_cached = ld_skip && nx_t >= pad_bins;
// its load values: the one-entry-ahead registers, then (the first tile and the segment) the skip decision
wire [LTW-1:0]  ld_ltag = upd_d ? p_ltag : q_ltag;
wire [16:0]     ld_nrb_m2 = upd_d ? p_nrb_m2 : q_nrb_m2;
wire [16:0]     ld_ncb_m2 = upd_d ? p_ncb_m2 : q_ncb_m2;
wire            ld_lrb = upd_d ? p_lrb : q_lrb;
wire [4*17-1:0] ld_sz_m2 = upd_d ? p_sz_m2 : q_sz_m2;
wire [16:0]     ld_srem0 = ld_skip ? ld_sz_m2[17 +: 17] : ld_sz_m2[0 +: 17];
wire            ld_lcb0 = upd_d ? (ld_skip ? p_lcb0_s : p_lcb0) : q_lcb0;
wire [15:0]     ld_tile0 = upd_d ? (ld_skip ? p_tile0_s : p_tile0) : q_tile0;
wire [15:0]     ld_bias = upd_d ? p_bias : q_bias;
wire [4*3-1:0]  ld_stab_src = upd_d ? p_stab_src : q_stab_src;
wire [4*16-1:0] ld_stab_len = upd_d ? p_stab_len : q_stab_len;
wire [4*7-1:0]  ld_stab_sh = upd_d ? p_stab_sh : q_stab_sh;
wire [4*16-1:0] ld_stab_swb = upd_d ? p_stab_swb : q_stab_swb;
always @(posedge clk) begin : load_hold
    q_ltag <= ld_ltag;
    q_nrb_m2 <= ld_nrb_m2;
    q_ncb_m2 <= ld_ncb_m2;
    q_lrb <= ld_lrb;
    q_sz_m2 <= ld_sz_m2;
    q_lcb0 <= ld_lcb0;
    q_tile0 <= ld_tile0;
    q_bias <= ld_bias;
    q_stab_src <= ld_stab_src;
    q_stab_len <= ld_stab_len;
    q_stab_sh <= ld_stab_sh;
    q_stab_swb <= ld_stab_swb;
end
// The row block's projection-ring entry: its bin's first entry + the row block's bias index (the encoder layers'
// bias row blocks are the first, contiguous from 0: the same numbering per slot). One adder from registers into the
// lanes' address registers; the ring has 2^PB entries at most, so the bits from PB up are zero.
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] cur_paddr_w = cur_pbase + {16'd0, cur_bias};
/* verilator lint_on UNUSEDSIGNAL */
assign cur_paddr = cur_paddr_w[PB-1:0];

assign cur_last_cb = cur_lcb;
assign cur_last_rb = cur_lrb;
// cur_seg < 4: a row block's column blocks are the sum of its segments'
wire [1:0]  seg_next = cur_seg[1:0] + 1'b1;
// cur_take == !cur_active || (cur_lrb && cur_lcb), registered (kept with them below); !cur_take: a walking tile.
// take_ce_n: its complement for the pass registers' enable alone (so that synthesis builds it from it and `go` in one
// LUT rather than from logic it shares with the selects cur_take drives; a complement, which it does not merge with
// cur_take). take_ld_n: another copy (keep) for do_load and `advance`, so that these are one LUT of registers (go_ld,
// the scoreboard's copy of go, take_ld_n, pc_valid, nx_skip and the scoreboard's registered nx_ready: its group
// registers' AND) and not built on the enable's kept tick_ld (in the whole engine advance was go -> tick_ld -> LUT6 /
// MUXF7-8 with the scoreboard's test -> the pass program's clock enables: 3.07 ns). sb_advance / sb_load: the same
// decisions from go_sb (another copy of `go`, so not merged with them) for the scoreboard's ready test, which selects
// with them in its last LUT: the pass program's enable net and the counters' load are slow nets.
reg  cur_take = 1'b1;
(* keep = "true", dont_touch = "true" *) reg take_ce_n = 1'b0;
(* keep = "true", dont_touch = "true" *) reg take_ld_n = 1'b0;
wire nx_take = pc_valid && !nx_skip;          // the entry at the program counter is a pass (not skipped)
(* keep = "true" *) wire adv_w;
assign adv_w = go_ld && pc_valid && (nx_skip || (!take_ld_n && nx_ready));
assign advance = adv_w;
assign do_load = go_ld && !take_ld_n && nx_take && nx_ready;
assign do_skip = go_ld && pc_valid && nx_skip;
(* keep = "true" *) wire sb_adv_w, sb_load_w;
assign sb_adv_w = go_sb && pc_valid && (nx_skip || (!take_ld_n && nx_ready));
assign sb_load_w = go_sb && !take_ld_n && nx_take && nx_ready;
assign sb_advance = sb_adv_w;
assign sb_load = sb_load_w;
assign issue = go && cur_active;
// The clock enables: a `go` cycle (tick: the walking registers) and one in which the walker can take a pass (tick_ld:
// the pass's registers; also without a pass at the program counter, when they are not used either). Neither waits for
// reset or `start` (cur_active and cur_take do): a walk or load then changes only registers nobody reads (the walker is
// idle after a reset; the engine starts a run only while the walker is idle, and the next load sets them all).
wire tick = go;
(* keep = "true" *) wire tick_ld;
assign tick_ld = go && !take_ce_n;

// The bins: a step advance (go && pc_step_next) moves the bases a cycle later (step_d), so their enable is a register;
// a pass load in that cycle takes the moved values (*_mv: the update below, one adder behind registers).
reg         step_d = 1'b0;
wire [31:0] enc_fbase_mv = enc_fwrap ? 32'd0 : enc_fbase + enc_stride;
wire [31:0] enc_bbase_mv = enc_bzero ? enc_last : enc_bbase - enc_stride;
wire [31:0] proj_fbase_mv = proj_fwrap ? 32'd0 : proj_fbase + proj_stride;
wire [31:0] proj_bbase_mv = proj_bzero ? proj_last : proj_bbase - proj_stride;
always @(posedge clk) begin : bin_bases
    step_d <= !rst && !start && go && pc_step_next;
    if (start && !rst) begin
        enc_fbase <= win_fbase0;
        enc_bbase <= win_bbase0;
        proj_fbase <= win_pf0;
        proj_bbase <= win_pb0;
        enc_fwrap <= win_fbase0 == enc_last;
        enc_bzero <= win_bbase0 == 32'd0;
        proj_fwrap <= win_pf0 == proj_last;
        proj_bzero <= win_pb0 == 32'd0;
    end else if (step_d) begin
        // next bin of the window (the online ring wraps; a whole trial never reaches the wrap)
        enc_fbase <= enc_fbase_mv;
        enc_bbase <= enc_bbase_mv;
        proj_fbase <= proj_fbase_mv;
        proj_bbase <= proj_bbase_mv;
        enc_fwrap <= enc_fwrap ? enc_last0 : enc_fbase == enc_last2;
        enc_bzero <= enc_bzero ? enc_last0 : enc_bbase == enc_stride;
        proj_fwrap <= proj_fwrap ? proj_last0 : proj_fbase == proj_last2;
        proj_bzero <= proj_bzero ? proj_last0 : proj_bbase == proj_stride;
    end
end

// cur_active and cur_take: the load takes the pass only with nx_ready. Outside reset and `start`, in a `go` cycle:
// idle or the last tile: the pass at the program counter loads, or the walker is idle; a row-block restart (not the
// last row block); a walking tile. (A continuous assignment: evaluated from time zero in simulation.)
// cur_lcb_t: cur_lcb's copy for this decision alone (keep): cur_lcb selects the next values of the walk's ~100
// registers, a slow net to start a path from (the whole kernel had cur_lcb -> take_ld_n at 2.80 ns)
(* keep = "true", dont_touch = "true" *) reg cur_lcb_t;
wire take_nx = rst ? 1'b1
             : (start || !go) ? cur_take
             : cur_take ? !(nx_take && nx_ready) || (ld_lrb && ld_lcb0)
             : cur_lcb_t ? ({1'b0, cur_rb} == cur_nrb_m2) && cur_lcb0
             : cur_lrb && ({1'b0, cur_cb} == cur_ncb_m2);
always @(posedge clk) begin : handshake
    cur_take <= take_nx;
    if (rst)
        cur_active <= 1'b0;
    else if (!start && go && cur_take)
        cur_active <= nx_take && nx_ready;
end
// (both in keep processes: a copy not kept is merged into the kept one)
(* keep = "true" *) always @(posedge clk) take_ce_n <= !take_nx;
(* keep = "true" *) always @(posedge clk) take_ld_n <= !take_nx;
// cur_lcb's next value as the walk below gives it
(* keep = "true" *) always @(posedge clk) begin : lcb_copy
    if (tick)
        cur_lcb_t <= cur_take ? ld_lcb0 : cur_lcb_t ? cur_lcb0 : ({1'b0, cur_cb} == cur_ncb_m2);
end
`ifndef SYNTHESIS
always @(posedge clk) begin : lcb_copy_check
    if (!cur_take && cur_lcb_t !== cur_lcb) begin
        $display("ERROR lfads_tile_walker: cur_lcb_t (%b) differs from cur_lcb (%b) at %0t", cur_lcb_t, cur_lcb, $time);
        $finish;
    end
end
`endif

// the pass at the program counter, taken whenever the walker can take one (it loads with nx_ready; otherwise it is
// unused and taken again)
always @(posedge clk) begin : pass
    if (tick_ld) begin
        cur_l <= nx_l;
        cur_kind <= nx_kind;
        cur_t <= nx_t;
        cur_tbase <= nx_l[0] ? (step_d ? enc_bbase_mv : enc_bbase) : (step_d ? enc_fbase_mv : enc_fbase);
        cur_fac0 <= nx_fac0;
        cur_emit <= nx_emit;
        cur_nrb_m2 <= ld_nrb_m2;
        cur_ncb_m2 <= ld_ncb_m2;
        cur_sz_m2 <= ld_sz_m2;
        cur_lcb0 <= ld_lcb0;
        cur_srem0 <= ld_srem0;
        cur_dst <= nx_dst;
        cur_skip <= ld_skip;
        cur_cached <= ld_cached;
        cur_cap <= ld_cap;
        cur_pbase <= nx_l[0] ? (step_d ? proj_bbase_mv : proj_bbase) : (step_d ? proj_fbase_mv : proj_fbase);
        cur_stab_src <= ld_stab_src;
        cur_stab_len <= ld_stab_len;
        cur_stab_sh <= ld_stab_sh;
        cur_stab_swb <= ld_stab_swb;
        cur_cih_f <= (nx_t - ci_lag) * VW[15:0];
        cur_cih_b <= (nx_t + lag_b) * VW[15:0];
        cur_cih_v <= (nx_t + ci_lag) * VW[15:0];
        cur_ltag <= ld_ltag;
    end
end

// the tile: the pass's first (with the pass), the next in the row block, or the next row block's first
always @(posedge clk) begin : walk
    if (tick) begin
        if (cur_take) begin
            cur_lrb <= ld_lrb;
            cur_lcb <= ld_lcb0;
            cur_srem <= ld_srem0;
            cur_rb <= 0;
            // the first row block's start (rb_start without its add: the skip's in_blocks is in ld_tile0)
            cur_cb <= ld_skip ? in_blocks : 16'd0;
            cur_cbs <= 16'd0;
            cur_seg <= {2'b0, ld_skip};
            cur_tile <= ld_tile0;
            cur_bias <= ld_bias;
            cur_first <= 1'b1;
            cur_src <= ld_skip ? ld_stab_src[3 +: 3] : ld_stab_src[0 +: 3];
            cur_slen <= ld_skip ? ld_stab_len[16 +: 16] : ld_stab_len[0 +: 16];
            cur_ssh <= ld_skip ? ld_stab_sh[7 +: 7] : ld_stab_sh[0 +: 7];
            cur_swb <= ld_skip ? ld_stab_swb[16 +: 16] : ld_stab_swb[0 +: 16];
        end else if (cur_lcb) begin
            {cur_cb, cur_cbs, cur_seg, cur_tile} <= rb_start(cur_skip, cur_tile);
            cur_rb <= cur_rb + 1'b1;
            cur_lrb <= {1'b0, cur_rb} == cur_nrb_m2;
            cur_lcb <= cur_lcb0;
            cur_srem <= cur_srem0;
            cur_src <= cur_skip ? cur_stab_src[3 +: 3] : cur_stab_src[0 +: 3];
            cur_slen <= cur_skip ? cur_stab_len[16 +: 16] : cur_stab_len[0 +: 16];
            cur_ssh <= cur_skip ? cur_stab_sh[7 +: 7] : cur_stab_sh[0 +: 7];
            cur_swb <= cur_skip ? cur_stab_swb[16 +: 16] : cur_stab_swb[0 +: 16];
            cur_bias <= cur_bias + 1'b1;
            cur_first <= 1'b1;
        end else begin
            cur_tile <= cur_tile + 1'b1;
            cur_first <= 1'b0;
            cur_cb <= cur_cb + 1'b1;
            cur_lcb <= {1'b0, cur_cb} == cur_ncb_m2;
            if (cur_slast) begin
                cur_cbs <= 0;
                cur_seg <= cur_seg + 1'b1;
                cur_srem <= cur_sz_m2[seg_next * 17 +: 17];
                cur_src <= cur_stab_src[seg_next * 3 +: 3];
                cur_slen <= cur_stab_len[seg_next * 16 +: 16];
                cur_ssh <= cur_stab_sh[seg_next * 7 +: 7];
                cur_swb <= cur_stab_swb[seg_next * 16 +: 16];
            end else begin
                cur_cbs <= cur_cbs + 1'b1;
                cur_srem <= cur_srem - 1'b1;
            end
        end
    end
end

endmodule

`resetall
