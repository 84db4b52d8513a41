// SPDX-License-Identifier: MIT
// XRT backend: drives the lfads_kernel compute unit on an Alveo card through XRT 2.13's native C++ API.
//
// Launch overhead: one xrt::run object is built at image load with every argument set once; each
// lfads_run chunk only rewrites NUM_TRIALS/FLAGS when they change and calls run.start() + run.wait().
// That is one launch (reported 16-100 us through XRT) per batch of up to max_trials trials, not per
// trial; drivers/README.md discusses the alternative (a resident kernel polling a mailbox).
#include <chrono>
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

struct XrtDevice {
  unsigned index = 0;
  std::string xclbin;
  xrt::device device;
  xrt::uuid uuid;
  xrt::kernel kernel;
  xrt::bo image_bo, input_bo, output_bo;
  xrt::run run;
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

int xrt_open(lfads_device *dev, lfads_uri *uri) {
  char *end = nullptr;
  unsigned long index = std::strtoul(uri->target, &end, 10);
  if (uri->target[0] == 0 || *end != 0)
    return lfads_fail(LFADS_E_INVALID, "device URI xrt:%s: expected a card index, e.g. xrt:0?xclbin=PATH", uri->target);
  const char *xclbin = lfads_uri_get(uri, "xclbin");
  if (!xclbin || !*xclbin)
    return lfads_fail(LFADS_E_INVALID, "device URI xrt:%s: missing option xclbin=PATH (the kernel binary to load)", uri->target);
  auto *x = new (std::nothrow) XrtDevice();
  if (!x) return lfads_fail(LFADS_E_NOMEM, "xrt open: out of memory");
  x->index = static_cast<unsigned>(index);
  x->xclbin = xclbin;
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
  delete impl(dev);
  dev->impl = nullptr;
}

int xrt_read_reg(lfads_device *dev, uint32_t offset, uint32_t *value) {
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
    // Buffers are allocated once per image (the shape decides their size), in the memory bank the
    // xclbin connected each argument to.
    x->image_bo = xrt::bo(x->device, bytes, x->kernel.group_id(ARG_IMAGE));
    x->input_bo = xrt::bo(x->device, l.input_stride * dev->max_trials, x->kernel.group_id(ARG_INPUT));
    x->output_bo = xrt::bo(x->device, l.output_stride * dev->max_trials, x->kernel.group_id(ARG_OUTPUT));
    x->image_bo.write(image, bytes, 0);
    x->image_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE);
    std::memset(x->input_bo.map<uint8_t *>(), 0, l.input_stride * dev->max_trials);
    x->image_bytes = bytes;
    x->run = xrt::run(x->kernel);
    x->run.set_arg(ARG_IMAGE, x->image_bo);
    x->run.set_arg(ARG_INPUT, x->input_bo);
    x->run.set_arg(ARG_OUTPUT, x->output_bo);
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_NOMEM, "buffer allocation", e);
  }
  return 0;
}

int xrt_write_input(lfads_device *dev, const uint8_t *spikes, uint32_t trials) {
  XrtDevice *x = impl(dev);
  const lfads_layout &l = dev->layout;
  try {
    auto *dst = x->input_bo.map<uint8_t *>();
    for (uint32_t t = 0; t < trials; t++)
      std::memcpy(dst + t * l.input_stride, spikes + t * l.spike_bytes_per_trial, l.spike_bytes_per_trial);
    x->input_bo.sync(XCL_BO_SYNC_BO_TO_DEVICE, l.input_stride * trials, 0);
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "input transfer", e);
  }
  return 0;
}

int xrt_execute(lfads_device *dev, uint32_t trials, uint32_t flags) {
  XrtDevice *x = impl(dev);
  try {
    x->run.set_arg(ARG_NUM_TRIALS, trials);
    x->run.set_arg(ARG_FLAGS, flags);
    x->run.start();
    auto state = x->run.wait(std::chrono::milliseconds(dev->timeout_ms));
    if (state == ERT_CMD_STATE_TIMEOUT)
      return lfads_fail(LFADS_E_TIMEOUT, "XRT: kernel did not finish %u trials within %u ms (hang)", trials, dev->timeout_ms);
    if (state != ERT_CMD_STATE_COMPLETED)
      return lfads_fail(state == ERT_CMD_STATE_ABORT ? LFADS_E_LOST : LFADS_E_DEVICE,
                        "XRT: run ended in state %d instead of COMPLETED (4)", static_cast<int>(state));
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "run", e);
  }
  return 0;
}

int xrt_read_output(lfads_device *dev, int32_t *out, uint32_t trials) {
  XrtDevice *x = impl(dev);
  const lfads_layout &l = dev->layout;
  try {
    x->output_bo.sync(XCL_BO_SYNC_BO_FROM_DEVICE, l.output_stride * trials, 0);
    const auto *src = x->output_bo.map<const uint8_t *>();
    for (uint32_t t = 0; t < trials; t++)
      std::memcpy(out + t * l.out_words_per_trial, src + t * l.output_stride, l.out_words_per_trial * 4);
  } catch (const std::exception &e) {
    return xrt_fail(LFADS_E_DEVICE, "output transfer", e);
  }
  return 0;
}

}  // namespace

extern "C" {
const lfads_backend_ops lfads_xrt_ops = {
    "xrt", xrt_open, xrt_close, xrt_read_reg, xrt_stage_image, xrt_write_input, xrt_execute, xrt_read_output,
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
