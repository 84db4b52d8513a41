#!/usr/bin/env bash
# Bounded model check / k-induction / cover of one formal wrapper with Yosys + yosys-smtbmc.
# Usage: formal/run.sh NAME MODE DEPTH [DEFINE]   (from hdl/)
#   SOLVER=z3 (default). Debian 12's boolector (1.5) has no incremental SMT-LIB 2 mode.
#   NAME  : hdl/formal/NAME/f_NAME.v wraps rtl/NAME.v
#   MODE  : bmc | ind | cover | mutant (BMC of the design built with -DDEFINE: must FAIL)
# Output and counterexample traces: build/formal/NAME-MODE/
set -euo pipefail
name=$1 mode=$2 depth=$3 def=${4:-}
solver=${SOLVER:-z3}
out=build/formal/$name-$mode
mkdir -p "$out"
defs="-DFORMAL"
[[ -n "$def" ]] && defs="$defs -D$def"
srcs="rtl/$name.v formal/$name/f_$name.v $(echo formal/common/*.v)"
# induction runs on the DUT itself (its protocol checker and inductive invariants); the wrapper's
# end-to-end data checks keep state the DUT's invariants cannot name, so they are bounded (bmc)
top=f_$name
[[ $mode == ind ]] && top=$name
yosys -q -l "$out/yosys.log" -p "read_verilog -formal $defs -Irtl $srcs; prep -top $top; async2sync; dffunmap; write_smt2 -wires $out/model.smt2" >/dev/null
args=(-s "$solver" --noprogress --unroll --presat -t "$depth" --dump-vcd "$out/trace.vcd")
case $mode in
  bmc|mutant) ;;
  ind) args=(-s "$solver" --noprogress --unroll -i -t "$depth" --dump-vcd "$out/trace.vcd") ;;
  cover) args=(-s "$solver" --noprogress --unroll -c -t "$depth" --dump-vcd "$out/trace.vcd") ;;
  *) echo "formal/run.sh: unknown mode $mode" >&2; exit 2 ;;
esac
start=$(date +%s%N)
if yosys-smtbmc "${args[@]}" "$out/model.smt2" > "$out/smtbmc.log" 2>&1; then rc=0; else rc=$?; fi
ms=$(( ($(date +%s%N) - start) / 1000000 )); secs=$((ms / 1000)).$(( ms % 1000 / 100 ))
if [[ $mode == mutant ]]; then
  if [[ $rc -ne 0 ]] && grep -q 'Assert failed' "$out/smtbmc.log"; then
    echo "[formal] $name mutant $def: rejected as expected ($(grep -m1 'Assert failed' "$out/smtbmc.log" | sed 's/.*Assert failed in [^:]*: *//'), ${secs}s)"
    exit 0
  fi
  echo "[formal] $name mutant $def: NOT rejected: the properties cannot see the bug"; tail -20 "$out/smtbmc.log"; exit 1
fi
if [[ $rc -ne 0 ]]; then
  echo "[formal] $name $mode depth $depth: FAILED (trace $out/trace.vcd)"; tail -25 "$out/smtbmc.log"; exit 1
fi
echo "[formal] $name $mode depth $depth: PASS (${secs}s, $solver)"
