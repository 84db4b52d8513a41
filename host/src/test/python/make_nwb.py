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
    a = ap.parse_args()
    if a.add_behavior:
        add_behavior(a.out, *a.add_behavior)
    else:
        make(a)
