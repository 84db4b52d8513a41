#!/usr/bin/env bash
# Gives the latency-critical threads of a running lfads-rt JVM real-time priority (SCHED_FIFO), as a
# lab rig would, leaving the JVM's other threads (JIT, GC, reporter) at normal priority.
# Usage: scripts/rt-threads.sh PID [PRIORITY]   (root; re-checks every 2 s until the JVM exits,
# so threads started later — a new run's hot path — are promoted too)
# Threads: lfads-hot-path (source, pipeline, backend, encode), Netty event loops (socket writes),
# bench-client-* (the bench's loopback clients).
set -euo pipefail
pid=${1:?usage: rt-threads.sh PID [PRIORITY]}
prio=${2:-10}
while kill -0 "$pid" 2>/dev/null; do
  for t in /proc/"$pid"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null || true)
    case "$comm" in
      lfads-hot-path|bench-client-*|multiThreadIoEv*|nioEventLoop*)
        tid=${t##*/}
        if [ "$(chrt -p "$tid" 2>/dev/null | grep -c SCHED_FIFO)" = 0 ]; then
          chrt -f -p "$prio" "$tid" 2>/dev/null && echo "rt-threads: $comm ($tid) -> SCHED_FIFO $prio" || true
        fi
        ;;
    esac
  done
  sleep 2
done
