#!/usr/bin/env bash
# Bit-accurate model, online bin (push + infer the window ending at it): reference loops (LONG) vs the fast loops
# the software backend uses (EXACT_DOUBLE), same bits, same run. JMH FixedOnlineBench (wall, sample mode) and
# FixedOnlineCpuTime (thread CPU, both modes interleaved bin by bin, outputs checked equal at every bin).
# Paper-size and MC_Maze-size golden models. Short by default (the machine is shared); writes reports/bench-fixed-online/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=reports/bench-fixed-online
bins=${BINS:-2000}
mkdir -p "$out"
if [[ ! -f bench/target/benchmarks.jar || -n "$(find sim/src host/src bench/src -newer bench/target/benchmarks.jar -type f | head -1)" ]]; then
  mvn -B -q -Pbench -pl sim,host,bench -am package -DskipTests
fi
java -jar bench/target/benchmarks.jar FixedOnlineBench -f 1 -t 1 -wi 3 -i 3 -w 1 -r 1 \
  -rf json -rff "$out/jmh.json" >"$out/jmh.log"
java -cp bench/target/benchmarks.jar org.lfadsrt.bench.FixedOnlineCpuTime sim/src/test/resources/golden "$bins" paper mc_maze \
  >"$out/cpu.json"
/usr/bin/python3 - "$out" <<'PY' | tee "$out/summary.md"
import json, os, sys
jmh = json.load(open(os.path.join(sys.argv[1], "jmh.json")))
cpu = json.load(open(os.path.join(sys.argv[1], "cpu.json")))
wall = {(r["params"]["model"], r["params"]["accumulation"]): r["primaryMetric"]["scorePercentiles"] for r in jmh}
print(f"load average at end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print()
print("µs per online bin (push + infer), 1 thread. LONG = reference loops, EXACT_DOUBLE = fast loops (same bits).")
print()
print("| model | measure | LONG p50 | EXACT_DOUBLE p50 | EXACT_DOUBLE p99 | LONG / EXACT_DOUBLE (p50) |")
print("|---|---|---|---|---|---|")
for model in ("paper", "mc_maze"):
    l, d = wall[(model, "LONG")], wall[(model, "EXACT_DOUBLE")]
    print(f"| {model} | wall (JMH) | {l['50.0']:.0f} | {d['50.0']:.0f} | {d['99.0']:.0f} | {l['50.0'] / d['50.0']:.2f} |")
    c = cpu[model]
    l, d = c["LONG"], c["EXACT_DOUBLE"]
    print(f"| {model} | thread CPU | {l['median_us']:.0f} | {d['median_us']:.0f} | {d['p99_us']:.0f} | {l['median_us'] / d['median_us']:.2f} |")
PY
