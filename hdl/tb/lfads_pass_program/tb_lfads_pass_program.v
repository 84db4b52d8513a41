// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Pass-program bench: 300 programs (with / without controller, whole-trial / online, T_enc 1..7, T_rec T_enc..9,
// random column segments per layer), each started and walked to its end with `advance` on random cycles (and a
// reset in the middle now and then). Behavioural model: the program as hdl/README.md lists it, entry by entry.
// Checks every cycle: valid / at_end, the descriptor (layer, kind, step, skip, fac0, emit) and the scoreboard masks
// of the current entry, step_next, the number of entries walked, that the layer and kind of the next entry (pc_l,
// pc_kind) are the descriptor's after the next advance, and the next entry's layer, kind and source mask (next_src)
// and the first entry's (first_src) against the model, advances on consecutive cycles included (the scoreboard's
// registered test takes its next value from them).
module tb_lfads_pass_program;

localparam integer NSB = 23;

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg              start = 0, advance = 0, hc = 0, online = 0;
reg  [15:0]      t_enc = 1, t_rec = 1;
reg  [11*3-1:0]  g_nseg_f = 0;
reg  [44*3-1:0]  s_src_f = 0;
reg  [44*5-1:0]  s_slot_f = 0;
wire             valid, at_end, step_next, nx_skip, nx_fac0, nx_emit, nx_newest;
wire [3:0]       nx_l;
wire [1:0]       nx_kind;
wire [15:0]      nx_t;
wire [NSB-1:0]   nx_src, nx_dst, next_src, first_src;
wire [3:0]       pc_l;
wire [1:0]       pc_kind;
reg  [3:0]       was_pc_l = 0;       // the entry at the counter before an advance: the descriptor after it
reg  [1:0]       was_pc_kind = 0;
reg              was_adv = 0;

lfads_pass_program #(.SB_BITS(NSB)) dut (
    .clk(clk), .rst(rst), .start(start), .advance(advance), .valid(valid), .at_end(at_end), .step_next(step_next),
    .hc(hc), .online(online), .t_enc(t_enc), .t_rec(t_rec), .g_nseg_f(g_nseg_f), .s_src_f(s_src_f),
    .s_slot_f(s_slot_f), .nx_skip(nx_skip), .nx_l(nx_l), .nx_kind(nx_kind), .nx_t(nx_t), .nx_fac0(nx_fac0),
    .nx_emit(nx_emit), .nx_newest(nx_newest), .nx_src(nx_src), .nx_dst(nx_dst),
    .pc_l(pc_l), .pc_kind(pc_kind), .next_src(next_src), .first_src(first_src));

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED9A55;

integer checks = 0, errors = 0, entries = 0, programs = 0;
reg [31:0] checksum = 0;

// model state and the model's entry
integer m_phase, m_step, m_sub, e_nsub, e_nstep, e_l, e_kind, e_t;
reg e_skip, e_fac0, e_emit, e_newest;
reg [NSB-1:0] e_src, e_dst;

