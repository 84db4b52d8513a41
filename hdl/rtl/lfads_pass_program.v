// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Pass program of lfads_engine: the program counter (phase, step, sub-entry) and the descriptor of the pass at it.
 * The program is fixed by the image's dimensions (hdl/README.md "Architecture", docs/kernel-numerics.md):
 *   ENC  t = 0 .. T_enc-1:  icf.A icb.A [cif.A cib.A] icf.B icb.B [cif.B cib.B]   (backward encoders at T_enc-1-t)
 *   MID                  :  ic_linear, g0 [, factor0 (controller: the factors fed to step 0)]
 *   REC  t = 0 .. T_rec-1:  with a controller: con.A ro(t-1) con.B co gen.A gen.B fac
 *                           without:           gen.A fac(t-1) gen.B ro(t-1)
 *   TAIL                 :  the last step's ro [and fac]
 * (online: REC stops after step T_enc-1, and only that step's factors / log-rates are emitted.)
 * A descriptor is the layer, kind (GRU phase A / B or linear), time step, whether the pass is skipped (the previous
 * step's readout at step 0), whether its rows are emitted, and the scoreboard masks: the vector-store slots (and
 * the CI history) it reads and writes, from the layer's column segments (lfads_geometry).
 *
 * `start` puts the program at the first entry; `advance` (the sequencer took or skipped the entry) moves it on.
 * `step_next` is high in an `advance` that starts the next step of a phase (the engine's encoder bin bases move
 * then). `valid` while an entry remains; `at_end` after the last.
 *
 * Timing: the descriptor (and its scoreboard masks) are registers, loaded at `start` with the first entry and at every
 * `advance` with the next one, so that the engine's load path (descriptor -> scoreboard and the walker's table
 * selects -> do_load -> back here as `advance`) starts at registers. The next entry's descriptor and masks are
 * registers too (ne_*: pc_l / pc_kind, next_src), so that the scoreboard can decide "the sources are ready" a cycle
 * ahead from registers whichever entry is current after the edge (lfads_scoreboard: nx_src becomes next_src at an
 * `advance`, first_src at `start`). For that the counter (phase, step, sub-entry and its registered flags: last entry,
 * last step, step 0, backward step, so that advancing it is a register test) runs two entries ahead of the current
 * one: it holds the entry after the next, whose descriptor is combinational from it and loaded into ne_* at the next
 * `advance`, while ne_* moves into nx_* (entries can advance on consecutive cycles: each `advance` moves all three).
 * The next and current entries' phase and last-entry / last-step flags are registered copies taken along. The
 * per-layer scoreboard masks are registered from the geometry tables (static during a run; the tables and T_enc /
 * T_rec / hc / online must be in place at the `start` edge, the geometry tables two edges before it: the masks take
 * two stages). nx_newest: an encoder pass of the window's newest bin (nx_t == T_enc - 1), from the counter's step
 * flags (no compare). No index arithmetic: every table select has constant indexes (issue 13; the variable `* 3` /
 * `* 5` indexes had become a DSP48E2).
 *
 * Slot, source and kind numbers are the engine's (lfads_engine.v): both files must agree.
 */
