#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Open timing estimate of the RTL modules: Yosys 0.23 `synth_xilinx -family xcup -flatten` of each module
(parameters from budget.txt), `write_json`, then sta.py over the netlist; a markdown summary, and the
budget check.

    run.py [--rtl DIR] [--out DIR] [--budget FILE] [--ci] [--check] [--jobs N] [MODULE ...]

--ci      only the modules budget.txt marks `ci yes` (what `make test` runs)
--check   exit 1 when a module in `enforce` mode is over its budget (report-mode modules: printed only)
Outputs under --out (default build/timing): <module>/{synth.ys,yosys.log,netlist.json,sta.json,sta.txt},
report.md (summary table + per-module detail), summary.json.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import delay_model as M  # noqa: E402
import sta  # noqa: E402


def read_budget(path):
    """{module: dict(budget, mode, ci, params, comment)} in file order; rejects budgets above 2.8 ns."""
    out = {}
    comment = []
    with open(path) as f:
        lines = f.readlines()
    for ln, line in enumerate(lines, 1):
        s = line.strip()
        if not s:
            comment = []
            continue
        if s.startswith("#"):
            comment.append(s.lstrip("# "))
            continue
        f = s.split()
        if len(f) < 4 or f[2] not in ("enforce", "report") or f[3] not in ("yes", "no"):
            raise SystemExit("%s:%d: expected `module budget_ns enforce|report yes|no [P=V ...]`, got: %s"
                             % (path, ln, s))
        budget = float(f[1])
        if budget > M.BUDGET_NS + 1e-9:
            raise SystemExit("%s:%d: budget %.3f ns for %s is above the issue-13 budget of %.1f ns "
                             "(tighten budgets, never loosen them)" % (path, ln, budget, f[0], M.BUDGET_NS))
        params = []
        for kv in f[4:]:
            if "=" not in kv:
                raise SystemExit("%s:%d: parameter %r is not PARAM=VALUE" % (path, ln, kv))
            params.append(tuple(kv.split("=", 1)))
        out[f[0]] = dict(budget=budget, mode=f[2], ci=f[3] == "yes", params=params, comment=" ".join(comment))
        comment = []
    return out


def rtl_modules(rtl):
    return sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(rtl, "*.v")))


def synth_script(rtl, module, params, json_path):
    chp = "".join(" -chparam %s %s" % kv for kv in params)
    return "\n".join([
        "read_verilog -I%s %s" % (rtl, os.path.join(rtl, module + ".v")),
        "hierarchy -check -top %s -libdir %s%s" % (module, rtl, chp),
        "synth_xilinx -family xcup -noiopad -noclkbuf -flatten -top %s" % module,
        "tee -q -o %s stat" % os.path.join(os.path.dirname(json_path), "stat.txt"),
        "write_json %s" % json_path,
        ""])


def run_module(rtl, out, module, cfg, yosys):
    d = os.path.join(out, module)
    os.makedirs(d, exist_ok=True)
    js = os.path.join(d, "netlist.json")
    ys = os.path.join(d, "synth.ys")
    with open(ys, "w") as f:
        f.write(synth_script(rtl, module, cfg["params"], js))
    t0 = time.time()
    with open(os.path.join(d, "yosys.log"), "w") as log:
        p = subprocess.Popen(["nice", yosys, "-q", "-l", os.path.join(d, "yosys.log.full"), "-s", ys],
                             stdout=log, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)  # this child's own CPU time (others run in parallel)
        p.returncode = rc = os.waitstatus_to_exitcode(status)
    t_syn = time.time() - t0
    cpu = ru.ru_utime + ru.ru_stime
    if rc != 0:
        tail = open(os.path.join(d, "yosys.log")).read()[-2000:]
        return dict(module=module, error="yosys failed (rc %d): %s" % (rc, tail), synth_s=round(t_syn, 1),
                    synth_cpu_s=round(cpu, 1))
    t0 = time.time()
    r = sta.analyse_file(js, module)
    r["sta_s"] = round(time.time() - t0, 1)
    r["synth_s"] = round(t_syn, 1)
    r["synth_cpu_s"] = round(cpu, 1)
    r["module"] = module
    with open(os.path.join(d, "sta.json"), "w") as f:
        json.dump(r, f, indent=1)
    with open(os.path.join(d, "sta.txt"), "w") as f:
        f.write(sta.format_text(r) + "\n")
    return r


def fmt_params(p):
    return " ".join("%s=%s" % kv for kv in p) or "defaults"


