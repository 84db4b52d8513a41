// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Scoreboard bench: 8,000 cycles of passes loaded with random destination masks (a few slots, so several passes
// often pend on one slot), releases of random subsets of the pending slots, a source mask that moves as the pass
// program's (to a random next mask at `advance`, to a random first mask at `start`, held otherwise: a load with or
// without an advance, an advance without a load as a skipped entry, a load and a release in one cycle), and a
// result-writer credit stream (claims, returned chunks, a random free count); a reset now and then. Behavioural
// model: a count per slot and a claim count. Checks every cycle: src_ready (a register: no slot of the current mask
// pending), busy (any slot pending), and `go` = the free count covers the claims after this cycle's claim / return
// plus the margin, one cycle later; a second instance with no margin (its claims-minus-one copy starts below zero)
// checked against the same model.
module tb_lfads_scoreboard;

localparam integer NSB = 12;
localparam integer CNTW = 3;
localparam integer MARGIN = 3;
localparam integer CYCLES = 8000;

reg clk = 0;
always #5 clk = ~clk;
reg rst = 1;

reg  [NSB-1:0] src_mask = 0, first_src = 0, next_src = 0, load_dst = 0, release_mask = 0;
reg            start = 0, advance = 0, load = 0, release_valid = 0, claim = 0, chunk_done = 0;
reg  [4:0]     fifo_free = 0;
wire           src_ready, busy, go, go_ld, go_sb;
wire           src_ready0, busy0, go0, go_ld0, go_sb0;

lfads_scoreboard #(.SB_BITS(NSB), .CNT_WIDTH(CNTW), .FREE_WIDTH(5), .CLAIM_WIDTH(6), .CREDIT_MARGIN(MARGIN)) dut (
    .clk(clk), .rst(rst), .src_mask(src_mask), .first_src(first_src), .next_src(next_src), .start(start),
    .advance(advance), .ready_load(load), .src_ready(src_ready), .load(load), .load_dst(load_dst),
    .release_valid(release_valid), .release_mask(release_mask), .busy(busy), .claim(claim), .chunk_done(chunk_done),
    .fifo_free(fifo_free), .go(go), .go_ld(go_ld), .go_sb(go_sb));
lfads_scoreboard #(.SB_BITS(NSB), .CNT_WIDTH(CNTW), .FREE_WIDTH(5), .CLAIM_WIDTH(6), .CREDIT_MARGIN(0)) dut0 (
    .clk(clk), .rst(rst), .src_mask(src_mask), .first_src(first_src), .next_src(next_src), .start(start),
    .advance(advance), .ready_load(load), .src_ready(src_ready0), .load(load), .load_dst(load_dst),
    .release_valid(release_valid), .release_mask(release_mask), .busy(busy0), .claim(claim), .chunk_done(chunk_done),
    .fifo_free(fifo_free), .go(go0), .go_ld(go_ld0), .go_sb(go_sb0));

