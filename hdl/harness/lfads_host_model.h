// SPDX-License-Identifier: MIT
// The Vitis shell around a Verilated lfads_kernel (or any kernel with its ports): ap_clk/ap_rst_n, an
// AXI4-Lite master on s_axi_control and an AXI4 memory slave on m_axi_gmem. One model, used by the cosim
// harness (hdl/harness/lfads_harness.cpp) and by the emulation backend of the driver
// (drivers/src/lfads_emu.cpp), so both see the same memory timing and the same protocol checks.
//
// Memory timing (MemoryTiming): every read burst is answered `read_latency` (+ uniform 0..read_jitter)
// cycles after its AR handshake, in order; write responses come `write_resp_latency` cycles after the
// last W beat; with `stall_pct` > 0 every READY/VALID the slave drives is withheld at random in that
// share of cycles (back-pressure); `max_outstanding` bounds the bursts accepted per direction.
// Cycle-exactness: with read_latency L, write_resp_latency 4, stalls off and no outstanding limit this is
// the timing the harness always had (hdl/harness: --latency L), which sim's CycleModel replays exactly.
//
// Clocking: one tick() is one ap_clk cycle. Everything the model drives is decided at the start of the
// cycle from its state (so it is registered: it changed at the previous rising edge); handshakes are
// sampled just before the rising edge; the state is updated after it.
#ifndef LFADS_HOST_MODEL_H
#define LFADS_HOST_MODEL_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "verilated.h"

