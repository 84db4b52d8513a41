#!/usr/bin/env python3
"""Tests export_lfads_torch.py on a Lightning-style checkpoint built from lfads_reference.py.

Run: /usr/bin/python3 -m unittest discover -s sim/python -p 'test_*.py'
(skipped when torch is not installed).
"""
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import numpy as np
    import torch
except ImportError:  # pragma: no cover
    torch = None


@unittest.skipIf(torch is None, "needs python3-torch")
class ExportTest(unittest.TestCase):
    def setUp(self):
        sys.path.insert(0, HERE)
        import lfads_reference as ref
        self.ref = ref
        self.tmp = tempfile.TemporaryDirectory()
        self.hp = dict(encod_data_dim=6, encod_seq_len=5, recon_seq_len=7, ext_input_dim=0,
                       ic_enc_seq_len=0, ic_enc_dim=4, ci_enc_dim=3, ci_lag=1, con_dim=5, co_dim=2,
                       ic_dim=3, gen_dim=8, fac_dim=2, cell_clip=5.0)
        self.model = ref.randomize(ref.LfadsReference(self.hp, 9), torch.Generator().manual_seed(3))

    def tearDown(self):
        self.tmp.cleanup()

    def checkpoint(self, extra_hparams_object):
        """A torch.save'd dict shaped like a Lightning checkpoint, float32 like lfads-torch."""
        sd = {k: v.float() for k, v in self.model.state_dict().items()}
        hps = dict(self.hp, lr_init=4e-3, loss_scale=1e4, weight_schedule=[1, 2],
                   variational=True, gen_type="gru", odd=extra_hparams_object)
        path = os.path.join(self.tmp.name, "m.ckpt")
        torch.save({"epoch": 3, "state_dict": sd, "hyper_parameters": hps}, path)
        return path, sd

    def run_export(self, ckpt, *flags):
        out = os.path.join(self.tmp.name, "m.npz")
        if not any(f in ("--reconstruction", "--config") for f in flags):
            flags = flags + ("--reconstruction", "Poisson")
        subprocess.run([sys.executable, os.path.join(HERE, "export_lfads_torch.py"), ckpt, out, *flags],
                       check=True, capture_output=True)
        return out

    def export_result(self, ckpt, *flags):
        out = os.path.join(self.tmp.name, "r.npz")
        r = subprocess.run([sys.executable, os.path.join(HERE, "export_lfads_torch.py"), ckpt, out, *flags],
                           capture_output=True, text=True)
        hp = json.loads(zipfile.ZipFile(out).read("hparams.json")) if r.returncode == 0 else None
        return r, hp

    def test_reconstruction_is_demanded_when_unknown(self):
        ckpt, _ = self.checkpoint(None)
        r, _ = self.export_result(ckpt)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("cannot tell the model's reconstruction distribution", r.stderr)
        self.assertIn("--reconstruction", r.stderr)

    def test_reconstruction_from_flag_and_unsupported_refused(self):
        ckpt, _ = self.checkpoint(None)
        r, hp = self.export_result(ckpt, "--reconstruction", "Gamma")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(hp["reconstruction"], {"type": "Gamma"})
        r, _ = self.export_result(ckpt, "--reconstruction", "lfads_torch.modules.recons.StudentT")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("reconstruction 'lfads_torch.modules.recons.StudentT' is not supported", r.stderr)
        r, _ = self.export_result(ckpt, "--reconstruction", "ZeroInflatedGamma")
        self.assertIn("ZeroInflatedGamma needs gamma_loc", r.stderr)

    def test_multisession_keeps_every_session(self):
        sys.path.insert(0, HERE)
        import lfads_torch_model as tm
        hp = dict(self.hp, readout_dim=0)
        model = tm.LFADS(hp, readin_dims=[5, 8], readout_dims=[4, 3], readout_bias=[True, False])
        path = os.path.join(self.tmp.name, "ms.ckpt")
        torch.save({"state_dict": {k: v.float() for k, v in model.state_dict().items()}, "hyper_parameters": self.hp}, path)
        r, hp_out = self.export_result(path, "--reconstruction", "Poisson", "--session-names", "monkeyJ,monkeyL")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(hp_out["session_names"], ["monkeyJ", "monkeyL"])
        files = set(np.load(os.path.join(self.tmp.name, "r.npz")).files)
        for key in ("readin.0.weight", "readin.0.bias", "readin.1.weight", "readout.0.weight", "readout.0.bias",
                    "readout.1.weight"):
            self.assertIn(key, files)
        self.assertNotIn("readout.1.bias", files)  # nn.Linear(bias=False): the loader reads a zero bias
        r, _ = self.export_result(path, "--reconstruction", "Poisson", "--session-names", "onlyone")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--session-names gives 1 names, the model has 2 readouts", r.stderr)

    def test_reconstruction_list_per_session_as_nlb_multisession_config(self):
        """configs/model/nlb_multisession_mc_maze.yaml lists one reconstruction per session (older module path)."""
        cfg = os.path.join(self.tmp.name, "nlb_multisession.yaml")
        with open(cfg, "w") as f:
            f.write(textwrap.dedent("""
                _target_: lfads_torch.models.base_model.LFADS
                reconstruction:
                  - _target_: lfads_torch.models.modules.recons.Poisson
                  - _target_: lfads_torch.models.modules.recons.Poisson
            """))
        ckpt, _ = self.checkpoint(None)
        r, hp = self.export_result(ckpt, "--config", cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(hp["reconstruction"], {"type": "Poisson"})
        with open(cfg, "w") as f:
            f.write("reconstruction:\n  - _target_: lfads_torch.modules.recons.Poisson\n"
                    "  - _target_: lfads_torch.modules.recons.Gamma\n")
        r, hp = self.export_result(ckpt, "--config", cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(hp["reconstruction"], [{"type": "Poisson"}, {"type": "Gamma"}])

    def test_reconstruction_from_hydra_run_config(self):
        """A run directory as lfads-torch's Hydra writes it: .hydra/config.yaml beside lightning_checkpoints/."""
        run = os.path.join(self.tmp.name, "run")
        os.makedirs(os.path.join(run, ".hydra"))
        os.makedirs(os.path.join(run, "lightning_checkpoints"))
        with open(os.path.join(run, ".hydra", "config.yaml"), "w") as f:
            f.write(textwrap.dedent("""
                model:
                  _target_: lfads_torch.model.LFADS
                  reconstruction:
                    _target_: lfads_torch.modules.recons.MultisessionReconstruction
                    datafile_pattern: /data/sess*.h5
                    recon:
                      _target_: lfads_torch.modules.recons.ZeroInflatedGamma
                      recon_dim: 9
                      gamma_loc: 0.1
                      scale_init: 1.0
                      scale_prior: 1.0
                      scale_penalty: 0.0
            """))
        ckpt, _ = self.checkpoint(None)
        moved = os.path.join(run, "lightning_checkpoints", "last.ckpt")
        os.rename(ckpt, moved)
        r, hp = self.export_result(moved)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(hp["reconstruction"], {"type": "ZeroInflatedGamma", "gamma_loc": 0.1})
        self.assertIn(".hydra/config.yaml", r.stderr)

    def test_arrays_and_hparams(self):
        ckpt, sd = self.checkpoint(None)
        out = self.run_export(ckpt)
        npz = np.load(out)
        self.assertEqual(set(npz.files) - {"hparams.json"}, set(sd))
        for k, v in sd.items():
            self.assertEqual(npz[k].dtype, np.float32, k)
            np.testing.assert_array_equal(npz[k], v.numpy(), err_msg=k)
        hp = json.loads(zipfile.ZipFile(out).read("hparams.json"))
        for k, v in self.hp.items():
            self.assertEqual(hp[k], v, k)
        self.assertEqual(hp["gen_type"], "gru")
        self.assertNotIn("weight_schedule", hp)  # not a scalar: dropped
        npz64 = np.load(self.run_export(ckpt, "--float64"))
        self.assertEqual(npz64["readout.0.weight"].dtype, np.float64)

    def test_unimportable_pickled_objects_are_tolerated(self):
        # Real checkpoints pickle omegaconf/Lightning objects; simulate a class that is gone.
        moddir = os.path.join(self.tmp.name, "gone")
        os.makedirs(moddir)
        with open(os.path.join(moddir, "vanishing_mod.py"), "w") as f:
            f.write(textwrap.dedent("""
                class Cfg:
                    def __init__(self):
                        self.x = 1
            """))
        sys.path.insert(0, moddir)
        try:
            import vanishing_mod
            ckpt, _ = self.checkpoint(vanishing_mod.Cfg())
        finally:
            sys.path.remove(moddir)
            sys.modules.pop("vanishing_mod", None)
        os.remove(os.path.join(moddir, "vanishing_mod.py"))
        out = self.run_export(ckpt)  # runs in a fresh interpreter without the module
        self.assertIn("decoder.rnn.cell.gen_cell.weight_hh", np.load(out).files)

    def test_missing_hparams_fail(self):
        sd = {k: v.float() for k, v in self.model.state_dict().items()}
        path = os.path.join(self.tmp.name, "bad.ckpt")
        torch.save({"state_dict": sd, "hyper_parameters": {"gen_dim": 8}}, path)
        r = subprocess.run([sys.executable, os.path.join(HERE, "export_lfads_torch.py"), path,
                            os.path.join(self.tmp.name, "x.npz")], capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("lack: encod_data_dim", r.stderr)

    def test_reference_outputs_survive_export(self):
        """The exported float32 weights, read back as float64, reproduce the reference outputs."""
        ckpt, sd = self.checkpoint(None)
        out = self.run_export(ckpt)
        npz = np.load(out)
        again = self.ref.LfadsReference(self.hp, 9)
        again.load_state_dict({k: torch.from_numpy(npz[k]).double() for k in npz.files if k != "hparams.json"})
        self.model.load_state_dict({k: v.double() for k, v in sd.items()})
        x = torch.poisson(torch.full((2, 5, 6), 1.0), generator=torch.Generator().manual_seed(1))
        a, b = self.model.infer(x), again.infer(x)
        for k in a:
            torch.testing.assert_close(a[k], b[k], rtol=0, atol=0)


if __name__ == "__main__":
    unittest.main()
