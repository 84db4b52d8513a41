#!/usr/bin/env python3
"""The training model (lfads_torch_model.py, used by train_demo.py) against the independent inference
reference (lfads_reference.py): same state_dict keys and shapes, same eval-mode outputs in float64,
with and without a controller, including bias_hh, learned h0s, ci_lag and clipping.

Run: /usr/bin/python3 -m unittest discover -s sim/python -p 'test_*.py'
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import numpy as np
    import torch
except ImportError:  # pragma: no cover
    torch = None


@unittest.skipIf(torch is None, "needs python3-torch")
class TrainingModelMatchesReference(unittest.TestCase):
    def setUp(self):
        sys.path.insert(0, HERE)
        import lfads_reference as ref
        import lfads_torch_model as tm
        self.ref, self.tm = ref, tm

    def check(self, hp, readout_dim, seed):
        gen = torch.Generator().manual_seed(seed)
        reference = self.ref.randomize(self.ref.LfadsReference(hp, readout_dim), gen, scale=2.0, h0_scale=3.0)
        model = self.tm.LFADS(dict(hp, readout_dim=readout_dim)).double().eval()
        ref_sd = reference.state_dict()
        self.assertEqual(sorted(ref_sd), sorted(model.state_dict()))
        for k, v in model.state_dict().items():
            self.assertEqual(tuple(v.shape), tuple(ref_sd[k].shape), k)
        model.load_state_dict(ref_sd)
        spikes = torch.poisson(torch.full((5, hp["encod_seq_len"], hp["encod_data_dim"]), 1.5, dtype=torch.float64), generator=gen)
        want = reference.infer(spikes)
        with torch.no_grad():
            got = model(spikes, sample_posteriors=False)
        for key in ("factors", "logrates"):
            np.testing.assert_allclose(got[key].numpy(), want[key].numpy(), rtol=0, atol=1e-12, err_msg=key)
        np.testing.assert_allclose(got["ic_mean"].numpy(), want["ic_mean"].numpy(), rtol=0, atol=1e-12)
        if hp["co_dim"] > 0:
            np.testing.assert_allclose(got["co_means"].numpy(), want["co_mean"].numpy(), rtol=0, atol=1e-12)

    def test_demo_sizes_with_controller(self):
        hp = dict(encod_data_dim=30, encod_seq_len=50, recon_seq_len=50, ext_input_dim=0, ic_enc_dim=32,
                  ci_enc_dim=16, ci_lag=1, con_dim=16, co_dim=2, ic_dim=16, gen_dim=64, fac_dim=8, cell_clip=5.0)
        self.check(hp, 30, 1)

    def test_odd_sizes_lag2_forward_prediction_clipping(self):
        hp = dict(encod_data_dim=5, encod_seq_len=7, recon_seq_len=10, ext_input_dim=0, ic_enc_dim=3,
                  ci_enc_dim=2, ci_lag=2, con_dim=3, co_dim=2, ic_dim=2, gen_dim=5, fac_dim=2, cell_clip=0.7)
        self.check(hp, 4, 2)

    def test_without_controller(self):
        hp = dict(encod_data_dim=6, encod_seq_len=9, recon_seq_len=9, ext_input_dim=0, ic_enc_dim=4,
                  ci_enc_dim=0, ci_lag=1, con_dim=0, co_dim=0, ic_dim=3, gen_dim=7, fac_dim=3, cell_clip=5.0)
        self.check(hp, 6, 3)


if __name__ == "__main__":
    unittest.main()
