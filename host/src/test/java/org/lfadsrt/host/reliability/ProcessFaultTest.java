package org.lfadsrt.host.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.record.RecordingReader;

/**
 * The CLI as a separate process, stopped the hard ways: SIGTERM mid-run (clean shutdown, summary, the
 * recording finished and renamed), SIGKILL mid-run (the .part file reads back to its last flushed
 * record, with the incomplete tail named, and never looks complete), and a status/log output that is a
 * full disk (the run completes regardless).
 */
@Timeout(600) // hang guards only: each child process may take minutes on a loaded machine
class ProcessFaultTest {
  @TempDir Path dir;

  static Process start(List<String> args, File stdout) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "org.lfadsrt.host.cli.Main"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (stdout != null) pb.redirectOutput(stdout);
    return pb.start();
  }

  static CompletableFuture<String> collect(java.io.InputStream in, StringBuffer live) {
    return CompletableFuture.supplyAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) live.append(line).append('\n');
      } catch (IOException ignored) {
        // process gone
      }
      return live.toString();
    });
  }

  static void awaitRecordingBytes(Path part, long bytes, Process p, StringBuffer out) throws Exception {
    long until = System.nanoTime() + 240_000_000_000L; // a hang guard
    while (System.nanoTime() < until) {
      if (!p.isAlive()) fail("process ended early:\n" + out);
      if (Files.exists(part) && Files.size(part) >= bytes) return;
      Thread.sleep(50);
    }
    fail("recording did not grow to " + bytes + " bytes:\n" + out);
  }

  static List<String> runArgs(Path rec) {
    return List.of("run", "--fast", "--port", "0", "--quiet", "--status-ms", "200", "--record", rec.toString(),
        "--record-flush-ms", "100");
  }

  @Test
  void sigtermStopsCleanlyPrintsTheSummaryAndFinishesTheRecording() throws Exception {
    Path rec = dir.resolve("term.lfrec");
    Path part = dir.resolve("term.lfrec.part");
    Process p = start(runArgs(rec), null);
    StringBuffer out = new StringBuffer();
    CompletableFuture<String> stdout = collect(p.getInputStream(), out);
    CompletableFuture<String> stderr = collect(p.getErrorStream(), new StringBuffer());
    awaitRecordingBytes(part, 100_000, p, out);
    long t0 = System.nanoTime();
    p.toHandle().destroy(); // SIGTERM (Process.destroy() would also close our ends of its pipes)
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "exits after SIGTERM");
    long exitMillis = (System.nanoTime() - t0) / 1_000_000;
    String text = stdout.get(60, TimeUnit.SECONDS);
    assertTrue(text.contains("lfads-rt summary:"), "summary printed; exit " + p.exitValue() + " after " + exitMillis
        + " ms; rec " + Files.exists(rec) + " part " + Files.exists(part) + "; cp " + System.getProperty("java.class.path") + " stdout:\n" + text
        + "\nstderr:\n" + stderr.get(60, TimeUnit.SECONDS));
    assertTrue(text.contains("recording: ") && text.contains("complete: " + rec), text);
    assertFalse(Files.exists(part), "no .part left behind");
    assertTrue(Files.exists(rec));
    long bins = 0, results = 0;
    RecordingReader.End end = null;
    try (RecordingReader rr = RecordingReader.open(rec)) {
      RecordingReader.Record r;
      while ((r = rr.next()) != null) {
        if (r.bin() != null && (r.bin().eventFlags() & 1) != 0) assertEquals(bins++, r.bin().binIndex());
        if (r.result() != null) results++;
        if (r.end() != null) end = r.end();
      }
      assertTrue(rr.complete());
    }
    assertNotNull(end);
    assertEquals(bins, end.binsIn(), "every ingested bin is in the file");
    assertEquals(results, end.published(), "every published result is in the file");
    assertEquals(end.binsIn(), end.published() + end.dropped());
    assertTrue(text.contains(end.binsIn() + " bins in"), "summary and file agree:\n" + text);
  }

  @Test
  void sigkillLeavesAPartFileThatReadsBackToTheLastFlushedRecord() throws Exception {
    Path rec = dir.resolve("kill.lfrec");
    Path part = dir.resolve("kill.lfrec.part");
    Process p = start(runArgs(rec), null);
    StringBuffer out = new StringBuffer();
    collect(p.getInputStream(), out);
    collect(p.getErrorStream(), new StringBuffer());
    awaitRecordingBytes(part, 200_000, p, out);
    p.toHandle().destroyForcibly(); // SIGKILL: no hook, no close
    assertTrue(p.waitFor(240, TimeUnit.SECONDS));
    assertFalse(Files.exists(rec), "a killed recording never appears complete");
    assertTrue(Files.size(part) >= 200_000);
    long bins = 0, results = 0, lastSeq = -1;
    try (RecordingReader rr = RecordingReader.open(part)) {
      RecordingReader.Record r;
      while ((r = rr.next()) != null) {
        if (r.bin() != null) assertEquals(bins++, r.bin().binIndex(), "bins in order, none missing before the tail");
        if (r.result() != null) {
          assertEquals(++lastSeq, r.result().seq());
          results++;
        }
      }
      assertFalse(rr.complete());
      assertNotNull(rr.tail(), "the incomplete tail is named");
      assertTrue(rr.tail().offset() + Math.max(0, rr.tail().bytes()) == Files.size(part) || rr.tail().bytes() == 0,
          "the tail is the end of the file: " + rr.tail() + " size " + Files.size(part));
    }
    assertTrue(bins > 500, "bins read back: " + bins);
    assertTrue(results > 500, "results read back: " + results);
  }

  @Test
  void aFullDiskForTheStatusOutputDoesNotStopTheRun() throws Exception {
    File full = new File("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(full.exists(), "needs /dev/full");
    Path rec = dir.resolve("full-log.lfrec");
    Process p = start(List.of("run", "--fast", "--bins", "3000", "--port", "0", "--status-ms", "50", "--record", rec.toString()),
        full);
    StringBuffer err = new StringBuffer();
    CompletableFuture<String> stderr = collect(p.getErrorStream(), err);
    assertTrue(p.waitFor(240, TimeUnit.SECONDS)); // hang guards: a loaded machine runs the child slowly
    assertEquals(0, p.exitValue(), "stderr:\n" + stderr.get(60, TimeUnit.SECONDS));
    try (RecordingReader rr = RecordingReader.open(rec)) {
      RecordingReader.End end = null;
      RecordingReader.Record r;
      while ((r = rr.next()) != null) if (r.end() != null) end = r.end();
      assertNotNull(end);
      assertEquals(3000, end.binsIn());
    }
  }
}
