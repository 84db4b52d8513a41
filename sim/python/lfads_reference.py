#!/usr/bin/env python3
"""An independent PyTorch implementation of lfads-torch's inference path (float64).

Written from the lfads-torch sources (arsedler9/lfads-torch: lfads_torch/model.py,
modules/{encoder,decoder,recurrent,readin_readout}.py); see /docs/model-format.md and the
project's reference notes. It does NOT import lfads_torch; its clipped GRU is clipped_gru.py, shared with
the training model (lfads_torch_model.py). Module and parameter names reproduce
lfads-torch's state_dict keys exactly, so `model.state_dict()` is what a Lightning checkpoint holds.

Inference path (eval mode, sample_posteriors=False, single session, identity readin):
  IC encoder  : bidirectional ClippedGRU over all T_enc bins, h0 = encoder.ic_enc_h0 (not clamped);
                ic_mean = first ic_dim outputs of encoder.ic_linear([h_fwd_T, h_bwd_0])
  CI encoder  : second bidirectional ClippedGRU; ci_t = [fwd[t-L] or 0, bwd[t+L] or 0], zero for
                t >= T_enc (forward-prediction bins)
  decoder     : g0 = ic_to_g0(ic_mean) (not clamped); f_{-1} = fac(g0); per step
                c = con_cell([ci_t, f_{t-1}], c); co_mean = co_linear(c)[:co_dim];
                g = gen_cell(co_mean, g); f = g @ normalize_rows(W_fac).T
  readout     : logrates = readout.0(f); rates = exp(logrates)
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from clipped_gru import BidirectionalClippedGRU, ClippedGRUCell

HPARAM_KEYS = (
    "encod_data_dim", "encod_seq_len", "recon_seq_len", "ext_input_dim", "ic_enc_seq_len",
    "ic_enc_dim", "ci_enc_dim", "ci_lag", "con_dim", "co_dim", "ic_dim", "gen_dim", "fac_dim",
    "cell_clip",
)


class Encoder(nn.Module):
    def __init__(self, hp):
        super().__init__()
        self.hp = hp
        n_in, clip = hp["encod_data_dim"], hp["cell_clip"]
        self.ic_enc_h0 = nn.Parameter(torch.zeros(2, 1, hp["ic_enc_dim"], dtype=torch.float64))
        self.ic_enc = BidirectionalClippedGRU(n_in, hp["ic_enc_dim"], clip, dtype=torch.float64)
        self.ic_linear = nn.Linear(2 * hp["ic_enc_dim"], 2 * hp["ic_dim"]).double()
        if use_con(hp):
            self.ci_enc_h0 = nn.Parameter(torch.zeros(2, 1, hp["ci_enc_dim"], dtype=torch.float64))
            self.ci_enc = BidirectionalClippedGRU(n_in, hp["ci_enc_dim"], clip, dtype=torch.float64)

    def forward(self, data):
        hp = self.hp
        B = data.shape[0]
        _, h_n = self.ic_enc(data, self.ic_enc_h0.expand(2, B, -1))
        ic_params = self.ic_linear(torch.cat([h_n[0], h_n[1]], dim=1))
        ic_mean = ic_params[:, :hp["ic_dim"]]
        T_enc, T_rec, L = hp["encod_seq_len"], hp["recon_seq_len"], hp["ci_lag"]
        if use_con(hp):
            ci_out, _ = self.ci_enc(data, self.ci_enc_h0.expand(2, B, -1))
            H = hp["ci_enc_dim"]
            fwd, bwd = ci_out[:, :, :H], ci_out[:, :, H:]
            # As lfads-torch: shift fwd right and bwd left by L bins (zero-filled), then append
            # T_rec - T_enc zero bins for forward prediction.
            fwd = F.pad(fwd, (0, 0, L, 0))[:, :T_enc]
            bwd = F.pad(bwd, (0, 0, 0, L))[:, L:L + T_enc] if L > 0 else bwd
            ci = F.pad(torch.cat([fwd, bwd], dim=2), (0, 0, 0, T_rec - T_enc))
        else:
            ci = torch.zeros(B, T_rec, 0, dtype=data.dtype)
        return ic_mean, ci


class DecoderCell(nn.Module):
    def __init__(self, hp):
        super().__init__()
        clip = hp["cell_clip"]
        self.gen_cell = ClippedGRUCell(hp["co_dim"], hp["gen_dim"], clip, dtype=torch.float64)
        self.fac_linear = nn.Linear(hp["gen_dim"], hp["fac_dim"], bias=False).double()
        if use_con(hp):
            self.con_cell = ClippedGRUCell(2 * hp["ci_enc_dim"] + hp["fac_dim"], hp["con_dim"], clip, dtype=torch.float64)
            self.co_linear = nn.Linear(hp["con_dim"], 2 * hp["co_dim"]).double()

    def factors(self, g):
        # lfads-torch KernelNormalizedLinear: F.normalize(weight, p=2, dim=1), i.e. w / max(||w||, 1e-12)
        w = self.fac_linear.weight
        norms = torch.clamp(torch.sqrt((w * w).sum(dim=1, keepdim=True)), min=1e-12)
        return g @ (w / norms).T


class DecoderRNN(nn.Module):
    def __init__(self, hp):
        super().__init__()
        self.cell = DecoderCell(hp)


class Decoder(nn.Module):
    def __init__(self, hp):
        super().__init__()
        self.hp = hp
        self.ic_to_g0 = nn.Linear(hp["ic_dim"], hp["gen_dim"]).double()
        self.con_h0 = nn.Parameter(torch.zeros(1, hp["con_dim"], dtype=torch.float64))
        self.rnn = DecoderRNN(hp)

    def forward(self, ic_mean, ci):
        hp = self.hp
        cell = self.rnn.cell
        B, T_rec = ci.shape[0], ci.shape[1]
        g = self.ic_to_g0(ic_mean)
        f = cell.factors(g)
        c = self.con_h0.expand(B, -1)
        factors, co_means = [], []
        for t in range(T_rec):
            if use_con(hp):
                c = cell.con_cell(torch.cat([ci[:, t], f], dim=1), c)
                co_mean = cell.co_linear(c)[:, :hp["co_dim"]]
            else:
                co_mean = torch.zeros(B, 0, dtype=ci.dtype)
            g = cell.gen_cell(co_mean, g)
            f = cell.factors(g)
            factors.append(f)
            co_means.append(co_mean)
        return torch.stack(factors, dim=1), torch.stack(co_means, dim=1)


class LfadsReference(nn.Module):
    """Keys of state_dict() equal lfads-torch's for one session (plus ic_prior/co_prior stand-ins)."""

    def __init__(self, hp, readout_dim):
        super().__init__()
        self.hp = dict(hp)
        self.encoder = Encoder(hp)
        self.decoder = Decoder(hp)
        self.readout = nn.ModuleList([nn.Linear(hp["fac_dim"], readout_dim).double()])
        # Priors are parameters of lfads-torch models too; inference ignores them.
        self.ic_prior = nn.ParameterDict({
            "mean": nn.Parameter(torch.zeros(hp["ic_dim"], dtype=torch.float64)),
            "logvar": nn.Parameter(torch.zeros(hp["ic_dim"], dtype=torch.float64)),
        })
        if use_con(hp):
            self.co_prior = nn.ParameterDict({
                "logtaus": nn.Parameter(torch.zeros(hp["co_dim"], dtype=torch.float64)),
                "lognvars": nn.Parameter(torch.zeros(hp["co_dim"], dtype=torch.float64)),
            })

    @torch.no_grad()
    def infer(self, spikes):
        """spikes: (B, T_enc, N_in) counts. Returns dict of float64 tensors."""
        data = spikes.to(self.readout[0].weight.dtype)
        ic_mean, ci = self.encoder(data)
        factors, co_mean = self.decoder(ic_mean, ci)
        logrates = self.readout[0](factors)
        return {
            "factors": factors, "logrates": logrates, "rates": torch.exp(logrates),
            "ic_mean": ic_mean, "co_mean": co_mean,
        }


def use_con(hp):
    return hp["ci_enc_dim"] > 0 and hp["con_dim"] > 0 and hp["co_dim"] > 0


def randomize(model, gen, scale=1.0, h0_scale=0.5, mantissa_bits=None):
    """Fills every parameter with seeded uniform values of size ~ scale/sqrt(fan_in), including
    bias_hh and the learned initial states, so every term of the inference path matters.
    With mantissa_bits, values are rounded to that many significant bits (exact in float32)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 2 and p.shape[1] > 0 and not name.endswith("_h0"):
                bound = scale / math.sqrt(p.shape[1])
            else:
                bound = scale * h0_scale if name.endswith("_h0") else scale * 0.3
            v = (torch.rand(p.shape, generator=gen, dtype=torch.float64) * 2 - 1) * bound
            if mantissa_bits is not None:
                m, e = torch.frexp(v)
                v = torch.ldexp(torch.round(m * 2.0 ** mantissa_bits) / 2.0 ** mantissa_bits, e)
            p.copy_(v)
    return model
