/* SPDX-License-Identifier: MIT */
/* Driver core: error text, URI parsing, image validation, and the run loop shared by the backends. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lfads_internal.h"

#define LFADS_DEFAULT_TIMEOUT_MS 5000u
#define LFADS_DEFAULT_MAX_TRIALS 64u
#define LFADS_DEFAULT_SLOTS 2u

static __thread char errbuf[1024];

int lfads_fail(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errbuf, sizeof errbuf, fmt, ap);
  va_end(ap);
  return code;
}

const char *lfads_errmsg(void) { return errbuf; }

const char *lfads_version(void) {
  return lfads_have_emu ? (lfads_have_xrt ? "liblfadsrt 0.1.0 (backends: emu xrt)" : "liblfadsrt 0.1.0 (backends: emu)")
                        : (lfads_have_xrt ? "liblfadsrt 0.1.0 (backends: xrt)" : "liblfadsrt 0.1.0 (backends: none)");
}

uint64_t lfads_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ------------------------------------------------------------------------------------------------ */
/* URI                                                                                              */
/* ------------------------------------------------------------------------------------------------ */

static int copy_field(char *dst, size_t cap, const char *src, size_t len, const char *what, const char *uri) {
  if (len >= cap) return lfads_fail(LFADS_E_INVALID, "device URI '%s': %s too long (max %zu chars)", uri, what, cap - 1);
  memcpy(dst, src, len);
  dst[len] = 0;
  return 0;
}

static int parse_uri(const char *text, lfads_uri *uri) {
  memset(uri, 0, sizeof *uri);
  const char *colon = strchr(text, ':');
  size_t scheme_len = colon ? (size_t)(colon - text) : strlen(text);
  if (scheme_len == 0) return lfads_fail(LFADS_E_INVALID, "device URI '%s': missing scheme (expected xrt:N?xclbin=PATH or emu:)", text);
  int rc = copy_field(uri->scheme, sizeof uri->scheme, text, scheme_len, "scheme", text);
  if (rc) return rc;
  if (!colon) return 0;
  const char *rest = colon + 1;
  const char *q = strchr(rest, '?');
  size_t target_len = q ? (size_t)(q - rest) : strlen(rest);
  if ((rc = copy_field(uri->target, sizeof uri->target, rest, target_len, "target", text))) return rc;
  if (!q) return 0;
  const char *p = q + 1;
  while (*p) {
    const char *amp = strchr(p, '&');
    size_t len = amp ? (size_t)(amp - p) : strlen(p);
    const char *eq = memchr(p, '=', len);
    if (!eq || eq == p)
      return lfads_fail(LFADS_E_INVALID, "device URI '%s': option '%.*s' is not key=value", text, (int)len, p);
    if (uri->n_options == LFADS_URI_MAX_OPTIONS)
      return lfads_fail(LFADS_E_INVALID, "device URI '%s': more than %d options", text, LFADS_URI_MAX_OPTIONS);
    int i = uri->n_options++;
    if ((rc = copy_field(uri->keys[i], sizeof uri->keys[i], p, (size_t)(eq - p), "option name", text))) return rc;
    if ((rc = copy_field(uri->values[i], sizeof uri->values[i], eq + 1, len - (size_t)(eq - p) - 1, "option value", text))) return rc;
    for (int j = 0; j < i; j++)
      if (!strcmp(uri->keys[j], uri->keys[i]))
        return lfads_fail(LFADS_E_INVALID, "device URI '%s': option '%s' given twice", text, uri->keys[i]);
    p += len;
    if (*p == '&') p++;
  }
  return 0;
}

const char *lfads_uri_get(lfads_uri *uri, const char *key) {
  for (int i = 0; i < uri->n_options; i++)
    if (!strcmp(uri->keys[i], key)) {
      uri->used[i] = 1;
      return uri->values[i];
    }
  return NULL;
}

int lfads_uri_get_u32(lfads_uri *uri, const char *key, uint32_t lo, uint32_t hi, uint32_t *value) {
  const char *v = lfads_uri_get(uri, key);
  if (!v) return 0;
  char *end;
  unsigned long long x = strtoull(v, &end, 10);
  if (*v == 0 || *end != 0 || *v == '-' || x < lo || x > hi)
    return lfads_fail(LFADS_E_INVALID, "device option %s=%s: expected an integer in %u..%u", key, v, lo, hi);
  *value = (uint32_t)x;
  return 0;
}

