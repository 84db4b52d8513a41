package org.lfadsrt.host.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.pipeline.HotPathLoop;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.Pipeline;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.pipeline.ResultSink;
import org.lfadsrt.host.record.Recorder;
import org.lfadsrt.host.record.RecordingFormat;
import org.lfadsrt.host.record.RecordingHeader;
import org.lfadsrt.host.record.RecordingReader;
import org.lfadsrt.host.record.RecordingSource;
import org.lfadsrt.host.record.ReplaySource;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.StreamInfo;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/**
 * Recording: every ingested bin and published result on disk, readable back, replayable to the same
 * results bit for bit; a cut file reads up to its last whole record with the tail named; a full disk
 * stops the recording, not the run.
 */
@Timeout(300) // a hang guard, generous for a loaded machine
class RecorderTest {
  static final LfadsModel MODEL = RandomModels.demo(new LfadsConfig(5, 6, 6, 7, 8, 0, 1, 0, 0, 4, 8, 3, 5.0), 9);
  @TempDir Path dir;

  /** Bins with trial markers, a negative (invalid) count and an index jump. */
  static final class ScriptedSource implements SpikeSource {
    final int n;
    final SplittableRandom r = new SplittableRandom(4);
    int i = -1;
    long index = -1;

    ScriptedSource(int n) {
      this.n = n;
    }

    public StreamInfo info() {
      return new StreamInfo("scripted", "SpikeCounts", "scripted", 5, 1_000_000, StreamInfo.numberedChannels(5));
    }

    public int next(int[] counts) {
      if (++i >= n) return END_OF_STREAM;
      index += i == 100 ? 500 : 1;
      for (int c = 0; c < counts.length; c++) counts[c] = r.nextInt(5);
      if (i == 37) counts[2] = -3;
      return BIN | (i % 50 == 0 ? TRIAL_START : 0);
    }

    public long binCompleteNanos() { return 1000L * i; }
    public long binIndex() { return index; }
    public void close() {}
  }

  static final class Collect implements ResultSink {
    final List<BinResult> got = new ArrayList<>();

    public void publish(BinResult r) {
      BinResult c = new BinResult(r.factors.length, r.rates.length, r.decoded.length);
      c.seq = r.seq;
      c.binIndex = r.binIndex;
      System.arraycopy(r.factors, 0, c.factors, 0, r.factors.length);
      System.arraycopy(r.rates, 0, c.rates, 0, r.rates.length);
      got.add(c);
    }
  }

  static RecordingHeader header() {
    return new RecordingHeader(5, 3, 7, 0, 6, 1_000_000, 0, "scripted", "test-model", "float");
  }

  private Path record(int bins, Collect live) throws Exception {
    Path file = dir.resolve("session.lfrec");
    Recorder rec = Recorder.create(file, header(), 1 << 16, 50, msg -> fail("unexpected: " + msg));
    PipelineStats stats = new PipelineStats();
    Pipeline p = new Pipeline(new FloatBackend(MODEL), Mode.ONLINE, null, r -> {
      live.publish(r);
      rec.publish(r);
    }, stats);
    new HotPathLoop(new RecordingSource(new ScriptedSource(bins), rec), p, -1, -1).run();
    assertTrue(Files.exists(dir.resolve("session.lfrec.part")), "written as .part while open");
    assertFalse(Files.exists(file));
    assertTrue(rec.close(stats.binsIn(), stats.publishedCount(), stats.droppedTotal()));
    assertEquals(1, stats.drops(DropReason.INVALID));
    assertFalse(Files.exists(dir.resolve("session.lfrec.part")), "renamed by the clean close");
    return file;
  }

  @Test
  void everyBinAndResultIsRecordedAndTheSessionReplaysBitIdentically() throws Exception {
    Collect live = new Collect();
    Path file = record(400, live);

    List<RecordingReader.Bin> bins = new ArrayList<>();
    List<RecordingReader.Result> results = new ArrayList<>();
    RecordingReader.End end = null;
    try (RecordingReader rr = RecordingReader.open(file)) {
      assertEquals(header(), rr.header());
      RecordingReader.Record r;
      while ((r = rr.next()) != null) {
        if (r.bin() != null) bins.add(r.bin());
        if (r.result() != null) results.add(r.result());
        if (r.end() != null) end = r.end();
      }
      assertTrue(rr.complete());
      assertNull(rr.tail());
    }
    assertEquals(400, bins.size());
    assertEquals(-3, bins.get(37).counts()[2], "invalid counts recorded as they came");
    assertEquals(599, bins.get(100).binIndex(), "index jump recorded");
    assertEquals(SpikeSource.BIN | SpikeSource.TRIAL_START, bins.get(50).eventFlags());
    assertEquals(live.got.size(), results.size());
    assertEquals(new RecordingReader.End(400, 399, 1, 0), end);
    for (int i = 0; i < results.size(); i++) {
      assertEquals(live.got.get(i).seq, results.get(i).seq());
      assertArrayEquals(live.got.get(i).factors, results.get(i).factors());
      assertArrayEquals(live.got.get(i).rates, results.get(i).rates());
    }

    // replay through a fresh pipeline with the same model: the same results, bit for bit
    Collect replayed = new Collect();
    PipelineStats stats = new PipelineStats();
    Pipeline p = new Pipeline(new FloatBackend(MODEL), Mode.ONLINE, null, replayed, stats);
    new HotPathLoop(new ReplaySource(file, false), p, -1, -1).run();
    assertEquals(400, stats.binsIn());
    assertEquals(results.size(), replayed.got.size());
    for (int i = 0; i < results.size(); i++) {
      assertEquals(results.get(i).seq(), replayed.got.get(i).seq);
      assertEquals(results.get(i).binIndex(), replayed.got.get(i).binIndex);
      assertArrayEquals(results.get(i).factors(), replayed.got.get(i).factors, "result " + i);
      assertArrayEquals(results.get(i).rates(), replayed.got.get(i).rates, "result " + i);
    }
  }

