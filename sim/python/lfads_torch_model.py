"""A small, self-contained LFADS in PyTorch with lfads-torch's architecture and state_dict key names.

Used by train_demo.py to train the bundled demo model. Mirrors lfads-torch (arsedler9/lfads-torch,
`lfads_torch/modules/{recurrent,encoder,decoder,priors}.py`, reference lfads.md §1-3):

- ClippedGRUCell: gate order z, r, n; reset applied to h *before* the recurrent matmul; bias_hh
  frozen at zero but present; hidden state clamped to +-cell_clip.
- Encoder: bidirectional ClippedGRUs for the initial condition (final states) and, with a
  controller, for controller inputs (all steps, ci_lag), learned h0 parameters.
- Decoder: ic_to_g0, learned con_h0, controller -> co_linear -> generator -> row-normalised
  fac_linear (no bias); readout.0 is an ordinary linear layer giving log-rates.
- Priors: learnable Gaussian IC prior (ic_prior.mean/logvar) and autoregressive AR(1) controller
  prior (co_prior.logtaus/lognvars); KL terms like LFADS (analytic for the IC, one-sample Monte Carlo
  for the controller outputs).
- Dropout on encoder input, IC encoder output, controller input and generator state in training.

Only torch is needed. Inference (`sample_posteriors=False`, eval mode) uses ic_mean and co_mean.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from clipped_gru import BidirectionalClippedGRU, ClippedGRUCell


class KernelNormalizedLinear(nn.Linear):
    def forward(self, input):
        return F.linear(input, F.normalize(self.weight, p=2, dim=1), self.bias)


class Encoder(nn.Module):
    def __init__(self, hp, dropout):
        super().__init__()
        self.hp = hp
        self.dropout = nn.Dropout(dropout)
        self.ic_enc_h0 = nn.Parameter(torch.zeros(2, 1, hp["ic_enc_dim"]))
        self.ic_enc = BidirectionalClippedGRU(hp["encod_data_dim"], hp["ic_enc_dim"], hp["cell_clip"])
        self.ic_linear = nn.Linear(2 * hp["ic_enc_dim"], 2 * hp["ic_dim"])
        self.use_con = hp["co_dim"] > 0
        if self.use_con:
            self.ci_enc_h0 = nn.Parameter(torch.zeros(2, 1, hp["ci_enc_dim"]))
            self.ci_enc = BidirectionalClippedGRU(hp["encod_data_dim"], hp["ci_enc_dim"], hp["cell_clip"])

    def forward(self, data):
        hp = self.hp
        B = data.shape[0]
        data_drop = self.dropout(data)
        _, h_n = self.ic_enc(data_drop, self.ic_enc_h0.expand(-1, B, -1))
        h_n = torch.cat([h_n[0], h_n[1]], dim=1)
        ic_params = self.ic_linear(self.dropout(h_n))
        ic_mean, ic_logvar = torch.split(ic_params, hp["ic_dim"], dim=1)
        ic_std = torch.sqrt(torch.exp(ic_logvar) + 1e-4)
        if not self.use_con:
            return ic_mean, ic_std, None
        ci, _ = self.ci_enc(data_drop, self.ci_enc_h0.expand(-1, B, -1))
        return ic_mean, ic_std, self._controller_inputs(ci)

    def _controller_inputs(self, ci):
        hp = self.hp
        H = hp["ci_enc_dim"]
        lag = hp["ci_lag"]
        ci_fwd, ci_bwd = torch.split(ci, H, dim=2)
        ci_fwd = F.pad(ci_fwd, (0, 0, lag, 0, 0, 0))
        ci_bwd = F.pad(ci_bwd, (0, 0, 0, lag, 0, 0))
        L = hp["encod_seq_len"]
        ci = torch.cat([ci_fwd[:, :L], ci_bwd[:, -L:]], dim=2)
        return F.pad(ci, (0, 0, 0, hp["recon_seq_len"] - L, 0, 0))


class DecoderCell(nn.Module):
    def __init__(self, hp, dropout):
        super().__init__()
        self.hp = hp
        self.dropout = nn.Dropout(dropout)
        self.use_con = hp["co_dim"] > 0
        self.gen_cell = ClippedGRUCell(hp["co_dim"] + hp["ext_input_dim"], hp["gen_dim"], hp["cell_clip"])
        self.fac_linear = KernelNormalizedLinear(hp["gen_dim"], hp["fac_dim"], bias=False)
        if self.use_con:
            self.con_cell = ClippedGRUCell(2 * hp["ci_enc_dim"] + hp["fac_dim"], hp["con_dim"], hp["cell_clip"])
            self.co_linear = nn.Linear(hp["con_dim"], 2 * hp["co_dim"])


class DecoderRNN(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell


class Decoder(nn.Module):
    def __init__(self, hp, dropout):
        super().__init__()
        self.hp = hp
        self.dropout = nn.Dropout(dropout)
        self.ic_to_g0 = nn.Linear(hp["ic_dim"], hp["gen_dim"])
        self.con_h0 = nn.Parameter(torch.zeros(1, hp["con_dim"]))  # present even when con_dim = 0, as in lfads-torch
        self.rnn = DecoderRNN(DecoderCell(hp, dropout))

    def forward(self, ic_samp, ci, sample_posteriors):
        hp = self.hp
        cell = self.rnn.cell
        B = ic_samp.shape[0]
        gen_state = self.ic_to_g0(self.dropout(ic_samp))
        factor = cell.fac_linear(self.dropout(gen_state))
        con_state = self.con_h0.expand(B, -1) if cell.use_con else None
        factors, co_means, co_stds = [], [], []
        for t in range(hp["recon_seq_len"]):
            if cell.use_con:
                con_in = cell.dropout(torch.cat([ci[:, t], factor], dim=1))
                con_state = cell.con_cell(con_in, con_state)
                co_mean, co_logvar = torch.split(cell.co_linear(con_state), hp["co_dim"], dim=1)
                co_std = torch.sqrt(torch.exp(co_logvar) + 1e-4)
                co_out = co_mean + co_std * torch.randn_like(co_std) if sample_posteriors else co_mean
                co_means.append(co_mean)
                co_stds.append(co_std)
                gen_input = co_out
            else:
                gen_input = torch.zeros(B, 0, dtype=ic_samp.dtype)
            gen_state = cell.gen_cell(gen_input, gen_state)
            factor = cell.fac_linear(cell.dropout(gen_state))
            factors.append(factor)
        factors = torch.stack(factors, dim=1)
        if cell.use_con:
            return factors, torch.stack(co_means, dim=1), torch.stack(co_stds, dim=1)
        return factors, None, None


class GaussianPrior(nn.Module):
    """lfads-torch MultivariateNormal prior: learnable mean and log-variance."""

    def __init__(self, dim, var=0.1):
        super().__init__()
        self.mean = nn.Parameter(torch.zeros(dim))
        self.logvar = nn.Parameter(torch.full((dim,), math.log(var)))

    def kl(self, post_mean, post_std):
        # analytic KL(N(post) || N(prior)), summed over dims -> (B,)
        prior_var = torch.exp(self.logvar)
        post_var = post_std ** 2
        kl = 0.5 * (self.logvar - torch.log(post_var) + (post_var + (post_mean - self.mean) ** 2) / prior_var - 1)
        return kl.sum(dim=1)


class AutoregressivePrior(nn.Module):
    """lfads-torch AutoregressiveMultivariateNormal: an AR(1) process per controller output."""

    def __init__(self, dim, tau=10.0, nvar=0.1):
        super().__init__()
        self.logtaus = nn.Parameter(torch.full((dim,), math.log(tau)))
        self.lognvars = nn.Parameter(torch.full((dim,), math.log(nvar)))

    def log_prob(self, sample):
        # sample (B, T, D)
        alphas = torch.exp(-1.0 / torch.exp(self.logtaus))
        logpvars = self.lognvars - torch.log(1 - alphas ** 2)
        means = torch.cat([torch.zeros_like(sample[:, :1]), alphas * sample[:, :-1]], dim=1)
        logvars = torch.cat([logpvars.expand_as(sample[:, :1]), self.lognvars.expand_as(sample[:, 1:])], dim=1)
        lp = -0.5 * (math.log(2 * math.pi) + logvars + (sample - means) ** 2 / torch.exp(logvars))
        return lp.sum(dim=(1, 2))

    def kl(self, post_mean, post_std):
        # one-sample Monte Carlo KL, as lfads-torch does for this prior -> (B,)
        sample = post_mean + post_std * torch.randn_like(post_std)
        log_q = (-0.5 * math.log(2 * math.pi) - torch.log(post_std)
                 - 0.5 * ((sample - post_mean) / post_std) ** 2).sum(dim=(1, 2))
        return log_q - self.log_prob(sample)


class FanInLinear(nn.Linear):
    """lfads-torch readin_readout.FanInLinear: weights N(0, 1/in_features), zero bias at init."""

    def reset_parameters(self):
        super().reset_parameters()
        nn.init.normal_(self.weight, std=1 / math.sqrt(self.in_features))
        nn.init.constant_(self.bias, 0.0)


# Reconstructions as lfads-torch's lfads_torch/modules/recons.py defines them: reshape_output_params
# chunks the readout's last dimension into n_params blocks; compute_means gives the distribution mean.
class Poisson(nn.Module):
    n_params = 1

    def reshape_output_params(self, p):
        return torch.unsqueeze(p, dim=-1)

    def compute_means(self, p):
        return torch.exp(p[..., 0])

    def compute_loss(self, data, p):
        return F.poisson_nll_loss(p[..., 0], data, full=True, reduction="none")


class MSE(nn.Module):
    n_params = 1

    def reshape_output_params(self, p):
        return torch.unsqueeze(p, dim=-1)

    def compute_means(self, p):
        return p[..., 0]


class Gaussian(nn.Module):
    n_params = 2

    def reshape_output_params(self, p):
        means, logvars = torch.chunk(p, 2, -1)
        return torch.stack([means, logvars], -1)

    def compute_means(self, p):
        return p[..., 0]


class Gamma(nn.Module):
    n_params = 2

    def reshape_output_params(self, p):
        logalphas, logbetas = torch.chunk(p, chunks=2, dim=-1)
        return torch.stack([logalphas, logbetas], -1)

    def compute_means(self, p):
        alphas, betas = torch.unbind(torch.exp(p), axis=-1)
        return alphas / betas


class ZeroInflatedGamma(nn.Module):
    n_params = 3

    def __init__(self, recon_dim, gamma_loc, scale_init=1.0, scale_prior=1.0, scale_penalty=0.0):
        super().__init__()
        self.gamma_loc = gamma_loc
        self.scale = nn.Parameter(torch.ones(2, recon_dim) * scale_init)

    def reshape_output_params(self, p):
        a, b, q = torch.chunk(p, chunks=3, dim=-1)
        return torch.stack([a, b, q], -1)

    def compute_means(self, p):
        sig = torch.clamp_min(torch.sigmoid(p), 1e-5)
        sa, sb, qs = torch.unbind(sig, axis=-1)
        alphas, betas = sa * self.scale[0], sb * self.scale[1]
        return qs * (alphas / betas + self.gamma_loc)


RECONS = {c.__name__: c for c in (Poisson, MSE, Gaussian, Gamma, ZeroInflatedGamma)}


class LFADS(nn.Module):
    """state_dict keys match lfads-torch: readin.S (absent for nn.Identity), readout.S, recon.S.

    Single session by default (identity readin, readout.0, Poisson). Multi-session as lfads-torch's
    multisession configs: `readin_dims[s]` raw channels of session s (None: nn.Identity, needs
    encod_data_dim channels) through a FanInLinear to encod_data_dim; `readout_dims[s]` neurons of
    session s; `readout_bias=False` gives nn.Linear(bias=False) readouts; `recon` a class name of RECONS
    (ZeroInflatedGamma takes `recon_kwargs`, e.g. gamma_loc)."""

    def __init__(self, hp, dropout=0.05, readin_dims=None, readout_dims=None, readout_bias=True, recon="Poisson",
                 recon_kwargs=None):
        super().__init__()
        self.hp = hp
        readin_dims = readin_dims if readin_dims is not None else [None]
        readout_dims = readout_dims if readout_dims is not None else [hp["readout_dim"]] * len(readin_dims)
        assert len(readout_dims) == len(readin_dims)
        self.readin = nn.ModuleList([nn.Identity() if n is None else FanInLinear(n, hp["encod_data_dim"])
                                     for n in readin_dims])
        self.encoder = Encoder(hp, dropout)
        self.decoder = Decoder(hp, dropout)
        cls = RECONS[recon]
        kw = recon_kwargs or {}
        self.recon = nn.ModuleList([cls(n, **kw) if cls is ZeroInflatedGamma else cls() for n in readout_dims])
        bias = readout_bias if isinstance(readout_bias, (list, tuple)) else [readout_bias] * len(readout_dims)
        self.readout = nn.ModuleList([nn.Linear(hp["fac_dim"], cls.n_params * n, bias=b)
                                      for n, b in zip(readout_dims, bias)])
        self.ic_prior = GaussianPrior(hp["ic_dim"])
        if hp["co_dim"] > 0:
            self.co_prior = AutoregressivePrior(hp["co_dim"])

    def forward(self, data, sample_posteriors=False, session=0):
        ic_mean, ic_std, ci = self.encoder(self.readin[session](data))
        ic_samp = ic_mean + ic_std * torch.randn_like(ic_std) if sample_posteriors else ic_mean
        factors, co_means, co_stds = self.decoder(ic_samp, ci, sample_posteriors)
        output_params = self.readout[session](factors)
        recon = self.recon[session]
        means = recon.compute_means(recon.reshape_output_params(output_params))
        # `logrates` keeps its name for the Poisson training code: the readout's raw output parameters
        return dict(logrates=output_params, means=means, factors=factors, ic_mean=ic_mean, ic_std=ic_std,
                    co_means=co_means, co_stds=co_stds)

    def kl_terms(self, out):
        kl_ic = self.ic_prior.kl(out["ic_mean"], out["ic_std"])
        kl_co = self.co_prior.kl(out["co_means"], out["co_stds"]) if out["co_means"] is not None else 0.0
        return kl_ic, kl_co
