// SPDX-License-Identifier: MIT
// Emulation backend: the Verilated lfads_kernel (hdl/rtl) driven through its real interfaces.
//
// Each handle owns one VerilatedContext and one model, so several emulated devices can live in one
// process. The harness plays the Vitis shell: it drives ap_clk/ap_rst_n, performs AXI4-Lite
// transactions on s_axi_control (the same register map the XRT path uses) and answers the kernel's
// AXI4 master m_axi_gmem from a byte array standing in for the card's HBM, at any AXI data width.
//
// Options (emu:?key=value&...): lanes=N (checked against CONFIG[31:16] of the built model),
// clock_mhz=F (time base of the trace and of lfads_emu cycle->time figures), trace=FILE.vcd,
// hang_after=N (the memory stops answering from run N+1 on: a hung kernel), lose_after=N (during run
// N+1 the device disappears: register reads return all ones, as a PCIe card that fell off the bus).
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
#include "lfads_internal.h"

#ifndef EMU_AXI_DATA_WIDTH
#define EMU_AXI_DATA_WIDTH 512
#endif

// Verilator calls these on $finish/$stop/internal errors; the defaults exit the process, which would
// take the JVM down with it. Here they only mark the context; the harness turns that into an error.
namespace {
thread_local std::string t_verilator_msg;
}
void vl_finish(const char *filename, int linenum, const char *) {
  t_verilator_msg = std::string("$finish at ") + filename + ":" + std::to_string(linenum);
  Verilated::threadContextp()->gotFinish(true);
}
void vl_stop(const char *filename, int linenum, const char *) {
  t_verilator_msg = std::string("$stop at ") + filename + ":" + std::to_string(linenum);
  Verilated::threadContextp()->gotError(true);
  Verilated::threadContextp()->gotFinish(true);
}
void vl_fatal(const char *filename, int linenum, const char *, const char *msg) {
  t_verilator_msg = std::string("fatal at ") + (filename ? filename : "?") + ":" + std::to_string(linenum) + ": " + (msg ? msg : "");
  Verilated::threadContextp()->gotError(true);
  Verilated::threadContextp()->gotFinish(true);
}

namespace {

constexpr size_t BUS_BYTES = EMU_AXI_DATA_WIDTH / 8;
constexpr uint64_t MEM_BASE = 0x100000000ull;  // above 4 GB, so the high pointer words matter
constexpr uint64_t REGION_ALIGN = 4096;
constexpr int MAX_OUTSTANDING = 8;       // bursts accepted per direction before the model stalls AR/AW
constexpr uint32_t POLL_CYCLES = 64;     // cycles between CTRL polls while a run is in flight
constexpr uint32_t CTRL_TIMEOUT_CYCLES = 10000;  // an AXI4-Lite access taking longer is a dead slave

// Byte access to Verilator signals of any width (CData..QData, or VlWide for > 64 bits).
template <typename T> void sig_put(T &sig, const uint8_t *src) {
  uint64_t v = 0;
  std::memcpy(&v, src, sizeof(T) < BUS_BYTES ? sizeof(T) : BUS_BYTES);
  sig = static_cast<T>(v);
}
template <std::size_t N> void sig_put(VlWide<N> &sig, const uint8_t *src) {
  for (size_t i = 0; i < N; i++) std::memcpy(&sig[i], src + 4 * i, 4);
}
template <typename T> void sig_get(const T &sig, uint8_t *dst) {
  uint64_t v = sig;
  std::memcpy(dst, &v, sizeof(T) < BUS_BYTES ? sizeof(T) : BUS_BYTES);
}
template <std::size_t N> void sig_get(const VlWide<N> &sig, uint8_t *dst) {
  for (size_t i = 0; i < N; i++) std::memcpy(dst + 4 * i, &sig[i], 4);
}
static_assert(sizeof(static_cast<EMU_TOP *>(nullptr)->m_axi_gmem_rdata) * 8 >= EMU_AXI_DATA_WIDTH || EMU_AXI_DATA_WIDTH <= 64,
              "EMU_AXI_DATA_WIDTH disagrees with the Verilated m_axi_gmem_rdata width");

struct Burst {
  uint64_t addr;  // address of the first beat
  uint32_t beats, done = 0;
  uint32_t size;  // bytes per beat
  uint32_t kind;  // 0 FIXED, 1 INCR
  bool error = false;
  uint64_t beat_addr() const { return kind == 0 ? addr : (addr & ~uint64_t(size - 1)) + uint64_t(done) * size; }
};

enum class CtrlOp { NONE, READ, WRITE };

struct Emu {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<EMU_TOP> top;
  std::unique_ptr<VerilatedVcdC> vcd;
  std::string trace_path;
  uint64_t half_period_ps = 1667;  // 300 MHz
  uint64_t cycle = 0;

