/* SPDX-License-Identifier: MIT */
/*
 * liblfadsrt: the native driver for the LFADS inference kernel.
 *
 * One API over two backends:
 *   xrt:<index>?xclbin=PATH[&timeout_ms=N][&max_trials=N]   an Alveo card through XRT
 *   emu:[?config=default|full][&lanes=N][&clock_mhz=F][&trace=FILE.vcd][&hang_after=N][&lose_after=N]
 *       [&mem_latency=N][&mem_jitter=N][&mem_write_latency=N][&mem_stall_pct=N][&mem_outstanding=N][&mem_seed=N][&timeout_ms=N][&max_trials=N]
 *                                                           the Verilated hdl/ kernel, in process
 *   Common: timeout_ms, max_trials (device buffer capacity per buffer set), slots=N (buffer sets, 1..8, default 2).
 *   xrt only: host_mem=1 (input/output buffers in host memory, xrt::bo::flags::host_only: no DMA syncs).
 *
 * Conventions: every function returning int returns 0 (or a count) on success and a negative
 * LFADS_E_* code on failure; lfads_errmsg() then says what failed and where (thread-local, valid
 * until the next failing call on the same thread). Handles are opaque and used by one thread at a time.
 *
 * Buffers: spikes are caller memory of trials x T_enc x N_in uint8 counts (trial-major, bin, channel);
 * outputs are caller memory of trials x T_rec x (fac_dim + n_out) int32 kernel words (per step:
 * factors then log-rates). The driver copies them into / out of device buffers (64-byte trial stride,
 * docs/kernel-numerics.md §10) once per call; that copy is the device transfer.
 */
#ifndef LFADS_H
#define LFADS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes (negative return values). */
#define LFADS_OK 0
#define LFADS_E_INVALID (-1)       /* bad argument: null pointer, bad URI, too many trials, ... */
#define LFADS_E_NOT_AVAILABLE (-2) /* backend not built in, no such device, XRT refused to start */
#define LFADS_E_DEVICE (-3)        /* the device reported an error (AXI error, XRT exception, ...) */
#define LFADS_E_TIMEOUT (-4)       /* the kernel did not finish within the timeout (hang) */
#define LFADS_E_BAD_IMAGE (-5)     /* kernel image rejected by the driver or by the kernel */
#define LFADS_E_NO_IMAGE (-6)      /* run before a successful lfads_load_image */
#define LFADS_E_NOMEM (-7)         /* host or device memory allocation failed */
#define LFADS_E_LOST (-8)          /* the device disappeared (register reads return all ones) */
#define LFADS_E_FAILED (-9)        /* handle unusable after an earlier timeout or loss: reopen it */
#define LFADS_E_BUSY (-10)         /* every buffer set is in flight (lfads_wait for one first), or runs are in
                                      flight and the call needs the device idle (lfads_run, lfads_load_image) */

/* Submission modes (lfads_submit). */
#define LFADS_MODE_TRIALS 0 /* whole trials: input trials x T_enc x N_in bytes, output trials x T_rec x (fac+n_out) words */
/* Online kernel mode (docs/kernel-numerics.md section 13): one run pushes one bin (input: N_in bytes, trials = 1) into
 * the kernel's on-chip ring of the last T_enc bins and infers the window ending at it. lfads_wait's output is the run's
 * output slot: LFADS_ONLINE_OUT_STATUS_WORDS status words (indices LFADS_OS_* of lfads_contract.h: SEQ, ERROR_CODE,
 * TRIALS_DONE, CYCLES_LO/HI, WINDOW_BINS, STATUS, MAGIC) then fac factor words then n_out log-rate words of the newest
 * bin (step T_enc-1), out_words >= LFADS_ONLINE_OUT_STATUS_WORDS + fac + n_out. The first online run after an image load
 * or a whole-trial run (it loads its spikes into the same on-chip lines as the ring) must be LFADS_MODE_ONLINE_RESET (a
 * new window: the bins before it are zero); later ones LFADS_MODE_ONLINE.
 * Per bin (hot path) the driver syncs N_in bytes in and 64 + 4 * (fac + n_out) bytes out, writes CTRL (and FLAGS when
 * it changes: the bin after a reset) and reads no register: completion is the status block's SEQ in the output slot.
 * Online and whole-trial runs cannot be in flight at the same time (LFADS_E_BUSY). */
#define LFADS_MODE_ONLINE 1
#define LFADS_MODE_ONLINE_RESET 2
#define LFADS_ONLINE_OUT_STATUS_WORDS 16 /* LFADS_ONLINE_STATUS_BYTES / 4 */

/* Indices into the counter array filled by lfads_counters: what the host paid on the bus. */
#define LFADS_COUNT_REG_READS 0       /* AXI4-Lite register reads over PCIe */
#define LFADS_COUNT_REG_WRITES 1      /* AXI4-Lite register writes (XRT: the argument registers + CTRL per start) */
#define LFADS_COUNT_SYNCS_TO_DEVICE 2 /* DMA transfers host -> device (bo.sync TO_DEVICE) */
#define LFADS_COUNT_BYTES_TO_DEVICE 3
#define LFADS_COUNT_SYNCS_FROM_DEVICE 4 /* DMA transfers device -> host */
#define LFADS_COUNT_BYTES_FROM_DEVICE 5
#define LFADS_COUNT_KERNEL_RUNS 6     /* kernel starts */
#define LFADS_COUNT_WORDS 7
/* Scopes of lfads_counters. */
#define LFADS_COUNTERS_LAST_CALL 0 /* the last lfads_load_image / lfads_run / lfads_submit / lfads_wait */
#define LFADS_COUNTERS_TOTAL 1     /* everything since lfads_open */

