#!/usr/bin/python3
"""Reads an NWB file written by lfads-rt with h5py and checks what the NWB 2.x core schema requires of it:
the NWBFile root (nwb_version, neurodata_type, namespace, object_id; file_create_date, identifier,
session_description, session_start_time, timestamps_reference_time; the acquisition, analysis, processing,
stimulus/presentation, stimulus/templates and general groups), the ProcessingModule (description) and every
TimeSeries in it (description, comments, data with unit/conversion/resolution/offset, timestamps with
interval = 1 and unit = seconds, as many timestamps as data rows, ascending).

When the file has intervals/invalid_times it checks that TimeIntervals too (neurodata_type, namespace, object_id,
description, colnames = start_time, stop_time; id an ElementIdentifiers, each column a VectorData with a
description, all of one length; start < stop; rows ascending and disjoint).

usage: check_nwb.py FILE.nwb [MODULE] [--full]
prints one JSON object: {"nwb_version", "session_start_time", "series": {name: {"shape", "first_ts", "last_ts",
"unit", "first_row", "last_row"}}, "description", "invalid_times": [[start, stop], ...]}; with --full each series
also has "data" and "timestamps" (every row). Exits 1 with the failed check on stderr.
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


def vector(d, ntype, what):
    check(isinstance(d, h5py.Dataset) and d.ndim == 1, what + " 1-D dataset")
    check(text(d.attrs.get("neurodata_type", "")) == ntype, f"{what} neurodata_type {ntype}")
    check(text(d.attrs.get("namespace", "")) == "hdmf-common", what + " namespace hdmf-common")
    uuid.UUID(text(d.attrs["object_id"]))


def invalid_times(f):
    t = f["intervals/invalid_times"]
    typed(t, "TimeIntervals")
    check(len(text(t.attrs["description"])) > 0, "invalid_times description")
    cols = [text(c) for c in t.attrs["colnames"]]
    check(cols == ["start_time", "stop_time"], "invalid_times colnames start_time, stop_time: " + str(cols))
    vector(t["id"], "ElementIdentifiers", "invalid_times/id")
    check(np.issubdtype(t["id"].dtype, np.integer), "invalid_times/id integer")
    n = t["id"].shape[0]
    for c in cols:
        vector(t[c], "VectorData", "invalid_times/" + c)
        check(len(text(t[c].attrs["description"])) > 0, "invalid_times/" + c + " description")
        check(t[c].shape == (n,), "invalid_times/" + c + " has a row per id")
    start, stop = t["start_time"][()], t["stop_time"][()]
    check(bool(np.all(start < stop)), "invalid_times start < stop")
    check(bool(np.all(start[1:] >= stop[:-1])), "invalid_times rows ascending and disjoint")
    return [[float(a), float(b)] for a, b in zip(start, stop)]


def main(path, module, full=False):
    out = {"series": {}, "invalid_times": None}
    with h5py.File(path, "r") as f:
        version = text(f.attrs["nwb_version"])
        check(re.fullmatch(r"2\.\d+\.\d+", version) is not None, "nwb_version 2.x.y: " + version)
        out["nwb_version"] = version
        typed(f, "NWBFile")
        for d in ("identifier", "session_description", "session_start_time", "timestamps_reference_time"):
            check(d in f and isinstance(f[d], h5py.Dataset) and f[d].shape == (), "scalar dataset " + d)
            check(len(text(f[d][()])) > 0, d + " not empty")
        iso(text(f["session_start_time"][()]), "session_start_time")
        out["session_start_time"] = text(f["session_start_time"][()])
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
            if full:
                out["series"][name]["data"] = data[()].astype(float).tolist()
                out["series"][name]["timestamps"] = ts_v.tolist()
        if "intervals/invalid_times" in f:
            out["invalid_times"] = invalid_times(f)
    print(json.dumps(out))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--full"]
    main(args[0], args[1] if len(args) > 1 else "lfads", "--full" in sys.argv[1:])