int lfads_uri_check_all_used(const lfads_uri *uri) {
  for (int i = 0; i < uri->n_options; i++)
    if (!uri->used[i])
      return lfads_fail(LFADS_E_INVALID, "device URI %s:%s: unknown option '%s'", uri->scheme, uri->target, uri->keys[i]);
  return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* Kernel image validation (docs/kernel-numerics.md §9)                                             */
/* ------------------------------------------------------------------------------------------------ */

static uint32_t crc_table[256];
static void crc_init(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static uint32_t crc32_ieee(const uint8_t *p, size_t n) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, crc_init);
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static uint32_t rd32(const uint8_t *p, size_t word) {
  const uint8_t *b = p + 4 * word;
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static const char *const HEADER_NAMES[] = {
    "MAGIC", "VERSION", "HEADER_BYTES", "PAYLOAD_WORDS", "PAYLOAD_CRC32", "DATA_WIDTH", "ACC_WIDTH", "FLAGS",
    "N_IN", "N_OUT", "T_ENC", "T_REC", "H_ICENC", "H_CIENC", "CI_LAG", "H_CON", "CO_DIM", "IC_DIM", "H_GEN", "FAC_DIM",
};

int lfads_image_validate(const void *image, size_t bytes) {
  if (!image) return lfads_fail(LFADS_E_INVALID, "kernel image: null pointer");
  const uint8_t *img = image;
  if (bytes < LFADS_IMAGE_HEADER_BYTES)
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image: %zu bytes is shorter than the %d-byte header", bytes, LFADS_IMAGE_HEADER_BYTES);
  uint32_t h[LFADS_IMAGE_HEADER_WORDS];
  for (int i = 0; i < LFADS_IMAGE_HEADER_WORDS; i++) h[i] = rd32(img, (size_t)i);
  if (h[LFADS_H_MAGIC] != LFADS_IMAGE_MAGIC)
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word 0 (MAGIC): expected 0x%08X, found 0x%08X", LFADS_IMAGE_MAGIC, h[LFADS_H_MAGIC]);
  if (h[LFADS_H_VERSION] != LFADS_IMAGE_VERSION)
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word 1 (VERSION): expected %d, found %u", LFADS_IMAGE_VERSION, h[LFADS_H_VERSION]);
  if (h[LFADS_H_HEADER_BYTES] != LFADS_IMAGE_HEADER_BYTES)
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word 2 (HEADER_BYTES): expected %d, found %u", LFADS_IMAGE_HEADER_BYTES, h[LFADS_H_HEADER_BYTES]);
  uint64_t want = (uint64_t)LFADS_IMAGE_HEADER_BYTES + 4ull * h[LFADS_H_PAYLOAD_WORDS];
  if (want != bytes)
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word 3 (PAYLOAD_WORDS=%u): image should be %llu bytes, found %zu",
                      h[LFADS_H_PAYLOAD_WORDS], (unsigned long long)want, bytes);
  uint32_t crc = crc32_ieee(img + LFADS_IMAGE_HEADER_BYTES, bytes - LFADS_IMAGE_HEADER_BYTES);
  if (crc != h[LFADS_H_PAYLOAD_CRC32])
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word 4 (PAYLOAD_CRC32): header says 0x%08X, payload has 0x%08X (corrupt image)",
                      h[LFADS_H_PAYLOAD_CRC32], crc);
  if (h[LFADS_H_DATA_WIDTH] < 8 || h[LFADS_H_DATA_WIDTH] > 18)
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word 5 (DATA_WIDTH): expected 8..18, found %u", h[LFADS_H_DATA_WIDTH]);
  if (h[LFADS_H_ACC_WIDTH] < 40 || h[LFADS_H_ACC_WIDTH] > 64)
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word 6 (ACC_WIDTH): expected 40..64, found %u", h[LFADS_H_ACC_WIDTH]);
  int ctrl = (h[LFADS_H_FLAGS] & LFADS_IMAGE_FLAG_HAS_CONTROLLER) != 0;
  static const int must_be_positive[] = {LFADS_H_N_IN, LFADS_H_N_OUT, LFADS_H_T_ENC, LFADS_H_T_REC,
                                         LFADS_H_H_ICENC, LFADS_H_IC_DIM, LFADS_H_H_GEN, LFADS_H_FAC_DIM};
  for (size_t i = 0; i < sizeof must_be_positive / sizeof *must_be_positive; i++) {
    int w = must_be_positive[i];
    if (h[w] == 0 || h[w] > 65536)
      return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word %d (%s): expected 1..65536, found %u", w, HEADER_NAMES[w], h[w]);
  }
  static const int controller_dims[] = {LFADS_H_H_CIENC, LFADS_H_H_CON, LFADS_H_CO_DIM};
  for (size_t i = 0; i < 3; i++) {
    int w = controller_dims[i];
    if (ctrl ? (h[w] == 0 || h[w] > 65536) : h[w] != 0)
      return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word %d (%s): %s, found %u", w, HEADER_NAMES[w],
                        ctrl ? "expected 1..65536 with a controller" : "expected 0 without a controller", h[w]);
  }
  if (h[LFADS_H_T_REC] < h[LFADS_H_T_ENC])
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word 11 (T_REC=%u): must be >= T_ENC=%u", h[LFADS_H_T_REC], h[LFADS_H_T_ENC]);
  uint32_t k = h[LFADS_H_ACT_SEG_BITS];
  if (k < 1 || k > 16)
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image header word %d (ACT_SEG_BITS): expected 1..16, found %u", LFADS_H_ACT_SEG_BITS, k);

  /* Expected section shapes from the dimensions. */
  uint64_t nin = h[LFADS_H_N_IN], nout = h[LFADS_H_N_OUT], hic = h[LFADS_H_H_ICENC], hci = h[LFADS_H_H_CIENC],
           hcon = h[LFADS_H_H_CON], co = h[LFADS_H_CO_DIM], ic = h[LFADS_H_IC_DIM], hgen = h[LFADS_H_H_GEN],
           fac = h[LFADS_H_FAC_DIM], tab = (1ull << k) + 1;
  uint64_t shape[LFADS_SECTION_COUNT][2] = {
      [LFADS_S_IC_FWD_H0] = {1, hic}, [LFADS_S_IC_FWD_WIH] = {3 * hic, nin}, [LFADS_S_IC_FWD_WHH] = {3 * hic, hic}, [LFADS_S_IC_FWD_B] = {1, 3 * hic},
      [LFADS_S_IC_BWD_H0] = {1, hic}, [LFADS_S_IC_BWD_WIH] = {3 * hic, nin}, [LFADS_S_IC_BWD_WHH] = {3 * hic, hic}, [LFADS_S_IC_BWD_B] = {1, 3 * hic},
      [LFADS_S_CI_FWD_H0] = {1, hci}, [LFADS_S_CI_FWD_WIH] = {3 * hci, nin}, [LFADS_S_CI_FWD_WHH] = {3 * hci, hci}, [LFADS_S_CI_FWD_B] = {1, 3 * hci},
      [LFADS_S_CI_BWD_H0] = {1, hci}, [LFADS_S_CI_BWD_WIH] = {3 * hci, nin}, [LFADS_S_CI_BWD_WHH] = {3 * hci, hci}, [LFADS_S_CI_BWD_B] = {1, 3 * hci},
      [LFADS_S_CON_H0] = {1, hcon}, [LFADS_S_CON_WIH] = {3 * hcon, 2 * hci + fac}, [LFADS_S_CON_WHH] = {3 * hcon, hcon}, [LFADS_S_CON_B] = {1, 3 * hcon},
      [LFADS_S_CO_W] = {co, hcon}, [LFADS_S_CO_B] = {1, co},
      [LFADS_S_IC_LIN_W] = {ic, 2 * hic}, [LFADS_S_IC_LIN_B] = {1, ic},
      [LFADS_S_G0_W] = {hgen, ic}, [LFADS_S_G0_B] = {1, hgen},
      [LFADS_S_GEN_WIH] = {3 * hgen, co}, [LFADS_S_GEN_WHH] = {3 * hgen, hgen}, [LFADS_S_GEN_B] = {1, 3 * hgen},
      [LFADS_S_FAC_W] = {fac, hgen}, [LFADS_S_RO_W] = {nout, fac}, [LFADS_S_RO_B] = {1, nout},
      [LFADS_S_SIGMOID_TABLE] = {1, tab}, [LFADS_S_TANH_TABLE] = {1, tab},
  };
  if (!ctrl) shape[LFADS_S_CON_WIH][1] = 0; /* no controller: every controller section is empty */
  uint64_t payload = h[LFADS_H_PAYLOAD_WORDS], end = 0;
  for (int s = 0; s < LFADS_SECTION_COUNT; s++) {
    const uint32_t *e = &h[LFADS_H_SECTION_TABLE + s * LFADS_SECTION_ENTRY_WORDS];
    uint64_t off = e[LFADS_SECTION_OFFSET], rows = e[LFADS_SECTION_ROWS], cols = e[LFADS_SECTION_COLS];
    uint64_t want_elems = shape[s][0] * shape[s][1];
    /* An empty section may be written 0x0 or 1x0 or Nx0: only the element count matters then. */
    int ok = want_elems == 0 ? rows * cols == 0 : (rows == shape[s][0] && cols == shape[s][1]);
    if (!ok)
      return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image section %d (%s): shape %llux%llu, expected %llux%llu from the header dimensions",
                        s, LFADS_SECTION_NAMES[s], (unsigned long long)rows, (unsigned long long)cols,
                        (unsigned long long)shape[s][0], (unsigned long long)shape[s][1]);
    if (off % LFADS_IMAGE_SECTION_ALIGN_WORDS)
      return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image section %d (%s): offset %llu words is not a multiple of %d",
                        s, LFADS_SECTION_NAMES[s], (unsigned long long)off, LFADS_IMAGE_SECTION_ALIGN_WORDS);
    if (off < end)
      return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image section %d (%s): offset %llu overlaps the previous section ending at word %llu",
                        s, LFADS_SECTION_NAMES[s], (unsigned long long)off, (unsigned long long)end);
    end = off + rows * cols;
    if (end > payload)
      return lfads_fail(LFADS_E_BAD_IMAGE, "kernel image section %d (%s): ends at word %llu, beyond the %llu-word payload",
                        s, LFADS_SECTION_NAMES[s], (unsigned long long)end, (unsigned long long)payload);
  }
  return 0;
}

