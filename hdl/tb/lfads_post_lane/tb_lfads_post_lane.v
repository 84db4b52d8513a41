// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// GRU-step lane bench (lfads_post_lane): update gate z, reset product r*h, candidate + state update
// with cell clip, and linear requantization with extreme shifts, against spec section 5 / section 1
// computed here with 128-bit integers. Directed edges: z = 0 and z = 1 - ulp, h at +-CLIP and at
// the W-bit extremes, accumulators at +-2^46, shifts beyond the clamp ranges. Then the GRU modes again
// under other state formats and clips (Fs = 0, 7, 15; CLIP_Q = 1, 300, 2^(W-1) - 1): the final shift
// 2Fg - Fs and the clip limits at both ends of their ranges.
module tb_lfads_post_lane;

localparam integer W = 16, ACC = 48, KMAX = 10, PW = 20;
localparam integer FP = 15, FG = 15, K = 10;
// state format and clip (configuration: static while rows flow; changed only between rows)
integer FS = 12;
integer CLIP = 20480;  // 5.0 in state units
reg [5:0]   cfg_fs = 12;
reg [W-1:0] cfg_clip = 20480;

reg clk = 0;
always #5 clk = ~clk;

reg              tab_we = 0;
reg  [KMAX:0]    tab_waddr = 0;
reg  [2*W-1:0]   tab_wdata = 0;
reg              in_valid = 0;
reg signed [ACC-1:0] in_acc = 0;
reg  [1:0]       in_mode = 0;
// shift_decode(k1 / k2), as lfads_engine's per-layer table, a cycle before the beat's in_valid
reg [6:0]        in_shift1_next = 0, in_shift2_next = 0;
reg signed [W-1:0] wb_h = 0, wb_z = 0;
wire             out_valid;
wire signed [W-1:0] out_value, out_value2;

lfads_post_lane #(.DATA_WIDTH(W), .ACC_WIDTH(ACC), .MAX_ACT_SEG_BITS(KMAX)) dut (
    .clk(clk), .tab_we(tab_we), .tab_waddr(tab_waddr), .tab_wdata(tab_wdata),
    .cfg_seg_bits(K[4:0]),
    .cfg_frac_state(cfg_fs), .cfg_clip_q(cfg_clip),
    .in_valid(in_valid), .in_acc(in_acc), .in_mode(in_mode), .in_shift1_next(in_shift1_next),
    .in_shift2_next(in_shift2_next),
    .in_h(wb_h), .in_z(wb_z), .out_valid(out_valid), .out_value(out_value), .out_value2(out_value2));

`include "lfads_pipeline.vh"
`include "lfads_tag.vh"
`include "tb_rand.vh"
reg [31:0] rng = 32'h0BADBEEF;

reg signed [W-1:0] tabs [0:1][0:(1<<KMAX)];
`include "tb_fixed_ref.vh"

integer checks = 0, errors = 0;
reg [63:0] r64;
reg [31:0] checksum = 0;

