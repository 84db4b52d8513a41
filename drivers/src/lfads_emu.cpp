// SPDX-License-Identifier: MIT
// Emulation backend: the Verilated lfads_kernel (hdl/rtl) driven through its real interfaces.
//
// Each handle owns one VerilatedContext and one model, so several emulated devices can live in one
// process. The Vitis shell around the kernel (ap_clk/ap_rst_n, AXI4-Lite master on s_axi_control, AXI4
// memory slave on m_axi_gmem standing in for the card's HBM) is hdl/harness/lfads_host_model.h, the same
// model the cosim harness uses.
//
// Device memory timing. Default: the HBM idle read latency measured on an Alveo U280 by Shuhai (Wang,
// Huang, Zhang, Alonso, "Shuhai: Benchmarking High Bandwidth Memory on FPGAs", FCCM 2020): 106.7 ns for a
// page hit, up to 137.8 ns for a page miss, i.e. 32 + 0..9 cycles at the 300 MHz kernel clock; write
// responses as late as reads; 32 bursts outstanding per direction (the HBM AXI ports take more).
// Options: mem_latency=N (cycles, >= 1), mem_jitter=N, mem_write_latency=N (write response after the last W beat;
// default mem_latency - 1), mem_stall_pct=P (READY/VALID withheld at random in P %
// of cycles: back-pressure), mem_outstanding=N (0 = unlimited), mem_seed=S; environment variables
// LFADSRT_EMU_MEM_LATENCY / _JITTER / _STALL_PCT / _OUTSTANDING set the defaults. mem_latency=1&mem_jitter=0
// is an ideal memory (answers on the next cycle).
//
// Other options (emu:?key=value&...): lanes=N (checked against CONFIG[31:16] of the built model),
// clock_mhz=F (time base of the trace), trace=FILE.vcd, hang_after=N (the memory stops answering from run
// N+1 on: a hung kernel that never asserts done), lose_after=N (during run N+1 the device disappears:
// register reads return all ones, as a PCIe card that fell off the bus).
//
// Completion is signalled by the kernel's interrupt line (the port Verilator calls __SYM__interrupt; GIE/IER
// enabled at open; ISR cleared with one write per run), as XRT does, so the register counts are what a card
// would pay, not emulator polling.
// Runs submitted while the kernel is busy are queued and started in order as it finishes each.
//
// Online mode (docs/kernel-numerics.md section 13): each bin is copied into the kernel's next input slot and started
// at once with CTRL = ap_start (FLAGS written only when it changes; the kernel takes a start written while it is
// busy when it is idle). Completion is NOT the interrupt: the driver polls the status block's SEQ word in the output
// slot (emulated device memory, looked at between clock cycles; on a card: a host-memory buffer, or one DMA sync of the
// slot), so a bin costs no register read and no interrupt acknowledgement. The interrupt these runs raise is
// acknowledged once, when the next whole-trial run or image load is started (after the kernel went idle).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "verilated.h"
#include "verilated_vcd_c.h"

#include EMU_TOP_HEADER
#include "lfads_host_model.h"
#include "lfads_internal.h"

#ifndef EMU_AXI_DATA_WIDTH
#define EMU_AXI_DATA_WIDTH 512
#endif
// The backend table this translation unit defines (the library holds one per kernel configuration).
#ifndef EMU_OPS
#define EMU_OPS lfads_emu_ops
#endif
#ifndef EMU_CONFIG_NAME
#define EMU_CONFIG_NAME "default"
#endif

#ifndef EMU_SECONDARY
// Verilator calls these on $finish/$stop/internal errors; the defaults exit the process, which would
// take the JVM down with it. Here they only mark the context; the backend turns that into an error.
// Defined once per library (the second configuration's unit is built with EMU_SECONDARY).
thread_local std::string lfads_emu_verilator_msg;
void vl_finish(const char *filename, int linenum, const char *) {
  lfads_emu_verilator_msg = std::string("$finish at ") + filename + ":" + std::to_string(linenum);
  Verilated::threadContextp()->gotFinish(true);
}
void vl_stop(const char *filename, int linenum, const char *) {
  lfads_emu_verilator_msg = std::string("$stop at ") + filename + ":" + std::to_string(linenum);
  Verilated::threadContextp()->gotError(true);
  Verilated::threadContextp()->gotFinish(true);
}
void vl_fatal(const char *filename, int linenum, const char *, const char *msg) {
  lfads_emu_verilator_msg = std::string("fatal at ") + (filename ? filename : "?") + ":" + std::to_string(linenum) + ": " + (msg ? msg : "");
  Verilated::threadContextp()->gotError(true);
  Verilated::threadContextp()->gotFinish(true);
}
#else
extern thread_local std::string lfads_emu_verilator_msg;
#endif

