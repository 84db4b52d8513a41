// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Control-register bench: AXI4-Lite writes/reads with random valid timing (AW and W independent)
// and random BREADY/RREADY back-pressure, byte strobes on the
// pointers, ap_start handshake, ap_done clear-on-read, auto_restart, GIE/IER/ISR toggle-on-write
// and the interrupt line, read-only identification registers (offsets from lfads_contract.vh).
module tb_lfads_ctrl_regs;

`include "lfads_contract.vh"

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg         awvalid = 0, wvalid = 0, bready = 0, arvalid = 0, rready = 0;
reg  [6:0]  awaddr = 0, araddr = 0;
reg  [31:0] wdata = 0;
reg  [3:0]  wstrb = 0;
wire        awready, wready, bvalid, arready, rvalid;
wire [1:0]  bresp, rresp;
wire [31:0] rdata;
wire        interrupt, start;
reg         core_idle = 1, core_done = 0;
wire [63:0] image_ptr, input_ptr, output_ptr;
wire [31:0] num_trials, flags;

lfads_ctrl_regs #(.BUILD_ID(32'hB111D1D0), .CONFIG_WORD(32'h0800_0010)) dut (
    .clk(clk), .rst(rst),
    .s_axi_awvalid(awvalid), .s_axi_awready(awready), .s_axi_awaddr(awaddr), .s_axi_wvalid(wvalid),
    .s_axi_wready(wready), .s_axi_wdata(wdata), .s_axi_wstrb(wstrb), .s_axi_bvalid(bvalid),
    .s_axi_bready(bready), .s_axi_bresp(bresp), .s_axi_arvalid(arvalid), .s_axi_arready(arready),
    .s_axi_araddr(araddr), .s_axi_rvalid(rvalid), .s_axi_rready(rready), .s_axi_rdata(rdata),
    .s_axi_rresp(rresp), .interrupt(interrupt), .start(start), .core_idle(core_idle),
    .core_done(core_done), .image_ptr(image_ptr), .input_ptr(input_ptr), .output_ptr(output_ptr),
    .num_trials(num_trials), .flags(flags), .cycles(64'h0000_0012_3456_789A), .status(32'h5),
    .error_code(32'd6), .trials_done(32'd77));

`include "tb_rand.vh"
reg [31:0] rng = 32'h1234ABCD;

integer checks = 0, errors = 0;
integer starts = 0;
always @(posedge clk) if (start) starts = starts + 1;

// 0..2 idle cycles between the phases of a transaction, then 1 ns into the cycle
task random_gap;
    integer gap;
    begin
        rng = tb_xorshift32(rng);
        gap = rng % 3;
        repeat (gap) @(posedge clk);
        #1;
    end
endtask

// AW and W each raised after its own random delay (0..3 cycles) and dropped after its own
// handshake; BREADY after a random gap (the slave must hold BVALID meanwhile)
task wr(input [6:0] a, input [31:0] d, input [3:0] s);
    integer t, d_aw, d_w;
    reg aw_done, w_done;
    begin
        random_gap;
        rng = tb_xorshift32(rng);
        d_aw = rng % 4;
        rng = tb_xorshift32(rng);
        d_w = rng % 4;
        awaddr = a; wdata = d; wstrb = s; bready = 0;
        aw_done = 0; w_done = 0;
        t = 0;
        while (!(aw_done && w_done)) begin
            awvalid = !aw_done && t >= d_aw;
            wvalid = !w_done && t >= d_w;
            @(posedge clk);
            if (awvalid && awready) aw_done = 1;
            if (wvalid && wready) w_done = 1;
            #1;
            t = t + 1;
            if (t > 100) begin errors = errors + 1; $display("ERROR write not accepted"); aw_done = 1; w_done = 1; end
        end
        awvalid = 0; wvalid = 0;
        checks = checks + 1;
        if (bvalid && t <= 1) begin errors = errors + 1; $display("ERROR B before the write was accepted"); end
        random_gap;
        random_gap;
        bready = 1;
        #1;
        while (!bvalid) begin @(posedge clk); #1; end
        if (bresp != 0) begin errors = errors + 1; $display("ERROR bresp"); end
        @(posedge clk);
        #1;
        bready = 0;
    end