`include "tb_rand.vh"
reg [31:0] rng = 32'h5EED5C0B;

integer m_cnt [0:NSB-1];
integer m_claimed = 0;
reg     m_go = 0, m_go0 = 0;
integer checks = 0, errors = 0, stalls = 0, waits = 0, loads = 0, margin_only = 0;
integer skips = 0, starts = 0, load_rel = 0, self_block = 0, freed = 0;
reg     was_ready = 1;
reg  [NSB-1:0] src_after;
reg [31:0] checksum = 0;

integer c, b, nclaim;
reg e_ready, e_busy;
initial begin
    for (b = 0; b < NSB; b = b + 1) m_cnt[b] = 0;
    @(posedge clk); #1;
    for (c = 0; c < CYCLES; c = c + 1) begin
        rng = tb_xorshift32(rng);
        rst = c < 2 || rng[31:21] == 0;
        // loads: 1..3 destination slots; never more passes on one slot than the counter holds
        load = rng[2:0] < 3;
        rng = tb_xorshift32(rng);
        load_dst = 0;
        for (b = 0; b < 3; b = b + 1)
            if (b == 0 || rng[b]) load_dst[(rng >> (4 * b + 4)) % NSB] = 1'b1;
        for (b = 0; b < NSB; b = b + 1)
            if (load_dst[b] && m_cnt[b] == (1 << CNTW) - 1) load = 0;
        // releases: any pending subset (the write-back of a pass's last row block)
        rng = tb_xorshift32(rng);
        release_valid = rng[1:0] == 0;
        release_mask = 0;
        for (b = 0; b < NSB; b = b + 1)
            if (m_cnt[b] != 0 && rng[b + 2]) release_mask[b] = 1'b1;
        // the pass program: the next entry's and the first entry's masks; start now and then, advance often (nearly
        // always with a load: the engine loads only in an advance, the module takes either alone)
        rng = tb_xorshift32(rng);
        next_src = rng[NSB-1:0] & rng[2*NSB-1:NSB];
        rng = tb_xorshift32(rng);
        first_src = rng[NSB-1:0] & rng[2*NSB-1:NSB];
        start = rng[31:27] == 0;
        advance = load ? rng[26:24] != 0 : rng[24];
        // credit stream: claims only while the model says go, returns only of claims made
        rng = tb_xorshift32(rng);
        claim = m_go && rng[0];
        chunk_done = m_claimed > 0 && rng[2:1] == 0;
        if (rng[7:3] == 0) begin
            rng = tb_xorshift32(rng);
            fifo_free = rng % 17;
        end
        #1;
        e_ready = 1;
        e_busy = 0;
        for (b = 0; b < NSB; b = b + 1) begin
            if (m_cnt[b] != 0) e_busy = 1;
            if (m_cnt[b] != 0 && src_mask[b]) e_ready = 0;
        end
        checks = checks + 1;
        if (src_ready !== e_ready || busy !== e_busy) begin
            errors = errors + 1;
            if (errors < 10) $display("ERROR cycle %0d: src_ready %b busy %b, expected %b %b", c, src_ready, busy, e_ready, e_busy);
        end
        checks = checks + 1;
        if (go !== m_go || go0 !== m_go0 || go_ld !== m_go || go_ld0 !== m_go0 || go_sb !== m_go || go_sb0 !== m_go0
            || src_ready0 !== e_ready
            || busy0 !== e_busy) begin
            errors = errors + 1;
            if (errors < 10) $display("ERROR cycle %0d: go %b (no margin: %b), expected %b (%b)", c, go, go0, m_go, m_go0);
        end
        if (m_go0 && !m_go) margin_only = margin_only + 1;
        if (!e_ready) waits = waits + 1;
        if (e_ready && !was_ready && !rst) freed = freed + 1;
        was_ready = e_ready;
        if (advance && !load && !start) skips = skips + 1;
        if (start) starts = starts + 1;
        if (load && release_valid && release_mask != 0) load_rel = load_rel + 1;
        if (advance && load && !start && (load_dst & next_src) != 0) self_block = self_block + 1;
        if (!m_go) stalls = stalls + 1;
        checksum = tb_xorshift32(checksum ^ {src_ready, busy, go, go0, 28'd0} ^ c);
        // the model's next state
        if (rst) begin
            for (b = 0; b < NSB; b = b + 1) m_cnt[b] = 0;
            m_claimed = 0;
            m_go = 0;
            m_go0 = 0;
        end else begin
            for (b = 0; b < NSB; b = b + 1)
                m_cnt[b] = m_cnt[b] + ((load && load_dst[b]) ? 1 : 0) - ((release_valid && release_mask[b]) ? 1 : 0);
            if (load) loads = loads + 1;
            m_claimed = m_claimed + claim - chunk_done;
            m_go = fifo_free >= m_claimed + MARGIN;
            m_go0 = fifo_free >= m_claimed;
        end
        // the pass program's mask register (held in a reset, as lfads_pass_program's nx_src), after the edge
        src_after = src_mask;
        if (!rst) begin
            if (start) src_after = first_src;
            else if (advance) src_after = next_src;
        end
        @(posedge clk); #1;
        src_mask = src_after;
    end
    if (errors == 0 && waits > 1000 && stalls > 500 && loads > 1000 && margin_only > 100 && skips > 1000 && starts > 100
        && load_rel > 300 && self_block > 100 && freed > 300)
        $display("PASS lfads_scoreboard: %0d checks, %0d loads (%0d with a release, %0d writing a source of the next entry), %0d skips, %0d starts, %0d cycles a source pending, %0d sources written, %0d without credit (%0d only for the margin), checksum %h",
                 checks, loads, load_rel, self_block, skips, starts, waits, freed, stalls, margin_only, checksum);
    else
        $display("FAIL lfads_scoreboard: %0d errors (%0d loads, %0d waits, %0d stalls)", errors, loads, waits, stalls);
    $finish;
end

endmodule
`resetall
