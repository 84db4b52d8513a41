// SPDX-License-Identifier: MIT
// Top-level harness for the Verilated lfads_kernel: the shared host model (lfads_host_model.h, also the
// driver's emu backend: AXI4 memory with read latency and optional random back-pressure on every
// channel, AXI4-Lite master) used exactly as the host uses the kernel: image + inputs into device memory, program the registers,
// start, wait for ap_done, read the results and the CYCLES counter.
//
// usage: lfads_harness --image K.img --input in.bin --trials N --out out.bin
//                      [--stall PCT] [--latency CYC] [--seed S] [--quiet]
// in.bin / out.bin are the device buffers of docs/kernel-numerics.md section 10 (trial strides
// rounded up to 64 bytes). Prints `load_cycles: L`, `cycles: C`, `cycles_per_trial: C/N`.
//
// online mode (docs/kernel-numerics.md section 13): lfads_harness --image K.img --online --input bins.bin
//     --bins N --out out.bin [--slots S] [--reset-at B1,B2,...]
// bins.bin holds N bins of N_in bytes back to back. The harness drives the kernel as a streaming host does:
// after the image load (registers polled: setup), each bin is copied into the next input slot, then FLAGS is
// written only when it changes (ONLINE | ONLINE_RESET at bin 0 and every --reset-at bin, ONLINE otherwise) and
// CTRL = ap_start; completion is the status block's SEQ appearing in the output slot (no register read). out.bin
// is every bin's output slot (status block, then its factors and log-rates) back to back. Prints per-bin
// register accesses and the status blocks' CYCLES (first, last, min, max, mean). --whole-trial-at B1,...: before
// those bins, one whole-trial run (the first T_enc bins of bins.bin as its trial, its own buffers; pointers and
// NUM_TRIALS set for it and restored), which ends the online window (spec section 13). --error-checks: before the
// stream, an online run with no image loaded (status block: ERROR_CODE 6) and, after the image load, one with
// NUM_TRIALS 0 (ERROR_CODE 7), each checked word by word; prints `error_checks: ok`.

#include "Vlfads_kernel.h"
#include "verilated.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "lfads_contract.h"
#include "lfads_host_model.h"

namespace {

constexpr int kBeatBytes = 64;

struct Options {
    std::string image, input, out;
    long trials = 1;
    int stall_pct = 0;
    int latency = 20;
    uint32_t seed = 1;
    bool quiet = false;
    long max_cycles = 2000000000L;
    bool online = false;
    bool error_checks = false;
    long bins = 0;
    uint32_t slots = 2;
    std::vector<long> reset_at;
    std::vector<long> whole_at;
};

[[noreturn]] void die(const std::string& msg) {
    std::cerr << "lfads_harness: " << msg << std::endl;
    std::exit(2);
}

std::vector<uint8_t> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) die("cannot read " + path);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

uint32_t le32(const std::vector<uint8_t>& b, size_t off) {
    return uint32_t(b[off]) | uint32_t(b[off + 1]) << 8 | uint32_t(b[off + 2]) << 16 | uint32_t(b[off + 3]) << 24;
}

uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

// The cosim host: the shared Vitis-shell model (lfads_host_model.h: AXI4 memory with latency and
// back-pressure, AXI4-Lite master) with the harness's error policy (any failure ends the process).
class Sim {
public:
    Sim(const Options& opt)
        : ctx_(std::make_unique<VerilatedContext>()),
          top_(std::make_unique<Vlfads_kernel>(ctx_.get(), "top")),
          host_(*top_, *ctx_, timing(opt)),
          mem(host_.mem),
          opt_(opt) {
        top_->ap_clk = 0;
        host_.reset(8);
    }
    ~Sim() { top_->final(); }

    void tick() { host_.tick(); }

    uint64_t reg_writes = 0, reg_reads = 0;

    void reg_write(uint32_t addr, uint32_t data) {
        reg_writes++;
        if (host_.ctrl_write(addr, data, 1000) != lfads_host::CtrlResult::OK) die("AXI-Lite write of " + std::to_string(addr) + " failed");
    }

