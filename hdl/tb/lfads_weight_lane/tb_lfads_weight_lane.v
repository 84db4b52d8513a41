// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Weight-lane bench (lfads_weight_lane): random mixes of clears, element writes of weights (one
// column of a tile), biases and h0 values, and tile / bias reads with adv on or off, against a
// reference copy of the three memories kept here. Checks w_q and b_q three cycles after each read and
// the combinational h0 read every cycle. Writes land one cycle after they are presented (the
// lane registers its write port). Directed edges: clear beyond each memory's depth (only the
// memories that have the address are cleared; also addresses whose low bits are in range and a high
// bit is set), clear and write in the same cycle (clear wins), writes for other row lanes (wm_r / el_r another
// lane's index, also one that differs only in a high bit: not written here),
// a write presented in the cycle before, and in the cycle of, a read of the same tile (the read sees
// the old tile in both: the write lands at the read's own edge), bias_first low.
module tb_lfads_weight_lane;

localparam integer C = 4, W = 16, NT = 16, NB = 8, NH = 6;
localparam integer TB = 4, RBB = 3, H0B = 3;
localparam integer LANE = 5;

reg clk = 0;
always #5 clk = ~clk;

reg              clr_we = 0, wm_we = 0, bm_we = 0, h0_we = 0, adv = 0, bias_first = 0;
reg  [15:0]      clr_addr = 0, wm_c = 0, tile = 0, bias = 0, h0_raddr = 0;
reg  [15:0]      wm_r = LANE, el_r = LANE;
reg  [W-1:0]     el_data = 0;
reg  [TB-1:0]    wm_addr = 0;
reg  [RBB-1:0]   bm_addr = 0;
reg  [H0B-1:0]   h0_addr = 0;
wire [C*W-1:0]   w_q;
wire [W-1:0]     b_q;
wire [W-1:0]     h0_rdata;

lfads_weight_lane #(.COL_LANES(C), .DATA_WIDTH(W), .MAX_TILES(NT), .MAX_ROW_BLOCKS(NB), .H0_DEPTH(NH),
    .TB(TB), .RBB(RBB), .H0B(H0B), .LANE(LANE)) dut (
    .clk(clk), .clr_we(clr_we), .clr_addr(clr_addr), .el_data(el_data),
    .wm_we(wm_we), .wm_addr(wm_addr), .wm_r(wm_r), .wm_c(wm_c), .bm_we(bm_we), .bm_addr(bm_addr),
    .h0_we(h0_we), .h0_addr(h0_addr), .el_r(el_r), .adv(adv), .tile(tile), .bias(bias), .bias_first(bias_first),
    .h0_raddr(h0_raddr), .w_q(w_q), .b_q(b_q), .h0_rdata(h0_rdata));

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED1A4E;

// reference memories and the three register stages of the reads
reg [C*W-1:0] rw [0:NT-1];
reg [W-1:0]   rb [0:NB-1];
reg [W-1:0]   rh [0:NH-1];
reg [C*W-1:0] ew = 0, ew1 = 0;
reg [W-1:0]   eb = 0, eb1 = 0;
reg           a_adv = 0, a_bf = 0;
reg [W-1:0]   eh = 0;                // h0's registered read: the word at h0_raddr before this edge's write lands
reg [15:0]    a_tile = 0, a_bias = 0;
// the write port's register stage: what the RTL writes at the next edge
reg [1:0]     primed = 0;          // steps since the start (h0's registered read is checked from the third)
reg           p_clr = 0, p_wm = 0, p_bm = 0, p_h0 = 0;
reg [15:0]    p_clr_addr = 0, p_wm_c = 0;
reg [TB-1:0]  p_wm_addr = 0;
reg [RBB-1:0] p_bm_addr = 0;
reg [H0B-1:0] p_h0_addr = 0;
reg [W-1:0]   p_data = 0;

integer checks = 0, errors = 0, i, n;
reg [31:0] checksum = 0;