/* Indices into the identity array filled by lfads_identity. */
#define LFADS_ID_KERNEL_ID 0
#define LFADS_ID_VERSION 1
#define LFADS_ID_BUILD_ID 2
#define LFADS_ID_CONFIG 3
#define LFADS_ID_WORDS 4

/* Indices into the shape array filled by lfads_shape. */
#define LFADS_SHAPE_N_IN 0
#define LFADS_SHAPE_T_ENC 1
#define LFADS_SHAPE_T_REC 2
#define LFADS_SHAPE_FAC_DIM 3
#define LFADS_SHAPE_N_OUT 4
#define LFADS_SHAPE_WORDS 5

typedef struct lfads_device lfads_device;

/* Text of the last error on this thread ("" when none). */
const char *lfads_errmsg(void);

/* Library version string, e.g. "liblfadsrt 0.1.0 (backends: emu xrt)". */
const char *lfads_version(void);

/* Opens a device by URI (see top of file). On success *out is a handle for lfads_close. */
int lfads_open(const char *uri, lfads_device **out);

/* Closes the handle and frees everything it owns, after the submitted runs still in flight have ended (bounded by
 * the timeout; on a failed handle they are aborted). NULL is accepted. */
void lfads_close(lfads_device *dev);

/* Reads KERNEL_ID, VERSION, BUILD_ID, CONFIG into out[LFADS_ID_WORDS]. */
int lfads_identity(lfads_device *dev, uint32_t *out);

/* Checks a kernel image (header, section table, payload CRC) without a device. */
int lfads_image_validate(const void *image, size_t bytes);

/* Validates the image, copies it to the device and has the kernel load it (LOAD_IMAGE run). */
int lfads_load_image(lfads_device *dev, const void *image, size_t bytes);

/* Shape of the loaded image into out[LFADS_SHAPE_WORDS]; LFADS_E_NO_IMAGE before a load. */
int lfads_shape(lfads_device *dev, int32_t *out);

/*
 * Runs `trials` trials. spikes: spike_bytes >= trials*T_enc*N_in; out: out_words >=
 * trials*T_rec*(fac+n_out). Bounded by the handle's timeout; after LFADS_E_TIMEOUT or LFADS_E_LOST the
 * handle returns LFADS_E_FAILED until it is closed.
 */
int lfads_run(lfads_device *dev, const uint8_t *spikes, size_t spike_bytes, int32_t *out,
              size_t out_words, uint32_t trials);

/*
 * Streaming: submits one run on a free buffer set and returns without waiting: a ticket (>= 0) for lfads_wait,
 * or a negative code (LFADS_E_BUSY when all `slots` buffer sets are in flight). Buffers are allocated once at
 * image load; only the bytes used are copied and synced. mode LFADS_MODE_TRIALS: `trials` (1..max_trials)
 * whole trials from `input` (input_bytes >= trials*T_enc*N_in). LFADS_MODE_ONLINE / _ONLINE_RESET: one bin (trials = 1,
 * input_bytes >= N_in; see above). Runs execute in submission order.
 */
int lfads_submit(lfads_device *dev, uint32_t mode, const uint8_t *input, size_t input_bytes, uint32_t trials);

/*
 * Waits for a submitted run (bounded by the handle's timeout) and copies its outputs to `out` (out_words >=
 * trials*T_rec*(fac+n_out) for LFADS_MODE_TRIALS, LFADS_ONLINE_OUT_STATUS_WORDS+fac+n_out for the online modes); frees
 * its buffer set. An online run whose status block reports a kernel error returns that error (the block is copied). lfads_last_cycles then gives its
 * CYCLES. On LFADS_E_TIMEOUT the run is aborted (xrt::run::abort on XRT) and the handle fails; the buffer
 * set is kept until close (and leaked, with a log line on stderr, if the abort was not confirmed).
 */
int lfads_wait(lfads_device *dev, int ticket, int32_t *out, size_t out_words);

/* Runs submitted and not yet waited for. */
int lfads_in_flight(lfads_device *dev);

/* Bus counters (LFADS_COUNT_*) of the given scope into out[0..words-1]; words <= LFADS_COUNT_WORDS. */
int lfads_counters(lfads_device *dev, int scope, uint64_t *out, size_t words);

/* One line describing the device (backend, kernel configuration, emulated memory timing) into buf. */
int lfads_describe(lfads_device *dev, char *buf, size_t cap);

/* Kernel clock cycles of the last run (the CYCLES register), or a negative error code. */
int64_t lfads_last_cycles(lfads_device *dev);

/* Sets the wall-clock bound of every later load/run, in milliseconds (> 0). */
int lfads_set_timeout_ms(lfads_device *dev, uint32_t ms);

/* Does nothing but validate the handle: measures the cost of a call through the binding. */
int lfads_noop(lfads_device *dev);

/* Number of XRT devices (cards) visible, or a negative error code with the XRT reason. */
int lfads_xrt_device_count(void);

#ifdef __cplusplus
}
#endif
#endif /* LFADS_H */
