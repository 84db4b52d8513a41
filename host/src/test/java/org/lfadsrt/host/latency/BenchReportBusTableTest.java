package org.lfadsrt.host.latency;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.backend.BusCounters;

/** The report's device-bus table: one row per device backend and model, the driver's counts in their columns. */
class BenchReportBusTableTest {
  @Test
  void aDeviceBackendsBusCostIsTabulated() {
    BenchReport report = new BenchReport(Path.of("unused"));
    assertFalse(report.markdown().contains("## Device bus cost"), "no table without a device backend");
    report.busRows.add(new BenchReport.BusRow("paper", "emu", "emu config=default, memory: read latency 32+0..9 cycles",
        new BusCounters(5, 3, 1, 5120, 1, 21632, 1), 151_000));
    String md = report.markdown();
    assertTrue(md.contains("## Device bus cost per window"), md);
    assertTrue(md.contains("| paper | emu | 5 | 3 | 1 | 5120 | 1 | 21632 | 1 | 151000 | emu config=default, memory: read latency 32+0..9 cycles |"), md);
  }
}
