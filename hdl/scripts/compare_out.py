#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Compare an RTL output buffer with the reference: every factor and log-rate word of every trial.
usage: compare_out.py model.img expect.bin out.bin trials"""
import struct
import sys

from contract import C


def main():
    img, exp, out, trials = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    hdr = struct.unpack("<256I", open(img, "rb").read(1024))
    n_out, t_rec, fac = hdr[C["LFADS_H_N_OUT"]], hdr[C["LFADS_H_T_REC"]], hdr[C["LFADS_H_FAC_DIM"]]
    per = t_rec * (fac + n_out)
    stride = (per * 4 + 63) // 64 * 64
    e = open(exp, "rb").read()
    o = open(out, "rb").read()
    bad = 0
    for k in range(trials):
        ev = struct.unpack_from("<%di" % per, e, k * stride)
        ov = struct.unpack_from("<%di" % per, o, k * stride)
        for i, (a, b) in enumerate(zip(ev, ov)):
            if a != b:
                if bad < 10:
                    t, j = divmod(i, fac + n_out)
                    what = ("factor", j) if j < fac else ("lograte", j - fac)
                    print("mismatch trial %d step %d %s %d: expected %d, rtl %d" % (k, t, what[0], what[1], a, b))
                bad += 1
    print("mismatches: %d of %d values" % (bad, per * trials))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
