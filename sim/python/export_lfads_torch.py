#!/usr/bin/env python3
"""Converts an lfads-torch Lightning checkpoint into an lfads-rt model file (.npz).

Usage:  /usr/bin/python3 sim/python/export_lfads_torch.py CKPT OUT.npz [--float64]
            [--reconstruction NAME [--gamma-loc X]] [--config CONFIG.yaml] [--session-names A,B,...]

CKPT is a torch.save'd dict with "state_dict" (lfads-torch parameter names) and
"hyper_parameters". OUT.npz holds every state_dict tensor as a numpy array under the same name
(float32 stays float32 unless --float64) plus a member "hparams.json" with the scalar
hyperparameters. Format: docs/model-format.md. Needs only torch and numpy.

Checkpoints pickle Lightning/omegaconf objects inside hyper_parameters; classes that are not
importable here are replaced by inert stand-ins (their values are not needed), so the conversion
works without lfads-torch, Lightning or omegaconf installed.

Reconstruction distribution: lfads-torch does not save it in the checkpoint (`save_hyperparameters`
ignores `reconstruction`), but the readout's width and meaning depend on it. It is taken, in order,
from --reconstruction, from a `reconstruction` entry of the checkpoint's hyper_parameters, from the
run's Hydra config (--config, else `.hydra/config.yaml` or `config.yaml` next to the checkpoint or up
to two folders above it; the model config's `reconstruction._target_`, or `recon._target_` inside a
MultisessionReconstruction); without any of these the export stops and says so. ZeroInflatedGamma
also needs `gamma_loc` (config or --gamma-loc). Supported: Poisson, PoissonBPS, MSE, Gaussian, Gamma,
ZeroInflatedGamma; anything else is refused by name.

Multi-session models keep every session's readin.S / readout.S / recon.S arrays; --session-names
names the sessions in lfads-torch's session-index order (sorted datafile names), stored as
`session_names` in hparams.json.
"""
import os
import argparse
import io
import json
import pickle
import sys
import types
import zipfile

import numpy as np
import torch

REQUIRED_HPARAMS = (
    "encod_data_dim", "encod_seq_len", "recon_seq_len", "ic_enc_dim", "ci_enc_dim", "con_dim",
    "co_dim", "ic_dim", "gen_dim", "fac_dim", "cell_clip",
)
HPARAM_KEYS = REQUIRED_HPARAMS + ("ext_input_dim", "ic_enc_seq_len", "ci_lag", "gen_type")


class _Stand_in:
    """Replaces an unimportable pickled class; accepts any state."""

    def __init__(self, *args, **kwargs):
        self._args = args

    def __setstate__(self, state):
        self._state = state

    def __call__(self, *args, **kwargs):
        return _Stand_in()


class _PermissiveUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            return type(name, (_Stand_in,), {"__module__": module})


_permissive_pickle = types.ModuleType("permissive_pickle")
_permissive_pickle.__dict__.update(pickle.__dict__)
_permissive_pickle.Unpickler = _PermissiveUnpickler


def load_checkpoint(path):
    # Some torch builds (Debian's 1.13) ignore pickle_module unless weights_only; their
    # torch.serialization uses its module-level `pickle`, so swap that for the duration.
    saved = torch.serialization.pickle
    torch.serialization.pickle = _permissive_pickle
    try:
        return torch.load(path, map_location="cpu", pickle_module=_permissive_pickle, weights_only=False)
    finally:
        torch.serialization.pickle = saved


