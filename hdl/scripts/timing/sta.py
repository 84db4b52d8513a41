#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Open register-to-register static timing estimate over a Yosys `synth_xilinx -family xcup` netlist.

    sta.py NETLIST.json [--top MODULE] [--json OUT.json] [--text OUT.txt] [--paths N]

Input: the `write_json` netlist of a *flat* design (synth_xilinx -flatten) mapped to UltraScale+ primitives
(LUT1-6, CARRY4/CARRY8, MUXF7/8/9, FD[RSCP]E, DSP48E2, RAMB18E2/RAMB36E2, LUTRAM, SRL16E/SRLC32E, INV).
Output: the worst register-to-register path (ns, its chain of primitives, LUT levels, estimated Fmax),
the top endpoints, the highest-fanout nets, and the worst paths from input ports / to output ports
(reported, not counted in the register-to-register figure: a module's ports are registered in the
module that drives or reads them, or they are not, and then the flat kernel shows it).

Delay model: delay_model.py (every figure with its source). How the netlist is timed:

* One clock. Every sequential element launches at its clock-to-out and captures at its setup; asynchronous
  clear/preset pins are not timed. A path's delay = launch clock-to-out + per net a route (dedicated
  intra-slice and cascade connections: 0) + per primitive its arc delay + the capture setup.
* LUTs: one level each, any size. Yosys' INV cells are folded into the neighbouring LUT or flip-flop, as
  Vivado does (0 ns, and the net after them takes no second route).
* Carry chains: per-bit dependencies of CARRY4/CARRY8 (S/DI of bit j reach CO/O of bits >= j).
* DSP48E2 as a pipeline of internal stages: A/B/D (+ AREG/BREG) -> multiplier -> (MREG) -> ALU (C, PCIN
  enter here) -> (PREG) -> P/PCOUT. Register parameters of an instantiated DSP48E2 are honoured. Yosys packs
  no registers into DSP48E2, so fabric flip-flops are absorbed as Vivado does (UG579 "pipeline registers";
  UG904 "DSP register opt"): flip-flops driving *all* the non-constant A (B) pins directly, with no logic
  between, act as AREG (BREG); when every load of every used P bit is a flip-flop D pin, those flip-flops act
  as PREG; when in addition the DSP has no C/PCIN input and each of those flip-flops drives only flip-flop D
  pins again, the first rank is MREG and the second PREG. UG901's multiply-add (the product's rank feeding
  only a two-operand adder of <= 48 bits whose other operand is flip-flops and whose sums are flip-flops) is
  absorbed the same way: the product's rank is MREG, the addend's flip-flops CREG, the sums' PREG, the add
  the DSP's ALU (timed as the fabric carry chain Yosys mapped: an upper bound of the ALU's delay). An
  absorbed flip-flop takes the DSP's internal clock-to-out and setup and its connection to the DSP no route.
* Block RAM: synchronous read, DOUT launches at the clock-to-out without / with the output register
  (DOA_REG/DOB_REG). Yosys never sets DO*_REG; flip-flops that are the only loads of every used DOUT bit are
  absorbed as the output register (Vivado does: UG901 "block RAM with optional output registers"): their
  clock-to-out becomes the registered one, and the BRAM -> flip-flop hop is internal.
* LUTRAM: asynchronous read (address -> data: one LUT, + MUXF for 128/256 deep), write clock -> data
  clock-to-out, write ports captured with setup. SRL16E/SRLC32E: clock -> Q, address -> Q one LUT.
"""
import argparse
import json
import re
import sys
from collections import defaultdict

import os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import delay_model as M  # noqa: E402

NEG = -1e18
FF_TYPES = {"FDRE", "FDSE", "FDCE", "FDPE"}
FF_ASYNC = {"CLR", "PRE"}
CLOCK_PINS = {"C", "CLK", "WCLK", "CLKARDCLK", "CLKBWRCLK"}
LUT_RE = re.compile(r"^LUT[1-6]$")
LUTRAM_M = {"RAM32M", "RAM32M16", "RAM64M", "RAM64M8"}
LUTRAM_X1D = {"RAM32X1D": 0, "RAM32X1D_1": 0, "RAM64X1D": 0, "RAM128X1D": 1, "RAM256X1D": 2}
LUTRAM_X1S = {"RAM32X1S": 0, "RAM64X1S": 0, "RAM128X1S": 1, "RAM256X1S": 2, "RAM512X1S": 3}
SRL_TYPES = {"SRL16E", "SRLC16E", "SRLC32E", "SRL16", "SRLC16"}
BRAM_TYPES = {"RAMB18E2", "RAMB36E2"}
MUXF_TYPES = {"MUXF7", "MUXF8", "MUXF9"}
CARRY_TYPES = {"CARRY4", "CARRY8"}
PASS_TYPES = {"INV", "BUF"}


def _param_int(v, default=0):
    if v is None:
        return default
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if s and set(s) <= {"0", "1"}:
        return int(s, 2)
    try:
        return int(s)
    except ValueError:
        return default


def _bram_out_reg_param(params):
    """The block RAM's own output register is on (DOA_REG or DOB_REG set)."""
    return bool(_param_int(params.get("DOA_REG"), 0) or _param_int(params.get("DOB_REG"), 0))


