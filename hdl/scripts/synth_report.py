#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Resource table of a flat Yosys `synth_xilinx -family xcup` run (scripts/synth.sh) against the Alveo U55C.

    synth_report.py STAT.txt TOP "PARAMS" SECONDS MAXRSS_KB

U55C (xcu55c, /work/shared/reference/fpga-platform.md, third-party figures): ~1,303,680 LUT, 2,607,360 FF,
9,024 DSP48E2, 2,016 BRAM36, 960 URAM288. LUTRAM and SRL cells count as LUTs (a RAM64M8 is 8 LUTs,
a RAM32M16 8, RAM64M / RAM32M 4, RAM*X1D 2 (4 for 128, 8 for 256 deep), RAM*X1S 1 (2, 4, 8)).
"""
import re
import sys

U55C = {"LUT": 1303680, "FF": 2607360, "DSP": 9024, "BRAM36": 2016, "URAM": 960}
LUTRAM_LUTS = {"RAM64M8": 8, "RAM32M16": 8, "RAM64M": 4, "RAM32M": 4, "RAM32X1D": 2, "RAM64X1D": 2,
               "RAM128X1D": 4, "RAM256X1D": 8, "RAM32X1S": 1, "RAM64X1S": 1, "RAM128X1S": 2, "RAM256X1S": 4,
               "RAM512X1S": 8, "SRL16E": 1, "SRLC16E": 1, "SRLC32E": 1}


def cells(path, top):
    """Cell counts of `top` from the last statistics block in a `stat` output."""
    blocks = {}
    name = None
    cur = None
    for line in open(path):
        m = re.match(r"=== (.+) ===", line.strip())
        if m:
            name = m.group(1)
            cur = None
            continue
        if "Number of cells:" in line and name is not None:
            cur = {}
            blocks[name] = cur
            continue
        m = re.match(r"\s+(\S+)\s+(\d+)\s*$", line)
        if cur is not None and m:
            cur[m.group(1)] = int(m.group(2))
        elif cur is not None and line.strip() == "" and cur:
            cur = None
    if top not in blocks:
        raise SystemExit("%s: no statistics of %s" % (path, top))
    return blocks[top]


def classify(c):
    r = {"LUT": 0, "LUTRAM": 0, "FF": 0, "DSP": 0, "BRAM36": 0.0, "URAM": 0}
    for n, k in c.items():
        if re.match(r"LUT[1-6]$", n):
            r["LUT"] += k
        elif n in LUTRAM_LUTS:
            r["LUTRAM"] += k * LUTRAM_LUTS[n]
        elif re.match(r"FD[RSCP]E$", n):
            r["FF"] += k
        elif n.startswith("DSP48"):
            r["DSP"] += k
        elif n == "RAMB36E2":
            r["BRAM36"] += k
        elif n == "RAMB18E2":
            r["BRAM36"] += k / 2
        elif n.startswith("URAM"):
            r["URAM"] += k
    r["LUT"] += r["LUTRAM"]
    return r


def main():
    stat, top, params, secs, rss = sys.argv[1:6]
    r = classify(cells(stat, top))
    mode = "hierarchy kept (stat -top: every instance counted)" if top == "design hierarchy" else "-flatten"
    print("Yosys 0.23 synth_xilinx -family xcup %s, ONE run of %s (%s)" % (mode, top, params.strip() or "defaults"))
    print("synthesis: %s s wall, %.1f GB peak RSS" % (secs, int(rss or 0) / 1e6))
    print()
    print("| resource | used | U55C | share |")
    print("|---|---:|---:|---:|")
    for k, label in [("LUT", "LUT (incl. %d as LUTRAM/SRL)" % r["LUTRAM"]), ("FF", "FF"), ("DSP", "DSP48E2"),
                     ("BRAM36", "BRAM36 (RAMB18 = 1/2)"), ("URAM", "URAM288")]:
        v = r[k]
        print("| %s | %s | %d | %.1f %% |" % (label, ("%.1f" % v) if k == "BRAM36" else "%d" % v, U55C[k],
                                               100.0 * v / U55C[k]))
    ok = all(r[k] <= 0.5 * U55C[k] for k in U55C)
    print()
    print("every resource at most 50 %% of the U55C: %s" % ("yes" if ok else "NO"))


if __name__ == "__main__":
    main()
