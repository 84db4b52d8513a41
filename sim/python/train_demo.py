#!/usr/bin/python3
"""Trains the bundled demo LFADS model on synthetic Lorenz data made by the Java `synth` command.

Usage (from the repository root, after `mvn -q -DskipTests package` built host/target/lfads-rt.jar):

    /usr/bin/python3 sim/python/train_demo.py            # 40 epochs, stops early at 10 min
    /usr/bin/python3 sim/python/train_demo.py --max-minutes 30   # exactly the committed model

Deterministic (seeded, one torch thread; two runs on the same machine gave identical weights): a run
that completes its 40 epochs reproduces the committed model (elsewhere up to floating-point
differences between CPUs' math kernels). On a busy machine the 10-minute default budget stops it early and
keeps the best epoch so far (a different, somewhat weaker model).

Steps:
 1. `java -jar host/target/lfads-rt.jar synth` writes the training recording (1000 trials) and the
    held-out recording (80 new trials of the same neurons: same --seed, another --trial-seed), so data
    conventions are the Java ones (spikes int32 (trials,T,N); rates = expected counts per bin).
 2. Trains lfads_torch_model.LFADS (lfads-torch architecture and key names, with a controller) by
    maximising the LFADS ELBO (Poisson likelihood, KL of IC and AR(1) controller priors with a warm-up
    ramp), with coordinated dropout and ordinary dropout. Model selection on a validation split by
    its Poisson likelihood only (ground-truth rates are never used for training or selection).
 3. Writes the model .npz (float64 arrays named by state_dict keys + `hparams.json`) and prints R^2
    of inferred (posterior-mean) rates vs ground-truth rates on the held-out recording: computed per
    neuron over all held-out trials x bins, then averaged over neurons (also the pooled figure).

Outputs (default directory sim/src/main/resources/org/lfadsrt/sim/models/):
    lorenz-demo.npz, lorenz-demo-heldout.npz
"""
import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lfads_torch_model import LFADS  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# The simulated neurons behind the demo model. Must equal BundledModels.DEMO_SYSTEM in Java.
SYNTH_ARGS = ["--neurons", "30", "--bins", "50", "--bin-ms", "10", "--min-rate", "5", "--max-rate", "100",
              "--lorenz-dt", "0.015", "--seed", "7"]
TRAIN_TRIALS, TRAIN_TRIAL_SEED = 1000, 7
HELDOUT_TRIALS, HELDOUT_TRIAL_SEED = 80, 1007

HPARAMS = dict(encod_data_dim=30, encod_seq_len=50, recon_seq_len=50, ext_input_dim=0,
               ic_enc_dim=32, ci_enc_dim=16, ci_lag=1, con_dim=16, co_dim=2, ic_dim=16,
               gen_dim=64, fac_dim=8, cell_clip=5.0)
HPARAM_KEYS = list(HPARAMS)


def synth(jar, out, trials, trial_seed):
    cmd = ["java", "-jar", jar, "synth", "--out", out, "--trials", str(trials),
           "--trial-seed", str(trial_seed)] + SYNTH_ARGS
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    d = np.load(out)
    return d["spikes"], d["rates"]


def r2_scores(pred, true):
    """R^2 per neuron over all trials x bins (then mean over neurons), and pooled over everything."""
    p = pred.reshape(-1, pred.shape[-1])
    t = true.reshape(-1, true.shape[-1])
    ss_res = ((t - p) ** 2).sum(axis=0)
    ss_tot = ((t - t.mean(axis=0)) ** 2).sum(axis=0)
    per_neuron = 1 - ss_res / ss_tot
    pooled = 1 - ((t - p) ** 2).sum() / ((t - t.mean()) ** 2).sum()
    return float(per_neuron.mean()), float(pooled)


def posterior_mean_rates(model, spikes):
    model64 = LFADS(model.hp).double()
    model64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    model64.eval()
    with torch.no_grad():
        out = model64(torch.as_tensor(spikes, dtype=torch.float64), sample_posteriors=False)
    return torch.exp(out["logrates"]).numpy()


