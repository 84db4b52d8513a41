/* SPDX-License-Identifier: MIT */
/* Emulation-harness tests against the echo kernel (test/rtl/lfads_echo_kernel.v): register access over
 * AXI4-Lite, the 512-bit AXI4 memory model (bursts, strobes, 4 KB pages, 64-bit addresses), chunked
 * runs, several devices per process, VCD tracing and the hang / device-lost fault injection. */
#define _GNU_SOURCE
#include <time.h>
#include <unistd.h>

#include "test_util.h"

static const char *g_dir = ".";

/* The echo kernel's function: out[t][i] = 3*in[t][i % spb] - i. */
static int check_echo(const uint8_t *in, const int32_t *out, uint32_t trials, size_t spb, size_t owpt) {
  for (uint32_t t = 0; t < trials; t++)
    for (size_t i = 0; i < owpt; i++) {
      int32_t want = 3 * (int32_t)in[t * spb + i % spb] - (int32_t)i;
      if (out[t * owpt + i] != want) {
        fprintf(stderr, "  mismatch trial %u word %zu: got %d, want %d\n", t, i, out[t * owpt + i], want);
        return 0;
      }
    }
  return 1;
}

static void fill(uint8_t *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    p[i] = (uint8_t)(seed >> 16);
  }
}

static lfads_device *open_loaded(const char *uri, const test_dims *d) {
  lfads_device *dev = NULL;
  if (lfads_open(uri, &dev)) {
    fprintf(stderr, "  open %s: %s\n", uri, lfads_errmsg());
    return NULL;
  }
  size_t n;
  uint8_t *img = make_image(d, &n);
  int rc = lfads_load_image(dev, img, n);
  free(img);
  if (rc) {
    fprintf(stderr, "  load: %s\n", lfads_errmsg());
    lfads_close(dev);
    return NULL;
  }
  return dev;
}

static void test_identity(void) {
  lfads_device *dev = NULL;
  CHECK_EQ(lfads_open("emu:", &dev), 0);
  uint32_t id[4];
  CHECK_EQ(lfads_identity(dev, id), 0);
  CHECK_EQ(id[LFADS_ID_KERNEL_ID], LFADS_KERNEL_ID);
  CHECK_EQ(id[LFADS_ID_VERSION], LFADS_KERNEL_VERSION);
  CHECK_EQ(id[LFADS_ID_BUILD_ID], 0xEC40EC40u);
  CHECK_EQ(id[LFADS_ID_CONFIG], (1u << 16) | 16u);
  uint8_t in[64];
  int32_t out[64];
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, 64, 1), LFADS_E_NO_IMAGE);
  lfads_close(dev);
}

static void test_small_run(void) {
  lfads_device *dev = open_loaded("emu:", &SMALL_CONTROLLER);
  CHECK(dev != NULL);
  if (!dev) return;
  int32_t shape[5];
  CHECK_EQ(lfads_shape(dev, shape), 0);
  CHECK_EQ(shape[LFADS_SHAPE_N_IN], 9);
  CHECK_EQ(shape[LFADS_SHAPE_T_ENC], 4);
  CHECK_EQ(shape[LFADS_SHAPE_T_REC], 4);
  CHECK_EQ(shape[LFADS_SHAPE_FAC_DIM], 3);
  CHECK_EQ(shape[LFADS_SHAPE_N_OUT], 9);
  enum { T = 3, SPB = 36, OWPT = 48 };
  uint8_t in[T * SPB];
  int32_t out[T * OWPT + 1];
  fill(in, sizeof in, 1);
  out[T * OWPT] = 0x5A5A5A5A; /* guard word: the driver must not write past the caller's trials */
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, T * OWPT, T), 0);
  CHECK(check_echo(in, out, T, SPB, OWPT));
  CHECK_EQ(out[T * OWPT], 0x5A5A5A5A);
  CHECK(lfads_last_cycles(dev) > 0);
  CHECK_EQ(lfads_run(dev, in, sizeof in - 1, out, T * OWPT, T), LFADS_E_INVALID);
  CHECK_MSG("spike buffer holds 107 bytes");
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, T * OWPT - 1, T), LFADS_E_INVALID);
  CHECK_MSG("output buffer holds 143 words");
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, T * OWPT, 0), LFADS_E_INVALID);
  lfads_close(dev);
}

/* Trials bigger than a 4 KB page, device buffers for 2 trials: 5 trials run as 3 chunks, output
 * bursts split at page boundaries, input rows padded to 64 bytes. */
