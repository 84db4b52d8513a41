#!/usr/bin/env python3
"""Writes lfads-torch-style model fixtures for the configurations lfads-torch's configs/model/*.yaml use
beyond the single-session Poisson model: a multi-session model and each reconstruction distribution.

Regenerate (deterministic, a few seconds):
    /usr/bin/python3 sim/python/make_model_fixtures.py
Output, per configuration, under sim/src/test/resources/lfads_torch/NAME/:
    config.yaml  the model part of a Hydra run config, as lfads-torch writes it (reconstruction._target_)
    model.npz    the model file, exported from a Lightning-style checkpoint of lfads_torch_model.LFADS by
                 export_lfads_torch (reconstruction read from config.yaml, as for a real run directory)
    golden.npz   per session S (index): spikes_S (trials, T_enc, N_in of S) int32; factors_S,
                 params_S (the readout's raw output parameters), means_S (the distribution mean, what
                 lfads-torch's forward returns with output_means=True), all float64 from the model in
                 float64 eval mode
Weights are seeded uniform random (biases and learned initial states included).
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lfads_torch_model as tm  # noqa: E402
from export_lfads_torch import resolve_reconstruction, write_model  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "lfads_torch")


def hp(n_in, t_enc, t_rec, ic_enc, ci_enc, con, co, ic, gen, fac, clip=5.0, ci_lag=1):
    return dict(encod_data_dim=n_in, encod_seq_len=t_enc, recon_seq_len=t_rec, ext_input_dim=0, ic_enc_seq_len=0,
                ic_enc_dim=ic_enc, ci_enc_dim=ci_enc, ci_lag=ci_lag, con_dim=con, co_dim=co, ic_dim=ic, gen_dim=gen,
                fac_dim=fac, cell_clip=clip, gen_type="gru", dropout_rate=0.05, variational=True)


SMALL = hp(9, 10, 12, 8, 6, 7, 3, 5, 16, 6)
# name: (hparams, sessions [(name, raw channels or None, neurons, readout bias)], recon, recon config, trials, seed)
CONFIGS = {
    # nlb_multisession_mc_maze / rouse_multisession: a FanInLinear read-in per session (different channel
    # counts) into encod_data_dim, a readout per session; session B's readout is nn.Linear(bias=False).
    "multisession": (SMALL, [("sessA", 11, 13, True), ("sessB", 7, 9, False)], "Poisson", {}, 3, 21),
    "recon_gamma": (SMALL, [("0", None, 10, True)], "Gamma", {}, 3, 22),
    "recon_gaussian": (SMALL, [("0", None, 10, True)], "Gaussian", {}, 3, 23),
    "recon_mse": (SMALL, [("0", None, 10, True)], "MSE", {}, 3, 24),
    # ZIG over a multisession wrapper as in lfads-torch's configs (MultisessionReconstruction), gamma_loc 0.1
    "recon_zig": (SMALL, [("0", None, 10, True)], "ZeroInflatedGamma", {"gamma_loc": 0.1}, 3, 25),
    # Configurations lfads-rt refuses (docs/model-format.md "Refused configurations"): model.npz only.
    "refused_ext_input": (dict(SMALL, ext_input_dim=2), [("0", None, 10, True)], "Poisson", {}, 0, 26),
    "refused_ic_enc_seq_len": (dict(SMALL, ic_enc_seq_len=3), [("0", None, 10, True)], "Poisson", {}, 0, 27),
}


def config_yaml(recon, recon_cfg, multisession):
    lines = ["model:", "  _target_: lfads_torch.model.LFADS", "  reconstruction:"]
    inner = "  "
    if multisession or recon == "ZeroInflatedGamma":
        lines += ["    _target_: lfads_torch.modules.recons.MultisessionReconstruction",
                  "    datafile_pattern: /data/session_*.h5", "    recon:"]
        inner = "    "
    lines.append(f"{inner}  _target_: lfads_torch.modules.recons.{recon}")
    for k, v in recon_cfg.items():
        lines.append(f"{inner}  {k}: {v}")
    return "\n".join(lines) + "\n"


def make(name, cfg):
    h, sessions, recon, recon_cfg, trials, seed = cfg
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = tm.LFADS(h, readin_dims=[s[1] for s in sessions], readout_dims=[s[2] for s in sessions],
                     readout_bias=[s[3] for s in sessions], recon=recon, recon_kwargs=recon_cfg or None)
    model = model.double().eval()
    with torch.no_grad():
        for key, p in model.named_parameters():
            if key.endswith(".scale"):  # ZIG per-neuron scales are positive
                p.copy_(0.5 + 1.5 * torch.rand(p.shape, generator=gen, dtype=torch.float64))
                continue
            fan_in = p.shape[-1] if p.dim() > 1 else max(1, p.shape[0] // 3)
            bound = 1.5 / np.sqrt(fan_in)
            p.copy_((torch.rand(p.shape, generator=gen, dtype=torch.float64) * 2 - 1) * bound)
        for key in ("encoder.ic_enc_h0", "encoder.ci_enc_h0", "decoder.con_h0"):
            p = dict(model.named_parameters())[key]
            p.copy_((torch.rand(p.shape, generator=gen, dtype=torch.float64) * 2 - 1) * 0.5)
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    cfg_path = os.path.join(d, "config.yaml")
    with open(cfg_path, "w") as f:
        f.write(config_yaml(recon, recon_cfg, len(sessions) > 1))
    entry, _ = resolve_reconstruction(h, config=cfg_path)
    names = [s[0] for s in sessions] if len(sessions) > 1 else None
    write_model(model.state_dict(), h, os.path.join(d, "model.npz"), reconstruction=entry, session_names=names)
    if trials == 0:
        print(f"{name}: model only (refused configuration)")
        return
    golden = {}
    with torch.no_grad():
        for s, (sname, raw, neurons, _) in enumerate(sessions):
            n_in = raw if raw is not None else h["encod_data_dim"]
            lam = torch.rand((trials, h["encod_seq_len"], n_in), generator=gen, dtype=torch.float64) * 3
            spikes = torch.poisson(lam, generator=gen)
            out = model(spikes, session=s)
            golden[f"spikes_{s}"] = spikes.to(torch.int32).numpy()
            golden[f"factors_{s}"] = out["factors"].numpy()
            golden[f"params_{s}"] = out["logrates"].numpy()
            golden[f"means_{s}"] = out["means"].numpy()
            print(f"{name}: session {s} ({sname}): {n_in} in, {neurons} neurons x {model.recon[s].n_params} params, "
                  f"means in [{out['means'].min().item():.3g}, {out['means'].max().item():.3g}]")
    np.savez(os.path.join(d, "golden.npz"), **golden)


def main():
    names = sys.argv[1:] or list(CONFIGS)
    for n in names:
        make(n, CONFIGS[n])


if __name__ == "__main__":
    main()
