"""lfads-torch's clipped GRU, the one copy used by the inference reference (lfads_reference.py) and the
training model (lfads_torch_model.py).

Mirrors lfads_torch/modules/recurrent.py (arsedler9/lfads-torch; reference lfads.md §1): gate order
z, r, n; the reset gate applied to h *before* the recurrent matmul; bias_hh present (state_dict key) but
frozen at zero for training; the hidden state clamped to +-clip_value after every step. Parameter names
are nn.GRUCell's (weight_ih, weight_hh, bias_ih, bias_hh), so state_dicts match lfads-torch's.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ClippedGRUCell(nn.GRUCell):
    def __init__(self, input_size, hidden_size, clip_value=float("inf"), dtype=None):
        super().__init__(input_size, hidden_size, bias=True, dtype=dtype)
        self.bias_hh.requires_grad = False
        with torch.no_grad():
            self.bias_hh.zero_()
        self.clip_value = clip_value

    def project_input(self, x):
        """W_ih x + b_ih for any leading shape (lets encoders project every time step at once)."""
        return F.linear(x, self.weight_ih, self.bias_ih)

    def step(self, x_all, hidden):
        """One step given the projected input x_all = W_ih x + b_ih (B, 3H)."""
        H = self.hidden_size
        x_z, x_r, x_n = torch.chunk(x_all, 3, dim=1)
        w_zr, w_n = torch.split(self.weight_hh, [2 * H, H])
        b_zr, b_n = torch.split(self.bias_hh, [2 * H, H])
        h_z, h_r = torch.chunk(F.linear(hidden, w_zr, b_zr), 2, dim=1)
        z = torch.sigmoid(x_z + h_z)
        r = torch.sigmoid(x_r + h_r)
        n = torch.tanh(x_n + F.linear(r * hidden, w_n, b_n))
        hidden = z * hidden + (1 - z) * n
        return torch.clamp(hidden, -self.clip_value, self.clip_value)

    def forward(self, input, hidden):
        return self.step(self.project_input(input), hidden)


class ClippedGRU(nn.Module):
    def __init__(self, input_size, hidden_size, clip_value, dtype=None):
        super().__init__()
        self.cell = ClippedGRUCell(input_size, hidden_size, clip_value, dtype=dtype)

    def forward(self, input, h_0):
        """input (B, T, I); h_0 (B, H) -> outputs (B, T, H) and the final state (B, H)."""
        x_all = self.cell.project_input(input)
        h = h_0
        outs = []
        for t in range(input.shape[1]):
            h = self.cell.step(x_all[:, t], h)
            outs.append(h)
        return torch.stack(outs, dim=1), h


class BidirectionalClippedGRU(nn.Module):
    def __init__(self, input_size, hidden_size, clip_value, dtype=None):
        super().__init__()
        self.fwd_gru = ClippedGRU(input_size, hidden_size, clip_value, dtype=dtype)
        self.bwd_gru = ClippedGRU(input_size, hidden_size, clip_value, dtype=dtype)

    def forward(self, input, h_0):
        """h_0 (2, B, H): [0] forward, [1] backward. The backward GRU reads the time-reversed input; its outputs
        are flipped back so index t is aligned with input bin t."""
        out_f, h_f = self.fwd_gru(input, h_0[0])
        out_b, h_b = self.bwd_gru(torch.flip(input, [1]), h_0[1])
        out_b = torch.flip(out_b, [1])
        return torch.cat([out_f, out_b], dim=2), torch.stack([h_f, h_b])
