#!/usr/bin/env python3
"""Connects to a running lfads-rt host and prints results as they arrive.

    java -jar host/target/lfads-rt.jar run        # in another terminal (or: make run)
    python3 clients/python/examples/print_results.py --count 20
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lfads_rt_client import Client  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7411)
    ap.add_argument("--count", type=int, default=0, help="stop after this many results (0: forever)")
    ap.add_argument("--decimate", type=int, default=1)
    args = ap.parse_args()
    with Client(args.host, args.port, name="print_results") as c:
        h = c.handshake
        print("connected: stream %s from %s, backend %s, %s mode, %d factors, %d rates, %.1f bins/s"
              % (h.stream_name, h.source_id, h.backend, h.mode, h.fac_dim, h.n_out, h.nominal_srate))
        c.subscribe(factors=True, rates=True, decoded=True, decimation=args.decimate)
        for r in c.results(args.count or None):
            latency_us = (r.t_encode_ns - r.t_source_ns) / 1e3
            factors = " ".join("%+.3f" % v for v in r.factors[:4])
            print("seq %6d bin %6d  host latency %7.1f us  factors [%s%s]  mean rate %.3f  drops %d"
                  % (r.seq, r.bin, latency_us, factors, " ..." if len(r.factors) > 4 else "",
                     sum(r.rates) / max(1, len(r.rates)), r.client_drops), flush=True)


if __name__ == "__main__":
    main()