void lfads_layout_from_image(const void *image, lfads_layout *l) {
  const uint8_t *img = image;
  l->n_in = rd32(img, LFADS_H_N_IN);
  l->t_enc = rd32(img, LFADS_H_T_ENC);
  l->t_rec = rd32(img, LFADS_H_T_REC);
  l->fac_dim = rd32(img, LFADS_H_FAC_DIM);
  l->n_out = rd32(img, LFADS_H_N_OUT);
  l->data_width = rd32(img, LFADS_H_DATA_WIDTH);
  const size_t a = LFADS_BUFFER_ALIGN_BYTES;
  l->spike_bytes_per_trial = (size_t)l->t_enc * l->n_in;
  l->input_stride = (l->spike_bytes_per_trial + a - 1) / a * a;
  l->out_words_per_trial = (size_t)l->t_rec * (l->fac_dim + l->n_out);
  l->output_stride = (l->out_words_per_trial * 4 + a - 1) / a * a;
  l->online_in_stride = (l->n_in + a - 1) / a * a;
  l->online_out_bytes = LFADS_ONLINE_STATUS_BYTES + 4 * ((size_t)l->fac_dim + l->n_out);
  l->online_out_stride = LFADS_ONLINE_STATUS_BYTES + (4 * ((size_t)l->fac_dim + l->n_out) + a - 1) / a * a;
}