  @Test
  void aCutFileReadsBackToTheLastWholeRecordAndNamesTheTail() throws Exception {
    Path file = record(100, new Collect());
    long size = Files.size(file);
    long records;
    try (RecordingReader rr = RecordingReader.open(file)) {
      while (rr.next() != null) { }
      records = rr.records();
    }
    // cut inside the last-but-one record (the END record is 44 bytes)
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size - 44 - 7);
    }
    try (RecordingReader rr = RecordingReader.open(file)) {
      int n = 0;
      while (rr.next() != null) n++;
      assertEquals(records - 2, n);
      assertFalse(rr.complete());
      assertNotNull(rr.tail());
      assertTrue(rr.tail().reason().startsWith("incomplete tail"), rr.tail().reason());
      assertTrue(rr.tail().bytes() > 0);
    }
    // a flipped byte: CRC mismatch names the record
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x40;
    Files.write(file, b);
    try (RecordingReader rr = RecordingReader.open(file)) {
      while (rr.next() != null) { }
      assertNotNull(rr.tail());
      assertTrue(rr.tail().reason().contains("CRC mismatch") || rr.tail().reason().contains("corrupt"), rr.tail().reason());
    } catch (RecordingReader.RecordingFormatException e) {
      assertTrue(e.getMessage().contains("record at offset"), e.getMessage()); // a CRC-valid but inconsistent record
    }
  }

  @Test
  void aFullDiskStopsTheRecordingNotTheRunAndTellsTheOperator() throws Exception {
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "needs /dev/full");
    List<String> operator = new ArrayList<>();
    FileChannel ch = FileChannel.open(full, StandardOpenOption.WRITE);
    Recorder rec = Recorder.onChannel(ch, header(), 1 << 14, 10, m -> {
      synchronized (operator) {
        operator.add(m);
      }
    });
    PipelineStats stats = new PipelineStats();
    Collect live = new Collect();
    Pipeline p = new Pipeline(new FloatBackend(MODEL), Mode.ONLINE, null, r -> {
      live.publish(r);
      rec.publish(r);
    }, stats);
    new HotPathLoop(new RecordingSource(new ScriptedSource(3000), rec), p, -1, -1).run();
    assertFalse(rec.close(stats.binsIn(), stats.publishedCount(), stats.droppedTotal()));
    assertEquals(3000, stats.binsIn());
    assertEquals(3000, stats.publishedCount() + stats.droppedTotal(), "the run is unaffected");
    assertEquals(2999, live.got.size());
    assertNotNull(rec.failure());
    assertTrue(rec.failure().getMessage().contains("No space left"), rec.failure().getMessage());
    assertEquals(1, operator.size(), "reported once: " + operator);
    assertTrue(operator.get(0).startsWith("recording stopped"), operator.get(0));
    assertTrue(rec.lostRecords() > 0);
  }

  @Test
  void aSlowDiskLosesRecordsCountedAndMarkedNeverBlocksTheHotPath() throws Exception {
    // A disk that stalls completely after the header until the test lets it go, buffers of 16 KiB. The
    // hot path must finish all its bins while the disk is stuck: if it waited for the disk it would never
    // finish (the class timeout fails it), so no clock is needed to tell "did not wait".
    java.io.ByteArrayOutputStream disk = new java.io.ByteArrayOutputStream();
    java.util.concurrent.CountDownLatch diskStuck = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
    java.nio.channels.WritableByteChannel slow = new java.nio.channels.WritableByteChannel() {
      boolean open = true;

      public int write(java.nio.ByteBuffer src) throws java.io.IOException {
        if (writes.getAndIncrement() > 0) { // the header (written on the constructing thread) goes through
          try {
            diskStuck.await();
          } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
          }
        }
        int n = src.remaining();
        byte[] b = new byte[n];
        src.get(b);
        synchronized (disk) {
          disk.write(b, 0, n);
        }
        return n;
      }

      public boolean isOpen() { return open; }
      public void close() { open = false; }
    };
    Recorder rec = Recorder.onChannel(slow, header(), 1 << 14, 10, m -> {});
    int[] counts = new int[5];
    for (int i = 0; i < 20_000; i++) rec.bin(SpikeSource.BIN, counts, 5, i, i);
    assertTrue(rec.lostRecords() > 0, "records were lost, not waited for");
    diskStuck.countDown();
    assertTrue(rec.close(20_000, 0, 20_000));
    long bins = 0, gapLost = 0;
    byte[] bytes;
    synchronized (disk) {
      bytes = disk.toByteArray();
    }
    try (RecordingReader rr = new RecordingReader(new java.io.ByteArrayInputStream(bytes), "slow")) {
      RecordingReader.Record r;
      while ((r = rr.next()) != null) {
        if (r.bin() != null) bins++;
        if (r.type() == RecordingFormat.GAP) gapLost += r.gapLost();
        if (r.end() != null) assertEquals(rec.lostRecords(), r.end().recordsLost());
      }
      assertTrue(rr.complete(), String.valueOf(rr.tail()));
    }
    assertEquals(20_000, bins + gapLost, "every bin is either in the file or counted in a GAP record");
  }
}
