// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Geometry bench: 150 random image headers (every dimension 0..300, zero for absent parts now and then; random
// format fractions, accumulator fractions per layer and section fractions), each latched and checked against a
// behavioural model written from the layer wiring (docs/kernel-numerics.md): per layer the non-empty column
// segments in order (source, slot, length, column blocks, first column block, alignment shift), rows, row blocks,
// column blocks, first tile / gate-n tile / tiles per gate, first bias row block, bias shift, requantize shifts;
// the image's tile and row-block totals; `busy` high for exactly 11 + 8 cycles (one layer a cycle into a 9-stage
// pipeline); a latch in the middle of a walk now and then (the new walk must give the same tables). 16-bit table fields are
// compared modulo 2^16 (the RTL's widths), the shifts at their widths.
module tb_lfads_geometry;

`include "lfads_contract.vh"
localparam integer R = 8;
localparam integer C = 4;
localparam integer HDR_KEEP = LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT;
localparam integer HEADERS = 150;
localparam integer GEO_CYCLES = 19;     // 11 layers into a 9-stage pipeline

reg clk = 0;
always #5 clk = ~clk;

reg                     latch = 0;
reg  [32*HDR_KEEP-1:0]  hdr = 0;
wire                    busy;
wire [31:0]             tiles, rbs;
wire [11*16-1:0] g_rows_f, g_rbh_f, g_ncb_f, g_tbase_f, g_tbn_f, g_gtile_f, g_bbase_f;
wire [11*3-1:0]  g_nseg_f;
wire [11*8-1:0]  g_bsh_f, g_k1_f, g_k2_f;
wire [44*3-1:0]  s_src_f;
wire [44*5-1:0]  s_slot_f;
wire [44*16-1:0] s_len_f, s_ncb_f, s_cb0_f;
wire [44*7-1:0]  s_sh_f;

lfads_geometry #(.ROW_LANES(R), .COL_LANES(C), .HDR_BITS(32 * HDR_KEEP)) dut (
    .clk(clk), .latch(latch), .hdr_bits(hdr), .busy(busy), .tiles(tiles), .row_blocks_total(rbs),
    .g_rows_f(g_rows_f), .g_rbh_f(g_rbh_f), .g_ncb_f(g_ncb_f), .g_tbase_f(g_tbase_f), .g_tbn_f(g_tbn_f),
    .g_gtile_f(g_gtile_f), .g_bbase_f(g_bbase_f), .g_nseg_f(g_nseg_f), .g_bsh_f(g_bsh_f), .g_k1_f(g_k1_f),
    .g_k2_f(g_k2_f), .s_src_f(s_src_f), .s_slot_f(s_slot_f), .s_len_f(s_len_f), .s_ncb_f(s_ncb_f),
    .s_cb0_f(s_cb0_f), .s_sh_f(s_sh_f));

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED6E0D;

integer checks = 0, errors = 0, segs_total = 0;
reg [31:0] checksum = 0;

function integer hw(input integer i);
    hw = $signed(hdr[32*i +: 32]);
endfunction
function integer sec_frac(input integer s);
    sec_frac = $signed(hdr[32*(LFADS_H_SECTION_TABLE + LFADS_SECTION_ENTRY_WORDS * s + LFADS_SECTION_FRAC) +: 32]);
endfunction

task expect_eq(input integer got, input integer exp, input integer bits, input [8*10-1:0] what, input integer l);
    begin
        checks = checks + 1;
        checksum = tb_xorshift32(checksum ^ got);
        if (((got ^ exp) & ((1 << bits) - 1)) != 0) begin
            errors = errors + 1;
            if (errors < 12) $display("ERROR layer/segment %0d: %0s %0d, expected %0d (mod 2^%0d)", l, what, got, exp, bits);
        end
    end
endtask

// the layer wiring: segment j of layer l (src < 0: none)
task wiring(input integer l, input integer j, output integer src, output integer slot, output integer len,
            output integer fx, output integer wsec);
    begin
        src = -1; slot = 0; len = 0; fx = 0; wsec = 0;
        if (l < 4) begin
            // encoders: spikes, then their own hidden state
            if (j == 0) begin src = 0; len = hw(LFADS_H_N_IN); wsec = 4 * l + 1; end
            if (j == 1) begin src = 4; len = hw(l < 2 ? LFADS_H_H_ICENC : LFADS_H_H_CIENC); fx = hw(LFADS_H_FRAC_STATE); wsec = 4 * l + 2; end
        end else if (l == 4) begin
            // controller: CI forward, CI backward, previous factors (state format), own hidden state
            if (j == 0) begin src = 2; len = hw(LFADS_H_H_CIENC); fx = hw(LFADS_H_FRAC_STATE); wsec = LFADS_S_CON_WIH; end
            if (j == 1) begin src = 3; len = hw(LFADS_H_H_CIENC); fx = hw(LFADS_H_FRAC_STATE); wsec = LFADS_S_CON_WIH; end
            if (j == 2) begin src = 1; slot = 21; len = hw(LFADS_H_FAC_DIM); fx = hw(LFADS_H_FRAC_STATE); wsec = LFADS_S_CON_WIH; end
            if (j == 3) begin src = 4; len = hw(LFADS_H_H_CON); fx = hw(LFADS_H_FRAC_STATE); wsec = LFADS_S_CON_WHH; end
        end else if (l == 5) begin
            if (j == 0) begin src = 1; slot = 19; len = hw(LFADS_H_CO_DIM); fx = hw(LFADS_H_FRAC_CO); wsec = LFADS_S_GEN_WIH; end
            if (j == 1) begin src = 4; len = hw(LFADS_H_H_GEN); fx = hw(LFADS_H_FRAC_STATE); wsec = LFADS_S_GEN_WHH; end
        end else if (l == 6) begin
            if (j < 2) begin src = 1; slot = j; len = hw(LFADS_H_H_ICENC); fx = hw(LFADS_H_FRAC_STATE); wsec = LFADS_S_IC_LIN_W; end
        end else if (j == 0) begin
            case (l)
                7: begin src = 1; slot = 18; len = hw(LFADS_H_IC_DIM); fx = hw(LFADS_H_FRAC_IC); wsec = LFADS_S_G0_W; end
                8: begin src = 1; slot = 4; len = hw(LFADS_H_H_CON); fx = hw(LFADS_H_FRAC_STATE); wsec = LFADS_S_CO_W; end
                9: begin src = 1; slot = 5; len = hw(LFADS_H_H_GEN); fx = hw(LFADS_H_FRAC_STATE); wsec = LFADS_S_FAC_W; end
                default: begin src = 1; slot = 20; len = hw(LFADS_H_FAC_DIM); fx = hw(LFADS_H_FRAC_FAC); wsec = LFADS_S_RO_W; end
            endcase
        end
    end
endtask

integer h, i, l, j, n, k, src, slot, len, fx, wsec, rows, rbh, ncb, gates, acc, e_tiles, e_rbs, bsec, yfrac, cyc;
initial begin
    for (h = 0; h < HEADERS; h = h + 1) begin
        // a random header
        for (i = 0; i < HDR_KEEP; i = i + 1) begin
            rng = tb_xorshift32(rng);
            hdr[32*i +: 32] = rng;
        end
        for (i = LFADS_H_N_IN; i <= LFADS_H_FAC_DIM; i = i + 1) begin
            rng = tb_xorshift32(rng);
            hdr[32*i +: 32] = (rng[3:0] == 0) ? 0 : rng[31:8] % 301;
        end
        for (i = LFADS_H_FRAC_STATE; i <= LFADS_H_FRAC_LOGRATE; i = i + 1) begin
            rng = tb_xorshift32(rng);
            hdr[32*i +: 32] = rng % 16;
        end
        for (i = 0; i < 11; i = i + 1) begin
            rng = tb_xorshift32(rng);
            hdr[32*(LFADS_H_ACC_FRAC_BASE + i) +: 32] = 16 + rng % 24;
        end
        for (i = 0; i < LFADS_SECTION_COUNT; i = i + 1) begin
            rng = tb_xorshift32(rng);
            hdr[32*(LFADS_H_SECTION_TABLE + LFADS_SECTION_ENTRY_WORDS * i + LFADS_SECTION_FRAC) +: 32] = rng % 16;
        end
        // latch; busy for exactly GEO_CYCLES cycles (sometimes after an interrupted walk)
        rng = tb_xorshift32(rng);
        if (rng[2:0] == 0) begin
            @(posedge clk); #1 latch = 1;
            @(posedge clk); #1 latch = 0;
            repeat (1 + rng[7:3] % (GEO_CYCLES - 1)) @(posedge clk);
            #1;
        end
        @(posedge clk); #1 latch = 1;
        @(posedge clk); #1 latch = 0;
        cyc = 0;
        while (busy && cyc < 100) begin @(posedge clk); #1 cyc = cyc + 1; end
        expect_eq(cyc, GEO_CYCLES, 32, "busy cyc", -1);
        // the model
        e_tiles = 0;
        e_rbs = 0;
        for (l = 0; l < 11; l = l + 1) begin
            case (l)
                0, 1: rows = hw(LFADS_H_H_ICENC);
                2, 3: rows = hw(LFADS_H_H_CIENC);
                4: rows = hw(LFADS_H_H_CON);
                5, 7: rows = hw(LFADS_H_H_GEN);
                6: rows = hw(LFADS_H_IC_DIM);
                8: rows = hw(LFADS_H_CO_DIM);
                9: rows = hw(LFADS_H_FAC_DIM);
                default: rows = hw(LFADS_H_N_OUT);
            endcase
            rbh = (rows + R - 1) / R;
            gates = (l < 6) ? 3 : 1;
            acc = hw(LFADS_H_ACC_FRAC_BASE + l);
            n = 0;
            ncb = 0;
            for (j = 0; j < 4; j = j + 1) begin
                wiring(l, j, src, slot, len, fx, wsec);
                if (src >= 0 && len > 0) begin
                    k = 4 * l + n;
                    expect_eq(s_src_f[k*3 +: 3], src, 3, "src", k);
                    expect_eq(s_slot_f[k*5 +: 5], slot, 5, "slot", k);
                    expect_eq(s_len_f[k*16 +: 16], len, 16, "len", k);
                    expect_eq(s_ncb_f[k*16 +: 16], (len + C - 1) / C, 16, "ncb", k);
                    expect_eq(s_cb0_f[k*16 +: 16], ncb, 16, "cb0", k);
                    expect_eq(s_sh_f[k*7 +: 7], acc - sec_frac(wsec) - fx, 7, "shift", k);
                    ncb = ncb + (len + C - 1) / C;
                    n = n + 1;
                    segs_total = segs_total + 1;
                end
            end
            expect_eq(g_nseg_f[l*3 +: 3], n, 3, "nseg", l);
            expect_eq(g_rows_f[l*16 +: 16], rows, 16, "rows", l);
            expect_eq(g_rbh_f[l*16 +: 16], rbh, 16, "rbh", l);
            expect_eq(g_ncb_f[l*16 +: 16], ncb, 16, "ncb", l);
            expect_eq(g_tbase_f[l*16 +: 16], e_tiles, 16, "tbase", l);
            expect_eq(g_tbn_f[l*16 +: 16], e_tiles + 2 * rbh * ncb, 16, "tbn", l);
            expect_eq(g_gtile_f[l*16 +: 16], rbh * ncb, 16, "gtile", l);
            expect_eq(g_bbase_f[l*16 +: 16], e_rbs, 16, "bbase", l);
            case (l)
                0, 1, 2, 3: bsec = 4 * l + 3;
                4: bsec = LFADS_S_CON_B;
                5: bsec = LFADS_S_GEN_B;
                6: bsec = LFADS_S_IC_LIN_B;
                7: bsec = LFADS_S_G0_B;
                8: bsec = LFADS_S_CO_B;
                10: bsec = LFADS_S_RO_B;
                default: bsec = -1;
            endcase
            expect_eq(g_bsh_f[l*8 +: 8], (bsec >= 0) ? acc - sec_frac(bsec) : 0, 8, "bias shift", l);
            case (l)
                6: yfrac = hw(LFADS_H_FRAC_IC);
                7: yfrac = hw(LFADS_H_FRAC_STATE);
                8: yfrac = hw(LFADS_H_FRAC_CO);
                9: yfrac = hw(LFADS_H_FRAC_FAC);
                10: yfrac = hw(LFADS_H_FRAC_LOGRATE);
                default: yfrac = hw(LFADS_H_FRAC_PRE);
            endcase
            expect_eq(g_k1_f[l*8 +: 8], acc - yfrac, 8, "k1", l);
            expect_eq(g_k2_f[l*8 +: 8], acc - hw(LFADS_H_FRAC_STATE), 8, "k2", l);
            e_tiles = e_tiles + gates * rbh * ncb;
            e_rbs = e_rbs + gates * rbh;
        end
        expect_eq(tiles, e_tiles, 32, "tiles", -1);
        expect_eq(rbs, e_rbs, 32, "row blocks", -1);
    end
    if (errors == 0 && segs_total > 1000)
        $display("PASS lfads_geometry: %0d checks, %0d headers, %0d segments, checksum %h", checks, HEADERS, segs_total,
                 checksum);
    else
        $display("FAIL lfads_geometry: %0d errors (%0d segments)", errors, segs_total);
    $finish;
end

endmodule
`resetall
