#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Tests of the open timing estimate (sta.py + delay_model.py) on small circuits with hand-computed answers.

Each circuit of fixtures.v is synthesised by Yosys (synth_xilinx -family xcup -flatten, as run.py does) and
timed; the expected figures below are worked out by hand from the published model (delay_model.py):

    FF clock-to-Q 0.10, FF setup 0.05, LUT 0.17, route 0.30 (fanout <= 4; +0.05 per doubling, <= 0.60),
    CARRY4 S->CO 0.20, CI->CO 0.015, MUXF 0.08, DSP48E2 A->P 1.50 / AREG->MREG 1.29 / AREG->PREG 1.838,
    RAMB clock-to-out 0.90 / 0.33 (output register), LUTRAM read = one LUT, LUTRAM/SRL clock-to-out 0.90.

They are written as numbers, not as expressions of the model's constants, so a change to the model shows
up here and has to be re-derived by hand.

Run: /usr/bin/python3 -m unittest discover -s hdl/scripts/timing/tests   (or make -C hdl timing-selftest)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import delay_model as M  # noqa: E402
import run  # noqa: E402
import sta  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures.v")
DESIGNS = ["fx_add64", "fx_mul_amp", "fx_mul_ap", "fx_mul_none", "fx_bram", "fx_bram_reg", "fx_lutram", "fx_srl",
           "fx_muxf"] + ["fx_lut_chain:N=%d" % n for n in range(1, 9)] + ["fx_dsp_inst:REGS=0", "fx_dsp_inst:REGS=1"]
FIXTURES_MUL_ADD = os.path.join(HERE, "fixtures_mul_add.v")
DESIGNS_MUL_ADD = ["fx_mul_add:W=48", "fx_mul_add:W=50", "fx_mul_add_logic"]


def _key(d):
    return d.replace(":", "_").replace("=", "")


