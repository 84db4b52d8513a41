#!/usr/bin/python3
"""Writes a small NWB-shaped HDF5 file (what the host's NWB replay reads) plus the expected binning.

Layout follows NWB 2.x: units/spike_times (float64 s, all units concatenated, gzip+shuffle),
units/spike_times_index (cumulative end offsets), units/id, units/heldout (NLB), intervals/trials
start_time/stop_time. The expected counts are computed here with numpy.histogram, independently of the
Java binning under test, and written as JSON next to the file.

usage: make_nwb.py OUT.nwb --units N --duration S --bin-ms B --seed X [--heldout-every K] [--trials K]
       make_nwb.py OUT.nwb --add-behavior DATA.npy TIMESTAMPS.npy
"""
import argparse
import json
import math

import h5py
import numpy as np


def make(args):
    rng = np.random.default_rng(args.seed)
    w = args.bin_ms / 1000.0
    spikes = []
    for u in range(args.units):
        rate = rng.uniform(5, 40)
        n = rng.poisson(rate * args.duration)
        spikes.append(np.sort(rng.uniform(0.0, args.duration, n)))
    heldout = np.array([args.heldout_every > 0 and u % args.heldout_every == args.heldout_every - 1
                        for u in range(args.units)])
    starts, stops = [], []
    if args.trials > 0:
        length = args.duration / args.trials
        for i in range(args.trials):
            s = 0.05 + i * length
            starts.append(s)
            stops.append(min(args.duration, s + 0.6 * length))
    with h5py.File(args.out, "w") as f:
        f.attrs["nwb_version"] = "2.6.0"
        units = f.create_group("units")
        units.create_dataset("spike_times", data=np.concatenate(spikes), compression="gzip", shuffle=True)
        units.create_dataset("spike_times_index", data=np.cumsum([len(s) for s in spikes]).astype(np.uint32))
        units.create_dataset("id", data=np.arange(100, 100 + args.units, dtype=np.int64))
        units.create_dataset("heldout", data=heldout)
        if starts:
            trials = f.create_group("intervals/trials")
            trials.create_dataset("start_time", data=np.array(starts))
            trials.create_dataset("stop_time", data=np.array(stops))
    t0 = starts[0] if starts else 0.0
    end = max([s[-1] for s in spikes if len(s)] + stops)
    nbins = int(math.ceil((end - t0) / w - 1e-9))
    edges = t0 + w * np.arange(nbins + 1)
    held_in = [u for u in range(args.units) if not heldout[u]]
    counts = np.stack([np.histogram(spikes[u], bins=edges)[0] for u in held_in], axis=1)
    expected = {
        "t0": t0, "bins": nbins, "held_in": held_in,
        "counts": counts.tolist(),
        "trial_start_bins": [int(math.ceil((s - t0) / w - 1e-9)) for s in starts],
        "trial_end_bins": [int(math.ceil((e - t0) / w - 1e-9)) - 1 for e in stops],
    }
    with open(args.out + ".expected.json", "w") as f:
        json.dump(expected, f)