namespace {

using lfads_host::CtrlResult;
constexpr size_t BUS_BYTES = EMU_AXI_DATA_WIDTH / 8;
constexpr uint64_t MEM_BASE = 0x100000000ull;  // above 4 GB, so the high pointer words matter
constexpr uint64_t REGION_ALIGN = 4096;
constexpr uint32_t CHECK_CYCLES = 256;  // cycles between wall-clock (timeout) and device-loss checks
constexpr uint32_t CTRL_TIMEOUT_CYCLES = 10000;  // an AXI4-Lite access taking longer is a dead slave
static_assert(sizeof(static_cast<EMU_TOP *>(nullptr)->m_axi_gmem_rdata) * 8 >= EMU_AXI_DATA_WIDTH || EMU_AXI_DATA_WIDTH <= 64,
              "EMU_AXI_DATA_WIDTH disagrees with the Verilated m_axi_gmem_rdata width");

using Host = lfads_host::HostModel<EMU_TOP, BUS_BYTES>;

struct SlotState {
  uint32_t trials = 0, flags = 0;
  bool done = false;
  int error = 0;  // start failure of a queued run
  lfads_run_status status{};
};

struct Emu {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<EMU_TOP> top;
  std::unique_ptr<VerilatedVcdC> vcd;
  std::unique_ptr<Host> host;
  std::string trace_path;
  lfads_host::MemoryTiming timing;
  uint64_t half_period_ps = 1667;  // 300 MHz

  uint64_t image_addr = 0;
  uint64_t input_addr[LFADS_MAX_SLOTS] = {}, output_addr[LFADS_MAX_SLOTS] = {};
  uint64_t online_input_addr = 0, online_output_addr = 0;  // the online slot arrays (kernel slot k at k * stride)
  bool online_since_irq_ack = false;  // online runs were started since the interrupt was last acknowledged
  SlotState slot[LFADS_MAX_SLOTS];
  std::deque<int> queued;  // started by the caller, waiting for the kernel
  int running = -1;        // slot the kernel is working on
  uint64_t run_start_cycle = 0;
  uint32_t reg_cache[32] = {};  // argument registers as last written (only changes are written)
  bool reg_known[32] = {};