    uint32_t reg_read(uint32_t addr) {
        reg_reads++;
        uint32_t v = 0;
        if (host_.ctrl_read(addr, &v, 1000) != lfads_host::CtrlResult::OK) die("AXI-Lite read of " + std::to_string(addr) + " failed");
        return v;
    }

    void reg_write64(uint32_t lo, uint64_t v) {
        reg_write(lo, uint32_t(v));
        reg_write(lo + 4, uint32_t(v >> 32));
    }

    // Start with the given flags and wait for ap_done (the host's polling loop).
    void run(uint32_t flags, uint32_t trials) {
        reg_write(LFADS_REG_NUM_TRIALS, trials);
        reg_write(LFADS_REG_FLAGS, flags);
        reg_write(LFADS_REG_CTRL, LFADS_CTRL_AP_START);
        const uint64_t t0 = host_.cycle;
        while (true) {
            for (int i = 0; i < 64; i++) tick();
            if (reg_read(LFADS_REG_CTRL) & LFADS_CTRL_AP_DONE) break;
            if (host_.cycle - t0 > uint64_t(opt_.max_cycles)) die("kernel did not finish");
        }
        if (!host_.protocol_error.empty()) die("AXI protocol violation by the kernel: " + host_.protocol_error);
    }

    // Waits until the 32-bit word at `addr` in device memory equals `want` (the host polling its buffer).
    void wait_word(uint64_t addr, uint32_t want) {
        const uint64_t t0 = host_.cycle;
        while (le32(mem, addr) != want) {
            tick();
            if (host_.cycle - t0 > uint64_t(opt_.max_cycles)) die("kernel did not write its status block");
        }
    }

    uint64_t now() const { return host_.cycle; }

    // Waits until the kernel is idle with no start pending (CTRL polled: outside the per-bin path). ap_done
    // is sticky until read, so it cannot tell whether the last of several unpolled runs has finished.
    void run_wait_idle() {
        const uint64_t t0 = host_.cycle;
        while (true) {
            for (int i = 0; i < 64; i++) tick();
            const uint32_t c = reg_read(LFADS_REG_CTRL);
            if ((c & LFADS_CTRL_AP_IDLE) && !(c & LFADS_CTRL_AP_START)) break;
            if (host_.cycle - t0 > uint64_t(opt_.max_cycles)) die("kernel did not finish");
        }
    }

    uint64_t cycles() {
        const uint64_t lo = reg_read(LFADS_REG_CYCLES_LO);
        return lo | uint64_t(reg_read(LFADS_REG_CYCLES_HI)) << 32;
    }

private:
    // --latency L, --stall PCT, --seed S; write responses 4 cycles after the last beat (CycleModel's RUN_OVERHEAD).
    static lfads_host::MemoryTiming timing(const Options& opt) {
        lfads_host::MemoryTiming t;
        t.read_latency = uint32_t(opt.latency < 1 ? 1 : opt.latency);
        t.write_resp_latency = 4;
        t.stall_pct = uint32_t(opt.stall_pct);
        t.seed = opt.seed;
        return t;
    }
    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vlfads_kernel> top_;
    lfads_host::HostModel<Vlfads_kernel, kBeatBytes> host_;
public:
    std::vector<uint8_t>& mem;  // device memory (address 0 = mem[0])
private:
    const Options& opt_;
};

