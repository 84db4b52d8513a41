#!/usr/bin/python3
"""Manual measurements of the rig server's freshness and admission limits (docs/protocol.md, docs/security.md).

Starts the host from host/target/lfads-rt.jar (build it with `make jar`) and prints:
  stall   - a subscriber stops reading for STALL seconds (default 30), then reads: the age of the first
            result it reads. In credit mode (the Python client's default): that first result's age, seq gap and
            client_drops. In push mode (for comparison; once with the default receive buffer, once with
            recv_buffer=4096): how many old results come before the first seq gap, and the age of the first result
            after it
  idle    - 500 connections that never send HELLO: how many are still open after 10 s
  guess   - a loop of wrong-token HELLOs for 10 s: guesses the server checked per second, attempts per second

Usage: scripts/measure-rig-limits.py [stall|idle|guess ...] [--stall-s 30]
Not a unit test: it takes minutes (stall: five stalls, three in credit mode, two in push mode) and its numbers
depend on the machine.
"""
import argparse
import os
import socket
import struct
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
sys.path.insert(0, os.path.join(ROOT, "clients", "python", "tests"))
from lfads_rt_client import Client, ProtocolError, _frame, _string, HELLO, HELLO_MAGIC  # noqa: E402
from server_process import ServerProcess  # noqa: E402


def age_ms(result):
    # t_source is the server's CLOCK_MONOTONIC; this script runs on the same machine
    return (time.monotonic_ns() - result.t_source_ns) / 1e6


def stall_credit(server, seconds):
    with Client(port=server.port, name="staller-credit") as c:
        c.subscribe(factors=True, rates=True, decoded=True)  # credit mode: the client's default
        assert c.credit_mode, "the server did not offer credit mode"
        before = next(c.results(1))
        time.sleep(seconds)  # holds no credit: nothing is sent to it
        r = next(c.results(1))  # grants one credit, then reads
        print("stall %d s, credit mode: first result read is %.1f ms old (seq %d, after seq %d: gap %d = client_drops "
              "%d -> %d)" % (seconds, age_ms(r), r.seq, before.seq, r.seq - before.seq - 1, before.client_drops,
                             r.client_drops))
        ages = [age_ms(x) for x in c.results(20)]
        print("  and the next 20: ages %.1f..%.1f ms" % (min(ages), max(ages)))


def stall_push(server, seconds, label, rcvbuf):
    with Client(port=server.port, name="staller-push", recv_buffer=rcvbuf) as c:
        c.subscribe(factors=True, rates=True, decoded=True, credit=False)
        next(c.results(1))
        time.sleep(seconds)
        results = list(c.results(1))
        first_age = age_ms(results[0])
        old = 0
        prev = results[0]
        while True:
            r = next(c.results(1))
            if r.seq != prev.seq + 1:
                break
            old += 1
            prev = r
        after = age_ms(r)
        print("stall %d s, push mode, %s: first result read is %.0f ms old (seq %d); %d more old results, then a gap of "
              "%d (client_drops %d -> %d); first result after the gap is %.1f ms old"
              % (seconds, label, first_age, results[0].seq, old, r.seq - prev.seq - 1, prev.client_drops,
                 r.client_drops, after))


def stall(seconds):
    server = ServerProcess("--duration", str(5 * seconds + 60))
    try:
        for _ in range(3):
            stall_credit(server, seconds)
        for label, rcvbuf in (("default SO_RCVBUF", None), ("recv_buffer=4096", 4096)):
            stall_push(server, seconds, label, rcvbuf)
    finally:
        server.stop()


def idle():
    server = ServerProcess("--duration", "60")
    try:
        socks = []
        for _ in range(500):
            s = socket.socket()
            s.settimeout(5)
            try:
                s.connect(("127.0.0.1", server.port))
                socks.append(s)
            except OSError:
                pass
        t0 = time.monotonic()
        time.sleep(10)
        still_open = 0
        for s in socks:
            s.setblocking(False)
            try:
                data = s.recv(1)
                if data:
                    still_open += 1
            except BlockingIOError:
                still_open += 1  # no EOF: open
            except OSError:
                pass
            s.close()
        print("idle: %d of 500 connections accepted by the kernel, %d still open after %.0f s (defaults: handshake "
              "timeout 5 s, 64 pending, 50 connects/s per address)" % (len(socks), still_open, time.monotonic() - t0))
    finally:
        server.stop()


def guess(seconds=10.0):
    os.environ["LFADS_RT_TOKEN"] = "the-real-token-" + str(os.getpid())
    server = ServerProcess("--duration", "60")
    try:
        checked = refused = other = 0
        t0 = time.monotonic()
        i = 0
        while time.monotonic() - t0 < seconds:
            i += 1
            try:
                with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
                    s.sendall(_frame(HELLO, struct.pack("<IHH", HELLO_MAGIC, 1, 1) + _string("guesser")
                                     + _string("guess-%d" % i)))
                    head = s.recv(5)
                    if len(head) == 5 and head[4] == 0x02:
                        checked += 1
                    elif len(head) == 5 and head[4] == 0x7F:
                        refused += 1
                    else:
                        other += 1
            except OSError:
                other += 1
        dt = time.monotonic() - t0
        print("guess: %.1f s, %d attempts (%.0f/s): %d tokens checked (%.2f/s), %d refused by back-off, %d refused at "
              "connect (rate limit)" % (dt, i, i / dt, checked, checked / dt, refused, other))
    finally:
        server.stop()
        del os.environ["LFADS_RT_TOKEN"]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("what", nargs="*", default=["stall", "idle", "guess"])
    ap.add_argument("--stall-s", type=int, default=30)
    a = ap.parse_args()
    for w in a.what:
        {"stall": lambda: stall(a.stall_s), "idle": idle, "guess": guess}[w]()
