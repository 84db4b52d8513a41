/* SPDX-License-Identifier: MIT */
/* Shared between the driver core (lfads.c) and the backends (lfads_emu.cpp, lfads_xrt.cpp). */
#ifndef LFADS_INTERNAL_H
#define LFADS_INTERNAL_H

#include "lfads.h"
#include "lfads_contract.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LFADS_URI_MAX_OPTIONS 16

/* A parsed device URI: scheme ":" target [ "?" key=value { "&" key=value } ]. */
typedef struct lfads_uri {
  char scheme[16];
  char target[64];
  int n_options;
  char keys[LFADS_URI_MAX_OPTIONS][32];
  char values[LFADS_URI_MAX_OPTIONS][512];
  int used[LFADS_URI_MAX_OPTIONS]; /* set by lookups, so unknown options can be reported */
} lfads_uri;

/* Dimensions and strides derived from a validated image header. */
typedef struct lfads_layout {
  uint32_t n_in, t_enc, t_rec, fac_dim, n_out;
  uint32_t data_width;
  size_t spike_bytes_per_trial;  /* T_enc * N_in                     (caller stride)  */
  size_t input_stride;           /* rounded up to LFADS_BUFFER_ALIGN_BYTES (device)  */
  size_t out_words_per_trial;    /* T_rec * (fac + n_out)            (caller stride)  */
  size_t output_stride;          /* bytes, rounded up to LFADS_BUFFER_ALIGN_BYTES     */
  /* Online mode (docs/kernel-numerics.md section 13, OnlineBuffers): slot k of the input array at k * online_in_stride,
   * of the output array at k * online_out_stride; a run writes online_out_bytes of its output slot. */
  size_t online_in_stride;       /* roundup(N_in, 64) */
  size_t online_out_stride;      /* 64 + roundup(4 * (fac + n_out), 64) */
  size_t online_out_bytes;       /* 64 + 4 * (fac + n_out): status block, factors, log-rates */
} lfads_layout;

#define LFADS_MAX_SLOTS 8

/* What the kernel reported at the end of one run (its STATUS, ERROR_CODE, TRIALS_DONE, CYCLES registers). */
typedef struct lfads_run_status {
  uint32_t status, error_code, trials_done;
  uint64_t cycles;
} lfads_run_status;

/*
 * Backend operations; `impl` in the device belongs to the backend. A slot is one set of device buffers
 * (input and output, sized for max_trials trials); the device has n_slots of them, allocated once per image.
 * Backends add what each access costs to dev->count (register reads/writes, DMA syncs and their bytes).
 */
typedef struct lfads_backend_ops {
  const char *scheme;
  int (*open)(lfads_device *dev, lfads_uri *uri);
  void (*close)(lfads_device *dev);
  int (*read_reg)(lfads_device *dev, uint32_t offset, uint32_t *value);
  /* Copies the image into device memory and allocates n_slots input/output buffer sets for max_trials. */
  int (*stage_image)(lfads_device *dev, const void *image, size_t bytes);
  /* Copies `trials` trials of input into the slot's device buffer (device stride); syncs only those bytes. */
  int (*write_input)(lfads_device *dev, int slot, const uint8_t *spikes, uint32_t trials);
  /* Starts (or queues behind the runs already started) a kernel run on the slot's buffers. Does not wait. */
  int (*start)(lfads_device *dev, int slot, uint32_t trials, uint32_t flags);
  /* Waits for the slot's run (bounded by dev->timeout_ms) and returns what the kernel reported. */
  int (*finish)(lfads_device *dev, int slot, lfads_run_status *status);
  /* After a timeout: stops the slot's run. Returns 1 when the compute unit is known to no longer touch the
   * slot's buffers (abort confirmed), 0 when that is unknown (the buffers must then outlive the handle). */
  int (*abort)(lfads_device *dev, int slot);
  /* Copies `trials` trials of output from the slot's device buffer to the caller (caller stride). */
  int (*read_output)(lfads_device *dev, int slot, int32_t *out, uint32_t trials);
  /* Online mode. Copies one bin (N_in bytes, synced) into online input slot `kslot`; with clear_status, first zeroes
   * output slot kslot's status block (64 bytes, synced: how the SEQ of a reset run is learnt without a register read);
   * programs the registers that changed (the online slot arrays, NUM_TRIALS = n_slots, FLAGS) and writes CTRL =
   * ap_start (the kernel takes it when idle). Does not wait. */
  int (*online_start)(lfads_device *dev, int kslot, const uint8_t *bin, uint32_t flags, int clear_status);
  /* Waits (bounded by dev->timeout_ms) until output slot kslot holds the status block of the run with sequence number
   * `seq` (seq_known = 0: any status block, its magic word set), then copies online_out_bytes of the slot into
   * `block` (may be NULL: wait only). No register read unless the run does not finish (loss/timeout diagnosis). */
  int (*online_finish)(lfads_device *dev, int kslot, uint32_t seq, int seq_known, uint32_t *block);
  /* One line describing the device (configuration, memory timing); may be NULL. */
  void (*describe)(lfads_device *dev, char *buf, size_t cap);
} lfads_backend_ops;