/* ------------------------------------------------------------------------------------------------ */
/* Handles                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

static int finish_slot(lfads_device *dev, int slot, lfads_run_status *st, uint32_t *block);

static int check_handle(const lfads_device *dev) {
  if (!dev) return lfads_fail(LFADS_E_INVALID, "null device handle");
  if (dev->magic != LFADS_DEVICE_MAGIC) return lfads_fail(LFADS_E_INVALID, "invalid or closed device handle");
  if (!dev->impl) return lfads_fail(LFADS_E_FAILED, "device handle failed earlier (its backend could not be reopened): close it");
  return 0;
}

int lfads_open(const char *text, lfads_device **out) {
  if (!text || !out) return lfads_fail(LFADS_E_INVALID, "lfads_open: null %s", text ? "out" : "uri");
  *out = NULL;
  lfads_uri uri;
  int rc = parse_uri(text, &uri);
  if (rc) return rc;
  const lfads_backend_ops *ops;
  if (!strcmp(uri.scheme, "emu")) {
    if (!lfads_have_emu)
      return lfads_fail(LFADS_E_NOT_AVAILABLE, "emu backend not built into this library (hdl/rtl/lfads_kernel.v was missing when `make -C drivers` ran)");
    const char *config = lfads_uri_get(&uri, "config");
    ops = &lfads_emu_ops;
    if (config && !strcmp(config, "full")) {
      if (&lfads_emu_full_ops == NULL)
        return lfads_fail(LFADS_E_NOT_AVAILABLE, "emu option config=full: this library has no card-configuration kernel (build it with `make -C drivers EMU_FULL=1`)");
      ops = &lfads_emu_full_ops;
    } else if (config && strcmp(config, "default")) {
      return lfads_fail(LFADS_E_INVALID, "emu option config=%s: expected default or full", config);
    }
  } else if (!strcmp(uri.scheme, "xrt")) {
    if (!lfads_have_xrt)
      return lfads_fail(LFADS_E_NOT_AVAILABLE, "xrt backend not built into this library (libxrt-dev was missing when `make -C drivers` ran)");
    ops = &lfads_xrt_ops;
  } else {
    return lfads_fail(LFADS_E_INVALID, "device URI '%s': unknown scheme '%s' (expected xrt or emu)", text, uri.scheme);
  }
  lfads_device *dev = calloc(1, sizeof *dev);
  if (!dev) return lfads_fail(LFADS_E_NOMEM, "lfads_open: out of memory");
  dev->magic = LFADS_DEVICE_MAGIC;
  dev->ops = ops;
  dev->timeout_ms = LFADS_DEFAULT_TIMEOUT_MS;
  dev->max_trials = LFADS_DEFAULT_MAX_TRIALS;
  dev->n_slots = LFADS_DEFAULT_SLOTS;
  dev->last_cycles = -1;
  dev->online_last_slot = -1;
  if ((rc = lfads_uri_get_u32(&uri, "timeout_ms", 1, 86400000u, &dev->timeout_ms)) ||
      (rc = lfads_uri_get_u32(&uri, "max_trials", 1, 65536, &dev->max_trials)) ||
      (rc = lfads_uri_get_u32(&uri, "slots", 1, LFADS_MAX_SLOTS, &dev->n_slots)) ||
      (rc = ops->open(dev, &uri))) {
    dev->magic = 0;
    free(dev);
    return rc;
  }
  if ((rc = lfads_uri_check_all_used(&uri))) {
    lfads_close(dev);
    return rc;
  }
  *out = dev;
  return 0;
}

void lfads_close(lfads_device *dev) {
  if (!dev || dev->magic != LFADS_DEVICE_MAGIC) return;
  /* Runs still in flight own their buffers until they end: wait for them (bounded by the timeout; a run that
   * does not end is aborted and its buffers are kept or leaked by the backend) before anything is freed. */
  for (uint32_t i = 0; dev->impl && i < dev->n_slots; i++)
    if (dev->slots[i].state == LFADS_SLOT_IN_FLIGHT) {
      lfads_run_status st;
      if (dev->failed) dev->ops->abort(dev, (int)i); /* queued behind a hung run: cancel it */
      else finish_slot(dev, (int)i, &st, NULL);
    }
  if (dev->impl) dev->ops->close(dev);
  free(dev->online_scratch);
  dev->magic = 0;
  free(dev);
}

int lfads_noop(lfads_device *dev) { return check_handle(dev); }

int lfads_set_timeout_ms(lfads_device *dev, uint32_t ms) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (ms == 0) return lfads_fail(LFADS_E_INVALID, "lfads_set_timeout_ms: timeout must be > 0 ms");
  dev->timeout_ms = ms;
  return 0;
}

static int read_regs(lfads_device *dev, const uint32_t *offsets, uint32_t *values, int n) {
  for (int i = 0; i < n; i++) {
    int rc = dev->ops->read_reg(dev, offsets[i], &values[i]);
    if (rc) return rc;
  }
  return 0;
}

int lfads_identity(lfads_device *dev, uint32_t *out) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (!out) return lfads_fail(LFADS_E_INVALID, "lfads_identity: null output array");
  static const uint32_t regs[LFADS_ID_WORDS] = {LFADS_REG_KERNEL_ID, LFADS_REG_VERSION, LFADS_REG_BUILD_ID, LFADS_REG_CONFIG};
  return read_regs(dev, regs, out, LFADS_ID_WORDS);
}

static const char *kernel_error_name(uint32_t code) {
  switch (code) {
    case LFADS_ERR_NONE: return "none";
    case LFADS_ERR_BAD_MAGIC: return "bad magic";
    case LFADS_ERR_BAD_VERSION: return "bad version";
    case LFADS_ERR_WIDTH_MISMATCH: return "data width mismatch";
    case LFADS_ERR_DIMS_TOO_LARGE: return "dimensions too large for this kernel build";
    case LFADS_ERR_AXI: return "AXI error";
    case LFADS_ERR_NO_IMAGE: return "no image loaded";
    default: return "unknown error code";
  }
}

