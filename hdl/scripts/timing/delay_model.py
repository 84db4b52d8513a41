# SPDX-License-Identifier: MIT
"""UltraScale+ -2 delay model of the open timing estimate (sta.py): every figure, its source, and which end
of the source's range was taken.

The agreed figures are those of /work/shared/reference/fpga-platform.md, section "Timing at 300 MHz on
UltraScale+ (-2)" (copied into hdl/README.md "Timing"), themselves from Xilinx DS923 (Virtex UltraScale+ data
sheet: DSP48 and block-RAM switching characteristics), UG579 (DSP48E2 slice), UG573 (memory resources),
UG949 (methodology: routing is about half of a path) and routed Vivado UltraScale+ timing reports.

Rule for choosing inside a range: the estimate is a *budget check*, so the small per-element delays that the
netlist cannot pin down take the slow end of their range (LUT delay depends on which of the six LUT pins the
router picks; clock-to-out and setup are small anyway). Routing, the largest and most placement-dependent
term, takes a value inside its range that rises with fanout (one route per net, 0.30 ns for fanout <= 4 up to
the range's slow end 0.60 ns at fanout >= 256): with it, 6 LUT levels fit a 3.33 ns (300 MHz) stage and 7 do
not, which is what the reference says ("about 6-7 LUT levels fit"), and the 2.8 ns budget of issue 13
allows 5 LUT levels between flip-flops.

Figures that fpga-platform.md does not give are marked ASSUMED with the reasoning; the estimator's
unit tests (test_sta.py) check the arithmetic of this model on small synthesised circuits, not the model
against silicon (no Vivado here).
"""

# ---- flip-flops (FDRE/FDSE/FDCE/FDPE) ----
# fpga-platform.md: clock-to-out 0.08-0.10 ns, setup 0.03-0.05 ns. Slow ends.
FF_CLK_TO_Q = 0.10
FF_SETUP = 0.05

# ---- LUTs and routing ----
# fpga-platform.md: LUT 0.04-0.17 ns per level (slow end: the pin is unknown before placement);
# route 0.15-0.6 ns per net, "routing is typically about half of a path" (UG949).
LUT = 0.17
ROUTE_BASE = 0.30          # fanout <= ROUTE_FANOUT_KNEE
ROUTE_FANOUT_KNEE = 4
ROUTE_PER_DOUBLING = 0.05  # +0.05 ns per doubling of fanout above the knee ...
ROUTE_MAX = 0.60           # ... up to the slow end of the range (reached at fanout 256)


def route(fanout):
    """Route delay of one net to one of its `fanout` loads (general interconnect)."""
    if fanout <= ROUTE_FANOUT_KNEE:
        return ROUTE_BASE
    d = ROUTE_BASE
    f = ROUTE_FANOUT_KNEE
    while f < fanout and d < ROUTE_MAX:
        f *= 2
        d += ROUTE_PER_DOUBLING
    return min(d, ROUTE_MAX)


# Dedicated (intra-slice / cascade) connections take no general route: LUT O6 -> CARRY S/DI and
# LUT -> MUXF7 -> MUXF8 -> MUXF9 data inputs (same slice, UG574 CLB), CARRY CO -> next CARRY CI
# (carry chain), DSP PCOUT -> PCIN / ACOUT -> ACIN (UG579 cascades). Counted as 0 ns.
DEDICATED_ROUTE = 0.0

# ---- carry chains ----
# fpga-platform.md: CARRY8 CI->CO 0.015-0.03 ns per slice, S->CO 0.1-0.2 ns. Slow ends. Yosys 0.23 maps
# adders to CARRY4 (4 bits) where Vivado uses CARRY8 (8 bits): a CARRY4 is half a CARRY8 slice, so its
# CI->CO is half the per-slice figure; a 64-bit add is 16 CARRY4 = 8 CARRY8 either way.
CARRY8_CI_TO_CO = 0.03
CARRY4_CI_TO_CO = CARRY8_CI_TO_CO / 2
CARRY_S_TO_CO = 0.20       # S or DI (entering the chain) -> CO / O of the same primitive
CARRY_CI_TO_O = CARRY4_CI_TO_CO  # CI -> sum output O: ASSUMED equal to CI->CO (the sum XOR sits on the carry)

# ---- wide multiplexers ----
# fpga-platform.md: MUXF7/8/9 0.06-0.08 ns each. Slow end.
MUXF = 0.08

# ---- DSP48E2 ----
# DS923 "DSP48 Slice Switching Characteristics", -2 (0.85 V): FMAX 775 MHz with all registers, 544 MHz
# "two register multiply without MREG", 410 MHz "without pipeline registers (MREG, ADREG)" (through the
# pre-adder, which Yosys does not use); fpga-platform.md: a combinational A->P path ~1.5 ns.
# Decomposition (the only one consistent with these three figures): an internal register's clock-to-out
# plus the next register's setup = o; multiplier A/B->M = m; ALU M->P = a:
#   o + m     = 1/775 MHz = 1.29 ns   (AREG -> MREG, the limiting stage with all registers)
#   o + m + a = 1/544 MHz = 1.84 ns   (AREG -> PREG, no MREG)
#   m + a     = 1.50 ns               (A pin -> P pin, no registers)
# gives o = 0.34 (split evenly: clock-to-out 0.17, setup 0.17), m = 0.95, a = 0.55.
DSP_FMAX_ALL_REGS_MHZ = 775.0
DSP_FMAX_NO_MREG_MHZ = 544.0
DSP_COMB_A_TO_P = 1.50
DSP_OVERHEAD = 1000.0 / DSP_FMAX_NO_MREG_MHZ - DSP_COMB_A_TO_P          # 0.338
DSP_MULT = 1000.0 / DSP_FMAX_ALL_REGS_MHZ - DSP_OVERHEAD                # 0.952
DSP_ALU = DSP_COMB_A_TO_P - DSP_MULT                                    # 0.548
DSP_CLK_TO_OUT = DSP_OVERHEAD / 2   # internal register (A/B/M/P) clock-to-out
DSP_SETUP = DSP_OVERHEAD / 2        # internal register (A/B/M/P) setup