  std::vector<uint8_t> mem;  // device memory at MEM_BASE
  uint64_t image_addr = 0, input_addr = 0, output_addr = 0;

  std::deque<Burst> reads, writes, bresps;  // bresps: completed write bursts awaiting B
  std::string protocol_error;               // first AXI protocol violation seen
  uint64_t beats = 0;

  // AXI4-Lite master state.
  CtrlOp op = CtrlOp::NONE;
  bool aw_done = false, w_done = false, ar_done = false;
  uint32_t ctrl_addr = 0, ctrl_wdata = 0, ctrl_rdata = 0, ctrl_resp = 0;

  // Fault injection.
  long hang_after = -1, lose_after = -1;
  long runs = 0;  // runs started (image loads excluded)
  bool hung = false, lost = false;
  uint64_t lose_at_cycle = ~0ull;
};

Emu *impl(lfads_device *dev) { return static_cast<Emu *>(dev->impl); }

bool in_mem(const Emu &e, uint64_t addr, uint64_t len) {
  return addr >= MEM_BASE && addr - MEM_BASE + len <= e.mem.size();
}

void note_protocol(Emu &e, const std::string &what) {
  if (e.protocol_error.empty()) e.protocol_error = what;
}

Burst accept_burst(Emu &e, uint64_t addr, uint32_t len, uint32_t size_log2, uint32_t burst, const char *dir) {
  Burst b;
  b.addr = addr;
  b.beats = len + 1;
  b.size = 1u << size_log2;
  b.kind = burst;
  char buf[200];
  if (b.size > BUS_BYTES) {
    std::snprintf(buf, sizeof buf, "%s burst at 0x%llx: size %u bytes exceeds the %zu-byte bus", dir, (unsigned long long)addr, b.size, BUS_BYTES);
    note_protocol(e, buf);
    b.error = true;
  } else if (burst > 1) {
    std::snprintf(buf, sizeof buf, "%s burst at 0x%llx: burst type %u unsupported (FIXED or INCR only)", dir, (unsigned long long)addr, burst);
    note_protocol(e, buf);
    b.error = true;
  } else if (burst == 1 && ((addr & ~uint64_t(b.size - 1)) + uint64_t(b.beats) * b.size - 1) / 4096 != addr / 4096) {
    std::snprintf(buf, sizeof buf, "%s burst at 0x%llx, %u beats of %u bytes crosses a 4 KB boundary", dir, (unsigned long long)addr, b.beats, b.size);
    note_protocol(e, buf);
    b.error = true;
  }
  uint64_t last = b.kind == 0 ? addr : (addr & ~uint64_t(b.size - 1)) + uint64_t(b.beats - 1) * b.size;
  if (!in_mem(e, addr & ~uint64_t(BUS_BYTES - 1), 1) || !in_mem(e, last & ~uint64_t(BUS_BYTES - 1), BUS_BYTES)) b.error = true;  // SLVERR
  return b;
}

void dump(Emu &e) {
  if (e.vcd) e.vcd->dump(e.ctx->time());
}

bool alive(const Emu &e) { return !e.hung && !e.lost; }

// One ap_clk cycle. Harness outputs are registered: set after the rising edge, seen by the kernel
// during the next cycle. Handshakes are sampled just before the rising edge.
void tick(Emu &e) {
  EMU_TOP &t = *e.top;
  t.ap_clk = 0;
  t.eval();
  e.ctx->timeInc(e.half_period_ps);
  dump(e);

  // Sample handshakes and the kernel's outputs as they are before the edge.
  bool ar_hs = t.m_axi_gmem_arvalid && t.m_axi_gmem_arready;
  bool aw_hs = t.m_axi_gmem_awvalid && t.m_axi_gmem_awready;
  bool w_hs = t.m_axi_gmem_wvalid && t.m_axi_gmem_wready;
  bool r_hs = t.m_axi_gmem_rvalid && t.m_axi_gmem_rready;
  bool b_hs = t.m_axi_gmem_bvalid && t.m_axi_gmem_bready;
  Burst ar_new, aw_new;
  if (ar_hs) ar_new = accept_burst(e, t.m_axi_gmem_araddr, t.m_axi_gmem_arlen, t.m_axi_gmem_arsize, t.m_axi_gmem_arburst, "read");
  if (aw_hs) aw_new = accept_burst(e, t.m_axi_gmem_awaddr, t.m_axi_gmem_awlen, t.m_axi_gmem_awsize, t.m_axi_gmem_awburst, "write");
  uint8_t wdata[BUS_BYTES];
  uint64_t wstrb = 0;
  bool wlast = false;
  if (w_hs) {
    sig_get(t.m_axi_gmem_wdata, wdata);
    wstrb = t.m_axi_gmem_wstrb;
    wlast = t.m_axi_gmem_wlast;
  }
  bool c_aw_hs = t.s_axi_control_awvalid && t.s_axi_control_awready;
  bool c_w_hs = t.s_axi_control_wvalid && t.s_axi_control_wready;
  bool c_b_hs = t.s_axi_control_bvalid && t.s_axi_control_bready;
  bool c_ar_hs = t.s_axi_control_arvalid && t.s_axi_control_arready;
  bool c_r_hs = t.s_axi_control_rvalid && t.s_axi_control_rready;
  uint32_t c_rdata = t.s_axi_control_rdata, c_resp = c_r_hs ? t.s_axi_control_rresp : t.s_axi_control_bresp;

  t.ap_clk = 1;
  t.eval();
  e.ctx->timeInc(e.half_period_ps);
  dump(e);
  e.cycle++;
  if (e.cycle >= e.lose_at_cycle) e.lost = true;

  // gmem: update the memory model with what was exchanged at the edge.
  if (r_hs) {
    Burst &b = e.reads.front();
    e.beats++;
    if (++b.done == b.beats) e.reads.pop_front();
  }
  if (ar_hs) e.reads.push_back(ar_new);
  if (aw_hs) e.writes.push_back(aw_new);
  if (w_hs) {
    if (e.writes.empty()) {
      note_protocol(e, "write data beat accepted with no write address");
    } else {
      Burst &b = e.writes.front();
      uint64_t line = b.beat_addr() & ~uint64_t(BUS_BYTES - 1);
      if (!b.error)
        for (size_t i = 0; i < BUS_BYTES; i++)
          if (wstrb >> (i % 64) & 1) e.mem[line - MEM_BASE + i] = wdata[i];
      e.beats++;
      b.done++;
      if (wlast != (b.done == b.beats)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "write burst at 0x%llx: WLAST %s on beat %u of %u", (unsigned long long)b.addr,
                      wlast ? "set" : "missing", b.done, b.beats);
        note_protocol(e, buf);
      }
      if (b.done == b.beats) {
        e.bresps.push_back(b);
        e.writes.pop_front();
      }
    }
  }
  if (b_hs) e.bresps.pop_front();

