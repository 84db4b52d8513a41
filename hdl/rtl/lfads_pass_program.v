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
 * `start` puts the counter at the first entry; `advance` (the sequencer took or skipped the entry) moves it on.
 * `step_next` is high in an `advance` that starts the next step of a phase (the engine's encoder bin bases move
 * then). `valid` while an entry remains; `at_end` after the last. The descriptor is combinational from the counter,
 * its registered flags (last entry, last step, step 0, backward step: kept one entry ahead, so that advancing is a
 * register test) and the per-layer scoreboard masks, registered from the geometry tables (static during a run; the
 * tables and T_enc / T_rec / hc / online must be in place at the `start` edge). No index arithmetic: every table
 * select has constant indexes (issue 13; the variable `* 3` / `* 5` indexes had become a DSP48E2).
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

    // the entry at the counter
    output reg                  nx_skip,
    output reg  [3:0]           nx_l,
    output reg  [1:0]           nx_kind,
    output reg  [15:0]          nx_t,
    output reg                  nx_fac0,
    output reg                  nx_emit,
    output reg  [SB_BITS-1:0]   nx_src,
    output reg  [SB_BITS-1:0]   nx_dst
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
reg [2:0]  pc_phase = 0;
reg [15:0] pc_step = 0;
reg [3:0]  pc_sub = 0;

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

