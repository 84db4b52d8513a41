#!/usr/bin/env bash
# Runs the whole suite (`make test`) N times back to back while two CPU-burning processes compete for
# the cores, and stops at the first failure. A test that passes alone but fails here depends on timing
# (a sleep, a wall-clock bound, a race with a close): fix it at its cause, never by retrying.
#
#   scripts/stress-test.sh            # 5 runs, the default
#   scripts/stress-test.sh 2          # 2 runs
#   STRESS_BURNERS=4 scripts/stress-test.sh 3
#   STRESS_TARGET=test-java scripts/stress-test.sh 10   # any make target instead of `test`
#
# Each run's output goes to target/stress/run-K.log. The last line is "stress: P/N passed" (P < N means
# run P+1 failed; its log is named above it). Exit status 0 only when every run passed.
# The burners are plain shell busy loops, ended (by their own process ids) when the script exits.
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
burners="${STRESS_BURNERS:-2}"
target="${STRESS_TARGET:-test}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "stress-test.sh: the number of runs must be a positive integer, got '$runs'" >&2
  exit 2
fi
mkdir -p target/stress

pids=()
stop_burners() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  pids=()
}
trap stop_burners EXIT
for ((b = 0; b < burners; b++)); do
  ( while :; do :; done ) &
  pids+=("$!")
done
echo "stress: $runs x 'make $target' with $burners CPU burners (pids ${pids[*]}) on $(nproc) cores"

passed=0
for ((k = 1; k <= runs; k++)); do
  log="target/stress/run-$k.log"
  start=$(date +%s)
  if make "$target" > "$log" 2>&1; then
    passed=$((passed + 1))
    echo "stress: run $k passed in $(( $(date +%s) - start )) s ($(grep -E 'passed, [0-9]+ failed' "$log" | tr '\n' ';'))"
  else
    echo "stress: run $k FAILED after $(( $(date +%s) - start )) s; see $log"
    grep -E 'FAIL|ERROR\]|Tests run:.*Failures: [1-9]|Tests run:.*Errors: [1-9]' "$log" | head -20
    break
  fi
done
stop_burners
echo "stress: $passed/$runs passed"
(( passed == runs ))
