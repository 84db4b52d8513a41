// SPDX-License-Identifier: MIT
// XRT backend: drives the lfads_kernel compute unit on an Alveo card through XRT 2.13's native C++ API.
//
// Launch overhead: one xrt::run object per buffer set is built at image load with every argument set once;
// each run only sets NUM_TRIALS/FLAGS and calls run.start(); lfads_wait (or lfads_run) calls run.wait().
// That is one launch (reported 16-100 us through XRT) per batch of up to max_trials trials, not per
// trial; drivers/README.md discusses the alternative (a resident kernel polling a mailbox).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include <experimental/xrt_system.h>
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>

#include "lfads_internal.h"

namespace {

// Kernel argument indices, in register-map order (docs/kernel-numerics.md §11).
constexpr int ARG_IMAGE = 0, ARG_INPUT = 1, ARG_OUTPUT = 2, ARG_NUM_TRIALS = 3, ARG_FLAGS = 4;
// Registers XRT writes per start: the three 64-bit pointers, NUM_TRIALS, FLAGS (one word each) and CTRL.
constexpr uint64_t REG_WRITES_PER_START = 3 * 2 + 2 + 1;

// One buffer set: its own input/output buffers and its own xrt::run with them bound, so several runs can
// be queued to the compute unit at once (XRT starts each when the previous one finishes).
struct Slot {
  xrt::bo *input_bo = nullptr, *output_bo = nullptr;  // owned; leaked on purpose after an unconfirmed abort
  xrt::run *run = nullptr;
  bool abandoned = false;  // timed out and the abort was not confirmed: the CU may still write its buffers
};

struct XrtDevice {
  unsigned index = 0;
  std::string xclbin;
  bool host_mem = false;  // input/output in host memory (xrt::bo::flags::host_only): the kernel reads PCIe, no syncs
  xrt::device device;
  xrt::uuid uuid;
  xrt::kernel kernel;
  xrt::bo image_bo;
  Slot slots[LFADS_MAX_SLOTS];
  size_t image_bytes = 0;
};

XrtDevice *impl(lfads_device *dev) { return static_cast<XrtDevice *>(dev->impl); }

// XRT reports every failure as an exception; this turns one into an error code and message.
int xrt_fail(int code, const char *what, const std::exception &e) {
  const char *reason = e.what();
  if (std::strstr(reason, "XILINX_XRT"))
    return lfads_fail(LFADS_E_NOT_AVAILABLE,
                      "XRT %s: %s (set XILINX_XRT to the XRT install, e.g. /opt/xilinx/xrt; with Debian's libxrt "
                      "packages use drivers/build/xrt-root, whose lib/ links to /usr/lib/x86_64-linux-gnu)",
                      what, reason);
  return lfads_fail(code, "XRT %s: %s", what, reason);
}

void free_slot(Slot &s) {
  if (s.abandoned) {
    // The compute unit may still DMA into these buffers: freeing them could hand that memory to someone else.
    std::fprintf(stderr, "liblfadsrt: xrt: leaking the buffers of a run whose abort was not confirmed "
                         "(the compute unit may still write them)\n");
  } else {
    delete s.run;
    delete s.input_bo;
    delete s.output_bo;
  }
  s = Slot();
}

int xrt_open(lfads_device *dev, lfads_uri *uri) {
  char *end = nullptr;
  unsigned long index = std::strtoul(uri->target, &end, 10);
  if (uri->target[0] == 0 || *end != 0)
    return lfads_fail(LFADS_E_INVALID, "device URI xrt:%s: expected a card index, e.g. xrt:0?xclbin=PATH", uri->target);
  const char *xclbin = lfads_uri_get(uri, "xclbin");
  if (!xclbin || !*xclbin)
    return lfads_fail(LFADS_E_INVALID, "device URI xrt:%s: missing option xclbin=PATH (the kernel binary to load)", uri->target);
  uint32_t host_mem = 0;
  if (int rc = lfads_uri_get_u32(uri, "host_mem", 0, 1, &host_mem)) return rc;
  auto *x = new (std::nothrow) XrtDevice();
  if (!x) return lfads_fail(LFADS_E_NOMEM, "xrt open: out of memory");
  x->index = static_cast<unsigned>(index);
  x->xclbin = xclbin;
  x->host_mem = host_mem != 0;
  try {
    x->device = xrt::device(x->index);
  } catch (const std::exception &e) {
    delete x;
    return xrt_fail(LFADS_E_NOT_AVAILABLE, ("open device " + std::to_string(index)).c_str(), e);
  }
  try {
    x->uuid = x->device.load_xclbin(x->xclbin);
    // Exclusive access: the driver reads KERNEL_ID, CYCLES, STATUS... registers directly.
    x->kernel = xrt::kernel(x->device, x->uuid, "lfads_kernel", xrt::kernel::cu_access_mode::exclusive);
  } catch (const std::exception &e) {
    delete x;
    return xrt_fail(LFADS_E_DEVICE, ("load " + std::string(xclbin)).c_str(), e);
  }
  dev->impl = x;
  return 0;
}

void xrt_close(lfads_device *dev) {
  XrtDevice *x = impl(dev);
  for (Slot &s : x->slots) free_slot(s);
  delete x;
  dev->impl = nullptr;
}

int xrt_read_reg(lfads_device *dev, uint32_t offset, uint32_t *value) {
  dev->count[LFADS_COUNT_REG_READS]++;
  try {
    *value = impl(dev)->kernel.read_register(offset);
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "read_register", e);
  }
  if (*value == 0xFFFFFFFFu && offset == LFADS_REG_CTRL)
    return lfads_fail(LFADS_E_LOST, "XRT: register 0x%02X reads 0xFFFFFFFF: the card is gone", offset);
  return 0;
}

