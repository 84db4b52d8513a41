#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""SLR crossings of a flattened lfads_engine netlist (Yosys write_json, e.g. run.py's lfads_engine/netlist.json):
for every far row lane (g_lane[i], i >= ROWS/2: the lanes vivado/slr_pblocks.tcl puts in SLR1) and each of its
module instances (mem, pring, post), the driver of every input-port bit. A crossing is flip-flop to flip-flop when the
driver is a flip-flop (or a constant, or a cell of the far group itself: another far lane, a far MAC row, the far
group's load copy g_slr_load.g_rx[1]); anything else (a LUT, an SRL, a LUTRAM read) is listed as NOT-FF, and the exit
status is 1.

    slr_crossings.py NETLIST RTL_DIR ROWS

(The receiving side, the far lanes' own input registers, is each lane module's business: its inputs go to registers
first, as its header says.) Hand-checked by tests/test_slr_crossings.py; hdl/README.md "Crossing registers" quotes a
run on the whole engine.
"""
import collections
import json
import re
import sys

FF = ("FDRE", "FDSE", "FDCE", "FDPE")
INSTANCES = (("mem", "lfads_weight_lane"), ("pring", "lfads_proj_lane"), ("post", "lfads_post_lane"))


def input_ports(rtl_dir, module):
    with open("%s/%s.v" % (rtl_dir, module)) as f:
        src = f.read()
    return [p for p in re.findall(r"^\s*input\s+wire\s*(?:signed\s*)?(?:\[[^]]*\]\s*)?(\w+)", src, re.M) if p != "clk"]


def is_far(name, rows):
    m = re.match(r"g_lane\[(\d+)\]\.", name) or re.match(r"mac\.g_row\[(\d+)\]\.", name)
    return bool(m and int(m.group(1)) >= rows // 2) or name.startswith("g_slr_load.g_rx[1].")


def check(netlist, ports, rows, top="lfads_engine"):
    """[(net, {driver kind: bits}, [driver names])], number of NOT-FF bits; ports: {instance: [input port]}"""
    m = netlist["modules"][top]
    driver = {}
    for cn, c in m["cells"].items():
        for p, d in c.get("port_directions", {}).items():
            if d == "output":
                for b in c["connections"][p]:
                    driver[b] = (c["type"], cn)
    names = collections.defaultdict(list)
    for nn, n in m["netnames"].items():
        for k, b in enumerate(n["bits"]):
            names[b].append(nn)
    rows_out, bad = [], 0
    for i in range(rows // 2, rows):
        for inst, plist in ports.items():
            for p in plist:
                key = "g_lane[%d].%s.%s" % (i, inst, p)
                if key not in m["netnames"]:
                    continue                    # (optimised away: nothing reads it)
                kinds, srcs = collections.Counter(), set()
                for b in m["netnames"][key]["bits"]:
                    if isinstance(b, str):
                        kinds["const"] += 1
                        continue
                    t, cn = driver.get(b, ("input port", ""))
                    own = "g_lane[%d].%s." % (i, inst)
                    others = sorted((n for n in names[b] if not n.startswith(own)), key=len) or [cn]
                    far = any(is_far(n, rows) and not n.startswith(own) for n in names[b])
                    srcs.add(others[0])
                    if t in FF:
                        kinds[t] += 1
                    elif far:
                        kinds[t + " (far)"] += 1
                    else:
                        kinds["NOT-FF " + t] += 1
                        bad += 1
                rows_out.append((key, dict(kinds), sorted(srcs)))
    return rows_out, bad


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    with open(argv[1]) as f:
        netlist = json.load(f)
    ports = {inst: input_ports(argv[2], mod) for inst, mod in INSTANCES}
    out, bad = check(netlist, ports, int(argv[3]))
    for key, kinds, srcs in out:
        print("%-32s %-28s <- %s" % (key, ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
                                      ", ".join(srcs)[:100]))
    print("far-lane input bits driven by something other than a flip-flop outside the far group: %d" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