def _plain(value):
    """A JSON-serialisable scalar version of a hyperparameter value, or None to skip it."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    return None


def hparams_json(hyper_parameters):
    hp = {}
    for key, value in dict(hyper_parameters).items():
        v = _plain(value)
        if v is not None or value is None:
            hp[str(key)] = v
    missing = [k for k in REQUIRED_HPARAMS if k not in hp]
    if missing:
        raise SystemExit("checkpoint hyper_parameters lack: " + ", ".join(missing))
    return hp


SUPPORTED_RECONS = ("Poisson", "PoissonBPS", "MSE", "Gaussian", "Gamma", "ZeroInflatedGamma")


def recon_entries(found, gamma_loc=None):
    """recon_entry for one (target, gamma_loc), or for a per-session list: one entry when all sessions agree,
    else the list (hparams.json `reconstruction` as a list, one per session)."""
    if isinstance(found, list):
        entries = [recon_entry(t, gamma_loc if gamma_loc is not None else g) for t, g in found]
        return entries[0] if all(e == entries[0] for e in entries) else entries
    return recon_entry(found[0], gamma_loc if gamma_loc is not None else found[1])


def recon_entry(target, gamma_loc=None):
    """The hparams.json `reconstruction` object for an lfads-torch class name or dotted `_target_`."""
    name = str(target).rsplit(".", 1)[-1]
    if name not in SUPPORTED_RECONS:
        raise SystemExit(f"reconstruction '{target}' is not supported (supported: {', '.join(SUPPORTED_RECONS)})")
    entry = {"type": name}
    if name == "ZeroInflatedGamma":
        if gamma_loc is None:
            raise SystemExit("ZeroInflatedGamma needs gamma_loc (from the config's reconstruction, or --gamma-loc)")
        entry["gamma_loc"] = float(gamma_loc)
    return entry


def _get(node, key):
    if isinstance(node, dict):
        return node.get(key)
    return getattr(node, key, None) if node is not None and hasattr(node, key) else None


def recon_from_config_node(node):
    """(target, gamma_loc) from a `reconstruction` config node, unwrapping MultisessionReconstruction; a list
    (one node per session, as configs/model/nlb_multisession_mc_maze.yaml) gives a list of them."""
    if isinstance(node, (list, tuple)):
        found = [recon_from_config_node(n) for n in node]
        return None if not found or any(f is None for f in found) else found
    target = _get(node, "_target_")
    if target is None:
        return None
    if str(target).endswith("MultisessionReconstruction"):
        inner = _get(node, "recon")
        return recon_from_config_node(inner) if inner is not None else None
    return target, _get(node, "gamma_loc")


def recon_from_yaml(path):
    import yaml  # python3-yaml; only needed when a config is read
    with open(path) as f:
        cfg = yaml.safe_load(f)
    for node in (cfg.get("model", {}) if isinstance(cfg, dict) else {}, cfg):
        if isinstance(node, dict) and "reconstruction" in node:
            found = recon_from_config_node(node["reconstruction"])
            if found:
                return found
    return None


def find_run_config(ckpt_path):
    d = os.path.dirname(os.path.abspath(ckpt_path))
    for _ in range(3):
        for name in (os.path.join(".hydra", "config.yaml"), "config.yaml"):
            p = os.path.join(d, name)
            if os.path.isfile(p):
                return p
        d = os.path.dirname(d)
    return None


def resolve_reconstruction(hyper_parameters, ckpt_path=None, name=None, gamma_loc=None, config=None):
    """The `reconstruction` entry, from the first source that has it (see the module docstring)."""
    if name:
        return recon_entry(name, gamma_loc), "--reconstruction"
    hp_node = dict(hyper_parameters).get("reconstruction")
    if hp_node is not None:
        found = recon_from_config_node(hp_node) if not isinstance(hp_node, str) else (hp_node, None)
        if found:
            return recon_entries(found, gamma_loc), "checkpoint hyper_parameters"
    cfg_path = config or (find_run_config(ckpt_path) if ckpt_path else None)
    if cfg_path:
        found = recon_from_yaml(cfg_path)
        if found:
            return recon_entries(found, gamma_loc), cfg_path
        if config:
            raise SystemExit(f"{config}: no reconstruction._target_ (model.reconstruction) in this config")
    raise SystemExit(
        "cannot tell the model's reconstruction distribution: lfads-torch does not store it in the checkpoint "
        "and no run config (.hydra/config.yaml) was found next to it. Pass --reconstruction "
        + "|".join(SUPPORTED_RECONS) + " (as in the training config's reconstruction._target_), "
        "or --config the run's config.yaml")


def write_model(state_dict, hyper_parameters, out_path, float64=False, compress=False, reconstruction=None,
                session_names=None):
    """Writes the model file. Arrays keep their dtype (float32/float64) unless float64=True.
    `reconstruction`: the hparams.json entry (recon_entry(...)); None writes none (the loader reads Poisson)."""
    hp = hparams_json(hyper_parameters)
    if reconstruction is not None:
        hp["reconstruction"] = reconstruction
    if session_names is not None:
        n = len({k.split(".")[1] for k in state_dict if k.startswith("readout.") and k.endswith(".weight")})
        if len(session_names) != n:
            raise SystemExit(f"--session-names gives {len(session_names)} names, the model has {n} readouts")
        hp["session_names"] = list(session_names)
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED

    def member(name):
        # Fixed timestamp (as np.savez) so the same model always gives the same bytes.
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = method
        return info

    with zipfile.ZipFile(out_path, "w", compression=method) as z:
        z.writestr(member("hparams.json"), json.dumps(hp, indent=2, sort_keys=True))
        for key, tensor in state_dict.items():
            a = tensor.detach().cpu().numpy()
            if float64 and a.dtype.kind == "f":
                a = a.astype(np.float64)
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(a), allow_pickle=False)
            z.writestr(member(key + ".npy"), buf.getvalue())
    return hp


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ckpt", help="Lightning checkpoint (torch.save'd dict)")
    ap.add_argument("out", help="output model file (.npz)")
    ap.add_argument("--float64", action="store_true", help="store float arrays as float64")
    ap.add_argument("--reconstruction", help="the training config's reconstruction class (" + ", ".join(SUPPORTED_RECONS) + ")")
    ap.add_argument("--gamma-loc", type=float, help="ZeroInflatedGamma's gamma_loc when the config is not at hand")
    ap.add_argument("--config", help="the run's Hydra config.yaml (or a configs/model/*.yaml) to read the reconstruction from")
    ap.add_argument("--session-names", help="comma-separated session names in session-index order (multi-session models)")
    args = ap.parse_args(argv)
    ckpt = load_checkpoint(args.ckpt)
    if not isinstance(ckpt, dict) or "state_dict" not in ckpt or "hyper_parameters" not in ckpt:
        raise SystemExit(f"{args.ckpt}: not a Lightning checkpoint (needs 'state_dict' and 'hyper_parameters')")
    hparams_json(ckpt["hyper_parameters"])  # the required sizes first: their error is the more basic one
    recon, where = resolve_reconstruction(ckpt["hyper_parameters"], args.ckpt, args.reconstruction, args.gamma_loc,
                                          args.config)
    names = args.session_names.split(",") if args.session_names else None
    hp = write_model(ckpt["state_dict"], ckpt["hyper_parameters"], args.out, float64=args.float64,
                     reconstruction=recon, session_names=names)
    kind = recon["type"] if isinstance(recon, dict) else "/".join(e["type"] for e in recon)
    print(f"wrote {args.out}: {len(ckpt['state_dict'])} arrays, reconstruction {kind} (from {where}), "
          f"{hp['encod_data_dim']} in, T {hp['encod_seq_len']}/{hp['recon_seq_len']}, "
          f"gen {hp['gen_dim']}, fac {hp['fac_dim']}, co {hp['co_dim']}", file=sys.stderr)


if __name__ == "__main__":
    main()