def report(results, budgets, out, cmd):
    lines = ["# Open timing estimate (Yosys 0.23 synth_xilinx -family xcup + scripts/timing/sta.py)", "",
             "Command: `%s`. Delay model: `scripts/timing/delay_model.py` (UltraScale+ -2, figures from "
             "DS923 / fpga-platform.md, ranges' slow ends; routing 0.30-0.60 ns per net by fanout). "
             "Register-to-register paths; budget %.1f ns (issue 13)." % (cmd, M.BUDGET_NS), "",
             "| module | parameters | worst ns | LUT levels | est. Fmax MHz | budget | mode | status | "
             "in->reg / reg->out ns | synth CPU s |", "|---|---|---:|---:|---:|---:|---|---|---:|---:|"]
    for r in results:
        m = r["module"]
        b = budgets.get(m, dict(budget=M.BUDGET_NS, mode="report", params=[]))
        if "error" in r:
            lines.append("| %s | %s | - | - | - | %.1f | %s | synthesis failed | - | %s |" %
                         (m, fmt_params(b["params"]), b["budget"], b["mode"], r.get("synth_cpu_s")))
            continue
        ok = r["worst_ns"] <= b["budget"]
        status = "ok" if ok else ("OVER" if b["mode"] == "enforce" else "over (report only)")
        if not r.get("worst_path"):
            status += ", no register-to-register path"
        ports = "%s / %s" % (r.get("input_to_any_ns", "-"), r.get("reg_to_output_ns", "-"))
        lines.append("| %s | %s | %.2f | %d | %s | %.1f | %s | %s | %s | %s |" %
                     (m, fmt_params(b["params"]), r["worst_ns"], r["lut_levels"], r["fmax_mhz"] or "-",
                      b["budget"], b["mode"] + ("" if m in budgets else " (not in budget.txt)"), status, ports,
                      r.get("synth_cpu_s", "-")))
    lines.append("")
    for r in results:
        lines.append("## %s" % r["module"])
        lines.append("")
        if "error" in r:
            lines.append("```\n%s\n```" % r["error"])
            continue
        lines.append("```")
        lines.append(sta.format_text(r))
        lines.append("```")
        lines.append("")
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump([{k: r.get(k) for k in ("module", "worst_ns", "lut_levels", "fmax_mhz", "worst_endpoint",
                                           "synth_s", "synth_cpu_s", "sta_s", "error")} for r in results], f, indent=1)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("modules", nargs="*")
    ap.add_argument("--rtl", default="rtl")
    ap.add_argument("--out", default="build/timing")
    ap.add_argument("--budget", default=os.path.join(HERE, "budget.txt"))
    ap.add_argument("--ci", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--report-only", action="store_true",
                    help="no synthesis: rebuild report.md from the <module>/sta.json already under --out")
    a = ap.parse_args(argv)
    budgets = read_budget(a.budget)
    present = rtl_modules(a.rtl)
    for m in budgets:
        if m not in present:
            raise SystemExit("%s lists %s, which is not in %s/" % (a.budget, m, a.rtl))
    if a.modules:
        mods = a.modules
    elif a.ci:
        mods = [m for m in budgets if budgets[m]["ci"]]
    else:
        mods = [m for m in budgets] + [m for m in present if m not in budgets]
    unlisted = [m for m in mods if m not in budgets]
    for m in unlisted:
        print("[timing] note: %s is not in %s: default parameters, report only" % (m, a.budget))
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    if a.report_only:
        results = []
        for m in mods:
            p = os.path.join(a.out, m, "sta.json")
            if os.path.exists(p):
                with open(p) as f:
                    results.append(json.load(f))
            else:
                print("[timing] %s: no %s (not run)" % (m, p))
        report(results, budgets, a.out, "make -C hdl timing")
        print("[timing] report of %d modules: %s" % (len(results), os.path.join(a.out, "report.md")))
        return 0

    def one(m):
        cfg = budgets.get(m, dict(budget=M.BUDGET_NS, mode="report", ci=False, params=[]))
        print("[timing] %s (%s)" % (m, fmt_params(cfg["params"])), flush=True)
        r = run_module(a.rtl, a.out, m, cfg, a.yosys)
        if "error" in r:
            print("[timing] %s: %s" % (m, r["error"]), flush=True)
        else:
            print("[timing] %s: worst %.3f ns, %d LUT levels, Fmax %s MHz (synth %.0f s wall, %.0f s CPU; sta %.1f s)"
                  % (m, r["worst_ns"], r["lut_levels"], r["fmax_mhz"], r["synth_s"], r["synth_cpu_s"], r["sta_s"]),
                  flush=True)
        return r

    # the whole designs (minutes of synthesis each) start first, the modules (seconds each) fill the other jobs
    whole = ("lfads_kernel", "lfads_engine")
    order = [m for m in mods if m in whole] + [m for m in mods if m not in whole]
    with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        by_module = dict(zip(order, ex.map(one, order)))
    results = [by_module[m] for m in mods]
    cmd = "make -C hdl timing" if not a.ci else "make -C hdl timing-check"
    report(results, budgets, a.out, cmd)
    print("[timing] %d modules in %.0f s; report: %s" % (len(results), time.time() - t0,
                                                         os.path.join(a.out, "report.md")))
    failed = [r["module"] for r in results if "error" in r]
    over = [r for r in results if "error" not in r and r["module"] in budgets
            and budgets[r["module"]]["mode"] == "enforce" and r["worst_ns"] > budgets[r["module"]]["budget"]]
    for r in results:
        if "error" not in r and r["worst_ns"] > budgets.get(r["module"], {"budget": M.BUDGET_NS})["budget"]:
            mode = budgets.get(r["module"], {"mode": "report"})["mode"]
            print("[timing] %s %s: %.3f ns > %.1f ns (endpoint %s)" %
                  ("FAIL" if mode == "enforce" else "over budget (report only)", r["module"], r["worst_ns"],
                   budgets.get(r["module"], {"budget": M.BUDGET_NS})["budget"], r.get("worst_endpoint")))
    if failed:
        print("[timing] synthesis failed: %s" % ", ".join(failed))
        return 1
    if a.check and over:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
