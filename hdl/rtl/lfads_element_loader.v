// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Element loader of lfads_engine's image load: maps one element of a kernel-image section per cycle to its write
 * into the engine's memories (docs/kernel-numerics.md, image layout; hdl/README.md "Loader").
 *
 * The run FSM starts a section (start, with its index, element count and columns) once the reader has been asked
 * for its beats; every cycle a beat is valid (beat_valid) the loader takes one 32-bit word of it (elements are
 * words, WPB a beat; beat_last says the beat's last element is being taken, the reader's ready) and writes, one
 * cycle later:
 *   - H0 (part 0): element i of layer l's initial state -> h0 memory word l * VW + row block, row lane i mod R;
 *   - W_ih / W_hh (parts 1, 2): element (row, col) -> weight tile and column lane: the row's gate, row block and
 *     lane, the column's segment (W_hh: the layer's last, recurrent one) and column block in it; tiles are laid out
 *     per layer as gates x row blocks x column blocks (lfads_geometry's tile base, tiles per gate, column blocks);
 *   - B (part 3): element i -> bias memory word bias base + gate x row blocks per gate + row block, row lane;
 *   - activation tables (part 4): entry k -> the pair {T[k], T[k-1]} at k - 1 (sigmoid, then tanh).
 * Counters only: no multiply or divide by the geometry (rows advance the row block / lane / gate counters, columns
 * the segment / column-block / lane ones). `last` is high while the section's last element is taken.
 *
 * Timing: the section's layer, its geometry and its counts are registered from `sec` ahead of the start (three
 * stages: `sec` stable for 3 cycles before start and through the section, sec_cols_in for 2 (it passes two stages);
 * the run FSM holds `sec` 5 cycles for its section values, and sec_cols_in, its register of the section's columns
 * two stages after `sec`, 3), and every last-element test (section, row, segment, column block, gate, row
 * block) is a register decided one element ahead: the write-back of an element is an add or a select of registers.
 */
module lfads_element_loader #
(
    parameter ROW_LANES = 8,
    parameter COL_LANES = 4,
    parameter DATA_WIDTH = 16,
    parameter AXI_DATA_WIDTH = 512,
    parameter VW = 8,                    // words per vector slot (h0 words per layer)
    parameter TB = 11,                   // weight tile address bits
    parameter RBB = 8,                   // bias address bits
    parameter H0B = 6,                   // h0 address bits
    parameter KT = 10                    // activation table index bits (MAX_ACT_SEG_BITS)
)
(
    input  wire                          clk,
    input  wire                          rst,

    // a section starts (the run FSM, with the reader's request)
    input  wire                          start,
    input  wire [5:0]                    sec,
    input  wire [31:0]                   sec_words_in,
    input  wire [15:0]                   sec_cols_in,
    // its beats
    input  wire                          beat_valid,
    input  wire [AXI_DATA_WIDTH-1:0]     beat_data,
    output wire                          beat_last,      // the beat's last element is taken (the reader's ready)
    output wire                          last,           // the section's last element is taken

    // layer geometry (lfads_geometry)
    input  wire [11*16-1:0]              g_rows_f,
    input  wire [11*16-1:0]              g_rbh_f,
    input  wire [11*16-1:0]              g_ncb_f,
    input  wire [11*16-1:0]              g_tbase_f,
    input  wire [11*16-1:0]              g_gtile_f,
    input  wire [11*16-1:0]              g_bbase_f,
    input  wire [11*3-1:0]               g_nseg_f,
    input  wire [44*16-1:0]              s_len_f,
    input  wire [44*16-1:0]              s_cb0_f,

    // the writes (registered strobes, low unless an element is written this cycle, and low in reset)
    output reg                           wm_we,          // one weight element
    output reg  [TB-1:0]                 wm_addr,
    output reg  [15:0]                   wm_r,
    output reg  [15:0]                   wm_c,
    output reg                           bm_we,          // one bias element
    output reg  [RBB-1:0]                bm_addr,
    output reg                           h0_we,          // one h0 element
    output reg  [H0B-1:0]                h0_addr,
    output reg  [15:0]                   el_r,           // row lane of the bias / h0 element
    output reg  [DATA_WIDTH-1:0]         el_data,
    output reg                           tab_we,         // one activation-table pair
    output reg  [KT:0]                   tab_addr,
    output reg  [2*DATA_WIDTH-1:0]       tab_data
);

