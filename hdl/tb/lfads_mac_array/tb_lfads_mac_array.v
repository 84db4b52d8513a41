// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// MAC array bench: directed extremes (most negative weight x largest operand, spikes 255, large
// shifts) and random row blocks of 1..6 tiles with random shifts and biases, some started from a
// given accumulator value (in_proj_sel: the online mode's cached projection, wide values of either
// sign) instead of the bias; the expected dot products are computed here with 64-bit integers from
// spec section 4.
module tb_lfads_mac_array;

localparam integer R = 4, C = 4, W = 16, XW = 17, ACC = 48;

reg clk = 0;
always #5 clk = ~clk;

reg                  in_valid = 0, in_first = 0, in_last = 0;
reg  [R*C*W-1:0]     in_w = 0;
reg  [C*XW-1:0]      in_x = 0;
reg  [6:0]           in_shift = 0, in_bias_shift = 0;
reg  [R*W-1:0]       in_bias = 0;
reg  [R*ACC-1:0]     in_proj = 0;
reg                  in_proj_sel = 0;
wire                 out_valid;
wire [R*ACC-1:0]     out_acc;
wire [7:0]           out_tag;
wire                 out_busy;
// the far rows' copies (FAR_ROW 2: rows 2, 3 as in a second SLR) of out_valid and of out_tag[2 +: 5]
wire                 out_valid_far;
wire [4:0]           out_lane_tag_far;
// the tag: the number of blocks whose last beat went in before (so a block's last beat carries its own number)
reg  [7:0]           in_tag = 0;
always @(posedge clk) if (in_valid && in_last) in_tag <= in_tag + 8'd1;

lfads_mac_array #(.ROW_LANES(R), .COL_LANES(C), .DATA_WIDTH(W), .X_WIDTH(XW), .ACC_WIDTH(ACC),
                  .SHIFT_WIDTH(7), .TAG_WIDTH(8), .FAR_ROW(2), .LANE_TAG_LSB(2), .LANE_TAG_WIDTH(5)) dut (
    .clk(clk), .in_valid(in_valid), .in_first(in_first), .in_last(in_last), .in_w(in_w),
    .in_x(in_x), .in_shift(in_shift), .in_bias(in_bias), .in_bias_shift(in_bias_shift),
    .in_proj(in_proj), .in_proj_sel(in_proj_sel), .in_tag(in_tag),
    .out_valid(out_valid), .out_acc(out_acc), .out_tag(out_tag), .out_busy(out_busy),
    .out_valid_far(out_valid_far), .out_lane_tag_far(out_lane_tag_far));

`include "tb_rand.vh"
reg [31:0] rng = 32'h12345678;

// the engine schedules by the documented latency: check it on every block
`include "lfads_pipeline.vh"
localparam integer LATENCY = lfads_mac_latency(C);
integer cycle = 0;
integer last_cycle [0:255];
integer q_last = 0;
always @(posedge clk) begin
    cycle <= cycle + 1;
    if (in_valid && in_last) begin
        last_cycle[q_last] = cycle;
        q_last = q_last + 1;
    end
end

reg signed [63:0] expect_acc [0:R-1];
integer checks = 0, errors = 0;
reg [31:0] checksum = 0;