module lfads_pass_program #
(
    parameter SB_BITS = 23
)
(
    input  wire                 clk,
    input  wire                 rst,

    input  wire                 start,
    input  wire                 advance,
    output wire                 valid,
    output wire                 at_end,
    output wire                 step_next,

    // image and run
    input  wire                 hc,               // the model has a controller
    input  wire                 online,
    input  wire [15:0]          t_enc,
    input  wire [15:0]          t_rec,
    input  wire [11*3-1:0]      g_nseg_f,
    input  wire [44*3-1:0]      s_src_f,
    input  wire [44*5-1:0]      s_slot_f,

    // the current entry (registers)
    output reg                  nx_skip = 1'b0,
    output reg  [3:0]           nx_l = 4'd0,
    output reg  [1:0]           nx_kind = 2'd0,
    output reg  [15:0]          nx_t = 16'd0,
    output reg                  nx_fac0 = 1'b0,
    output reg                  nx_emit = 1'b0,
    output reg                  nx_newest = 1'b0,   // an encoder pass of the window's newest bin: nx_t == T_enc - 1
    output reg  [SB_BITS-1:0]   nx_src = {SB_BITS{1'b0}},
    output reg  [SB_BITS-1:0]   nx_dst = {SB_BITS{1'b0}},
    // the next entry (registers): nx_l / nx_kind after the next `advance` (the tile walker's load values), and its
    // source mask, nx_src after the next `advance` (the scoreboard's registered test); nx_src after `start`
    output wire [3:0]           pc_l,
    output wire [1:0]           pc_kind,
    output wire [SB_BITS-1:0]   next_src,
    output wire [SB_BITS-1:0]   first_src
);

localparam integer SB_CIH = SB_BITS - 1;          // the CI history's scoreboard bit (after the 22 slots)

// slot numbers of the vector store, column-segment sources, pass kinds (as lfads_engine.v)
localparam [4:0] SL_ICM = 5'd18, SL_CO = 5'd19, SL_FV = 5'd20, SL_FS = 5'd21;
function [4:0] sl_h(input [3:0] l);  sl_h = {1'b0, l};          endfunction
function [4:0] sl_z(input [3:0] l);  sl_z = 5'd6 + l;           endfunction
function [4:0] sl_rh(input [3:0] l); sl_rh = 5'd12 + l;         endfunction
localparam [2:0] SRC_VEC = 3'd1, SRC_CIF = 3'd2, SRC_CIB = 3'd3, SRC_HSEG = 3'd4;   // SRC_SPK = 0: no scoreboard bit
localparam [1:0] K_GA = 2'd0, K_GB = 2'd1, K_LIN = 2'd2;

localparam [2:0] PH_ENC = 3'd1, PH_MID = 3'd2, PH_REC = 3'd3, PH_TAIL = 3'd4, PH_END = 3'd5;
// The counter: two entries ahead of the current one (the entry after the next)
reg [2:0]  pc_phase = 0;
reg [15:0] pc_step = 0;
reg [3:0]  pc_sub = 0;
// the next entry (the one after the current): its descriptor, masks, phase and flags, registers taken from the
// counter's decode at the `advance` that makes it next
reg               ne_skip = 1'b0, ne_fac0 = 1'b0, ne_emit = 1'b0, ne_newest = 1'b0;
reg [3:0]         ne_l = 4'd0;
reg [1:0]         ne_kind = 2'd0;
reg [15:0]        ne_t = 16'd0;
reg [SB_BITS-1:0] ne_src = {SB_BITS{1'b0}}, ne_dst = {SB_BITS{1'b0}};
reg [2:0]         ne_phase = 0;
reg               ne_sub_last = 0, ne_step_last = 0;
// the current entry's phase and flags (copies of the next entry's, taken at the `advance` that makes it current)
reg [2:0]  cur_phase = 0;
reg        cur_sub_last = 0, cur_step_last = 0;

// Registered per-run values (the image's dimensions are static during a run): the step count less one / two per
// phase, for the last-step flag below.
reg [15:0] enc_m1_r = 0, enc_m2_r = 0, rec_m2_r = 0;
reg        enc_is1_r = 0, rec_is1_r = 0;
always @(posedge clk) begin
    enc_m1_r <= t_enc - 1'b1;
    enc_m2_r <= t_enc - 16'd2;
    rec_m2_r <= (online ? t_enc : t_rec) - 16'd2;
    enc_is1_r <= t_enc == 16'd1;
    rec_is1_r <= (online ? t_enc : t_rec) == 16'd1;
end

// Flags of the counter, each kept equal to a test of it (so that the counter's next state is a register test, not a
// subtract and compare): sub_last (pc_sub == nsub - 1), step_last (pc_step == nstep - 1), step0 (pc_step == 0),
// bstep (T_enc - 1 - pc_step, the backward encoders' step).
reg        sub_last = 0, step_last = 0, step0 = 1;
reg [15:0] bstep = 0;

// The layer, kind and fac0 of an entry: a function of its phase and sub-entry only. Kept in a register for the entry
// at the counter (lk_r, computed from the counter's next state when it moves), so that the scoreboard masks' select
// by layer starts at a register.
function [6:0] layer_of(input [2:0] ph, input [3:0] sub, input h);      // {fac0, kind, layer}
    begin
        layer_of = {1'b0, K_LIN, 4'd0};
        case (ph)
            PH_ENC:
                if (h) layer_of = {1'b0, sub[2] ? K_GB : K_GA, 2'b0, sub[1:0]};
                else   layer_of = {1'b0, sub[1] ? K_GB : K_GA, 3'b0, sub[0]};
            PH_MID:
                case (sub)
                    0: layer_of = {1'b0, K_LIN, 4'd6};
                    1: layer_of = {1'b0, K_LIN, 4'd7};
                    default: layer_of = {1'b1, K_LIN, 4'd9};
                endcase
            PH_REC:
                if (h) begin
                    case (sub)
                        0: layer_of = {1'b0, K_GA, 4'd4};
                        1: layer_of = {1'b0, K_LIN, 4'd10};
                        2: layer_of = {1'b0, K_GB, 4'd4};
                        3: layer_of = {1'b0, K_LIN, 4'd8};
                        4: layer_of = {1'b0, K_GA, 4'd5};
                        5: layer_of = {1'b0, K_GB, 4'd5};
                        default: layer_of = {1'b0, K_LIN, 4'd9};
                    endcase
                end else begin
                    case (sub)
                        0: layer_of = {1'b0, K_GA, 4'd5};
                        1: layer_of = {1'b0, K_LIN, 4'd9};
                        2: layer_of = {1'b0, K_GB, 4'd5};
                        default: layer_of = {1'b0, K_LIN, 4'd10};
                    endcase
                end
            PH_TAIL: layer_of = {1'b0, K_LIN, (h || sub == 4'd1) ? 4'd10 : 4'd9};
            default: ;
        endcase
    end
endfunction
reg [6:0] lk_r = 7'd0;

// descriptor of the entry at the counter (from the counter, its flags and lk_r; loaded into ne_* at `advance`)
wire       d_fac0 = lk_r[6];
wire [1:0] d_kind = lk_r[5:4];
wire [3:0] d_l = lk_r[3:0];
assign pc_l = ne_l;
assign pc_kind = ne_kind;
assign next_src = ne_src;
reg        d_skip, d_emit, d_newest;
reg [15:0] d_t;
always @* begin
    d_skip = 1'b0;
    d_t = 0;
    d_emit = 1'b0;
    d_newest = 1'b0;
    case (pc_phase)
        PH_ENC: begin
            d_t = d_l[0] ? bstep : pc_step;
            // T_enc - 1: the forward encoders' last step, the backward ones' first
            d_newest = d_l[0] ? step0 : step_last;
        end
        PH_REC: begin
            // online: the newest bin is step T_enc - 1 (REC's last step); later steps and earlier steps' outputs
            // are not needed
            d_t = pc_step;
            if (hc) begin
                case (pc_sub)
                    1: begin d_emit = 1'b1; d_skip = step0 || online; end
                    6: d_emit = !online || step_last;
                    default: ;
                endcase
            end else begin
                case (pc_sub)
                    1, 3: begin d_emit = 1'b1; d_skip = step0 || online; end
                    default: ;
                endcase
            end
        end
        PH_TAIL: d_emit = 1'b1;
        default: ;
    endcase
end

// Per-layer source masks of the column segments, registered from the geometry tables (static during a run). All
// indexes are constants: no index arithmetic.
// seg_a[l]: the segments' bits with a hidden-state segment read as h(l) (GRU phase A); seg_b[l]: as rh(l).
// Two stages (the tables are static from the image load on, long before `start`: they must be in place two edges
// before it): per segment a flag "a vector-store segment" (j < nseg, source SRC_VEC), per layer "reads the CI history"
// and "reads its own hidden state" (the nseg decode and the source compares); then the masks, an OR of the flagged
// segments' slot decodes (was one stage of both, 4 LUT levels from the geometry tables: 2.89 ns in the whole engine).
reg [11*4-1:0]       seg_vec = 0;
reg [10:0]           seg_cih = 0, seg_hseg = 0;
always @(posedge clk) begin : seg_flags
    reg [3:0] l, j, on;
    reg [2:0] src;
    reg cih, hseg;
    for (l = 0; l < 4'd11; l = l + 4'd1) begin
        case (g_nseg_f[l * 3 +: 3])      // segments j < nseg (a decode, not a compare: no carry chain)
            3'd0: on = 4'b0000;
            3'd1: on = 4'b0001;
            3'd2: on = 4'b0011;
            3'd3: on = 4'b0111;
            default: on = 4'b1111;
        endcase
        cih = 1'b0;
        hseg = 1'b0;
        for (j = 0; j < 4'd4; j = j + 4'd1) begin
            src = s_src_f[l * 12 + j * 3 +: 3];
            seg_vec[l * 4 + j] <= on[j[1:0]] && src == SRC_VEC;
            if (on[j[1:0]] && (src == SRC_CIF || src == SRC_CIB)) cih = 1'b1;
            if (on[j[1:0]] && src == SRC_HSEG) hseg = 1'b1;
        end
        seg_cih[l] <= cih;
        seg_hseg[l] <= hseg;
    end
end
reg [11*SB_BITS-1:0] seg_a = 0;
reg [11*SB_BITS-1:0] seg_b = 0;
always @(posedge clk) begin : seg_tables
    reg [3:0] l, j;
    reg [SB_BITS:0] m;
    for (l = 0; l < 4'd11; l = l + 4'd1) begin
        m = 0;
        for (j = 0; j < 4'd4; j = j + 4'd1)
            if (seg_vec[l * 4 + j])
                m = m | ({{SB_BITS{1'b0}}, 1'b1} << s_slot_f[l * 20 + j * 5 +: 5]);
        if (seg_cih[l]) m[SB_CIH] = 1'b1;
        if (seg_hseg[l]) m[SB_BITS] = 1'b1;
        seg_a[l * SB_BITS +: SB_BITS] <= m[SB_BITS-1:0] | ({{(SB_BITS-1){1'b0}}, m[SB_BITS]} << sl_h(l));
        seg_b[l * SB_BITS +: SB_BITS] <= m[SB_BITS-1:0] | ({{(SB_BITS-1){1'b0}}, m[SB_BITS]} << sl_rh(l));
    end
end
// the first entry's sources (ENC step 0 sub-entry 0, the forward encoder's phase A): seg_a[0] and its own state
assign first_src = seg_a[0 +: SB_BITS] | ({{(SB_BITS-1){1'b0}}, 1'b1} << sl_h(4'd0));
// scoreboard masks of the entry at the counter: a select per layer with constant bit indexes (no index arithmetic)
reg [SB_BITS-1:0] d_src, d_dst;
always @* begin : masks
    reg [3:0] i;
    d_src = 0;
    d_dst = 0;
    for (i = 0; i < 4'd11; i = i + 4'd1) begin
        if (d_l == i) begin
            case (d_kind)
                K_GA: begin
                    d_src = seg_a[i * SB_BITS +: SB_BITS];
                    d_src[sl_h(i)] = 1'b1;
                    d_dst[sl_z(i)] = 1'b1;
                    d_dst[sl_rh(i)] = 1'b1;
                end
                K_GB: begin
                    d_src = seg_b[i * SB_BITS +: SB_BITS];
                    d_src[sl_h(i)] = 1'b1;
                    d_src[sl_z(i)] = 1'b1;
                    d_dst[sl_h(i)] = 1'b1;
                    if (i == 2 || i == 3)
                        d_dst[SB_CIH] = 1'b1;
                end
                default: begin
                    d_src = seg_b[i * SB_BITS +: SB_BITS];
                    case (i)
                        6: d_dst[SL_ICM] = 1'b1;
                        7: d_dst[sl_h(5)] = 1'b1;
                        8: d_dst[SL_CO] = 1'b1;
                        9: begin
                            d_dst[SL_FS] = 1'b1;
                            if (!d_fac0)
                                d_dst[SL_FV] = 1'b1;
                        end
                        default: ;
                    endcase
                end
            endcase
        end
    end
end

// nsub == 1 (phases 0, END.., and TAIL with a controller); nsub - 2 (mod 16) of the phase at the counter
function nsub_is1(input [2:0] ph, input h);
    nsub_is1 = !(ph == PH_ENC || ph == PH_MID || ph == PH_REC || (ph == PH_TAIL && !h));
endfunction
reg [3:0] nsub_m2;
always @* begin
    case (pc_phase)
        PH_ENC:  nsub_m2 = hc ? 4'd6 : 4'd2;
        PH_MID:  nsub_m2 = hc ? 4'd1 : 4'd0;
        PH_REC:  nsub_m2 = hc ? 4'd5 : 4'd2;
        PH_TAIL: nsub_m2 = hc ? 4'd15 : 4'd0;
        default: nsub_m2 = 4'd15;
    endcase
end
// step_last after a step advance within the phase (pc_step + 1 == nstep - 1): the compare of pc_step with nstep - 2
// of the phase, that operand registered from the phase a cycle earlier and the compare another cycle later. Exact
// when it is used: in ENC and REC (nsub >= 4) the phase and pc_step are at least 3 cycles old at an entry's last
// sub-entry; after `start`, which puts the counter at sub-entry 2, the last sub-entry (3) can be reached at the second
// edge after it: the operand is then registered at the `start` edge itself (ENC's), the compare at the next; in the
// other phases (nstep 1) pc_step stays 0. (The counter only moves at `advance`, and the engine never advances
// outside `valid`: its do_load / do_skip require it.)
reg [15:0] nstep_m2_r = 16'hFFFF;
reg        step_near_last = 1'b0;
always @(posedge clk) begin
    if (start)
        nstep_m2_r <= enc_m2_r;
    else
        nstep_m2_r <= (pc_phase == PH_ENC) ? enc_m2_r : (pc_phase == PH_REC) ? rec_m2_r : 16'hFFFF;
    step_near_last <= pc_step == nstep_m2_r;
end
// step_last on entering the next phase (nstep == 1): ENC after phase 0, REC after MID; 1 for the others
wire next_phase_is1 = (pc_phase == 3'd0) ? enc_is1_r : (pc_phase == PH_MID) ? rec_is1_r : 1'b1;
// the next phase (a decode, not an adder: it feeds the next entry's layer and last-entry decodes)
reg [2:0] phase_inc;
always @* begin
    case (pc_phase)
        3'd0: phase_inc = 3'd1;
        3'd1: phase_inc = 3'd2;
        3'd2: phase_inc = 3'd3;
        3'd3: phase_inc = 3'd4;
        3'd4: phase_inc = 3'd5;
        3'd5: phase_inc = 3'd6;
        3'd6: phase_inc = 3'd7;
        default: phase_inc = 3'd0;
    endcase
end

// valid (cur_phase in ENC .. TAIL) a register, updated with cur_phase: it is a term of the engine's advance (do_skip,
// do_load), the clock enable of the descriptor registers
reg    valid_r = 1'b0;
assign valid = valid_r;
assign at_end = cur_phase == PH_END;
assign step_next = advance && cur_sub_last && !cur_step_last;

always @(posedge clk) begin : counter
    if (rst) begin
        pc_phase <= 0;
        cur_phase <= 0;
        valid_r <= 1'b0;
        sub_last <= pc_sub == 0;
        step_last <= pc_step == 0;
    end else if (start) begin
        // the current entry: ENC step 0 sub-entry 0 (the forward encoder's phase A, seg_a[0] straight from the
        // tables); the next: sub-entry 1 (the backward encoder's phase A, layer 1, at bin T_enc - 1); the counter:
        // sub-entry 2 (ENC has 4 or 8)
        cur_phase <= PH_ENC;
        valid_r <= 1'b1;
        cur_sub_last <= 1'b0;
        cur_step_last <= t_enc == 16'd1;
        nx_skip <= 1'b0;
        nx_l <= 4'd0;
        nx_kind <= K_GA;
        nx_t <= 16'd0;
        nx_fac0 <= 1'b0;
        nx_emit <= 1'b0;
        nx_newest <= t_enc == 16'd1;
        // its masks from seg_a (registered from the tables, which are in place two edges before `start`), as the
        // select below
        nx_src <= first_src;
        nx_dst <= ({{(SB_BITS-1){1'b0}}, 1'b1} << sl_z(4'd0)) | ({{(SB_BITS-1){1'b0}}, 1'b1} << sl_rh(4'd0));
        ne_phase <= PH_ENC;
        ne_sub_last <= 1'b0;
        ne_step_last <= t_enc == 16'd1;
        ne_skip <= 1'b0;
        ne_l <= 4'd1;
        ne_kind <= K_GA;
        ne_t <= t_enc - 1'b1;
        ne_fac0 <= 1'b0;
        ne_emit <= 1'b0;
        ne_newest <= 1'b1;
        ne_src <= seg_a[1 * SB_BITS +: SB_BITS] | ({{(SB_BITS-1){1'b0}}, 1'b1} << sl_h(4'd1));
        ne_dst <= ({{(SB_BITS-1){1'b0}}, 1'b1} << sl_z(4'd1)) | ({{(SB_BITS-1){1'b0}}, 1'b1} << sl_rh(4'd1));
        pc_phase <= PH_ENC;
        pc_step <= 0;
        pc_sub <= 4'd2;
        lk_r <= layer_of(PH_ENC, 4'd2, hc);
        sub_last <= 1'b0;
        step_last <= t_enc == 16'd1;
        step0 <= 1'b1;
        bstep <= t_enc - 1'b1;
    end else if (advance) begin
        cur_phase <= ne_phase;
        valid_r <= ne_phase >= PH_ENC && ne_phase <= PH_TAIL;
        cur_sub_last <= ne_sub_last;
        cur_step_last <= ne_step_last;
        nx_skip <= ne_skip;
        nx_l <= ne_l;
        nx_kind <= ne_kind;
        nx_t <= ne_t;
        nx_fac0 <= ne_fac0;
        nx_emit <= ne_emit;
        nx_newest <= ne_newest;
        nx_src <= ne_src;
        nx_dst <= ne_dst;
        ne_phase <= pc_phase;
        ne_sub_last <= sub_last;
        ne_step_last <= step_last;
        ne_skip <= d_skip;
        ne_l <= d_l;
        ne_kind <= d_kind;
        ne_t <= d_t;
        ne_fac0 <= d_fac0;
        ne_emit <= d_emit;
        ne_newest <= d_newest;
        ne_src <= d_src;
        ne_dst <= d_dst;
        if (sub_last) begin
            pc_sub <= 0;
            if (step_last) begin
                pc_step <= 0;
                pc_phase <= phase_inc;
                lk_r <= layer_of(phase_inc, 4'd0, hc);
                sub_last <= nsub_is1(phase_inc, hc);
                step_last <= next_phase_is1;
                step0 <= 1'b1;
                bstep <= enc_m1_r;
            end else begin
                pc_step <= pc_step + 1'b1;
                lk_r <= layer_of(pc_phase, 4'd0, hc);
                sub_last <= nsub_is1(pc_phase, hc);
                step_last <= step_near_last;
                step0 <= &pc_step;
                bstep <= bstep - 1'b1;
            end
        end else begin
            pc_sub <= pc_sub + 1'b1;
            lk_r <= layer_of(pc_phase, pc_sub + 4'd1, hc);
            sub_last <= pc_sub == nsub_m2;
        end
    end
end

endmodule

`resetall
