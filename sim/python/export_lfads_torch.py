#!/usr/bin/env python3
"""Converts an lfads-torch Lightning checkpoint into an lfads-rt model file (.npz).

Usage:  /usr/bin/python3 sim/python/export_lfads_torch.py CKPT OUT.npz [--float64]

CKPT is a torch.save'd dict with "state_dict" (lfads-torch parameter names) and
"hyper_parameters". OUT.npz holds every state_dict tensor as a numpy array under the same name
(float32 stays float32 unless --float64) plus a member "hparams.json" with the scalar
hyperparameters. Format: docs/model-format.md. Needs only torch and numpy.

Checkpoints pickle Lightning/omegaconf objects inside hyper_parameters; classes that are not
importable here are replaced by inert stand-ins (their values are not needed), so the conversion
works without lfads-torch, Lightning or omegaconf installed.
"""
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


def write_model(state_dict, hyper_parameters, out_path, float64=False, compress=False):
    """Writes the model file. Arrays keep their dtype (float32/float64) unless float64=True."""
    hp = hparams_json(hyper_parameters)
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
    args = ap.parse_args(argv)
    ckpt = load_checkpoint(args.ckpt)
    if not isinstance(ckpt, dict) or "state_dict" not in ckpt or "hyper_parameters" not in ckpt:
        raise SystemExit(f"{args.ckpt}: not a Lightning checkpoint (needs 'state_dict' and 'hyper_parameters')")
    hp = write_model(ckpt["state_dict"], ckpt["hyper_parameters"], args.out, float64=args.float64)
    print(f"wrote {args.out}: {len(ckpt['state_dict'])} arrays, "
          f"{hp['encod_data_dim']} in, T {hp['encod_seq_len']}/{hp['recon_seq_len']}, "
          f"gen {hp['gen_dim']}, fac {hp['fac_dim']}, co {hp['co_dim']}", file=sys.stderr)


if __name__ == "__main__":
    main()
