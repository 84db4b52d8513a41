#!/bin/bash
# SPDX-License-Identifier: MIT
# verilator --lint-only -Wall on every RTL module (rtl/<module>.v as top, submodules found with -y rtl),
# one line per file with the number of warnings located in it (a module's own file, and the .vh includes
# counted once over all runs). Files named in LINT_CLEAN (default: every rtl/*.v and rtl/*.vh; a new file is
# added when it is clean) must have none: exit 1 otherwise. Logs: OUTDIR/<module>.log. Last, Yosys elaborates
# lfads_engine and lfads_kernel.
# usage: scripts/lint.sh OUTDIR
set -uo pipefail
out=${1:-build/lint}
clean=${LINT_CLEAN:-"rtl/lfads_kernel.v rtl/lfads_contract.vh rtl/lfads_fixed_funcs.vh rtl/lfads_pipeline.vh rtl/lfads_tag.vh rtl/lfads_proj_lane.v rtl/lfads_axi_reader.v rtl/lfads_axi_writer.v rtl/lfads_ctrl_regs.v rtl/lfads_status_writer.v rtl/lfads_tile_walker.v rtl/lfads_element_loader.v rtl/lfads_run_fsm.v rtl/lfads_mac_array.v rtl/lfads_post_lane.v rtl/lfads_act_unit.v rtl/lfads_weight_lane.v rtl/lfads_engine.v rtl/lfads_geometry.v rtl/lfads_pass_program.v rtl/lfads_scoreboard.v rtl/lfads_vector_store.v rtl/lfads_writeback.v"}
verilator=${VERILATOR:-verilator}
mkdir -p "$out"
fail=0
for f in rtl/*.v; do
    m=$(basename "$f" .v)
    $verilator --lint-only -Wall -Irtl -y rtl --top-module "$m" "$f" > "$out/$m.log" 2>&1
    if grep -q '^%Error' "$out/$m.log" && ! grep -q '^%Error: Exiting due to' "$out/$m.log"; then
        echo "[lint] $f: verilator error"; grep '^%Error' "$out/$m.log" | head -5; fail=1
    fi
done
cat "$out"/*.log | grep '^%Warning' | sort -u > "$out/all-warnings.txt"
for f in rtl/*.v rtl/*.vh; do
    n=$(grep -c -F " $f:" "$out/all-warnings.txt")
    if [[ " $clean " == *" $f "* ]]; then
        if [ "$n" -ne 0 ]; then
            echo "[lint] $f: $n warning(s) -- must be clean:"; grep -F " $f:" "$out/all-warnings.txt" | head -20; fail=1
        else
            echo "[lint] $f: clean (required)"
        fi
    else
        kinds=$(grep -F " $f:" "$out/all-warnings.txt" | sed -E 's/^%Warning-([A-Z0-9_]+):.*/\1/' | sort | uniq -c \
                | awk '{printf "%s%s %d", sep, $2, $1; sep=", "}')
        echo "[lint] $f: $n warning(s)${kinds:+ ($kinds)}"
    fi
done
# Yosys (Verilog-2005 mode) elaborates the two tops that `make test` does not synthesise (make timing / make synth
# do, for minutes to hours) the way scripts/timing/run.py reads them: the top's file, submodules by -libdir. A
# construct Yosys rejects or chokes on there would otherwise surface only in those long runs.
# With the parameters of budget.txt: Yosys 0.23 failed only on a parameterised re-elaboration.
for m in lfads_engine lfads_kernel; do
    chp=$(awk -v m="$m" '$1 == m { for (i = 5; i <= NF; i++) { split($i, kv, "="); printf " -chparam %s %s", kv[1], kv[2] } }' \
          scripts/timing/budget.txt)
    if ! yosys -q -l "$out/yosys-$m.log" -p "read_verilog -Irtl rtl/$m.v; hierarchy -check -top $m -libdir rtl$chp" \
            > /dev/null 2>&1; then
        echo "[lint] rtl/$m.v: Yosys cannot elaborate it:"; grep -E 'ERROR|Error' "$out/yosys-$m.log" | head -5; fail=1
    else
        echo "[lint] rtl/$m.v: Yosys elaborates it (read_verilog, hierarchy -libdir)"
    fi
done
exit $fail
