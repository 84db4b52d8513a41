#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`make -C hdl xo` / `make -C hdl xclbin`: without Vivado / Vitis they stop at once with one line naming
what is missing; with them (stand-ins here that record their arguments) they run package_xo.tcl and
v++ --link with link.cfg for the requested platform. Run by `make -C hdl timing-selftest`."""
import os
import stat
import shutil
import subprocess
import tempfile
import unittest

HDL = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def make(*args):
    p = subprocess.run(["make", "-s", "--no-print-directory", "-C", HDL] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, [ln for ln in p.stdout.splitlines() if ln.strip()]


class VendorFlow(unittest.TestCase):
    def test_xo_without_vivado_is_one_line(self):
        rc, lines = make("xo", "VIVADO=lfads-test-no-vivado")
        self.assertNotEqual(rc, 0)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("Vivado (lfads-test-no-vivado)", lines[0])

    def test_xclbin_without_tools_names_both(self):
        rc, lines = make("xclbin", "VIVADO=lfads-test-no-vivado", "VPP=lfads-test-no-vpp")
        self.assertNotEqual(rc, 0)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("Vitis v++ (lfads-test-no-vpp) and Vivado (lfads-test-no-vivado)", lines[0])

    def test_xclbin_without_vpp_only(self):
        rc, lines = make("xclbin", "VIVADO=/bin/true", "VPP=lfads-test-no-vpp")
        self.assertNotEqual(rc, 0)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("Vitis v++ (lfads-test-no-vpp)", lines[0])
        self.assertNotIn("Vivado", lines[0].split(";")[0])

    def test_with_tools_the_flow_runs_package_and_link(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "calls.log")
            tools = {}
            for name in ("vivado", "v++"):
                path = os.path.join(tmp, name)
                with open(path, "w") as f:
                    f.write("#!/bin/sh\necho \"%s $*\" >> %s\n" % (name, log))
                os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
                tools[name] = path
            rc, lines = make("xclbin", "VIVADO=" + tools["vivado"], "VPP=" + tools["v++"],
                             "BUILD=" + os.path.join(tmp, "build"), "PLATFORM=xilinx_u55c_gen3x16_xdma_3_202210_1")
            self.assertEqual(rc, 0, lines)
            with open(log) as f:
                calls = f.read().splitlines()
            self.assertEqual(len(calls), 2, calls)
            self.assertTrue(calls[0].startswith("vivado -mode batch"), calls[0])
            self.assertIn(os.path.join(HDL, "vivado", "package_xo.tcl"), calls[0])
            self.assertTrue(calls[1].startswith("v++ --link --target hw --platform xilinx_u55c_gen3x16_xdma_3_202210_1"))
            self.assertIn(os.path.join(HDL, "vivado", "link.cfg"), calls[1])
            self.assertIn("lfads_kernel.xo", calls[1])
            # the SLR floorplan hook (vivado/slr_pblocks.tcl) before the link's opt_design
            self.assertIn("--vivado.prop run.impl_1.STEPS.OPT_DESIGN.TCL.PRE="
                          + os.path.join(HDL, "vivado", "slr_pblocks.tcl"), calls[1])


class LinkConfig(unittest.TestCase):
    """link.cfg names the kernel's real AXI master (from kernel.xml), one CU, an SLR and 300 MHz."""

    def test_link_cfg_matches_kernel_xml(self):
        def read(*p):
            with open(os.path.join(HDL, *p)) as f:
                return f.read()
        cfg = read("vivado", "link.cfg").splitlines()
        xml = read("vivado", "kernel.xml")
        kernel_v = read("rtl", "lfads_kernel.v")
        entries = [ln.strip() for ln in cfg if ln.strip() and not ln.strip().startswith("#")]
        self.assertIn("kernel_frequency=0:300", entries)
        self.assertIn("nk=lfads_kernel:1:lfads_kernel_1", entries)
        sp = [e for e in entries if e.startswith("sp=")]
        self.assertEqual(sp, ["sp=lfads_kernel_1.m_axi_gmem:HBM[0]"])
        self.assertIn('port name="m_axi_gmem" mode="master"', xml)
        self.assertIn("m_axi_gmem_awvalid", kernel_v)
        self.assertTrue(any(e.startswith("slr=lfads_kernel_1:SLR") for e in entries))



class SlrFloorplan(unittest.TestCase):
    """vivado/slr_pblocks.tcl is complete Tcl, and the cell names it looks for are the RTL's (a rename in the RTL
    must fail here, not in a Vivado run nobody does in CI)."""

    def read(self, *p):
        with open(os.path.join(HDL, *p)) as f:
            return f.read()

    def test_tcl_is_complete(self):
        tclsh = shutil.which("tclsh")
        if tclsh is None:
            self.skipTest("no tclsh")
        path = os.path.join(HDL, "vivado", "slr_pblocks.tcl")
        p = subprocess.run([tclsh], input="set f [open {%s}]\nputs [info complete [read $f]]\n" % path,
                           capture_output=True, text=True)
        self.assertEqual(p.stdout.strip(), "1", p.stderr)
        self.assertIn("pblock_dynamic_SLR1", self.read("vivado", "slr_pblocks.tcl"))

    def test_names_match_the_rtl(self):
        tcl = self.read("vivado", "slr_pblocks.tcl")
        engine = self.read("rtl", "lfads_engine.v")
        mac = self.read("rtl", "lfads_mac_array.v")
        kernel = self.read("rtl", "lfads_kernel.v")
        for needle in ("/engine/g_lane", "/engine/mac/", "/mac/g_row", "/engine/g_s3", "g_xrx", r"x_(rx|sel)",
                       "/engine/g_slr_load", r"g_slr_load\.g_rx\[([0-9]+)\]\.q", "REF_NAME == lfads_kernel"):
            self.assertIn(needle, tcl)
        self.assertRegex(kernel, r"\)\s*engine\s*\(")
        self.assertRegex(engine, r"begin\s*:\s*g_lane\b")
        for inst in ("mem", "pring", "post"):
            self.assertRegex(engine, r"\)\s*%s\s*\(" % inst, inst)
            self.assertIn(inst, tcl)
        self.assertRegex(engine, r"\)\s*mac\s*\(")
        self.assertRegex(engine, r"begin\s*:\s*g_s3\b")
        self.assertRegex(engine, r"begin\s*:\s*g_xrx\b")
        self.assertRegex(engine, r"reg\s*\[[^]]*\]\s*x_rx\b")
        self.assertRegex(engine, r"wire\s*\[[^]]*\]\s*x_sel\b")   # the column select's second half, after x_rx
        self.assertRegex(mac, r"begin\s*:\s*g_row\b")
        # the lane groups' load / configuration / h0-address copies: g_slr_load.g_rx[h].q, h = 1 the far group
        self.assertRegex(engine, r"begin\s*:\s*g_slr_load\b")
        self.assertRegex(engine, r"begin\s*:\s*g_rx\b")
        self.assertRegex(engine, r"reg\s*\[[^]]*\]\s*q\s*=")
        self.assertRegex(engine, r"lx_bus\[LI\*LX_W")       # lane gr >= FAR_ROW reads copy LI = 1


if __name__ == "__main__":
    unittest.main()