  // Next gmem outputs.
  bool live = alive(e);
  t.m_axi_gmem_arready = live && e.reads.size() < MAX_OUTSTANDING;
  t.m_axi_gmem_awready = live && e.writes.size() < MAX_OUTSTANDING;
  t.m_axi_gmem_wready = live && !e.writes.empty();
  t.m_axi_gmem_rvalid = live && !e.reads.empty();
  if (t.m_axi_gmem_rvalid) {
    const Burst &b = e.reads.front();
    uint64_t line = b.beat_addr() & ~uint64_t(BUS_BYTES - 1);
    static const uint8_t zeros[BUS_BYTES] = {};
    sig_put(t.m_axi_gmem_rdata, b.error ? zeros : &e.mem[line - MEM_BASE]);
    t.m_axi_gmem_rlast = b.done + 1 == b.beats;
    t.m_axi_gmem_rresp = b.error ? 2 : 0;
  } else {
    t.m_axi_gmem_rlast = 0;
  }
  t.m_axi_gmem_bvalid = live && !e.bresps.empty();
  t.m_axi_gmem_bresp = (!e.bresps.empty() && e.bresps.front().error) ? 2 : 0;

  // AXI4-Lite master.
  if (e.op == CtrlOp::WRITE) {
    if (c_aw_hs) e.aw_done = true;
    if (c_w_hs) e.w_done = true;
    if (c_b_hs) {
      e.ctrl_resp = c_resp;
      e.op = CtrlOp::NONE;
    }
  } else if (e.op == CtrlOp::READ) {
    if (c_ar_hs) e.ar_done = true;
    if (c_r_hs) {
      e.ctrl_rdata = c_rdata;
      e.ctrl_resp = c_resp;
      e.op = CtrlOp::NONE;
    }
  }
  t.s_axi_control_awvalid = e.op == CtrlOp::WRITE && !e.aw_done;
  t.s_axi_control_wvalid = e.op == CtrlOp::WRITE && !e.w_done;
  t.s_axi_control_bready = e.op == CtrlOp::WRITE && e.aw_done && e.w_done;
  t.s_axi_control_arvalid = e.op == CtrlOp::READ && !e.ar_done;
  t.s_axi_control_rready = e.op == CtrlOp::READ && e.ar_done;
  t.s_axi_control_awaddr = e.ctrl_addr;
  t.s_axi_control_araddr = e.ctrl_addr;
  t.s_axi_control_wdata = e.ctrl_wdata;
  t.s_axi_control_wstrb = 0xF;
}

