// SPDX-License-Identifier: MIT
// Pipeline depths of the compute blocks, in clock cycles: the one place the engine (scoreboard and
// drain), the blocks themselves and their benches take them from. CycleModel.java (sim) mirrors these
// numbers (CycleModel.issueStages, writebackLatency); CycleModelTest checks it against harness runs.
// Include inside a module body. Not every includer uses every depth, and the function's result variable
// shares its name (Verilog-2005): both warnings are expected here.
// verilator lint_off UNUSEDPARAM
// verilator lint_off VARHIDDEN

// lfads_engine issue stages: a tile's issue -> the MAC array's input beat.
//   A (column addresses; the weight lanes' read-address registers), S1 (registered reads), S2 (the column select's
//   first half, registered in copies), and with SLR crossing stages (lfads_engine SLR_CROSSING_STAGES = 1) S3: the
//   column vector's flip-flop hop into the far SLR (the weight and projection lanes read a cycle later, from flip-flop
//   copies of the issue). The select's second half lies between the last of these and the MAC array's DSP B registers.
function integer lfads_issue_stages(input integer slr_crossing_stages);
    lfads_issue_stages = 3 + slr_crossing_stages;
endfunction

// lfads_engine write-back: the post lanes' output -> the write-back's registers (vector store, CI history, result
// chunk): 0, or 1 with SLR crossing stages (every lane's result through a register in the engine's SLR).
function integer lfads_writeback_stages(input integer slr_crossing_stages);
    lfads_writeback_stages = slr_crossing_stages;
endfunction

// lfads_mac_array: input beat -> out_acc / out_valid.
//   operand registers (DSP48E2 AREG/BREG), product (MREG), product (PREG),
//   row-sum adder tree two levels per stage (ceil(log2(C) / 2) stages), alignment shift, accumulate.
function integer lfads_mac_latency(input integer col_lanes);
    lfads_mac_latency = 3 + ($clog2(col_lanes) + 1) / 2 + 2;
endfunction

// lfads_act_unit: in_p -> out_y.
//   table address (clamp, index and normalised fraction), table read, table output register
//   (RAMB DO_REG), DSP operand registers, product (MREG), product + rounding (PREG), add + saturate.
localparam integer LFADS_ACT_LATENCY = 7;

// lfads_post_lane: in_acc -> out_value (a register; the consumers, vector store and result chunk, write it
// in the cycle it is valid).
//   input register + shift decode, requantize shift, round + saturate, activation (LFADS_ACT_LATENCY,
//   its output register is the update DSP's A register), update product (MREG), product + addend (PREG),
//   output register (final shift and clip / saturate / select).
localparam integer LFADS_POST_LATENCY = 3 + LFADS_ACT_LATENCY + 3;
// verilator lint_on VARHIDDEN
// verilator lint_on UNUSEDPARAM
