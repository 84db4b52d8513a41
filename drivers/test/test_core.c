/* SPDX-License-Identifier: MIT */
/* Driver core tests: URI parsing, image validation, handle checks, thread-local errors, the XRT
 * no-card path, and (when the library has it) the emulated lfads_kernel's identity. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

static void test_uri_errors(void) {
  lfads_device *dev = (lfads_device *)0x1;
  CHECK_EQ(lfads_open("pcie:0", &dev), LFADS_E_INVALID);
  CHECK_MSG("unknown scheme 'pcie'");
  CHECK(dev == NULL);
  CHECK_EQ(lfads_open("", &dev), LFADS_E_INVALID);
  CHECK_MSG("missing scheme");
  CHECK_EQ(lfads_open("xrt:0", &dev), LFADS_E_INVALID);
  CHECK_MSG("missing option xclbin=PATH");
  CHECK_EQ(lfads_open("xrt:zero?xclbin=a.xclbin", &dev), LFADS_E_INVALID);
  CHECK_MSG("expected a card index");
  CHECK_EQ(lfads_open("xrt:0?xclbin", &dev), LFADS_E_INVALID);
  CHECK_MSG("not key=value");
  CHECK_EQ(lfads_open("xrt:0?xclbin=a&xclbin=b", &dev), LFADS_E_INVALID);
  CHECK_MSG("given twice");
  CHECK_EQ(lfads_open("xrt:0?xclbin=a&timeout_ms=-3", &dev), LFADS_E_INVALID);
  CHECK_MSG("timeout_ms=-3");
  CHECK_EQ(lfads_open("xrt:0?xclbin=a&slots=0", &dev), LFADS_E_INVALID);
  CHECK_MSG("slots=0");
  CHECK_EQ(lfads_open("xrt:0?xclbin=a&slots=9", &dev), LFADS_E_INVALID);
  CHECK_EQ(lfads_open(NULL, &dev), LFADS_E_INVALID);
}

static void test_handle_checks(void) {
  CHECK_EQ(lfads_noop(NULL), LFADS_E_INVALID);
  CHECK_MSG("null device handle");
  uint32_t garbage[64] = {0};
  CHECK_EQ(lfads_noop((lfads_device *)garbage), LFADS_E_INVALID);
  CHECK_MSG("invalid or closed");
  lfads_close(NULL); /* accepted */
  CHECK_EQ(lfads_last_cycles(NULL), LFADS_E_INVALID);
  uint32_t id[4];
  CHECK_EQ(lfads_identity(NULL, id), LFADS_E_INVALID);
  uint8_t in[4] = {0};
  int32_t out[4];
  uint64_t counts[LFADS_COUNT_WORDS];
  char text[64];
  CHECK_EQ(lfads_submit(NULL, LFADS_MODE_TRIALS, in, sizeof in, 1), LFADS_E_INVALID);
  CHECK_EQ(lfads_wait(NULL, 0, out, 4), LFADS_E_INVALID);
  CHECK_EQ(lfads_in_flight(NULL), LFADS_E_INVALID);
  CHECK_EQ(lfads_counters(NULL, LFADS_COUNTERS_TOTAL, counts, LFADS_COUNT_WORDS), LFADS_E_INVALID);
  CHECK_EQ(lfads_describe(NULL, text, sizeof text), LFADS_E_INVALID);
}

static void test_valid_images(void) {
  size_t n;
  uint8_t *img = make_image(&SMALL_NO_CONTROLLER, &n);
  CHECK_EQ(lfads_image_validate(img, n), 0);
  free(img);
  img = make_image(&SMALL_CONTROLLER, &n);
  CHECK_EQ(lfads_image_validate(img, n), 0);
  free(img);
}

