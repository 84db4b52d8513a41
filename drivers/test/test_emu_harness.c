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

/* Streaming: two buffer sets in flight, waited for out of order; a third submit is refused; the blocking
 * calls refuse to run while submitted runs are in flight; tickets are single-use. */
static void test_submit_wait(void) {
  lfads_device *dev = open_loaded("emu:?slots=2&max_trials=2", &SMALL_CONTROLLER);
  CHECK(dev != NULL);
  if (!dev) return;
  enum { SPB = 36, OWPT = 48 };
  uint8_t a[SPB], b[2 * SPB];
  int32_t outa[OWPT + 1], outb[2 * OWPT];
  fill(a, sizeof a, 11);
  fill(b, sizeof b, 12);
  int ta = lfads_submit(dev, LFADS_MODE_TRIALS, a, sizeof a, 1);
  int tb = lfads_submit(dev, LFADS_MODE_TRIALS, b, sizeof b, 2);
  CHECK(ta >= 0 && tb >= 0 && ta != tb);
  CHECK_EQ(lfads_in_flight(dev), 2);
  CHECK_EQ(lfads_submit(dev, LFADS_MODE_TRIALS, a, sizeof a, 1), LFADS_E_BUSY);
  CHECK_MSG("all 2 buffer sets are in flight");
  CHECK_EQ(lfads_run(dev, a, sizeof a, outa, OWPT, 1), LFADS_E_BUSY);
  CHECK_EQ(lfads_submit(dev, LFADS_MODE_TRIALS, b, sizeof b, 3), LFADS_E_INVALID); /* > max_trials */
  CHECK_EQ(lfads_submit(dev, 7, a, sizeof a, 1), LFADS_E_INVALID);
  CHECK_MSG("unknown mode 7");
  CHECK_EQ(lfads_wait(dev, tb, outb, 2 * OWPT - 1), LFADS_E_INVALID);
  CHECK_EQ(lfads_wait(dev, tb, outb, 2 * OWPT), 0);
  CHECK(check_echo(b, outb, 2, SPB, OWPT));
  outa[OWPT] = 0x5A5A5A5A;
  CHECK_EQ(lfads_wait(dev, ta, outa, OWPT), 0);
  CHECK(check_echo(a, outa, 1, SPB, OWPT));
  CHECK_EQ(outa[OWPT], 0x5A5A5A5A);
  CHECK(lfads_last_cycles(dev) > 0);
  CHECK_EQ(lfads_wait(dev, ta, outa, OWPT), LFADS_E_INVALID);
  CHECK_MSG("not in flight");
  CHECK_EQ(lfads_in_flight(dev), 0);
  /* A stream: each buffer set reused many times, always one submitted ahead of the wait. */
  int prev = lfads_submit(dev, LFADS_MODE_TRIALS, a, sizeof a, 1);
  for (int i = 0; i < 6; i++) {
    uint8_t in[SPB];
    fill(in, sizeof in, 100 + i);
    int t = lfads_submit(dev, LFADS_MODE_TRIALS, in, sizeof in, 1);
    CHECK(t >= 0);
    CHECK_EQ(lfads_wait(dev, prev, outa, OWPT), 0);
    prev = t;
    CHECK_EQ(lfads_wait(dev, prev, outa, OWPT), 0);
    CHECK(check_echo(in, outa, 1, SPB, OWPT));
    prev = lfads_submit(dev, LFADS_MODE_TRIALS, a, sizeof a, 1);
  }
  CHECK_EQ(lfads_wait(dev, prev, outa, OWPT), 0);
  CHECK(check_echo(a, outa, 1, SPB, OWPT));
  /* Closing with runs in flight waits for them before freeing their buffers. */
  CHECK(lfads_submit(dev, LFADS_MODE_TRIALS, a, sizeof a, 1) >= 0);
  CHECK(lfads_submit(dev, LFADS_MODE_TRIALS, b, sizeof b, 2) >= 0);
  lfads_close(dev);
}