int sim_check(Emu &e) {
  if (e.ctx->gotFinish() || e.ctx->gotError())
    return lfads_fail(LFADS_E_DEVICE, "emu: the kernel RTL stopped the simulation (%s)", t_verilator_msg.c_str());
  return 0;
}

int ctrl_access(Emu &e, CtrlOp op, uint32_t offset, uint32_t wdata, uint32_t *rdata) {
  if (e.lost) {
    if (rdata) *rdata = 0xFFFFFFFFu;  // what a read from a card that left the PCIe bus returns
    return 0;
  }
  e.op = op;
  e.ctrl_addr = offset;
  e.ctrl_wdata = wdata;
  e.aw_done = e.w_done = e.ar_done = false;
  for (uint32_t i = 0; e.op != CtrlOp::NONE; i++) {
    if (i == CTRL_TIMEOUT_CYCLES) {
      e.op = CtrlOp::NONE;
      return lfads_fail(LFADS_E_DEVICE, "emu: s_axi_control %s of 0x%02X got no response in %u cycles",
                        op == CtrlOp::READ ? "read" : "write", offset, CTRL_TIMEOUT_CYCLES);
    }
    tick(e);
    if (int rc = sim_check(e)) return rc;
    if (e.lost) {
      e.op = CtrlOp::NONE;
      if (rdata) *rdata = 0xFFFFFFFFu;
      return 0;
    }
  }
  if (e.ctrl_resp != 0)
    return lfads_fail(LFADS_E_DEVICE, "emu: s_axi_control %s of 0x%02X answered RESP=%u", op == CtrlOp::READ ? "read" : "write", offset, e.ctrl_resp);
  if (rdata) *rdata = e.ctrl_rdata;
  return 0;
}

