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

reg [3:0]  sec_l;               // the section's layer
reg [2:0]  sec_part;            // 0 H0, 1 WIH, 2 WHH, 3 B, 4 TAB
reg        sec_tanh;
reg [31:0] sec_words, el;       // elements in section, element index
reg [15:0] sec_cols, el_col;
// element mapping counters
reg [2:0]  e_seg;
reg [15:0] e_ci, e_cb, e_c, e_lr, e_r, e_rbg, e_rbgate, e_rowtile, e_gatetile;
reg [W-1:0] tab_prev;

assign beat_last = (el[$clog2(WPB)-1:0] == WPB - 1) || (el == sec_words - 1);
assign last = el == sec_words - 1;
wire [W-1:0] el_word = beat_data[el[$clog2(WPB)-1:0] * 32 +: W];

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

// per-element mapping (combinational)
reg [TB-1:0]  map_tile;
always @* begin
    map_tile = e_rowtile + e_cb;
end

always @(posedge clk) begin : element
    integer l, part;
    reg row_adv;
    // single-cycle strobes: low unless an element is written this cycle, and low in reset
    wm_we <= 1'b0;
    bm_we <= 1'b0;
    h0_we <= 1'b0;
    tab_we <= 1'b0;
    if (rst) begin
        // (the counters are set by every section's start)
    end else if (start) begin
        sec_map(sec, l, part);
        sec_l <= l;
        sec_part <= part;
        sec_tanh <= sec == LFADS_S_TANH_TABLE;
        sec_words <= sec_words_in;
        sec_cols <= sec_cols_in;
        el <= 0;
        el_col <= 0;
        // column counters: WHH starts at the layer's last (recurrent) segment
        e_seg <= (part == 2) ? g_nseg_f[(l) * 3 +: 3] - 1 : 0;
        e_cb <= (part == 2) ? s_cb0_f[(l * 4 + g_nseg_f[(l) * 3 +: 3] - 1) * 16 +: 16] : 0;
        e_ci <= 0;
        e_c <= 0;
        e_lr <= 0;
        e_r <= 0;
        e_rbg <= 0;
        e_rbgate <= 0;
        e_rowtile <= g_tbase_f[(l) * 16 +: 16];
        e_gatetile <= g_tbase_f[(l) * 16 +: 16];
    end else if (beat_valid) begin
        row_adv = 1'b0;
        el_data <= el_word;
        el_r <= e_r;
        case (sec_part)
            3'd0: begin  // h0
                h0_we <= 1'b1;
                h0_addr <= sec_l * VW + e_rbg;
                row_adv = 1'b1;
            end
            3'd1, 3'd2: begin  // weight matrix element (row e_lr of gate, column e_ci of segment e_seg)
                wm_we <= 1'b1;
                wm_addr <= map_tile;
                wm_r <= e_r;
                wm_c <= e_c;
                if (el_col == sec_cols - 1) begin
                    el_col <= 0;
                    row_adv = 1'b1;
                    e_seg <= (sec_part == 2) ? g_nseg_f[(sec_l) * 3 +: 3] - 1 : 0;
                    e_cb <= (sec_part == 2) ? s_cb0_f[(sec_l * 4 + g_nseg_f[(sec_l) * 3 +: 3] - 1) * 16 +: 16] : 0;
                    e_ci <= 0;
                    e_c <= 0;
                end else begin
                    el_col <= el_col + 1'b1;
                    if (e_ci == s_len_f[(sec_l * 4 + e_seg) * 16 +: 16] - 1) begin
                        e_seg <= e_seg + 1'b1;
                        e_ci <= 0;
                        e_c <= 0;
                        e_cb <= e_cb + 1'b1;
                    end else begin
                        e_ci <= e_ci + 1'b1;
                        if (e_c == C - 1) begin
                            e_c <= 0;
                            e_cb <= e_cb + 1'b1;
                        end else begin
                            e_c <= e_c + 1'b1;
                        end
                    end
                end
            end
            3'd3: begin  // bias element
                bm_we <= 1'b1;
                bm_addr <= g_bbase_f[(sec_l) * 16 +: 16] + e_rbg;
                row_adv = 1'b1;
            end
            default: begin  // activation table entry el: write pair {T[el], T[el-1]} at el-1
                tab_prev <= el_word;
                if (el != 0) begin
                    tab_we <= 1'b1;
                    tab_addr <= {sec_tanh, el[KT-1:0] - 1'b1};
                    tab_data <= {el_word, tab_prev};
                end
            end
        endcase
        if (row_adv) begin
            if (e_lr == g_rows_f[(sec_l) * 16 +: 16] - 1) begin
                e_lr <= 0;
                e_r <= 0;
                e_rbgate <= e_rbgate + g_rbh_f[(sec_l) * 16 +: 16];
                e_rbg <= e_rbgate + g_rbh_f[(sec_l) * 16 +: 16];
                e_gatetile <= e_gatetile + g_gtile_f[(sec_l) * 16 +: 16];
                e_rowtile <= e_gatetile + g_gtile_f[(sec_l) * 16 +: 16];
            end else begin
                e_lr <= e_lr + 1'b1;
                if (e_r == R - 1) begin
                    e_r <= 0;
                    e_rbg <= e_rbg + 1'b1;
                    e_rowtile <= e_rowtile + g_ncb_f[(sec_l) * 16 +: 16];
                end else begin
                    e_r <= e_r + 1'b1;
                end
            end
        end
        el <= el + 1'b1;
    end
end

endmodule

`resetall