/* Each corruption must be rejected with a message naming the field. */
static void expect_rejected(void (*corrupt)(uint8_t *, size_t *), const char *fragment) {
  size_t n;
  uint8_t *img = make_image(&SMALL_CONTROLLER, &n);
  corrupt(img, &n);
  int rc = lfads_image_validate(img, n);
  CHECK_EQ(rc, LFADS_E_BAD_IMAGE);
  if (!strstr(lfads_errmsg(), fragment)) {
    g_failures++;
    fprintf(stderr, "FAIL: expected '%s' in '%s'\n", fragment, lfads_errmsg());
  }
  free(img);
}
static void bad_magic(uint8_t *p, size_t *n) { (void)n; p[0] ^= 1; }
static void bad_version(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_VERSION, 2); }
static void bad_header_bytes(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_HEADER_BYTES, 512); }
static void truncated(uint8_t *p, size_t *n) { (void)p; *n -= 64; }
static void too_short(uint8_t *p, size_t *n) { (void)p; *n = 100; }
static void payload_bit_flip(uint8_t *p, size_t *n) { p[*n - 5] ^= 0x10; }
static void bad_width(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_DATA_WIDTH, 20); }
static void zero_dim(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_FAC_DIM, 0); }
static void trec_short(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_T_REC, 2); }
static void controller_flag_off(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_FLAGS, 0); }
static void wrong_shape(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_SECTION_TABLE + 4 * LFADS_S_RO_W + 1, 8); }
static void misaligned(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_SECTION_TABLE + 4 * LFADS_S_TANH_TABLE, 4 + (p[4 * (LFADS_H_SECTION_TABLE + 4 * LFADS_S_TANH_TABLE)])); }
static void overlap(uint8_t *p, size_t *n) { (void)n; put32(p, LFADS_H_SECTION_TABLE + 4 * LFADS_S_IC_FWD_WIH, 0); }

static void test_corrupt_images(void) {
  expect_rejected(bad_magic, "(MAGIC): expected 0x494B464C, found 0x494B464D");
  expect_rejected(bad_version, "(VERSION): expected 1, found 2");
  expect_rejected(bad_header_bytes, "(HEADER_BYTES)");
  expect_rejected(truncated, "(PAYLOAD_WORDS=");
  expect_rejected(too_short, "shorter than the 1024-byte header");
  expect_rejected(payload_bit_flip, "(PAYLOAD_CRC32)");
  expect_rejected(bad_width, "(DATA_WIDTH): expected 8..18, found 20");
  expect_rejected(zero_dim, "(FAC_DIM): expected 1..65536, found 0");
  expect_rejected(trec_short, "(T_REC=2): must be >= T_ENC=4");
  expect_rejected(controller_flag_off, "(H_CIENC): expected 0 without a controller");
  expect_rejected(wrong_shape, "section 30 (RO_W): shape 8x3, expected 9x3");
  expect_rejected(misaligned, "(TANH_TABLE): offset");
  expect_rejected(overlap, "(IC_FWD_WIH): offset 0 overlaps");
  CHECK_EQ(lfads_image_validate(NULL, 0), LFADS_E_INVALID);
}

static void *other_thread(void *arg) {
  (void)arg;
  lfads_device *dev;
  lfads_open("nope:", &dev);
  return strstr(lfads_errmsg(), "unknown scheme 'nope'") ? (void *)1 : NULL;
}

static void test_errmsg_thread_local(void) {
  lfads_device *dev;
  CHECK_EQ(lfads_open("xrt:0", &dev), LFADS_E_INVALID);
  pthread_t t;
  void *ok = NULL;
  pthread_create(&t, NULL, other_thread, NULL);
  pthread_join(t, &ok);
  CHECK(ok == (void *)1);
  CHECK_MSG("missing option xclbin=PATH"); /* this thread's message survived the other's failure */
}

/* Runs lfads_open(xrt) in a child process with the given XILINX_XRT (NULL: unset), so XRT's
 * one-time initialisation sees exactly that environment. Returns 1 when code and message match. */