int reg_write(Emu &e, uint32_t offset, uint32_t value) { return ctrl_access(e, CtrlOp::WRITE, offset, value, nullptr); }
int reg_read(Emu &e, uint32_t offset, uint32_t *value) { return ctrl_access(e, CtrlOp::READ, offset, 0, value); }

void reset(Emu &e) {
  e.top->ap_rst_n = 0;
  e.reads.clear();
  e.writes.clear();
  e.bresps.clear();
  for (int i = 0; i < 16; i++) tick(e);
  e.top->ap_rst_n = 1;
  tick(e);
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
  if ((rc = lfads_uri_get_u32(uri, "lanes", 1, 65535, &lanes))) return rc;
  if ((rc = lfads_uri_get_u32(uri, "clock_mhz", 1, 2000, &clock_mhz))) return rc;
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
  if (!e->trace_path.empty()) {
    e->vcd.reset(new VerilatedVcdC);
    e->top->trace(e->vcd.get(), 99);
    e->vcd->open(e->trace_path.c_str());
    if (!e->vcd->isOpen())
      return lfads_fail(LFADS_E_INVALID, "emu option trace=%s: cannot open the file for writing", e->trace_path.c_str());
  }
  reset(*e);
  if ((rc = sim_check(*e))) return rc;
  if (lanes) {
    uint32_t config = 0;
    if ((rc = reg_read(*e, LFADS_REG_CONFIG, &config))) return rc;
    if ((config >> 16) != lanes)
      return lfads_fail(LFADS_E_NOT_AVAILABLE, "emu option lanes=%u: this library's kernel was built with %u MAC lanes "
                        "(rebuild with `make -C drivers EMU_LANES=%u`)", lanes, config >> 16, lanes);
  }
  dev->impl = e.release();
  return 0;
}

void emu_close(lfads_device *dev) {
  Emu *e = impl(dev);
  if (!e) return;
  if (e->vcd) e->vcd->close();
  e->top->final();
  delete e;
  dev->impl = nullptr;
}

int emu_read_reg(lfads_device *dev, uint32_t offset, uint32_t *value) {
  Emu &e = *impl(dev);
  int rc = reg_read(e, offset, value);
  if (rc == 0 && e.lost)
    return lfads_fail(LFADS_E_LOST, "emu: register 0x%02X reads 0xFFFFFFFF: the device is gone", offset);
  return rc;
}

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

int emu_stage_image(lfads_device *dev, const void *image, size_t bytes) {
  Emu &e = *impl(dev);
  const lfads_layout &l = dev->layout;
  uint64_t image_off = 0;
  uint64_t input_off = align_up(image_off + bytes, REGION_ALIGN);
  uint64_t output_off = align_up(input_off + l.input_stride * dev->max_trials, REGION_ALIGN);
  uint64_t total = align_up(output_off + l.output_stride * dev->max_trials, REGION_ALIGN);
  try {
    e.mem.assign(total, 0);
  } catch (const std::bad_alloc &) {
    return lfads_fail(LFADS_E_NOMEM, "emu: cannot allocate %llu bytes of device memory", (unsigned long long)total);
  }
  std::memcpy(&e.mem[image_off], image, bytes);
  e.image_addr = MEM_BASE + image_off;
  e.input_addr = MEM_BASE + input_off;
  e.output_addr = MEM_BASE + output_off;
  return 0;
}

int emu_write_input(lfads_device *dev, const uint8_t *spikes, uint32_t trials) {
  Emu &e = *impl(dev);
  const lfads_layout &l = dev->layout;
  uint8_t *dst = &e.mem[e.input_addr - MEM_BASE];
  for (uint32_t t = 0; t < trials; t++) std::memcpy(dst + t * l.input_stride, spikes + t * l.spike_bytes_per_trial, l.spike_bytes_per_trial);
  return 0;
}