static void test_large_chunked(void) {
  test_dims d = SMALL_NO_CONTROLLER;
  d.n_in = 37; d.t_enc = 50; d.t_rec = 60; d.fac = 10; d.n_out = 37;
  lfads_device *dev = open_loaded("emu:?max_trials=2", &d);
  CHECK(dev != NULL);
  if (!dev) return;
  const uint32_t T = 5;
  size_t spb = 37 * 50, owpt = 60 * 47;
  uint8_t *in = malloc(T * spb);
  int32_t *out = calloc(T * owpt, 4);
  fill(in, T * spb, 7);
  CHECK_EQ(lfads_run(dev, in, T * spb, out, T * owpt, T), 0);
  CHECK(check_echo(in, out, T, spb, owpt));
  free(in);
  free(out);
  lfads_close(dev);
}

static void test_two_devices(void) {
  lfads_device *a = open_loaded("emu:", &SMALL_CONTROLLER), *b = open_loaded("emu:", &SMALL_NO_CONTROLLER);
  CHECK(a && b);
  if (!a || !b) return;
  uint8_t ina[36], inb[35];
  int32_t outa[48], outb[6 * 9];
  for (int round = 0; round < 3; round++) {
    fill(ina, sizeof ina, 100 + round);
    fill(inb, sizeof inb, 200 + round);
    CHECK_EQ(lfads_run(a, ina, sizeof ina, outa, 48, 1), 0);
    CHECK_EQ(lfads_run(b, inb, sizeof inb, outb, 54, 1), 0);
    CHECK(check_echo(ina, outa, 1, 36, 48));
    CHECK(check_echo(inb, outb, 1, 35, 54));
  }
  lfads_close(a);
  lfads_close(b);
}

static void test_options(void) {
  lfads_device *dev = NULL;
  CHECK_EQ(lfads_open("emu:?lanes=2", &dev), LFADS_E_NOT_AVAILABLE);
  CHECK_MSG("built with 1 MAC lanes");
  CHECK_EQ(lfads_open("emu:?lanes=1&clock_mhz=250", &dev), 0);
  lfads_close(dev);
  CHECK_EQ(lfads_open("emu:?hang_after=soon", &dev), LFADS_E_INVALID);
  CHECK_MSG("hang_after=soon");
  CHECK_EQ(lfads_open("emu:?trace=/nonexistent/dir/x.vcd", &dev), LFADS_E_INVALID);
  CHECK_MSG("cannot open");
  CHECK_EQ(lfads_open("emu:3", &dev), LFADS_E_INVALID);
}

static void test_trace(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/echo_trace.vcd", g_dir);
  unlink(path);
  char uri[600];
  snprintf(uri, sizeof uri, "emu:?trace=%s", path);
  lfads_device *dev = open_loaded(uri, &SMALL_CONTROLLER);
  CHECK(dev != NULL);
  if (!dev) return;
  uint8_t in[36] = {1};
  int32_t out[48];
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, 48, 1), 0);
  lfads_close(dev);
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  if (!f) return;
  char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  CHECK(strstr(buf, "$enddefinitions") != NULL);
  CHECK(strstr(buf, "m_axi_gmem_wdata") != NULL);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_hang(void) {
  lfads_device *dev = open_loaded("emu:?hang_after=1&timeout_ms=300", &SMALL_CONTROLLER);
  CHECK(dev != NULL);
  if (!dev) return;
  uint8_t in[36] = {3};
  int32_t out[48];
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, 48, 1), 0); /* run 1 is healthy */
  double t0 = now_ms();
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, 48, 1), LFADS_E_TIMEOUT);
  double took = now_ms() - t0;
  CHECK_MSG("did not finish 1 trials within 300 ms");
  CHECK_MSG("hang injected");
  CHECK(took >= 290 && took < 1500);
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, 48, 1), LFADS_E_FAILED);
  CHECK_MSG("close and reopen");
  CHECK_EQ(lfads_set_timeout_ms(dev, 0), LFADS_E_INVALID);
  lfads_close(dev);
}

static void test_device_lost(void) {
  lfads_device *dev = open_loaded("emu:?lose_after=0", &SMALL_CONTROLLER);
  CHECK(dev != NULL);
  if (!dev) return;
  uint8_t in[36] = {3};
  int32_t out[48];
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, 48, 1), LFADS_E_LOST);
  CHECK_MSG("device lost during the run");
  uint32_t id[4];
  CHECK_EQ(lfads_identity(dev, id), LFADS_E_LOST);
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, 48, 1), LFADS_E_FAILED);
  lfads_close(dev);
}

int main(int argc, char **argv) {
  if (argc > 1) g_dir = argv[1];
  printf("%s (echo kernel)\n", lfads_version());
  RUN(test_identity);
  RUN(test_small_run);
  RUN(test_large_chunked);
  RUN(test_two_devices);
  RUN(test_options);
  RUN(test_trace);
  RUN(test_hang);
  RUN(test_device_lost);
  TEST_EXIT();
}
