// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Memory-reader bench: requests of 1..300 beats at random beat-aligned addresses (many crossing
// 4 KiB pages) against an AXI slave model with random AR/R idle cycles and random consumer
// back-pressure. Checks: no burst crosses a 4 KiB boundary, bursts tile the request exactly,
// data arrives in address order, SLVERR sets `error`.
module tb_lfads_axi_reader;

localparam integer DW = 512;

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg          req_valid = 0;
wire         req_ready;
reg  [63:0]  req_addr = 0;
reg  [23:0]  req_beats = 0;
wire         beat_valid;
reg          beat_ready = 0;
wire [DW-1:0] beat_data;
wire         error;
wire         arvalid;
reg          arready = 0;
wire [63:0]  araddr;
wire [7:0]   arlen;
wire [2:0]   arsize;
wire [1:0]   arburst;
reg          rvalid = 0;
wire         rready;
reg  [DW-1:0] rdata = 0;
reg          rlast = 0;
reg  [1:0]   rresp = 0;

lfads_axi_reader #(.AXI_DATA_WIDTH(DW), .LEN_WIDTH(24)) dut (
    .clk(clk), .rst(rst), .req_valid(req_valid), .req_ready(req_ready), .req_addr(req_addr),
    .req_beats(req_beats), .beat_valid(beat_valid), .beat_ready(beat_ready), .beat_data(beat_data),
    .error(error), .m_axi_arvalid(arvalid), .m_axi_arready(arready), .m_axi_araddr(araddr),
    .m_axi_arlen(arlen), .m_axi_arsize(arsize), .m_axi_arburst(arburst), .m_axi_rvalid(rvalid),
    .m_axi_rready(rready), .m_axi_rdata(rdata), .m_axi_rlast(rlast), .m_axi_rresp(rresp));