def make_variant(args):
    """NWB layouts beyond the plain one, each with its expected binning computed here with numpy:
    --units-path P      the Units table at P (e.g. processing/ecephys/units, neurodata_type Units)
    --second-table P    a second Units table at P (the reader must ask which)
    --obs-gap A B       every unit unobserved in [A, B) (obs_intervals [0, A), [B, end]); odd units also miss [0, 0.1)
    --negative K        K spikes per unit before the session start (t < 0)
    --empty             spike_times empty
    --lzf-fletcher      spike_times with lzf + fletcher32 filters
    --trials K          K trials in intervals/trials, every duration/K s from 0.05 s, lasting 0.3, 0.7 and 1.3 of
                        that in turn (short, long, overlapping the next); bins are then laid from the first start
    """
    rng = np.random.default_rng(args.seed)
    w = args.bin_ms / 1000.0
    spikes = [np.sort(rng.uniform(0.0, args.duration, rng.poisson(20 * args.duration))) for _ in range(args.units)]
    if args.negative:
        spikes = [np.concatenate([np.sort(rng.uniform(-0.5, -0.01, args.negative)), s]) for s in spikes]
    if args.empty:
        spikes = [np.zeros(0) for _ in spikes]
    obs = None
    if args.obs_gap:
        a, b = args.obs_gap
        obs = []
        for u in range(args.units):
            rows = [[0.0 if u % 2 == 0 else 0.1, a], [b, args.duration]]
            obs.append(rows)
    starts, stops = [], []
    for i in range(args.trials):
        length = args.duration / args.trials
        starts.append(0.05 + i * length)
        stops.append(min(args.duration, starts[-1] + (0.3, 0.7, 1.3)[i % 3] * length))
    with h5py.File(args.out, "w") as f:
        f.attrs["nwb_version"] = "2.6.0"
        if starts:
            trials = f.create_group("intervals/trials")
            trials.create_dataset("start_time", data=np.array(starts))
            trials.create_dataset("stop_time", data=np.array(stops))
        f.create_dataset("session_start_time", data="2026-12-01T10:00:00+00:00")
        f.create_dataset("identifier", data="variant-" + str(args.seed))
        for path in [args.units_path] + ([args.second_table] if args.second_table else []):
            units = f.create_group(path)
            units.attrs["neurodata_type"] = "Units"
            units.attrs["namespace"] = "core"
            kw = dict(compression="lzf", fletcher32=True, chunks=(64,)) if args.lzf_fletcher else {}
            flat = np.concatenate(spikes) if len(spikes) else np.zeros(0)
            units.create_dataset("spike_times", data=flat, maxshape=(None,), **kw)
            units.create_dataset("spike_times_index", data=np.cumsum([len(s) for s in spikes]).astype(np.int64))
            units.create_dataset("id", data=np.arange(args.units, dtype=np.int64))
            if obs is not None:
                units.create_dataset("obs_intervals", data=np.array([r for rows in obs for r in rows]))
                units.create_dataset("obs_intervals_index", data=np.cumsum([len(r) for r in obs]).astype(np.int64))
    if args.empty:
        return
    t0 = starts[0] if starts else 0.0
    end = max([s[-1] for s in spikes if len(s)] + stops)
    nbins = int(math.ceil((end - t0) / w - 1e-9))
    edges = t0 + w * np.arange(nbins + 1)
    counts = np.stack([np.histogram(s, bins=edges)[0] for s in spikes], axis=1)
    unobserved = []
    if obs is not None:
        for k in range(nbins):
            lo, hi = edges[k], edges[k + 1]
            ok = all(any(r[0] <= lo + 1e-12 and hi <= r[1] + 1e-12 for r in rows) for rows in obs)
            if not ok:
                unobserved.append(k)
    expected = {"t0": t0, "bins": nbins, "counts": counts.tolist(), "unobserved": unobserved,
                "negative": int(sum((s < 0).sum() for s in spikes)),
                "trial_start_bins": [int(math.ceil((s - t0) / w - 1e-9)) for s in starts],
                "trial_end_bins": [int(math.ceil((e - t0) / w - 1e-9)) - 1 for e in stops]}
    with open(args.out + ".expected.json", "w") as f:
        json.dump(expected, f)


def add_behavior(path, data_npy, ts_npy):
    with h5py.File(path, "a") as f:
        g = f.create_group("processing/behavior/hand_vel")
        g.create_dataset("data", data=np.load(data_npy))
        g.create_dataset("timestamps", data=np.load(ts_npy))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--units", type=int, default=8)
    ap.add_argument("--duration", type=float, default=2.0)
    ap.add_argument("--bin-ms", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--heldout-every", type=int, default=0)
    ap.add_argument("--trials", type=int, default=0)
    ap.add_argument("--add-behavior", nargs=2)
    ap.add_argument("--variant", action="store_true", help="the layouts of make_variant()")
    ap.add_argument("--units-path", default="units")
    ap.add_argument("--second-table")
    ap.add_argument("--obs-gap", nargs=2, type=float)
    ap.add_argument("--negative", type=int, default=0)
    ap.add_argument("--empty", action="store_true")
    ap.add_argument("--lzf-fletcher", action="store_true")
    a = ap.parse_args()
    if a.variant:
        make_variant(a)
    elif a.add_behavior:
        add_behavior(a.out, *a.add_behavior)
    else:
        make(a)
