#!/usr/bin/env python3
"""Measures round-trip latency to a running lfads-rt host, as a client sees it.

Two measurements:
  * ping: HEARTBEAT to the server's event loop and back (network + Netty, no inference);
  * closed loop (--ingest PORT, host started with --source tcp:PORT): push one bin of spike counts
    over the ingest socket, wait for the result of that bin on the rig socket. This is the full
    acquisition -> inference -> rig path.

    java -jar host/target/lfads-rt.jar run --source tcp:7412
    python3 clients/python/examples/latency.py --ingest 7412 --count 500
"""
import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lfads_rt_client import Client, IngestClient  # noqa: E402


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q / 100.0 * (len(s) - 1))))]


def report(name, seconds):
    us = [s * 1e6 for s in seconds]
    print("%-11s n=%d  min %.1f  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (microseconds)"
          % (name, len(us), min(us), percentile(us, 50), percentile(us, 90), percentile(us, 99), max(us)), flush=True)
    return us


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7411)
    ap.add_argument("--ingest", type=int, default=0, help="ingest port for the closed-loop measurement")
    ap.add_argument("--count", type=int, default=200)
    args = ap.parse_args(argv)
    out = {}
    with Client(args.host, args.port, name="latency") as c:
        pings = [c.ping() for _ in range(args.count)]
        out["ping"] = report("ping", pings)
        if args.ingest:
            c.subscribe(factors=True, rates=False, decoded=False)
            n_in = c.handshake.n_in
            rng = random.Random(1)
            loops = []
            with IngestClient(args.host, args.ingest) as ingest:
                for _ in range(args.count):
                    counts = [rng.choice((0, 0, 0, 1, 2)) for _ in range(n_in)]
                    t0 = time.monotonic_ns()
                    ingest.send_counts(counts, t0)
                    next(c.results(1))
                    loops.append((time.monotonic_ns() - t0) / 1e9)
            out["closed_loop"] = report("closed loop", loops)
    return out


if __name__ == "__main__":
    main()
