// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Write-back bench: 5,000 cycles of row blocks entering at random (about 60 % of cycles, in bursts), with random
// write-back fields and random lane values every cycle, and a reset now and then. Behavioural model: the history
// of inputs per cycle. Checks every cycle: out_valid and the released scoreboard bits exactly POST_LATENCY cycles
// after a row block entered (none across a reset), the CI-history write enable, address and data, the vector-store /
// factor write data (the lanes' values of that cycle), and their write enables and addresses (slot * SLOT_WORDS +
// word, FS_SLOT * SLOT_WORDS + word) one cycle ahead (*_next: the next cycle's, none across a reset), `busy` while
// any row block is in flight, and one result chunk (values and count) the cycle after each emitted row block.
module tb_lfads_writeback;

localparam integer R = 4;
localparam integer W = 12;
localparam integer LAT = 13;
localparam integer VW = 6;              // words per slot, not a power of two
localparam integer VWB = 3;
localparam integer VSTB = 8;            // 22 * 6 = 132 words
localparam integer FS = 21;
localparam integer CIHB = 7;
localparam integer NSB = 23;
localparam integer CW = 3;
localparam integer CYCLES = 5000;
localparam integer HN = 64;             // history ring (> LAT + 1)

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg              in_valid = 0, in_last_rb = 0, in_wr_dst = 0, in_wr_fs = 0, in_emit = 0, in_cih_we = 0;
reg  [4:0]       in_dst = 0;
reg  [VWB-1:0]   in_word = 0;
reg  [CW-1:0]    in_count = 0;
reg  [CIHB-1:0]  in_cih_addr = 0;
reg  [NSB-1:0]   in_dec = 0;
reg  [R*W-1:0]   lane_values = 0, lane_values2 = 0;
wire             out_valid, out_last_rb, busy, vst_we_next, fs_we_next, cih_we, chunk_valid;
wire [NSB-1:0]   out_dec;
wire [VSTB-1:0]  vst_addr_next, fs_addr_next;
wire [CIHB-1:0]  cih_addr;
wire [R*W-1:0]   vst_data, fs_data, cih_data, chunk_data;
wire [CW-1:0]    chunk_count;

lfads_writeback #(
    .ROW_LANES(R), .DATA_WIDTH(W), .POST_LATENCY(LAT), .SLOT_WORDS(VW), .WORD_WIDTH(VWB), .VST_ADDR_WIDTH(VSTB),
    .FS_SLOT(FS), .CIH_ADDR_WIDTH(CIHB), .SB_BITS(NSB)
) dut (
    .clk(clk), .rst(rst),
    .in_valid(in_valid), .in_last_rb(in_last_rb), .in_dst(in_dst), .in_word(in_word), .in_wr_dst(in_wr_dst),
    .in_wr_fs(in_wr_fs), .in_emit(in_emit), .in_count(in_count), .in_cih_we(in_cih_we), .in_cih_addr(in_cih_addr),
    .in_dec(in_dec), .lane_values(lane_values), .lane_values2(lane_values2),
    .out_valid(out_valid), .out_last_rb(out_last_rb), .out_dec(out_dec), .busy(busy),
    .vst_we_next(vst_we_next), .vst_addr_next(vst_addr_next), .vst_data(vst_data), .fs_we_next(fs_we_next),
    .fs_addr_next(fs_addr_next), .fs_data(fs_data),
    .cih_we(cih_we), .cih_addr(cih_addr), .cih_data(cih_data),
    .chunk_valid(chunk_valid), .chunk_data(chunk_data), .chunk_count(chunk_count)
);

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED0B0C;

// history of the inputs set in iteration k (sampled at the following edge)
reg           h_valid [0:HN-1];
reg           h_rst   [0:HN-1];
reg           h_last  [0:HN-1];
reg           h_wdst  [0:HN-1];
reg           h_wfs   [0:HN-1];
reg           h_emit  [0:HN-1];
reg           h_cihwe [0:HN-1];
reg [4:0]     h_dst   [0:HN-1];
reg [VWB-1:0] h_word  [0:HN-1];
reg [CW-1:0]  h_count [0:HN-1];
reg [CIHB-1:0] h_cih  [0:HN-1];
reg [NSB-1:0] h_dec   [0:HN-1];
reg [R*W-1:0] h_lanes [0:HN-1];

integer checks = 0, errors = 0, writes = 0, chunks = 0, released = 0;
reg [31:0] checksum = 0;

task fail(input [8*24-1:0] what, input integer cyc);
    begin
        errors = errors + 1;
        if (errors < 10) $display("ERROR cycle %0d: %0s", cyc, what);
    end
endtask

// is the row block set in iteration k still in flight / out after edge c (no reset sampled on its way)?
function alive(input integer k, input integer upto);
    integer j;
    begin
        alive = k >= 0 && h_valid[k % HN];
        for (j = k; j <= upto; j = j + 1)
            if (k >= 0 && h_rst[j % HN]) alive = 0;
    end
endfunction