namespace lfads_host {

struct MemoryTiming {
  uint32_t read_latency = 1;        // cycles from the AR handshake to the burst's first R beat (>= 1)
  uint32_t read_jitter = 0;         // plus a uniform 0..read_jitter cycles per burst (still in order)
  uint32_t write_resp_latency = 0;  // cycles from the last W beat (and AW) to BVALID
  uint32_t stall_pct = 0;           // 0..99: share of cycles each slave READY/VALID is withheld
  uint32_t max_outstanding = 0;     // bursts accepted per direction before AR/AW stall; 0 = unlimited
  uint32_t seed = 1;                // of the jitter and stall generator (runs are reproducible)
};

// AXI traffic seen by the model since construction (or since the caller last reset it).
struct Traffic {
  uint64_t ctrl_reads = 0, ctrl_writes = 0;   // AXI4-Lite transactions on s_axi_control
  uint64_t read_bursts = 0, read_beats = 0;   // m_axi_gmem
  uint64_t write_bursts = 0, write_beats = 0;
};

enum class CtrlResult { OK, RESP_ERROR, NO_RESPONSE, LOST, STOPPED };

// Byte access to Verilator signals of any width (CData..QData, or VlWide for > 64 bits).
template <typename T> void sig_put(T &sig, const uint8_t *src, size_t bytes) {
  uint64_t v = 0;
  std::memcpy(&v, src, sizeof(T) < bytes ? sizeof(T) : bytes);
  sig = static_cast<T>(v);
}
template <std::size_t N> void sig_put(VlWide<N> &sig, const uint8_t *src, size_t) {
  for (size_t i = 0; i < N; i++) std::memcpy(&sig[i], src + 4 * i, 4);
}
template <typename T> void sig_get(const T &sig, uint8_t *dst, size_t bytes) {
  uint64_t v = sig;
  std::memcpy(dst, &v, sizeof(T) < bytes ? sizeof(T) : bytes);
}
template <std::size_t N> void sig_get(const VlWide<N> &sig, uint8_t *dst, size_t) {
  for (size_t i = 0; i < N; i++) std::memcpy(dst + 4 * i, &sig[i], 4);
}

template <class Top, size_t BusBytes> class HostModel {
 public:
  static_assert(BusBytes >= 4 && BusBytes <= 64 && (BusBytes & (BusBytes - 1)) == 0, "bus width: 32..512 bits");

  HostModel(Top &top, VerilatedContext &ctx, const MemoryTiming &timing, uint64_t half_period_ps = 1667)
      : top_(top), ctx_(ctx), timing_(timing), rng_(timing.seed), half_period_ps_(half_period_ps) {
    idle_outputs();
  }

  // Device memory: mem[i] is at address mem_base + i. Accesses outside it answer SLVERR.
  std::vector<uint8_t> mem;
  uint64_t mem_base = 0;
  uint64_t cycle = 0;
  Traffic traffic;
  // First AXI protocol violation by the kernel (4 KB crossing, WLAST misplaced, beat wider than the bus).
  std::string protocol_error;

  // Fault injection and tracing hooks.
  bool memory_answers = true;     // false: the slave stops answering (a hung kernel: it never finishes)
  bool lost = false;              // the device left the bus: register reads return all ones
  uint64_t lose_at_cycle = ~0ull; // `lost` is set when cycle reaches this
  std::function<void(uint64_t)> on_eval;  // called after every eval with the context time (VCD dump)

  const MemoryTiming &timing() const { return timing_; }
  bool idle() const { return reads_.empty() && writes_.empty() && bresps_.empty() && wbeats_.empty(); }

  void reset(int cycles) {
    top_.ap_rst_n = 0;
    reads_.clear();
    writes_.clear();
    bresps_.clear();
    wbeats_.clear();
    op_ = Op::NONE;
    for (int i = 0; i < cycles; i++) tick();
    top_.ap_rst_n = 1;
    tick();
  }

  bool stopped() const { return ctx_.gotFinish() || ctx_.gotError(); }

  // One ap_clk cycle.
  void tick() {
    drive();
    top_.ap_clk = 0;
    top_.eval();
    advance_time();

    // Handshakes and the kernel's outputs as they are before the edge.
    const bool ar_hs = top_.m_axi_gmem_arvalid && top_.m_axi_gmem_arready;
    const bool aw_hs = top_.m_axi_gmem_awvalid && top_.m_axi_gmem_awready;
    const bool w_hs = top_.m_axi_gmem_wvalid && top_.m_axi_gmem_wready;
    const bool r_hs = top_.m_axi_gmem_rvalid && top_.m_axi_gmem_rready;
    const bool b_hs = top_.m_axi_gmem_bvalid && top_.m_axi_gmem_bready;
    Burst ar_new, aw_new;
    if (ar_hs) ar_new = accept(top_.m_axi_gmem_araddr, top_.m_axi_gmem_arlen, top_.m_axi_gmem_arsize, top_.m_axi_gmem_arburst, "read");
    if (aw_hs) aw_new = accept(top_.m_axi_gmem_awaddr, top_.m_axi_gmem_awlen, top_.m_axi_gmem_awsize, top_.m_axi_gmem_awburst, "write");
    WBeat wb;
    if (w_hs) {
      sig_get(top_.m_axi_gmem_wdata, wb.data.data(), BusBytes);
      wb.strb = top_.m_axi_gmem_wstrb;
      wb.last = top_.m_axi_gmem_wlast;
    }
    const bool c_aw_hs = top_.s_axi_control_awvalid && top_.s_axi_control_awready;
    const bool c_w_hs = top_.s_axi_control_wvalid && top_.s_axi_control_wready;
    const bool c_b_hs = top_.s_axi_control_bvalid && top_.s_axi_control_bready;
    const bool c_ar_hs = top_.s_axi_control_arvalid && top_.s_axi_control_arready;
    const bool c_r_hs = top_.s_axi_control_rvalid && top_.s_axi_control_rready;
    const uint32_t c_rdata = top_.s_axi_control_rdata;
    const uint32_t c_resp = c_r_hs ? top_.s_axi_control_rresp : top_.s_axi_control_bresp;

    top_.ap_clk = 1;
    top_.eval();
    advance_time();
    const uint64_t at = cycle;  // the cycle whose edge this was
    cycle++;
    if (cycle >= lose_at_cycle) lost = true;

    // m_axi_gmem state.
    if (r_hs) {
      Burst &b = reads_.front();
      traffic.read_beats++;
      if (++b.done == b.beats) reads_.pop_front();
    }
    if (ar_hs) {
      uint32_t jitter = timing_.read_jitter ? uint32_t(rng_() % (timing_.read_jitter + 1u)) : 0u;
      ar_new.due = at + timing_.read_latency + jitter;
      reads_.push_back(ar_new);
      traffic.read_bursts++;
    }
    if (aw_hs) {
      writes_.push_back(aw_new);
      traffic.write_bursts++;
    }
    if (w_hs) wbeats_.push_back(wb);
    // Write data may lead its address: beats wait until their burst's AW is in.
    while (!writes_.empty() && !wbeats_.empty()) {
      Burst &b = writes_.front();
      const WBeat &beat = wbeats_.front();
      const uint64_t line = b.beat_addr() & ~uint64_t(BusBytes - 1);
      if (!b.error)
        for (size_t i = 0; i < BusBytes; i++)
          if (beat.strb >> i & 1) mem[line - mem_base + i] = beat.data[i];
      traffic.write_beats++;
      b.done++;
      if (beat.last != (b.done == b.beats)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "write burst at 0x%llx: WLAST %s on beat %u of %u", (unsigned long long)b.addr,
                      beat.last ? "set" : "missing", b.done, b.beats);
        note_protocol(buf);
      }
      wbeats_.pop_front();
      if (b.done == b.beats) {
        b.due = cycle + timing_.write_resp_latency;
        bresps_.push_back(b);
        writes_.pop_front();
      }
    }
    if (b_hs) bresps_.pop_front();

    // s_axi_control master state.
    if (op_ == Op::WRITE) {
      if (c_aw_hs) aw_done_ = true;
      if (c_w_hs) w_done_ = true;
      if (c_b_hs) {
        ctrl_resp_ = c_resp;
        op_ = Op::NONE;
      }
    } else if (op_ == Op::READ) {
      if (c_ar_hs) ar_done_ = true;
      if (c_r_hs) {
        ctrl_rdata_ = c_rdata;
        ctrl_resp_ = c_resp;
        op_ = Op::NONE;
      }
    }
  }

