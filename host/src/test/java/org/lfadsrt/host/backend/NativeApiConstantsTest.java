package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JNA binding's copies of the C API's constants (drivers/include/lfads.h: error codes, counter indices and scopes,
 * submission modes) agree with the header, and {@link BusCounters} lists the counters in the header's order.
 */
class NativeApiConstantsTest {
  private static Map<String, Integer> header() throws Exception {
    Path h = Path.of(System.getProperty("lfadsrt.root", ".."), "drivers", "include", "lfads.h");
    if (!Files.isRegularFile(h)) h = Path.of("drivers", "include", "lfads.h");
    Map<String, Integer> m = new HashMap<>();
    Matcher d = Pattern.compile("#define (LFADS_\\w+) \\(?(-?\\d+)\\)?").matcher(Files.readString(h));
    while (d.find()) m.put(d.group(1), Integer.parseInt(d.group(2)));
    return m;
  }

  @Test
  void javaConstantsMatchLfadsH() throws Exception {
    Map<String, Integer> c = header();
    assertEquals(c.get("LFADS_E_INVALID"), LfadsNative.E_INVALID);
    assertEquals(c.get("LFADS_E_NOT_AVAILABLE"), LfadsNative.E_NOT_AVAILABLE);
    assertEquals(c.get("LFADS_E_DEVICE"), LfadsNative.E_DEVICE);
    assertEquals(c.get("LFADS_E_TIMEOUT"), LfadsNative.E_TIMEOUT);
    assertEquals(c.get("LFADS_E_BAD_IMAGE"), LfadsNative.E_BAD_IMAGE);
    assertEquals(c.get("LFADS_E_NO_IMAGE"), LfadsNative.E_NO_IMAGE);
    assertEquals(c.get("LFADS_E_NOMEM"), LfadsNative.E_NOMEM);
    assertEquals(c.get("LFADS_E_LOST"), LfadsNative.E_LOST);
    assertEquals(c.get("LFADS_E_FAILED"), LfadsNative.E_FAILED);
    assertEquals(c.get("LFADS_E_BUSY"), LfadsNative.E_BUSY);
    assertEquals(c.get("LFADS_COUNTERS_LAST_CALL"), LfadsNative.COUNTERS_LAST_CALL);
    assertEquals(c.get("LFADS_COUNTERS_TOTAL"), LfadsNative.COUNTERS_TOTAL);
    assertEquals(c.get("LFADS_MODE_TRIALS"), LfadsNative.MODE_TRIALS);
    assertEquals(c.get("LFADS_MODE_ONLINE"), LfadsNative.MODE_ONLINE);
    assertEquals(c.get("LFADS_MODE_ONLINE_RESET"), LfadsNative.MODE_ONLINE_RESET);
    assertEquals(c.get("LFADS_ONLINE_OUT_STATUS_WORDS"), LfadsNative.ONLINE_OUT_STATUS_WORDS);
    assertEquals(org.lfadsrt.sim.contract.KernelContract.ONLINE_STATUS_BYTES / 4, LfadsNative.ONLINE_OUT_STATUS_WORDS);
  }

  @Test
  void busCountersFollowTheHeadersOrder() throws Exception {
    Map<String, Integer> c = header();
    assertEquals(c.get("LFADS_COUNT_WORDS"), BusCounters.WORDS);
    long[] words = new long[BusCounters.WORDS];
    for (int i = 0; i < words.length; i++) words[i] = 100 + i;
    BusCounters b = BusCounters.of(words);
    assertEquals(100 + c.get("LFADS_COUNT_REG_READS"), b.regReads());
    assertEquals(100 + c.get("LFADS_COUNT_REG_WRITES"), b.regWrites());
    assertEquals(100 + c.get("LFADS_COUNT_SYNCS_TO_DEVICE"), b.syncsToDevice());
    assertEquals(100 + c.get("LFADS_COUNT_BYTES_TO_DEVICE"), b.bytesToDevice());
    assertEquals(100 + c.get("LFADS_COUNT_SYNCS_FROM_DEVICE"), b.syncsFromDevice());
    assertEquals(100 + c.get("LFADS_COUNT_BYTES_FROM_DEVICE"), b.bytesFromDevice());
    assertEquals(100 + c.get("LFADS_COUNT_KERNEL_RUNS"), b.kernelRuns());
    assertTrue(b.toString().contains("100 register reads"), b.toString());
  }
}