integer c, k, j, burst;
reg busy_seg = 0;
reg e_valid, e_busy, e_chunk;
reg [31:0] r1;
reg [R*W-1:0] e_lanes_prev;
initial begin
    for (j = 0; j < HN; j = j + 1) begin
        h_valid[j] = 0; h_rst[j] = 1; h_last[j] = 0; h_wdst[j] = 0; h_wfs[j] = 0; h_emit[j] = 0; h_cihwe[j] = 0;
        h_dst[j] = 0; h_word[j] = 0; h_count[j] = 0; h_cih[j] = 0; h_dec[j] = 0; h_lanes[j] = 0;
    end
    burst = 0;
    e_lanes_prev = 0;
    @(posedge clk); #1;
    for (c = 0; c < CYCLES; c = c + 1) begin
        // inputs of iteration c
        rng = tb_xorshift32(rng);
        // segments of 1..24 cycles, busy (row blocks 6 cycles in 7) or quiet (1 in 32)
        if (burst == 0) begin
            burst = rng[5:0] % 24 + 1;
            busy_seg = rng[8:6] != 0;
        end
        burst = burst - 1;
        rst = (c < 3) || (rng[31:22] == 0);
        rng = tb_xorshift32(rng);
        in_valid = busy_seg ? (rng[6:0] < 110) : (rng[6:0] < 4);
        in_last_rb = rng[7]; in_wr_dst = rng[8] | rng[9]; in_wr_fs = rng[10] & rng[11]; in_emit = rng[12];
        in_cih_we = rng[13] & rng[14]; in_dst = rng[19:15] % 22; in_word = rng[22:20] % VW; in_count = rng[25:23] % (R + 1);
        in_cih_addr = rng[31:25];
        rng = tb_xorshift32(rng); in_dec = rng[NSB-1:0];
        // whole-vector assignments (Verilator 5.006 did not propagate part-select writes from this process
        // through the DUT's pass-through outputs before the #1 below)
        rng = tb_xorshift32(rng); r1 = rng;
        rng = tb_xorshift32(rng); lane_values = {rng[R*W-33:0], r1};
        rng = tb_xorshift32(rng); r1 = rng;
        rng = tb_xorshift32(rng); lane_values2 = {rng[R*W-33:0], r1};
        h_valid[c % HN] = in_valid; h_rst[c % HN] = rst; h_last[c % HN] = in_last_rb; h_wdst[c % HN] = in_wr_dst;
        h_wfs[c % HN] = in_wr_fs; h_emit[c % HN] = in_emit; h_cihwe[c % HN] = in_cih_we; h_dst[c % HN] = in_dst;
        h_word[c % HN] = in_word; h_count[c % HN] = in_count; h_cih[c % HN] = in_cih_addr; h_dec[c % HN] = in_dec;
        h_lanes[c % HN] = lane_values;
        #1;
        // outputs after edge c (inputs of iteration c applied but not yet sampled): the row block of iteration
        // c - LAT at the write-back, the one of c - LAT - 1 in the chunk register
        k = c - LAT;
        e_valid = alive(k, c - 1);
        checks = checks + 1;
        if (out_valid !== e_valid) fail("out_valid", c);
        if (e_valid) begin
            k = k % HN;
            checks = checks + 1;
            if (out_last_rb !== h_last[k] || out_dec !== h_dec[k]) fail("scoreboard release", c);
            if (cih_we !== h_cihwe[k]) fail("write enables", c);
            if (h_wdst[k] && vst_data !== lane_values) fail("vst write", c);
            if (h_wfs[k] && fs_data !== lane_values2) fail("fs write", c);
            if (h_cihwe[k] && (cih_addr !== h_cih[k] || cih_data !== lane_values)) fail("cih write", c);
            writes = writes + h_wdst[k] + h_wfs[k] + h_cihwe[k];
            released = released + (h_last[k] ? 1 : 0);
            checksum = tb_xorshift32(checksum ^ {cih_addr, 9'd0} ^ out_dec);
        end else begin
            if (cih_we !== 1'b0) fail("write without a row block", c);
        end
        // the store's write enables and addresses a cycle ahead: the row block at the write-back after the next edge
        // (none when this iteration's reset is sampled at that edge)
        k = c - LAT + 1;
        e_valid = alive(k, c);
        checks = checks + 1;
        if (vst_we_next !== (e_valid && h_wdst[k % HN]) || fs_we_next !== (e_valid && h_wfs[k % HN]))
            fail("next write enables", c);
        if (e_valid) begin
            k = k % HN;
            if (h_wdst[k] && vst_addr_next !== h_dst[k] * VW + h_word[k]) fail("vst write address", c);
            if (h_wfs[k] && fs_addr_next !== FS * VW + h_word[k]) fail("fs write address", c);
            checksum = tb_xorshift32(checksum ^ {vst_addr_next, fs_addr_next, 16'd0});
        end
        e_busy = 0;
        for (j = 1; j <= LAT; j = j + 1) if (alive(c - j, c - 1)) e_busy = 1;
        checks = checks + 1;
        if (busy !== e_busy) fail("busy", c);
        k = c - LAT - 1;
        e_chunk = alive(k, c - 2) && h_emit[k % HN];
        checks = checks + 1;
        if (chunk_valid !== e_chunk) fail("chunk_valid", c);
        if (e_chunk) begin
            chunks = chunks + 1;
            if (chunk_count !== h_count[k % HN] || chunk_data !== h_lanes[(c - 1) % HN]) fail("chunk", c);
            checksum = tb_xorshift32(checksum ^ chunk_data[31:0] ^ chunk_count);
        end
        @(posedge clk); #1;
    end
    if (errors == 0 && writes > 1000 && chunks > 500 && released > 500)
        $display("PASS lfads_writeback: %0d checks, %0d writes, %0d chunks, %0d releases, checksum %h", checks, writes,
                 chunks, released, checksum);
    else
        $display("FAIL lfads_writeback: %0d errors (%0d writes, %0d chunks, %0d releases)", errors, writes, chunks, released);
    $finish;
end

endmodule
`resetall
