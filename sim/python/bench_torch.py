#!/usr/bin/env python3
"""Times PyTorch LFADS inference per trial (batch 1, one thread) on the golden models.

Usage: /usr/bin/python3 sim/python/bench_torch.py [--golden-dir DIR] [--trials N] [--out FILE.json]

The model is lfads_reference.py, which runs lfads-torch's inference path the way lfads-torch
does (per-step ClippedGRUCell calls, no dropout/sampling overhead, so it is if anything faster than
lfads-torch itself), loaded from the same model.npz and spike trials the Java JMH benchmark uses.
Timed in float64 (what the Java reference computes) and float32 (lfads-torch's training dtype);
wall-clock and thread-CPU medians (on a shared machine the wall figure includes waiting for a core).
"""
import argparse
import json
import os
import statistics
import sys
import time
import zipfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lfads_reference as ref  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def load(model_path, dtype):
    npz = np.load(model_path)
    hp = json.loads(zipfile.ZipFile(model_path).read("hparams.json"))
    readout_dim = npz["readout.0.weight"].shape[0]
    model = ref.LfadsReference(hp, readout_dim)
    model.load_state_dict({k: torch.from_numpy(npz[k]).double() for k in npz.files if k != "hparams.json"})
    return model.to(dtype).eval()


def time_model(model, spikes, trials, warmup):
    x = torch.from_numpy(spikes)
    n = x.shape[0]
    for i in range(warmup):
        model.infer(x[i % n:i % n + 1])
    samples, cpu = [], []
    for i in range(trials):
        xi = x[i % n:i % n + 1]
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        model.infer(xi)
        samples.append((time.perf_counter_ns() - t0) / 1e3)
        cpu.append((time.thread_time_ns() - c0) / 1e3)
    samples.sort()
    return {
        "median_us": statistics.median(samples),
        "cpu_median_us": statistics.median(cpu),
        "p10_us": samples[len(samples) // 10],
        "p90_us": samples[(9 * len(samples)) // 10],
        "trials": trials,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden-dir", default=os.path.join(HERE, "..", "src", "test", "resources", "golden"))
    ap.add_argument("--models", nargs="+", default=["paper", "mc_maze"])
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--out")
    args = ap.parse_args()
    torch.set_num_threads(1)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "models": {}}
    for name in args.models:
        d = os.path.join(args.golden_dir, name)
        spikes = np.load(os.path.join(d, "golden.npz"))["spikes"]
        result["models"][name] = {}
        for label, dtype in (("float64", torch.float64), ("float32", torch.float32)):
            r = time_model(load(os.path.join(d, "model.npz"), dtype), spikes, args.trials, args.warmup)
            result["models"][name][label] = r
            print(f"torch {name:8s} {label}: median {r['median_us']:.0f} us/trial, cpu {r['cpu_median_us']:.0f} "
                  f"(p10 {r['p10_us']:.0f}, p90 {r['p90_us']:.0f}, n {r['trials']})", file=sys.stderr)
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
