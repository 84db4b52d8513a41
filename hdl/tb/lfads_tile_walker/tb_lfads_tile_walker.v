// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Tile-walker bench: 240 runs, each with a random geometry (11 layers: 1..4 row blocks per gate, 1..4 column segments
// of 1..3 column blocks, random tile / bias bases; the encoder layers' first segment of in_blocks column blocks, as the
// image loader lays them out), a random window (T_enc 1..8 bins, byte and projection-ring strides, first bins anywhere
// in the ring, leading zero bins, projections kept or not), started and then driven for 400 cycles by a random pass
// stream (descriptors held until the walker takes or skips them; go, pc_valid, nx_ready and step_next random; nx_ready
// as the scoreboard's register, any value in any cycle), a reset now and then. Behavioural model: the pass's k-th
// issued tile as a closed form (row block rb, column block cb: tile = first tile + rb * ncb + cb, segment and column
// block in it by summing segment sizes, bias = bias base + rb, the bins as (first + steps * stride) mod window). Checks
// every cycle: do_load, do_skip, advance (either; and the copies), issue, and while a pass is active every field of the tile (layer,
// kind, step, bin byte, tile, bias, rb, cb, cbs, seg, first, cached, cap, projection-ring entry, last column / row
// block, destinations, the layer's stage-A values).
module tb_lfads_tile_walker;

localparam integer NSB = 23;
localparam integer PB = 12;
localparam integer VW = 5;              // words per slot: not a power of two (the multiply is checked)
localparam integer CIH_BOFF = 32;
localparam integer LTW = 21;            // the engine's per-layer stage-A values: opaque, random here
localparam integer RUNS = 240;
localparam integer RUN_CYCLES = 400;

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg              start = 0;
reg  [31:0]      win_fbase0 = 0, win_bbase0 = 0, win_pf0 = 0, win_pb0 = 0;
reg  [31:0]      enc_stride = 1, enc_end = 1, proj_stride = 1, proj_ring = 1;
reg              proj_on = 0;
reg  [15:0]      in_blocks = 0, in_blocks_p1 = 1, pad_bins = 0;
reg  [11*16-1:0] g_rbh_f = 0, g_ncb_f = 0, g_tbase_f = 0, g_tbn_f = 0, g_bbase_f = 0;
reg  [44*16-1:0] s_ncb_f = 0, s_len_f = 0;
reg  [44*3-1:0]  s_src_f = 0;
reg  [44*5-1:0]  s_slot_f = 0;
reg  [44*7-1:0]  s_sh_f = 0;
reg  [15:0]      ci_lag = 0;
reg  [11*LTW-1:0] g_ltag_f = 0;
reg              pc_valid = 0, pc_step_next = 0, nx_skip = 0, nx_fac0 = 0, nx_emit = 0, nx_newest = 0, nx_ready = 0, go = 0;
reg  [3:0]       nx_l = 0, pc_l = 0;
reg  [1:0]       nx_kind = 0, pc_kind = 0;
reg  [15:0]      nx_t = 0;
reg  [NSB-1:0]   nx_dst = 0;
wire             do_load, do_skip, advance, sb_advance, sb_load, issue;
wire             cur_active, cur_fac0, cur_emit, cur_first, cur_cached, cur_cap, cur_last_cb, cur_last_rb;
wire [3:0]       cur_l;
wire [1:0]       cur_kind;
wire [15:0]      cur_t, cur_rb, cur_cb, cur_cbs, cur_tile, cur_bias;
wire [31:0]      cur_tbase;
wire [2:0]       cur_seg;
wire [NSB-1:0]   cur_dst;
wire [PB-1:0]    cur_paddr;
wire [2:0]       cur_src;
wire [6:0]       cur_ssh;
wire [15:0]      cur_slen, cur_swb, cur_cih_f, cur_cih_b, cur_cih_v;
wire [LTW-1:0]   cur_ltag;

