#!/usr/bin/env python3
"""Writes the tiny numpy fixtures that sim's Npy/NpzReader tests read.

Run with Debian's numpy:  /usr/bin/python3 sim/python/make_npy_fixtures.py
Output: sim/src/test/resources/npy/ (a few hundred bytes each). The values are also written
literally in NpyTest.java, so a change here must be mirrored there.
"""
import json
import os
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "npy")


def save(name, a, version=None):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, a, version=version, allow_pickle=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    f8 = np.array([[0.5, -1.25, 1.0 / 3.0], [1e-300, -0.0, 6.02e23]], dtype="<f8")
    save("f8_2x3.npy", f8)
    save("f8_2x3_v2.npy", f8, version=(2, 0))
    save("f4_3.npy", np.array([0.1, -2.5, 3.4028235e38], dtype="<f4"))
    save("i8_4.npy", np.array([-(2**63), -1, 0, 2**63 - 1], dtype="<i8"))
    save("i4_2x2.npy", np.array([[-(2**31), 7], [0, 2**31 - 1]], dtype="<i4"))
    save("i2_3.npy", np.array([-32768, 5, 32767], dtype="<i2"))
    save("i1_3.npy", np.array([-128, 0, 127], dtype="|i1"))
    save("u1_3.npy", np.array([0, 200, 255], dtype="|u1"))
    save("u2_3.npy", np.array([0, 40000, 65535], dtype="<u2"))
    save("u4_3.npy", np.array([0, 3000000000, 4294967295], dtype="<u4"))
    save("bool_4.npy", np.array([True, False, False, True]))
    save("i8_2x3x4.npy", np.arange(24, dtype="<i8").reshape(2, 3, 4))
    save("f8_scalar.npy", np.array(2.75))
    save("f8_0x3.npy", np.zeros((0, 3)))
    # Rejected inputs.
    save("f8_fortran.npy", np.asfortranarray(f8))
    save("c16_2.npy", np.array([1 + 2j, 3 - 4j], dtype="<c16"))
    save("f8_bigendian.npy", np.array([1.0, 2.0], dtype=">f8"))
    with open(os.path.join(OUT, "f8_2x3.npy"), "rb") as f:
        whole = f.read()
    with open(os.path.join(OUT, "f8_truncated.npy"), "wb") as f:
        f.write(whole[:-5])
    # Archives: plain np.savez plus a JSON member, and a compressed one.
    npz = os.path.join(OUT, "mixed.npz")
    np.savez(npz, weights=f8, counts=np.array([[1, 2, 3]], dtype="<i4"))
    with zipfile.ZipFile(npz, "a") as z:
        z.writestr("hparams.json", json.dumps({"gen_dim": 64, "cell_clip": 5.0}))
    np.savez_compressed(os.path.join(OUT, "compressed.npz"), weights=f8)


if __name__ == "__main__":
    main()