/* What each call costs on the bus, counted by the driver: exact for the echo kernel's shapes. */
static void test_counters(void) {
  lfads_device *dev = open_loaded("emu:", &SMALL_CONTROLLER);
  CHECK(dev != NULL);
  if (!dev) return;
  enum { SPB = 36, OWPT = 48 };
  uint64_t c[LFADS_COUNT_WORDS], total[LFADS_COUNT_WORDS];
  CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_LAST_CALL, c, LFADS_COUNT_WORDS), 0); /* the image load */
  CHECK_EQ(c[LFADS_COUNT_KERNEL_RUNS], 1);
  CHECK_EQ(c[LFADS_COUNT_SYNCS_TO_DEVICE], 1);
  CHECK_EQ(c[LFADS_COUNT_SYNCS_FROM_DEVICE], 0);
  uint8_t in[SPB];
  int32_t out[OWPT];
  fill(in, sizeof in, 5);
  int t = lfads_submit(dev, LFADS_MODE_TRIALS, in, sizeof in, 1);
  CHECK(t >= 0);
  CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_LAST_CALL, c, LFADS_COUNT_WORDS), 0);
  CHECK_EQ(c[LFADS_COUNT_SYNCS_TO_DEVICE], 1);
  CHECK_EQ(c[LFADS_COUNT_BYTES_TO_DEVICE], 64); /* 36 bytes, padded to the 64-byte trial stride */
  CHECK_EQ(c[LFADS_COUNT_REG_WRITES], 3);       /* NUM_TRIALS, FLAGS (changed since the load), CTRL */
  CHECK_EQ(c[LFADS_COUNT_REG_READS], 0);
  CHECK_EQ(c[LFADS_COUNT_KERNEL_RUNS], 1);
  CHECK_EQ(lfads_wait(dev, t, out, OWPT), 0);
  CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_LAST_CALL, c, LFADS_COUNT_WORDS), 0);
  CHECK_EQ(c[LFADS_COUNT_SYNCS_FROM_DEVICE], 1);
  CHECK_EQ(c[LFADS_COUNT_BYTES_FROM_DEVICE], 192); /* 48 words */
  CHECK_EQ(c[LFADS_COUNT_REG_READS], 5);           /* STATUS, ERROR_CODE, TRIALS_DONE, CYCLES_LO/HI */
  CHECK_EQ(c[LFADS_COUNT_REG_WRITES], 1);          /* ISR clear */
  CHECK_EQ(c[LFADS_COUNT_KERNEL_RUNS], 0);
  /* The same trial again through lfads_run: nothing changed but the buffers' contents. */
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, OWPT, 1), 0);
  CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_LAST_CALL, c, LFADS_COUNT_WORDS), 0);
  CHECK_EQ(c[LFADS_COUNT_REG_WRITES], 2); /* CTRL + ISR: every argument register already holds its value */
  CHECK_EQ(c[LFADS_COUNT_REG_READS], 5);
  CHECK_EQ(c[LFADS_COUNT_BYTES_TO_DEVICE] + c[LFADS_COUNT_BYTES_FROM_DEVICE], 64 + 192);
  CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_TOTAL, total, LFADS_COUNT_WORDS), 0);
  CHECK_EQ(total[LFADS_COUNT_KERNEL_RUNS], 3);
  CHECK(total[LFADS_COUNT_REG_WRITES] >= 2 + 3 + 1 + 2); /* + GIE/IER at open and the load's arguments */
  CHECK_EQ(lfads_counters(dev, 5, c, 1), LFADS_E_INVALID);
  CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_TOTAL, c, LFADS_COUNT_WORDS + 1), LFADS_E_INVALID);
  lfads_close(dev);
}

/* A hung kernel under submit/wait: the wait times out, the run is aborted, the handle fails; the other
 * buffer set's run is not waited for again; close frees everything (the emulated kernel dies with it). */
static void test_submit_timeout(void) {
  lfads_device *dev = open_loaded("emu:?hang_after=1&timeout_ms=300", &SMALL_CONTROLLER);
  CHECK(dev != NULL);
  if (!dev) return;
  uint8_t in[36] = {4};
  int32_t out[48];
  int t = lfads_submit(dev, LFADS_MODE_TRIALS, in, sizeof in, 1);
  CHECK_EQ(lfads_wait(dev, t, out, 48), 0); /* run 1 is healthy */
  int t1 = lfads_submit(dev, LFADS_MODE_TRIALS, in, sizeof in, 1);
  int t2 = lfads_submit(dev, LFADS_MODE_TRIALS, in, sizeof in, 1);
  CHECK(t1 >= 0 && t2 >= 0);
  CHECK_EQ(lfads_wait(dev, t1, out, 48), LFADS_E_TIMEOUT);
  CHECK_MSG("hang injected");
  CHECK_MSG("run aborted (abort confirmed)");
  CHECK_EQ(lfads_wait(dev, t2, out, 48), LFADS_E_FAILED);
  CHECK_EQ(lfads_submit(dev, LFADS_MODE_TRIALS, in, sizeof in, 1), LFADS_E_FAILED);
  CHECK_MSG("close and reopen");
  lfads_close(dev);
}

