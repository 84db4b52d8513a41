#!/usr/bin/env bash
# Online mode, cost per bin: whole-window inference vs reuse of each bin's encoder input projections
# (JMH OnlineWindowBench; software = bit-accurate fixed-point backend, float = FloatLfads), paper-size and
# MC_Maze-size golden models, same run. Prints medians and ratios; writes reports/bench-online/.
# Short by default (1 fork, 3 x 1 s warm-up and measurement per case: the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
out=reports/bench-online
mkdir -p "$out"
if [[ ! -f bench/target/benchmarks.jar || -n "$(find sim/src host/src bench/src -newer bench/target/benchmarks.jar -type f | head -1)" ]]; then
  mvn -B -q -Pbench -pl sim,host,bench -am package -DskipTests
fi
java -jar bench/target/benchmarks.jar OnlineWindowBench -f 1 -t 1 -wi 3 -i 3 -w 1 -r 1 \
  -rf json -rff "$out/jmh.json" >"$out/jmh.log"
java -cp bench/target/benchmarks.jar org.lfadsrt.bench.OnlineCpuTime sim/src/test/resources/golden 1000 paper mc_maze \
  >"$out/cpu.json"
/usr/bin/python3 - "$out" <<'PY' | tee "$out/summary.md"
import json, os, sys
jmh = json.load(open(os.path.join(sys.argv[1], "jmh.json")))
cpu = json.load(open(os.path.join(sys.argv[1], "cpu.json")))
med = {(r["params"]["model"], r["params"]["backend"], r["params"]["path"]): r["primaryMetric"]["scorePercentiles"]["50.0"] for r in jmh}
print(f"load average at end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print()
print("Median µs per bin, 1 thread: push the bin, infer the window ending at it. Wall = JMH sample mode")
print("(cases run one after another); CPU = thread CPU time, both paths interleaved bin by bin (fair on a")
print("loaded machine). Ratio > 1: reuse is faster.")
print()
print("| model | backend | measure | full window | reuse | full / reuse |")
print("|---|---|---|---|---|---|")
for model in ("paper", "mc_maze"):
    for be in ("software", "float"):
        f, r = med[(model, be, "full-window")], med[(model, be, "reuse")]
        print(f"| {model} | {be} | wall (JMH) | {f:.0f} | {r:.0f} | {f / r:.2f} |")
        c = cpu[model][be]
        f, r = c["full_window_cpu_median_us"], c["reuse_cpu_median_us"]
        print(f"| {model} | {be} | thread CPU | {f:.0f} | {r:.0f} | {f / r:.2f} |")
PY