task model_entry;
    integer j, sl;
    begin
        e_l = 0; e_kind = 2; e_t = 0; e_skip = 0; e_fac0 = 0; e_emit = 0; e_newest = 0; e_nsub = 1; e_nstep = 1;
        if (m_phase == 1) begin                       // ENC
            e_nstep = t_enc;
            e_nsub = hc ? 8 : 4;
            e_l = hc ? m_sub % 4 : m_sub % 2;
            e_kind = (m_sub >= e_nsub / 2) ? 1 : 0;
            e_t = (e_l % 2) ? t_enc - 1 - m_step : m_step;
            e_newest = e_t == t_enc - 1;
        end else if (m_phase == 2) begin              // MID
            e_nsub = hc ? 3 : 2;
            e_l = (m_sub == 0) ? 6 : (m_sub == 1) ? 7 : 9;
            e_fac0 = m_sub == 2;
        end else if (m_phase == 3) begin              // REC
            e_nstep = online ? t_enc : t_rec;
            e_t = m_step;
            if (hc) begin
                e_nsub = 7;
                case (m_sub)
                    0: begin e_l = 4; e_kind = 0; end
                    1: begin e_l = 10; e_emit = 1; e_skip = m_step == 0 || online; end
                    2: begin e_l = 4; e_kind = 1; end
                    3: e_l = 8;
                    4: begin e_l = 5; e_kind = 0; end
                    5: begin e_l = 5; e_kind = 1; end
                    default: begin e_l = 9; e_emit = !online || m_step == t_enc - 1; end
                endcase
            end else begin
                e_nsub = 4;
                case (m_sub)
                    0: begin e_l = 5; e_kind = 0; end
                    1: begin e_l = 9; e_emit = 1; e_skip = m_step == 0 || online; end
                    2: begin e_l = 5; e_kind = 1; end
                    default: begin e_l = 10; e_emit = 1; e_skip = m_step == 0 || online; end
                endcase
            end
        end else if (m_phase == 4) begin              // TAIL
            e_nsub = hc ? 1 : 2;
            e_emit = 1;
            e_l = (hc || m_sub == 1) ? 10 : 9;
        end
        // masks: slots read (segments, own state), slots written
        e_src = 0;
        e_dst = 0;
        for (j = 0; j < 4; j = j + 1)
            if (j < g_nseg_f[e_l*3 +: 3]) begin
                sl = e_l * 4 + j;
                case (s_src_f[sl*3 +: 3])
                    1: e_src[s_slot_f[sl*5 +: 5]] = 1;
                    2, 3: e_src[22] = 1;
                    4: e_src[(e_kind == 0) ? e_l : 12 + e_l] = 1;
                    default: ;
                endcase
            end
        if (e_kind == 0) begin
            e_src[e_l] = 1; e_dst[6 + e_l] = 1; e_dst[12 + e_l] = 1;
        end else if (e_kind == 1) begin
            e_src[e_l] = 1; e_src[6 + e_l] = 1; e_dst[e_l] = 1;
            if (e_l == 2 || e_l == 3) e_dst[22] = 1;
        end else begin
            case (e_l)
                6: e_dst[18] = 1;
                7: e_dst[5] = 1;
                8: e_dst[19] = 1;
                9: begin e_dst[21] = 1; if (!e_fac0) e_dst[20] = 1; end
                default: ;
            endcase
        end
    end
endtask

task fail(input [8*16-1:0] what);
    begin
        errors = errors + 1;
        if (errors < 10) $display("ERROR program %0d phase %0d step %0d sub %0d: %0s", programs, m_phase, m_step, m_sub, what);
    end
endtask

