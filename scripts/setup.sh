#!/usr/bin/env bash
# Installs the system tools lfads-rt needs that this machine lacks (Debian 12 packages only).
# Usage: scripts/setup.sh [test|bench|all]   (default: test)
#   test  : what `make test` needs (RTL simulators, XRT headers to link the hardware path,
#           PyTorch/NumPy for the checkpoint-exporter test, Chromium for the dashboard test, Redis, pyzmq
#           and GNU Octave for the lab-integration tests)
#   bench : adds what the latency report's extras need
# Idempotent: does nothing when every tool is present. Needs root for apt-get; prints what to run otherwise.
set -euo pipefail
what="${1:-test}"

# package -> a file or command that proves it is installed
declare -A need=(
  [verilator]=/usr/bin/verilator
  [iverilog]=/usr/bin/iverilog
  [yosys]=/usr/bin/yosys
  [z3]=/usr/bin/z3
  # the SLR floorplan hook's syntax test (hdl/scripts/tests/test_vendor_flow.py)
  [tcl]=/usr/bin/tclsh
  [libxrt-dev]=/usr/include/xrt/xrt/xrt_device.h
  [g++]=/usr/bin/g++
  [python3-numpy]=/usr/lib/python3/dist-packages/numpy/__init__.py
  [python3-h5py]=/usr/lib/python3/dist-packages/h5py/__init__.py
  [chromium]=/usr/bin/chromium
  [python3-torch]=/usr/lib/python3/dist-packages/torch/__init__.py
  # lab integration tests (host/.../lab): BRAND over a real Redis, Open Ephys ZMQ stand-in, the MATLAB client in Octave
  [redis-server]=/usr/bin/redis-server
  [python3-redis]=/usr/lib/python3/dist-packages/redis/__init__.py
  [python3-zmq]=/usr/lib/python3/dist-packages/zmq/__init__.py
  [octave]=/usr/bin/octave
  [octave-instrument-control]=/usr/share/octave/packages/instrument-control-0.8.0/PKG_ADD
  [python3-yaml]=/usr/lib/python3/dist-packages/yaml/__init__.py
  [libhdf5-103-1]=/usr/lib/x86_64-linux-gnu/libhdf5_serial.so.103
)
if [[ "$what" == bench || "$what" == all ]]; then
  need[python3-matplotlib]=/usr/lib/python3/dist-packages/matplotlib/__init__.py
fi

missing=()
for pkg in "${!need[@]}"; do
  [[ -e "${need[$pkg]}" ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "setup: installing missing packages: ${missing[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
  echo "setup: not root. Please run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