// Online mode: one run per bin, completion seen in the status block (see the usage at the top).
int run_online(const Options& opt) {
    const std::vector<uint8_t> image = read_file(opt.image);
    if (image.size() < LFADS_IMAGE_HEADER_BYTES || le32(image, 0) != LFADS_IMAGE_MAGIC)
        die(opt.image + ": not a kernel image (bad magic)");
    if (opt.bins < 1) die("--online needs --bins N >= 1");
    if (opt.slots < 1) die("--slots must be >= 1");
    const uint32_t n_in = le32(image, 4 * LFADS_H_N_IN), n_out = le32(image, 4 * LFADS_H_N_OUT);
    const uint32_t fac = le32(image, 4 * LFADS_H_FAC_DIM);
    const uint64_t in_slot = round_up(n_in, kBeatBytes);
    const uint64_t out_slot = LFADS_ONLINE_STATUS_BYTES + round_up(uint64_t(fac + n_out) * 4, kBeatBytes);
    const std::vector<uint8_t> input = read_file(opt.input);
    if (input.size() < uint64_t(n_in) * opt.bins)
        die(opt.input + ": " + std::to_string(input.size()) + " bytes, need " + std::to_string(uint64_t(n_in) * opt.bins) +
            " for " + std::to_string(opt.bins) + " bins of " + std::to_string(n_in) + " channels");

    Sim sim(opt);
    const uint64_t image_addr = 0x1000;
    const uint64_t input_addr = round_up(image_addr + image.size(), 4096);
    const uint64_t output_addr = round_up(input_addr + in_slot * opt.slots + 64, 4096);
    // whole-trial buffers for --whole-trial-at
    const uint32_t t_enc = le32(image, 4 * LFADS_H_T_ENC), t_rec = le32(image, 4 * LFADS_H_T_REC);
    const uint64_t trial_in_addr = round_up(output_addr + out_slot * opt.slots + 64, 4096);
    const uint64_t trial_out_addr = round_up(trial_in_addr + uint64_t(t_enc) * n_in + 64, 4096);
    sim.mem.assign(round_up(trial_out_addr + uint64_t(t_rec) * (fac + n_out) * 4 + 4096, 4096), 0xA5);
    for (uint64_t i = 0; i < uint64_t(t_enc) * n_in; i++)
        sim.mem[trial_in_addr + i] = i < input.size() ? input[i] : 0;
    std::memcpy(&sim.mem[image_addr], image.data(), image.size());

    // setup (not per bin): identity, pointers, image load (polled), slot count
    if (sim.reg_read(LFADS_REG_KERNEL_ID) != uint32_t(LFADS_KERNEL_ID)) die("KERNEL_ID mismatch");
    sim.reg_write64(LFADS_REG_IMAGE_PTR_LO, image_addr);
    sim.reg_write64(LFADS_REG_INPUT_PTR_LO, input_addr);
    sim.reg_write64(LFADS_REG_OUTPUT_PTR_LO, output_addr);
    uint32_t seq = 0;   // online runs since the kernel's reset (the status blocks' SEQ)
    // One failing online run: waits for its status block in slot 0 and checks every word.
    auto expect_failure = [&](uint32_t want_err, uint32_t want_status) {
        std::memset(&sim.mem[output_addr], 0, LFADS_ONLINE_STATUS_BYTES);
        sim.reg_write(LFADS_REG_FLAGS, LFADS_FLAG_ONLINE | LFADS_FLAG_ONLINE_RESET);
        sim.reg_write(LFADS_REG_CTRL, LFADS_CTRL_AP_START);
        seq++;
        sim.wait_word(output_addr + 4 * LFADS_OS_SEQ, seq);
        sim.run_wait_idle();
        const uint32_t want[16] = {seq, want_err, 0, 0, 0, 0, want_status, 0, 0, 0, 0, 0, 0, 0, 0,
                                   uint32_t(LFADS_ONLINE_STATUS_MAGIC)};
        for (int w = 0; w < 16; w++) {
            if (w == LFADS_OS_CYCLES_LO || w == LFADS_OS_CYCLES_HI) continue;
            if (le32(sim.mem, output_addr + 4 * w) != want[w])
                die("error check (ERROR_CODE " + std::to_string(want_err) + "): status word " + std::to_string(w) +
                    " is " + std::to_string(le32(sim.mem, output_addr + 4 * w)) + ", want " + std::to_string(want[w]));
        }
        if (sim.reg_read(LFADS_REG_ERROR_CODE) != want_err) die("error check: ERROR_CODE register differs");
    };
    if (opt.error_checks) {
        sim.reg_write(LFADS_REG_NUM_TRIALS, opt.slots);
        expect_failure(LFADS_ERR_NO_IMAGE, 0);
    }
    sim.run(LFADS_FLAG_LOAD_IMAGE, 0);
    const uint64_t load_cycles = sim.cycles();
    if (const uint32_t err = sim.reg_read(LFADS_REG_ERROR_CODE); err != 0) {
        std::cerr << "lfads_harness: image load failed, ERROR_CODE " << err << std::endl;
        return 3;
    }
    if (opt.error_checks) {
        sim.reg_write(LFADS_REG_NUM_TRIALS, 0);
        expect_failure(LFADS_ERR_NO_SLOTS, LFADS_STATUS_IMAGE_LOADED);
    }
    sim.reg_write(LFADS_REG_NUM_TRIALS, opt.slots);

    std::ofstream out(opt.out, std::ios::binary);
    if (!out) die("cannot write " + opt.out);
    const uint64_t w0 = sim.reg_writes, r0 = sim.reg_reads;
    uint32_t flags_now = 0xFFFFFFFFu;
    uint32_t slot = 0;
    uint64_t cyc_min = ~uint64_t(0), cyc_max = 0, cyc_sum = 0, cyc_first = 0, cyc_last = 0, max_writes = 0;
    int errors = 0;
    uint64_t whole_writes = 0, whole_reads = 0;
    for (long b = 0; b < opt.bins; b++) {
        bool reset = b == 0;
        for (long r : opt.reset_at) reset = reset || r == b;
        if (reset) slot = 0;
        bool whole = false;
        for (long w : opt.whole_at) whole = whole || w == b;
        if (whole) {
            const uint64_t ww = sim.reg_writes, wr = sim.reg_reads;
            sim.run_wait_idle();   // the last online run finished; reading CTRL clears its sticky ap_done
            sim.reg_write64(LFADS_REG_INPUT_PTR_LO, trial_in_addr);
            sim.reg_write64(LFADS_REG_OUTPUT_PTR_LO, trial_out_addr);
            sim.run(0, 1);
            if (sim.reg_read(LFADS_REG_ERROR_CODE) != 0 || sim.reg_read(LFADS_REG_TRIALS_DONE) != 1)
                die("whole-trial run before bin " + std::to_string(b) + " failed");
            sim.reg_write64(LFADS_REG_INPUT_PTR_LO, input_addr);
            sim.reg_write64(LFADS_REG_OUTPUT_PTR_LO, output_addr);
            sim.reg_write(LFADS_REG_NUM_TRIALS, opt.slots);
            flags_now = 0;
            whole_writes += sim.reg_writes - ww;
            whole_reads += sim.reg_reads - wr;
        }
        std::memcpy(&sim.mem[input_addr + slot * in_slot], &input[uint64_t(b) * n_in], n_in);
        const uint64_t wb = sim.reg_writes;
        const uint64_t rb = sim.reg_reads;
        const uint32_t flags = LFADS_FLAG_ONLINE | (reset ? LFADS_FLAG_ONLINE_RESET : 0u);
        if (flags != flags_now) {
            sim.reg_write(LFADS_REG_FLAGS, flags);
            flags_now = flags;
        }
        sim.reg_write(LFADS_REG_CTRL, LFADS_CTRL_AP_START);
        max_writes = std::max<uint64_t>(max_writes, sim.reg_writes - wb);
        if (sim.reg_reads != rb) die("register read on the per-bin path");
        seq++;
        const uint64_t status = output_addr + slot * out_slot;
        sim.wait_word(status + 4 * LFADS_OS_SEQ, seq);
        if (le32(sim.mem, status + 4 * LFADS_OS_MAGIC) != uint32_t(LFADS_ONLINE_STATUS_MAGIC))
            die("bin " + std::to_string(b) + ": status block without its magic word");
        const uint32_t err = le32(sim.mem, status + 4 * LFADS_OS_ERROR_CODE);
        if (err != 0) {
            std::cerr << "lfads_harness: bin " << b << ": ERROR_CODE " << err << std::endl;
            errors++;
        }
        const uint64_t cyc = le32(sim.mem, status + 4 * LFADS_OS_CYCLES_LO)
                             | uint64_t(le32(sim.mem, status + 4 * LFADS_OS_CYCLES_HI)) << 32;
        if (b == 0) cyc_first = cyc;
        cyc_last = cyc;
        cyc_min = std::min(cyc_min, cyc);
        cyc_max = std::max(cyc_max, cyc);
        cyc_sum += cyc;
        out.write(reinterpret_cast<const char*>(&sim.mem[status]), std::streamsize(out_slot));
        slot = slot + 1 == opt.slots ? 0 : slot + 1;
    }
    // per-bin counts exclude the --whole-trial-at runs' own accesses (setup of another mode)
    const uint64_t hot_writes = sim.reg_writes - w0 - whole_writes, hot_reads = sim.reg_reads - r0 - whole_reads;
    // after the stream (not per bin): the last run's CYCLES register, for the status block's offset from it
    sim.run_wait_idle();
    const uint64_t reg_cycles = sim.cycles();
    if (!out) die("write failed: " + opt.out);
    std::cout << "load_cycles: " << load_cycles << "\n";
    std::cout << "bins: " << opt.bins << "\n";
    std::cout << "reg_writes_per_bin_max: " << max_writes << "\n";
    std::cout << "reg_writes_per_bin_mean: " << double(hot_writes) / double(opt.bins) << "\n";
    std::cout << "reg_reads_per_bin: " << double(hot_reads) / double(opt.bins) << "\n";
    std::cout << "bytes_in_per_bin: " << n_in << "\n";
    std::cout << "bytes_out_per_bin: " << LFADS_ONLINE_STATUS_BYTES + 4 * (fac + n_out) << "\n";
    std::cout << "status_cycles_first: " << cyc_first << "\n";
    std::cout << "status_cycles_last: " << cyc_last << "\n";
    std::cout << "status_cycles_min: " << cyc_min << "\n";
    std::cout << "status_cycles_max: " << cyc_max << "\n";
    std::cout << "status_cycles_mean: " << double(cyc_sum) / double(opt.bins) << "\n";
    std::cout << "cycles_last: " << reg_cycles << "\n";
    if (opt.error_checks) std::cout << "error_checks: ok\n";
    std::cout << "errors: " << errors << std::endl;
    return errors == 0 ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; i++) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) die("missing value after " + a);
            return argv[++i];
        };
        if (a == "--image") opt.image = next();
        else if (a == "--input") opt.input = next();
        else if (a == "--out") opt.out = next();
        else if (a == "--trials") opt.trials = std::stol(next());
        else if (a == "--stall") opt.stall_pct = std::stoi(next());
        else if (a == "--latency") opt.latency = std::stoi(next());
        else if (a == "--seed") opt.seed = uint32_t(std::stoul(next()));
        else if (a == "--quiet") opt.quiet = true;
        else if (a == "--online") opt.online = true;
        else if (a == "--error-checks") opt.error_checks = true;
        else if (a == "--bins") opt.bins = std::stol(next());
        else if (a == "--slots") opt.slots = uint32_t(std::stoul(next()));
        else if (a == "--reset-at" || a == "--whole-trial-at") {
            std::vector<long>& list = a == "--reset-at" ? opt.reset_at : opt.whole_at;
            std::string v = next();
            size_t p = 0;
            while (p < v.size()) {
                size_t q = v.find(',', p);
                if (q == std::string::npos) q = v.size();
                list.push_back(std::stol(v.substr(p, q - p)));
                p = q + 1;
            }
        }
        else if (a == "--info") {
            // configuration this binary was built with (Makefile passes the same values to -G and -D)
            std::cout << "data_width: " << LFADS_CFG_DATA_WIDTH << "\nrow_lanes: " << LFADS_CFG_ROW_LANES
                      << "\ncol_lanes: " << LFADS_CFG_COL_LANES << "\nmax_n_in: " << LFADS_CFG_MAX_N_IN
                      << "\nmax_n_out: " << LFADS_CFG_MAX_N_OUT << "\nmax_t_enc: " << LFADS_CFG_MAX_T_ENC
                      << "\nmax_t_rec: " << LFADS_CFG_MAX_T_REC << "\nmax_hidden: " << LFADS_CFG_MAX_HIDDEN
                      << "\nmax_tiles: " << LFADS_CFG_MAX_TILES << "\nmax_row_blocks: " << LFADS_CFG_MAX_ROW_BLOCKS
                      << "\nslr_crossing_stages: " << LFADS_CFG_SLR_CROSSING_STAGES << std::endl;
            return 0;
        }
        else if (a == "--help" || a == "-h") {
            std::cout << "usage: lfads_harness --image K.img --input in.bin --trials N --out out.bin "
                         "[--stall PCT] [--latency CYC] [--seed S] [--quiet]\n"
                         "       lfads_harness --image K.img --online --input bins.bin --bins N --out out.bin "
                         "[--slots S] [--reset-at B1,B2,...] [--stall PCT] [--latency CYC] [--seed S]\n";
            return 0;
        } else die("unknown option " + a);
    }
    if (opt.image.empty() || opt.input.empty() || opt.out.empty()) die("--image, --input and --out are required");
    if (opt.trials < 0) die("--trials must be >= 0");
    if (opt.online) return run_online(opt);

    const std::vector<uint8_t> image = read_file(opt.image);
    if (image.size() < LFADS_IMAGE_HEADER_BYTES || le32(image, 0) != LFADS_IMAGE_MAGIC)
        die(opt.image + ": not a kernel image (bad magic)");
    const uint32_t n_in = le32(image, 4 * LFADS_H_N_IN), n_out = le32(image, 4 * LFADS_H_N_OUT);
    const uint32_t t_enc = le32(image, 4 * LFADS_H_T_ENC), t_rec = le32(image, 4 * LFADS_H_T_REC);
    const uint32_t fac = le32(image, 4 * LFADS_H_FAC_DIM);
    const uint64_t in_stride = round_up(uint64_t(t_enc) * n_in, kBeatBytes);
    const uint64_t out_stride = round_up(uint64_t(t_rec) * (fac + n_out) * 4, kBeatBytes);
    const std::vector<uint8_t> input = read_file(opt.input);
    if (input.size() < in_stride * opt.trials)
        die(opt.input + ": " + std::to_string(input.size()) + " bytes, need " + std::to_string(in_stride * opt.trials) +
            " for " + std::to_string(opt.trials) + " trials of stride " + std::to_string(in_stride));

    Sim sim(opt);
    const uint64_t image_addr = 0x1000;
    const uint64_t input_addr = round_up(image_addr + image.size(), 4096);
    const uint64_t output_addr = round_up(input_addr + in_stride * opt.trials + 64, 4096);
    sim.mem.assign(round_up(output_addr + out_stride * opt.trials + 4096, 4096), 0xA5);
    std::memcpy(&sim.mem[image_addr], image.data(), image.size());
    std::memcpy(&sim.mem[input_addr], input.data(), in_stride * opt.trials);

    if (sim.reg_read(LFADS_REG_KERNEL_ID) != uint32_t(LFADS_KERNEL_ID)) die("KERNEL_ID mismatch");
    sim.reg_write64(LFADS_REG_IMAGE_PTR_LO, image_addr);
    sim.reg_write64(LFADS_REG_INPUT_PTR_LO, input_addr);
    sim.reg_write64(LFADS_REG_OUTPUT_PTR_LO, output_addr);

    // run 1: load the image only; run 2: stream the trials through the loaded image
    sim.run(LFADS_FLAG_LOAD_IMAGE, 0);
    const uint64_t load_cycles = sim.cycles();
    uint32_t err = sim.reg_read(LFADS_REG_ERROR_CODE);
    if (err != 0) {
        std::cerr << "lfads_harness: image load failed, ERROR_CODE " << err << " STATUS " << sim.reg_read(LFADS_REG_STATUS) << std::endl;
        return 3;
    }
    sim.run(0, uint32_t(opt.trials));
    const uint64_t cycles = sim.cycles();
    err = sim.reg_read(LFADS_REG_ERROR_CODE);
    const uint32_t done = sim.reg_read(LFADS_REG_TRIALS_DONE);
    if (err != 0 || done != uint32_t(opt.trials)) {
        std::cerr << "lfads_harness: run failed, ERROR_CODE " << err << ", TRIALS_DONE " << done << std::endl;
        return 3;
    }

    std::ofstream out(opt.out, std::ios::binary);
    if (!out) die("cannot write " + opt.out);
    out.write(reinterpret_cast<const char*>(&sim.mem[output_addr]), std::streamsize(out_stride * opt.trials));
    if (!out) die("write failed: " + opt.out);

    std::cout << "load_cycles: " << load_cycles << "\n";
    std::cout << "cycles: " << cycles << "\n";
    if (opt.trials > 0) std::cout << "cycles_per_trial: " << double(cycles) / double(opt.trials) << "\n";
    std::cout << "trials_done: " << done << std::endl;
    return 0;
}