class Synthesised(unittest.TestCase):
    """All fixtures in one Yosys process (its start-up and cell library dominate a tiny design's time)."""

    @classmethod
    def setUpClass(cls):
        if shutil.which("yosys") is None:  # a failure, not a skip: make test must not pass without it
            raise RuntimeError("yosys not found on PATH (scripts/setup.sh installs it)")
        cls.tmp = tempfile.mkdtemp(prefix="sta-test-")
        script = []
        for d in DESIGNS + DESIGNS_MUL_ADD:
            top, _, par = d.partition(":")
            chp = ""
            if par:
                k, v = par.split("=")
                chp = " -chparam %s %s" % (k, v)
            script += ["design -reset", "read_verilog %s" % (FIXTURES_MUL_ADD if d in DESIGNS_MUL_ADD else FIXTURES), "hierarchy -top %s%s" % (top, chp),
                       "synth_xilinx -family xcup -noiopad -noclkbuf -flatten -top %s" % top,
                       "write_json %s" % os.path.join(cls.tmp, _key(d) + ".json")]
        ys = os.path.join(cls.tmp, "all.ys")
        with open(ys, "w") as f:
            f.write("\n".join(script) + "\n")
        subprocess.run(["yosys", "-q", "-l", os.path.join(cls.tmp, "yosys.log"), "-s", ys], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.res = {}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def result(self, d):
        if d not in self.res:
            top = d.partition(":")[0]
            self.res[d] = sta.analyse_file(os.path.join(self.tmp, _key(d) + ".json"), top)
        return self.res[d]

    def check(self, d, ns, luts):
        r = self.result(d)
        self.assertAlmostEqual(r["worst_ns"], ns, places=3, msg="%s worst path:\n%s" % (d, sta.format_text(r)))
        self.assertEqual(r["lut_levels"], luts, msg="%s LUT levels:\n%s" % (d, sta.format_text(r)))
        self.assertEqual(r["warnings"], [])
        return r

    def test_lut_chain_1_to_8(self):
        # 0.10 + N * (0.30 route + 0.17 LUT) + 0.30 route + 0.05 setup = 0.45 + 0.47 N
        expect = {1: 0.92, 2: 1.39, 3: 1.86, 4: 2.33, 5: 2.80, 6: 3.27, 7: 3.74, 8: 4.21}
        for n, ns in expect.items():
            with self.subTest(n=n):
                r = self.check("fx_lut_chain:N=%d" % n, ns, n)
                self.assertEqual(r["path_primitives"], {"LUT1": n})
        # the 2.8 ns budget admits exactly 5 LUT levels between flip-flops
        self.assertLessEqual(self.result("fx_lut_chain:N=5")["worst_ns"], M.BUDGET_NS)
        self.assertGreater(self.result("fx_lut_chain:N=6")["worst_ns"], M.BUDGET_NS)

    def test_adder_64_bit_carry_chain(self):
        # FF 0.10 + route 0.30 + LUT2 0.17 + (LUT->S dedicated) S->CO 0.20 + 14 x CI->CO 0.015
        # + CI->O 0.015 + route 0.30 + setup 0.05 = 1.345
        r = self.check("fx_add64", 1.345, 1)
        self.assertEqual(r["path_primitives"], {"CARRY4": 16, "LUT2": 1})

    def test_multiplier_fully_registered(self):
        # A/B, M and P flip-flops absorbed: the limiting stage is AREG -> MREG, 0.169 + 0.952 + 0.169
        r = self.check("fx_mul_amp", 1.290, 0)
        self.assertEqual(r["dsp_registers"], {"A:absorbed B:absorbed M:absorbed P:absorbed": 1})
        self.assertAlmostEqual(1000.0 / r["worst_ns"], 775.0, places=0)  # DS923 FMAX, all registers

    def test_multiplier_without_mreg(self):
        # AREG -> PREG: 0.169 + 0.952 + 0.548 + 0.169 = 1.838 (DS923 FMAX_MULT_NOMREG 544 MHz)
        r = self.check("fx_mul_ap", 1.838, 0)
        self.assertEqual(r["dsp_registers"], {"A:absorbed B:absorbed M:none P:absorbed": 1})
        self.assertAlmostEqual(r["fmax_mhz"], 544.0, places=0)

    def test_multiply_add_48_bits_is_the_alu(self):
        # UG901 multiply-add: the product's rank MREG, the addend's CREG, the sum's PREG
        r = self.result("fx_mul_add:W=48")
        self.assertEqual(r["dsp_registers"], {"A:absorbed B:absorbed M:absorbed P:absorbed": 1}, sta.format_text(r))
        self.assertEqual(r["dsp_post_adds"], 1)

    def test_multiply_add_50_bits_stays_in_fabric(self):
        r = self.result("fx_mul_add:W=50")
        self.assertEqual(r["dsp_registers"], {"A:absorbed B:absorbed M:none P:absorbed": 1}, sta.format_text(r))
        self.assertEqual(r["dsp_post_adds"], 0)

    def test_multiply_add_with_logic_after_it_stays_in_fabric(self):
        r = self.result("fx_mul_add_logic")
        self.assertEqual(r["dsp_registers"], {"A:absorbed B:absorbed M:none P:absorbed": 1}, sta.format_text(r))
        self.assertEqual(r["dsp_post_adds"], 0)

    def test_multiplier_without_registers(self):
        # FF 0.10 + route 0.30 + LUT 0.17 + route 0.30 + A->P 1.50 + route 0.30 + LUT 0.17 + route 0.30
        # + setup 0.05 = 3.19
        r = self.check("fx_mul_none", 3.19, 2)
        self.assertEqual(r["dsp_registers"], {"A:none B:none M:none P:none": 1})

    def test_instantiated_dsp_honours_register_parameters(self):
        # REGS=1: the DSP's own registers; worst stage AREG -> MREG 1.29
        r = self.check("fx_dsp_inst:REGS=1", 1.290, 0)
        self.assertEqual(r["dsp_registers"], {"A:param B:param M:param P:param": 1})
        # REGS=0: LUT -> A -> P -> LUT, as fx_mul_none: 3.19 (B is driven by a flip-flop directly and counts
        # as absorbed; the A side, through a LUT, is the worst path)
        self.check("fx_dsp_inst:REGS=0", 3.19, 2)

    def test_bram_read_without_output_register(self):
        # RAMB clock-to-out 0.90 + route 0.30 + LUT 0.17 + route 0.30 + setup 0.05 = 1.72
        r = self.check("fx_bram", 1.72, 1)
        self.assertEqual(r["worst_path"][0]["type"], "RAMB36E2")
        self.assertEqual(r["brams_with_absorbed_output_register"], 0)
        self.assertEqual(r["brams_without_output_register"], {"mem": 1}, sta.format_text(r))

    def test_bram_read_with_output_register(self):
        # the register after the read is absorbed as DOA_REG/DOB_REG: 0.33 + 0.30 + 0.17 + 0.30 + 0.05 = 1.15
        r = self.check("fx_bram_reg", 1.15, 1)
        self.assertEqual(r["brams_with_absorbed_output_register"], 1)
        self.assertEqual(r["brams_without_output_register"], {})
        self.assertIn("block RAMs with an output register (DO*_REG or absorbed): 1 of 1", sta.format_text(r))

    def test_lutram_read(self):
        # FF 0.10 + route 0.30 + LUT (address XOR) 0.17 + route to 14 LUTRAM address pins 0.40
        # + read 0.17 + route 0.30 + setup 0.05 = 1.49 (write clock -> data: 0.90 + 0.30 + 0.05 = 1.25)
        r = self.check("fx_lutram", 1.49, 2)
        self.assertIn("RAM32M16", r["path_primitives"])

    def test_srl(self):
        # SRL16E clock-to-out 0.90 + route 0.30 + setup 0.05
        self.check("fx_srl", 1.25, 0)

    def test_muxf_tree(self):
        # FF 0.10 + route 0.30 + LUT6 0.17 + MUXF7/8/9 3 x 0.08 (dedicated) + route 0.30 + setup 0.05 = 1.16
        r = self.check("fx_muxf", 1.16, 1)
        self.assertEqual(r["path_primitives"], {"LUT6": 1, "MUXF7": 1, "MUXF8": 1, "MUXF9": 1})


class Model(unittest.TestCase):
    def test_route_by_fanout(self):
        for fo, ns in [(1, 0.30), (4, 0.30), (5, 0.35), (8, 0.35), (9, 0.40), (64, 0.50), (256, 0.60),
                       (100000, 0.60)]:
            self.assertAlmostEqual(M.route(fo), ns, places=6, msg="fanout %d" % fo)

    def test_dsp_decomposition_reproduces_ds923(self):
        self.assertAlmostEqual(M.DSP_CLK_TO_OUT + M.DSP_MULT + M.DSP_SETUP, 1000 / 775.0, places=6)
        self.assertAlmostEqual(M.DSP_CLK_TO_OUT + M.DSP_MULT + M.DSP_ALU + M.DSP_SETUP, 1000 / 544.0, places=6)
        self.assertAlmostEqual(M.DSP_MULT + M.DSP_ALU, 1.50, places=6)


class Budget(unittest.TestCase):
    def write(self, text):
        fd, path = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        self.addCleanup(os.remove, path)
        return path

    def test_reads_modes_and_params(self):
        b = run.read_budget(self.write("# why\nm1 2.8 report yes A=1 B=2\n\nm2 2.5 enforce no\n"))
        self.assertEqual(b["m1"]["mode"], "report")
        self.assertEqual(b["m1"]["params"], [("A", "1"), ("B", "2")])
        self.assertTrue(b["m1"]["ci"])
        self.assertEqual(b["m1"]["comment"], "why")
        self.assertEqual(b["m2"]["mode"], "enforce")
        self.assertFalse(b["m2"]["ci"])

    def test_rejects_a_looser_budget(self):
        with self.assertRaises(SystemExit) as e:
            run.read_budget(self.write("m1 3.0 enforce yes\n"))
        self.assertIn("above the issue-13 budget", str(e.exception))

    def test_rejects_a_malformed_line(self):
        with self.assertRaises(SystemExit) as e:
            run.read_budget(self.write("m1 2.8 maybe yes\n"))
        self.assertIn(":1:", str(e.exception))

    def test_project_budget_file_is_valid(self):
        b = run.read_budget(os.path.join(os.path.dirname(HERE), "budget.txt"))
        self.assertTrue(all(v["budget"] <= 2.8 for v in b.values()))
        rtl = os.path.join(os.path.dirname(HERE), "..", "..", "rtl")
        for m in b:
            self.assertTrue(os.path.exists(os.path.join(rtl, m + ".v")), m)


if __name__ == "__main__":
    unittest.main()
