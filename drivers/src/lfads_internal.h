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
} lfads_layout;

/* Backend operations; `impl` in the device belongs to the backend. */
typedef struct lfads_backend_ops {
  const char *scheme;
  int (*open)(lfads_device *dev, lfads_uri *uri);
  void (*close)(lfads_device *dev);
  int (*read_reg)(lfads_device *dev, uint32_t offset, uint32_t *value);
  /* Copies the image into device memory and sizes the input/output buffers for max_trials. */
  int (*stage_image)(lfads_device *dev, const void *image, size_t bytes);
  /* Copies `trials` trials of input to the device buffer (device stride). */
  int (*write_input)(lfads_device *dev, const uint8_t *spikes, uint32_t trials);
  /* Starts the kernel with NUM_TRIALS = trials and FLAGS = flags, waits (bounded by timeout_ms). */
  int (*execute)(lfads_device *dev, uint32_t trials, uint32_t flags);
  /* Copies `trials` trials of output from the device buffer to the caller (caller stride). */
  int (*read_output)(lfads_device *dev, int32_t *out, uint32_t trials);
} lfads_backend_ops;

struct lfads_device {
  uint32_t magic; /* LFADS_DEVICE_MAGIC while open: catches use after close and garbage handles */
  const lfads_backend_ops *ops;
  void *impl;
  uint32_t timeout_ms;
  uint32_t max_trials;       /* device buffer capacity in trials; larger runs are split */
  int image_loaded;
  int failed;                /* set after a timeout or loss: the kernel state is unknown */
  lfads_layout layout;
  int64_t last_cycles;
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

/* Backends compiled into this library (NULL when absent). */
extern const lfads_backend_ops lfads_emu_ops;
extern const lfads_backend_ops lfads_xrt_ops;
extern const int lfads_have_emu;
extern const int lfads_have_xrt;
int lfads_xrt_count_devices(void);

#ifdef __cplusplus
}
#endif
#endif /* LFADS_INTERNAL_H */
