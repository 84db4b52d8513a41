// SPDX-License-Identifier: MIT
// XRT backend: drives the lfads_kernel compute unit on an Alveo card through XRT 2.13's native C++ API.
//
// Launch overhead: one xrt::run object per buffer set is built at image load with every argument set once;
// each run only sets NUM_TRIALS/FLAGS and calls run.start(); lfads_wait (or lfads_run) calls run.wait().
// That is one launch (reported 16-100 us through XRT) per batch of up to max_trials trials, not per
// trial; drivers/README.md discusses the alternative (a resident kernel polling a mailbox).
//
// Online mode (docs/kernel-numerics.md section 13) does not go through xrt::run: per bin the driver writes the bin into
// the kernel's next input slot (one sync of N_in bytes; none with host_mem), writes FLAGS when it changes and CTRL =
// ap_start with xrt::kernel::write_register (the CU is opened exclusive), and sees completion in the slot's status
// block: with host_mem by reading the mapped SEQ word, else by syncing the slot's 64 + 4 (fac + n_out) bytes until
// SEQ appears (each poll is one counted sync). No register read per bin. The pointers (the online slot arrays) and
// NUM_TRIALS = slots are written when an online run follows a whole-trial run (xrt::run rewrites them). Before a
// whole-trial run that follows online runs the driver waits (CTRL polled) until the CU is idle. Built and linked
// here against Debian's libxrt (2.14); not yet run on a card.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <thread>

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
  // Online mode: the slot arrays, and what the argument registers hold for it (xrt::run::start overwrites them).
  xrt::bo *online_in_bo = nullptr, *online_out_bo = nullptr;
  bool online_abandoned = false;  // an online run timed out: the CU may still write these buffers
  bool online_regs_valid = false; // pointers + NUM_TRIALS programmed for online runs since the last xrt::run start
  uint32_t online_flags = 0;      // FLAGS as last written directly (valid with online_regs_valid)
  bool online_since_run = false;  // online runs were started since the last xrt::run start
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

void free_online(XrtDevice *x) {
  if (x->online_abandoned) {
    std::fprintf(stderr, "liblfadsrt: xrt: leaking the online buffers of a run that did not finish (the compute unit may still write them)\n");
  } else {
    delete x->online_in_bo;
    delete x->online_out_bo;
  }
  x->online_in_bo = x->online_out_bo = nullptr;
  x->online_abandoned = false;
  x->online_regs_valid = false;
}