enum { LFADS_SLOT_FREE = 0, LFADS_SLOT_IN_FLIGHT, LFADS_SLOT_ABANDONED };

typedef struct lfads_slot {
  int state;
  int ticket;     /* ticket of the run in flight */
  uint32_t mode;  /* LFADS_MODE_* it was submitted with */
  uint32_t trials;
  uint32_t flags; /* kernel FLAGS of the run */
  /* online runs: */
  uint32_t online_index; /* runs since the window's reset run (0 = the reset run) */
  uint32_t online_gen;   /* which reset run it follows */
} lfads_slot;

struct lfads_device {
  uint32_t magic; /* LFADS_DEVICE_MAGIC while open: catches use after close and garbage handles */
  const lfads_backend_ops *ops;
  void *impl;
  uint32_t timeout_ms;
  uint32_t max_trials;       /* device buffer capacity in trials per slot; larger runs are split */
  uint32_t n_slots;          /* buffer sets (runs in flight) */
  int image_loaded;
  int failed;                /* set after a timeout or loss: the kernel state is unknown */
  lfads_layout layout;
  int64_t last_cycles;
  lfads_slot slots[LFADS_MAX_SLOTS];
  int next_ticket;
  /* Online mode: the kernel's slot of the next online run, runs since the last reset, and the SEQ of the last reset
   * run once it was waited for (the kernel's SEQ counter is never reset by a flag; docs/kernel-numerics.md §13). */
  int online_primed;     /* an ONLINE_RESET run was submitted since the image load */
  uint32_t online_kslot, online_index, online_gen;
  uint32_t online_seq0, online_seq0_gen; /* SEQ of reset run number online_seq0_gen (valid when online_seq0_gen == gen) */
  int online_seq0_known;
  int online_last_slot;          /* slot of the last online run submitted (-1: none) */
  uint32_t *online_scratch;      /* online_out_bytes: a status block looked at by the driver only */
  uint64_t count[LFADS_COUNT_WORDS];      /* totals since open (backends add to these) */
  uint64_t count_mark[LFADS_COUNT_WORDS]; /* totals when the current API call began */
  uint64_t count_last[LFADS_COUNT_WORDS]; /* what the last counted API call cost */
};

#define LFADS_DEVICE_MAGIC 0x4C464456u

/* Sets this thread's error message and returns `code`. */
int lfads_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Option lookup: returns the value or NULL, marks it used. */
const char *lfads_uri_get(lfads_uri *uri, const char *key);
/* Parses an unsigned option in [lo, hi]; returns 0 (value untouched when absent) or LFADS_E_INVALID. */
int lfads_uri_get_u32(lfads_uri *uri, const char *key, uint32_t lo, uint32_t hi, uint32_t *value);
/* Fails naming the first option nobody looked up (typo protection). */
int lfads_uri_check_all_used(const lfads_uri *uri);

/* Milliseconds from a monotonic clock. */
uint64_t lfads_now_ms(void);

/* Fills the layout from a validated image header. */
void lfads_layout_from_image(const void *image, lfads_layout *layout);

/* Backends compiled into this library (NULL when absent). lfads_emu_full_ops: the emulated kernel in the card's
 * configuration (64 x 32 MAC lanes), present when the library was built with EMU_FULL=1 (weak: absent otherwise). */
extern const lfads_backend_ops lfads_emu_ops;
extern const lfads_backend_ops lfads_emu_full_ops __attribute__((weak));
extern const lfads_backend_ops lfads_xrt_ops;
extern const int lfads_have_emu;
extern const int lfads_have_xrt;
int lfads_xrt_count_devices(void);

#ifdef __cplusplus
}
#endif
#endif /* LFADS_INTERNAL_H */