endtask

// AR after a random gap; RREADY after another (the slave must hold RVALID and RDATA)
task rd(input [6:0] a, output [31:0] d);
    begin
        random_gap;
        araddr = a; arvalid = 1; rready = 0;
        @(posedge clk);
        while (!arready) begin #1; @(posedge clk); end
        #1;
        arvalid = 0;
        random_gap;
        random_gap;
        rready = 1;
        #1;
        while (!rvalid) begin @(posedge clk); #1; end
        d = rdata;
        @(posedge clk);
        #1;
        rready = 0;
    end
endtask

task expect_reg(input [6:0] a, input [31:0] mask, input [31:0] v, input [8*24-1:0] what);
    reg [31:0] d;
    begin
        rd(a, d);
        checks = checks + 1;
        if ((d & mask) !== v) begin
            errors = errors + 1;
            $display("ERROR %0s: read %08x (mask %08x), expected %08x", what, d, mask, v);
        end
    end
endtask

task expect_true(input cond, input [8*24-1:0] what);
    begin
        checks = checks + 1;
        if (!cond) begin errors = errors + 1; $display("ERROR %0s", what); end
    end
endtask

task pulse_done;
    begin
        @(posedge clk); #1; core_done = 1; core_idle = 1;
        @(posedge clk); #1; core_done = 0;
    end
endtask

