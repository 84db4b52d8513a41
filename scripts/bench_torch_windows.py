#!/usr/bin/env python3
"""PyTorch CPU baseline of the `bench` command: per-window LFADS inference, batch 1, one thread.

Usage: /usr/bin/python3 scripts/bench_torch_windows.py --model MODEL.npz --windows W.npy [--warmup N] --out R.json

MODEL.npz is an lfads-rt model file (docs/model-format.md); W.npy holds (n, T_enc, N_in) spike counts,
the same online windows the Java backends are timed on. The model is sim/python/lfads_reference.py
(lfads-torch's inference path). Timed in float64 (what the Java float backend computes) and float32.
Writes per-window wall-clock (perf_counter_ns) and thread-CPU (thread_time_ns) percentiles in ns.
"""
import argparse
import json
import os
import sys
import time
import zipfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sim", "python"))
import lfads_reference as ref  # noqa: E402


def load(model_path, dtype):
    npz = np.load(model_path)
    hp = json.loads(zipfile.ZipFile(model_path).read("hparams.json"))
    model = ref.LfadsReference(hp, npz["readout.0.weight"].shape[0])
    state = {k: torch.from_numpy(npz[k]).double() for k in npz.files if k != "hparams.json"}
    model.load_state_dict(state, strict=False)
    return model.to(dtype).eval()


def pct(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def time_windows(model, windows, warmup, dtype):
    x = torch.from_numpy(windows).to(dtype)
    n = x.shape[0]
    for i in range(warmup):
        model.infer(x[i % n:i % n + 1])
    wall, cpu = [], []
    for i in range(n):
        xi = x[i:i + 1]
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        model.infer(xi)
        wall.append(time.perf_counter_ns() - t0)
        cpu.append(time.thread_time_ns() - c0)
    wall.sort()
    cpu.sort()
    return {"count": n, "p50_ns": pct(wall, 0.5), "p90_ns": pct(wall, 0.9), "p99_ns": pct(wall, 0.99),
            "max_ns": wall[-1], "cpu_p50_ns": pct(cpu, 0.5)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--windows", required=True)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)
    windows = np.load(args.windows)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "results": {}, "errors": {}}
    for label, dtype in (("float64", torch.float64), ("float32", torch.float32)):
        try:
            result["results"][label] = time_windows(load(args.model, dtype), windows, args.warmup, dtype)
        except RuntimeError as e:  # older lfads_reference.py computes in float64 only
            if label == "float64":
                raise
            result["errors"][label] = str(e)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
