// SPDX-License-Identifier: MIT
// Pipeline depths of the compute blocks, in clock cycles: the one place the engine (scoreboard and
// drain), the blocks themselves and their benches take them from. CycleModel.java (sim) mirrors these
// numbers (CycleModel.writebackLatency); CycleModelTest checks it against harness runs.
// Include inside a module body. Not every includer uses every depth, and the function's result variable
// shares its name (Verilog-2005): both warnings are expected here.
// verilator lint_off UNUSEDPARAM
// verilator lint_off VARHIDDEN

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