/* Checks what the kernel reported at the end of a run: STATUS, ERROR_CODE, TRIALS_DONE. */
static int check_status(lfads_device *dev, const lfads_run_status *st, uint32_t trials, uint32_t flags) {
  uint32_t status = st->status, err = st->error_code, done = st->trials_done;
  dev->last_cycles = (int64_t)st->cycles;
  if (err == LFADS_ERR_NO_IMAGE) {
    dev->image_loaded = 0;
    return lfads_fail(LFADS_E_NO_IMAGE, "kernel reports ERROR_CODE %u (%s): load an image first", err, kernel_error_name(err));
  }
  if (err == LFADS_ERR_AXI || (status & LFADS_STATUS_AXI_ERROR))
    return lfads_fail(LFADS_E_DEVICE, "kernel reports an AXI error (STATUS 0x%X, ERROR_CODE %u): a device buffer access failed", status, err);
  if (err != LFADS_ERR_NONE || (status & LFADS_STATUS_IMAGE_ERROR)) {
    dev->image_loaded = 0;
    const char *hint = err == LFADS_ERR_DIMS_TOO_LARGE && (dev->ops == &lfads_emu_ops || dev->ops == &lfads_emu_full_ops)
                           ? "; the emulated kernel is built with drivers/Makefile EMU_PARAMS (config=default) or EMU_FULL_PARAMS (config=full)"
                           : "";
    return lfads_fail(LFADS_E_BAD_IMAGE, "kernel rejected the image: ERROR_CODE %u (%s), STATUS 0x%X%s", err, kernel_error_name(err), status, hint);
  }
  if ((flags & LFADS_FLAG_LOAD_IMAGE) && !(status & LFADS_STATUS_IMAGE_LOADED))
    return lfads_fail(LFADS_E_DEVICE, "kernel finished the image load without setting STATUS.IMAGE_LOADED (STATUS 0x%X)", status);
  if (done != trials)
    return lfads_fail(LFADS_E_DEVICE, "kernel finished %u of %u trials (TRIALS_DONE) without reporting an error", done, trials);
  return 0;
}

static int is_online(uint32_t mode) { return mode == LFADS_MODE_ONLINE || mode == LFADS_MODE_ONLINE_RESET; }

/* Expected SEQ of an online slot's run: 0 with *known = 0 for a reset run (its SEQ is learnt from its block). */
static int online_expected_seq(lfads_device *dev, const lfads_slot *s, uint32_t *seq, int *known) {
  *known = 0;
  *seq = 0;
  if (s->mode == LFADS_MODE_ONLINE_RESET) return 0;
  if (!dev->online_seq0_known || dev->online_seq0_gen != s->online_gen)
    return lfads_fail(LFADS_E_INVALID, "lfads_wait: online run %d follows a reset run not yet waited for: wait for that one first", s->ticket);
  *seq = dev->online_seq0 + s->online_index;
  *known = 1;
  return 0;
}

/*
 * Waits for the slot's run (online runs: for their status block, copied to `block` when not NULL). After a timeout
 * the run is aborted and the handle fails; the slot stays ABANDONED (its buffers are not reused; the backend frees
 * them at close only if the abort was confirmed).
 */
static int finish_slot(lfads_device *dev, int slot, lfads_run_status *st, uint32_t *block) {
  lfads_slot *s = &dev->slots[slot];
  int rc;
  if (is_online(s->mode)) {
    uint32_t seq;
    int known;
    if ((rc = online_expected_seq(dev, s, &seq, &known))) return rc;
    rc = dev->ops->online_finish(dev, slot, seq, known, block);
    if (rc == 0 && block) {
      *st = (lfads_run_status){block[LFADS_OS_STATUS], block[LFADS_OS_ERROR_CODE], block[LFADS_OS_TRIALS_DONE],
                               (uint64_t)block[LFADS_OS_CYCLES_HI] << 32 | block[LFADS_OS_CYCLES_LO]};
      if (s->mode == LFADS_MODE_ONLINE_RESET && s->online_gen == dev->online_gen) {
        dev->online_seq0 = block[LFADS_OS_SEQ];
        dev->online_seq0_gen = s->online_gen;
        dev->online_seq0_known = 1;
      }
    }
  } else {
    rc = dev->ops->finish(dev, slot, st);
  }
  if (rc == LFADS_E_TIMEOUT || rc == LFADS_E_LOST) {
    dev->failed = 1;
    dev->slots[slot].state = LFADS_SLOT_ABANDONED;
    if (rc == LFADS_E_TIMEOUT) {
      char why[768];
      snprintf(why, sizeof why, "%s", lfads_errmsg());
      int confirmed = dev->ops->abort(dev, slot);
      lfads_fail(rc, "%s; run aborted (%s)", why,
                 confirmed ? "abort confirmed" : "abort not confirmed: its buffers are kept until close and then leaked, not freed");
    }
    return rc;
  }
  dev->slots[slot].state = LFADS_SLOT_FREE;
  return rc;
}

/* One blocking kernel run on slot 0 (image loads, lfads_run chunks). */
static int execute_checked(lfads_device *dev, uint32_t trials, uint32_t flags) {
  dev->slots[0].state = LFADS_SLOT_IN_FLIGHT;
  dev->slots[0].mode = LFADS_MODE_TRIALS;
  int rc = dev->ops->start(dev, 0, trials, flags);
  if (rc) {
    dev->slots[0].state = LFADS_SLOT_FREE;
    if (rc == LFADS_E_LOST) dev->failed = 1;
    return rc;
  }
  lfads_run_status st;
  if ((rc = finish_slot(dev, 0, &st, NULL))) return rc;
  return check_status(dev, &st, trials, flags);
}

static int in_flight(const lfads_device *dev) {
  int n = 0;
  for (uint32_t i = 0; i < dev->n_slots; i++) n += dev->slots[i].state == LFADS_SLOT_IN_FLIGHT;
  return n;
}

