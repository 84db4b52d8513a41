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
 * then). `valid` while an entry remains; `at_end` after the last. The descriptor is combinational from the counter
 * and the geometry tables, which are static during a run.
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

// descriptor of the entry at pc (combinational)
reg [3:0]  nx_nsub;
reg [15:0] nx_nstep;

always @* begin
    nx_skip = 1'b0;
    nx_l = 0;
    nx_kind = K_LIN;
    nx_t = 0;
    nx_fac0 = 1'b0;
    nx_emit = 1'b0;
    nx_nsub = 1;
    nx_nstep = 1;
    case (pc_phase)
        PH_ENC: begin
            nx_nstep = t_enc;
            nx_nsub = hc ? 8 : 4;
            if (hc) begin
                nx_l = {2'b0, pc_sub[1:0]};
                nx_kind = pc_sub[2] ? K_GB : K_GA;
            end else begin
                nx_l = {3'b0, pc_sub[0]};
                nx_kind = pc_sub[1] ? K_GB : K_GA;
            end
            nx_t = nx_l[0] ? t_enc - 1'b1 - pc_step : pc_step;
        end
        PH_MID: begin
            nx_nsub = hc ? 3 : 2;
            case (pc_sub)
                0: nx_l = 6;
                1: nx_l = 7;
                default: begin nx_l = 9; nx_fac0 = 1'b1; end
            endcase
        end
        PH_REC: begin
            // online: the newest bin is step T_enc - 1; later steps and earlier steps' outputs are not needed
            nx_nstep = online ? t_enc : t_rec;
            nx_t = pc_step;
            if (hc) begin
                nx_nsub = 7;
                case (pc_sub)
                    0: begin nx_l = 4; nx_kind = K_GA; end
                    1: begin nx_l = 10; nx_emit = 1'b1; nx_skip = pc_step == 0 || online; end
                    2: begin nx_l = 4; nx_kind = K_GB; end
                    3: nx_l = 8;
                    4: begin nx_l = 5; nx_kind = K_GA; end
                    5: begin nx_l = 5; nx_kind = K_GB; end
                    default: begin nx_l = 9; nx_emit = !online || pc_step == t_enc - 1'b1; end
                endcase
            end else begin
                nx_nsub = 4;
                case (pc_sub)
                    0: begin nx_l = 5; nx_kind = K_GA; end
                    1: begin nx_l = 9; nx_emit = 1'b1; nx_skip = pc_step == 0 || online; end
                    2: begin nx_l = 5; nx_kind = K_GB; end
                    default: begin nx_l = 10; nx_emit = 1'b1; nx_skip = pc_step == 0 || online; end
                endcase
            end
        end
        PH_TAIL: begin
            nx_nsub = hc ? 1 : 2;
            nx_emit = 1'b1;
            nx_l = (hc || pc_sub == 1) ? 10 : 9;
        end
        default: ;
    endcase
end

// scoreboard masks of the entry at pc
always @* begin : masks
    integer j;
    nx_src = 0;
    nx_dst = 0;
    for (j = 0; j < 4; j = j + 1) begin
        if (j < g_nseg_f[(nx_l) * 3 +: 3]) begin
            case (s_src_f[(nx_l * 4 + j) * 3 +: 3])
                SRC_VEC: nx_src[s_slot_f[(nx_l * 4 + j) * 5 +: 5]] = 1'b1;
                SRC_CIF, SRC_CIB: nx_src[SB_CIH] = 1'b1;
                SRC_HSEG: nx_src[(nx_kind == K_GA) ? sl_h(nx_l) : sl_rh(nx_l)] = 1'b1;
                default: ;
            endcase
        end
    end
    case (nx_kind)
        K_GA: begin
            nx_src[sl_h(nx_l)] = 1'b1;
            nx_dst[sl_z(nx_l)] = 1'b1;
            nx_dst[sl_rh(nx_l)] = 1'b1;
        end
        K_GB: begin
            nx_src[sl_h(nx_l)] = 1'b1;
            nx_src[sl_z(nx_l)] = 1'b1;
            nx_dst[sl_h(nx_l)] = 1'b1;
            if (nx_l == 2 || nx_l == 3)
                nx_dst[SB_CIH] = 1'b1;
        end
        default: case (nx_l)
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
    endcase
end

wire sub_last = pc_sub == nx_nsub - 1;
wire step_last = pc_step == nx_nstep - 1;
assign valid = pc_phase >= PH_ENC && pc_phase <= PH_TAIL;
assign at_end = pc_phase == PH_END;
assign step_next = advance && sub_last && !step_last;

always @(posedge clk) begin
    if (rst) begin
        pc_phase <= 0;
    end else if (start) begin
        pc_phase <= PH_ENC;
        pc_step <= 0;
        pc_sub <= 0;
    end else if (advance) begin
        if (sub_last) begin
            pc_sub <= 0;
            if (step_last) begin
                pc_step <= 0;
                pc_phase <= pc_phase + 1'b1;
            end else begin
                pc_step <= pc_step + 1'b1;
            end
        end else begin
            pc_sub <= pc_sub + 1'b1;
        end
    end
end

endmodule

`resetall