class Netlist:
    """The top module of a Yosys JSON netlist: cells with per-pin bit lists and directions."""

    def __init__(self, doc, top=None):
        mods = doc["modules"]
        if top is None:
            tops = [n for n, m in mods.items() if _param_int(m.get("attributes", {}).get("top"), 0) == 1]
            if len(tops) != 1:
                raise SystemExit("netlist: cannot tell the top module (candidates: %s); pass --top" % tops)
            top = tops[0]
        if top not in mods:
            raise SystemExit("netlist: no module %s" % top)
        self.top = top
        m = mods[top]
        self.lib = mods
        self.cells = []  # (name, type, params, conns{port: [bits]}, dirs{port: 'input'|'output'})
        for name, c in m["cells"].items():
            dirs = c.get("port_directions")
            if not dirs:
                lm = mods.get(c["type"])
                if lm is None:
                    raise SystemExit("netlist: cell %s of type %s has no port directions (hierarchical netlist? "
                                     "synthesise with -flatten)" % (name, c["type"]))
                dirs = {p: v["direction"] for p, v in lm["ports"].items()}
            # parameters: the primitive's defaults (UG974; Yosys' cells_sim.v) overridden by the instance's
            params = dict(mods.get(c["type"], {}).get("parameter_default_values", {}))
            params.update(c.get("parameters", {}))
            self.cells.append((name, c["type"], params, c["connections"], dirs))
        self.ports = m["ports"]
        self.names = {}
        best = {}
        for n, v in m["netnames"].items():
            hidden = v.get("hide_name", 0)
            for i, b in enumerate(v["bits"]):
                if not isinstance(b, int):
                    continue
                label = n if len(v["bits"]) == 1 else "%s[%d]" % (n, i + v.get("offset", 0))
                key = (hidden, len(label))
                if b not in best or key < best[b]:
                    best[b] = key
                    self.names[b] = label

    def name(self, bit):
        return self.names.get(bit, "n%d" % bit)


