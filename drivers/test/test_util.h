/* SPDX-License-Identifier: MIT */
/* Minimal test harness for the driver's C tests, and a builder of small valid kernel images. */
#ifndef LFADS_TEST_UTIL_H
#define LFADS_TEST_UTIL_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lfads.h"
#include "lfads_contract.h"

static int g_failures, g_checks;
#define CHECK(cond)                                                                          \
  do {                                                                                       \
    g_checks++;                                                                              \
    if (!(cond)) {                                                                           \
      g_failures++;                                                                          \
      fprintf(stderr, "FAIL %s:%d: %s (errmsg: %s)\n", __FILE__, __LINE__, #cond, lfads_errmsg()); \
    }                                                                                        \
  } while (0)
#define CHECK_EQ(a, b)                                                                       \
  do {                                                                                       \
    long long _a = (long long)(a), _b = (long long)(b);                                      \
    g_checks++;                                                                              \
    if (_a != _b) {                                                                          \
      g_failures++;                                                                          \
      fprintf(stderr, "FAIL %s:%d: %s == %lld, expected %s == %lld (errmsg: %s)\n", __FILE__, __LINE__, #a, _a, #b, _b, \
              lfads_errmsg());                                                               \
    }                                                                                        \
  } while (0)
#define CHECK_MSG(fragment) CHECK(strstr(lfads_errmsg(), fragment) != NULL)
#define RUN(test)                                      \
  do {                                                 \
    int _f = g_failures;                               \
    test();                                            \
    printf("%s %s\n", g_failures == _f ? "ok  " : "FAIL", #test); \
  } while (0)
#define TEST_EXIT()                                                            \
  do {                                                                         \
    printf("%d checks, %d failures\n", g_checks, g_failures);                  \
    return g_failures ? 1 : 0;                                                 \
  } while (0)

typedef struct {
  uint32_t n_in, n_out, t_enc, t_rec, h_ic, h_ci, ci_lag, h_con, co, ic, h_gen, fac, width, seg_bits;
} test_dims;

static inline void put32(uint8_t *p, size_t word, uint32_t v) {
  p[4 * word] = v & 0xFF;
  p[4 * word + 1] = v >> 8 & 0xFF;
  p[4 * word + 2] = v >> 16 & 0xFF;
  p[4 * word + 3] = v >> 24 & 0xFF;
}

/* Builds a structurally valid image (docs/kernel-numerics.md §9) with a deterministic payload; the
 * CRC comes from zlib, independently of the driver's own CRC code. Caller frees. */
static inline uint8_t *make_image(const test_dims *d, size_t *bytes_out) {
  int ctrl = d->h_con != 0;
  uint32_t tab = (1u << d->seg_bits) + 1;
  uint32_t shape[LFADS_SECTION_COUNT][2] = {
      {1, d->h_ic}, {3 * d->h_ic, d->n_in}, {3 * d->h_ic, d->h_ic}, {1, 3 * d->h_ic},
      {1, d->h_ic}, {3 * d->h_ic, d->n_in}, {3 * d->h_ic, d->h_ic}, {1, 3 * d->h_ic},
      {1, d->h_ci}, {3 * d->h_ci, d->n_in}, {3 * d->h_ci, d->h_ci}, {1, 3 * d->h_ci},
      {1, d->h_ci}, {3 * d->h_ci, d->n_in}, {3 * d->h_ci, d->h_ci}, {1, 3 * d->h_ci},
      {1, d->h_con}, {3 * d->h_con, ctrl ? 2 * d->h_ci + d->fac : 0}, {3 * d->h_con, d->h_con}, {1, 3 * d->h_con},
      {d->co, d->h_con}, {1, d->co}, {d->ic, 2 * d->h_ic}, {1, d->ic}, {d->h_gen, d->ic}, {1, d->h_gen},
      {3 * d->h_gen, d->co}, {3 * d->h_gen, d->h_gen}, {1, 3 * d->h_gen}, {d->fac, d->h_gen},
      {d->n_out, d->fac}, {1, d->n_out}, {1, tab}, {1, tab}};
  uint32_t offsets[LFADS_SECTION_COUNT], words = 0;
  for (int s = 0; s < LFADS_SECTION_COUNT; s++) {
    offsets[s] = words;
    words += (shape[s][0] * shape[s][1] + 15) / 16 * 16;
  }
  size_t bytes = LFADS_IMAGE_HEADER_BYTES + 4 * (size_t)words;
  uint8_t *img = calloc(1, bytes);
  uint32_t header[48] = {LFADS_IMAGE_MAGIC, LFADS_IMAGE_VERSION, LFADS_IMAGE_HEADER_BYTES, words, 0, d->width, 48,
                         (uint32_t)ctrl, d->n_in, d->n_out, d->t_enc, d->t_rec, d->h_ic, d->h_ci, d->ci_lag, d->h_con,
                         d->co, d->ic, d->h_gen, d->fac, 12, 15, 15, 20, 10, 10, 10, 10, 20480, d->seg_bits, 4, 3, 8};
  for (int i = 0; i < 48; i++) put32(img, i, header[i]);
  for (int s = 0; s < LFADS_SECTION_COUNT; s++) {
    put32(img, LFADS_H_SECTION_TABLE + 4 * s + 0, offsets[s]);
    put32(img, LFADS_H_SECTION_TABLE + 4 * s + 1, shape[s][0]);
    put32(img, LFADS_H_SECTION_TABLE + 4 * s + 2, shape[s][1]);
    put32(img, LFADS_H_SECTION_TABLE + 4 * s + 3, 12);
    for (uint32_t i = 0; i < shape[s][0] * shape[s][1]; i++)
      put32(img + LFADS_IMAGE_HEADER_BYTES, offsets[s] + i, (uint32_t)((int32_t)((s * 7919 + i * 31) % 2001) - 1000));
  }
  put32(img, LFADS_H_PAYLOAD_CRC32, (uint32_t)crc32(0, img + LFADS_IMAGE_HEADER_BYTES, (uInt)(bytes - LFADS_IMAGE_HEADER_BYTES)));
  *bytes_out = bytes;
  return img;
}

static inline void refresh_crc(uint8_t *img, size_t bytes) {
  put32(img, LFADS_H_PAYLOAD_CRC32, (uint32_t)crc32(0, img + LFADS_IMAGE_HEADER_BYTES, (uInt)(bytes - LFADS_IMAGE_HEADER_BYTES)));
}

static const test_dims SMALL_NO_CONTROLLER = {.n_in = 7, .n_out = 7, .t_enc = 5, .t_rec = 6, .h_ic = 4, .ic = 3,
                                              .h_gen = 6, .fac = 2, .width = 16, .seg_bits = 6};
static const test_dims SMALL_CONTROLLER = {.n_in = 9, .n_out = 9, .t_enc = 4, .t_rec = 4, .h_ic = 3, .h_ci = 2, .ci_lag = 1,
                                           .h_con = 3, .co = 2, .ic = 2, .h_gen = 5, .fac = 3, .width = 16, .seg_bits = 6};
#endif
