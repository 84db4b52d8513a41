#!/bin/bash
# SPDX-License-Identifier: MIT
# Flat Yosys synthesis of the whole kernel: every RTL file is read in Verilog-2005 mode (read_verilog, no -sv),
# starting from the top lfads_kernel.v, then one synth_xilinx -family xcup -flatten run of lfads_kernel with
# the given parameters, `stat`, the netlist as JSON (for scripts/timing/sta.py) and the resource table
# against the U55C (scripts/synth_report.py).
# usage: scripts/synth.sh OUTDIR [PARAM=VALUE ...]
# SYNTH_HIER=1: the same one run of the whole kernel with its hierarchy kept (no -flatten): each distinct module
# (one row lane's post lane, weight lane, projection ring) is synthesised once and `stat -top` counts every
# instance; no optimisation across module boundaries, so the counts are an upper bound of the flat run's.
# Memory: bounded by SYNTH_VMEM_KB (ulimit -v, default 14 GB); niced.
set -euo pipefail
out=${1:-build/synth}
shift || true
mkdir -p "$out"
chp=""
for kv in "$@"; do chp="$chp -chparam ${kv%%=*} ${kv#*=}"; done
# the top first, then every other module (hierarchy would find them with -libdir too; reading them all makes
# a file Yosys cannot read in Verilog mode fail here, whichever module it holds)
files="rtl/lfads_kernel.v $(ls rtl/*.v | grep -v '^rtl/lfads_kernel.v$' | tr '\n' ' ')"
if [ "${SYNTH_HIER:-0}" = 1 ]; then flatten=""; stat_top="-top lfads_kernel"; mode=hierarchical; else flatten="-flatten"; stat_top=""; mode=flat; fi
# synth_xilinx's coarse step, spelled out so that `share` can be narrowed (SYNTH_SHARE): on the flat 64 x 32 kernel
# Yosys 0.23's share had analysed 136 of 180 candidate cells after 57 min, and with -fast it still takes ~1 min per
# shift of the 64 activation units (each has 119 candidates: every other lane's shifts, which can never be merged
# with it). SYNTH_SHARE=memrd (the flat default) shares memory read ports only (a memory's exclusive reads, which
# decide its block-RAM count), not shifters or adders, so LUT counts stay an upper bound; full = synth_xilinx's own.
case "${SYNTH_SHARE:-$([ $mode = flat ] && echo memrd || echo full)}" in
    full) share_cmd="share" ;;
    memrd) share_cmd="share -fast t:\$memrd" ;;
    *) echo "SYNTH_SHARE must be full or memrd" >&2; exit 2 ;;
esac
coarse="techmap -map +/cmp2lut.v -map +/cmp2lcu.v -D LUT_WIDTH=6
alumacc
$share_cmd
opt
memory -nomap
opt_clean"
cat > "$out/synth.ys" <<YS
read_verilog -Irtl $files
hierarchy -check -top lfads_kernel$chp
synth_xilinx -family xcup -noiopad -noclkbuf $flatten -top lfads_kernel -run :coarse
$coarse
synth_xilinx -family xcup -noiopad -noclkbuf $flatten -top lfads_kernel -run map_memory:
tee -o $out/stat.txt stat $stat_top
write_json $out/netlist.json
YS
echo "[yosys] $mode lfads_kernel ($*) -> $out (log: $out/yosys.log)"
start=$(date +%s)
( ulimit -v "${SYNTH_VMEM_KB:-14000000}"; exec /usr/bin/time -v nice yosys -q -l "$out/yosys.log" -s "$out/synth.ys" ) \
    > /dev/null 2> "$out/time.txt" || { tail -20 "$out/yosys.log"; cat "$out/time.txt"; exit 1; }
secs=$(( $(date +%s) - start ))
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
/usr/bin/python3 scripts/synth_report.py "$out/stat.txt" "$([ $mode = flat ] && echo lfads_kernel || echo 'design hierarchy')" "$* " "$secs" "$rss" > "$out/report.txt"
cat "$out/report.txt"