class Sta:
    def __init__(self, nl):
        self.nl = nl
        self.warnings = []
        self._index()
        self._absorb()
        self._build()

    # ---- connectivity ----
    def _index(self):
        nl = self.nl
        self.driver = {}
        self.sinks = defaultdict(list)
        self.maxbit = 1
        for ci, (name, typ, params, conns, dirs) in enumerate(nl.cells):
            for port, bits in conns.items():
                d = dirs.get(port, "input")
                for i, b in enumerate(bits):
                    if not isinstance(b, int):
                        continue
                    self.maxbit = max(self.maxbit, b)
                    if d == "output":
                        self.driver[b] = (ci, port, i)
                    else:
                        self.sinks[b].append((ci, port, i))
        self.in_ports, self.out_ports = [], []
        for pname, p in nl.ports.items():
            for i, b in enumerate(p["bits"]):
                if not isinstance(b, int):
                    continue
                self.maxbit = max(self.maxbit, b)
                if p["direction"] == "input":
                    self.in_ports.append((b, pname, i))
                else:
                    self.out_ports.append((b, pname, i))
                    self.sinks[b].append((-1, pname, i))
        self.fanout = {}
        for b, s in self.sinks.items():
            self.fanout[b] = sum(1 for (ci, port, _) in s if ci < 0 or port not in CLOCK_PINS)

    def _type(self, ci):
        return self.nl.cells[ci][1]

    def _is_ff(self, ci):
        return ci >= 0 and self._type(ci) in FF_TYPES

    def _bits(self, ci, port):
        return [b for b in self.nl.cells[ci][3].get(port, []) if isinstance(b, int)]

    # ---- DSP / BRAM register absorption ----
    def _absorb(self):
        self.ff_ck = {}      # ci -> clock-to-out override
        self.ff_su = {}      # ci -> setup override
        self.route_ovr = {}  # (src bit, sink ci) -> route delay override
        self.dsp_eff = {}    # ci -> dict(A=..., B=..., M=..., P=...) with 'param'|'absorbed'|None
        self.bram_absorbed = set()   # block RAMs whose output register is a rank of fabric flip-flops
        for ci, (name, typ, params, conns, dirs) in enumerate(self.nl.cells):
            if typ == "DSP48E2":
                self._absorb_dsp(ci, params)
            elif typ in BRAM_TYPES:
                self._absorb_bram(ci, params)

    def _ff_only_loads(self, bits):
        """True when every bit has loads and every load is a flip-flop D pin."""
        if not bits:
            return False
        for b in bits:
            s = self.sinks.get(b, [])
            if not s:
                continue
            for (ci, port, _) in s:
                if not (self._is_ff(ci) and port == "D"):
                    return False
        return any(self.sinks.get(b) for b in bits)

    def _ff_loads(self, bits):
        return sorted({ci for b in bits for (ci, port, _) in self.sinks.get(b, []) if self._is_ff(ci)})

    def _absorb_dsp(self, ci, params):
        eff = {}
        for port, pname in (("A", "AREG"), ("B", "BREG"), ("D", "DREG"), ("C", "CREG")):
            bits = self._bits(ci, port)
            if _param_int(params.get(pname), 0) > 0:
                eff[port] = "param"
            elif bits and all(b in self.driver and self._is_ff(self.driver[b][0]) for b in bits):
                eff[port] = "absorbed"
                for b in bits:
                    fci = self.driver[b][0]
                    self.ff_su[fci] = max(self.ff_su.get(fci, M.FF_SETUP), M.DSP_SETUP)
                    self.route_ovr[(b, ci)] = M.DEDICATED_ROUTE
            else:
                eff[port] = None
        eff["M"] = "param" if _param_int(params.get("MREG"), 0) > 0 else None
        eff["P"] = "param" if _param_int(params.get("PREG"), 0) > 0 else None
        eff["alu_in_M"] = False  # True when the ALU delay moves behind an absorbed MREG rank
        eff["post_add"] = False  # True when a fabric adder after the product rank is the ALU (UG901 multiply-add)
        pbits = [b for b in self._bits(ci, "P") if self.sinks.get(b)]
        if eff["P"] is None and self._ff_only_loads(pbits):
            rank1 = self._ff_loads(pbits)
            q1 = [b for f in rank1 for b in self._bits(f, "Q")]
            c_used = bool(self._bits(ci, "C")) or bool(self._bits(ci, "PCIN"))
            if eff["M"] is None and not c_used and self._ff_only_loads(q1):
                rank2 = self._ff_loads(q1)
                eff["M"] = "absorbed"
                eff["P"] = "absorbed"
                eff["alu_in_M"] = True
                for f in rank1:
                    self.ff_ck[f] = M.DSP_CLK_TO_OUT
                    self.ff_su[f] = M.DSP_SETUP
                for b in pbits:
                    for (sci, _, _) in self.sinks[b]:
                        self.route_ovr[(b, sci)] = M.DEDICATED_ROUTE
                for b in q1:
                    for (sci, _, _) in self.sinks[b]:
                        self.route_ovr[(b, sci)] = M.DSP_ALU  # the ALU sits between MREG and PREG
                for f in rank2:
                    self.ff_ck[f] = M.DSP_CLK_TO_OUT
                    self.ff_su[f] = M.DSP_SETUP
            elif eff["M"] is None and not c_used and (post_add := self._post_adder(q1)) is not None:
                rank2, c_ffs = post_add
                eff["M"] = "absorbed"
                eff["P"] = "absorbed"
                eff["C"] = "absorbed"
                eff["post_add"] = True
                for f in set(rank1) | rank2 | c_ffs:
                    self.ff_ck[f] = M.DSP_CLK_TO_OUT
                    self.ff_su[f] = M.DSP_SETUP
                for b in pbits:
                    for (sci, _, _) in self.sinks[b]:
                        self.route_ovr[(b, sci)] = M.DEDICATED_ROUTE
            else:
                eff["P"] = "absorbed"
                for f in rank1:
                    self.ff_ck[f] = M.DSP_CLK_TO_OUT
                    self.ff_su[f] = M.DSP_SETUP
                for b in pbits:
                    for (sci, _, _) in self.sinks[b]:
                        self.route_ovr[(b, sci)] = M.DEDICATED_ROUTE
        self.dsp_eff[ci] = eff

    def _post_adder(self, q1):
        """(sum flip-flops, addend flip-flops) when the bits q1 (a DSP product's register rank) feed only a
        two-operand adder of at most 48 bits (UG579: the ALU's width) whose other operand is flip-flop outputs
        (or constants) and whose every output is a flip-flop D pin: LUTs of operand bits (the propagate / generate
        terms) and one carry chain, nothing else. None otherwise."""
        q1set = set(q1)
        cone, rank2, seen, todo = set(), set(), set(q1), list(q1)
        while todo:
            b = todo.pop()
            for (ci, port, _) in self.sinks.get(b, []):
                if ci < 0:
                    return None                      # an output port
                typ = self._type(ci)
                if self._is_ff(ci):
                    if port != "D":
                        return None
                    rank2.add(ci)
                    continue
                if not (LUT_RE.match(typ) or typ in CARRY_TYPES):
                    return None
                if ci in cone:
                    continue
                cone.add(ci)
                conns, dirs = self.nl.cells[ci][3], self.nl.cells[ci][4]
                for p, bits in conns.items():
                    if dirs.get(p) == "output":
                        for ob in bits:
                            if isinstance(ob, int) and ob not in seen:
                                seen.add(ob)
                                todo.append(ob)
        c_ffs, chain_heads, carry_bits = set(), 0, 0
        for ci in cone:
            typ = self._type(ci)
            conns, dirs = self.nl.cells[ci][3], self.nl.cells[ci][4]
            for p, bits in conns.items():
                if dirs.get(p) == "output":
                    continue
                for b in bits:
                    if not isinstance(b, int) or b in q1set:
                        continue
                    drv = self.driver.get(b)
                    if drv is None:
                        return None                  # an input port
                    dci = drv[0]
                    if self._is_ff(dci) and dci not in rank2:
                        c_ffs.add(dci)               # the addend
                    elif dci in cone and typ in CARRY_TYPES and (
                            (p in ("S", "DI") and LUT_RE.match(self._type(dci)))
                            or (p in ("CI", "CI_TOP") and self._type(dci) in CARRY_TYPES)):
                        pass                         # a LUT's term into the chain, or the chain itself
                    else:
                        return None                  # logic after logic: not a plain adder
            if typ in CARRY_TYPES:                   # the add's width: its chain positions with an operand term
                carry_bits += sum(1 for b in conns.get("S", []) if isinstance(b, int))
                ci_bits = [b for p in ("CI", "CI_TOP") for b in conns.get(p, []) if isinstance(b, int)]
                if not any(b in self.driver and self.driver[b][0] in cone for b in ci_bits):
                    chain_heads += 1
        width = sum(len(self._bits(f, "Q")) for f in rank2)
        if chain_heads != 1 or carry_bits > 48 or width > 48 or len(c_ffs) > 48 or not rank2:
            return None
        return rank2, c_ffs

    def _absorb_bram(self, ci, params):
        if _bram_out_reg_param(params):
            return
        dbits = [b for p in ("DOUTADOUT", "DOUTBDOUT", "DOUTPADOUTP", "DOUTPBDOUTP")
                 for b in self._bits(ci, p) if self.sinks.get(b)]
        if self._ff_only_loads(dbits):
            for f in self._ff_loads(dbits):
                self.ff_ck[f] = M.BRAM_CLK_TO_OUT_REG
                self.ff_su[f] = 0.0
            for b in dbits:
                for (sci, _, _) in self.sinks[b]:
                    self.route_ovr[(b, sci)] = M.DEDICATED_ROUTE
            self.bram_absorbed.add(ci)

    # ---- timing graph ----
    def _route(self, src, sci, sport):
        if (src, sci) in self.route_ovr:
            return self.route_ovr[(src, sci)]
        drv = self.driver.get(src)
        dtyp = self._type(drv[0]) if drv else None
        dport = drv[1] if drv else None
        styp = self._type(sci) if sci >= 0 else None
        if dtyp in PASS_TYPES:
            return M.DEDICATED_ROUTE
        if styp in CARRY_TYPES and sport in ("S", "DI") and dtyp and LUT_RE.match(dtyp):
            return M.DEDICATED_ROUTE
        if styp in MUXF_TYPES and sport in ("I0", "I1") and dtyp and (LUT_RE.match(dtyp) or dtyp in MUXF_TYPES):
            return M.DEDICATED_ROUTE
        if styp in CARRY_TYPES and sport in ("CI", "CI_TOP") and dtyp in CARRY_TYPES and dport == "CO":
            return M.DEDICATED_ROUTE
        if styp == "DSP48E2" and sport in ("PCIN", "ACIN", "BCIN", "CARRYCASCIN", "MULTSIGNIN"):
            return M.DEDICATED_ROUTE
        return M.route(self.fanout.get(src, 1))

    def _new_node(self, label):
        self.nnodes += 1
        self.vlabel[self.nnodes] = label
        return self.nnodes

    def _edge(self, src, dst, delay, ci, inpin, outpin, lut=0, route=True, sport=None):
        """src: net bit (route added for the pin `sport` of cell ci) or virtual node (route=False)."""
        r = self._route(src, ci, sport) if route else 0.0
        self.edges.append((src, dst, delay + r, ci, inpin, outpin, lut))

    def _endpoint(self, src, ci, pin, setup, route=True, sport=None):
        r = self._route(src, ci, sport) if route else 0.0
        self.endpoints.append((src, r + setup, ci, pin))

    def _launch(self, node, t, ci, pin):
        if t > self.launch.get(node, (NEG,))[0]:
            self.launch[node] = (t, ci, pin)

    def _build(self):
        self.edges = []
        self.endpoints = []
        self.launch = {}
        self.nnodes = self.maxbit
        self.vlabel = {}
        self.unknown = defaultdict(int)
        for ci, (name, typ, params, conns, dirs) in enumerate(self.nl.cells):
            ins = {p: [(i, b) for i, b in enumerate(bits) if isinstance(b, int)]
                   for p, bits in conns.items() if dirs.get(p) != "output"}
            outs = {p: [(i, b) for i, b in enumerate(bits) if isinstance(b, int)]
                    for p, bits in conns.items() if dirs.get(p) == "output"}

            def pin(p, i):
                return p if len(conns.get(p, [])) == 1 else "%s[%d]" % (p, i)

            if typ in FF_TYPES:
                for i, b in outs.get("Q", []):
                    self._launch(b, self.ff_ck.get(ci, M.FF_CLK_TO_Q), ci, "Q")
                for p, lst in ins.items():
                    if p in CLOCK_PINS or p in FF_ASYNC:
                        continue
                    su = self.ff_su.get(ci, M.FF_SETUP)
                    for i, b in lst:
                        self._endpoint(b, ci, p, su, sport=p)
            elif LUT_RE.match(typ):
                for p, lst in ins.items():
                    for i, b in lst:
                        for _, o in outs.get("O", []):
                            self._edge(b, o, M.LUT, ci, p, "O", lut=1, sport=p)
            elif typ in PASS_TYPES:
                for p, lst in ins.items():
                    for i, b in lst:
                        for _, o in outs.get("O", []):
                            self._edge(b, o, 0.0, ci, p, "O", sport=p)
            elif typ in MUXF_TYPES:
                for p, lst in ins.items():
                    for i, b in lst:
                        for _, o in outs.get("O", []):
                            self._edge(b, o, M.MUXF, ci, p, "O", sport=p)
            elif typ in CARRY_TYPES:
                self._build_carry(ci, typ, ins, outs, pin)
            elif typ == "DSP48E2":
                self._build_dsp(ci, ins, outs, pin)
            elif typ in BRAM_TYPES:
                for p, lst in outs.items():
                    reg = _param_int(params.get("DOB_REG" if "DOUTB" in p or "DOUTPB" in p else "DOA_REG"), 0)
                    t = M.BRAM_CLK_TO_OUT_REG if reg else M.BRAM_CLK_TO_OUT
                    for i, b in lst:
                        self._launch(b, t, ci, pin(p, i))
                for p, lst in ins.items():
                    if p in CLOCK_PINS:
                        continue
                    for i, b in lst:
                        self._endpoint(b, ci, pin(p, i), M.BRAM_SETUP, sport=p)
            elif typ in LUTRAM_M:
                last = "ADDR" + max(p[4:] for p in conns if p.startswith("ADDR"))
                for p, lst in outs.items():
                    for i, b in lst:
                        self._launch(b, M.LUTRAM_CLK_TO_OUT, ci, pin(p, i))
                        for ai, a in ins.get("ADDR" + p[2:], []):
                            self._edge(a, b, M.LUTRAM_READ, ci, pin("ADDR" + p[2:], ai), pin(p, i), lut=1,
                                       sport="ADDR" + p[2:])
                for p, lst in ins.items():
                    if p in CLOCK_PINS or (p.startswith("ADDR") and p != last):
                        continue
                    for i, b in lst:
                        self._endpoint(b, ci, pin(p, i), M.LUTRAM_SETUP, sport=p)
            elif typ in LUTRAM_X1D or typ in LUTRAM_X1S:
                nmux = LUTRAM_X1D.get(typ, LUTRAM_X1S.get(typ, 0))
                for p, lst in outs.items():
                    for i, b in lst:
                        self._launch(b, M.LUTRAM_CLK_TO_OUT, ci, pin(p, i))
                        src = "DPRA" if p == "DPO" else "A"
                        for ap, alst in ins.items():
                            if ap.startswith(src) and not (src == "A" and ap.startswith("DPRA")):
                                for ai, a in alst:
                                    self._edge(a, b, M.LUTRAM_READ + nmux * M.MUXF, ci, pin(ap, ai), pin(p, i),
                                               lut=1, sport=ap)
                for p, lst in ins.items():
                    if p in CLOCK_PINS or p.startswith("DPRA"):
                        continue
                    for i, b in lst:
                        self._endpoint(b, ci, pin(p, i), M.LUTRAM_SETUP, sport=p)
            elif typ in SRL_TYPES:
                for p, lst in outs.items():
                    for i, b in lst:
                        self._launch(b, M.SRL_CLK_TO_OUT, ci, p)
                        if p == "Q":
                            for ap, alst in ins.items():
                                if ap.startswith("A"):
                                    for ai, a in alst:
                                        self._edge(a, b, M.SRL_ADDR_TO_OUT, ci, pin(ap, ai), p, lut=1, sport=ap)
                for p, lst in ins.items():
                    if p in ("D", "CE"):
                        for i, b in lst:
                            self._endpoint(b, ci, p, M.SRL_SETUP, sport=p)
            else:
                # not a timing-modelled primitive: a sequential black box (launch at FF clock-to-out,
                # capture with FF setup), listed in the report
                self.unknown[typ] += 1
                for p, lst in outs.items():
                    for i, b in lst:
                        self._launch(b, M.FF_CLK_TO_Q, ci, pin(p, i))
                for p, lst in ins.items():
                    if p in CLOCK_PINS:
                        continue
                    for i, b in lst:
                        self._endpoint(b, ci, pin(p, i), M.FF_SETUP, sport=p)
        for b, pname, i in self.out_ports:
            self.endpoints.append((b, M.route(self.fanout.get(b, 1)), -1, "%s[%d]" % (pname, i)))
        for typ, n in sorted(self.unknown.items()):
            self.warnings.append("%d cell(s) of type %s timed as registers (not in the delay model)" % (n, typ))

    def _build_carry(self, ci, typ, ins, outs, pin):
        width = 4 if typ == "CARRY4" else 8
        cico = M.CARRY4_CI_TO_CO if typ == "CARRY4" else M.CARRY8_CI_TO_CO
        cio = M.CARRY_CI_TO_O if typ == "CARRY4" else M.CARRY8_CI_TO_CO
        co = dict(outs.get("CO", []))
        o = dict(outs.get("O", []))
        for p in ("CI", "CYINIT", "CI_TOP"):
            for _, b in ins.get(p, []):
                for k in range(width):
                    if k in co:
                        self._edge(b, co[k], cico, ci, p, pin("CO", k), sport=p)
                    if k in o:
                        self._edge(b, o[k], cio, ci, p, pin("O", k), sport=p)
        for p in ("S", "DI"):
            for j, b in ins.get(p, []):
                for k in range(j, width):
                    if k in co:
                        self._edge(b, co[k], M.CARRY_S_TO_CO, ci, pin(p, j), pin("CO", k), sport=p)
                    if k in o and (k > j or p == "S"):
                        self._edge(b, o[k], M.CARRY_S_TO_CO, ci, pin(p, j), pin("O", k), sport=p)

    def _build_dsp(self, ci, ins, outs, pin):
        eff = self.dsp_eff[ci]
        name = self.nl.cells[ci][0]
        mult_in = self._new_node("%s/mult_in" % name)
        mult_out = self._new_node("%s/mult_out" % name)
        alu_in = self._new_node("%s/alu_in" % name)
        alu_out = self._new_node("%s/alu_out" % name)
        # A/B/D side (A, ACIN, B, BCIN, D): register (param or absorbed) or combinational
        for port, reg in (("A", "A"), ("ACIN", "A"), ("B", "B"), ("BCIN", "B"), ("D", "D")):
            lst = ins.get(port, [])
            if not lst:
                continue
            r = eff.get(reg)
            if r == "param":
                for i, b in lst:
                    self._endpoint(b, ci, pin(port, i), M.DSP_SETUP, sport=port)
                self._launch(mult_in, M.DSP_CLK_TO_OUT, ci, reg + "REG")
            elif r == "absorbed" and port in ("A", "B", "D"):
                self._launch(mult_in, M.DSP_CLK_TO_OUT, ci, reg + "REG(absorbed FF)")
            else:
                for i, b in lst:
                    self._edge(b, mult_in, 0.0, ci, pin(port, i), "mult", sport=port)
        self.edges.append((mult_in, mult_out, M.DSP_MULT, ci, "mult", "M", 0))
        if eff["M"] == "param":
            self.endpoints.append((mult_out, M.DSP_SETUP, ci, "MREG"))
            self._launch(alu_in, M.DSP_CLK_TO_OUT, ci, "MREG")
        else:
            self.edges.append((mult_out, alu_in, 0.0, ci, "M", "alu", 0))
        for port, reg in (("C", "C"), ("PCIN", None), ("CARRYIN", None), ("CARRYCASCIN", None)):
            lst = ins.get(port, [])
            r = eff.get(reg) if reg else None
            if not lst:
                continue
            if r == "param":
                for i, b in lst:
                    self._endpoint(b, ci, pin(port, i), M.DSP_SETUP, sport=port)
                self._launch(alu_in, M.DSP_CLK_TO_OUT, ci, "CREG")
            elif r == "absorbed":
                self._launch(alu_in, M.DSP_CLK_TO_OUT, ci, "CREG(absorbed FF)")
            else:
                for i, b in lst:
                    self._edge(b, alu_in, 0.0, ci, pin(port, i), "alu", sport=port)
        # an absorbed MREG rank: the multiplier's result leaves the DSP for the MREG flip-flops and the
        # ALU delay sits on their connection to the PREG flip-flops (route override in _absorb_dsp)
        alu_delay = 0.0 if eff["alu_in_M"] else M.DSP_ALU
        self.edges.append((alu_in, alu_out, alu_delay, ci, "alu", "P", 0))
        for port in ("P", "PCOUT", "CARRYOUT", "CARRYCASCOUT", "PATTERNDETECT", "PATTERNBDETECT",
                     "OVERFLOW", "UNDERFLOW", "XOROUT", "MULTSIGNOUT"):
            for i, b in outs.get(port, []):
                if eff["P"] == "param":
                    self._launch(b, M.DSP_CLK_TO_OUT, ci, pin(port, i))
                else:
                    self.edges.append((alu_out, b, 0.0, ci, "alu", pin(port, i), 0))
        if eff["P"] == "param":
            self.endpoints.append((alu_out, M.DSP_SETUP, ci, "PREG"))
        for port in ("ACOUT", "BCOUT"):
            for i, b in outs.get(port, []):
                self.edges.append((mult_in, b, 0.0, ci, "A/B", pin(port, i), 0))
        # clock enables / resets of used registers: endpoints
        for p, lst in ins.items():
            if p.startswith("CE") or p.startswith("RST"):
                for i, b in lst:
                    self._endpoint(b, ci, p, M.DSP_SETUP, sport=p)
        # OPMODE/ALUMODE/INMODE/CARRYINSEL (dynamic control): into the ALU
        for p in ("OPMODE", "ALUMODE", "INMODE", "CARRYINSEL"):
            for i, b in ins.get(p, []):
                self._edge(b, alu_in if p != "INMODE" else mult_in, 0.0, ci, pin(p, i), "ctrl", sport=p)

    # ---- propagation ----
    def propagate(self, sources):
        """Longest arrival per node from `sources` {node: (t, ci, pin)}; returns (arr, pred, lut)."""
        n = self.nnodes + 1
        out_edges = [[] for _ in range(n)]
        indeg = [0] * n
        for k, e in enumerate(self.edges):
            out_edges[e[0]].append(k)
            indeg[e[1]] += 1
        arr = [NEG] * n
        lut = [0] * n
        pred = [-1] * n
        for node, (t, _, _) in sources.items():
            arr[node] = t
        stack = [i for i in range(n) if indeg[i] == 0]
        done = 0
        while stack:
            u = stack.pop()
            done += 1
            au = arr[u]
            for k in out_edges[u]:
                e = self.edges[k]
                v = e[1]
                if au > NEG / 2:
                    t = au + e[2]
                    if t > arr[v] + 1e-12 or (abs(t - arr[v]) <= 1e-12 and lut[u] + e[6] > lut[v]):
                        arr[v] = t
                        lut[v] = lut[u] + e[6]
                        pred[v] = k
                indeg[v] -= 1
                if indeg[v] == 0:
                    stack.append(v)
        if done < n:
            loop = [i for i in range(n) if indeg[i] > 0]
            self.warnings.append("combinational loop through %d nodes (e.g. %s): not timed" %
                                 (len(loop), ", ".join(self.label(i) for i in loop[:3])))
        # a launch point may also be reached combinationally (LUTRAM data: launch and address->data)
        return arr, pred, lut

    def label(self, node):
        if node in self.vlabel:
            return self.vlabel[node]
        return self.nl.name(node)

    def cell_label(self, ci):
        if ci < 0:
            return ("port", "")
        return (self._type(ci), self.nl.cells[ci][0])

    def trace(self, node, pred, arr, sources):
        """Chain of (type, cell name, in pin, out pin, net, arrival) from the launch to node."""
        chain = []
        while pred[node] != -1:
            e = self.edges[pred[node]]
            typ, name = self.cell_label(e[3])
            chain.append((typ, name, e[4], e[5], self.label(node), arr[node]))
            node = e[0]
        t, ci, pinname = sources.get(node, (arr[node], -1, "?"))
        typ, name = self.cell_label(ci)
        chain.append((typ, name, "clk" if ci >= 0 else "", pinname, self.label(node), t))
        chain.reverse()
        # one row per primitive: a DSP48E2's internal stages (A->mult->alu->P) collapse into one
        merged = []
        for c in chain:
            if merged and merged[-1][1] == c[1] and merged[-1][0] == c[0] and c[0] == "DSP48E2":
                p = merged[-1]
                merged[-1] = (p[0], p[1], p[2], c[3], c[4], c[5])
            else:
                merged.append(c)
        return merged

    def endpoint_label(self, ci, pin_, src):
        if ci < 0:
            return "output port %s" % pin_
        typ, name = self.cell_label(ci)
        if typ in FF_TYPES:
            q = self._bits(ci, "Q")
            return "%s %s.%s" % (typ, self.nl.name(q[0]) if q else name, pin_)
        return "%s %s.%s" % (typ, name, pin_)

    def analyse(self, npaths=10):
        res = {"top": self.nl.top}
        reg_sources = dict(self.launch)
        arr, pred, lut = self.propagate(reg_sources)
        worst_by_ep = {}
        out_worst = None
        for (src, extra, ci, pin_) in self.endpoints:
            if arr[src] <= NEG / 2:
                continue
            t = arr[src] + extra
            if ci < 0:
                if out_worst is None or t > out_worst[0]:
                    out_worst = (t, src, ci, pin_)
                continue
            key = re.sub(r"\[\d+\]", "[*]", self.endpoint_label(ci, pin_, src))
            if key not in worst_by_ep or t > worst_by_ep[key][0]:
                worst_by_ep[key] = (t, src, ci, pin_)
        eps = sorted(worst_by_ep.items(), key=lambda kv: -kv[1][0])
        if eps:
            key, (t, src, ci, pin_) = eps[0]
            chain = self.trace(src, pred, arr, reg_sources)
            res["worst_ns"] = round(t, 3)
            res["fmax_mhz"] = round(1000.0 / t, 1) if t > 0 else None
            res["lut_levels"] = lut[src]
            res["worst_endpoint"] = key
            res["worst_path"] = [dict(type=c[0], cell=c[1], pin_in=c[2], pin_out=c[3], net=c[4],
                                      at_ns=round(c[5], 3)) for c in chain]
            res["worst_path"].append(dict(type="endpoint", cell=key, pin_in=pin_, pin_out="",
                                          net="", at_ns=round(t, 3)))
            counts = defaultdict(int)
            for c in chain[1:]:
                counts[c[0]] += 1
            res["path_primitives"] = dict(sorted(counts.items()))
        else:
            res["worst_ns"] = 0.0
            res["fmax_mhz"] = None
            res["lut_levels"] = 0
            res["worst_path"] = []
        res["max_lut_levels_any_path"] = max((lut[src] for (src, _, ci, _) in self.endpoints
                                              if ci >= 0 and arr[src] > NEG / 2), default=0)
        # endpoints grouped by register / pin bus (bit indices as [*]), worst bit of each group
        res["endpoints"] = [dict(endpoint=k, ns=round(v[0], 3), lut_levels=lut[v[1]]) for k, v in eps[:npaths]]
        res["n_endpoints"] = len(eps)
        if out_worst:
            res["reg_to_output_ns"] = round(out_worst[0], 3)
            res["reg_to_output_port"] = out_worst[3]
        # from input ports
        in_sources = {b: (0.0, -1, "%s[%d]" % (p, i)) for (b, p, i) in self.in_ports
                      if p not in ("clk", "ap_clk", "aclk")}
        if in_sources:
            arr2, pred2, lut2 = self.propagate(in_sources)
            best = None
            for (src, extra, ci, pin_) in self.endpoints:
                if arr2[src] > NEG / 2 and (best is None or arr2[src] + extra > best[0]):
                    best = (arr2[src] + extra, src, ci, pin_)
            if best:
                res["input_to_any_ns"] = round(best[0], 3)
                res["input_to_any_endpoint"] = self.endpoint_label(best[2], best[3], best[1])
        # fanout
        fo = sorted(((f, b) for b, f in self.fanout.items() if b in self.driver or b in
                     {x[0] for x in self.in_ports}), reverse=True)[:npaths]
        res["fanout"] = []
        for f, b in fo:
            drv = self.driver.get(b)
            res["fanout"].append(dict(net=self.nl.name(b), fanout=f,
                                      driver=self._type(drv[0]) if drv else "input port"))
        cnt = defaultdict(int)
        for c in self.nl.cells:
            cnt[c[1]] += 1
        res["cells"] = dict(sorted(cnt.items()))
        res["dsp_registers"] = {}
        for ci, eff in self.dsp_eff.items():
            key = "A:%s B:%s M:%s P:%s" % tuple((eff.get(k) or "none") for k in "ABMP")
            res["dsp_registers"][key] = res["dsp_registers"].get(key, 0) + 1
        res["dsp_post_adds"] = sum(1 for eff in self.dsp_eff.values() if eff.get("post_add"))
        res["brams_with_absorbed_output_register"] = len(self.bram_absorbed)
        # the block RAMs read without an output register (DO*_REG off and no flip-flop rank to absorb as one),
        # grouped by name with indexes as *: issue 13 wants every BRAM read through its output register
        nreg = defaultdict(int)
        for ci, c in enumerate(self.nl.cells):
            if c[1] in BRAM_TYPES and ci not in self.bram_absorbed and not _bram_out_reg_param(c[2]):
                nreg[re.sub(r"\[\d+\]", "[*]", re.sub(r"(\.\d+)+$", "", c[0]))] += 1
        res["brams_without_output_register"] = dict(sorted(nreg.items()))
        res["warnings"] = self.warnings
        return res