/* Runs in flight submitted in online (online = 1) or whole-trial (online = 0) mode. */
static int in_flight_mode(const lfads_device *dev, int online) {
  int n = 0;
  for (uint32_t i = 0; i < dev->n_slots; i++)
    n += dev->slots[i].state == LFADS_SLOT_IN_FLIGHT && is_online(dev->slots[i].mode) == online;
  return n;
}

/* Counters: each counted API call starts by marking the totals and ends by storing the difference. */
static void count_begin(lfads_device *dev) { memcpy(dev->count_mark, dev->count, sizeof dev->count); }
static void count_end(lfads_device *dev) {
  for (int i = 0; i < LFADS_COUNT_WORDS; i++) dev->count_last[i] = dev->count[i] - dev->count_mark[i];
}

int lfads_load_image(lfads_device *dev, const void *image, size_t bytes) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (dev->failed) return lfads_fail(LFADS_E_FAILED, "device handle failed earlier (timeout or device lost): close and reopen it");
  if ((rc = lfads_image_validate(image, bytes))) return rc;
  if (in_flight(dev)) return lfads_fail(LFADS_E_BUSY, "lfads_load_image: %d runs in flight: lfads_wait for them first", in_flight(dev));
  count_begin(dev);
  dev->image_loaded = 0;
  lfads_layout_from_image(image, &dev->layout);
  if (!(rc = dev->ops->stage_image(dev, image, bytes))) rc = execute_checked(dev, 0, LFADS_FLAG_LOAD_IMAGE);
  count_end(dev);
  dev->online_primed = 0; /* the kernel starts its online slots anew after a LOAD_IMAGE */
  dev->online_seq0_known = 0;
  dev->online_last_slot = -1;
  if (rc == 0) {
    uint32_t *scratch = realloc(dev->online_scratch, dev->layout.online_out_bytes);
    if (!scratch) rc = lfads_fail(LFADS_E_NOMEM, "lfads_load_image: out of memory");
    else dev->online_scratch = scratch;
  }
  if (rc) return rc;
  dev->image_loaded = 1;
  return 0;
}

int lfads_shape(lfads_device *dev, int32_t *out) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (!out) return lfads_fail(LFADS_E_INVALID, "lfads_shape: null output array");
  if (!dev->image_loaded) return lfads_fail(LFADS_E_NO_IMAGE, "lfads_shape: no image loaded");
  const lfads_layout *l = &dev->layout;
  out[LFADS_SHAPE_N_IN] = (int32_t)l->n_in;
  out[LFADS_SHAPE_T_ENC] = (int32_t)l->t_enc;
  out[LFADS_SHAPE_T_REC] = (int32_t)l->t_rec;
  out[LFADS_SHAPE_FAC_DIM] = (int32_t)l->fac_dim;
  out[LFADS_SHAPE_N_OUT] = (int32_t)l->n_out;
  return 0;
}

int lfads_run(lfads_device *dev, const uint8_t *spikes, size_t spike_bytes, int32_t *out, size_t out_words, uint32_t trials) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (dev->failed) return lfads_fail(LFADS_E_FAILED, "device handle failed earlier (timeout or device lost): close and reopen it");
  if (!dev->image_loaded) return lfads_fail(LFADS_E_NO_IMAGE, "lfads_run: no kernel image loaded (call lfads_load_image first)");
  if (!spikes || !out) return lfads_fail(LFADS_E_INVALID, "lfads_run: null %s buffer", spikes ? "output" : "spike");
  if (trials == 0) return lfads_fail(LFADS_E_INVALID, "lfads_run: trials must be > 0");
  const lfads_layout *l = &dev->layout;
  if (spike_bytes < (uint64_t)trials * l->spike_bytes_per_trial)
    return lfads_fail(LFADS_E_INVALID, "lfads_run: spike buffer holds %zu bytes, %u trials x %u bins x %u channels need %llu",
                      spike_bytes, trials, l->t_enc, l->n_in, (unsigned long long)trials * l->spike_bytes_per_trial);
  if (out_words < (uint64_t)trials * l->out_words_per_trial)
    return lfads_fail(LFADS_E_INVALID, "lfads_run: output buffer holds %zu words, %u trials x %u steps x (%u+%u) need %llu",
                      out_words, trials, l->t_rec, l->fac_dim, l->n_out, (unsigned long long)trials * l->out_words_per_trial);
  if (in_flight(dev)) return lfads_fail(LFADS_E_BUSY, "lfads_run: %d submitted runs in flight: lfads_wait for them first", in_flight(dev));
  dev->online_primed = 0; /* a whole-trial run loads its spikes into the kernel's spike lines: the online ring is gone */
  count_begin(dev);
  int64_t cycles = 0;
  for (uint32_t first = 0; first < trials && rc == 0;) {
    uint32_t n = trials - first < dev->max_trials ? trials - first : dev->max_trials;
    if ((rc = dev->ops->write_input(dev, 0, spikes + (size_t)first * l->spike_bytes_per_trial, n)) ||
        (rc = execute_checked(dev, n, 0)) ||
        (rc = dev->ops->read_output(dev, 0, out + (size_t)first * l->out_words_per_trial, n)))
      break;
    cycles += dev->last_cycles;
    first += n;
  }
  count_end(dev);
  if (rc) return rc;
  dev->last_cycles = cycles;
  return 0;
}