static int xrt_child(const char *xilinx_xrt, int want_rc, const char *fragment) {
  pid_t pid = fork();
  if (pid == 0) {
    if (xilinx_xrt) setenv("XILINX_XRT", xilinx_xrt, 1); else unsetenv("XILINX_XRT");
    lfads_device *dev = NULL;
    int rc = lfads_open("xrt:0?xclbin=/nonexistent/lfads.xclbin", &dev);
    int ok = rc == want_rc && dev == NULL && strstr(lfads_errmsg(), fragment) != NULL;
    fprintf(stderr, "  xrt open with XILINX_XRT=%s -> %d: %s\n", xilinx_xrt ? xilinx_xrt : "(unset)", rc, lfads_errmsg());
    if (ok && xilinx_xrt) ok = lfads_xrt_device_count() == 0;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void test_xrt_no_card(void) {
  if (!strstr(lfads_version(), "xrt")) {
    printf("  skipped: library built without XRT\n");
    return;
  }
  CHECK(xrt_child(NULL, LFADS_E_NOT_AVAILABLE, "XILINX_XRT not set"));
  const char *root = getenv("XRT_ROOT");
  if (!root) {
    printf("  skipped the 'Could not open device' path: XRT_ROOT (drivers/build/xrt-root) not given\n");
    return;
  }
  CHECK(xrt_child(root, LFADS_E_NOT_AVAILABLE, "Could not open device with index '0'"));
}

static void test_emu_identity(void) {
  if (!strstr(lfads_version(), "emu")) {
    printf("  skipped: library built without the emulated kernel (hdl/rtl/lfads_kernel.v absent)\n");
    return;
  }
  lfads_device *dev = NULL;
  CHECK_EQ(lfads_open("emu:?bogus=1", &dev), LFADS_E_INVALID);
  CHECK_MSG("unknown option 'bogus'");
  CHECK_EQ(lfads_open("emu:", &dev), 0);
  uint32_t id[LFADS_ID_WORDS] = {0};
  CHECK_EQ(lfads_identity(dev, id), 0);
  CHECK_EQ(id[LFADS_ID_KERNEL_ID], LFADS_KERNEL_ID);
  CHECK_EQ(id[LFADS_ID_VERSION], LFADS_KERNEL_VERSION);
  CHECK(id[LFADS_ID_CONFIG] >> 16 >= 1); /* MAC lanes */
  int32_t shape[5];
  CHECK_EQ(lfads_shape(dev, shape), LFADS_E_NO_IMAGE);
  uint8_t in[64] = {0};
  int32_t out[64];
  CHECK_EQ(lfads_run(dev, in, sizeof in, out, 64, 1), LFADS_E_NO_IMAGE);
  CHECK_EQ(lfads_submit(dev, LFADS_MODE_TRIALS, in, sizeof in, 1), LFADS_E_NO_IMAGE);
  lfads_close(dev);
  CHECK_EQ(lfads_open("emu:?config=huge", &dev), LFADS_E_INVALID);
  CHECK_MSG("config=huge");
}

/* The default emulated kernel holds ordinary model sizes (a 64-unit generator is beyond the old 32-unit CI
 * build); with EMU_FULL=1 the card configuration gives the same words with more MAC lanes. */
static void test_emu_configurations(void) {
  if (!strstr(lfads_version(), "emu")) return;
  test_dims d = SMALL_NO_CONTROLLER;
  d.h_gen = 64;
  d.h_ic = 40;
  size_t n;
  uint8_t *img = make_image(&d, &n);
  enum { SPB = 7 * 5, OWPT = 6 * (2 + 7) };
  uint8_t in[SPB];
  for (int i = 0; i < SPB; i++) in[i] = (uint8_t)(i * 7 % 5);
  int32_t out_default[OWPT], out_full[OWPT];
  lfads_device *dev = NULL;
  CHECK_EQ(lfads_open("emu:?config=default", &dev), 0);
  CHECK_EQ(lfads_load_image(dev, img, n), 0);
  CHECK_EQ(lfads_run(dev, in, sizeof in, out_default, OWPT, 1), 0);
  char text[256];
  CHECK_EQ(lfads_describe(dev, text, sizeof text), 0);
  CHECK(strstr(text, "config=default") != NULL);
  uint32_t id_default[LFADS_ID_WORDS], id_full[LFADS_ID_WORDS];
  CHECK_EQ(lfads_identity(dev, id_default), 0);
  lfads_close(dev);
  int rc = lfads_open("emu:?config=full", &dev);
  if (rc == LFADS_E_NOT_AVAILABLE) {
    CHECK_MSG("EMU_FULL=1");
    printf("  card configuration not built (EMU_FULL=0): default configuration only\n");
  } else {
    CHECK_EQ(rc, 0);
    CHECK_EQ(lfads_identity(dev, id_full), 0);
    CHECK(id_full[LFADS_ID_CONFIG] >> 16 > id_default[LFADS_ID_CONFIG] >> 16); /* more MAC lanes */
    CHECK_EQ(lfads_load_image(dev, img, n), 0);
    CHECK_EQ(lfads_run(dev, in, sizeof in, out_full, OWPT, 1), 0);
    CHECK(memcmp(out_default, out_full, sizeof out_full) == 0);
    lfads_close(dev);
  }
  free(img);
}

/*
 * Online kernel mode through lfads_submit/lfads_wait (docs/kernel-numerics.md section 13), checked against the same
 * kernel's whole-trial mode: each bin's outputs equal step T_enc-1 of a whole-trial run on the window of the last T_enc
 * bins (zero bins before the first), through warm-up, the ring's wrap, a window reset, a model with a controller and
 * saturated counts, two runs in flight. Per hot-path bin: no register read, at most 2 register writes, N_in bytes in,
 * 64 + 4 (fac + n_out) bytes out.
 */
static void test_emu_online(void) {
  if (!strstr(lfads_version(), "emu")) return;
  const test_dims d = SMALL_CONTROLLER;
  enum { NIN = 9, TENC = 4, TREC = 4, FAC = 3, NOUT = 9, BINS = 3 * TENC + 3, RESET_AT = 10 };
  enum { OW = FAC + NOUT, BLOCK = LFADS_ONLINE_OUT_STATUS_WORDS + OW, OWPT = TREC * OW };
  size_t n;
  uint8_t *img = make_image(&d, &n);
  uint8_t bins[BINS][NIN];
  for (int b = 0; b < BINS; b++)
    for (int c = 0; c < NIN; c++) bins[b][c] = (uint8_t)((b * 31 + c * 7) % 11 == 0 ? LFADS_SPIKE_COUNT_MAX : (b * 5 + c * 3) % 6);
  int32_t online[BINS][BLOCK];
  lfads_device *dev = NULL;
  CHECK_EQ(lfads_open("emu:?slots=2&mem_latency=4&mem_jitter=2", &dev), 0);
  if (!dev) return;
  CHECK_EQ(lfads_load_image(dev, img, n), 0);
  int32_t block[BLOCK];
  CHECK_EQ(lfads_submit(dev, LFADS_MODE_ONLINE, bins[0], NIN, 1), LFADS_E_INVALID); /* no window started */
  CHECK_MSG("LFADS_MODE_ONLINE_RESET");
  CHECK_EQ(lfads_submit(dev, LFADS_MODE_ONLINE_RESET, bins[0], NIN, 2), LFADS_E_INVALID); /* one bin per run */
  CHECK_EQ(lfads_submit(dev, LFADS_MODE_ONLINE_RESET, bins[0], NIN - 1, 1), LFADS_E_INVALID);
  /* Two runs in flight: bin b+1 is submitted before bin b is waited for (the driver then first waits for bin b's status
   * block, so that at most one start is pending in the kernel: one more look at the block per bin). */
  int ticket[BINS];
  uint64_t c0[LFADS_COUNT_WORDS], c1[LFADS_COUNT_WORDS];
  ticket[0] = lfads_submit(dev, LFADS_MODE_ONLINE_RESET, bins[0], NIN, 1);
  CHECK(ticket[0] >= 0);
  uint32_t seq0 = 0;
  for (int b = 0; b < BINS; b++) {
    CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_TOTAL, c0, LFADS_COUNT_WORDS), 0);
    if (b + 1 < BINS) {
      ticket[b + 1] = lfads_submit(dev, b + 1 == RESET_AT ? LFADS_MODE_ONLINE_RESET : LFADS_MODE_ONLINE, bins[b + 1], NIN, 1);
      CHECK(ticket[b + 1] >= 0);
      if (b + 1 == 1) {
        int32_t trials_out[OWPT];
        CHECK_EQ(lfads_submit(dev, LFADS_MODE_TRIALS, bins[0], sizeof bins, 1), LFADS_E_BUSY); /* modes do not mix in flight */
        CHECK_EQ(lfads_submit(dev, LFADS_MODE_ONLINE, bins[0], NIN, 1), LFADS_E_BUSY);         /* both slots in flight */
        CHECK_EQ(lfads_run(dev, bins[0], sizeof bins, trials_out, OWPT, 1), LFADS_E_BUSY);
      }
    }
    CHECK_EQ(lfads_wait(dev, ticket[b], online[b], BLOCK), 0);
    CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_TOTAL, c1, LFADS_COUNT_WORDS), 0);
    if (b == 0) seq0 = (uint32_t)online[0][LFADS_OS_SEQ];
    CHECK_EQ((uint32_t)online[b][LFADS_OS_SEQ], seq0 + (uint32_t)b);
    CHECK_EQ(online[b][LFADS_OS_ERROR_CODE], 0);
    CHECK_EQ(online[b][LFADS_OS_TRIALS_DONE], 1);
    CHECK_EQ((uint32_t)online[b][LFADS_OS_MAGIC], LFADS_ONLINE_STATUS_MAGIC);
    int since_reset = b >= RESET_AT ? b - RESET_AT + 1 : b + 1;
    CHECK_EQ(online[b][LFADS_OS_WINDOW_BINS], since_reset < TENC ? since_reset : TENC);
    CHECK_EQ(lfads_last_cycles(dev), (int64_t)((uint64_t)(uint32_t)online[b][LFADS_OS_CYCLES_HI] << 32 | (uint32_t)online[b][LFADS_OS_CYCLES_LO]));
    CHECK(lfads_last_cycles(dev) > 0);
    /* The hot path: the wait of bin b and the submit of bin b+1. Bins next to a reset write FLAGS too. */
    if (b >= 2 && b + 1 < BINS) {
      CHECK_EQ(c1[LFADS_COUNT_REG_READS] - c0[LFADS_COUNT_REG_READS], 0);
      int flags_change = b + 1 == RESET_AT || b == RESET_AT;
      CHECK_EQ(c1[LFADS_COUNT_REG_WRITES] - c0[LFADS_COUNT_REG_WRITES], flags_change ? 2 : 1);
      CHECK_EQ(c1[LFADS_COUNT_BYTES_TO_DEVICE] - c0[LFADS_COUNT_BYTES_TO_DEVICE], b + 1 == RESET_AT ? NIN + LFADS_ONLINE_STATUS_BYTES : NIN);
      CHECK_EQ(c1[LFADS_COUNT_BYTES_FROM_DEVICE] - c0[LFADS_COUNT_BYTES_FROM_DEVICE], 2 * (LFADS_ONLINE_STATUS_BYTES + 4 * OW));
      CHECK_EQ(c1[LFADS_COUNT_KERNEL_RUNS] - c0[LFADS_COUNT_KERNEL_RUNS], 1);
    }
  }
  CHECK_EQ(lfads_wait(dev, ticket[BINS - 1], block, BLOCK), LFADS_E_INVALID); /* tickets are single-use */
  (void)c0;
  /* Whole-trial mode on the same handle after the stream (the kernel settles, its interrupt is acknowledged). */
  for (int b = 0; b < BINS; b++) {
    int first = b >= RESET_AT ? RESET_AT : 0;
    uint8_t window[TENC][NIN];
    memset(window, 0, sizeof window);
    for (int k = 0; k < TENC; k++) {
      int src = b - (TENC - 1) + k;
      if (src >= first) memcpy(window[k], bins[src], NIN);
    }
    int32_t whole[OWPT];
    CHECK_EQ(lfads_run(dev, &window[0][0], sizeof window, whole, OWPT, 1), 0);
    if (memcmp(whole + (TENC - 1) * OW, online[b] + LFADS_ONLINE_OUT_STATUS_WORDS, OW * sizeof(int32_t)) != 0) {
      g_failures++;
      fprintf(stderr, "FAIL online bin %d differs from the whole-window run's step T_enc-1\n", b);
    }
    g_checks++;
  }
  /* Online again after whole-trial runs, one bin at a time (submit, wait: the streaming loop): the same words, and per
   * bin after the window's first two the goals: no register read, 1 register write (CTRL), N_in bytes in, one look of
   * 64 + 4 (fac + n_out) bytes out. */
  CHECK_EQ(lfads_submit(dev, LFADS_MODE_ONLINE, bins[0], NIN, 1), LFADS_E_INVALID); /* the whole-trial runs took the ring */
  CHECK_MSG("whole-trial run");
  for (int b = 0; b < RESET_AT; b++) {
    CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_TOTAL, c0, LFADS_COUNT_WORDS), 0);
    int t = lfads_submit(dev, b ? LFADS_MODE_ONLINE : LFADS_MODE_ONLINE_RESET, bins[b], NIN, 1);
    CHECK(t >= 0);
    CHECK_EQ(lfads_wait(dev, t, block, BLOCK), 0);
    CHECK_EQ(lfads_counters(dev, LFADS_COUNTERS_TOTAL, c1, LFADS_COUNT_WORDS), 0);
    CHECK(memcmp(block + LFADS_ONLINE_OUT_STATUS_WORDS, online[b] + LFADS_ONLINE_OUT_STATUS_WORDS, OW * sizeof(int32_t)) == 0);
    if (b >= 2) {
      CHECK_EQ(c1[LFADS_COUNT_REG_READS] - c0[LFADS_COUNT_REG_READS], 0);
      CHECK_EQ(c1[LFADS_COUNT_REG_WRITES] - c0[LFADS_COUNT_REG_WRITES], 1);
      CHECK_EQ(c1[LFADS_COUNT_BYTES_TO_DEVICE] - c0[LFADS_COUNT_BYTES_TO_DEVICE], NIN);
      CHECK_EQ(c1[LFADS_COUNT_SYNCS_FROM_DEVICE] - c0[LFADS_COUNT_SYNCS_FROM_DEVICE], 1);
      CHECK_EQ(c1[LFADS_COUNT_BYTES_FROM_DEVICE] - c0[LFADS_COUNT_BYTES_FROM_DEVICE], LFADS_ONLINE_STATUS_BYTES + 4 * OW);
    } else if (b == 1) {
      CHECK_EQ(c1[LFADS_COUNT_REG_READS] - c0[LFADS_COUNT_REG_READS], 0);
      CHECK_EQ(c1[LFADS_COUNT_REG_WRITES] - c0[LFADS_COUNT_REG_WRITES], 2); /* FLAGS back to ONLINE, CTRL */
    }
  }
  lfads_close(dev);

  /* A hang mid-stream: the wait times out, the run is aborted, the handle fails; close frees it. */
  CHECK_EQ(lfads_open("emu:?hang_after=3&timeout_ms=60000&mem_latency=1&mem_jitter=0", &dev), 0);
  CHECK_EQ(lfads_load_image(dev, img, n), 0); /* bounded by 60 s: it zeroes card-size memories (slow on a loaded machine) */
  CHECK_EQ(lfads_set_timeout_ms(dev, 2000), 0); /* a healthy bin takes a few thousand cycles: ms */
  for (int b = 0; b < 5; b++) {
    int tk = lfads_submit(dev, b ? LFADS_MODE_ONLINE : LFADS_MODE_ONLINE_RESET, bins[b], NIN, 1);
    CHECK(tk >= 0);
    int rc = lfads_wait(dev, tk, block, BLOCK);
    if (b < 3) {
      CHECK_EQ(rc, 0);
      CHECK(memcmp(block + LFADS_ONLINE_OUT_STATUS_WORDS, online[b] + LFADS_ONLINE_OUT_STATUS_WORDS, OW * sizeof(int32_t)) == 0);
    } else {
      CHECK_EQ(rc, LFADS_E_TIMEOUT);
      CHECK_MSG("hang injected");
      CHECK_EQ(lfads_submit(dev, LFADS_MODE_ONLINE, bins[b], NIN, 1), LFADS_E_FAILED);
      break;
    }
  }
  lfads_close(dev);
  free(img);
}

int main(void) {
  printf("%s\n", lfads_version());
  RUN(test_uri_errors);
  RUN(test_handle_checks);
  RUN(test_valid_images);
  RUN(test_corrupt_images);
  RUN(test_errmsg_thread_local);
  RUN(test_xrt_no_card);
  RUN(test_emu_identity);
  RUN(test_emu_configurations);
  RUN(test_emu_online);
  TEST_EXIT();
}
