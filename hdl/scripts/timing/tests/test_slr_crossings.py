#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""slr_crossings.py on hand-made netlists: a far lane input driven by a flip-flop passes, by a LUT (or an SRL) of the
near side fails, by a LUT of the far group's own load copy passes; near lanes are not looked at.

Run: /usr/bin/python3 -m unittest discover -s hdl/scripts/timing/tests"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import slr_crossings as X  # noqa: E402


def cell(typ, ins, outs):
    conns = dict(ins, **outs)
    dirs = dict([(p, "input") for p in ins] + [(p, "output") for p in outs])
    return {"type": typ, "connections": conns, "port_directions": dirs}


def netlist(cells, netnames):
    return {"modules": {"lfads_engine": {"cells": cells, "netnames": {k: {"bits": v} for k, v in netnames.items()}}}}


class SlrCrossings(unittest.TestCase):
    PORTS = {"post": ["in_valid", "in_mode"]}

    def test_flip_flop_drivers_pass(self):
        n = netlist({"ff1": cell("FDRE", {"D": [10]}, {"Q": [2]}), "ff2": cell("FDSE", {"D": [11]}, {"Q": [3, 4]})},
                    {"mac_valid_far": [2], "g_lane[1].post.in_valid": [2], "g_lane[1].post.in_mode": [3, 4],
                     "g_lane[0].post.in_valid": [5]})
        out, bad = X.check(n, self.PORTS, 2)
        self.assertEqual(bad, 0)
        self.assertEqual([k for k, _, _ in out], ["g_lane[1].post.in_valid", "g_lane[1].post.in_mode"])
        self.assertEqual(out[1][1], {"FDSE": 2})

    def test_near_lut_and_srl_fail(self):
        n = netlist({"lut": cell("LUT3", {"I0": [10]}, {"O": [2]}), "srl": cell("SRL16E", {"D": [11]}, {"Q": [3]}),
                     "ff": cell("FDRE", {"D": [12]}, {"Q": [4]})},
                    {"sel": [2], "g_lane[1].post.in_valid": [2], "g_lane[1].post.in_mode": [3, 4],
                     "g_lane[0].post.in_valid": [7]})
        out, bad = X.check(n, self.PORTS, 2)
        self.assertEqual(bad, 2)
        self.assertEqual(out[0][1], {"NOT-FF LUT3": 1})
        self.assertEqual(out[1][1], {"NOT-FF SRL16E": 1, "FDRE": 1})

    def test_far_group_logic_passes(self):
        # a LUT whose output is named in the far group's own copy (g_slr_load.g_rx[1]) or another far lane
        n = netlist({"lut": cell("LUT2", {"I0": [10]}, {"O": [2]}), "lut2": cell("LUT2", {"I0": [10]}, {"O": [3]})},
                    {"g_slr_load.g_rx[1].q": [2], "g_lane[2].post.in_valid": [2],
                     "g_lane[3].post.out_value": [3], "g_lane[2].post.in_mode": [3]})
        out, bad = X.check(n, self.PORTS, 4)
        self.assertEqual(bad, 0)
        self.assertEqual(dict((k, v) for k, v, _ in out),
                         {"g_lane[2].post.in_valid": {"LUT2 (far)": 1}, "g_lane[2].post.in_mode": {"LUT2 (far)": 1}})
        # the same LUT named only by the near group's copy is a near driver
        n["modules"]["lfads_engine"]["netnames"] = {"g_slr_load.g_rx[0].q": {"bits": [2]},
                                                   "g_lane[2].post.in_valid": {"bits": [2]}}
        self.assertEqual(X.check(n, self.PORTS, 4)[1], 1)

    def test_ports_from_rtl(self):
        rtl = os.path.join(HERE, "..", "..", "..", "rtl")
        ports = X.input_ports(rtl, "lfads_post_lane")
        self.assertIn("in_acc", ports)
        self.assertIn("cfg_clip_q", ports)
        self.assertNotIn("clk", ports)
        self.assertNotIn("out_value", ports)


if __name__ == "__main__":
    unittest.main()
