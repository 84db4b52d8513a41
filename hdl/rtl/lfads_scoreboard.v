// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Scoreboard and issue credit of lfads_engine's pass sequencer.
 *
 * Scoreboard: one counter per vector-store slot (and one for the CI history) of the passes in flight that will
 * write it. A pass is loaded (load, with the slots it writes: load_dst) only when none of the slots it reads
 * (src_mask) is still to be written (src_ready); its last row block releases its slots at the write-back
 * (release, release_mask). Passes issue in program order, so a counter of CNT_WIDTH bits is enough: at most
 * a few passes writing one slot are ever in flight. `busy` is high while any slot is pending (the drain test).
 *
 * src_ready is registered (issue 13: the combinational test, two LUT levels of the pending flags and the mask, sat in
 * front of the sequencer's advance and the ~250 clock enables behind it: 3.07 ns in the whole engine). It equals
 * (pending & src_mask) == 0 in every cycle: the pass program's src_mask moves only at `start` (to first_src) and at
 * `advance` (to next_src, the entry after the current one, a register there too) and holds otherwise, so the value
 * after the edge is one of three masks tested against the slots still pending after this cycle's release and load.
 * The tests are computed from registers in parallel, and start / advance / the load (copies of the sequencer's
 * decision, ready_load) pick in the last LUT; it is kept as three registers over groups of up to 8 slots (src_ready:
 * their AND), each three LUT levels from registers. A simulation check compares it with the combinational test every
 * cycle. go_ld and go_sb are kept copies of `go` for the sequencer's take / skip decision and its copies for here.
 *
 * Issue credit: the compute pipeline never stalls, so a row block that will be sent to the result writer must
 * find room in the writer's FIFO when it gets there. An emitting row block claims a FIFO slot when its last tile
 * issues (claim); the claim returns when its chunk enters the FIFO (chunk_done). `go`, the sequencer's permission
 * to issue or load in the next cycle, is registered: high while the free FIFO slots cover the claims plus
 * CREDIT_MARGIN (the claims of the cycle in which `go` was decided and the FIFO's registered free count).
 * A registered decision seen only by the sequencer: no combinational clock enable.
 */
module lfads_scoreboard #
(
    parameter SB_BITS = 23,
    parameter CNT_WIDTH = 3,
    parameter FREE_WIDTH = 5,
    parameter CLAIM_WIDTH = 6,
    parameter CREDIT_MARGIN = 3
)
(
    input  wire                     clk,
    input  wire                     rst,

    // the current entry of the pass program: its sources (src_mask) and their test (src_ready, a register); the
    // mask it takes at `start` (the first entry's, first_src) and at `advance` (the next entry's, next_src)
    input  wire [SB_BITS-1:0]       src_mask,
    input  wire [SB_BITS-1:0]       first_src,
    input  wire [SB_BITS-1:0]       next_src,
    input  wire                     start,
    input  wire                     advance,
    // load again: a copy of the decision from other registers (keep), for the src_ready test alone (the counters'
    // load has ~120 loads: a slow net to select with); `advance` should be such a copy too, not the pass program's
    // enable net (~250 loads)
    input  wire                     ready_load,
    output wire                     src_ready,
    input  wire                     load,
    input  wire [SB_BITS-1:0]       load_dst,

    // the write-back of a pass's last row block
    input  wire                     release_valid,
    input  wire [SB_BITS-1:0]       release_mask,
    output wire                     busy,

    // result-writer credit
    input  wire                     claim,
    input  wire                     chunk_done,
    input  wire [FREE_WIDTH-1:0]    fifo_free,
    output reg                      go,
    output wire                     go_ld,       // a copy of go for the sequencer's take / skip decision alone
    output wire                     go_sb        // another, for that decision's copies that select src_ready here
);

localparam integer SUM_WIDTH = (CLAIM_WIDTH > FREE_WIDTH ? CLAIM_WIDTH : FREE_WIDTH) + 2;

wire [SB_BITS-1:0] pending;           // a pass in flight will write the slot
wire [SB_BITS-1:0] stay;              // pending after this cycle's release

// c + 1 (down low) or c - 1 (down high) as bit logic: bit i flips when the bits below it are all 1 (all 0)
function [CNT_WIDTH-1:0] cnt_step(input [CNT_WIDTH-1:0] c, input down);
    integer i;
    reg [CNT_WIDTH-1:0] below;
    begin
        for (i = 0; i < CNT_WIDTH; i = i + 1) begin
            below = c & ((1 << i) - 1);
            cnt_step[i] = c[i] ^ (down ? (below == 0) : (below == (1 << i) - 1));
        end
    end
endfunction

genvar b;
generate
for (b = 0; b < SB_BITS; b = b + 1) begin : g_slot
    // cnt + 1, cnt - 1 (bit logic of the register: a bit flips when all bits below it are 1 / 0; an $add / $sub
    // would be merged by Yosys' sharing into one adder of a selected operand, the flags at its head) or hold,
    // selected by the slot's load and release: the flags reach the counter through a LUT or two (a sum of the
    // counter and both flags became a LUT full-adder chain ahead of a carry chain)
    // pend: cnt != 0, a register of its own (updated with cnt), so that src_ready's first LUT takes three slots'
    // (pend, mask) pairs rather than one slot's counter and mask: its 23-slot reduction is two LUT levels
    // one: cnt == 1, a register of its own too (a release of the slot empties it): the ready tests below take it
    // The next state is a select by the load of two candidates (with and without it), each computed from registers
    // and the release: the load (a LUT of the sequencer's registers, ~120 loads) enters only the last LUT.
    reg [CNT_WIDTH-1:0] cnt = 0;
    reg pend = 1'b0;
    reg one = 1'b0;
    wire [CNT_WIDTH-1:0] cnt_up = cnt_step(cnt, 1'b0);
    wire [CNT_WIDTH-1:0] cnt_dn = cnt_step(cnt, 1'b1);
    wire dec = release_valid && release_mask[b];
    // {cnt, pend, one} after a load of the slot (and a release: unchanged) / without one (a release: count - 1)
    wire [CNT_WIDTH+1:0] st_ld = dec ? {cnt, pend, one} : {cnt_up, 1'b1, cnt == 0};
    wire [CNT_WIDTH+1:0] st_nl = dec ? {cnt_dn, cnt != 1, cnt == 2} : {cnt, pend, one};
    always @(posedge clk) begin
        if (rst)
            {cnt, pend, one} <= 0;
        else
            {cnt, pend, one} <= (load && load_dst[b]) ? st_ld : st_nl;
    end
    assign pending[b] = pend;
    // pending after this cycle's release (a slot whose count is 1 released)
    assign stay[b] = pend && !(dec && one);
end
endgenerate

// The registered test. After the edge the mask is first_src (start), next_src (advance) or src_mask, and a slot is
// pending when it stays pending through this cycle's release (stay: its registers and the release), or when the load
// writes it (a release only of pending slots, a load never beyond the counter: stay | load_dst, as the counters). It
// is kept as RG registers, one per group of up to 8 slots (src_ready: their AND, which the sequencer's take / skip
// LUT absorbs), so that each is three LUT levels from registers: per slot and mask "reads a slot that stays pending"
// (the slot's registers, the release and the mask bit: one LUT), per group and mask their OR (one LUT of 8), and the
// select by start, advance and the load of those and of "reads a slot the load writes" (load_dst and the masks,
// registers only; first_src's and src_mask's taken together by `start`, a register): one LUT of 8 inputs.
localparam integer RG = (SB_BITS + 7) / 8;
reg [RG-1:0] rdy = {RG{1'b1}};
genvar g;
generate
for (g = 0; g < RG; g = g + 1) begin : g_ready
    localparam integer LO = g * 8;
    localparam integer HI = (LO + 8 < SB_BITS ? LO + 8 : SB_BITS) - 1;
    wire blk_n = (stay[HI:LO] & src_mask[HI:LO]) != 0;
    wire blk_f = (stay[HI:LO] & first_src[HI:LO]) != 0;
    wire blk_s = (stay[HI:LO] & next_src[HI:LO]) != 0;
    wire ld_s = (load_dst[HI:LO] & next_src[HI:LO]) != 0;
    wire ld_nf = start ? (load_dst[HI:LO] & first_src[HI:LO]) != 0 : (load_dst[HI:LO] & src_mask[HI:LO]) != 0;
    always @(posedge clk) begin
        if (rst)
            rdy[g] <= 1'b1;
        else
            rdy[g] <= !((start ? blk_f : advance ? blk_s : blk_n) || (ready_load && (advance && !start ? ld_s : ld_nf)));
    end
end
endgenerate
assign src_ready = &rdy;
`ifndef SYNTHESIS
// the combinational test it replaces, every cycle
always @(posedge clk) begin : ready_check
    if (src_ready !== ((pending & src_mask) == 0)) begin
        $display("ERROR lfads_scoreboard: the registered src_ready %b differs from (pending & src_mask) == 0 at %0t",
                 src_ready, $time);
        $finish;
    end
end
`endif
assign busy = pending != 0;

// The credit test, by construction a compare against registers: `need` (claims + margin) is kept in three
// registered copies, the value it takes after this cycle's return (need_m = claims + margin - 1), after no change
// (need_0) and after this cycle's claim (need_p = claims + margin + 1). The three comparisons with the FIFO's free
// count run in parallel (each one carry chain), {claim, chunk_done} picks one: same `go`, same cycle, as
// free >= claims_next + margin. The copies move together (need_m + 1 = need_0 = need_p - 1 at every cycle), so
// each one's next value is a 3:1 select by {claim, chunk_done} of registers and of need_p + 1 / need_m - 1 (carry
// chains from registers, in parallel with the claim): claim and chunk_done reach the registers through one LUT.
// SUM_WIDTH + 1 bits, two's complement: need_m is -1 when margin and claims are both 0.
localparam integer NW = SUM_WIDTH + 1;
localparam [NW-1:0] NEED0_RST = CREDIT_MARGIN;
reg  [NW-1:0] need_m = NEED0_RST - 1, need_0 = NEED0_RST, need_p = NEED0_RST + 1;
wire [NW-1:0] free = {{(NW-FREE_WIDTH){1'b0}}, fifo_free};
wire          up = claim && !chunk_done, down = chunk_done && !claim;
wire [NW-1:0] need_pp = need_p + 1'b1;    // need + 2
wire [NW-1:0] need_mm = need_m - 1'b1;    // need - 2
// claim enters the last LUT of each copy: per claim value the copy's next value is a select by chunk_done of registers
// and carry-chain results, kept nets, and claim picks one of the two (in the whole engine claim is two LUTs from `go`,
// issue && cur_last_cb && cur_emit; Yosys had made up / down shared nodes between it and the registers: 2.93 ns)
(* keep = "true" *) wire [NW-1:0] nm_c1, nm_c0, n0_c1, n0_c0, np_c1, np_c0;
assign nm_c1 = chunk_done ? need_m : need_0;     // claim: after a claim and a return, or a claim
assign nm_c0 = chunk_done ? need_mm : need_m;    // no claim: after a return, or no change
assign n0_c1 = chunk_done ? need_0 : need_p;
assign n0_c0 = chunk_done ? need_m : need_0;
assign np_c1 = chunk_done ? need_p : need_pp;
assign np_c0 = chunk_done ? need_0 : need_p;
wire          ge_m = $signed(free) >= $signed(need_m);
wire          ge_0 = $signed(free) >= $signed(need_0);
wire          ge_p = $signed(free) >= $signed(need_p);
wire          go_next = up ? ge_p : (down ? ge_m : ge_0);   // go's next value (outside reset), for it and its copies
initial go = 1'b0;
// go_ld: go's copy (keep: not merged with it) for the take / skip decision (the pass program's ~250 enables behind
// it): go itself drives the walker's ~200 walking registers' enable, a slow net to start a path from
// go_sb: another (fanout 2), for the sequencer's copies of the decision that select src_ready here (from `go` itself
// the whole engine had them at 2.82 ns: go -> the copy -> the group select -> rdy)
(* keep = "true", dont_touch = "true" *) reg go_c = 1'b0;
(* keep = "true", dont_touch = "true" *) reg go_s = 1'b0;
assign go_ld = go_c;
assign go_sb = go_s;
always @(posedge clk) begin
    if (rst) begin
        need_m <= NEED0_RST - 1;
        need_0 <= NEED0_RST;
        need_p <= NEED0_RST + 1;
        go <= 1'b0;
    end else begin
        need_m <= claim ? nm_c1 : nm_c0;
        need_0 <= claim ? n0_c1 : n0_c0;
        need_p <= claim ? np_c1 : np_c0;
        go <= go_next;
    end
end
(* keep = "true" *) always @(posedge clk) go_c <= !rst && go_next;
(* keep = "true" *) always @(posedge clk) go_s <= !rst && go_next;

endmodule

`resetall