int xrt_stage_image(lfads_device *dev, const void *image, size_t bytes) {
  XrtDevice *x = impl(dev);
  const lfads_layout &l = dev->layout;
  try {
    // Buffers are allocated once per image (the shape decides their size), in the memory bank the xclbin
    // connected each argument to; with host_mem, input and output are host memory the kernel reaches over PCIe.
    // host_mem: the kernel's one AXI master (m_axi_gmem) is linked to HOST[0], so every argument, the image too,
    // is host memory; x86 PCIe reads and writes are cache-coherent, so no sync is issued for those buffers.
    for (Slot &s : x->slots) free_slot(s);
    const auto flags = x->host_mem ? xrt::bo::flags::host_only : xrt::bo::flags::normal;
    x->image_bo = xrt::bo(x->device, bytes, flags, x->kernel.group_id(ARG_IMAGE));
    x->image_bo.write(image, bytes, 0);
    if (!x->host_mem) {
      x->image_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE);
      dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
      dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += bytes;
    }
    x->image_bytes = bytes;
    for (uint32_t i = 0; i < dev->n_slots; i++) {
      Slot &s = x->slots[i];
      s.input_bo = new xrt::bo(x->device, l.input_stride * dev->max_trials, flags, x->kernel.group_id(ARG_INPUT));
      s.output_bo = new xrt::bo(x->device, l.output_stride * dev->max_trials, flags, x->kernel.group_id(ARG_OUTPUT));
      std::memset(s.input_bo->map<uint8_t *>(), 0, l.input_stride * dev->max_trials);
      s.run = new xrt::run(x->kernel);
      s.run->set_arg(ARG_IMAGE, x->image_bo);
      s.run->set_arg(ARG_INPUT, *s.input_bo);
      s.run->set_arg(ARG_OUTPUT, *s.output_bo);
    }
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_NOMEM, "buffer allocation", e);
  }
  return 0;
}

int xrt_write_input(lfads_device *dev, int slot, const uint8_t *spikes, uint32_t trials) {
  XrtDevice *x = impl(dev);
  Slot &s = x->slots[slot];
  const lfads_layout &l = dev->layout;
  try {
    auto *dst = s.input_bo->map<uint8_t *>();
    for (uint32_t t = 0; t < trials; t++)
      std::memcpy(dst + t * l.input_stride, spikes + t * l.spike_bytes_per_trial, l.spike_bytes_per_trial);
    if (!x->host_mem) {  // only the bytes this run uses
      s.input_bo->sync(XCL_BO_SYNC_BO_TO_DEVICE, l.input_stride * trials, 0);
      dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
      dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += l.input_stride * trials;
    }
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "input transfer", e);
  }
  return 0;
}

