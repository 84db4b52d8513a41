#!/usr/bin/python3
"""Reads an NWB file written by lfads-rt with h5py and checks what the NWB 2.x core schema requires of it:
the NWBFile root (nwb_version, neurodata_type, namespace, object_id; file_create_date, identifier,
session_description, session_start_time, timestamps_reference_time; the acquisition, analysis, processing,
stimulus/presentation, stimulus/templates and general groups), the ProcessingModule (description) and every
TimeSeries in it (description, comments, data with unit/conversion/resolution/offset, timestamps with
interval = 1 and unit = seconds, as many timestamps as data rows, ascending).

usage: check_nwb.py FILE.nwb MODULE
prints one JSON object: {"nwb_version", "series": {name: {"shape", "first_ts", "last_ts", "unit"}}, "description"}
and exits 1 with the failed check on stderr.
"""
import datetime
import json
import re
import sys
import uuid

import h5py
import numpy as np


def text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.shape == ():
        return text(v[()])
    return str(v)


def check(cond, what):
    if not cond:
        print("NWB check failed: " + what, file=sys.stderr)
        sys.exit(1)


def typed(obj, ntype):
    check(text(obj.attrs.get("neurodata_type", "")) == ntype, f"{obj.name} neurodata_type {ntype}")
    check(text(obj.attrs.get("namespace", "")) == "core", f"{obj.name} namespace core")
    uuid.UUID(text(obj.attrs["object_id"]))


def iso(s, what):
    try:
        datetime.datetime.fromisoformat(s)
    except ValueError:
        check(False, f"{what} '{s}' is ISO 8601")


def main(path, module):
    out = {"series": {}}
    with h5py.File(path, "r") as f:
        version = text(f.attrs["nwb_version"])
        check(re.fullmatch(r"2\.\d+\.\d+", version) is not None, "nwb_version 2.x.y: " + version)
        out["nwb_version"] = version
        typed(f, "NWBFile")
        for d in ("identifier", "session_description", "session_start_time", "timestamps_reference_time"):
            check(d in f and isinstance(f[d], h5py.Dataset) and f[d].shape == (), "scalar dataset " + d)
            check(len(text(f[d][()])) > 0, d + " not empty")
        iso(text(f["session_start_time"][()]), "session_start_time")
        iso(text(f["timestamps_reference_time"][()]), "timestamps_reference_time")
        check(f["file_create_date"].ndim == 1 and f["file_create_date"].shape[0] >= 1, "file_create_date (1-D)")
        iso(text(f["file_create_date"][0]), "file_create_date[0]")
        for g in ("acquisition", "analysis", "processing", "stimulus/presentation", "stimulus/templates", "general"):
            check(g in f and isinstance(f[g], h5py.Group), "group " + g)
        m = f["processing"][module]
        typed(m, "ProcessingModule")
        out["description"] = text(m.attrs["description"])
        for name, ts in m.items():
            typed(ts, "TimeSeries")
            check(len(text(ts.attrs["description"])) > 0, name + " description")
            check("comments" in ts.attrs, name + " comments")
            data, t = ts["data"], ts["timestamps"]
            check(len(text(data.attrs["unit"])) > 0, name + "/data unit")
            for a in ("conversion", "resolution", "offset"):
                check(np.isfinite(float(data.attrs[a])), f"{name}/data {a}")
            check(float(data.attrs["conversion"]) == 1.0, name + " conversion 1")
            check(int(t.attrs["interval"]) == 1, name + "/timestamps interval 1")
            check(text(t.attrs["unit"]) == "seconds", name + "/timestamps unit seconds")
            check(t.dtype == np.float64 and t.ndim == 1, name + "/timestamps float64 1-D")
            check(data.shape[0] == t.shape[0], name + " rows = timestamps")
            ts_v = t[()]
            check(bool(np.all(np.diff(ts_v) > 0)), name + " timestamps ascending")
            out["series"][name] = {"shape": list(data.shape), "first_ts": float(ts_v[0]), "last_ts": float(ts_v[-1]),
                                   "unit": text(data.attrs["unit"]), "first_row": [float(x) for x in data[0]],
                                   "last_row": [float(x) for x in data[-1]]}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "lfads")