// descriptor of the entry at pc (combinational from the counter and its flags)
always @* begin
    nx_skip = 1'b0;
    nx_l = 0;
    nx_kind = K_LIN;
    nx_t = 0;
    nx_fac0 = 1'b0;
    nx_emit = 1'b0;
    case (pc_phase)
        PH_ENC: begin
            if (hc) begin
                nx_l = {2'b0, pc_sub[1:0]};
                nx_kind = pc_sub[2] ? K_GB : K_GA;
            end else begin
                nx_l = {3'b0, pc_sub[0]};
                nx_kind = pc_sub[1] ? K_GB : K_GA;
            end
            nx_t = nx_l[0] ? bstep : pc_step;
        end
        PH_MID: begin
            case (pc_sub)
                0: nx_l = 6;
                1: nx_l = 7;
                default: begin nx_l = 9; nx_fac0 = 1'b1; end
            endcase
        end
        PH_REC: begin
            // online: the newest bin is step T_enc - 1 (REC's last step); later steps and earlier steps' outputs
            // are not needed
            nx_t = pc_step;
            if (hc) begin
                case (pc_sub)
                    0: begin nx_l = 4; nx_kind = K_GA; end
                    1: begin nx_l = 10; nx_emit = 1'b1; nx_skip = step0 || online; end
                    2: begin nx_l = 4; nx_kind = K_GB; end
                    3: nx_l = 8;
                    4: begin nx_l = 5; nx_kind = K_GA; end
                    5: begin nx_l = 5; nx_kind = K_GB; end
                    default: begin nx_l = 9; nx_emit = !online || step_last; end
                endcase
            end else begin
                case (pc_sub)
                    0: begin nx_l = 5; nx_kind = K_GA; end
                    1: begin nx_l = 9; nx_emit = 1'b1; nx_skip = step0 || online; end
                    2: begin nx_l = 5; nx_kind = K_GB; end
                    default: begin nx_l = 10; nx_emit = 1'b1; nx_skip = step0 || online; end
                endcase
            end
        end
        PH_TAIL: begin
            nx_emit = 1'b1;
            nx_l = (hc || pc_sub == 1) ? 10 : 9;
        end
        default: ;
    endcase
end

// Per-layer source masks of the column segments, registered from the geometry tables (static during a run; a table
// written in the cycle of `start` is seen from the first entry on). All indexes are constants: no index arithmetic.
// seg_a[l]: the segments' bits with a hidden-state segment read as h(l) (GRU phase A); seg_b[l]: as rh(l).
reg [11*SB_BITS-1:0] seg_a = 0;
reg [11*SB_BITS-1:0] seg_b = 0;
// (Computed in the clocked block: loop counters only, unrolled to constant indexes.)
always @(posedge clk) begin : seg_tables
    reg [3:0] l;
    integer   j;
    reg [SB_BITS-1:0] m;
    reg               hs;
    reg [3:0]         on;
    for (l = 0; l < 4'd11; l = l + 4'd1) begin
        m = 0;
        hs = 1'b0;
        case (g_nseg_f[l * 3 +: 3])      // segments j < nseg (a decode, not a compare: no carry chain)
            3'd0: on = 4'b0000;
            3'd1: on = 4'b0001;
            3'd2: on = 4'b0011;
            3'd3: on = 4'b0111;
            default: on = 4'b1111;
        endcase
        for (j = 0; j < 4; j = j + 1) begin
            if (on[j]) begin
                case (s_src_f[(l * 4 + j) * 3 +: 3])
                    SRC_VEC: m = m | ({{(SB_BITS-1){1'b0}}, 1'b1} << s_slot_f[(l * 4 + j) * 5 +: 5]);
                    SRC_CIF, SRC_CIB: m[SB_CIH] = 1'b1;
                    SRC_HSEG: hs = 1'b1;
                    default: ;
                endcase
            end
        end
        seg_a[l * SB_BITS +: SB_BITS] <= m | ({{(SB_BITS-1){1'b0}}, hs} << sl_h(l));
        seg_b[l * SB_BITS +: SB_BITS] <= m | ({{(SB_BITS-1){1'b0}}, hs} << sl_rh(l));
    end
end

// scoreboard masks of the entry at pc: a select per layer with constant bit indexes (no index arithmetic on nx_l)
always @* begin : masks
    reg [3:0] i;
    nx_src = 0;
    nx_dst = 0;
    for (i = 0; i < 4'd11; i = i + 4'd1) begin
        if (nx_l == i) begin
            case (nx_kind)
                K_GA: begin
                    nx_src = seg_a[i * SB_BITS +: SB_BITS];
                    nx_src[sl_h(i)] = 1'b1;
                    nx_dst[sl_z(i)] = 1'b1;
                    nx_dst[sl_rh(i)] = 1'b1;
                end
                K_GB: begin
                    nx_src = seg_b[i * SB_BITS +: SB_BITS];
                    nx_src[sl_h(i)] = 1'b1;
                    nx_src[sl_z(i)] = 1'b1;
                    nx_dst[sl_h(i)] = 1'b1;
                    if (i == 2 || i == 3)
                        nx_dst[SB_CIH] = 1'b1;
                end
                default: begin
                    nx_src = seg_b[i * SB_BITS +: SB_BITS];
                    case (i)
                        6: nx_dst[SL_ICM] = 1'b1;
                        7: nx_dst[sl_h(5)] = 1'b1;
                        8: nx_dst[SL_CO] = 1'b1;
                        9: begin
                            nx_dst[SL_FS] = 1'b1;
                            if (!nx_fac0)
                                nx_dst[SL_FV] = 1'b1;
                        end
                        default: ;
                    endcase
                end
            endcase
        end
    end
end

// nsub == 1 (phases 0, END.., and TAIL with a controller); nsub - 2 (mod 16) of the phase at pc
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
// sub-entry (also after `start`); in the other phases (nstep 1) pc_step stays 0 while `valid`. (Outside `valid`
// the engine never advances: its do_load / do_skip require it.)
reg [15:0] nstep_m2_r = 16'hFFFF;
reg        step_near_last = 1'b0;
always @(posedge clk) begin
    nstep_m2_r <= (pc_phase == PH_ENC) ? enc_m2_r : (pc_phase == PH_REC) ? rec_m2_r : 16'hFFFF;
    step_near_last <= pc_step == nstep_m2_r;
end
// step_last on entering the next phase (nstep == 1): ENC after phase 0, REC after MID; 1 for the others
wire next_phase_is1 = (pc_phase == 3'd0) ? enc_is1_r : (pc_phase == PH_MID) ? rec_is1_r : 1'b1;
wire [2:0] phase_inc = pc_phase + 1'b1;

assign valid = pc_phase >= PH_ENC && pc_phase <= PH_TAIL;
assign at_end = pc_phase == PH_END;
assign step_next = advance && sub_last && !step_last;

always @(posedge clk) begin
    if (rst) begin
        pc_phase <= 0;
        sub_last <= pc_sub == 0;
        step_last <= pc_step == 0;
    end else if (start) begin
        pc_phase <= PH_ENC;
        pc_step <= 0;
        pc_sub <= 0;
        sub_last <= 1'b0;
        step_last <= t_enc == 16'd1;
        step0 <= 1'b1;
        bstep <= t_enc - 1'b1;
    end else if (advance) begin
        if (sub_last) begin
            pc_sub <= 0;
            if (step_last) begin
                pc_step <= 0;
                pc_phase <= phase_inc;
                sub_last <= nsub_is1(phase_inc, hc);
                step_last <= next_phase_is1;
                step0 <= 1'b1;
                bstep <= enc_m1_r;
            end else begin
                pc_step <= pc_step + 1'b1;
                sub_last <= nsub_is1(pc_phase, hc);
                step_last <= step_near_last;
                step0 <= &pc_step;
                bstep <= bstep - 1'b1;
            end
        end else begin
            pc_sub <= pc_sub + 1'b1;
            sub_last <= pc_sub == nsub_m2;
        end
    end
end

endmodule

`resetall
