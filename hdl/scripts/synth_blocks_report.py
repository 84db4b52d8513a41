#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Sums the Yosys `stat` cell counts of scripts/synth_blocks.sh into LUT / FF / DSP / BRAM totals and
percentages of an Alveo U55C (xcu55c: ~1,303,680 LUT, 2,607,360 FF, 9,024 DSP48E2, 2,016 BRAM36)."""
import re
import sys

U55C = {"LUT": 1303680, "FF": 2607360, "DSP": 9024, "BRAM36": 2016}


def stats(path, module):
    """Cell counts of `module` in a Yosys log: from the last `Printing statistics` section that lists it
    (synth_xilinx prints one, the script's `stat` another), its `design hierarchy` totals when it has
    submodules, else its own block. One log may hold several runs (periphery.log: three tops)."""
    sections = []
    name = None
    cur = None
    for line in open(path):
        line = re.sub(r"^\[\d+\.\d+\] ", "", line)  # `yosys -t` time stamps
        if "Printing statistics" in line:
            sections.append({})
            name = cur = None
            continue
        m = re.match(r"=== (.+) ===", line)
        if m and sections:
            name = m.group(1)
            cur = None
            continue
        if "Number of cells:" in line and name is not None:
            cur = {}
            sections[-1][name] = cur
            continue
        m = re.match(r"\s+(\S+)\s+(\d+)\s*$", line)
        if cur is not None and m:
            cur[m.group(1)] = cur.get(m.group(1), 0) + int(m.group(2))
        elif cur is not None and line.strip() == "" and cur:
            cur = None
    for sec in reversed(sections):
        if module in sec:
            return sec.get("design hierarchy", sec[module])
    raise SystemExit("%s: no statistics of %s (did its Yosys run finish?)" % (path, module))


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
    for name, log, module, mult in [
            ("MAC array", "mac_array", "lfads_mac_array", 1),
            ("post lanes (x%d)" % rows, "post_lane", "lfads_post_lane", rows),
            ("weight lanes (x%d)" % rows, "weight_lane", "lfads_weight_lane", rows),
            ("engine (sequencer, loader, vector store, CI history, spike lines)", "engine", "lfads_engine", 1),
            ("AXI writer", "periphery", "lfads_axi_writer", 1),
            ("control registers", "periphery", "lfads_ctrl_regs", 1),
            ("AXI reader", "periphery", "lfads_axi_reader", 1)]:
        parts.append((name, classify(stats("%s/%s.log" % (out, log), module)), mult))
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
