#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Stand-alone integer reference of docs/kernel-numerics.md for the RTL harness smoke test.

Generates a random model (float weights quantized with the spec's quantizer rule), writes the kernel
image (section 9), spike inputs (section 10), and the expected outputs computed with exact Python
integers following sections 1-8. The authoritative cross-check is `lfads-rt cosim` against the Java
bit-accurate model; this script lets `make -C hdl test` check the RTL end to end without Java.

usage: lfads_ref.py --dims NAME|n_in,n_out,t_enc,t_rec,h_ic,h_ci,lag,h_con,co,ic,h_gen,fac
                    --width W --trials N --seed S --outdir DIR [--hot]
"""
import argparse
import math
import os
import struct
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from contract import C  # noqa: E402  (constants parsed from the generated C header)

PRESETS = {
    # n_in, n_out, t_enc, t_rec, h_ic, h_ci, lag, h_con, co, ic, h_gen, fac
    "tiny": (5, 6, 4, 6, 3, 0, 0, 0, 0, 4, 5, 2),
    "tinycon": (6, 7, 5, 7, 4, 3, 1, 5, 2, 3, 6, 3),
    "small": (13, 17, 9, 12, 10, 0, 0, 0, 0, 7, 11, 4),
    "smallcon": (11, 9, 8, 10, 9, 6, 1, 7, 3, 5, 12, 4),
    "paper": (70, 70, 73, 73, 64, 0, 0, 0, 0, 64, 64, 4),
    "mcmaze": (137, 182, 35, 45, 64, 64, 1, 64, 4, 64, 200, 100),
}


def rsh(v, k):
    if k > 0:
        return (v + (1 << (k - 1))) >> k
    return v << (-k)


def sat(v, w):
    hi = (1 << (w - 1)) - 1
    return max(-hi - 1, min(hi, v))


def req(v, ffrom, fto, w):
    return sat(rsh(v, ffrom - fto), w)


def quant_frac(maxabs, w):
    """Largest F in [0, 2W] with round(maxabs * 2^F) <= 2^(W-1) - 1."""
    for f in range(2 * w, -1, -1):
        if round(maxabs * 2.0 ** f) <= (1 << (w - 1)) - 1:
            return f
    return 0


def quantize(a, f, w):
    return [sat(int(math.floor(x * 2.0 ** f + 0.5)), w) for x in np.asarray(a, dtype=float).ravel()]


class Model:
    pass


def make_model(dims, w, seed, hot):
    rng = np.random.default_rng(seed)
    (n_in, n_out, t_enc, t_rec, h_ic, h_ci, lag, h_con, co, ic, h_gen, fac) = dims
    m = Model()
    m.dims = dims
    m.w = w
    m.hc = h_ci > 0
    m.K = 10
    m.esig, m.etanh = 4, 3
    clip = 5.0
    m.Is = int(math.floor(math.log2(clip))) + 1
    m.Fs = w - 1 - m.Is
    m.Fg = w - 1
    m.Fp = w - 1
    m.PW = w + 4
    m.clip_q = min(int(math.floor(clip * 2 ** m.Fs + 0.5)), (1 << (w - 1)) - 1)
    scale = 3.0 if hot else 1.0

    def mat(rows, cols, fan_in=None):
        fan = fan_in if fan_in else max(cols, 1)
        a = rng.normal(0, scale / math.sqrt(fan), size=(rows, cols))
        if rows and cols:
            a[rng.random(size=a.shape) < 0.02] *= 4  # a few large weights
        return a

    def qmat(a):
        if a.size == 0:
            return [], 0
        f = quant_frac(float(np.max(np.abs(a))), w)
        return quantize(a, f, w), f

    def qvec(a, amax):
        if a.size == 0:
            return [], 0
        f = min(quant_frac(float(np.max(np.abs(a))) + 1e-12, w), amax)
        return quantize(a, f, w), f

    m.frac_ic = w - 1 - 3
    m.frac_co = w - 1 - 2
    m.frac_fac = w - 1 - 2
    m.frac_lr = w - 1 - 4
    sec = {}
    acc = {}

    def gru(name, nx, h, fx):
        wih, fwi = qmat(mat(3 * h, nx, nx + h))
        whh, fwh = qmat(mat(3 * h, h, nx + h))
        a = max(fwi + fx, fwh + m.Fs) if nx else fwh + m.Fs
        b, fb = qvec(rng.normal(0, 0.5 * scale, size=3 * h), a)
        h0, _ = [sat(int(math.floor(x * 2 ** m.Fs + 0.5)), w) for x in rng.normal(0, 0.5, size=h)], 0
        return dict(wih=wih, fwi=fwi, whh=whh, fwh=fwh, b=b, fb=fb, A=a, h0=h0, nx=nx, h=h)

    def lin(rows, cols, fx, bias=True):
        wq, fw = qmat(mat(rows, cols))
        a = fw + fx
        if bias:
            b, fb = qvec(rng.normal(0, 0.3 * scale, size=rows), a)
        else:
            b, fb = [0] * rows, 0
        return dict(w=wq, fw=fw, b=b, fb=fb, A=a, rows=rows, cols=cols)

    m.icf = gru("icf", n_in, h_ic, 0)
    m.icb = gru("icb", n_in, h_ic, 0)
    if m.hc:
        m.cif = gru("cif", n_in, h_ci, 0)
        m.cib = gru("cib", n_in, h_ci, 0)
        m.con = gru("con", 2 * h_ci + fac, h_con, m.Fs)
        m.co = lin(co, h_con, m.Fs)
    m.iclin = lin(ic, 2 * h_ic, m.Fs)
    m.g0 = lin(h_gen, ic, m.frac_ic)
    m.gen = gru("gen", co, h_gen, m.frac_co)
    m.fac = lin(fac, h_gen, m.Fs, bias=False)
    m.ro = lin(n_out, fac, m.frac_fac)

    # activation tables
    def table(fn, e):
        n = (1 << m.K) + 1
        return [sat(int(math.floor(fn(-2.0 ** e + i * 2.0 ** (e + 1 - m.K)) * 2 ** m.Fg + 0.5)), w) for i in range(n)]

    m.tsig = table(lambda x: 1.0 / (1.0 + math.exp(-x)), m.esig)
    m.ttanh = table(math.tanh, m.etanh)
    return m


def act(p, t, e, m):
    lo = -(1 << (e + m.Fp))
    hi = (1 << (e + m.Fp)) - 1
    u = max(lo, min(hi, p)) - lo
    s = e + 1 + m.Fp - m.K
    idx = u >> s
    f = u & ((1 << s) - 1)
    return sat(t[idx] + rsh((t[idx + 1] - t[idx]) * f, s), m.w)


def gru_step(g, x, fx, h, m):
    H = g["h"]
    nx = g["nx"]
    A = g["A"]
    shx = A - g["fwi"] - fx
    shh = A - g["fwh"] - m.Fs
    shb = A - g["fb"]

    def dot(j, vec_h):
        acc = g["b"][j] << shb
        if nx:
            row = g["wih"][j * nx:(j + 1) * nx]
            acc += sum(a * b for a, b in zip(row, x)) << shx
        row = g["whh"][j * H:(j + 1) * H]
        acc += sum(a * b for a, b in zip(row, vec_h)) << shh
        return acc

    z = [act(req(dot(j, h), A, m.Fp, m.PW), m.tsig, m.esig, m) for j in range(H)]
    r = [act(req(dot(H + j, h), A, m.Fp, m.PW), m.tsig, m.esig, m) for j in range(H)]
    rh = [req(r[k] * h[k], m.Fg + m.Fs, m.Fs, m.w) for k in range(H)]
    n = [act(req(dot(2 * H + j, rh), A, m.Fp, m.PW), m.ttanh, m.etanh, m) for j in range(H)]
    out = []
    for k in range(H):
        u = ((z[k] * h[k]) << (m.Fg - m.Fs)) + ((1 << m.Fg) - z[k]) * n[k]
        v = rsh(u, 2 * m.Fg - m.Fs)
        v = max(-m.clip_q, min(m.clip_q, v))
        out.append(sat(v, m.w))
    return out


def linear_acc(l, x, fx):
    sh = l["A"] - l["fw"] - fx
    shb = l["A"] - l["fb"]
    cols = l["cols"]
    return [(l["b"][j] << shb) + (sum(a * b for a, b in zip(l["w"][j * cols:(j + 1) * cols], x)) << sh)
            for j in range(l["rows"])]


def run_trial(m, xs):
    (n_in, n_out, t_enc, t_rec, h_ic, h_ci, lag, h_con, co, ic, h_gen, fac) = m.dims
    W = m.w
    h = list(m.icf["h0"])
    for t in range(t_enc):
        h = gru_step(m.icf, xs[t], 0, h, m)
    hf = h
    h = list(m.icb["h0"])
    for t in range(t_enc - 1, -1, -1):
        h = gru_step(m.icb, xs[t], 0, h, m)
    hb = h
    icm = [req(a, m.iclin["A"], m.frac_ic, W) for a in linear_acc(m.iclin, hf + hb, m.Fs)]
    g = [req(a, m.g0["A"], m.Fs, W) for a in linear_acc(m.g0, icm, m.frac_ic)]
    if m.hc:
        cf, cb = [None] * t_enc, [None] * t_enc
        h = list(m.cif["h0"])
        for t in range(t_enc):
            h = gru_step(m.cif, xs[t], 0, h, m)
            cf[t] = h
        h = list(m.cib["h0"])
        for t in range(t_enc - 1, -1, -1):
            h = gru_step(m.cib, xs[t], 0, h, m)
            cb[t] = h
        c = list(m.con["h0"])
    accf = linear_acc(m.fac, g, m.Fs)
    fS = [req(a, m.fac["A"], m.Fs, W) for a in accf]
    out = []
    for t in range(t_rec):
        if m.hc:
            zero = [0] * h_ci
            if t < t_enc:
                ci = (cf[t - lag] if t >= lag else zero) + (cb[t + lag] if t + lag < t_enc else zero)
            else:
                ci = zero + zero
            c = gru_step(m.con, ci + fS, m.Fs, c, m)
            cov = [req(a, m.co["A"], m.frac_co, W) for a in linear_acc(m.co, c, m.Fs)]
            g = gru_step(m.gen, cov, m.frac_co, g, m)
        else:
            g = gru_step(m.gen, [], m.frac_co, g, m)
        accf = linear_acc(m.fac, g, m.Fs)
        f = [req(a, m.fac["A"], m.frac_fac, W) for a in accf]
        fS = [req(a, m.fac["A"], m.Fs, W) for a in accf]
        lr = [req(a, m.ro["A"], m.frac_lr, W) for a in linear_acc(m.ro, f, m.frac_fac)]
        out.extend(f + lr)
    return out


def write_image(m, path):
    (n_in, n_out, t_enc, t_rec, h_ic, h_ci, lag, h_con, co, ic, h_gen, fac) = m.dims
    empty = ([], 0, 0, 0)

    def gsecs(g, H, nx):
        if g is None:
            return [empty] * 4
        return [(g["h0"], 1, H, m.Fs), (g["wih"], 3 * H, nx, g["fwi"]), (g["whh"], 3 * H, H, g["fwh"]),
                (g["b"], 1, 3 * H, g["fb"])]

    secs = []
    secs += gsecs(m.icf, h_ic, n_in)
    secs += gsecs(m.icb, h_ic, n_in)
    secs += gsecs(m.cif if m.hc else None, h_ci, n_in)
    secs += gsecs(m.cib if m.hc else None, h_ci, n_in)
    secs += gsecs(m.con if m.hc else None, h_con, 2 * h_ci + fac)
    if m.hc:
        secs += [(m.co["w"], co, h_con, m.co["fw"]), (m.co["b"], 1, co, m.co["fb"])]
    else:
        secs += [empty, empty]
    secs += [(m.iclin["w"], ic, 2 * h_ic, m.iclin["fw"]), (m.iclin["b"], 1, ic, m.iclin["fb"])]
    secs += [(m.g0["w"], h_gen, ic, m.g0["fw"]), (m.g0["b"], 1, h_gen, m.g0["fb"])]
    secs += [(m.gen["wih"], 3 * h_gen, co, m.gen["fwi"]), (m.gen["whh"], 3 * h_gen, h_gen, m.gen["fwh"]),
             (m.gen["b"], 1, 3 * h_gen, m.gen["fb"])]
    secs += [(m.fac["w"], fac, h_gen, m.fac["fw"])]
    secs += [(m.ro["w"], n_out, fac, m.ro["fw"]), (m.ro["b"], 1, n_out, m.ro["fb"])]
    secs += [(m.tsig, 1, len(m.tsig), m.Fg), (m.ttanh, 1, len(m.ttanh), m.Fg)]
    assert len(secs) == C["LFADS_SECTION_COUNT"]
    payload = []
    table = []
    for data, rows, cols, frac in secs:
        while len(payload) % C["LFADS_IMAGE_SECTION_ALIGN_WORDS"]:
            payload.append(0)
        assert len(data) == rows * cols, (len(data), rows, cols)
        table.append((len(payload), rows, cols, frac))
        payload.extend(data)
    while len(payload) % C["LFADS_IMAGE_SECTION_ALIGN_WORDS"]:
        payload.append(0)
    pbytes = struct.pack("<%di" % len(payload), *payload)
    hdr = [0] * C["LFADS_IMAGE_HEADER_WORDS"]
    hdr[C["LFADS_H_MAGIC"]] = C["LFADS_IMAGE_MAGIC"]
    hdr[C["LFADS_H_VERSION"]] = C["LFADS_IMAGE_VERSION"]
    hdr[C["LFADS_H_HEADER_BYTES"]] = C["LFADS_IMAGE_HEADER_BYTES"]
    hdr[C["LFADS_H_PAYLOAD_WORDS"]] = len(payload)
    hdr[C["LFADS_H_PAYLOAD_CRC32"]] = zlib.crc32(pbytes) & 0xFFFFFFFF
    hdr[C["LFADS_H_DATA_WIDTH"]] = m.w
    hdr[C["LFADS_H_ACC_WIDTH"]] = 48
    hdr[C["LFADS_H_FLAGS"]] = 1 if m.hc else 0
    for i, v in enumerate(m.dims):
        hdr[C["LFADS_H_N_IN"] + i] = v
    hdr[C["LFADS_H_FRAC_STATE"]] = m.Fs
    hdr[C["LFADS_H_FRAC_GATE"]] = m.Fg
    hdr[C["LFADS_H_FRAC_PRE"]] = m.Fp
    hdr[C["LFADS_H_PRE_WIDTH"]] = m.PW
    hdr[C["LFADS_H_FRAC_IC"]] = m.frac_ic
    hdr[C["LFADS_H_FRAC_CO"]] = m.frac_co
    hdr[C["LFADS_H_FRAC_FAC"]] = m.frac_fac
    hdr[C["LFADS_H_FRAC_LOGRATE"]] = m.frac_lr
    hdr[C["LFADS_H_CLIP_Q"]] = m.clip_q
    hdr[C["LFADS_H_ACT_SEG_BITS"]] = m.K
    hdr[C["LFADS_H_SIGMOID_RANGE_EXP"]] = m.esig
    hdr[C["LFADS_H_TANH_RANGE_EXP"]] = m.etanh
    hdr[C["LFADS_H_LANES_HINT"]] = 0
    layers = [m.icf, m.icb, m.cif if m.hc else None, m.cib if m.hc else None, m.con if m.hc else None, m.gen,
              m.iclin, m.g0, m.co if m.hc else None, m.fac, m.ro]
    for i, l in enumerate(layers):
        hdr[C["LFADS_H_ACC_FRAC_BASE"] + i] = l["A"] if l else 0
    for i, (off, rows, cols, frac) in enumerate(table):
        base = C["LFADS_H_SECTION_TABLE"] + 4 * i
        hdr[base:base + 4] = [off, rows, cols, frac]
    with open(path, "wb") as f:
        f.write(struct.pack("<%dI" % len(hdr), *[v & 0xFFFFFFFF for v in hdr]))
        f.write(pbytes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", default="small")
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--trials", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--hot", action="store_true", help="large weights and spike counts: drive saturation")
    ap.add_argument("--no-expect", action="store_true", help="skip the (slow for big models) reference run")
    a = ap.parse_args()
    dims = PRESETS[a.dims] if a.dims in PRESETS else tuple(int(v) for v in a.dims.split(","))
    m = make_model(dims, a.width, a.seed, a.hot)
    os.makedirs(a.outdir, exist_ok=True)
    write_image(m, os.path.join(a.outdir, "model.img"))
    rng = np.random.default_rng(a.seed + 1000)
    n_in, t_enc = dims[0], dims[2]
    stride = (t_enc * n_in + 63) // 64 * 64
    buf = bytearray(stride * a.trials)
    trials = []
    for k in range(a.trials):
        lam = rng.uniform(0.2, 3.0 if not a.hot else 40.0)
        xs = np.minimum(rng.poisson(lam, size=(t_enc, n_in)), 255)
        if a.hot:
            xs[rng.random(size=xs.shape) < 0.05] = 255
        trials.append([[int(v) for v in row] for row in xs])
        buf[k * stride:k * stride + t_enc * n_in] = bytes(int(v) for v in xs.ravel())
    with open(os.path.join(a.outdir, "input.bin"), "wb") as f:
        f.write(buf)
    if not a.no_expect:
        t_rec, fac, n_out = dims[3], dims[11], dims[1]
        ostride = (t_rec * (fac + n_out) * 4 + 63) // 64 * 64
        ob = bytearray(ostride * a.trials)
        for k in range(a.trials):
            o = run_trial(m, trials[k])
            ob[k * ostride:k * ostride + 4 * len(o)] = struct.pack("<%di" % len(o), *o)
        with open(os.path.join(a.outdir, "expect.bin"), "wb") as f:
            f.write(ob)


if __name__ == "__main__":
    main()
