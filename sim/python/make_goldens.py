#!/usr/bin/env python3
"""Writes the golden vectors that sim's FloatLfadsGoldenTest compares against.

Regenerate (deterministic, ~1 min on 2 cores):
    /usr/bin/python3 sim/python/make_goldens.py
Output, per configuration, under sim/src/test/resources/golden/NAME/:
    model.npz   the model file (docs/model-format.md), written by export_lfads_torch.write_model
                from the reference model's state_dict (so it includes the unused prior keys)
    golden.npz  spikes (trials, T_enc, N_in) int32; factors, logrates, rates (trials, T_rec, .),
                ic_mean (trials, ic_dim), co_mean (trials, T_rec, co_dim), all float64,
                computed by lfads_reference.py in float64.
Weights are seeded uniform random, including bias_hh and the learned initial states; some
configurations use large initial states and a small cell_clip so that clipping is exercised.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lfads_reference as ref  # noqa: E402
from export_lfads_torch import write_model  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "golden")


def hp(n_in, t_enc, t_rec, ic_enc, ci_enc, ci_lag, con, co, ic, gen, fac, clip):
    return dict(encod_data_dim=n_in, encod_seq_len=t_enc, recon_seq_len=t_rec, ext_input_dim=0,
                ic_enc_seq_len=0, ic_enc_dim=ic_enc, ci_enc_dim=ci_enc, ci_lag=ci_lag, con_dim=con,
                co_dim=co, ic_dim=ic, gen_dim=gen, fac_dim=fac, cell_clip=clip)


# name: (hparams, readout_dim, trials, seed, weight scale, h0 scale, mean spike rate, f4 weights)
CONFIGS = {
    # FPGA paper size: 70 in/out, 73 bins, IC encoder 64, generator 64, 4 factors, no controller.
    "paper": (hp(70, 73, 73, 64, 0, 1, 0, 0, 64, 64, 4, 5.0), 70, 3, 11, 1.0, 0.5, 0.3, False),
    # lfads-torch nlb_mc_maze size: 137 in, 182 out, 35 + 10 bins, controller. Weights are
    # float32-exact with 12 significant bits so the compressed model file stays small.
    "mc_maze": (hp(137, 35, 45, 64, 64, 1, 64, 4, 64, 200, 100, 5.0), 182, 2, 12, 1.0, 0.5, 0.4, True),
    # One neuron, one bin, every size 1; forward prediction without controller.
    "one_bin": (hp(1, 1, 3, 1, 0, 1, 0, 0, 1, 1, 1, 5.0), 2, 4, 13, 2.0, 1.0, 2.0, False),
    # One neuron, one bin, with controller (ci is all zero: lag 1 >= T_enc).
    "one_bin_con": (hp(1, 1, 2, 2, 1, 1, 1, 1, 1, 3, 1, 5.0), 1, 3, 14, 2.0, 1.0, 2.0, False),
    # Prime sizes, ci_lag 2, forward prediction, small clip and large initial states: clipping active.
    "primes_lag2": (hp(13, 11, 17, 7, 5, 2, 11, 3, 5, 13, 3, 0.7), 19, 5, 15, 2.5, 4.0, 1.5, False),
    # ci_lag 0 (lfads-torch pads by zero bins), T_rec = T_enc, moderate clip.
    "primes_lag0": (hp(5, 7, 7, 3, 2, 0, 3, 2, 2, 5, 2, 1.3), 3, 3, 16, 2.0, 2.0, 1.0, False),
}


def make(name, cfg):
    h, readout_dim, trials, seed, scale, h0_scale, rate, f4 = cfg
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = ref.LfadsReference(h, readout_dim)
    ref.randomize(model, gen, scale=scale, h0_scale=h0_scale, mantissa_bits=12 if f4 else None)
    lam = torch.rand((trials, h["encod_seq_len"], h["encod_data_dim"]), generator=gen, dtype=torch.float64) * 2 * rate
    spikes = torch.poisson(lam, generator=gen).to(torch.int32)
    out = model.infer(spikes)
    # How much clipping matters here: outputs again with clipping disabled.
    clip_saved = h["cell_clip"]
    for m in model.modules():
        if isinstance(m, ref.ClippedGRUCell):
            m.clip_value = float("inf")
    unclipped = model.infer(spikes)
    for m in model.modules():
        if isinstance(m, ref.ClippedGRUCell):
            m.clip_value = clip_saved
    clip_effect = (out["logrates"] - unclipped["logrates"]).abs().max().item()

    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    sd = model.state_dict()
    if f4:
        sd = {k: v.to(torch.float32) for k, v in sd.items()}
        assert all(torch.equal(sd[k].double(), v) for k, v in model.state_dict().items()), "weights not f4-exact"
    write_model(sd, h, os.path.join(d, "model.npz"), compress=f4)
    np.savez(os.path.join(d, "golden.npz"), spikes=spikes.numpy(),
             **{k: v.numpy() for k, v in out.items()})
    size = sum(os.path.getsize(os.path.join(d, f)) for f in ("model.npz", "golden.npz"))
    print(f"{name:12s} trials {trials}  max spike {int(spikes.max())}  "
          f"|logrates| max {out['logrates'].abs().max().item():.3g}  "
          f"clipping changes logrates by {clip_effect:.3g}  files {size / 1024:.0f} KiB")


def main():
    torch.set_num_threads(1)
    names = sys.argv[1:] or list(CONFIGS)
    for name in names:
        make(name, CONFIGS[name])


if __name__ == "__main__":
    main()