integer p, i, n_expect, guard, s_phase, s_step, s_sub, s_nsub, s_nstep, consecutive, next_checks;
reg e_step_next, aborted;
reg [NSB-1:0] e_first;
initial begin
    m_phase = 0; m_step = 0; m_sub = 0;
    consecutive = 0; next_checks = 0;
    repeat (2) @(posedge clk);
    #1 rst = 0;
    for (p = 0; p < 300; p = p + 1) begin
        programs = p;
        rng = tb_xorshift32(rng);
        hc = rng[0];
        online = rng[1];
        t_enc = 1 + rng[4:2] % 7;
        t_rec = t_enc + rng[7:5] % 3;
        for (i = 0; i < 11; i = i + 1) begin
            rng = tb_xorshift32(rng);
            g_nseg_f[i*3 +: 3] = rng % 5;
        end
        for (i = 0; i < 44; i = i + 1) begin
            rng = tb_xorshift32(rng);
            s_src_f[i*3 +: 3] = rng % 5;
            s_slot_f[i*5 +: 5] = rng[15:8] % 22;
        end
        // the entries the walk must take
        n_expect = (hc ? 8 : 4) * t_enc + (hc ? 3 : 2) + (hc ? 7 : 4) * (online ? t_enc : t_rec) + (hc ? 1 : 2);
        // the geometry tables in place two edges before `start` (the masks take two stages)
        repeat (2) @(posedge clk);
        #1;
        start = 1;
        @(posedge clk); #1;
        start = 0;
        m_phase = 1; m_step = 0; m_sub = 0;
        model_entry;
        e_first = e_src;
        entries = 0;
        aborted = 0;
        guard = 0;
        was_adv = 0;
        while (m_phase != 5 && !aborted && guard < 10000) begin
            guard = guard + 1;
            rng = tb_xorshift32(rng);
            advance = rng[1:0] != 0;
            rst = rng[31:19] == 0;
            #1;
            model_entry;
            checks = checks + 1;
            if (valid !== 1'b1 || at_end !== 1'b0) fail("valid");
            if (nx_l !== e_l || nx_kind !== e_kind || nx_t !== e_t[15:0] || nx_skip !== e_skip || nx_fac0 !== e_fac0
                || nx_emit !== e_emit || nx_newest !== e_newest) fail("descriptor");
            if (nx_src !== e_src || nx_dst !== e_dst) fail("masks");
            if (was_adv && (nx_l !== was_pc_l || nx_kind !== was_pc_kind)) fail("next entry");
            was_pc_l = pc_l;
            was_pc_kind = pc_kind;
            e_step_next = advance && m_sub == e_nsub - 1 && m_step != e_nstep - 1;
            if (step_next !== e_step_next) fail("step_next");
            if (first_src !== e_first) fail("first_src");
            // the next entry (the model one entry on; the END entry is never taken)
            s_phase = m_phase; s_step = m_step; s_sub = m_sub; s_nsub = e_nsub; s_nstep = e_nstep;
            if (m_sub == e_nsub - 1) begin
                m_sub = 0;
                if (m_step == e_nstep - 1) begin m_step = 0; m_phase = m_phase + 1; end
                else m_step = m_step + 1;
            end else m_sub = m_sub + 1;
            if (m_phase != 5) begin
                model_entry;
                next_checks = next_checks + 1;
                if (pc_l !== e_l || pc_kind !== e_kind || next_src !== e_src) fail("next entry now");
                checksum = tb_xorshift32(checksum ^ next_src);
            end
            m_phase = s_phase; m_step = s_step; m_sub = s_sub;
            model_entry;
            if (advance && was_adv) consecutive = consecutive + 1;
            checksum = tb_xorshift32(checksum ^ {nx_src, nx_l, nx_kind, nx_emit, nx_newest} ^ nx_dst);
            @(posedge clk); #1;
            was_adv = advance && !rst;
            if (rst) begin
                aborted = 1;
                m_phase = 0;
            end else if (advance) begin
                entries = entries + 1;
                if (m_sub == e_nsub - 1) begin
                    m_sub = 0;
                    if (m_step == e_nstep - 1) begin m_step = 0; m_phase = m_phase + 1; end
                    else m_step = m_step + 1;
                end else m_sub = m_sub + 1;
            end
        end
        advance = 0;
        rst = 0;
        #1;
        checks = checks + 1;
        if (aborted) begin
            if (valid !== 1'b0 || at_end !== 1'b0) fail("after reset");
        end else begin
            if (valid !== 1'b0 || at_end !== 1'b1) fail("at end");
            if (entries != n_expect) fail("entries");
        end
        @(posedge clk); #1;
    end
    if (errors == 0 && consecutive > 5000)
        $display("PASS lfads_pass_program: %0d checks (%0d of the next entry), 300 programs, %0d advances right after one, checksum %h",
                 checks, next_checks, consecutive, checksum);
    else
        $display("FAIL lfads_pass_program: %0d errors", errors);
    $finish;
end

endmodule
`resetall