void xrt_close(lfads_device *dev) {
  XrtDevice *x = impl(dev);
  for (Slot &s : x->slots) free_slot(s);
  free_online(x);
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
    free_online(x);
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
    x->online_in_bo = new xrt::bo(x->device, l.online_in_stride * dev->n_slots, flags, x->kernel.group_id(ARG_INPUT));
    x->online_out_bo = new xrt::bo(x->device, l.online_out_stride * dev->n_slots, flags, x->kernel.group_id(ARG_OUTPUT));
    std::memset(x->online_in_bo->map<uint8_t *>(), 0, l.online_in_stride * dev->n_slots);
    std::memset(x->online_out_bo->map<uint8_t *>(), 0, l.online_out_stride * dev->n_slots);
    if (!x->host_mem) {
      x->online_out_bo->sync(XCL_BO_SYNC_BO_TO_DEVICE);
      dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
      dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += l.online_out_stride * dev->n_slots;
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

int xrt_write_reg(lfads_device *dev, uint32_t offset, uint32_t value) {
  dev->count[LFADS_COUNT_REG_WRITES]++;
  try {
    impl(dev)->kernel.write_register(offset, value);
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "write_register", e);
  }
  return 0;
}

// Online runs were started with direct register writes, which XRT's scheduler does not know of: before an xrt::run
// start, wait (CTRL polled, off the per-bin path) until the CU is idle with no start pending.
int settle_after_online(lfads_device *dev) {
  XrtDevice *x = impl(dev);
  if (!x->online_since_run) return 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(dev->timeout_ms);
  while (true) {
    uint32_t ctrl = 0;
    if (int rc = xrt_read_reg(dev, LFADS_REG_CTRL, &ctrl)) return rc;
    if ((ctrl & LFADS_CTRL_AP_IDLE) && !(ctrl & LFADS_CTRL_AP_START)) break;
    if (std::chrono::steady_clock::now() >= deadline)
      return lfads_fail(LFADS_E_TIMEOUT, "XRT: compute unit still busy with online runs after %u ms", dev->timeout_ms);
    std::this_thread::yield();
  }
  x->online_since_run = false;
  return 0;
}

int xrt_start(lfads_device *dev, int slot, uint32_t trials, uint32_t flags) {
  Slot &s = impl(dev)->slots[slot];
  if (int rc = settle_after_online(dev)) return rc;
  impl(dev)->online_regs_valid = false;
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
  if (dev->slots[slot].mode != LFADS_MODE_TRIALS) {
    // An online run has no xrt::run to abort and the kernel has no abort input: the CU may still write the online
    // buffers, so they are kept (and leaked at close).
    impl(dev)->online_abandoned = true;
    return 0;
  }
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

int xrt_online_start(lfads_device *dev, int kslot, const uint8_t *bin, uint32_t flags, int clear_status) {
  XrtDevice *x = impl(dev);
  const lfads_layout &l = dev->layout;
  try {
    std::memcpy(x->online_in_bo->map<uint8_t *>() + kslot * l.online_in_stride, bin, l.n_in);
    if (!x->host_mem) {
      x->online_in_bo->sync(XCL_BO_SYNC_BO_TO_DEVICE, l.n_in, kslot * l.online_in_stride);
      dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
      dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += l.n_in;
    }
    if (clear_status) {
      std::memset(x->online_out_bo->map<uint8_t *>() + kslot * l.online_out_stride, 0, LFADS_ONLINE_STATUS_BYTES);
      if (!x->host_mem) {
        x->online_out_bo->sync(XCL_BO_SYNC_BO_TO_DEVICE, LFADS_ONLINE_STATUS_BYTES, kslot * l.online_out_stride);
        dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
        dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += LFADS_ONLINE_STATUS_BYTES;
      }
    }
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "online input transfer", e);
  }
  int rc;
  if (!x->online_regs_valid) {
    const uint64_t img = x->image_bo.address(), in = x->online_in_bo->address(), out = x->online_out_bo->address();
    if ((rc = xrt_write_reg(dev, LFADS_REG_IMAGE_PTR_LO, uint32_t(img))) || (rc = xrt_write_reg(dev, LFADS_REG_IMAGE_PTR_HI, uint32_t(img >> 32))) ||
        (rc = xrt_write_reg(dev, LFADS_REG_INPUT_PTR_LO, uint32_t(in))) || (rc = xrt_write_reg(dev, LFADS_REG_INPUT_PTR_HI, uint32_t(in >> 32))) ||
        (rc = xrt_write_reg(dev, LFADS_REG_OUTPUT_PTR_LO, uint32_t(out))) || (rc = xrt_write_reg(dev, LFADS_REG_OUTPUT_PTR_HI, uint32_t(out >> 32))) ||
        (rc = xrt_write_reg(dev, LFADS_REG_NUM_TRIALS, dev->n_slots)) || (rc = xrt_write_reg(dev, LFADS_REG_FLAGS, flags)))
      return rc;
    x->online_regs_valid = true;
    x->online_flags = flags;
  } else if (x->online_flags != flags) {
    if ((rc = xrt_write_reg(dev, LFADS_REG_FLAGS, flags))) return rc;
    x->online_flags = flags;
  }
  if ((rc = xrt_write_reg(dev, LFADS_REG_CTRL, LFADS_CTRL_AP_START))) return rc;
  dev->count[LFADS_COUNT_KERNEL_RUNS]++;
  x->online_since_run = true;
  return 0;
}

uint32_t le32(const uint8_t *p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }

int xrt_online_finish(lfads_device *dev, int kslot, uint32_t seq, int seq_known, uint32_t *block) {
  XrtDevice *x = impl(dev);
  const lfads_layout &l = dev->layout;
  const size_t off = kslot * l.online_out_stride;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(dev->timeout_ms);
  try {
    const volatile uint8_t *slot = x->online_out_bo->map<uint8_t *>() + off;
    while (true) {
      if (!x->host_mem) {  // device memory: one sync per look at the block
        x->online_out_bo->sync(XCL_BO_SYNC_BO_FROM_DEVICE, l.online_out_bytes, off);
        dev->count[LFADS_COUNT_SYNCS_FROM_DEVICE]++;
        dev->count[LFADS_COUNT_BYTES_FROM_DEVICE] += l.online_out_bytes;
      }
      uint8_t head[LFADS_ONLINE_STATUS_BYTES];
      for (int i = 0; i < LFADS_ONLINE_STATUS_BYTES; i++) head[i] = slot[i];
      if (le32(head + 4 * LFADS_OS_MAGIC) == uint32_t(LFADS_ONLINE_STATUS_MAGIC) && (!seq_known || le32(head + 4 * LFADS_OS_SEQ) == seq)) break;
      if (std::chrono::steady_clock::now() >= deadline)
        return lfads_fail(LFADS_E_TIMEOUT, "XRT: online run (slot %d, SEQ %u) wrote no status block within %u ms (hang)", kslot, seq, dev->timeout_ms);
      std::this_thread::yield();
    }
    if (block) std::memcpy(block, x->online_out_bo->map<const uint8_t *>() + off, l.online_out_bytes);
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "online output transfer", e);
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
    "xrt",     xrt_open,        xrt_close,        xrt_read_reg,      xrt_stage_image, xrt_write_input, xrt_start, xrt_finish,
    xrt_abort, xrt_read_output, xrt_online_start, xrt_online_finish, xrt_describe,
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
