#!/usr/bin/env bash
# Float inference per trial: Java (JMH, FloatLfads) vs PyTorch (lfads_reference.py, 1 thread,
# batch 1), same models and spike trials (sim/src/test/resources/golden/{paper,mc_maze}), measured
# in the same run. Prints medians and the PyTorch/Java ratio; writes reports/bench-float/.
# Usage: scripts/bench-float.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
out=reports/bench-float
mkdir -p "$out"
quick=0
[[ "${1:-}" == --quick ]] && quick=1

if [[ ! -f bench/target/benchmarks.jar || -n "$(find sim/src bench/src -newer bench/target/benchmarks.jar -type f | head -1)" ]]; then
  mvn -B -q -Pbench -pl sim,bench -am package -DskipTests
fi
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  scripts/setup.sh bench
fi

if ((quick)); then jmh_args=(-wi 3 -i 3 -w 1 -r 1); torch_trials=60; else jmh_args=(-wi 5 -i 5 -w 1 -r 2); torch_trials=200; fi

echo "== Java (JMH, FloatInferenceBench, 1 thread) ==" >&2
java -jar bench/target/benchmarks.jar FloatInferenceBench -f 1 -t 1 "${jmh_args[@]}" \
  -rf json -rff "$out/jmh.json" >"$out/jmh.log"
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (1 thread, batch 1) ==" >&2
/usr/bin/python3 sim/python/bench_torch.py --trials "$torch_trials" --out "$out/torch.json"

/usr/bin/python3 - "$out" <<'PY' | tee "$out/summary.md"
import json, sys, os
out = sys.argv[1]
jmh = json.load(open(os.path.join(out, "jmh.json")))
torch = json.load(open(os.path.join(out, "torch.json")))
java = {r["params"]["model"]: r["primaryMetric"]["scorePercentiles"]["50.0"] for r in jmh}
print(f"load average at end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print()
print("| model | Java float64 median µs/trial | PyTorch float64 median | PyTorch float32 median | ratio vs f64 | ratio vs f32 |")
print("|---|---|---|---|---|---|")
for name, j in java.items():
    t64 = torch["models"][name]["float64"]["median_us"]
    t32 = torch["models"][name]["float32"]["median_us"]
    print(f"| {name} | {j:.0f} | {t64:.0f} | {t32:.0f} | {t64 / j:.1f}x | {t32 / j:.1f}x |")
PY
