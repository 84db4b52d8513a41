// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Status-block writer bench: 60 writes of a random beat to random beat-aligned addresses against an AXI slave
// model with random AW / W / B idle cycles and a random response (OKAY or SLVERR). Checks per write: exactly one
// AW (len 0, size 64 B, INCR) and one W (WLAST, all strobes) carrying the latched address and beat, `busy` from the
// cycle after `start` until the B handshake and no longer, `error` pulsing for one cycle exactly when the response
// was SLVERR, and no valid on any channel while idle; `start` while busy is ignored.
module tb_lfads_status_writer;

localparam integer DW = 512;

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg            start = 0;
reg  [63:0]    addr = 0;
reg  [DW-1:0]  data = 0;
wire           busy, error;
wire           awvalid, wvalid, wlast, bready;
reg            awready = 0, wready = 0, bvalid = 0;
reg  [1:0]     bresp = 0;
wire [63:0]    awaddr;
wire [7:0]     awlen;
wire [2:0]     awsize;
wire [1:0]     awburst;
wire [DW-1:0]  wdata;
wire [DW/8-1:0] wstrb;

lfads_status_writer #(.AXI_DATA_WIDTH(DW)) dut (
    .clk(clk), .rst(rst), .start(start), .addr(addr), .data(data), .busy(busy), .error(error),
    .m_axi_awvalid(awvalid), .m_axi_awready(awready), .m_axi_awaddr(awaddr), .m_axi_awlen(awlen),
    .m_axi_awsize(awsize), .m_axi_awburst(awburst), .m_axi_wvalid(wvalid), .m_axi_wready(wready),
    .m_axi_wdata(wdata), .m_axi_wstrb(wstrb), .m_axi_wlast(wlast), .m_axi_bvalid(bvalid),
    .m_axi_bready(bready), .m_axi_bresp(bresp));

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED0001;      // stimulus (initial block)
reg [31:0] rng_bus = 32'h0B05D0E5;  // slave back-pressure and responses (always block)

integer checks = 0, errors = 0;
integer stall_pct = 30;
integer aw_seen = 0, w_seen = 0, b_seen = 0, err_pulses = 0;
reg [63:0]   exp_addr = 0;
reg [DW-1:0] exp_data = 0;
reg          b_pending = 0, slverr = 0, bad_next = 0, b_taken = 0;

// slave model: takes AW and W, answers B (random delay) once both are in
always @(posedge clk) begin
    if (!busy && (awvalid || wvalid || bready)) begin
        errors = errors + 1;
        $display("ERROR valid / ready on a channel while idle");
    end
    if (awvalid && awready) begin
        aw_seen = aw_seen + 1;
        checks = checks + 1;
        if (awaddr !== exp_addr || awlen !== 8'd0 || awsize !== 3'd6 || awburst !== 2'b01) begin
            errors = errors + 1;
            $display("ERROR AW addr %h len %0d size %0d burst %0d, expected addr %h", awaddr, awlen, awsize, awburst,
                     exp_addr);
        end
    end
    if (wvalid && wready) begin
        w_seen = w_seen + 1;
        checks = checks + 1;
        if (wdata !== exp_data || wlast !== 1'b1 || wstrb !== {(DW/8){1'b1}}) begin
            errors = errors + 1;
            $display("ERROR W beat differs from the latched beat (or WLAST / WSTRB wrong)");
        end
    end
    b_taken = bvalid && bready;
    if (b_taken) begin
        b_seen = b_seen + 1;
        b_pending = 0;
        slverr = bresp[1];
    end
    if (error) err_pulses = err_pulses + 1;
    #1;
    rng_bus = tb_xorshift32(rng_bus);
    awready = tb_go(rng_bus, stall_pct);
    rng_bus = tb_xorshift32(rng_bus);
    wready = tb_go(rng_bus, stall_pct);
    if (!b_pending && !bvalid && aw_seen > b_seen && w_seen > b_seen)
        b_pending = 1;
    rng_bus = tb_xorshift32(rng_bus);
    // a response once offered stays until taken (AXI); a new one only after AW and W of the write are in
    if (bvalid && !b_taken) begin
        bvalid = 1;
    end else if (b_pending && tb_go(rng_bus, stall_pct)) begin
        bvalid = 1;
        bresp = bad_next ? 2'b10 : 2'b00;
    end else begin
        bvalid = 0;
    end
end

task write_one(input [63:0] a, input [DW-1:0] d, input bad);
    integer n0, e0, k;
    begin
        @(posedge clk);
        #2;
        n0 = b_seen;
        e0 = err_pulses;
        bad_next = bad;
        exp_addr = a;
        exp_data = d;
        start = 1;
        addr = a;
        data = d;
        @(posedge clk);
        #2;
        // a second start while busy (different beat) must be ignored
        addr = ~a;
        data = ~d;
        checks = checks + 1;
        if (!busy) begin errors = errors + 1; $display("ERROR busy not raised the cycle after start"); end
        @(posedge clk);
        #2;
        start = 0;
        k = 0;
        while (busy && k < 1000) begin @(posedge clk); #2; k = k + 1; end
        checks = checks + 1;
        if (busy || b_seen != n0 + 1 || aw_seen != b_seen || w_seen != b_seen) begin
            errors = errors + 1;
            $display("ERROR write %0d: busy %0d, AW %0d W %0d B %0d", n0, busy, aw_seen, w_seen, b_seen);
        end
        @(posedge clk);
        #2;
        checks = checks + 1;
        if (err_pulses != e0 + (bad ? 1 : 0) || error) begin
            errors = errors + 1;
            $display("ERROR write %0d: %0d error pulses for a %s response", n0, err_pulses - e0, bad ? "SLVERR" : "OKAY");
        end
        repeat (2) @(posedge clk);
    end
endtask

integer i, j;
reg [63:0]   a;
reg [DW-1:0] d;
initial begin
    repeat (3) @(posedge clk);
    #2 rst = 0;
    for (i = 0; i < 60; i = i + 1) begin
        rng = tb_xorshift32(rng);
        a[63:32] = rng;
        rng = tb_xorshift32(rng);
        a[31:0] = rng;
        a = a & 64'h0000_00FF_FFFF_FFC0;
        for (j = 0; j < DW / 32; j = j + 1) begin
            rng = tb_xorshift32(rng);
            d[j*32 +: 32] = rng;
        end
        rng = tb_xorshift32(rng);
        stall_pct = rng % 70;
        rng = tb_xorshift32(rng);
        write_one(a, d, rng % 5 == 0);
    end
    if (errors == 0)
        $display("PASS lfads_status_writer: %0d checks, %0d writes, %0d error responses, finished at %0d ns", checks,
                 b_seen, err_pulses, $time);
    else
        $display("FAIL lfads_status_writer: %0d errors", errors);
    $finish;
end

endmodule
`resetall