  // One AXI4-Lite read or write, ticking until it completes (at most `timeout_cycles`).
  CtrlResult ctrl_read(uint32_t offset, uint32_t *value, uint32_t timeout_cycles = 10000) {
    traffic.ctrl_reads++;
    return ctrl(Op::READ, offset, 0, value, timeout_cycles);
  }
  CtrlResult ctrl_write(uint32_t offset, uint32_t value, uint32_t timeout_cycles = 10000) {
    traffic.ctrl_writes++;
    return ctrl(Op::WRITE, offset, value, nullptr, timeout_cycles);
  }
  uint32_t last_ctrl_resp() const { return ctrl_resp_; }

 private:
  enum class Op { NONE, READ, WRITE };
  struct Burst {
    uint64_t addr = 0;  // address of the first beat
    uint32_t beats = 0, done = 0;
    uint32_t size = 0;  // bytes per beat
    uint32_t kind = 1;  // 0 FIXED, 1 INCR
    bool error = false; // answered SLVERR
    uint64_t due = 0;   // cycle from which the first R beat / BVALID may be offered
    uint64_t beat_addr() const { return kind == 0 ? addr : (addr & ~uint64_t(size - 1)) + uint64_t(done) * size; }
  };
  struct WBeat {
    std::array<uint8_t, BusBytes> data{};
    uint64_t strb = 0;
    bool last = false;
  };

  void advance_time() {
    ctx_.timeInc(half_period_ps_);
    if (on_eval) on_eval(ctx_.time());
  }

  bool stall() { return timing_.stall_pct > 0 && rng_() % 100 < timing_.stall_pct; }

  bool in_mem(uint64_t addr, uint64_t len) const { return addr >= mem_base && addr - mem_base + len <= mem.size(); }

  void note_protocol(const std::string &what) {
    if (protocol_error.empty()) protocol_error = what;
  }

  Burst accept(uint64_t addr, uint32_t len, uint32_t size_log2, uint32_t burst, const char *dir) {
    Burst b;
    b.addr = addr;
    b.beats = len + 1;
    b.size = 1u << size_log2;
    b.kind = burst;
    char buf[200];
    if (b.size > BusBytes) {
      std::snprintf(buf, sizeof buf, "%s burst at 0x%llx: size %u bytes exceeds the %zu-byte bus", dir, (unsigned long long)addr, b.size, BusBytes);
      note_protocol(buf);
      b.error = true;
    } else if (burst > 1) {
      std::snprintf(buf, sizeof buf, "%s burst at 0x%llx: burst type %u unsupported (FIXED or INCR only)", dir, (unsigned long long)addr, burst);
      note_protocol(buf);
      b.error = true;
    } else if (burst == 1 && ((addr & ~uint64_t(b.size - 1)) + uint64_t(b.beats) * b.size - 1) / 4096 != addr / 4096) {
      std::snprintf(buf, sizeof buf, "%s burst at 0x%llx, %u beats of %u bytes crosses a 4 KB boundary", dir, (unsigned long long)addr, b.beats, b.size);
      note_protocol(buf);
      b.error = true;
    }
    const uint64_t last = b.kind == 0 ? addr : (addr & ~uint64_t(b.size - 1)) + uint64_t(b.beats - 1) * b.size;
    if (!in_mem(addr & ~uint64_t(BusBytes - 1), 1) || !in_mem(last & ~uint64_t(BusBytes - 1), BusBytes)) b.error = true;
    return b;
  }

