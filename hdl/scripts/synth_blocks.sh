#!/bin/bash
# SPDX-License-Identifier: MIT
# Block-by-block estimate (the flat one is scripts/synth.sh): kept to compare against the earlier summed table.
# Yosys synth_xilinx -family xcup resource estimate of the default lfads_kernel configuration
# (W = 16, 64 x 32 MAC lanes). The 64 identical post lanes and the 64 identical weight lanes (each row
# lane's on-chip image memories) are synthesised once and counted 64 times, the MAC array and the
# engine separately (engine with those three as black boxes), so each Yosys run stays small: a flat
# engine with 64 weight lanes did not get through Yosys' `proc` pass in an hour.
# usage: scripts/synth_blocks.sh OUTDIR
set -euo pipefail
out=${1:-build/synth}
mkdir -p "$out"
R=${ROW_LANES:-64}
C=${COL_LANES:-32}
W=${DATA_WIDTH:-16}
SX="synth_xilinx -family xcup -noiopad -noclkbuf"
run() {
    local name=$1; shift
    echo "[yosys] $name"
    yosys -q -l "$out/$name.log" -p "$*" > /dev/null
}
run mac_array "read_verilog -Irtl rtl/lfads_mac_array.v; chparam -set ROW_LANES $R -set COL_LANES $C -set DATA_WIDTH $W -set X_WIDTH $((W+1)) -set ACC_WIDTH 48 -set TAG_WIDTH 96 lfads_mac_array; $SX -top lfads_mac_array; stat" &
run post_lane "read_verilog -Irtl rtl/lfads_post_lane.v rtl/lfads_act_unit.v; chparam -set DATA_WIDTH $W -set ACC_WIDTH 48 -set MAX_ACT_SEG_BITS 10 lfads_post_lane; $SX -top lfads_post_lane; stat" &
wait
# one weight lane with the kernel's default depths (MAX_TILES 512, MAX_ROW_BLOCKS 128, H0_DEPTH 5 * 256/R)
run weight_lane "read_verilog -Irtl rtl/lfads_weight_lane.v; chparam -set COL_LANES $C -set DATA_WIDTH $W -set MAX_TILES 512 -set MAX_ROW_BLOCKS 128 -set H0_DEPTH $((5 * ((256 + R - 1) / R))) lfads_weight_lane; $SX -top lfads_weight_lane; stat"
# the engine's own parts (split out of lfads_engine.v, issue 13) are counted with it: flattened into it
ENGINE_PARTS="rtl/lfads_vector_store.v rtl/lfads_writeback.v rtl/lfads_scoreboard.v rtl/lfads_geometry.v rtl/lfads_pass_program.v"
run engine "read_verilog -Irtl -lib rtl/lfads_mac_array.v rtl/lfads_post_lane.v rtl/lfads_weight_lane.v; read_verilog -Irtl $ENGINE_PARTS rtl/lfads_engine.v; chparam -set ROW_LANES $R -set COL_LANES $C -set DATA_WIDTH $W lfads_engine; $SX -flatten -top lfads_engine; stat" &
run periphery "read_verilog -Irtl rtl/lfads_ctrl_regs.v rtl/lfads_axi_reader.v rtl/lfads_axi_writer.v; chparam -set ROWS $R -set DATA_WIDTH $W lfads_axi_writer; hierarchy -top lfads_axi_writer; $SX -top lfads_axi_writer; stat; design -reset; read_verilog -Irtl rtl/lfads_ctrl_regs.v rtl/lfads_axi_reader.v; $SX -top lfads_ctrl_regs; stat; design -reset; read_verilog -Irtl rtl/lfads_axi_reader.v; $SX -top lfads_axi_reader; stat" &
wait
/usr/bin/python3 scripts/synth_blocks_report.py "$out" "$R" > "$out/report.txt"
cat "$out/report.txt"