def load(path, top=None):
    with open(path) as f:
        return Netlist(json.load(f), top)


def analyse_file(path, top=None, npaths=10):
    return Sta(load(path, top)).analyse(npaths)


def _short(s, n=90):
    return s if len(s) <= n else s[:n // 2 - 2] + "..." + s[-(n // 2 - 1):]


def format_text(r):
    lines = []
    lines.append("module %s: worst register-to-register path %.3f ns (Fmax %s MHz), %d LUT levels" %
                 (r["top"], r["worst_ns"], r["fmax_mhz"], r["lut_levels"]))
    if r.get("worst_path"):
        lines.append("  path (arrival ns, primitive, cell, pins, net):")
        for s in r["worst_path"]:
            lines.append("    %7.3f  %-10s %s  %s->%s  %s" % (s["at_ns"], s["type"], _short(s["cell"]), s["pin_in"],
                                                             s["pin_out"], _short(s["net"])))
        lines.append("  primitives on it: %s" % ", ".join("%s x%d" % kv for kv in r["path_primitives"].items()))
    lines.append("  most LUT levels on any register-to-register path: %d" % r["max_lut_levels_any_path"])
    lines.append("  top endpoints:")
    for e in r["endpoints"]:
        lines.append("    %7.3f ns  %2d LUT  %s" % (e["ns"], e["lut_levels"], e["endpoint"]))
    if "reg_to_output_ns" in r:
        lines.append("  register -> output port: %.3f ns (%s)" % (r["reg_to_output_ns"], r["reg_to_output_port"]))
    if "input_to_any_ns" in r:
        lines.append("  input port -> endpoint: %.3f ns (%s)" % (r["input_to_any_ns"], r["input_to_any_endpoint"]))
    lines.append("  highest-fanout nets:")
    for f in r["fanout"]:
        lines.append("    %6d  %s (%s)" % (f["fanout"], f["net"], f["driver"]))
    lines.append("  DSP48E2 registers (param / absorbed fabric FF / none): %s" % r["dsp_registers"])
    if r.get("dsp_post_adds"):
        lines.append("  DSP48E2 post-adds (UG901 multiply-add: a fabric adder after the product rank as the ALU): %d"
                     % r["dsp_post_adds"])
    nbram = sum(n for t, n in r["cells"].items() if t in BRAM_TYPES)
    if nbram:
        lines.append("  block RAMs with an output register (DO*_REG or absorbed): %d of %d%s" % (
            nbram - sum(r["brams_without_output_register"].values()), nbram,
            "; without: " + ", ".join("%s x%d" % kv for kv in r["brams_without_output_register"].items())
            if r["brams_without_output_register"] else ""))
    lines.append("  cells: %s" % ", ".join("%s %d" % kv for kv in r["cells"].items()))
    for w in r["warnings"]:
        lines.append("  WARNING: %s" % w)
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("netlist")
    ap.add_argument("--top")
    ap.add_argument("--json")
    ap.add_argument("--text")
    ap.add_argument("--paths", type=int, default=10)
    a = ap.parse_args(argv)
    r = analyse_file(a.netlist, a.top, a.paths)
    txt = format_text(r)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(r, f, indent=1)
    if a.text:
        with open(a.text, "w") as f:
            f.write(txt + "\n")
    try:
        print(txt)
    except BrokenPipeError:  # `sta.py ... | head`
        pass


if __name__ == "__main__":
    main()
