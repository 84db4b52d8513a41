// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Result-writer bench: trials of random length made of chunks of 1..ROWS values (sign-extended to
// int32), random AW/W ready stalls and B delays, a slave that sometimes takes W only after its AW.
// Checks every written word, that bytes outside each trial's words keep their sentinel (strobes),
// the burst rules (INCR, 64-byte beats, aligned, <= 16 beats, no 4 KiB crossing, WLAST on exactly
// the last beat, VALID and payload held until READY, at most 8 bursts awaiting B), and idle after
// the responses.
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

// slave: AW and W queues matched burst by burst in order, B after a random delay
reg [63:0] aw_q [0:63];
reg [8:0]  len_q [0:63];
reg [DW-1:0] w_q [0:1023];
reg [DW/8-1:0] s_q [0:1023];
reg        l_q [0:1023];
integer aw_wr = 0, w_wr = 0, w_done = 0, done_wr = 0, b_sent = 0, beats = 0, max_len = 0;
integer w_after_aw = 0;    // 1: W is accepted only for bursts whose AW was accepted
integer i;
reg        p_awvalid = 0, p_awready = 0, p_wvalid = 0, p_wready = 0;
reg [63:0] p_awaddr = 0;
reg [7:0]  p_awlen = 0;
reg [DW-1:0] p_wdata = 0;
reg [DW/8-1:0] p_wstrb = 0;
reg        p_wlast = 0;
always @(posedge clk) begin : slave
    integer k, b, n, j;
    if (!rst) begin
        // VALID held until READY, payload stable meanwhile
        if (p_awvalid && !p_awready && !(awvalid && awaddr == p_awaddr && awlen == p_awlen)) begin
            errors = errors + 1; $display("ERROR AW changed before AWREADY");
        end
        if (p_wvalid && !p_wready && !(wvalid && wdata == p_wdata && wstrb == p_wstrb && wlast == p_wlast)) begin
            errors = errors + 1; $display("ERROR W changed before WREADY");
        end
    end
    p_awvalid = awvalid; p_awready = awready; p_awaddr = awaddr; p_awlen = awlen;
    p_wvalid = wvalid; p_wready = wready; p_wdata = wdata; p_wstrb = wstrb; p_wlast = wlast;
    if (awvalid && awready) begin
        if (awlen > 15 || awburst != 2'b01 || awsize != 3'd6 || awaddr[5:0] != 0
                || awaddr[11:0] + (awlen + 1) * 64 > 4096) begin
            errors = errors + 1;
            $display("ERROR bad AW %0h len %0d", awaddr, awlen);
        end
        if (awlen + 1 > max_len) max_len = awlen + 1;
        aw_q[aw_wr % 64] = awaddr;
        len_q[aw_wr % 64] = awlen + 1;
        aw_wr = aw_wr + 1;
    end
    if (wvalid && wready) begin
        w_q[w_wr % 1024] = wdata;
        s_q[w_wr % 1024] = wstrb;
        l_q[w_wr % 1024] = wlast;
        w_wr = w_wr + 1;
    end
    while (done_wr < aw_wr && w_done + len_q[done_wr % 64] <= w_wr) begin
        n = len_q[done_wr % 64];
        for (j = 0; j < n; j = j + 1) begin
            if (l_q[(w_done + j) % 1024] != (j == n - 1)) begin
                errors = errors + 1; $display("ERROR WLAST on beat %0d of %0d", j + 1, n);
            end
            for (k = 0; k < DW / 32; k = k + 1)
                for (b = 0; b < 4; b = b + 1)
                    if (s_q[(w_done + j) % 1024][k*4+b])
                        mem[aw_q[done_wr % 64] / 4 + j * 16 + k][b*8 +: 8] = w_q[(w_done + j) % 1024][k*32 + b*8 +: 8];
        end
        w_done = w_done + n;
        beats = beats + n;
        done_wr = done_wr + 1;
    end
    if (bvalid && bready) b_sent = b_sent + 1;
    if (aw_wr - b_sent > 8) begin errors = errors + 1; $display("ERROR more than 8 bursts outstanding"); end
    #1;
    rng_bus = tb_xorshift32(rng_bus);
    awready = tb_go(rng_bus, stall_pct);
    rng_bus = tb_xorshift32(rng_bus);
    wready = tb_go(rng_bus, stall_pct) && (!w_after_aw || done_wr < aw_wr);
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
        rng = tb_xorshift32(rng);
        w_after_aw = rng % 3 == 0;
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
    if (b_sent != done_wr || error || w_done != w_wr) begin errors = errors + 1; $display("ERROR responses"); end
    checks = checks + 1;
    if (max_len < 2) begin errors = errors + 1; $display("ERROR no multi-beat burst seen"); end
    if (errors == 0)
        $display("PASS lfads_axi_writer: %0d checks, %0d beats in %0d bursts (longest %0d), finished at %0d ns",
                 checks, beats, done_wr, max_len, $time);
    else
        $display("FAIL lfads_axi_writer: %0d errors", errors);
    $finish;
end

endmodule
`resetall