// the expected out_value (e1) and out_value2 (e2) of one row
task row_expect(input integer mode, input signed [ACC-1:0] acc, input integer k1, input integer k2,
            input signed [W-1:0] h, input signed [W-1:0] z, output reg signed [127:0] e1, output reg signed [127:0] e2);
    reg signed [127:0] a, g, u;
    begin
        a = acc;
        e2 = tb_sat(tb_rsh(a, k2), W);
        case (mode)
            0: e1 = tb_act_ref(tb_sat(tb_rsh(a, k1), PW), 0, K);
            1: begin
                g = tb_act_ref(tb_sat(tb_rsh(a, k1), PW), 0, K);
                e1 = tb_sat(tb_rsh(g * h, FG), W);
            end
            2: begin
                g = tb_act_ref(tb_sat(tb_rsh(a, k1), PW), 1, K);
                u = ((z * h) <<< (FG - FS)) + (((128'sd1 <<< FG) - z) * g);
                e1 = tb_rsh(u, 2 * FG - FS);
                if (e1 > CLIP) e1 = CLIP;
                if (e1 < -CLIP) e1 = -CLIP;
                e1 = tb_sat(e1, W);
            end
            default: e1 = tb_sat(tb_rsh(a, k1), W);
        endcase
    end
endtask

// one row alone: the shift amounts in the cycle before in_valid only (other amounts before and after)
task run(input integer mode, input signed [ACC-1:0] acc, input integer k1, input integer k2,
         input signed [W-1:0] h, input signed [W-1:0] z);
    reg signed [127:0] e1, e2;
    begin
        row_expect(mode, acc, k1, k2, h, z, e1, e2);
        @(posedge clk);
        #1;
        in_shift1_next = shift_decode(k1[7:0], W, ACC);   // the expectation uses k itself (tb_rsh), not the decode
        in_shift2_next = shift_decode(k2[7:0], W, ACC);
        @(posedge clk);
        #1;
        in_valid = 1;
        in_acc = acc;
        in_mode = mode;
        in_shift1_next = ~in_shift1_next;
        in_shift2_next = ~in_shift2_next;
        @(posedge clk);
        #1;
        in_valid = 0;
        wb_h = h;
        wb_z = z;
        @(posedge clk);
        #1;
        // h and z are sampled in that one cycle only
        wb_h = ~h;
        wb_z = ~z;
        repeat (LFADS_POST_LATENCY - 2) @(posedge clk);
        #1;
        checks = checks + 1;
        // out_value2 is defined only in mode 3 (the second requantized result)
        checksum = (checksum * 33) ^ {out_value, (mode == 3) ? out_value2 : {W{1'b0}}};
        if (!out_valid || out_value !== e1[W-1:0] || (mode == 3 && out_value2 !== e2[W-1:0])) begin
            errors = errors + 1;
            $display("ERROR mode %0d acc=%0d k1=%0d k2=%0d h=%0d z=%0d: got %0d/%0d expected %0d/%0d",
                     mode, acc, k1, k2, h, z, out_value, out_value2, e1, e2);
        end
    end
endtask

// back-to-back rows (one per cycle, with gaps), each with its own mode and shift amounts: the amounts of row i in
// the cycle before its in_valid, its h / z in the cycle after; the results in order, one per out_valid
localparam integer NS = 400;
integer s_mode [0:NS-1];
integer s_k1 [0:NS-1];
integer s_k2 [0:NS-1];
reg signed [ACC-1:0] s_acc [0:NS-1];
reg signed [W-1:0]   s_h [0:NS-1];
reg signed [W-1:0]   s_z [0:NS-1];
reg                  s_gap [0:NS];
task stream;
    integer c, ni, no, hzi;
    reg signed [127:0] e1, e2;
    begin
        for (ni = 0; ni < NS; ni = ni + 1) begin
            rng = tb_xorshift32(rng);
            s_mode[ni] = rng % 4;
            rng = tb_xorshift32(rng);
            r64[63:32] = rng;
            rng = tb_xorshift32(rng);
            r64[31:0] = rng;
            s_acc[ni] = rand_acc(r64);
            rng = tb_xorshift32(rng);
            s_k1[ni] = (s_mode[ni] == 3) ? ($signed(rng) % 60) : 5 + rng % 30;
            rng = tb_xorshift32(rng);
            s_k2[ni] = $signed(rng) % 60;
            rng = tb_xorshift32(rng);
            s_h[ni] = rng;
            rng = tb_xorshift32(rng);
            s_z[ni] = rng % 32768;
            rng = tb_xorshift32(rng);
            s_gap[ni] = rng % 5 == 0;                       // a cycle without a row before row ni
        end
        s_gap[NS] = 1'b0;
        // cycle by cycle: ni the next row to enter, no the next result expected, hzi the row whose h / z are due
        ni = 0;
        no = 0;
        hzi = -1;
        @(posedge clk);
        #1;
        in_shift1_next = shift_decode(s_k1[0][7:0], W, ACC);
        in_shift2_next = shift_decode(s_k2[0][7:0], W, ACC);
        @(posedge clk);
        #1;
        for (c = 0; no < NS; c = c + 1) begin
            // outputs of the edge just passed
            if (out_valid) begin
                row_expect(s_mode[no], s_acc[no], s_k1[no], s_k2[no], s_h[no], s_z[no], e1, e2);
                checks = checks + 1;
                checksum = (checksum * 33) ^ {out_value, (s_mode[no] == 3) ? out_value2 : {W{1'b0}}};
                if (out_value !== e1[W-1:0] || (s_mode[no] == 3 && out_value2 !== e2[W-1:0])) begin
                    errors = errors + 1;
                    $display("ERROR stream row %0d mode %0d acc=%0d k1=%0d k2=%0d: got %0d/%0d expected %0d/%0d",
                             no, s_mode[no], s_acc[no], s_k1[no], s_k2[no], out_value, out_value2, e1, e2);
                end
                no = no + 1;
            end
            // h / z of the row that entered in the previous cycle
            if (hzi >= 0) begin
                wb_h = s_h[hzi];
                wb_z = s_z[hzi];
            end else begin
                wb_h = ~wb_h;
                wb_z = ~wb_z;
            end
            hzi = -1;
            if (ni < NS && !s_gap[ni]) begin
                in_valid = 1;
                in_acc = s_acc[ni];
                in_mode = s_mode[ni];
                hzi = ni;
                ni = ni + 1;
            end else begin
                in_valid = 0;
                in_acc = ~in_acc;
                in_mode = in_mode + 2'd1;
                if (ni < NS) s_gap[ni] = 1'b0;
            end
            // the amounts of the row that can enter in the next cycle
            if (ni < NS) begin
                in_shift1_next = shift_decode(s_k1[ni][7:0], W, ACC);
                in_shift2_next = shift_decode(s_k2[ni][7:0], W, ACC);
            end else begin
                in_shift1_next = ~in_shift1_next;
                in_shift2_next = ~in_shift2_next;
            end
            @(posedge clk);
            #1;
            if (c > NS * 2 + 40) begin
                errors = errors + 1;
                $display("ERROR stream: %0d of %0d results", no, NS);
                no = NS;
            end
        end
        in_valid = 0;
    end
endtask

// an accumulator value from a 64-bit draw: magnitudes from 2^7 to 2^46, the full range 1 time in 4
function signed [ACC-1:0] rand_acc(input [63:0] r);
    begin
        rand_acc = $signed(r[ACC-1:0]) >>> (r[5:0] % 40);
        if (r[7:6] == 0) rand_acc = $signed(r[ACC-1:0]) >>> 1;
    end
endfunction

integer t, i, v, mode, k1, k2;
reg signed [W-1:0] h, z;
reg signed [ACC-1:0] acc;
initial begin
    // sigmoid-like and tanh-like synthetic tables (monotone, saturated ends)
    for (t = 0; t < 2; t = t + 1)
        for (i = 0; i <= (1 << K); i = i + 1) begin
            rng = tb_xorshift32(rng);
            v = (t ? -32767 : 0) + (i * (t ? 65534 : 32767)) / (1 << K) + ($signed(rng) % 50);
            tabs[t][i] = tb_sat(v, W);
        end
    tb_write_act_tables(K);

    // directed edges
    run(2, 0, 20, 0, CLIP, 32767);                      // z = 1 - ulp keeps h
    run(2, 0, 20, 0, -CLIP, 0);                         // z = 0 takes n
    run(2, 48'sh3FFF_FFFF_FFFF, 20, 0, 32767, 16384);   // n saturates, h above clip -> clipped
    run(2, -48'sh3FFF_FFFF_FFFF, 20, 0, -32768, 16384);
    run(1, 48'sh3FFF_FFFF_FFFF, 20, 0, -32768, 0);      // r = 1 - ulp times most negative h
    run(1, -48'sh3FFF_FFFF_FFFF, 20, 0, 32767, 0);
    run(0, 48'sh3FFF_FFFF_FFFF, -3, 0, 0, 0);           // pre-activation saturates at PW
    run(3, 48'sh3FFF_FFFF_FFFF, 60, -30, 0, 0);         // shifts beyond the clamp ranges
    run(3, -48'sh4000_0000_0000, 49, -22, 0, 0);
    run(3, -48'sd1, 1, 0, 0, 0);                        // -0.5 rounds up to 0
    run(3, 48'sd1, 1, -21, 0, 0);
    run(3, 48'sd3, 1, 0, 0, 0);                         // 1.5 rounds up to 2
    run(3, -48'sd3, 1, 0, 0, 0);                        // -1.5 rounds up to -1
    run(3, 0, -40, 40, 0, 0);
    run(3, -48'sh4000_0000_0000, 127, -40, 0, 0);       // the largest right shift (k of 8 bits)
    run(3, 48'sd5, -40, 127, 0, 0);
    run(3, 48'sh7FFF_FFFF_FFFF, 48, 47, 0, 0);          // right shifts at the accumulator width
    run(3, -48'sd7, -21, -22, 0, 0);                    // left shifts at and beyond the LMAX cap
    stream;

    for (i = 0; i < 600; i = i + 1) begin
        rng = tb_xorshift32(rng);
        mode = rng % 4;
        rng = tb_xorshift32(rng);
        r64[63:32] = rng;
        rng = tb_xorshift32(rng);
        r64[31:0] = rng;
        acc = rand_acc(r64);
        rng = tb_xorshift32(rng);
        k1 = (mode == 3) ? ($signed(rng) % 60) : 5 + rng % 30;
        rng = tb_xorshift32(rng);
        k2 = $signed(rng) % 60;
        rng = tb_xorshift32(rng);
        h = rng;
        rng = tb_xorshift32(rng);
        if (rng % 4 == 0) h = (rng[8] == 1'b1) ? CLIP : -CLIP;
        rng = tb_xorshift32(rng);
        z = rng % 32768;
        run(mode, acc, k1, k2, h, z);
    end
    // GRU modes under other state formats and clips
    for (t = 0; t < 3; t = t + 1) begin
        FS = (t == 0) ? 0 : (t == 1) ? 15 : 7;
        CLIP = (t == 0) ? 32767 : (t == 1) ? 1 : 300;
        @(posedge clk);
        #1;
        cfg_fs = FS;
        cfg_clip = CLIP;
        repeat (4) @(posedge clk);
        run(2, 48'sh3FFF_FFFF_FFFF, 20, 0, 32767, 16384);
        run(2, -48'sh3FFF_FFFF_FFFF, 20, 0, -32768, 16384);
        run(2, 0, 20, 0, CLIP, 32767);
        run(2, 0, 20, 0, -CLIP, 32767);
        run(2, 0, 20, 0, CLIP + 1, 32767);              // one above the clip: clipped
        run(2, 0, 20, 0, -CLIP - 1, 32767);
        run(1, 48'sh3FFF_FFFF_FFFF, 20, 0, -32768, 0);
        run(1, -48'sh3FFF_FFFF_FFFF, 20, 0, 32767, 0);
        for (i = 0; i < 150; i = i + 1) begin
            rng = tb_xorshift32(rng);
            mode = 1 + rng % 2;
            rng = tb_xorshift32(rng);
            r64[63:32] = rng;
            rng = tb_xorshift32(rng);
            r64[31:0] = rng;
            acc = rand_acc(r64);
            rng = tb_xorshift32(rng);
            k1 = 5 + rng % 30;
            rng = tb_xorshift32(rng);
            h = rng;
            rng = tb_xorshift32(rng);
            if (rng % 4 == 0) h = (rng[8] == 1'b1) ? CLIP : -CLIP;
            if (rng % 4 == 1) h = (rng[8] == 1'b1) ? CLIP + 1 : -CLIP - 1;
            rng = tb_xorshift32(rng);
            z = rng % 32768;
            run(mode, acc, k1, 0, h, z);
        end
    end
    $display("checksum %08x, stimulus state %08x", checksum, rng);
    if (errors == 0)
        $display("PASS lfads_post_lane (GRU step lane): %0d results", checks);
    else
        $display("FAIL lfads_post_lane: %0d errors", errors);
    $finish;
end

endmodule
`resetall