/* One online bin: the kernel's next slot must be free (runs use the slots in the kernel's order, modulo n_slots). */
static int submit_online(lfads_device *dev, uint32_t mode, const uint8_t *input, size_t input_bytes, uint32_t trials) {
  const lfads_layout *l = &dev->layout;
  if (trials != 1) return lfads_fail(LFADS_E_INVALID, "lfads_submit: an online run pushes one bin: trials must be 1, got %u", trials);
  if (input_bytes < l->n_in)
    return lfads_fail(LFADS_E_INVALID, "lfads_submit: online bin holds %zu bytes, N_in = %u channels need %u", input_bytes, l->n_in, l->n_in);
  if (mode == LFADS_MODE_ONLINE && !dev->online_primed)
    return lfads_fail(LFADS_E_INVALID, "lfads_submit: the first online run after an image load or a whole-trial run (which overwrites the "
                                       "kernel's bin ring) must be LFADS_MODE_ONLINE_RESET (it starts the window)");
  if (in_flight_mode(dev, 0))
    return lfads_fail(LFADS_E_BUSY, "lfads_submit: %d whole-trial runs in flight: lfads_wait for them before an online run", in_flight_mode(dev, 0));
  int reset = mode == LFADS_MODE_ONLINE_RESET;
  int slot = reset ? 0 : (int)dev->online_kslot;
  lfads_slot *s = &dev->slots[slot];
  if (s->state != LFADS_SLOT_FREE)
    return lfads_fail(LFADS_E_BUSY, "lfads_submit: online slot %d (the kernel's next) is %s: lfads_wait for its run first", slot,
                      s->state == LFADS_SLOT_IN_FLIGHT ? "in flight" : "abandoned");
  count_begin(dev);
  uint32_t flags = LFADS_FLAG_ONLINE | (reset ? LFADS_FLAG_ONLINE_RESET : 0u);
  int rc = 0;
  /* The kernel holds one pending start (CTRL.ap_start) and reads FLAGS when it accepts it: a second start written
   * before the first was accepted would be lost, and a FLAGS change would apply to the pending run. A run whose status
   * block is out was accepted, so if the last online run submitted is still in flight, wait for its status block first
   * (in memory, no register read; the block stays for its lfads_wait). Then at most one start is ever pending. A host
   * that waits for each bin before submitting the next (the usual streaming loop) never waits here. */
  int last = dev->online_last_slot;
  if (last >= 0 && dev->slots[last].state == LFADS_SLOT_IN_FLIGHT) {
    lfads_slot *p = &dev->slots[last];
    uint32_t seq;
    int known;
    if (!(rc = online_expected_seq(dev, p, &seq, &known)) && !(rc = dev->ops->online_finish(dev, last, seq, known, dev->online_scratch))) {
      if (p->mode == LFADS_MODE_ONLINE_RESET && p->online_gen == dev->online_gen) {
        dev->online_seq0 = dev->online_scratch[LFADS_OS_SEQ];
        dev->online_seq0_gen = p->online_gen;
        dev->online_seq0_known = 1;
      }
    } else if (rc == LFADS_E_TIMEOUT || rc == LFADS_E_LOST) {
      dev->failed = 1;
      p->state = LFADS_SLOT_ABANDONED;
      if (rc == LFADS_E_TIMEOUT) dev->ops->abort(dev, last);
    }
  }
  if (rc == 0) rc = dev->ops->online_start(dev, slot, input, flags, reset);
  if (rc == 0) {
    if (reset) {
      dev->online_primed = 1;
      dev->online_index = 0;
      dev->online_gen++;
    }
    s->state = LFADS_SLOT_IN_FLIGHT;
    s->mode = mode;
    s->trials = 1;
    s->flags = flags;
    s->online_index = dev->online_index++;
    s->online_gen = dev->online_gen;
    s->ticket = dev->next_ticket;
    dev->next_ticket = (dev->next_ticket + 1) & 0x7FFFFFFF;
    dev->online_kslot = (uint32_t)(slot + 1) % dev->n_slots;
    dev->online_last_slot = slot;
  } else if (rc == LFADS_E_LOST) {
    dev->failed = 1;
  }
  count_end(dev);
  return rc ? rc : s->ticket;
}

int lfads_submit(lfads_device *dev, uint32_t mode, const uint8_t *input, size_t input_bytes, uint32_t trials) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (dev->failed) return lfads_fail(LFADS_E_FAILED, "device handle failed earlier (timeout or device lost): close and reopen it");
  if (!dev->image_loaded) return lfads_fail(LFADS_E_NO_IMAGE, "lfads_submit: no kernel image loaded (call lfads_load_image first)");
  if (mode != LFADS_MODE_TRIALS && !is_online(mode))
    return lfads_fail(LFADS_E_INVALID, "lfads_submit: unknown mode %u (expected LFADS_MODE_TRIALS, _ONLINE or _ONLINE_RESET)", mode);
  if (!input) return lfads_fail(LFADS_E_INVALID, "lfads_submit: null input buffer");
  if (is_online(mode)) return submit_online(dev, mode, input, input_bytes, trials);
  if (in_flight_mode(dev, 1))
    return lfads_fail(LFADS_E_BUSY, "lfads_submit: %d online runs in flight: lfads_wait for them before a whole-trial run", in_flight_mode(dev, 1));
  if (trials == 0 || trials > dev->max_trials)
    return lfads_fail(LFADS_E_INVALID, "lfads_submit: trials must be 1..%u (the device buffer capacity, max_trials), got %u", dev->max_trials, trials);
  const lfads_layout *l = &dev->layout;
  if (input_bytes < (uint64_t)trials * l->spike_bytes_per_trial)
    return lfads_fail(LFADS_E_INVALID, "lfads_submit: input holds %zu bytes, %u trials x %u bins x %u channels need %llu",
                      input_bytes, trials, l->t_enc, l->n_in, (unsigned long long)trials * l->spike_bytes_per_trial);
  int slot = -1;
  for (uint32_t i = 0; i < dev->n_slots && slot < 0; i++)
    if (dev->slots[i].state == LFADS_SLOT_FREE) slot = (int)i;
  if (slot < 0) return lfads_fail(LFADS_E_BUSY, "lfads_submit: all %u buffer sets are in flight: lfads_wait for one first", dev->n_slots);
  dev->online_primed = 0; /* the run loads its spikes into the kernel's spike lines, where the online ring is */
  count_begin(dev);
  lfads_slot *s = &dev->slots[slot];
  if (!(rc = dev->ops->write_input(dev, slot, input, trials))) {
    s->state = LFADS_SLOT_IN_FLIGHT;
    s->mode = mode;
    s->trials = trials;
    s->flags = 0;
    s->ticket = dev->next_ticket;
    dev->next_ticket = (dev->next_ticket + 1) & 0x7FFFFFFF;
    if ((rc = dev->ops->start(dev, slot, trials, 0))) {
      s->state = LFADS_SLOT_FREE;
      if (rc == LFADS_E_LOST) dev->failed = 1;
    }
  }
  count_end(dev);
  return rc ? rc : s->ticket;
}

