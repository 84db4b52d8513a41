// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Result-writer bench: trials of random length made of chunks of 1..ROWS values (sign-extended to
// int32), random AW/W ready stalls and B delays. Checks every written word, that bytes outside
// each trial's words keep their sentinel (strobes), single-beat bursts, and idle after responses.
module tb_lfads_axi_writer;

localparam integer DW = 512, ROWS = 8, W = 12;
localparam integer MEM_WORDS = 8192;

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg                 set_base = 0, flush = 0, chunk_valid = 0;
reg  [63:0]         base_addr = 0;
reg  [ROWS*W-1:0]   chunk_data = 0;
reg  [3:0]          chunk_count = 0;
wire                packer_empty, idle, error;
wire [4:0]          fifo_free;
wire                awvalid, wvalid, wlast, bready;
reg                 awready = 0, wready = 0, bvalid = 0;
reg  [1:0]          bresp = 0;
wire [63:0]         awaddr;
wire [7:0]          awlen;
wire [2:0]          awsize;
wire [1:0]          awburst;
wire [DW-1:0]       wdata;
wire [DW/8-1:0]     wstrb;

lfads_axi_writer #(.AXI_DATA_WIDTH(DW), .ROWS(ROWS), .DATA_WIDTH(W), .FIFO_DEPTH(16)) dut (
    .clk(clk), .rst(rst), .set_base(set_base), .base_addr(base_addr), .flush(flush),
    .packer_empty(packer_empty), .idle(idle), .error(error), .chunk_valid(chunk_valid),
    .chunk_data(chunk_data), .chunk_count(chunk_count), .fifo_free(fifo_free),
    .m_axi_awvalid(awvalid), .m_axi_awready(awready), .m_axi_awaddr(awaddr), .m_axi_awlen(awlen),
    .m_axi_awsize(awsize), .m_axi_awburst(awburst), .m_axi_wvalid(wvalid), .m_axi_wready(wready),
    .m_axi_wdata(wdata), .m_axi_wstrb(wstrb), .m_axi_wlast(wlast), .m_axi_bvalid(bvalid),
    .m_axi_bready(bready), .m_axi_bresp(bresp));

`include "tb_rand.vh"
reg [31:0] rng = 32'hFEEDF00D;      // stimulus (initial block)
reg [31:0] rng_bus = 32'h5EED0B05;  // slave back-pressure and B delays (always block)

reg [31:0] mem [0:MEM_WORDS-1];
reg [31:0] expect_mem [0:MEM_WORDS-1];
integer checks = 0, errors = 0;
integer stall_pct = 30;
reg b_go = 0;

// slave: AW and W queues matched in order, B after a random delay
reg [63:0] aw_q [0:63];
reg [DW-1:0] w_q [0:63];
reg [DW/8-1:0] s_q [0:63];
integer aw_wr = 0, w_wr = 0, done_wr = 0, b_sent = 0;
integer i;
always @(posedge clk) begin : slave
    integer k, b;
    if (awvalid && awready) begin
        if (awlen != 0 || awburst != 2'b01 || awsize != 3'd6 || awaddr[5:0] != 0) begin
            errors = errors + 1;
            $display("ERROR bad AW %0h len %0d", awaddr, awlen);
        end
        aw_q[aw_wr % 64] = awaddr;
        aw_wr = aw_wr + 1;
    end
    if (wvalid && wready) begin
        if (!wlast) begin errors = errors + 1; $display("ERROR wlast"); end
        w_q[w_wr % 64] = wdata;
        s_q[w_wr % 64] = wstrb;
        w_wr = w_wr + 1;
    end
    while (done_wr < aw_wr && done_wr < w_wr) begin
        for (k = 0; k < DW / 32; k = k + 1)
            for (b = 0; b < 4; b = b + 1)
                if (s_q[done_wr % 64][k*4+b])
                    mem[aw_q[done_wr % 64] / 4 + k][b*8 +: 8] = w_q[done_wr % 64][k*32 + b*8 +: 8];
        done_wr = done_wr + 1;
    end
    if (bvalid && bready) b_sent = b_sent + 1;
    #1;
    rng_bus = tb_xorshift32(rng_bus);
    awready = tb_go(rng_bus, stall_pct);
    rng_bus = tb_xorshift32(rng_bus);
    wready = tb_go(rng_bus, stall_pct);
    rng_bus = tb_xorshift32(rng_bus);
    b_go = tb_go(rng_bus, stall_pct);
    bvalid = b_sent < done_wr && b_go;
end

task trial(input integer base_word, input integer nwords);
    integer left, n, r, v;
    begin
        @(posedge clk);
        #2;
        set_base = 1;
        base_addr = base_word * 4;
        @(posedge clk);
        #2;
        set_base = 0;
        left = nwords;
        while (left > 0) begin
            rng = tb_xorshift32(rng);
            n = 1 + rng % ROWS;
            if (n > left) n = left;
            while (fifo_free < 2) begin @(posedge clk); #2; end
            for (r = 0; r < ROWS; r = r + 1) begin
                rng = tb_xorshift32(rng);
                v = tb_signed(rng, W);
                chunk_data[r*W +: W] = v[W-1:0];
                if (r < n) expect_mem[base_word + nwords - left + r] = v;
            end
            chunk_count = n;
            chunk_valid = 1;
            @(posedge clk);
            #2;
            chunk_valid = 0;
            left = left - n;
            rng = tb_xorshift32(rng);
            if (rng % 3 == 0) begin @(posedge clk); #2; end
        end
        flush = 1;
        @(posedge clk);
        #2;
        flush = 0;
        @(posedge clk);
        #2;
        while (!packer_empty) begin @(posedge clk); #2; end
    end
endtask

integer t, base, n;
initial begin
    for (i = 0; i < MEM_WORDS; i = i + 1) begin
        mem[i] = 32'hA5A5A5A5;
        expect_mem[i] = 32'hA5A5A5A5;
    end
    repeat (3) @(posedge clk);
    #2 rst = 0;
    base = 0;
    trial(0, 1);
    base = 16;
    for (t = 0; t < 25; t = t + 1) begin
        rng = tb_xorshift32(rng);
        n = 1 + rng % 150;
        rng = tb_xorshift32(rng);
        stall_pct = rng % 70;
        trial(base, n);
        base = base + (n + 15) / 16 * 16;
    end
    while (!idle) begin @(posedge clk); #2; end
    for (i = 0; i < MEM_WORDS; i = i + 1) begin
        checks = checks + 1;
        if (mem[i] !== expect_mem[i]) begin
            if (errors < 10) $display("ERROR word %0d: %08x expected %08x", i, mem[i], expect_mem[i]);
            errors = errors + 1;
        end
    end
    checks = checks + 1;
    if (b_sent != done_wr || error) begin errors = errors + 1; $display("ERROR responses"); end
    if (errors == 0)
        $display("PASS lfads_axi_writer: %0d checks, %0d beats, finished at %0d ns", checks, done_wr, $time);
    else
        $display("FAIL lfads_axi_writer: %0d errors", errors);
    $finish;
end

endmodule
`resetall