def write_model_npz(path, model, hp):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for key, value in model.state_dict().items():
            arr = io.BytesIO()
            np.save(arr, value.detach().cpu().numpy().astype(np.float64))
            z.writestr(key + ".npy", arr.getvalue())
        z.writestr("hparams.json", json.dumps({k: hp[k] for k in HPARAM_KEYS}, indent=1))
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default=os.path.join(REPO, "host", "target", "lfads-rt.jar"))
    ap.add_argument("--out-dir", default=os.path.join(REPO, "sim", "src", "main", "resources", "org", "lfadsrt", "sim", "models"))
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--max-minutes", type=float, default=10.0, help="stop early (keeping the best model) after this")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--cd-rate", type=float, default=0.0, help="coordinated dropout rate (0 = off)")
    ap.add_argument("--dropout", type=float, default=0.05)
    # One thread: on a shared 2-core machine, 2 OpenMP threads were up to 4x slower (spin-waiting).
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    if not os.path.exists(args.jar):
        sys.exit(f"train_demo: {args.jar} not found; build it first: mvn -q -DskipTests package")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    t_start = time.time()

    with tempfile.TemporaryDirectory() as tmp:
        spikes, rates = synth(args.jar, os.path.join(tmp, "train.npz"), TRAIN_TRIALS, TRAIN_TRIAL_SEED)
    heldout_path = os.path.join(args.out_dir, "lorenz-demo-heldout.npz")
    ho_spikes, ho_rates = synth(args.jar, heldout_path, HELDOUT_TRIALS, HELDOUT_TRIAL_SEED)

    n_valid = TRAIN_TRIALS // 10
    x_train = torch.as_tensor(spikes[:-n_valid], dtype=torch.float32)
    x_valid = torch.as_tensor(spikes[-n_valid:], dtype=torch.float32)
    valid_rates = rates[-n_valid:]  # ground truth: only printed as a progress indicator, never used to select
    hp = dict(HPARAMS, readout_dim=spikes.shape[2])
    model = LFADS(hp, dropout=args.dropout)
    with torch.no_grad():
        model.readout[0].bias.copy_(torch.log(x_train.mean(dim=(0, 1)) + 1e-3))
        for cell in (model.decoder.rnn.cell.gen_cell, model.decoder.rnn.cell.con_cell):
            cell.bias_ih[: cell.hidden_size] = 1.0  # update-gate bias: start by remembering
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr)
    # lr decays geometrically from --lr to --lr/20 over --epochs
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=(1 / 20) ** (1 / args.epochs))
    ramp_epochs = max(1, args.epochs // 5)
    l2_scale = 0.05
    best = (float("inf"), None, -1)
    budget = args.max_minutes * 60 - (time.time() - t_start) - 20  # leave time to export
    t_train = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(x_train))
        ramp = min(1.0, (epoch + 1) / ramp_epochs)
        tot = 0.0
        for i in range(0, len(x_train), args.batch):
            x = x_train[perm[i:i + args.batch]]
            nll_of = lambda out: F.poisson_nll_loss(out["logrates"], x, log_input=True, full=True, reduction="none")
            if args.cd_rate > 0:
                # coordinated dropout: the likelihood only counts entries the encoders did not see
                keep = (torch.rand_like(x) >= args.cd_rate).float()
                out = model(x * keep / (1 - args.cd_rate), sample_posteriors=True)
                recon = (nll_of(out) * (1 - keep)).sum(dim=(1, 2)) / args.cd_rate
            else:
                out = model(x, sample_posteriors=True)
                recon = nll_of(out).sum(dim=(1, 2))
            kl_ic, kl_co = model.kl_terms(out)
            cell = model.decoder.rnn.cell
            l2 = (cell.gen_cell.weight_hh ** 2).sum() + (cell.con_cell.weight_hh ** 2).sum()
            loss = (recon + ramp * (kl_ic + kl_co)).mean() + ramp * l2_scale * l2
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 200.0)
            opt.step()
            tot += loss.item() * len(x)
        sched.step()
        model.eval()
        with torch.no_grad():
            out = model(x_valid, sample_posteriors=False)
            v_nll = F.poisson_nll_loss(out["logrates"], x_valid, log_input=True, full=True, reduction="sum").item() / len(x_valid)
        if ramp >= 1.0 and v_nll < best[0]:
            best = (v_nll, {k: v.clone() for k, v in model.state_dict().items()}, epoch)
        elapsed = time.time() - t_train
        v_r2 = r2_scores(torch.exp(out["logrates"]).numpy(), valid_rates)[0]
        print(f"epoch {epoch:3d}  train loss {tot / len(x_train):8.2f}  valid nll/trial {v_nll:8.2f}  "
              f"valid R^2 {v_r2:6.3f}  lr {sched.get_last_lr()[0]:.2e}  {elapsed:5.0f}s", flush=True)
        if elapsed * (epoch + 2) / (epoch + 1) > budget:
            print(f"time budget reached after epoch {epoch}", flush=True)
            break
    if best[1] is not None:
        model.load_state_dict(best[1])
        print(f"best validation epoch {best[2]} (nll/trial {best[0]:.2f})")

    pred = posterior_mean_rates(model, ho_spikes)
    r2_neuron, r2_pooled = r2_scores(pred, ho_rates)
    model_path = os.path.join(args.out_dir, "lorenz-demo.npz")
    write_model_npz(model_path, model, hp)
    print(f"held-out R^2 (inferred vs true rates): per-neuron mean {r2_neuron:.6f}, pooled {r2_pooled:.6f}")
    print(f"wrote {model_path} and {heldout_path}; total time {time.time() - t_start:.0f}s "
          f"on {args.threads} threads")


if __name__ == "__main__":
    main()