int emu_execute(lfads_device *dev, uint32_t trials, uint32_t flags) {
  Emu &e = *impl(dev);
  bool is_load = flags & LFADS_FLAG_LOAD_IMAGE;
  if (!is_load) {
    if (e.hang_after >= 0 && e.runs >= e.hang_after) e.hung = true;
    e.runs++;
  }
  e.protocol_error.clear();
  int rc;
  if ((rc = reg_write(e, LFADS_REG_IMAGE_PTR_LO, uint32_t(e.image_addr))) || (rc = reg_write(e, LFADS_REG_IMAGE_PTR_HI, uint32_t(e.image_addr >> 32))) ||
      (rc = reg_write(e, LFADS_REG_INPUT_PTR_LO, uint32_t(e.input_addr))) || (rc = reg_write(e, LFADS_REG_INPUT_PTR_HI, uint32_t(e.input_addr >> 32))) ||
      (rc = reg_write(e, LFADS_REG_OUTPUT_PTR_LO, uint32_t(e.output_addr))) || (rc = reg_write(e, LFADS_REG_OUTPUT_PTR_HI, uint32_t(e.output_addr >> 32))) ||
      (rc = reg_write(e, LFADS_REG_NUM_TRIALS, trials)) || (rc = reg_write(e, LFADS_REG_FLAGS, flags)) ||
      (rc = reg_write(e, LFADS_REG_CTRL, LFADS_CTRL_AP_START)))
    return rc;
  // Injected loss: the card drops off the bus two cycles after it accepted ap_start.
  if (!is_load && e.lose_after >= 0 && e.runs > e.lose_after) e.lose_at_cycle = e.cycle + 2;
  uint64_t deadline = lfads_now_ms() + dev->timeout_ms;
  uint64_t start_cycle = e.cycle;
  for (;;) {
    for (uint32_t i = 0; i < POLL_CYCLES; i++) tick(e);
    if ((rc = sim_check(e))) return rc;
    uint32_t ctrl = 0;
    if ((rc = reg_read(e, LFADS_REG_CTRL, &ctrl))) return rc;
    if (ctrl == 0xFFFFFFFFu) {
      uint32_t id = 0;
      reg_read(e, LFADS_REG_KERNEL_ID, &id);
      if (id != LFADS_KERNEL_ID)
        return lfads_fail(LFADS_E_LOST, "emu: device lost during the run (CTRL and KERNEL_ID read 0x%08X after %llu cycles)",
                          id, (unsigned long long)(e.cycle - start_cycle));
    }
    if (ctrl & LFADS_CTRL_AP_DONE) break;
    if (lfads_now_ms() >= deadline)
      return lfads_fail(LFADS_E_TIMEOUT, "emu: kernel did not finish %s within %u ms (%llu cycles, %llu AXI beats served%s)",
                        is_load ? "the image load" : (std::to_string(trials) + " trials").c_str(), dev->timeout_ms,
                        (unsigned long long)(e.cycle - start_cycle), (unsigned long long)e.beats,
                        e.hung ? "; hang injected by hang_after" : "");
  }
  if (!e.protocol_error.empty()) return lfads_fail(LFADS_E_DEVICE, "emu: AXI protocol violation by the kernel: %s", e.protocol_error.c_str());
  return 0;
}

int emu_read_output(lfads_device *dev, int32_t *out, uint32_t trials) {
  Emu &e = *impl(dev);
  const lfads_layout &l = dev->layout;
  const uint8_t *src = &e.mem[e.output_addr - MEM_BASE];
  for (uint32_t t = 0; t < trials; t++) std::memcpy(out + t * l.out_words_per_trial, src + t * l.output_stride, l.out_words_per_trial * 4);
  return 0;
}

}  // namespace

extern "C" {
const lfads_backend_ops lfads_emu_ops = {
    "emu", emu_open, emu_close, emu_read_reg, emu_stage_image, emu_write_input, emu_execute, emu_read_output,
};
const int lfads_have_emu = 1;
}
