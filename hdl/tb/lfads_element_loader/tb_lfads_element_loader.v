// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Element-loader bench: 60 random geometries (11 layers: 1..20 rows a gate, 1..4 column segments of 1..9 columns,
// column blocks and tile / bias bases as lfads_geometry lays them out), each with 24 random sections of the image
// (every section kind: h0, W_ih, W_hh, bias of the recurrent and linear layers, both activation tables; 1..3 gates,
// columns ending anywhere in a segment), each started 3..5 cycles after its index is set (the run FSM: 5), streamed
// as AXI beats of 16 words with random gaps, a reset now and then (also in the middle of a section). Behavioural
// model: element k of the section as a closed form (row k / cols: gate, row block, row lane; column k mod cols:
// segment and column in it by summing the segment lengths from the section's first segment; tile = tile base +
// gate x tiles per gate + row block x column blocks + the segment's first column block + column / C), the
// section-to-layer map from the contract's names. Checks every cycle: the write strobes, their addresses, lanes and
// data one cycle after each element, beat_last and last.
module tb_lfads_element_loader;

localparam integer R = 8;
localparam integer C = 4;
localparam integer W = 16;
localparam integer AXW = 512;
localparam integer WPB = AXW / 32;
localparam integer VW = 8;
localparam integer TB = 11;
localparam integer RBB = 8;
localparam integer H0B = 6;
localparam integer KT = 10;
localparam integer IMAGES = 60;
localparam integer SECTIONS = 24;
localparam integer MAXEL = 1024;