int xrt_start(lfads_device *dev, int slot, uint32_t trials, uint32_t flags) {
  Slot &s = impl(dev)->slots[slot];
  try {
    s.run->set_arg(ARG_NUM_TRIALS, trials);
    s.run->set_arg(ARG_FLAGS, flags);
    s.run->start();
    dev->count[LFADS_COUNT_REG_WRITES] += REG_WRITES_PER_START;
    dev->count[LFADS_COUNT_KERNEL_RUNS]++;
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "run start", e);
  }
  return 0;
}

int xrt_finish(lfads_device *dev, int slot, lfads_run_status *st) {
  Slot &s = impl(dev)->slots[slot];
  try {
    auto state = s.run->wait(std::chrono::milliseconds(dev->timeout_ms));
    if (state == ERT_CMD_STATE_TIMEOUT)
      return lfads_fail(LFADS_E_TIMEOUT, "XRT: kernel did not finish within %u ms (hang)", dev->timeout_ms);
    if (state != ERT_CMD_STATE_COMPLETED)
      return lfads_fail(state == ERT_CMD_STATE_ABORT ? LFADS_E_LOST : LFADS_E_DEVICE,
                        "XRT: run ended in state %d instead of COMPLETED (4)", static_cast<int>(state));
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "run", e);
  }
  // What the kernel reports. With several runs queued these registers may already belong to the next run
  // (XRT starts it as soon as this one is done); the online mode's per-run status block avoids that.
  static const uint32_t regs[5] = {LFADS_REG_STATUS, LFADS_REG_ERROR_CODE, LFADS_REG_TRIALS_DONE, LFADS_REG_CYCLES_LO, LFADS_REG_CYCLES_HI};
  uint32_t v[5];
  for (int i = 0; i < 5; i++)
    if (int rc = xrt_read_reg(dev, regs[i], &v[i])) return rc;
  *st = {v[0], v[1], v[2], uint64_t(v[4]) << 32 | v[3]};
  return 0;
}

// xrt::run::abort (XRT 2.13 and later) asks the scheduler to abort the command and waits for it. The
// command is known to be off the compute unit only if it ends ABORT (or completed meanwhile); otherwise the
// slot's buffers are kept and leaked at close.
int xrt_abort(lfads_device *dev, int slot) {
  Slot &s = impl(dev)->slots[slot];
  ert_cmd_state state = ERT_CMD_STATE_TIMEOUT;
  try {
    state = s.run->abort();
  } catch (const std::exception &e) {
    std::fprintf(stderr, "liblfadsrt: xrt: run abort failed: %s\n", e.what());
  }
  bool confirmed = state == ERT_CMD_STATE_ABORT || state == ERT_CMD_STATE_COMPLETED;
  s.abandoned = !confirmed;
  return confirmed ? 1 : 0;
}

int xrt_read_output(lfads_device *dev, int slot, int32_t *out, uint32_t trials) {
  XrtDevice *x = impl(dev);
  Slot &s = x->slots[slot];
  const lfads_layout &l = dev->layout;
  try {
    if (!x->host_mem) {  // only the bytes this run wrote
      s.output_bo->sync(XCL_BO_SYNC_BO_FROM_DEVICE, l.output_stride * trials, 0);
      dev->count[LFADS_COUNT_SYNCS_FROM_DEVICE]++;
      dev->count[LFADS_COUNT_BYTES_FROM_DEVICE] += l.output_stride * trials;
    }
    const auto *src = s.output_bo->map<const uint8_t *>();
    for (uint32_t t = 0; t < trials; t++)
      std::memcpy(out + t * l.out_words_per_trial, src + t * l.output_stride, l.out_words_per_trial * 4);
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "output transfer", e);
  }
  return 0;
}

void xrt_describe(lfads_device *dev, char *buf, size_t cap) {
  XrtDevice *x = impl(dev);
  std::snprintf(buf, cap, "xrt card %u, %s, %s buffers, %u buffer sets", x->index, x->xclbin.c_str(),
                x->host_mem ? "host-memory (host_only)" : "device-memory", dev->n_slots);
}

}  // namespace

extern "C" {
const lfads_backend_ops lfads_xrt_ops = {
    "xrt", xrt_open, xrt_close, xrt_read_reg, xrt_stage_image, xrt_write_input, xrt_start, xrt_finish, xrt_abort, xrt_read_output, xrt_describe,
};
const int lfads_have_xrt = 1;

int lfads_xrt_count_devices(void) {
  try {
    return static_cast<int>(xrt::system::enumerate_devices());
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_NOT_AVAILABLE, "enumerate devices", e);
  }
}
}
