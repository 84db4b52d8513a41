# SPDX-License-Identifier: MIT
"""Kernel-contract constants for the hdl scripts, parsed from the generated C header
(drivers/include/lfads_contract.h, generated from KernelContract.java): no number is typed twice."""
import os
import re

_HEADER = os.path.join(os.path.dirname(__file__), "..", "..", "drivers", "include", "lfads_contract.h")
C = {}
with open(_HEADER) as _f:
    for _line in _f:
        _m = re.match(r"#define\s+(LFADS_\w+)\s+(0x[0-9A-Fa-f]+|-?\d+)U?\s*$", _line.strip())
        if _m:
            C[_m.group(1)] = int(_m.group(2), 0)