integer i;
reg [31:0] d, v;
initial begin
    repeat (3) @(posedge clk);
    #1 rst = 0;

    expect_reg(LFADS_REG_KERNEL_ID, 32'hFFFFFFFF, LFADS_KERNEL_ID, "KERNEL_ID");
    expect_reg(LFADS_REG_VERSION, 32'hFFFFFFFF, LFADS_KERNEL_VERSION, "VERSION");
    expect_reg(LFADS_REG_BUILD_ID, 32'hFFFFFFFF, 32'hB111D1D0, "BUILD_ID");
    expect_reg(LFADS_REG_CONFIG, 32'hFFFFFFFF, 32'h0800_0010, "CONFIG");
    expect_reg(LFADS_REG_CYCLES_LO, 32'hFFFFFFFF, 32'h3456_789A, "CYCLES_LO");
    expect_reg(LFADS_REG_CYCLES_HI, 32'hFFFFFFFF, 32'h12, "CYCLES_HI");
    expect_reg(LFADS_REG_STATUS, 32'hFFFFFFFF, 5, "STATUS");
    expect_reg(LFADS_REG_ERROR_CODE, 32'hFFFFFFFF, 6, "ERROR_CODE");
    expect_reg(LFADS_REG_TRIALS_DONE, 32'hFFFFFFFF, 77, "TRIALS_DONE");
    expect_reg(LFADS_REG_CTRL, 32'h8F, LFADS_CTRL_AP_IDLE, "CTRL idle after reset");

    // arguments: full words and byte strobes
    for (i = 0; i < 20; i = i + 1) begin
        rng = tb_xorshift32(rng);
        v = rng;
        wr(LFADS_REG_IMAGE_PTR_LO, v, 4'hF);
        expect_reg(LFADS_REG_IMAGE_PTR_LO, 32'hFFFFFFFF, v, "IMAGE_PTR_LO");
        expect_true(image_ptr[31:0] == v, "image_ptr port");
    end
    wr(LFADS_REG_INPUT_PTR_LO, 32'h11223344, 4'hF);
    wr(LFADS_REG_INPUT_PTR_LO, 32'hAABBCCDD, 4'b0101);
    expect_reg(LFADS_REG_INPUT_PTR_LO, 32'hFFFFFFFF, 32'h11BB33DD, "byte strobes");
    wr(LFADS_REG_INPUT_PTR_HI, 32'h7, 4'hF);
    expect_true(input_ptr == 64'h7_11BB33DD, "input_ptr port");
    wr(LFADS_REG_OUTPUT_PTR_LO, 32'h1000, 4'hF);
    wr(LFADS_REG_OUTPUT_PTR_HI, 32'h2, 4'hF);
    expect_true(output_ptr == 64'h2_00001000, "output_ptr port");
    wr(LFADS_REG_NUM_TRIALS, 12345, 4'hF);
    wr(LFADS_REG_FLAGS, LFADS_FLAG_LOAD_IMAGE, 4'hF);
    expect_true(num_trials == 12345 && flags == 1, "num_trials/flags ports");
    wr(LFADS_REG_KERNEL_ID, 32'h0, 4'hF);     // read-only: ignored
    expect_reg(LFADS_REG_KERNEL_ID, 32'hFFFFFFFF, LFADS_KERNEL_ID, "KERNEL_ID read-only");

    // start handshake: core busy -> ap_start stays set until the core is idle
    core_idle = 0;
    wr(LFADS_REG_CTRL, LFADS_CTRL_AP_START, 4'hF);
    expect_reg(LFADS_REG_CTRL, 32'h0F, LFADS_CTRL_AP_START, "ap_start pending");
    expect_true(starts == 0, "no start while busy");
    core_idle = 1;
    @(posedge clk); #1;
    @(posedge clk); #1;
    expect_true(starts == 1, "one start accepted");
    core_idle = 0;
    expect_reg(LFADS_REG_CTRL, LFADS_CTRL_AP_START, 0, "ap_start cleared on handshake");
    pulse_done;
    expect_reg(LFADS_REG_CTRL, 32'h0E, LFADS_CTRL_AP_DONE | LFADS_CTRL_AP_IDLE | LFADS_CTRL_AP_READY, "done+idle+ready");
    expect_reg(LFADS_REG_CTRL, LFADS_CTRL_AP_DONE, 0, "ap_done clear on read");

    // interrupts: done with IER done + GIE
    wr(LFADS_REG_IER, 32'h1, 4'hF);
    wr(LFADS_REG_GIE, 32'h1, 4'hF);
    expect_true(!interrupt, "no interrupt before done");
    pulse_done;
    expect_true(interrupt, "interrupt on done");
    expect_reg(LFADS_REG_ISR, 32'h3, 32'h1, "ISR done");
    wr(LFADS_REG_ISR, 32'h1, 4'hF);           // toggle-on-write clears
    expect_reg(LFADS_REG_ISR, 32'h3, 32'h0, "ISR cleared");
    expect_true(!interrupt, "interrupt cleared");
    wr(LFADS_REG_GIE, 32'h0, 4'hF);
    pulse_done;
    expect_true(!interrupt, "GIE masks interrupt");
    wr(LFADS_REG_ISR, 32'h1, 4'hF);

    // auto_restart: done re-arms ap_start
    i = starts;
    core_idle = 0;
    wr(LFADS_REG_CTRL, LFADS_CTRL_AP_START | LFADS_CTRL_AUTO_RESTART, 4'hF);
    core_idle = 1;
    @(posedge clk); #1;
    core_idle = 0;
    pulse_done;
    core_idle = 1;
    @(posedge clk); #1;
    @(posedge clk); #1;
    core_idle = 0;
    expect_true(starts == i + 2, "auto_restart restarted");
    wr(LFADS_REG_CTRL, 32'h0, 4'hF);
    pulse_done;
    @(posedge clk); #1;
    @(posedge clk); #1;
    expect_true(starts == i + 2, "auto_restart off");

    if (errors == 0)
        $display("PASS lfads_ctrl_regs: %0d checks, finished at %0d ns", checks, $time);
    else
        $display("FAIL lfads_ctrl_regs: %0d errors", errors);
    $finish;
end

endmodule
`resetall