lfads_tile_walker #(.SB_BITS(NSB), .PB(PB), .VW(VW), .CIH_BOFF(CIH_BOFF), .LTW(LTW)) dut (
    .clk(clk), .rst(rst), .start(start), .win_fbase0(win_fbase0), .win_bbase0(win_bbase0), .win_pf0(win_pf0),
    .win_pb0(win_pb0), .enc_stride(enc_stride), .enc_end(enc_end), .proj_stride(proj_stride), .proj_ring(proj_ring),
    .proj_on(proj_on), .in_blocks(in_blocks), .in_blocks_p1(in_blocks_p1), .pad_bins(pad_bins),
    .g_rbh_f(g_rbh_f), .g_ncb_f(g_ncb_f), .g_tbase_f(g_tbase_f), .g_tbn_f(g_tbn_f), .g_bbase_f(g_bbase_f),
    .s_ncb_f(s_ncb_f), .s_src_f(s_src_f), .s_slot_f(s_slot_f), .s_len_f(s_len_f), .s_sh_f(s_sh_f), .ci_lag(ci_lag), .g_ltag_f(g_ltag_f),
    .pc_valid(pc_valid), .pc_step_next(pc_step_next), .pc_l(pc_l), .pc_kind(pc_kind), .nx_skip(nx_skip), .nx_l(nx_l),
    .nx_kind(nx_kind), .nx_t(nx_t), .nx_fac0(nx_fac0), .nx_emit(nx_emit), .nx_newest(nx_newest), .nx_dst(nx_dst), .nx_ready(nx_ready),
    .go(go), .go_ld(go), .go_sb(go), .do_load(do_load), .do_skip(do_skip), .advance(advance),
    .sb_advance(sb_advance), .sb_load(sb_load), .issue(issue), .cur_active(cur_active), .cur_l(cur_l),
    .cur_kind(cur_kind), .cur_t(cur_t), .cur_tbase(cur_tbase), .cur_fac0(cur_fac0), .cur_emit(cur_emit),
    .cur_dst(cur_dst), .cur_rb(cur_rb), .cur_cb(cur_cb), .cur_cbs(cur_cbs), .cur_seg(cur_seg), .cur_tile(cur_tile),
    .cur_bias(cur_bias), .cur_first(cur_first), .cur_cached(cur_cached), .cur_cap(cur_cap), .cur_paddr(cur_paddr),
    .cur_last_cb(cur_last_cb), .cur_last_rb(cur_last_rb), .cur_src(cur_src), .cur_slen(cur_slen), .cur_ssh(cur_ssh),
    .cur_swb(cur_swb), .cur_cih_f(cur_cih_f), .cur_cih_b(cur_cih_b), .cur_cih_v(cur_cih_v), .cur_ltag(cur_ltag));

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED7A1C;
reg [31:0] rng_seg = 32'h0C1D5E65;     // the segment tables' own stream (the walk's draws unchanged)
reg [31:0] rng_ltag = 32'h17A65EED;    // the per-layer stage-A values' own stream
reg [31:0] rng_pc = 32'h0FC0FFEE;      // the entry at the program counter (one ahead): its own stream

integer checks = 0, errors = 0, loads = 0, skips = 0, tiles = 0, restarts = 0, skip_passes = 0, cached = 0;
integer caps = 0, wraps = 0, back_to_back = 0, resets = 0, fresh = 0;
reg     moved = 0;
reg     skip_heavy = 0;                // this run skips half its entries (many loads right after a skip)
reg     tiny = 0;                      // ... and its non-encoder layers' phase-B / linear passes are one tile                     // the descriptor moved at the last edge (start or advance)
reg [31:0] checksum = 0;

// the run's geometry and window (model copies as integers)
integer rbh [0:10];
integer nseg [0:10];
integer sncb [0:43];
integer ncb [0:10];
integer tbase [0:10];
integer tbn [0:10];
integer bbase [0:10];
integer T, es, ps, f0, b0, pf0, pb0, inb, pad;

// model state: the window's steps since the start, and the pass being issued with its tile (rb, cb)
integer m_steps;
reg     m_active;
integer m_l, m_kind, m_t, m_tbase, m_nrb, m_ncb, m_tile0, m_bias0, m_pbase, m_cb0, m_rb, m_cb;
reg     m_fac0, m_emit, m_skip, m_cached, m_cap;
reg [NSB-1:0] m_dst;

function integer pmod(input integer a, input integer m);
    pmod = ((a % m) + m) % m;
endfunction

task fail(input [8*16-1:0] what);
    begin
        errors = errors + 1;
        if (errors < 10) $display("ERROR run %0d cycle %0d: %0s (l %0d/%0d kind %0d/%0d rb %0d/%0d cb %0d/%0d cbs %0d/%0d seg %0d/%0d tile %0d/%0d)", r, cyc, what, cur_l, m_l, cur_kind, m_kind, cur_rb, m_rb, cur_cb, m_cb, cur_cbs, e_cbs, cur_seg, e_seg, cur_tile, e_tile);
    end
endtask

// The program, as lfads_pass_program gives it: the descriptor (nx_*, held until the walker loads or skips it) and
// the entry at the program counter one ahead (pc_l, pc_kind), whose layer and kind the descriptor takes at the
// advance; `start` puts layer 0, phase A in the descriptor.
task draw_pc;
    begin
        rng_pc = tb_xorshift32(rng_pc);
        pc_l = (rng_pc[3:0] < 8 && !tiny) ? rng_pc[5:4] : rng_pc[9:6] % 11;      // encoder layers often
        pc_kind = rng_pc[11:10] % 3;
    end
endtask
task draw_entry;
    begin
        nx_l = pc_l;
        nx_kind = pc_kind;
        draw_pc;
        draw_fields;
    end
endtask
task draw_fields;
    begin
        rng = tb_xorshift32(rng);
        nx_skip = skip_heavy ? rng[12] : rng[15:12] == 0;   // some runs skip every other entry
        nx_fac0 = rng[16];
        nx_emit = rng[17];
        nx_t = (rng[20:18] < 3) ? T - 1 : rng[31:24] % T;
        nx_newest = nx_t == T - 1;           // as lfads_pass_program gives it
        rng = tb_xorshift32(rng);
        nx_dst = rng[NSB-1:0];
    end
endtask

// a new run: geometry, window, start
task new_run;
    integer l, j;
    begin
        rng_pc = tb_xorshift32(rng_pc);
        skip_heavy = rng_pc[31:30] == 0;
        tiny = skip_heavy;
        rng = tb_xorshift32(rng);
        T = 1 + rng[2:0];
        inb = 1 + rng[4:3] % 3;
        es = 1 + rng[12:5];
        ps = 1 + rng[17:13];
        proj_on = rng[18] || rng[19];
        pad = rng[23:20] % (T + 1);
        rng = tb_xorshift32(rng);
        f0 = (rng[7:0] % T) * es;
        b0 = (rng[15:8] % T) * es;
        pf0 = (rng[23:16] % T) * ps;
        pb0 = (rng[31:24] % T) * ps;
        for (l = 0; l < 11; l = l + 1) begin
            rng = tb_xorshift32(rng);
            rbh[l] = 1 + rng[1:0];
            nseg[l] = (l < 4) ? 2 + rng[3:2] % 3 : 1 + rng[3:2];
            tbase[l] = rng[15:4];
            tbn[l] = rng[27:16];
            rng = tb_xorshift32(rng);
            bbase[l] = rng[11:0];
            ncb[l] = 0;
            for (j = 0; j < 4; j = j + 1) begin
                sncb[l * 4 + j] = (j >= nseg[l]) ? rng[12 + 2*j +: 2] : (l < 4 && j == 0) ? inb : 1 + rng[12 + 2*j +: 2] % 3;
                if (j < nseg[l]) ncb[l] = ncb[l] + sncb[l * 4 + j];
            end
            if (tiny && l >= 4) begin
                rbh[l] = 1;
                nseg[l] = 1;
                sncb[l * 4] = 1;
                ncb[l] = 1;
            end
            g_rbh_f[l*16 +: 16] = rbh[l];
            g_ncb_f[l*16 +: 16] = ncb[l];
            g_tbase_f[l*16 +: 16] = tbase[l];
            g_tbn_f[l*16 +: 16] = tbn[l];
            g_bbase_f[l*16 +: 16] = bbase[l];
            for (j = 0; j < 4; j = j + 1) s_ncb_f[(l*4 + j)*16 +: 16] = sncb[l * 4 + j];
        end
        // per segment: source (hidden-state segments often), slot, length, shift; the CI lag (often beyond T)
        for (j = 0; j < 44; j = j + 1) begin
            rng_seg = tb_xorshift32(rng_seg);
            s_src_f[j*3 +: 3] = (rng_seg[1:0] == 0) ? 3'd4 : rng_seg[4:2];
            s_slot_f[j*5 +: 5] = rng_seg[9:5];
            s_len_f[j*16 +: 16] = rng_seg[25:10];
            rng_seg = tb_xorshift32(rng_seg);
            s_sh_f[j*7 +: 7] = rng_seg[6:0];
        end
        rng_seg = tb_xorshift32(rng_seg);
        ci_lag = rng_seg[3] ? rng_seg[31:16] : rng_seg[2:0];
        // the per-layer stage-A values (their own stream: the other draws unchanged)
        for (l = 0; l < 11; l = l + 1) begin
            rng_ltag = tb_xorshift32(rng_ltag);
            g_ltag_f[l*LTW +: LTW] = rng_ltag[LTW-1:0];
        end
        win_fbase0 = f0; win_bbase0 = b0; win_pf0 = pf0; win_pb0 = pb0;
        enc_stride = es; enc_end = T * es; proj_stride = ps; proj_ring = T * ps;
        in_blocks = inb; in_blocks_p1 = inb + 1; pad_bins = pad;
        draw_pc;
    end
endtask

integer r, cyc, j, acc, e_seg, e_cbs;
reg e_load = 0, e_skip = 0, e_issue, last_tile, e_first;
integer e_tile, e_bias, e_paddr, e_idx, e_swb;
initial begin
    m_active = 0;
    m_steps = 0;
    for (r = 0; r < RUNS; r = r + 1) begin
        new_run;
        // a reset, then start (no program entry valid in the start cycle, as from lfads_pass_program)
        rst = 1; start = 0; pc_valid = 0; go = 0;
        @(posedge clk); #1;
        m_active = 0;
        rst = 0; start = 1;
        rng = tb_xorshift32(rng);
        go = rng[0];
        @(posedge clk); #1;
        // the program's first entry (lfads_pass_program at `start`)
        nx_l = 0;
        nx_kind = 0;
        draw_fields;
        moved = 0;                       // (a load right after `start`: not counted in `fresh`)
        m_steps = 0;
        start = 0;
        for (cyc = 0; cyc < RUN_CYCLES; cyc = cyc + 1) begin
            rng = tb_xorshift32(rng);
            go = rng[2:0] != 0;
            pc_valid = rng[5:3] != 0;
            nx_ready = rng[7:6] != 0;
            pc_step_next = rng[10:8] == 0;
            rst = rng[31:20] == 0;
            #1;
            // expected handshake
            last_tile = m_active && m_rb == m_nrb - 1 && m_cb == m_ncb - 1;
            e_issue = go && m_active;
            e_load = go && pc_valid && !nx_skip && (!m_active || last_tile) && nx_ready;
            e_skip = go && pc_valid && nx_skip;
            checks = checks + 1;
            if (do_load !== e_load || do_skip !== e_skip || advance !== (e_load || e_skip) || issue !== e_issue
                || sb_load !== e_load || sb_advance !== (e_load || e_skip) || cur_active !== m_active)
                fail("handshake");
            checksum = tb_xorshift32(checksum ^ {do_load, do_skip, issue, cur_active} ^ cyc);
            if (m_active) begin
                // the tile: its segment and column block in it, weight tile, bias, projection-ring entry
                acc = 0; e_seg = -1; e_cbs = 0;
                for (j = 0; j < 4; j = j + 1)
                    if (e_seg < 0 && m_cb < acc + sncb[m_l * 4 + j]) begin
                        e_seg = j;
                        e_cbs = m_cb - acc;
                    end else if (e_seg < 0) acc = acc + sncb[m_l * 4 + j];
                e_tile = (m_tile0 + m_rb * m_ncb + m_cb) % 65536;
                e_bias = (m_bias0 + m_rb) % 65536;
                e_paddr = (m_pbase + e_bias) % (1 << PB);
                e_first = m_cb == m_cb0;
                checks = checks + 1;
                if (cur_l !== m_l || cur_kind !== m_kind || cur_t !== m_t || cur_tbase !== m_tbase
                    || cur_fac0 !== m_fac0 || cur_emit !== m_emit || cur_dst !== m_dst
                    || cur_ltag !== g_ltag_f[m_l*LTW +: LTW])
                    fail("pass fields");
                checks = checks + 1;
                if (cur_rb !== m_rb || cur_cb !== m_cb || cur_cbs !== e_cbs || cur_seg !== e_seg
                    || cur_first !== e_first || cur_last_cb !== (m_cb == m_ncb - 1) || cur_last_rb !== (m_rb == m_nrb - 1))
                    fail("tile position");
                checks = checks + 1;
                if (cur_tile !== e_tile || cur_bias !== e_bias || cur_paddr !== e_paddr)
                    fail("tile address");
                checks = checks + 1;
                if (cur_cached !== m_cached || cur_cap !== m_cap) fail("projection");
                // the segment's stage-A values (lfads_engine's former seg_i table selects and address arithmetic)
                e_idx = m_l * 4 + e_seg;
                e_swb = ((s_src_f[e_idx*3 +: 3] == 4) ? ((m_kind == 0) ? m_l : 12 + m_l) : s_slot_f[e_idx*5 +: 5]) * VW;
                checks = checks + 1;
                if (cur_src !== s_src_f[e_idx*3 +: 3] || cur_slen !== s_len_f[e_idx*16 +: 16]
                    || cur_ssh !== s_sh_f[e_idx*7 +: 7] || cur_swb !== e_swb[15:0])
                    fail("segment values");
                checks = checks + 1;
                if (cur_cih_f !== ((m_t - ci_lag) * VW & 65535) || cur_cih_b !== ((CIH_BOFF + m_t + ci_lag) * VW & 65535)
                    || cur_cih_v !== ((m_t + ci_lag) * VW & 65535))
                    fail("CI-history bases");
                checksum = tb_xorshift32(checksum ^ {cur_swb, cur_slen} ^ {cur_cih_f, cur_cih_b} ^ {cur_cih_v, 6'd0, cur_ssh, cur_src});
                checksum = tb_xorshift32(checksum ^ {cur_tile, cur_bias} ^ {cur_paddr, cur_seg, cur_cbs[7:0], cur_l}
                                         ^ cur_tbase);
            end
            // the model's next state
            if (rst) begin
                m_active = 0;
                resets = resets + 1;
            end else if (go) begin
                if (e_load) begin
                    loads = loads + 1;
                    if (last_tile) back_to_back = back_to_back + 1;
                    if (moved) fresh = fresh + 1;
                    m_active = 1;
                    m_l = nx_l; m_kind = nx_kind; m_t = nx_t; m_fac0 = nx_fac0; m_emit = nx_emit; m_dst = nx_dst;
                    m_tbase = nx_l[0] ? pmod(b0 - m_steps * es, T * es) : pmod(f0 + m_steps * es, T * es);
                    m_pbase = nx_l[0] ? pmod(pb0 - m_steps * ps, T * ps) : pmod(pf0 + m_steps * ps, T * ps);
                    m_nrb = (nx_kind == 0) ? 2 * rbh[nx_l] : rbh[nx_l];
                    m_ncb = ncb[nx_l];
                    m_skip = proj_on && nx_l < 4 && nx_t != T - 1;
                    m_cap = proj_on && nx_l < 4 && nx_t == T - 1;
                    m_cached = m_skip && nx_t >= pad;
                    m_cb0 = m_skip ? inb : 0;
                    m_tile0 = (nx_kind == 1) ? tbn[nx_l] : tbase[nx_l];
                    m_bias0 = bbase[nx_l] + ((nx_kind == 1) ? 2 * rbh[nx_l] : 0);
                    m_rb = 0;
                    m_cb = m_cb0;
                    if (m_skip) skip_passes = skip_passes + 1;
                    if (m_cached) cached = cached + 1;
                    if (m_cap) caps = caps + 1;
                end else if (last_tile) begin
                    m_active = 0;
                end else if (m_active) begin
                    if (m_cb == m_ncb - 1) begin
                        m_rb = m_rb + 1;
                        m_cb = m_cb0;
                        restarts = restarts + 1;
                    end else m_cb = m_cb + 1;
                end
                if (e_issue) tiles = tiles + 1;
                if (pc_step_next) begin
                    m_steps = m_steps + 1;
                    if (m_steps % T == 0) wraps = wraps + 1;
                end
            end
            if (e_skip) skips = skips + 1;
            @(posedge clk); #1;
            // the program counter moved: the next entry (after the edge that took this one; not in a reset)
            moved = (e_load || e_skip) && !rst;
            if (moved) draw_entry;
        end
    end
    if (errors == 0 && loads > 3000 && tiles > 40000 && restarts > 8000 && skip_passes > 500 && cached > 300
        && caps > 300 && skips > 300 && wraps > 1000 && back_to_back > 300 && fresh > 500)
        $display("PASS lfads_tile_walker: %0d checks, %0d passes (%0d back to back, %0d the cycle after the entry moved, %0d skipping the input: %0d from the ring; %0d capturing), %0d entries skipped, %0d tiles, %0d row-block restarts, %0d window wraps, checksum %h",
                 checks, loads, back_to_back, fresh, skip_passes, cached, caps, skips, tiles, restarts, wraps, checksum);
    else
        $display("FAIL lfads_tile_walker: %0d errors (%0d passes, %0d tiles, %0d restarts, %0d skipping, %0d cached, %0d capturing, %0d skipped, %0d wraps, %0d back to back, %0d after a move)",
                 errors, loads, tiles, restarts, skip_passes, cached, caps, skips, wraps, back_to_back, fresh);
    $finish;
end

endmodule
`resetall