# ---- block RAM (RAMB18E2 / RAMB36E2) ----
# fpga-platform.md (DS923 block RAM switching characteristics): clock-to-out 0.8-0.9 ns without the output
# register, 0.26-0.33 ns with it (DOA_REG / DOB_REG). Slow ends.
BRAM_CLK_TO_OUT = 0.90
BRAM_CLK_TO_OUT_REG = 0.33
# Address / data / enable setup: ASSUMED 0.40 ns. DS923 (2024) tabulates only the block RAM's FMAX and
# clock-to-out; 0.40 is the middle of the general route range, so a register driving a BRAM address costs
# about one LUT level more than one driving a flip-flop.
BRAM_SETUP = 0.40

# ---- LUTRAM (RAM32M, RAM32M16, RAM64M, RAM64M8, RAM32X1D, RAM64X1D, RAM128X1D, RAM256X1D, RAM*X1S) ----
# Asynchronous read: the read address passes one LUT (UG574: a SLICEM LUT used as RAM reads like a LUT),
# plus one MUXF7 (128-deep) or MUXF7 + MUXF8 (256-deep, and RAM512X1S: + MUXF9).
LUTRAM_READ = LUT
# Write clock -> read data (the word just written appears at O): ASSUMED 0.90 ns, taken equal to the
# block RAM's unregistered clock-to-out (DS923 lists no LUTRAM figure in its current tables).
LUTRAM_CLK_TO_OUT = 0.90
# Write address / data / write enable setup: ASSUMED, as the block RAM's.
LUTRAM_SETUP = BRAM_SETUP

# ---- shift registers (SRL16E, SRLC16E, SRLC32E) ----
SRL_CLK_TO_OUT = LUTRAM_CLK_TO_OUT   # ASSUMED, as LUTRAM (an SRL is a SLICEM LUT)
SRL_ADDR_TO_OUT = LUT
SRL_SETUP = LUTRAM_SETUP

# ---- budget ----
# issue 13: every module's worst estimated register-to-register path <= 2.8 ns (>= 357 MHz), leaving the
# rest of the 3.33 ns (300 MHz) period to the routing the real tools add.
BUDGET_NS = 2.8
TARGET_MHZ = 300.0


def describe():
    """The model as (name, value, source) rows, for the report."""
    return [
        ("FF clock-to-Q", FF_CLK_TO_Q, "fpga-platform.md 0.08-0.10 (slow end)"),
        ("FF setup", FF_SETUP, "fpga-platform.md 0.03-0.05 (slow end)"),
        ("LUT (any size, per level)", LUT, "fpga-platform.md 0.04-0.17 (slow end)"),
        ("route, fanout <= 4", ROUTE_BASE, "fpga-platform.md 0.15-0.6; UG949 routing ~ half a path"),
        ("route, + per fanout doubling", ROUTE_PER_DOUBLING, "rises to the range's slow end"),
        ("route, max (fanout >= 256)", ROUTE_MAX, "fpga-platform.md slow end"),
        ("CARRY4 CI->CO (half a CARRY8)", CARRY4_CI_TO_CO, "fpga-platform.md CARRY8 0.015-0.03 (slow end)"),
        ("CARRY S/DI->CO/O", CARRY_S_TO_CO, "fpga-platform.md 0.1-0.2 (slow end)"),
        ("MUXF7/8/9", MUXF, "fpga-platform.md 0.06-0.08 (slow end)"),
        ("DSP48E2 multiplier A/B->M", round(DSP_MULT, 3), "DS923 FMAX 775/544 MHz + 1.5 ns A->P"),
        ("DSP48E2 ALU M->P", round(DSP_ALU, 3), "DS923 FMAX 775/544 MHz + 1.5 ns A->P"),
        ("DSP48E2 reg clock-to-out / setup", round(DSP_CLK_TO_OUT, 3), "half of DS923-derived 0.34 overhead"),
        ("RAMB clock-to-out, no DO*_REG", BRAM_CLK_TO_OUT, "fpga-platform.md 0.8-0.9 (slow end)"),
        ("RAMB clock-to-out, DO*_REG", BRAM_CLK_TO_OUT_REG, "fpga-platform.md 0.26-0.33 (slow end)"),
        ("RAMB / LUTRAM / SRL input setup", BRAM_SETUP, "ASSUMED (not tabulated in DS923)"),
        ("LUTRAM / SRL clock-to-out", LUTRAM_CLK_TO_OUT, "ASSUMED = RAMB without DO*_REG"),
        ("LUTRAM async read (per LUT level)", LUTRAM_READ, "= LUT"),
    ]