  // Fault injection.
  long hang_after = -1, lose_after = -1;
  long runs = 0;  // runs started (image loads excluded)
};

Emu *impl(lfads_device *dev) { return static_cast<Emu *>(dev->impl); }

int sim_check(Emu &e) {
  if (e.host->stopped())
    return lfads_fail(LFADS_E_DEVICE, "emu: the kernel RTL stopped the simulation (%s)", lfads_emu_verilator_msg.c_str());
  return 0;
}

int ctrl_error(Emu &e, CtrlResult r, bool read, uint32_t offset) {
  switch (r) {
    case CtrlResult::OK: return 0;
    case CtrlResult::STOPPED: return sim_check(e);
    case CtrlResult::NO_RESPONSE:
      return lfads_fail(LFADS_E_DEVICE, "emu: s_axi_control %s of 0x%02X got no response in %u cycles", read ? "read" : "write", offset, CTRL_TIMEOUT_CYCLES);
    case CtrlResult::RESP_ERROR:
      return lfads_fail(LFADS_E_DEVICE, "emu: s_axi_control %s of 0x%02X answered RESP=%u", read ? "read" : "write", offset, e.host->last_ctrl_resp());
    case CtrlResult::LOST: return 0;  // reads return all ones; the caller decides
  }
  return 0;
}

int reg_write(lfads_device *dev, uint32_t offset, uint32_t value) {
  Emu &e = *impl(dev);
  dev->count[LFADS_COUNT_REG_WRITES]++;
  return ctrl_error(e, e.host->ctrl_write(offset, value, CTRL_TIMEOUT_CYCLES), false, offset);
}
int reg_read(lfads_device *dev, uint32_t offset, uint32_t *value) {
  Emu &e = *impl(dev);
  dev->count[LFADS_COUNT_REG_READS]++;
  return ctrl_error(e, e.host->ctrl_read(offset, value, CTRL_TIMEOUT_CYCLES), true, offset);
}
// Argument registers keep their value between runs: a driver writes only those that change.
int arg_write(lfads_device *dev, uint32_t offset, uint32_t value) {
  Emu &e = *impl(dev);
  uint32_t i = offset / 4;
  if (i < 32 && e.reg_known[i] && e.reg_cache[i] == value) return 0;
  int rc = reg_write(dev, offset, value);
  if (rc == 0 && i < 32) {
    e.reg_known[i] = true;
    e.reg_cache[i] = value;
  }
  return rc;
}

int parse_option(lfads_uri *uri, const char *key, const char *env, uint32_t lo, uint32_t hi, uint32_t *value) {
  if (const char *v = std::getenv(env)) {
    char *end = nullptr;
    unsigned long long x = std::strtoull(v, &end, 10);
    if (*v == 0 || *end != 0 || *v == '-' || x < lo || x > hi)
      return lfads_fail(LFADS_E_INVALID, "environment %s=%s: expected an integer in %u..%u", env, v, lo, hi);
    *value = static_cast<uint32_t>(x);
  }
  return lfads_uri_get_u32(uri, key, lo, hi, value);
}

long parse_long_option(lfads_uri *uri, const char *key, int *rc) {
  uint32_t v = UINT32_MAX;
  *rc = lfads_uri_get_u32(uri, key, 0, 1000000000u, &v);
  return v == UINT32_MAX ? -1 : static_cast<long>(v);
}

int emu_open(lfads_device *dev, lfads_uri *uri) {
  if (uri->target[0] && std::strcmp(uri->target, "0"))
    return lfads_fail(LFADS_E_INVALID, "device URI emu:%s: the emulator takes no target (use emu: or emu:0)", uri->target);
  std::unique_ptr<Emu> e(new (std::nothrow) Emu());
  if (!e) return lfads_fail(LFADS_E_NOMEM, "emu open: out of memory");
  int rc = 0;
  uint32_t lanes = 0, clock_mhz = 300;
  lfads_host::MemoryTiming &t = e->timing;
  t.read_latency = 32;  // Shuhai, HBM page hit 106.7 ns at 300 MHz (see top of file)
  t.read_jitter = 9;    // page miss 137.8 ns = 41 cycles
  t.max_outstanding = 32;
  if ((rc = lfads_uri_get_u32(uri, "lanes", 1, 65535, &lanes))) return rc;
  if ((rc = lfads_uri_get_u32(uri, "clock_mhz", 1, 2000, &clock_mhz))) return rc;
  if ((rc = parse_option(uri, "mem_latency", "LFADSRT_EMU_MEM_LATENCY", 1, 100000, &t.read_latency)) ||
      (rc = parse_option(uri, "mem_jitter", "LFADSRT_EMU_MEM_JITTER", 0, 100000, &t.read_jitter)) ||
      (rc = parse_option(uri, "mem_stall_pct", "LFADSRT_EMU_MEM_STALL_PCT", 0, 99, &t.stall_pct)) ||
      (rc = parse_option(uri, "mem_outstanding", "LFADSRT_EMU_MEM_OUTSTANDING", 0, 1024, &t.max_outstanding)) ||
      (rc = lfads_uri_get_u32(uri, "mem_seed", 0, UINT32_MAX, &t.seed)))
    return rc;
  t.write_resp_latency = t.read_latency - 1;  // BVALID as late after the last W beat as R after AR
  // mem_write_latency=N: write responses N cycles after the last W beat instead (cosim: the harness's 4, which
  // sim's CycleModel replays)
  if ((rc = lfads_uri_get_u32(uri, "mem_write_latency", 0, 100000, &t.write_resp_latency))) return rc;
  e->half_period_ps = 500000 / clock_mhz;
  e->hang_after = parse_long_option(uri, "hang_after", &rc);
  if (rc) return rc;
  e->lose_after = parse_long_option(uri, "lose_after", &rc);
  if (rc) return rc;
  if (const char *tr = lfads_uri_get(uri, "trace")) e->trace_path = tr;

  e->ctx.reset(new VerilatedContext);
  e->ctx->debug(0);
  e->ctx->fatalOnError(false);
  if (!e->trace_path.empty()) e->ctx->traceEverOn(true);
  e->top.reset(new EMU_TOP(e->ctx.get(), "lfads_kernel"));
  e->host.reset(new Host(*e->top, *e->ctx, t, e->half_period_ps));
  e->host->mem_base = MEM_BASE;
  if (!e->trace_path.empty()) {
    e->vcd.reset(new VerilatedVcdC);
    e->top->trace(e->vcd.get(), 99);
    e->vcd->open(e->trace_path.c_str());
    if (!e->vcd->isOpen())
      return lfads_fail(LFADS_E_INVALID, "emu option trace=%s: cannot open the file for writing", e->trace_path.c_str());
    VerilatedVcdC *vcd = e->vcd.get();
    e->host->on_eval = [vcd](uint64_t time) { vcd->dump(time); };
  }
  e->host->reset(16);
  if ((rc = sim_check(*e))) return rc;
  dev->impl = e.get();  // the register helpers below find it there
  if (lanes) {
    uint32_t config = 0;
    if ((rc = reg_read(dev, LFADS_REG_CONFIG, &config))) return dev->impl = nullptr, rc;
    if ((config >> 16) != lanes) {
      dev->impl = nullptr;
      return lfads_fail(LFADS_E_NOT_AVAILABLE, "emu option lanes=%u: this library's kernel was built with %u MAC lanes "
                        "(config=%s; see drivers/Makefile EMU_PARAMS)", lanes, config >> 16, EMU_CONFIG_NAME);
    }
  }
  // Completion by interrupt: global enable and ap_done.
  if ((rc = reg_write(dev, LFADS_REG_GIE, 1)) || (rc = reg_write(dev, LFADS_REG_IER, 1))) return dev->impl = nullptr, rc;
  e.release();
  return 0;
}

void emu_close(lfads_device *dev) {
  Emu *e = impl(dev);
  if (!e) return;
  // Nothing runs between calls in the emulator and the kernel dies with the model: its memory (every
  // buffer set, abandoned ones included) is freed with it.
  if (e->vcd) e->vcd->close();
  e->top->final();
  e->host.reset();
  delete e;
  dev->impl = nullptr;
}

int emu_read_reg(lfads_device *dev, uint32_t offset, uint32_t *value) {
  Emu &e = *impl(dev);
  int rc = reg_read(dev, offset, value);
  if (rc == 0 && e.host->lost)
    return lfads_fail(LFADS_E_LOST, "emu: register 0x%02X reads 0xFFFFFFFF: the device is gone", offset);
  return rc;
}

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

int emu_stage_image(lfads_device *dev, const void *image, size_t bytes) {
  Emu &e = *impl(dev);
  const lfads_layout &l = dev->layout;
  uint64_t off = align_up(bytes, REGION_ALIGN);
  uint64_t input_off[LFADS_MAX_SLOTS], output_off[LFADS_MAX_SLOTS];
  for (uint32_t s = 0; s < dev->n_slots; s++) {
    input_off[s] = off;
    off = align_up(off + l.input_stride * dev->max_trials, REGION_ALIGN);
    output_off[s] = off;
    off = align_up(off + l.output_stride * dev->max_trials, REGION_ALIGN);
  }
  const uint64_t online_input_off = off;
  off = align_up(off + l.online_in_stride * dev->n_slots, REGION_ALIGN);
  const uint64_t online_output_off = off;
  off = align_up(off + l.online_out_stride * dev->n_slots, REGION_ALIGN);
  try {
    e.host->mem.assign(off, 0);
  } catch (const std::bad_alloc &) {
    return lfads_fail(LFADS_E_NOMEM, "emu: cannot allocate %llu bytes of device memory", (unsigned long long)off);
  }
  std::memcpy(&e.host->mem[0], image, bytes);
  dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
  dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += bytes;
  e.image_addr = MEM_BASE;
  e.online_input_addr = MEM_BASE + online_input_off;
  e.online_output_addr = MEM_BASE + online_output_off;
  for (uint32_t s = 0; s < dev->n_slots; s++) {
    e.input_addr[s] = MEM_BASE + input_off[s];
    e.output_addr[s] = MEM_BASE + output_off[s];
  }
  return 0;
}

int emu_write_input(lfads_device *dev, int slot, const uint8_t *spikes, uint32_t trials) {
  Emu &e = *impl(dev);
  const lfads_layout &l = dev->layout;
  uint8_t *dst = &e.host->mem[e.input_addr[slot] - MEM_BASE];
  for (uint32_t t = 0; t < trials; t++) std::memcpy(dst + t * l.input_stride, spikes + t * l.spike_bytes_per_trial, l.spike_bytes_per_trial);
  dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
  dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += uint64_t(trials) * l.input_stride;
  return 0;
}

// Before a whole-trial run or image load that follows online runs: waits until the kernel is idle with no start
// pending (CTRL polled: off the per-bin path) and acknowledges the interrupt those runs raised, so that the next
// interrupt is this run's.
int settle_after_online(lfads_device *dev) {
  Emu &e = *impl(dev);
  if (!e.online_since_irq_ack) return 0;
  uint64_t deadline = lfads_now_ms() + dev->timeout_ms;
  int rc;
  while (true) {
    uint32_t ctrl = 0;
    if ((rc = reg_read(dev, LFADS_REG_CTRL, &ctrl))) return rc;
    if ((ctrl & LFADS_CTRL_AP_IDLE) && !(ctrl & LFADS_CTRL_AP_START)) break;
    if (e.host->lost) return lfads_fail(LFADS_E_LOST, "emu: CTRL reads 0x%08X: the device is gone", ctrl);
    if (lfads_now_ms() >= deadline)
      return lfads_fail(LFADS_E_TIMEOUT, "emu: kernel still busy with online runs after %u ms", dev->timeout_ms);
    for (uint32_t i = 0; i < 64; i++) e.host->tick();
    if ((rc = sim_check(e))) return rc;
  }
  uint32_t isr = 0;  // toggle-on-write: acknowledge only a raised interrupt
  if ((rc = reg_read(dev, LFADS_REG_ISR, &isr)) || ((isr & 1) && (rc = reg_write(dev, LFADS_REG_ISR, 1)))) return rc;
  e.online_since_irq_ack = false;
  return 0;
}

// Programs the arguments of the next queued run and starts the kernel.
int launch_next(lfads_device *dev) {
  Emu &e = *impl(dev);
  int s = e.queued.front();
  e.queued.pop_front();
  SlotState &st = e.slot[s];
  if (int rc = settle_after_online(dev)) {
    st.error = rc;
    st.done = true;
    return rc;
  }
  bool is_load = st.flags & LFADS_FLAG_LOAD_IMAGE;
  if (!is_load) {
    if (e.hang_after >= 0 && e.runs >= e.hang_after) e.host->memory_answers = false;
    e.runs++;
  }
  e.host->protocol_error.clear();
  int rc;
  if ((rc = arg_write(dev, LFADS_REG_IMAGE_PTR_LO, uint32_t(e.image_addr))) || (rc = arg_write(dev, LFADS_REG_IMAGE_PTR_HI, uint32_t(e.image_addr >> 32))) ||
      (rc = arg_write(dev, LFADS_REG_INPUT_PTR_LO, uint32_t(e.input_addr[s]))) || (rc = arg_write(dev, LFADS_REG_INPUT_PTR_HI, uint32_t(e.input_addr[s] >> 32))) ||
      (rc = arg_write(dev, LFADS_REG_OUTPUT_PTR_LO, uint32_t(e.output_addr[s]))) || (rc = arg_write(dev, LFADS_REG_OUTPUT_PTR_HI, uint32_t(e.output_addr[s] >> 32))) ||
      (rc = arg_write(dev, LFADS_REG_NUM_TRIALS, st.trials)) || (rc = arg_write(dev, LFADS_REG_FLAGS, st.flags)) ||
      (rc = reg_write(dev, LFADS_REG_CTRL, LFADS_CTRL_AP_START))) {
    st.error = rc;
    st.done = true;
    return rc;
  }
  dev->count[LFADS_COUNT_KERNEL_RUNS]++;
  e.running = s;
  e.run_start_cycle = e.host->cycle;
  // Injected loss: the card drops off the bus two cycles after it accepted ap_start.
  if (!is_load && e.lose_after >= 0 && e.runs > e.lose_after) e.host->lose_at_cycle = e.host->cycle + 2;
  return 0;
}

int emu_start(lfads_device *dev, int slot, uint32_t trials, uint32_t flags) {
  Emu &e = *impl(dev);
  SlotState &st = e.slot[slot];
  st = SlotState();
  st.trials = trials;
  st.flags = flags;
  e.queued.push_back(slot);
  if (e.running < 0) return launch_next(dev);
  return 0;
}

// The running slot finished (interrupt): clear the interrupt, read what the kernel reports, start the next.
int complete_running(lfads_device *dev) {
  Emu &e = *impl(dev);
  SlotState &st = e.slot[e.running];
  e.running = -1;
  st.done = true;
  uint32_t v[5] = {};
  static const uint32_t regs[5] = {LFADS_REG_STATUS, LFADS_REG_ERROR_CODE, LFADS_REG_TRIALS_DONE, LFADS_REG_CYCLES_LO, LFADS_REG_CYCLES_HI};
  int rc = reg_write(dev, LFADS_REG_ISR, 1);
  for (int i = 0; i < 5 && rc == 0; i++) rc = reg_read(dev, regs[i], &v[i]);
  if (rc == 0 && !e.host->protocol_error.empty())
    rc = lfads_fail(LFADS_E_DEVICE, "emu: AXI protocol violation by the kernel: %s", e.host->protocol_error.c_str());
  st.error = rc;
  st.status = {v[0], v[1], v[2], uint64_t(v[4]) << 32 | v[3]};
  if (!e.queued.empty()) launch_next(dev);
  return 0;
}

int emu_finish(lfads_device *dev, int slot, lfads_run_status *status) {
  Emu &e = *impl(dev);
  SlotState &st = e.slot[slot];
  uint64_t deadline = lfads_now_ms() + dev->timeout_ms;
  uint64_t waited_from = e.host->cycle;
  int rc;
  while (!st.done) {
    for (uint32_t i = 0; i < CHECK_CYCLES && !e.top->__SYM__interrupt; i++) e.host->tick();
    if ((rc = sim_check(e))) return rc;
    if (e.top->__SYM__interrupt && !e.host->lost) {
      complete_running(dev);
      continue;
    }
    if (e.host->lost) {
      // The loss shows as all ones where the kernel's identity should be.
      uint32_t ctrl = 0, id = 0;
      reg_read(dev, LFADS_REG_CTRL, &ctrl);
      reg_read(dev, LFADS_REG_KERNEL_ID, &id);
      if (id != LFADS_KERNEL_ID)
        return lfads_fail(LFADS_E_LOST, "emu: device lost during the run (CTRL 0x%08X and KERNEL_ID read 0x%08X after %llu cycles)",
                          ctrl, id, (unsigned long long)(e.host->cycle - e.run_start_cycle));
    }
    if (lfads_now_ms() >= deadline) {
      const SlotState &r = e.slot[e.running >= 0 ? e.running : slot];
      return lfads_fail(LFADS_E_TIMEOUT, "emu: kernel did not finish %s within %u ms (%llu cycles, %llu AXI beats served%s)",
                        (r.flags & LFADS_FLAG_LOAD_IMAGE) ? "the image load" : (std::to_string(r.trials) + " trials").c_str(), dev->timeout_ms,
                        (unsigned long long)(e.host->cycle - waited_from),
                        (unsigned long long)(e.host->traffic.read_beats + e.host->traffic.write_beats),
                        e.host->memory_answers ? "" : "; hang injected by hang_after");
    }
  }
  if (st.error) return st.error;
  *status = st.status;
  return 0;
}

// The emulated kernel cannot be stopped mid-run; it is simply never clocked again (the handle has failed).
// Its memory lives until close, so nothing it could still touch is freed early: the abort is confirmed.
int emu_abort(lfads_device *dev, int slot) {
  Emu &e = *impl(dev);
  e.queued.clear();
  e.slot[slot].done = true;
  e.slot[slot].error = LFADS_E_TIMEOUT;
  return 1;
}

int emu_read_output(lfads_device *dev, int slot, int32_t *out, uint32_t trials) {
  Emu &e = *impl(dev);
  const lfads_layout &l = dev->layout;
  const uint8_t *src = &e.host->mem[e.output_addr[slot] - MEM_BASE];
  for (uint32_t t = 0; t < trials; t++) std::memcpy(out + t * l.out_words_per_trial, src + t * l.output_stride, l.out_words_per_trial * 4);
  dev->count[LFADS_COUNT_SYNCS_FROM_DEVICE]++;
  dev->count[LFADS_COUNT_BYTES_FROM_DEVICE] += uint64_t(trials) * l.output_stride;
  return 0;
}

uint32_t mem_le32(const Emu &e, uint64_t off) {
  const uint8_t *p = &e.host->mem[off];
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

int emu_online_start(lfads_device *dev, int kslot, const uint8_t *bin, uint32_t flags, int clear_status) {
  Emu &e = *impl(dev);
  const lfads_layout &l = dev->layout;
  std::memcpy(&e.host->mem[e.online_input_addr - MEM_BASE + kslot * l.online_in_stride], bin, l.n_in);
  dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
  dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += l.n_in;
  if (clear_status) {
    std::memset(&e.host->mem[e.online_output_addr - MEM_BASE + kslot * l.online_out_stride], 0, LFADS_ONLINE_STATUS_BYTES);
    dev->count[LFADS_COUNT_SYNCS_TO_DEVICE]++;
    dev->count[LFADS_COUNT_BYTES_TO_DEVICE] += LFADS_ONLINE_STATUS_BYTES;
  }
  if (e.hang_after >= 0 && e.runs >= e.hang_after) e.host->memory_answers = false;
  e.runs++;
  int rc;
  if ((rc = arg_write(dev, LFADS_REG_IMAGE_PTR_LO, uint32_t(e.image_addr))) || (rc = arg_write(dev, LFADS_REG_IMAGE_PTR_HI, uint32_t(e.image_addr >> 32))) ||
      (rc = arg_write(dev, LFADS_REG_INPUT_PTR_LO, uint32_t(e.online_input_addr))) ||
      (rc = arg_write(dev, LFADS_REG_INPUT_PTR_HI, uint32_t(e.online_input_addr >> 32))) ||
      (rc = arg_write(dev, LFADS_REG_OUTPUT_PTR_LO, uint32_t(e.online_output_addr))) ||
      (rc = arg_write(dev, LFADS_REG_OUTPUT_PTR_HI, uint32_t(e.online_output_addr >> 32))) ||
      (rc = arg_write(dev, LFADS_REG_NUM_TRIALS, dev->n_slots)) || (rc = arg_write(dev, LFADS_REG_FLAGS, flags)) ||
      (rc = reg_write(dev, LFADS_REG_CTRL, LFADS_CTRL_AP_START)))
    return rc;
  dev->count[LFADS_COUNT_KERNEL_RUNS]++;
  e.online_since_irq_ack = true;
  e.run_start_cycle = e.host->cycle;
  if (e.lose_after >= 0 && e.runs > e.lose_after) e.host->lose_at_cycle = e.host->cycle + 2;
  return 0;
}

int emu_online_finish(lfads_device *dev, int kslot, uint32_t seq, int seq_known, uint32_t *block) {
  Emu &e = *impl(dev);
  const lfads_layout &l = dev->layout;
  const uint64_t off = e.online_output_addr - MEM_BASE + kslot * l.online_out_stride;
  auto written = [&]() {
    return mem_le32(e, off + 4 * LFADS_OS_MAGIC) == uint32_t(LFADS_ONLINE_STATUS_MAGIC) &&
           (!seq_known || mem_le32(e, off + 4 * LFADS_OS_SEQ) == seq);
  };
  uint64_t deadline = lfads_now_ms() + dev->timeout_ms;
  uint64_t waited_from = e.host->cycle;
  int rc;
  while (!written()) {
    for (uint32_t i = 0; i < CHECK_CYCLES && !written(); i++) e.host->tick();
    if ((rc = sim_check(e))) return rc;
    if (written()) break;
    if (e.host->lost) {
      uint32_t id = 0;
      reg_read(dev, LFADS_REG_KERNEL_ID, &id);
      if (id != LFADS_KERNEL_ID)
        return lfads_fail(LFADS_E_LOST, "emu: device lost during an online run (KERNEL_ID reads 0x%08X after %llu cycles)", id,
                          (unsigned long long)(e.host->cycle - waited_from));
    }
    if (lfads_now_ms() >= deadline)
      return lfads_fail(LFADS_E_TIMEOUT, "emu: online run (slot %d, SEQ %u) wrote no status block within %u ms (%llu cycles%s)", kslot, seq,
                        dev->timeout_ms, (unsigned long long)(e.host->cycle - waited_from),
                        e.host->memory_answers ? "" : "; hang injected by hang_after");
  }
  if (!e.host->protocol_error.empty()) return lfads_fail(LFADS_E_DEVICE, "emu: AXI protocol violation by the kernel: %s", e.host->protocol_error.c_str());
  if (block) std::memcpy(block, &e.host->mem[off], l.online_out_bytes);
  dev->count[LFADS_COUNT_SYNCS_FROM_DEVICE]++;
  dev->count[LFADS_COUNT_BYTES_FROM_DEVICE] += l.online_out_bytes;
  return 0;
}

// The kernel parameters this unit's model was Verilated with, as ` key=value` (the harness's --info keys): drivers/Makefile
// passes EMU_PARAMS / EMU_FULL_PARAMS as -DLFADS_CFG_*; a parameter left at the RTL's default is not known here and not
// listed. Co-simulation reads them for its cycle model and its size checks.
std::string kernel_params() {
  std::string s;
#define EMU_PARAM(key, value) s += std::string(" ") + key + "=" + std::to_string(value);
#ifdef LFADS_CFG_ROW_LANES
  EMU_PARAM("row_lanes", LFADS_CFG_ROW_LANES)
#endif
#ifdef LFADS_CFG_COL_LANES
  EMU_PARAM("col_lanes", LFADS_CFG_COL_LANES)
#endif
#ifdef LFADS_CFG_MAX_N_IN
  EMU_PARAM("max_n_in", LFADS_CFG_MAX_N_IN)
#endif
#ifdef LFADS_CFG_MAX_N_OUT
  EMU_PARAM("max_n_out", LFADS_CFG_MAX_N_OUT)
#endif
#ifdef LFADS_CFG_MAX_T_ENC
  EMU_PARAM("max_t_enc", LFADS_CFG_MAX_T_ENC)
#endif
#ifdef LFADS_CFG_MAX_T_REC
  EMU_PARAM("max_t_rec", LFADS_CFG_MAX_T_REC)
#endif
#ifdef LFADS_CFG_MAX_HIDDEN
  EMU_PARAM("max_hidden", LFADS_CFG_MAX_HIDDEN)
#endif
#ifdef LFADS_CFG_MAX_TILES
  EMU_PARAM("max_tiles", LFADS_CFG_MAX_TILES)
#endif
#ifdef LFADS_CFG_MAX_ROW_BLOCKS
  EMU_PARAM("max_row_blocks", LFADS_CFG_MAX_ROW_BLOCKS)
#endif
#ifdef LFADS_CFG_SLR_CROSSING_STAGES
  EMU_PARAM("slr_crossing_stages", LFADS_CFG_SLR_CROSSING_STAGES)
#endif
#undef EMU_PARAM
  return s;
}

void emu_describe(lfads_device *dev, char *buf, size_t cap) {
  Emu &e = *impl(dev);
  const lfads_host::MemoryTiming &t = e.timing;
  const std::string params = kernel_params();
  std::snprintf(buf, cap, "emu config=%s, memory: read latency %u+0..%u cycles, write response %u, stall %u%%, %u outstanding, seed %u; "
                "kernel:%s", EMU_CONFIG_NAME, t.read_latency, t.read_jitter, t.write_resp_latency, t.stall_pct, t.max_outstanding, t.seed,
                params.empty() ? " RTL defaults" : params.c_str());
}

}  // namespace

extern "C" {
const lfads_backend_ops EMU_OPS = {
    "emu",         emu_open,     emu_close,       emu_read_reg,        emu_stage_image,    emu_write_input, emu_start, emu_finish,
    emu_abort,     emu_read_output, emu_online_start, emu_online_finish, emu_describe,
};
#ifndef EMU_SECONDARY
const int lfads_have_emu = 1;
#endif
}