`include "lfads_contract.vh"

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg              start = 0, beat_valid = 0;
reg  [5:0]       sec = 0;
reg  [31:0]      sec_words_in = 1;
reg  [15:0]      sec_cols_in = 1;
reg  [AXW-1:0]   beat_data = 0;
reg  [11*16-1:0] g_rows_f = 0, g_rbh_f = 0, g_ncb_f = 0, g_tbase_f = 0, g_gtile_f = 0, g_bbase_f = 0;
reg  [11*3-1:0]  g_nseg_f = 0;
reg  [44*16-1:0] s_len_f = 0, s_cb0_f = 0;
wire             beat_last, last, wm_we, bm_we, h0_we, tab_we;
wire [TB-1:0]    wm_addr;
wire [15:0]      wm_r, wm_c, el_r;
wire [RBB-1:0]   bm_addr;
wire [H0B-1:0]   h0_addr;
wire [W-1:0]     el_data;
wire [KT:0]      tab_addr;
wire [2*W-1:0]   tab_data;

lfads_element_loader #(.ROW_LANES(R), .COL_LANES(C), .DATA_WIDTH(W), .AXI_DATA_WIDTH(AXW), .VW(VW), .TB(TB),
                       .RBB(RBB), .H0B(H0B), .KT(KT)) dut (
    .clk(clk), .rst(rst), .start(start), .sec(sec), .sec_words_in(sec_words_in), .sec_cols_in(sec_cols_in),
    .beat_valid(beat_valid), .beat_data(beat_data), .beat_last(beat_last), .last(last), .g_rows_f(g_rows_f),
    .g_rbh_f(g_rbh_f), .g_ncb_f(g_ncb_f), .g_tbase_f(g_tbase_f), .g_gtile_f(g_gtile_f), .g_bbase_f(g_bbase_f),
    .g_nseg_f(g_nseg_f), .s_len_f(s_len_f), .s_cb0_f(s_cb0_f), .wm_we(wm_we), .wm_addr(wm_addr), .wm_r(wm_r),
    .wm_c(wm_c), .bm_we(bm_we), .bm_addr(bm_addr), .h0_we(h0_we), .h0_addr(h0_addr), .el_r(el_r),
    .el_data(el_data), .tab_we(tab_we), .tab_addr(tab_addr), .tab_data(tab_data));

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EEDE1E1;

integer checks = 0, errors = 0, n_w = 0, n_whh = 0, n_b = 0, n_h0 = 0, n_tab = 0, sections = 0, resets = 0;
integer gate_wraps = 0, seg_steps = 0;
reg [31:0] checksum = 0;

// geometry (model copies)
integer rows [0:10];
integer rbh [0:10];
integer nseg [0:10];
integer ncb [0:10];
integer tbase [0:10];
integer gtile [0:10];
integer bbase [0:10];
integer slen [0:43];
integer scb0 [0:43];
// the section's elements
reg [31:0] val [0:MAXEL-1];

// section -> layer, part (0 h0, 1 W_ih, 2 W_hh, 3 bias, 4 table), from the contract's section and layer names
task sec_layer(input integer s, output integer l, output integer part);
    begin
        part = 4; l = 0;
        case (s)
            LFADS_S_IC_FWD_H0, LFADS_S_IC_FWD_WIH, LFADS_S_IC_FWD_WHH, LFADS_S_IC_FWD_B: l = LFADS_LAYER_IC_FWD;
            LFADS_S_IC_BWD_H0, LFADS_S_IC_BWD_WIH, LFADS_S_IC_BWD_WHH, LFADS_S_IC_BWD_B: l = LFADS_LAYER_IC_BWD;
            LFADS_S_CI_FWD_H0, LFADS_S_CI_FWD_WIH, LFADS_S_CI_FWD_WHH, LFADS_S_CI_FWD_B: l = LFADS_LAYER_CI_FWD;
            LFADS_S_CI_BWD_H0, LFADS_S_CI_BWD_WIH, LFADS_S_CI_BWD_WHH, LFADS_S_CI_BWD_B: l = LFADS_LAYER_CI_BWD;
            LFADS_S_CON_H0, LFADS_S_CON_WIH, LFADS_S_CON_WHH, LFADS_S_CON_B: l = LFADS_LAYER_CON;
            LFADS_S_CO_W, LFADS_S_CO_B: l = LFADS_LAYER_CO;
            LFADS_S_IC_LIN_W, LFADS_S_IC_LIN_B: l = LFADS_LAYER_IC_LIN;
            LFADS_S_G0_W, LFADS_S_G0_B: l = LFADS_LAYER_G0;
            LFADS_S_GEN_WIH, LFADS_S_GEN_WHH, LFADS_S_GEN_B: l = LFADS_LAYER_GEN;
            LFADS_S_FAC_W: l = LFADS_LAYER_FAC;
            LFADS_S_RO_W, LFADS_S_RO_B: l = LFADS_LAYER_RO;
            default: l = 0;
        endcase
        case (s)
            LFADS_S_IC_FWD_H0, LFADS_S_IC_BWD_H0, LFADS_S_CI_FWD_H0, LFADS_S_CI_BWD_H0, LFADS_S_CON_H0: part = 0;
            LFADS_S_IC_FWD_WIH, LFADS_S_IC_BWD_WIH, LFADS_S_CI_FWD_WIH, LFADS_S_CI_BWD_WIH, LFADS_S_CON_WIH,
            LFADS_S_CO_W, LFADS_S_IC_LIN_W, LFADS_S_G0_W, LFADS_S_GEN_WIH, LFADS_S_FAC_W, LFADS_S_RO_W: part = 1;
            LFADS_S_IC_FWD_WHH, LFADS_S_IC_BWD_WHH, LFADS_S_CI_FWD_WHH, LFADS_S_CI_BWD_WHH, LFADS_S_CON_WHH,
            LFADS_S_GEN_WHH: part = 2;
            LFADS_S_IC_FWD_B, LFADS_S_IC_BWD_B, LFADS_S_CI_FWD_B, LFADS_S_CI_BWD_B, LFADS_S_CON_B, LFADS_S_CO_B,
            LFADS_S_IC_LIN_B, LFADS_S_G0_B, LFADS_S_GEN_B, LFADS_S_RO_B: part = 3;
            default: part = 4;
        endcase
    end
endtask

task new_geometry;
    integer l, j;
    begin
        for (l = 0; l < 11; l = l + 1) begin
            rng = tb_xorshift32(rng);
            rows[l] = 1 + rng[4:0] % 20;
            rbh[l] = (rows[l] + R - 1) / R;
            nseg[l] = 1 + rng[6:5];
            tbase[l] = rng[15:7];
            bbase[l] = rng[21:16];
            ncb[l] = 0;
            for (j = 0; j < 4; j = j + 1) begin
                rng = tb_xorshift32(rng);
                slen[l * 4 + j] = (j < nseg[l]) ? 1 + rng[3:0] % 9 : rng[7:4];
                scb0[l * 4 + j] = ncb[l];
                if (j < nseg[l]) ncb[l] = ncb[l] + (slen[l * 4 + j] + C - 1) / C;
            end
            gtile[l] = rbh[l] * ncb[l];
            g_rows_f[l*16 +: 16] = rows[l];
            g_rbh_f[l*16 +: 16] = rbh[l];
            g_ncb_f[l*16 +: 16] = ncb[l];
            g_tbase_f[l*16 +: 16] = tbase[l];
            g_gtile_f[l*16 +: 16] = gtile[l];
            g_bbase_f[l*16 +: 16] = bbase[l];
            g_nseg_f[l*3 +: 3] = nseg[l];
            for (j = 0; j < 4; j = j + 1) begin
                s_len_f[(l*4 + j)*16 +: 16] = slen[l * 4 + j];
                s_cb0_f[(l*4 + j)*16 +: 16] = scb0[l * 4 + j];
            end
        end
    end
endtask

task fail(input [8*16-1:0] what);
    begin
        errors = errors + 1;
        if (errors < 10) $display("ERROR image %0d section %0d (sec %0d) element %0d: %0s (data %h, expected %h)", img, si, sec, k, what, el_data, x_data);
    end
endtask

// the expected write of element e of the current section (layer sl, part sp, sc columns)
reg          x_wm, x_bm, x_h0, x_tab;
reg [TB-1:0] x_waddr;
reg [15:0]   x_r, x_c;
reg [RBB-1:0] x_baddr;
reg [H0B-1:0] x_haddr;
reg [W-1:0]  x_data;
reg [KT:0]   x_taddr;
reg [2*W-1:0] x_tdata;
integer sl, sp, sc, sg;
task expect_element(input integer e);
    integer i, jj, gate, lr, rb, s, cum;
    begin
        x_wm = 0; x_bm = 0; x_h0 = 0; x_tab = 0;
        x_data = val[e][W-1:0];
        i = (sp == 1 || sp == 2) ? e / sc : e;
        jj = (sp == 1 || sp == 2) ? e % sc : 0;
        gate = i / rows[sl];
        lr = i % rows[sl];
        rb = lr / R;
        x_r = lr % R;
        if (sp == 0) begin
            x_h0 = 1;
            x_haddr = sl * VW + gate * rbh[sl] + rb;
        end else if (sp == 3) begin
            x_bm = 1;
            x_baddr = bbase[sl] + gate * rbh[sl] + rb;
        end else if (sp == 4) begin
            x_tab = e != 0;
            x_taddr = {sec == LFADS_S_TANH_TABLE, e[KT-1:0] - 1'b1};
            x_tdata = (e != 0) ? {val[e][W-1:0], val[e - 1][W-1:0]} : 0;
        end else begin
            x_wm = 1;
            s = (sp == 2) ? nseg[sl] - 1 : 0;
            cum = 0;
            while (jj >= cum + slen[sl * 4 + s]) begin
                cum = cum + slen[sl * 4 + s];
                s = s + 1;
            end
            x_c = (jj - cum) % C;
            x_waddr = tbase[sl] + gate * gtile[sl] + rb * ncb[sl] + scb0[sl * 4 + s] + (jj - cum) / C;
        end
    end
endtask

integer img, si, k, nwords, b, seg_cols, abort_at;
reg took, x_beat_last, x_last;
reg [AXW-1:0] beat;
initial begin
    repeat (2) @(posedge clk);
    #1 rst = 0;
    for (img = 0; img < IMAGES; img = img + 1) begin
        new_geometry;
        for (si = 0; si < SECTIONS; si = si + 1) begin
            // the section: kind, layer, gates, columns; its words
            rng = tb_xorshift32(rng);
            sec = rng[5:0] % LFADS_SECTION_COUNT;
            sec_layer(sec, sl, sp);
            sg = 1 + rng[7:6] % 3;
            if (sp == 0) sg = 1;
            seg_cols = 0;
            for (b = (sp == 2) ? nseg[sl] - 1 : 0; b < nseg[sl]; b = b + 1) seg_cols = seg_cols + slen[sl * 4 + b];
            sc = (sp == 1 || sp == 2) ? 1 + rng[15:8] % seg_cols : 1;
            nwords = (sp == 4) ? 2 + rng[21:16] % 40 : sg * rows[sl] * sc;
            abort_at = (rng[31:27] == 0) ? rng[26:22] % nwords : -1;
            for (b = 0; b < nwords; b = b + 1) begin
                rng = tb_xorshift32(rng);
                val[b] = rng;
            end
            // start, 3..5 cycles after the section's index and columns (the loader registers its values from them
            // in three stages; the run FSM waits 5 cycles for its size multiplier)
            sec_words_in = nwords;
            sec_cols_in = sc;
            rng = tb_xorshift32(rng);
            repeat (3 + rng[1:0] % 3) begin
                @(posedge clk); #1;
                checks = checks + 1;
                if (wm_we || bm_we || h0_we || tab_we) fail("idle write");
            end
            start = 1;
            @(posedge clk); #1;
            start = 0;
            checks = checks + 1;
            if (wm_we || bm_we || h0_we || tab_we) fail("write at start");
            sections = sections + 1;
            k = 0;
            while (k < nwords) begin
                rng = tb_xorshift32(rng);
                beat_valid = rng[2:0] != 0;
                rst = k == abort_at && rng[3];
                // (the beat built whole, then assigned at once: Verilator 5.006 missed the element select's update
                // after part-select writes to the DUT's input in a loop)
                for (b = 0; b < WPB; b = b + 1)
                    beat[b*32 +: 32] = ((k / WPB) * WPB + b < nwords) ? val[(k / WPB) * WPB + b] : rng ^ b;
                beat_data = beat;
                #1;
                x_beat_last = (k % WPB == WPB - 1) || k == nwords - 1;
                x_last = k == nwords - 1;
                checks = checks + 1;
                if (beat_last !== x_beat_last || last !== x_last) fail("beat_last / last");
                took = beat_valid && !rst;
                if (took) expect_element(k);
                @(posedge clk); #1;
                // the write of the element taken at this edge
                checks = checks + 1;
                if (!took) begin
                    if (wm_we || bm_we || h0_we || tab_we) fail("write without element");
                end else begin
                    if (wm_we !== x_wm || bm_we !== x_bm || h0_we !== x_h0 || tab_we !== x_tab) fail("strobes");
                    if (x_wm && (wm_addr !== x_waddr || wm_r !== x_r || wm_c !== x_c || el_data !== x_data)) fail("weight");
                    if (x_bm && (bm_addr !== x_baddr || el_r !== x_r || el_data !== x_data)) fail("bias");
                    if (x_h0 && (h0_addr !== x_haddr || el_r !== x_r || el_data !== x_data)) fail("h0");
                    if (x_tab && (tab_addr !== x_taddr || tab_data !== x_tdata)) fail("table");
                    if (x_wm) begin n_w = n_w + 1; if (sp == 2) n_whh = n_whh + 1; end
                    if (x_bm) n_b = n_b + 1;
                    if (x_h0) n_h0 = n_h0 + 1;
                    if (x_tab) n_tab = n_tab + 1;
                    // (only the written kind's fields: the others hold older, possibly never-set values)
                    checksum = tb_xorshift32(checksum ^ {wm_we, bm_we, h0_we, tab_we}
                                             ^ (wm_we ? {wm_addr, wm_c[3:0], wm_r[3:0], el_data} : 32'd0)
                                             ^ (bm_we ? {bm_addr, el_r[7:0], el_data} : 32'd0)
                                             ^ (h0_we ? {h0_addr, el_r[7:0], el_data} : 32'd0)
                                             ^ (tab_we ? {tab_addr, tab_data[20:0]} : 32'd0));
                    k = k + 1;
                end
                if (rst) begin
                    resets = resets + 1;
                    rst = 0;
                    k = nwords;                   // the section is abandoned; the next one starts afresh
                end
            end
            beat_valid = 0;
        end
    end
    if (errors == 0 && n_w > 20000 && n_whh > 3000 && n_b > 2000 && n_h0 > 500 && n_tab > 500 && resets > 10)
        $display("PASS lfads_element_loader: %0d checks, %0d sections (%0d abandoned by a reset), %0d weight (%0d W_hh), %0d bias, %0d h0, %0d table writes, checksum %h",
                 checks, sections, resets, n_w, n_whh, n_b, n_h0, n_tab, checksum);
    else
        $display("FAIL lfads_element_loader: %0d errors (%0d weight, %0d W_hh, %0d bias, %0d h0, %0d table, %0d resets)",
                 errors, n_w, n_whh, n_b, n_h0, n_tab, resets);
    $finish;
end

endmodule
`resetall
