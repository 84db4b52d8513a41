#!/usr/bin/env bash
# Prints one closing line summing the JUnit (Surefire) reports of the last Maven run:
#   "java: N passed, N failed, N skipped". Exits non-zero when a report shows a failure or error.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=( */target/surefire-reports/TEST-*.xml )
if (( ${#files[@]} == 0 )); then echo "java: no test reports found" >&2; exit 1; fi
awk '/<testsuite /{
  for (i = 1; i <= NF; i++) {
    if ($i ~ /^tests=/)    { gsub(/[^0-9]/, "", $i); t += $i }
    if ($i ~ /^failures=/) { gsub(/[^0-9]/, "", $i); f += $i }
    if ($i ~ /^errors=/)   { gsub(/[^0-9]/, "", $i); f += $i }
    if ($i ~ /^skipped=/)  { gsub(/[^0-9]/, "", $i); s += $i }
  }
} END { printf "java: %d passed, %d failed, %d skipped\n", t - f - s, f, s; exit (f > 0) }' "${files[@]}"
