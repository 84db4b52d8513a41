#!/usr/bin/env bash
# Fixed-point kernel model inference per trial (JMH FixedInferenceBench: float baseline, fixed with long
# accumulation, fixed with exact-double accumulation) and PyTorch (sim/python/bench_torch.py, 1 thread,
# batch 1) on the same models and trials, in the same run. Prints medians and ratios; writes reports/bench-fixed/.
# Usage: scripts/bench-fixed.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
out=reports/bench-fixed
mkdir -p "$out"
quick=0
[[ "${1:-}" == --quick ]] && quick=1

if [[ ! -f bench/target/benchmarks.jar || -n "$(find sim/src bench/src -newer bench/target/benchmarks.jar -type f | head -1)" ]]; then
  mvn -B -q -Pbench -pl sim,bench -am package -DskipTests
fi
if ((quick)); then jmh_args=(-wi 3 -i 3 -w 1 -r 1); torch_trials=60; else jmh_args=(-wi 5 -i 5 -w 1 -r 2); torch_trials=200; fi

echo "== Java (JMH, FixedInferenceBench, 1 thread) ==" >&2
java -jar bench/target/benchmarks.jar FixedInferenceBench -f 1 -t 1 "${jmh_args[@]}" \
  -rf json -rff "$out/jmh.json" >"$out/jmh.log"
have_torch=0
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "== PyTorch (1 thread, batch 1) ==" >&2
  /usr/bin/python3 sim/python/bench_torch.py --trials "$torch_trials" --out "$out/torch.json" && have_torch=1
fi

/usr/bin/python3 - "$out" "$have_torch" <<'PY' | tee "$out/summary.md"
import json, os, sys
out, have_torch = sys.argv[1], sys.argv[2] == "1"
jmh = json.load(open(os.path.join(out, "jmh.json")))
med = {(r["params"]["model"], r["params"]["impl"]): r["primaryMetric"]["scorePercentiles"]["50.0"] for r in jmh}
torch = json.load(open(os.path.join(out, "torch.json"))) if have_torch else None
print(f"load average at end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print()
print("Median µs per trial (JMH sample mode, batch 1, 1 thread). Ratios > 1 mean the fixed model is faster.")
print()
print("| model | float (FloatLfads) | fixed, long acc | fixed, exact-double acc | float / fixed-long | float / fixed-xd | PyTorch f32 | PyTorch f32 / fixed-xd |")
print("|---|---|---|---|---|---|---|---|")
for model in ("paper", "mc_maze"):
    f, l, x = med[(model, "float")], med[(model, "fixed-long")], med[(model, "fixed-xd")]
    t32 = torch["models"][model]["float32"]["median_us"] if torch else float("nan")
    print(f"| {model} | {f:.0f} | {l:.0f} | {x:.0f} | {f / l:.2f} | {f / x:.2f} | {t32:.0f} | {t32 / x:.1f}x |")
PY