`include "lfads_contract.vh"

localparam integer R = ROW_LANES;
localparam integer C = COL_LANES;
localparam integer W = DATA_WIDTH;
localparam integer WPB = AXI_DATA_WIDTH / 32;            // image words per beat

// section -> layer / part
task automatic sec_map(input integer s, output integer l, output integer part);
    begin
        if (s < 20) begin l = s >> 2; part = s & 3; end
        else case (s)
            20: begin l = 8; part = 1; end
            21: begin l = 8; part = 3; end
            22: begin l = 6; part = 1; end
            23: begin l = 6; part = 3; end
            24: begin l = 7; part = 1; end
            25: begin l = 7; part = 3; end
            26: begin l = 5; part = 1; end
            27: begin l = 5; part = 2; end
            28: begin l = 5; part = 3; end
            29: begin l = 9; part = 1; end
            30: begin l = 10; part = 1; end
            31: begin l = 10; part = 3; end
            default: begin l = 0; part = 4; end
        endcase
    end
endtask

// ---- the section's values, ahead of its start ---------------------------------------------------------------
// Computed from `sec` (and sec_cols_in, a function of it and the static header) in three registered stages, so that
// a section's start and its elements read registers, not selects of the geometry tables by a section index. The run
// FSM holds `sec` for SEC_MUL_WAIT + 1 = 6 cycles before it starts a section (its section values settling) and
// through the section, sec_cols_in (its register of the section's columns, two stages after `sec`) for 3; the loader
// needs 3 and 2 (q_cols -> n_cols_m2 / n_cols_is1). sec_words_in is read at start.
reg [3:0]  q_l;                 // stage 1: the section's layer (and the next: segment indexes 4..7) and part,
reg [4:0]  q_l1;                //   its columns
reg [3:0]  q_lm1;               // (and the layer before: a W_hh section of a layer without segments)
reg [2:0]  q_part;
reg        q_tanh;
reg [15:0] q_cols;
localparam [5:0] SEC_TANH = LFADS_S_TANH_TABLE[5:0];
always @(posedge clk) begin : ahead1
    /* verilator lint_off UNUSEDSIGNAL */
    integer l, part;
    /* verilator lint_on UNUSEDSIGNAL */
    sec_map({26'd0, sec}, l, part);
    q_l <= l[3:0];
    q_l1 <= {1'b0, l[3:0]} + 5'd1;
    q_lm1 <= l[3:0] - 4'd1;
    q_part <= part[2:0];
    q_tanh <= sec == SEC_TANH;
    q_cols <= sec_cols_in;
end

// stage 2: the layer's geometry; counts minus two and "is one" flags for the registered last-element tests
reg [2:0]  sec_part;            // 0 H0, 1 WIH, 2 WHH, 3 B, 4 TAB
reg        sec_w;               // sec_part is 1 or 2 (a weight section): the column counters' enables read one
                                //   register, not a decode of sec_part (whole engine: sec_part -> e_cb.CE 4 LUTs)
reg        sec_tanh;
reg [15:0] n_rbh, n_gtile, n_ncb, n_bbase, n_tbase, n_h0base;
reg [15:0] n_rows;
reg [16:0] n_cols_m2;
reg        n_cols_is1;
reg [2:0]  n_seg0_pre;          // the first segment of a row (W_hh: the layer's last, recurrent one)
reg [8*16-1:0] n_len;           // segments sec_l * 4 + j, j = 0..7 (as far as the 3-bit segment counter reaches)
reg [2:0]  n_nseg;
reg [8*16-1:0] n_cb0c;          // first column blocks of segments sec_l * 4 - 1 .. sec_l * 4 + 6 (the last one's, by
                                //   the segment count 0..7)
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0] h0base_w = q_l * VW;      // the layer's first h0 word
/* verilator lint_on UNUSEDSIGNAL */
always @(posedge clk) begin : ahead2
    integer j;
    sec_part <= q_part;
    sec_w <= q_part == 3'd1 || q_part == 3'd2;
    sec_tanh <= q_tanh;
    n_rbh <= g_rbh_f[(q_l) * 16 +: 16];
    n_gtile <= g_gtile_f[(q_l) * 16 +: 16];
    n_ncb <= g_ncb_f[(q_l) * 16 +: 16];
    n_bbase <= g_bbase_f[(q_l) * 16 +: 16];
    n_tbase <= g_tbase_f[(q_l) * 16 +: 16];
    n_h0base <= h0base_w[15:0];
    n_rows <= g_rows_f[(q_l) * 16 +: 16];
    n_seg0_pre <= (q_part == 3'd2) ? g_nseg_f[(q_l) * 3 +: 3] - 1'b1 : 3'd0;
    n_cols_m2 <= {1'b0, q_cols} - 17'd2;
    n_cols_is1 <= q_cols == 16'd1;
    for (j = 0; j < 4; j = j + 1) begin
        n_len[j * 16 +: 16] <= s_len_f[{q_l, j[1:0]} * 16 +: 16];
        n_len[(j + 4) * 16 +: 16] <= s_len_f[{q_l1, j[1:0]} * 16 +: 16];
    end
    n_nseg <= g_nseg_f[(q_l) * 3 +: 3];
    n_cb0c[0 +: 16] <= s_cb0_f[{q_lm1, 2'd3} * 16 +: 16];
    for (j = 0; j < 4; j = j + 1)
        n_cb0c[(j + 1) * 16 +: 16] <= s_cb0_f[{q_l, j[1:0]} * 16 +: 16];
    for (j = 0; j < 3; j = j + 1)
        n_cb0c[(j + 5) * 16 +: 16] <= s_cb0_f[{q_l1, j[1:0]} * 16 +: 16];
end

// stage 3: the segments' lengths minus two and "is one" flags; where a row's columns start (W_hh: at the layer's
// last, recurrent segment)
reg [8*17-1:0] n_len_m2;
reg [7:0]  n_len_is1;
reg [16:0] n_rows_m2;
reg        n_rows_is1;
reg [2:0]  n_seg1;              // the first segment of a row + 1
reg [15:0] n_cb0;
reg [16:0] n_seg0_len_m2;
reg        n_seg0_is1;
wire [15:0] seg0_len = n_len[n_seg0_pre * 16 +: 16];
always @(posedge clk) begin : ahead3
    integer j;
    n_rows_m2 <= {1'b0, n_rows} - 17'd2;
    n_rows_is1 <= n_rows == 16'd1;
    for (j = 0; j < 8; j = j + 1) begin
        n_len_m2[j * 17 +: 17] <= {1'b0, n_len[j * 16 +: 16]} - 17'd2;
        n_len_is1[j] <= n_len[j * 16 +: 16] == 16'd1;
    end
    n_seg1 <= n_seg0_pre + 1'b1;
    n_cb0 <= (sec_part == 3'd2) ? n_cb0c[n_nseg * 16 +: 16] : 16'd0;
    n_seg0_len_m2 <= {1'b0, seg0_len} - 17'd2;
    n_seg0_is1 <= seg0_len == 16'd1;
end

// ---- elements -------------------------------------------------------------------------------------------------
reg [31:0] el;                  // element index
reg [15:0] el_col;
reg [31:0] words_m2;            // the section's elements minus two
reg        el_nz;               // el != 0
// element mapping counters
reg [2:0]  seg_next;           // the next column segment's index (the current one's + 1, a register: its length
                                //   tables' select starts at a flip-flop)
reg [15:0] e_ci, e_cb, e_c, e_lr, e_r, e_rbg, e_rbgate, e_rowtile, e_gatetile;
reg [16:0] seg_len_m2;          // the current segment's length minus two
// The last-element tests, registers decided one element ahead (x == n - 1 next element: x == n - 2 now; 17 bits so
// that n < 2 never matches, as the 32-bit `x == n - 1` they replace): the section's last element, the row's last
// column, the segment's last column, the column block's last lane, the gate's last row, the row block's last lane.
reg        f_last, f_col, f_seg, f_c, f_row, f_r;
reg [W-1:0] tab_prev;

assign beat_last = (&el[$clog2(WPB)-1:0]) || f_last;       // the beat's last word (WPB a power of two)
assign last = f_last;
wire [W-1:0] el_word = beat_data[el[$clog2(WPB)-1:0] * 32 +: W];

// per-element mapping: the weight tile, the h0 and bias words (the memories' address widths)
/* verilator lint_off UNUSEDSIGNAL */
wire [15:0] map_tile_w = e_rowtile + e_cb;
wire [15:0] map_h0_w = n_h0base + e_rbg;
wire [15:0] map_bias_w = n_bbase + e_rbg;
/* verilator lint_on UNUSEDSIGNAL */

always @(posedge clk) begin : element
    reg row_adv;
    reg col_restart;    // a row's columns start: a section's start, or a weight element at its row's last column
    reg col_step;       // a weight element within its row
    // single-cycle strobes: low unless an element is written this cycle, and low in reset
    wm_we <= 1'b0;
    bm_we <= 1'b0;
    h0_we <= 1'b0;
    tab_we <= 1'b0;
    col_restart = !rst && (start || (beat_valid && sec_w && f_col));
    col_step = !rst && !start && beat_valid && sec_w && !f_col;
    if (rst) begin
        // (the counters are set by every section's start)
    end else if (start) begin
        el <= 0;
        el_nz <= 1'b0;
        words_m2 <= sec_words_in - 32'd2;
        f_last <= sec_words_in == 32'd1;
        e_lr <= 0;
        f_row <= n_rows_is1;
        e_r <= 0;
        f_r <= R == 1;
        e_rbg <= 0;
        e_rbgate <= 0;
        e_rowtile <= n_tbase;
        e_gatetile <= n_tbase;
    end else if (beat_valid) begin
        row_adv = 1'b0;
        el_data <= el_word;
        el_r <= e_r;
        case (sec_part)
            3'd0: begin  // h0
                h0_we <= 1'b1;
                h0_addr <= map_h0_w[H0B-1:0];
                row_adv = 1'b1;
            end
            3'd1, 3'd2: begin  // weight matrix element (row e_lr of gate, column e_ci of segment seg_next - 1)
                wm_we <= 1'b1;
                wm_addr <= map_tile_w[TB-1:0];
                wm_r <= e_r;
                wm_c <= e_c;
                row_adv = f_col;
            end
            3'd3: begin  // bias element
                bm_we <= 1'b1;
                bm_addr <= map_bias_w[RBB-1:0];
                row_adv = 1'b1;
            end
            default: begin  // activation table entry el: write pair {T[el], T[el-1]} at el-1
                tab_prev <= el_word;
                if (el_nz) begin
                    tab_we <= 1'b1;
                    tab_addr <= {sec_tanh, el[KT-1:0] - 1'b1};
                    tab_data <= {el_word, tab_prev};
                end
            end
        endcase
        if (row_adv) begin
            if (f_row) begin
                e_lr <= 0;
                f_row <= n_rows_is1;
                e_r <= 0;
                f_r <= R == 1;
                e_rbgate <= e_rbgate + n_rbh;
                e_rbg <= e_rbgate + n_rbh;
                e_gatetile <= e_gatetile + n_gtile;
                e_rowtile <= e_gatetile + n_gtile;
            end else begin
                e_lr <= e_lr + 1'b1;
                f_row <= {1'b0, e_lr} == n_rows_m2;
                if (f_r) begin
                    e_r <= 0;
                    f_r <= R == 1;
                    e_rbg <= e_rbg + 1'b1;
                    e_rowtile <= e_rowtile + n_ncb;
                end else begin
                    e_r <= e_r + 1'b1;
                    f_r <= {16'd0, e_r} == R - 2;
                end
            end
        end
        el <= el + 1'b1;
        el_nz <= 1'b1;
        f_last <= el == words_m2;
    end
    // column counters (written in one place): a row's columns start at the section's start and after a weight
    // row's last column (W_hh: at the layer's last, recurrent segment); within a row they step by segment, column
    // block and lane
    if (col_restart) begin
        el_col <= 0;
        f_col <= n_cols_is1;
        seg_next <= n_seg1;
        e_cb <= n_cb0;
        seg_len_m2 <= n_seg0_len_m2;
        f_seg <= n_seg0_is1;
        e_ci <= 0;
        e_c <= 0;
        f_c <= C == 1;
    end else if (col_step) begin
        el_col <= el_col + 1'b1;
        f_col <= {1'b0, el_col} == n_cols_m2;
        if (f_seg) begin
            seg_next <= seg_next + 1'b1;
            seg_len_m2 <= n_len_m2[seg_next * 17 +: 17];
            f_seg <= n_len_is1[seg_next];
            e_ci <= 0;
            e_c <= 0;
            f_c <= C == 1;
            e_cb <= e_cb + 1'b1;
        end else begin
            e_ci <= e_ci + 1'b1;
            f_seg <= {1'b0, e_ci} == seg_len_m2;
            if (f_c) begin
                e_c <= 0;
                f_c <= C == 1;
                e_cb <= e_cb + 1'b1;
            end else begin
                e_c <= e_c + 1'b1;
                f_c <= {16'd0, e_c} == C - 2;
            end
        end
    end
end

endmodule

`resetall