/* The memory model: latency and back-pressure change the kernel's cycle count, never its results; the
 * defaults (HBM figures) come from the URI, then the environment. */
static void test_memory_timing(void) {
  enum { T = 2, SPB = 36, OWPT = 48 };
  uint8_t in[T * SPB];
  fill(in, sizeof in, 21);
  const char *uris[] = {"emu:?mem_latency=1&mem_jitter=0", "emu:?mem_latency=40&mem_jitter=0",
                        "emu:?mem_latency=40&mem_jitter=20&mem_stall_pct=40&mem_outstanding=2&mem_seed=9",
                        "emu:?mem_latency=40&mem_jitter=0&mem_write_latency=4"};
  int64_t cycles[4] = {0};
  for (int i = 0; i < 4; i++) {
    lfads_device *dev = open_loaded(uris[i], &SMALL_CONTROLLER);
    CHECK(dev != NULL);
    if (!dev) return;
    int32_t out[T * OWPT];
    CHECK_EQ(lfads_run(dev, in, sizeof in, out, T * OWPT, T), 0);
    CHECK(check_echo(in, out, T, SPB, OWPT));
    cycles[i] = lfads_last_cycles(dev);
    lfads_close(dev);
  }
  CHECK(cycles[1] > cycles[0] + 39); /* at least one read burst waits the 39 extra cycles */
  CHECK(cycles[2] > cycles[1]);
  CHECK(cycles[3] < cycles[1]); /* the run ends with its last write response: 4 cycles after the last beat, not 39 */
  printf("  echo kernel, 2 trials: %lld cycles at read latency 1, %lld at 40, %lld at 40+0..20 with 40%% stalls\n",
         (long long)cycles[0], (long long)cycles[1], (long long)cycles[2]);
  lfads_device *dev = NULL;
  char text[256];
  CHECK_EQ(lfads_open("emu:", &dev), 0);
  CHECK_EQ(lfads_describe(dev, text, sizeof text), 0);
  CHECK(strstr(text, "read latency 32+0..9 cycles") != NULL && strstr(text, "write response 31,") != NULL);
  lfads_close(dev);
  CHECK_EQ(lfads_open("emu:?mem_latency=20&mem_write_latency=4", &dev), 0);
  CHECK_EQ(lfads_describe(dev, text, sizeof text), 0);
  CHECK(strstr(text, "read latency 20+0..9 cycles, write response 4,") != NULL);
  lfads_close(dev);
  setenv("LFADSRT_EMU_MEM_LATENCY", "7", 1);
  CHECK_EQ(lfads_open("emu:?mem_stall_pct=5", &dev), 0);
  CHECK_EQ(lfads_describe(dev, text, sizeof text), 0);
  CHECK(strstr(text, "read latency 7+0..9 cycles") != NULL && strstr(text, "stall 5%") != NULL);
  lfads_close(dev);
  CHECK_EQ(lfads_open("emu:?mem_latency=3", &dev), 0); /* the URI wins over the environment */
  CHECK_EQ(lfads_describe(dev, text, sizeof text), 0);
  CHECK(strstr(text, "read latency 3+") != NULL);
  lfads_close(dev);
  setenv("LFADSRT_EMU_MEM_LATENCY", "zero", 1);
  CHECK_EQ(lfads_open("emu:", &dev), LFADS_E_INVALID);
  CHECK_MSG("LFADSRT_EMU_MEM_LATENCY=zero");
  unsetenv("LFADSRT_EMU_MEM_LATENCY");
  CHECK_EQ(lfads_open("emu:?mem_latency=0", &dev), LFADS_E_INVALID);
  CHECK_EQ(lfads_open("emu:?mem_stall_pct=100", &dev), LFADS_E_INVALID);
  CHECK_EQ(lfads_open("emu:?mem_write_latency=-1", &dev), LFADS_E_INVALID);
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
  RUN(test_submit_wait);
  RUN(test_counters);
  RUN(test_submit_timeout);
  RUN(test_memory_timing);
  TEST_EXIT();
}