`include "tb_rand.vh"
reg [31:0] rng = 32'h600DCAFE;      // stimulus (initial block)
reg [31:0] rng_bus = 32'h0B05D0E5;  // slave and consumer back-pressure (always block)

function [DW-1:0] pattern(input [63:0] addr);
    integer i;
    begin
        for (i = 0; i < DW / 64; i = i + 1)
            pattern[i*64 +: 64] = addr * 64'h9E3779B97F4A7C15 + i;
    end
endfunction

// slave model: queue of accepted bursts
reg [63:0] q_addr [0:63];
reg [8:0]  q_beats [0:63];
integer q_wr = 0, q_rd = 0;
integer checks = 0, errors = 0;
reg [63:0] expect_ar = 0;      // next address the reader must request
reg [63:0] expect_data = 0;    // address of the next beat the consumer must see
integer beats_seen = 0;
integer stall_pct = 30;
reg inject_error = 0;
reg r_go = 0;

always @(posedge clk) begin
    if (arvalid && arready) begin
        checks = checks + 1;
        if (araddr != expect_ar || arburst != 2'b01 || arsize != 3'd6
            || ((araddr & 64'hFFF) + (arlen + 1) * 64) > 4096) begin
            errors = errors + 1;
            $display("ERROR burst addr %0h len %0d (expected addr %0h)", araddr, arlen, expect_ar);
        end
        expect_ar = araddr + (arlen + 1) * 64;
        q_addr[q_wr % 64] = araddr;
        q_beats[q_wr % 64] = arlen + 1;
        q_wr = q_wr + 1;
    end
    if (rvalid && rready) begin
        q_addr[q_rd % 64] = q_addr[q_rd % 64] + 64;
        q_beats[q_rd % 64] = q_beats[q_rd % 64] - 1;
        if (q_beats[q_rd % 64] == 0) q_rd = q_rd + 1;
    end
    if (beat_valid && beat_ready) begin
        checks = checks + 1;
        if (beat_data !== pattern(expect_data)) begin
            errors = errors + 1;
            $display("ERROR data for %0h", expect_data);
        end
        expect_data = expect_data + 64;
        beats_seen = beats_seen + 1;
    end
    #1;
    rng_bus = tb_xorshift32(rng_bus);
    arready = tb_go(rng_bus, stall_pct);
    rng_bus = tb_xorshift32(rng_bus);
    beat_ready = tb_go(rng_bus, stall_pct);
    rng_bus = tb_xorshift32(rng_bus);
    r_go = tb_go(rng_bus, stall_pct);
    if (q_rd != q_wr && r_go) begin
        rvalid = 1;
        rdata = pattern(q_addr[q_rd % 64]);
        rlast = q_beats[q_rd % 64] == 1;
        rresp = (inject_error && q_beats[q_rd % 64] == 1) ? 2'b10 : 2'b00;
    end else begin
        rvalid = 0;
        rresp = 0;
    end
end

task request(input [63:0] addr, input integer beats);
    begin
        @(posedge clk);
        #2;
        while (!req_ready) begin @(posedge clk); #2; end
        req_valid = 1;
        req_addr = addr;
        req_beats = beats;
        expect_ar = addr;
        expect_data = addr;
        beats_seen = 0;
        @(posedge clk);
        #2;
        req_valid = 0;
        while (beats_seen != beats) begin @(posedge clk); #2; end
        checks = checks + 1;
        if (q_rd != q_wr || expect_ar != addr + beats * 64) begin
            errors = errors + 1;
            $display("ERROR request %0h x %0d not tiled exactly", addr, beats);
        end
    end
endtask

integer i, nb, off, sweep = 0;
reg [63:0] a;
// the first burst's length and fit for every block offset and many lengths (0..200, around the block and a page,
// the widest): presented while no request is valid, one per cycle; the reader's first_burst_check compares its
// gate form with the plain definition at every cycle and stops the simulation on a mismatch
task sweep_one(input [63:0] addr, input [23:0] beats);
    begin
        req_addr = addr;
        req_beats = beats;
        @(posedge clk);
        #2;
        sweep = sweep + 1;
    end
endtask
initial begin
    repeat (3) @(posedge clk);
    #2 rst = 0;
    for (off = 0; off < 64; off = off + 1) begin
        rng = tb_xorshift32(rng);
        a = {24'd0, rng, 2'd0, off[5:0], 6'd0};
        for (nb = 0; nb <= 200; nb = nb + 1)
            sweep_one(a, nb);
        for (nb = 0; nb < 3; nb = nb + 1) begin
            sweep_one(a, 255 + nb);
            sweep_one(a, 4095 + nb);
            sweep_one(a, 24'h800000 + nb);
            sweep_one(a, 24'hFFFFFF - nb);
        end
        for (nb = 0; nb < 8; nb = nb + 1) begin
            rng = tb_xorshift32(rng);
            sweep_one(a, rng[23:0] >> (rng[28:24] % 24));
        end
    end
    req_addr = 0;
    req_beats = 0;
    $display("first burst swept for %0d offset / length pairs", sweep);
    request(64'h0, 1);
    request(64'h0FC0, 2);                  // crosses a page after one beat
    request(64'h1_0000_0000, 64);          // exactly one page
    request(64'h3F80, 300);
    for (i = 0; i < 40; i = i + 1) begin
        rng = tb_xorshift32(rng);
        a[63:32] = rng;
        rng = tb_xorshift32(rng);
        a[31:0] = rng;
        a = a & 64'h0000_00FF_FFFF_FFC0;
        rng = tb_xorshift32(rng);
        nb = 1 + rng % 200;
        rng = tb_xorshift32(rng);
        stall_pct = rng % 60;
        request(a, nb);
    end
    inject_error = 1;
    request(64'h2000, 3);
    @(posedge clk);
    #2;
    checks = checks + 1;
    if (!error) begin errors = errors + 1; $display("ERROR SLVERR not reported"); end
    inject_error = 0;
    request(64'h2000, 3);
    checks = checks + 1;
    if (error) begin errors = errors + 1; $display("ERROR error not cleared by a new request"); end
    if (errors == 0)
        $display("PASS lfads_axi_reader: %0d checks, finished at %0d ns", checks, $time);
    else
        $display("FAIL lfads_axi_reader: %0d errors", errors);
    $finish;
end

endmodule
`resetall