task run_block(input integer tiles, input integer mode);
    integer t, r, c, bsh;
    reg signed [63:0] wv, xv, bv, pv;
    reg [6:0] sh;
    begin
        rng = tb_xorshift32(rng);
        bsh = rng % 20;
        for (t = 0; t < tiles; t = t + 1) begin
            rng = tb_xorshift32(rng);
            sh = (mode == 1) ? 7'd20 : rng % 12;
            if (mode == 1 && t == 0) sh = 0;
            for (r = 0; r < R; r = r + 1) begin
                rng = tb_xorshift32(rng);
                bv = (mode == 1) ? -(64'sd1 <<< (W - 1)) : tb_signed_edges(rng, W);
                if (t == 0) begin
                    in_bias[r*W +: W] = bv[W-1:0];
                    expect_acc[r] = $signed(bv[W-1:0]) * (64'sd1 <<< bsh);
                    if (mode == 3) begin
                        // a projection: any value of the accumulator's width (the bias is ignored)
                        rng = tb_xorshift32(rng);
                        pv[63:32] = rng;
                        rng = tb_xorshift32(rng);
                        pv[31:0] = rng;
                        pv = pv >>> (64 - ACC + rng[2:0]);
                        in_proj[r*ACC +: ACC] = pv[ACC-1:0];
                        expect_acc[r] = pv;
                    end
                end
            end
            for (c = 0; c < C; c = c + 1) begin
                rng = tb_xorshift32(rng);
                if (mode == 2)
                    xv = (c == 0) ? 255 : rng % 256;                        // spike counts (unsigned)
                else if (mode == 1)
                    xv = (64'sd1 <<< (W - 1)) - ((c == 0) ? 0 : 1);          // 2^(W-1): largest x
                else
                    xv = tb_signed_edges(rng, W);
                in_x[c*XW +: XW] = xv[XW-1:0];
            end
            for (r = 0; r < R; r = r + 1)
                for (c = 0; c < C; c = c + 1) begin
                    rng = tb_xorshift32(rng);
                    wv = (mode == 1) ? -(64'sd1 <<< (W - 1)) : tb_signed_edges(rng, W);
                    in_w[(r*C+c)*W +: W] = wv[W-1:0];
                    expect_acc[r] = expect_acc[r] + (($signed(wv[W-1:0]) * $signed({{(64-XW){in_x[c*XW+XW-1]}}, in_x[c*XW +: XW]})) <<< sh);
                end
            in_shift = sh;
            in_bias_shift = bsh;
            in_valid = 1;
            in_first = t == 0;
            in_last = t == tiles - 1;
            // the select matters only with in_first: raise it on other beats too, and lower it with
            // in_first outside mode 3
            in_proj_sel = (mode == 3) ? (t == 0) : (t != 0 && sh[0]);
            @(posedge clk);
            #1;
        end
        in_valid = 0;
        in_first = 0;
        in_last = 0;
        in_proj_sel = 0;
    end
endtask

// collect results as they come out (latency is the DUT's business; order is in-order)
integer blocks_out = 0;
reg signed [63:0] exp_q [0:255][0:R-1];
integer q_wr = 0;
always @(posedge clk) begin : check
    integer r;
    reg signed [ACC-1:0] got;
    // the far copies equal the near outputs in every cycle
    if (out_valid_far !== out_valid || out_lane_tag_far !== out_tag[2 +: 5]) begin
        errors = errors + 1;
        $display("ERROR cycle %0d: far copies valid %b tag %h, near valid %b tag %h", cycle, out_valid_far,
                 out_lane_tag_far, out_valid, out_tag);
    end
    if (out_valid) begin
        if (out_tag !== blocks_out[7:0]) begin
            errors = errors + 1;
            $display("ERROR block %0d: out_tag %0d", blocks_out, out_tag);
        end
        for (r = 0; r < R; r = r + 1) begin
            got = out_acc[r*ACC +: ACC];
            checks = checks + 1;
            checksum = (checksum * 31) ^ got[31:0] ^ got[47:32];
            if (r == 0 && cycle - last_cycle[blocks_out] != LATENCY) begin
                errors = errors + 1;
                $display("ERROR block %0d: out_valid %0d cycles after its last beat, LATENCY %0d",
                         blocks_out, cycle - last_cycle[blocks_out], LATENCY);
            end
            if (got !== exp_q[blocks_out][r][ACC-1:0]) begin
                errors = errors + 1;
                $display("ERROR block %0d row %0d: got %0d expected %0d", blocks_out, r, got, exp_q[blocks_out][r]);
            end
        end
        blocks_out = blocks_out + 1;
    end
end

task block(input integer tiles, input integer mode);
    integer r;
    begin
        run_block(tiles, mode);
        for (r = 0; r < R; r = r + 1) exp_q[q_wr][r] = expect_acc[r];
        q_wr = q_wr + 1;
    end
endtask

integer i, n_tiles, n_mode;
initial begin
    @(posedge clk);
    #1;
    block(1, 1);         // extremes, single tile
    block(6, 1);         // extremes accumulated with shifts
    block(3, 2);         // spike operands
    block(1, 0);
    block(1, 3);         // projection start, single tile
    block(4, 3);
    for (i = 0; i < 120; i = i + 1) begin
        rng = tb_xorshift32(rng);
        n_tiles = 1 + rng % 6;
        rng = tb_xorshift32(rng);
        n_mode = rng % 4;
        block(n_tiles, n_mode);
    end
    repeat (10) @(posedge clk);
    if (blocks_out != q_wr) begin
        errors = errors + 1;
        $display("ERROR %0d blocks in, %0d out", q_wr, blocks_out);
    end
    $display("checksum %08x, stimulus state %08x", checksum, rng);
    if (errors == 0)
        $display("PASS lfads_mac_array: %0d dot products, latency %0d", checks, LATENCY);
    else
        $display("FAIL lfads_mac_array: %0d errors", errors);
    $finish;
end

endmodule
`resetall