task check(input [63:0] got, input [63:0] want, input [8*16-1:0] what);
    begin
        checks = checks + 1;
        checksum = tb_xorshift32(checksum ^ got[31:0] ^ got[63:32] ^ 32'h9E3779B9);
        if (got !== want) begin
            errors = errors + 1;
            if (errors < 10) $display("MISMATCH %0s at %0d ns: got %h want %h", what, $time, got, want);
        end
    end
endtask

// one cycle with the inputs set: update the reference like the RTL does, clock, compare
task step;
    begin
        // three stages: the address register, the read (when adv was high), the output register
        ew = ew1;
        eb = eb1;
        if (a_adv) begin
            ew1 = rw[a_tile[TB-1:0]];
            eb1 = a_bf ? rb[a_bias[RBB-1:0]] : {W{1'b0}};
        end
        a_adv = adv;
        a_tile = tile;
        a_bias = bias;
        a_bf = bias_first;
        eh = rh[h0_raddr[H0B-1:0]];
        // the write registered in the previous cycle lands at this edge (after this edge's read)
        if (p_clr) begin
            if (p_clr_addr < NT) rw[p_clr_addr[TB-1:0]] = 0;
            if (p_clr_addr < NB) rb[p_clr_addr[RBB-1:0]] = 0;
            if (p_clr_addr < NH) rh[p_clr_addr[H0B-1:0]] = 0;
        end else begin
            if (p_wm) rw[p_wm_addr][p_wm_c[1:0]*W +: W] = p_data;
            if (p_bm) rb[p_bm_addr] = p_data;
            if (p_h0) rh[p_h0_addr] = p_data;
        end
        {p_clr, p_wm, p_bm, p_h0} = {clr_we, wm_we && wm_r == LANE, bm_we && el_r == LANE, h0_we && el_r == LANE};
        p_clr_addr = clr_addr; p_wm_addr = wm_addr; p_wm_c = wm_c; p_bm_addr = bm_addr; p_h0_addr = h0_addr;
        p_data = el_data;
        @(posedge clk); #1;
        check(w_q, ew, "w_q");
        check(b_q, eb, "b_q");
        // h0 is unwritten (x) until the first clear lands, one cycle after it is presented; its registered read
        // shows it a cycle after that
        if (primed == 2) check(h0_rdata, eh, "h0_rdata");
        if (primed != 2) primed = primed + 1;
        {clr_we, wm_we, bm_we, h0_we, adv} = 0;
    end
endtask

initial begin
    // every address cleared first, as the loader does
    for (i = 0; i < 16; i = i + 1) begin
        clr_we = 1; clr_addr = i;
        step;
    end
    // directed: a clear beyond the bias and h0 depths but inside the weight depth
    wm_we = 1; wm_addr = 12; wm_c = 2; el_data = 16'h8001; step;
    bm_we = 1; bm_addr = 7; el_data = 16'h7FFF; step;
    clr_we = 1; clr_addr = 12; bm_we = 1; bm_addr = 7; el_data = 16'h1234; step; // clear wins over the write
    adv = 1; tile = 12; bias = 7; bias_first = 1; step;
    // directed: a clear whose low address bits are inside every memory but whose top bit is set clears nothing
    wm_we = 1; wm_addr = 3; wm_c = 1; el_data = 16'h4321; step;
    bm_we = 1; bm_addr = 3; h0_we = 1; h0_addr = 3; el_data = 16'h0BAD; step;
    clr_we = 1; clr_addr = 16'h8003; h0_raddr = 3; step;
    clr_we = 1; clr_addr = 16'h0043; h0_raddr = 3; step;   // (a bit just above every memory's address bits)
    adv = 1; tile = 3; bias = 3; bias_first = 1; h0_raddr = 3; step;
    h0_raddr = 3; step;
    // directed: writes around a read of the same tile (the read, a cycle after its address, sees a write presented two cycles before it)
    wm_we = 1; wm_addr = 3; wm_c = 0; el_data = 16'hFFFF; adv = 1; tile = 3; step;
    adv = 1; tile = 3; bias_first = 0; step;
    // directed: writes for other lanes (an index one away, one with a high bit set) leave this lane's memories alone
    wm_we = 1; wm_addr = 5; wm_c = 3; el_data = 16'h5555; step;
    wm_we = 1; wm_addr = 5; wm_c = 3; wm_r = LANE + 1; el_data = 16'h6666; step;
    bm_we = 1; bm_addr = 5; h0_we = 1; h0_addr = 5; el_r = LANE | 16'h8000; el_data = 16'h7777; step;
    wm_r = LANE; el_r = LANE;
    adv = 1; tile = 5; bias = 5; bias_first = 1; h0_raddr = 5; step;
    step; step;
    // random mixes (about one write in four for another lane)
    for (n = 0; n < 4000; n = n + 1) begin
        rng = tb_xorshift32(rng);
        clr_we = (rng[3:0] == 0);
        clr_addr = rng[8:4] % 20;
        rng = tb_xorshift32(rng);
        wm_we = rng[0]; bm_we = rng[1] & rng[2]; h0_we = rng[3] & rng[4]; adv = rng[5] | rng[6];
        bias_first = rng[7];
        wm_addr = rng[11:8]; wm_c = rng[13:12]; bm_addr = rng[16:14]; h0_addr = rng[19:17] % NH;
        tile = rng[23:20]; bias = rng[26:24]; h0_raddr = rng[29:27] % NH;
        rng = tb_xorshift32(rng);
        el_data = tb_signed_edges(rng, W);
        rng = tb_xorshift32(rng);
        wm_r = (rng[1:0] == 0) ? rng[17:2] % 8 : LANE;
        el_r = (rng[19:18] == 0) ? ((rng[20] ? 16'h8000 : 16'h0000) | rng[23:21]) : LANE;
        step;
    end
    if (errors == 0)
        $display("PASS lfads_weight_lane: %0d checks, checksum %h, rng %h", checks, checksum, rng);
    else
        $display("FAIL lfads_weight_lane: %0d errors of %0d checks", errors, checks);
    $finish;
end

endmodule
`resetall