int lfads_wait(lfads_device *dev, int ticket, int32_t *out, size_t out_words) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (dev->failed) return lfads_fail(LFADS_E_FAILED, "device handle failed earlier (timeout or device lost): close and reopen it");
  int slot = -1;
  for (uint32_t i = 0; i < dev->n_slots && slot < 0; i++)
    if (dev->slots[i].state == LFADS_SLOT_IN_FLIGHT && dev->slots[i].ticket == ticket) slot = (int)i;
  if (slot < 0) return lfads_fail(LFADS_E_INVALID, "lfads_wait: ticket %d is not in flight (already waited for, or never submitted)", ticket);
  lfads_slot *s = &dev->slots[slot];
  const lfads_layout *l = &dev->layout;
  if (!out) return lfads_fail(LFADS_E_INVALID, "lfads_wait: null output buffer");
  if (is_online(s->mode)) {
    size_t need = LFADS_ONLINE_OUT_STATUS_WORDS + (size_t)l->fac_dim + l->n_out;
    if (out_words < need)
      return lfads_fail(LFADS_E_INVALID, "lfads_wait: output buffer holds %zu words, an online run's status block and (%u+%u) outputs need %zu",
                        out_words, l->fac_dim, l->n_out, need);
    uint32_t seq;
    int known;
    if ((rc = online_expected_seq(dev, s, &seq, &known))) return rc;
    count_begin(dev);
    lfads_run_status st;
    if (!(rc = finish_slot(dev, slot, &st, (uint32_t *)out))) {
      if (out[LFADS_OS_MAGIC] != (int32_t)LFADS_ONLINE_STATUS_MAGIC)
        rc = lfads_fail(LFADS_E_DEVICE, "online run %d: status block without its magic word (0x%08X)", ticket, (uint32_t)out[LFADS_OS_MAGIC]);
      else
        rc = check_status(dev, &st, 1, 0);
    }
    count_end(dev);
    return rc;
  }
  if (out_words < (uint64_t)s->trials * l->out_words_per_trial)
    return lfads_fail(LFADS_E_INVALID, "lfads_wait: output buffer holds %zu words, %u trials x %u steps x (%u+%u) need %llu",
                      out_words, s->trials, l->t_rec, l->fac_dim, l->n_out, (unsigned long long)s->trials * l->out_words_per_trial);
  count_begin(dev);
  lfads_run_status st;
  uint32_t trials = s->trials, flags = s->flags;
  if (!(rc = finish_slot(dev, slot, &st, NULL)) && !(rc = check_status(dev, &st, trials, flags)))
    rc = dev->ops->read_output(dev, slot, out, trials);
  count_end(dev);
  return rc;
}

int lfads_in_flight(lfads_device *dev) {
  int rc = check_handle(dev);
  return rc ? rc : in_flight(dev);
}

int lfads_counters(lfads_device *dev, int scope, uint64_t *out, size_t words) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (!out) return lfads_fail(LFADS_E_INVALID, "lfads_counters: null output array");
  if (words > LFADS_COUNT_WORDS) return lfads_fail(LFADS_E_INVALID, "lfads_counters: %zu words asked, %d exist", words, LFADS_COUNT_WORDS);
  if (scope != LFADS_COUNTERS_LAST_CALL && scope != LFADS_COUNTERS_TOTAL)
    return lfads_fail(LFADS_E_INVALID, "lfads_counters: scope %d (expected LFADS_COUNTERS_LAST_CALL or LFADS_COUNTERS_TOTAL)", scope);
  memcpy(out, scope == LFADS_COUNTERS_TOTAL ? dev->count : dev->count_last, words * sizeof *out);
  return 0;
}

int lfads_describe(lfads_device *dev, char *buf, size_t cap) {
  int rc = check_handle(dev);
  if (rc) return rc;
  if (!buf || cap == 0) return lfads_fail(LFADS_E_INVALID, "lfads_describe: null or empty buffer");
  buf[0] = 0;
  if (dev->ops->describe) dev->ops->describe(dev, buf, cap);
  else snprintf(buf, cap, "%s", dev->ops->scheme);
  return 0;
}

int64_t lfads_last_cycles(lfads_device *dev) {
  int rc = check_handle(dev);
  if (rc) return rc;
  return dev->last_cycles;
}

int lfads_xrt_device_count(void) {
  if (!lfads_have_xrt) return lfads_fail(LFADS_E_NOT_AVAILABLE, "xrt backend not built into this library");
  return lfads_xrt_count_devices();
}
