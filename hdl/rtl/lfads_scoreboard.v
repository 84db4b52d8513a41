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

    // the pass at the program counter
    input  wire [SB_BITS-1:0]       src_mask,
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
    output reg                      go
);

localparam integer SUM_WIDTH = (CLAIM_WIDTH > FREE_WIDTH ? CLAIM_WIDTH : FREE_WIDTH) + 2;
localparam [SUM_WIDTH-1:0] MARGIN = CREDIT_MARGIN;

wire [SB_BITS-1:0] pending;           // a pass in flight will write the slot

genvar b;
generate
for (b = 0; b < SB_BITS; b = b + 1) begin : g_slot
    reg [CNT_WIDTH-1:0] cnt = 0;
    always @(posedge clk) begin
        if (rst)
            cnt <= 0;
        else
            cnt <= cnt + {{(CNT_WIDTH-1){1'b0}}, load && load_dst[b]}
                       - {{(CNT_WIDTH-1){1'b0}}, release_valid && release_mask[b]};
    end
    assign pending[b] = cnt != 0;
end
endgenerate

assign src_ready = (pending & src_mask) == 0;
assign busy = pending != 0;

reg  [CLAIM_WIDTH-1:0] claimed = 0;
wire [CLAIM_WIDTH-1:0] claimed_next = claimed + {{(CLAIM_WIDTH-1){1'b0}}, claim}
                                              - {{(CLAIM_WIDTH-1){1'b0}}, chunk_done};
wire [SUM_WIDTH-1:0]   need = {{(SUM_WIDTH-CLAIM_WIDTH){1'b0}}, claimed_next} + MARGIN;
wire [SUM_WIDTH-1:0]   free = {{(SUM_WIDTH-FREE_WIDTH){1'b0}}, fifo_free};
initial go = 1'b0;
always @(posedge clk) begin
    if (rst) begin
        claimed <= 0;
        go <= 1'b0;
    end else begin
        claimed <= claimed_next;
        go <= free >= need;
    end
end

endmodule

`resetall
