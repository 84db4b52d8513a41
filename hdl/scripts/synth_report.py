#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Sums the Yosys `stat` cell counts of scripts/synth.sh into LUT / FF / DSP / BRAM totals and
percentages of an Alveo U55C (xcu55c: ~1,303,680 LUT, 2,607,360 FF, 9,024 DSP48E2, 2,016 BRAM36)."""
import re
import sys

U55C = {"LUT": 1303680, "FF": 2607360, "DSP": 9024, "BRAM36": 2016}


def stats(path):
    """Cell counts of every `stat` block in a log (the last 'Number of cells' section per top)."""
    blocks = []
    cur = None
    for line in open(path):
        if "Number of cells:" in line:
            cur = {}
            blocks.append(cur)
            continue
        m = re.match(r"\s+(\S+)\s+(\d+)\s*$", line)
        if cur is not None and m:
            cur[m.group(1)] = cur.get(m.group(1), 0) + int(m.group(2))
        elif cur is not None and line.strip() == "":
            cur = None if cur else cur
    return blocks


def classify(cells):
    r = {"LUT": 0, "FF": 0, "DSP": 0, "BRAM36": 0.0, "LUTRAM": 0}
    for name, n in cells.items():
        if re.match(r"LUT\d$", name):
            r["LUT"] += n
        elif re.match(r"FD[RSCP]E", name):
            r["FF"] += n
        elif name.startswith("DSP48"):
            r["DSP"] += n
        elif name == "RAMB36E2":
            r["BRAM36"] += n
        elif name == "RAMB18E2":
            r["BRAM36"] += n / 2
        elif re.match(r"RAM(32|64|128|256)[MX]", name) or name.startswith("RAM32M") or name.startswith("RAM64M"):
            r["LUTRAM"] += n * 4 if name.endswith("M") or "M16" in name else n
        elif name.startswith("SRL"):
            r["LUTRAM"] += n
    r["LUT"] += r["LUTRAM"]
    return r


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    parts = []
    for name, log, mult in [("MAC array", "mac_array", 1), ("post lanes (x%d)" % rows, "post_lane", rows),
                            ("weight lanes (x%d)" % rows, "weight_lane", rows),
                            ("engine (memories, sequencer, vector store)", "engine", 1)]:
        b = stats("%s/%s.log" % (out, log))
        parts.append((name, classify(b[-1]), mult))
    per = stats("%s/periphery.log" % out)
    for name, blk in zip(["AXI writer", "control registers", "AXI reader"], per[-3:]):
        parts.append((name, classify(blk), 1))
    print("Yosys 0.23 synth_xilinx -family xcup, default configuration (W=16, %d x %d MAC lanes)" % (rows, 32))
    print()
    print("| block | LUT | FF | DSP | BRAM36 |")
    print("|---|---:|---:|---:|---:|")
    tot = {"LUT": 0, "FF": 0, "DSP": 0, "BRAM36": 0.0}
    for name, r, mult in parts:
        print("| %s | %d | %d | %d | %.1f |" % (name, r["LUT"] * mult, r["FF"] * mult, r["DSP"] * mult, r["BRAM36"] * mult))
        for k in tot:
            tot[k] += r[k] * mult
    print("| **total** | **%d** | **%d** | **%d** | **%.1f** |" % (tot["LUT"], tot["FF"], tot["DSP"], tot["BRAM36"]))
    print("| U55C share | %.1f %% | %.1f %% | %.1f %% | %.1f %% |" % tuple(100.0 * tot[k] / U55C[k] for k in ["LUT", "FF", "DSP", "BRAM36"]))
    ok = all(tot[k] < 0.5 * U55C[k] for k in U55C)
    print()
    print("every resource under 50 %% of the U55C: %s" % ("yes" if ok else "NO"))


if __name__ == "__main__":
    main()