  void idle_outputs() {
    top_.s_axi_control_awvalid = 0;
    top_.s_axi_control_wvalid = 0;
    top_.s_axi_control_bready = 0;
    top_.s_axi_control_arvalid = 0;
    top_.s_axi_control_rready = 0;
    top_.m_axi_gmem_arready = 0;
    top_.m_axi_gmem_rvalid = 0;
    top_.m_axi_gmem_rlast = 0;
    top_.m_axi_gmem_awready = 0;
    top_.m_axi_gmem_wready = 0;
    top_.m_axi_gmem_bvalid = 0;
  }

  // What the model drives during this cycle, from its state. The order of the stall draws is part of the
  // harness's reproducible timing (seeded runs): AR, AW, W, then R and B when they have something to offer.
  void drive() {
    const bool live = memory_answers;
    const uint32_t lim = timing_.max_outstanding;
    top_.m_axi_gmem_arready = live && (lim == 0 || reads_.size() < lim) && !stall();
    top_.m_axi_gmem_awready = live && (lim == 0 || writes_.size() < lim) && !stall();
    top_.m_axi_gmem_wready = live && wbeats_.size() < 1024 && !stall();
    if (live && !reads_.empty() && reads_.front().due <= cycle && !stall()) {
      const Burst &b = reads_.front();
      const uint64_t line = b.beat_addr() & ~uint64_t(BusBytes - 1);
      static const uint8_t zeros[BusBytes] = {};
      top_.m_axi_gmem_rvalid = 1;
      sig_put(top_.m_axi_gmem_rdata, b.error ? zeros : &mem[line - mem_base], BusBytes);
      top_.m_axi_gmem_rlast = b.done + 1 == b.beats;
      top_.m_axi_gmem_rresp = b.error ? 2 : 0;
    } else {
      top_.m_axi_gmem_rvalid = 0;
      top_.m_axi_gmem_rlast = 0;
    }
    const bool bvalid = live && !bresps_.empty() && bresps_.front().due <= cycle && !stall();
    top_.m_axi_gmem_bvalid = bvalid;
    top_.m_axi_gmem_bresp = bvalid && bresps_.front().error ? 2 : 0;

    top_.s_axi_control_awvalid = op_ == Op::WRITE && !aw_done_;
    top_.s_axi_control_wvalid = op_ == Op::WRITE && !w_done_;
    top_.s_axi_control_bready = op_ == Op::WRITE && aw_done_ && w_done_;
    top_.s_axi_control_arvalid = op_ == Op::READ && !ar_done_;
    top_.s_axi_control_rready = op_ == Op::READ && ar_done_;
    top_.s_axi_control_awaddr = ctrl_addr_;
    top_.s_axi_control_araddr = ctrl_addr_;
    top_.s_axi_control_wdata = ctrl_wdata_;
    top_.s_axi_control_wstrb = 0xF;
  }

  CtrlResult ctrl(Op op, uint32_t offset, uint32_t wdata, uint32_t *rdata, uint32_t timeout_cycles) {
    if (lost) {
      if (rdata) *rdata = 0xFFFFFFFFu;  // what a read from a card that left the PCIe bus returns
      return CtrlResult::LOST;
    }
    op_ = op;
    ctrl_addr_ = offset;
    ctrl_wdata_ = wdata;
    aw_done_ = w_done_ = ar_done_ = false;
    for (uint32_t i = 0; op_ != Op::NONE; i++) {
      if (i == timeout_cycles) {
        op_ = Op::NONE;
        return CtrlResult::NO_RESPONSE;
      }
      tick();
      if (stopped()) {
        op_ = Op::NONE;
        return CtrlResult::STOPPED;
      }
      if (lost) {
        op_ = Op::NONE;
        if (rdata) *rdata = 0xFFFFFFFFu;
        return CtrlResult::LOST;
      }
    }
    if (rdata) *rdata = ctrl_rdata_;
    return ctrl_resp_ == 0 ? CtrlResult::OK : CtrlResult::RESP_ERROR;
  }

  Top &top_;
  VerilatedContext &ctx_;
  MemoryTiming timing_;
  std::mt19937 rng_;
  uint64_t half_period_ps_;
  std::deque<Burst> reads_, writes_, bresps_;
  std::deque<WBeat> wbeats_;
  Op op_ = Op::NONE;
  bool aw_done_ = false, w_done_ = false, ar_done_ = false;
  uint32_t ctrl_addr_ = 0, ctrl_wdata_ = 0, ctrl_rdata_ = 0, ctrl_resp_ = 0;
};

}  // namespace lfads_host

#endif  // LFADS_HOST_MODEL_H
