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
echo "== Java thread CPU time per trial ==" >&2
java -cp bench/target/benchmarks.jar org.lfadsrt.bench.FloatCpuTime sim/src/test/resources/golden \
  "$((quick ? 300 : 1000))" paper mc_maze >"$out/java-cpu.json"
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (1 thread, batch 1) ==" >&2
/usr/bin/python3 sim/python/bench_torch.py --trials "$torch_trials" --out "$out/torch.json"

/usr/bin/python3 - "$out" <<'PY' | tee "$out/summary.md"
import json, sys, os
out = sys.argv[1]
jmh = json.load(open(os.path.join(out, "jmh.json")))
torch = json.load(open(os.path.join(out, "torch.json")))
java = {r["params"]["model"]: r["primaryMetric"]["scorePercentiles"]["50.0"] for r in jmh}
jcpu = json.load(open(os.path.join(out, "java-cpu.json")))
print(f"load average at end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print()
print("Median µs per trial (batch 1, 1 thread). Ratio = PyTorch / Java; the headline is against the")
print("faster PyTorch dtype.")
print()
print("| model | measure | Java float64 | PyTorch float64 | PyTorch float32 | ratio |")
print("|---|---|---|---|---|---|")
for name, j in java.items():
    t = torch["models"][name]
    for measure, jv, key in (("wall (JMH)", j, "median_us"), ("thread CPU", jcpu[name]["cpu_median_us"], "cpu_median_us")):
        t64, t32 = t["float64"][key], t["float32"][key]
        print(f"| {name} | {measure} | {jv:.0f} | {t64:.0f} | {t32:.0f} | {min(t64, t32) / jv:.1f}x |")
PY
