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

  /** The per-bin table: online against whole window, cycles converted at the report's clock, the ratio worked out by hand. */
  @Test
  void thePerBinTableComparesOnlineWithWholeWindow() {
    BenchReport report = new BenchReport(Path.of("unused"));
    assertFalse(report.markdown().contains("## Device cost per bin"), "no table without both modes");
    report.clockHz = 300e6;
    report.jnaNoopNanos = 190;
    BenchReport.BinRow whole = new BenchReport.BinRow("paper", "whole window", new BusCounters(5, 2, 1, 5120, 1, 21632, 1), 150_000, 1_200_000_000L, null);
    report.binRows.add(whole);
    report.binRows.add(new BenchReport.BinRow("paper", "online (one bin per run)", new BusCounters(0, 1, 1, 70, 1, 360, 1), 120_000, 900_000_000L, whole));
    String md = report.markdown();
    assertTrue(md.contains("## Device cost per bin: online kernel mode vs whole window (emu)"), md);
    assertTrue(md.contains("JNA call overhead (`lfads_noop`, median over 100 x 1000 calls): 0.190 us"), md);
    // 150000 cycles / 300 MHz = 500.0 us; 120000 / 150000 = 80.0 %
    assertTrue(md.contains("| paper | whole window | 5 | 2 | 5120 | 21632 | 1 | 150000 | 500.0 | 100 % |"), md);
    assertTrue(md.contains("| paper | online (one bin per run) | 0 | 1 | 70 | 360 | 1 | 120000 | 400.0 | 80.0 % |"), md);
  }
}
