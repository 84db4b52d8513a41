package org.lfadsrt.host.source;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NWB replay on files written by h5py (gzip + shuffle, as pynwb writes them) and by jhdf's writer. */
class NwbReplaySourceTest {
  @TempDir static Path dir;
  static Path file;
  static JsonNode expected;

  @BeforeAll
  static void generate() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with python3-h5py (scripts/setup.sh test)");
    file = dir.resolve("session.nwb");
    NwbFixtures.run(file, "--units", "10", "--duration", "3", "--bin-ms", "10", "--seed", "7", "--heldout-every", "4",
        "--trials", "3");
    expected = new ObjectMapper().readTree(Path.of(file + ".expected.json").toFile());
  }

  @Test
  void binsHeldInUnitsExactlyAsNumpyHistogramDoes() throws Exception {
    try (NwbReplaySource src = new NwbReplaySource(file, null, 10_000_000L, false)) {
      assertEquals(expected.get("held_in").size(), src.info().channelCount(), "held-out units are skipped by default");
      assertEquals("unit100", src.info().channelNames().get(0));
      assertEquals(expected.get("bins").asLong(), src.totalBins());
      int[] counts = new int[src.info().channelCount()];
      int bin = 0, starts = 0, ends = 0;
      JsonNode startBins = expected.get("trial_start_bins"), endBins = expected.get("trial_end_bins");
      int flags;
      while ((flags = src.next(counts)) != SpikeSource.END_OF_STREAM) {
        assertTrue((flags & SpikeSource.BIN) != 0);
        JsonNode want = expected.get("counts").get(bin);
        for (int c = 0; c < counts.length; c++) assertEquals(want.get(c).asInt(), counts[c], "bin " + bin + " unit " + c);
        if ((flags & SpikeSource.TRIAL_START) != 0) assertEquals(startBins.get(starts++).asInt(), bin);
        if ((flags & SpikeSource.TRIAL_END) != 0) assertEquals(endBins.get(ends++).asInt(), bin);
        assertEquals(bin, src.binIndex());
        bin++;
      }
      assertEquals(expected.get("bins").asInt(), bin);
      assertEquals(3, starts);
      assertEquals(3, ends);
    }
  }

  @Test
  void explicitUnitSelectionIncludesHeldOutUnits() throws Exception {
    try (NwbReplaySource src = new NwbReplaySource(file, new int[] {3, 0}, 10_000_000L, false)) {
      assertEquals(2, src.info().channelCount());
      assertEquals("unit103", src.info().channelNames().get(0));
      assertEquals("unit100", src.info().channelNames().get(1));
    }
    IOException e = assertThrows(IOException.class, () -> new NwbReplaySource(file, new int[] {10}, 10_000_000L, false));
    assertTrue(e.getMessage().contains("unit 10 out of range 0..9"), e.getMessage());
  }

  @Test
  void pacedReplayReleasesBinsAtTheirWallClockEnd() throws Exception {
    try (NwbReplaySource src = new NwbReplaySource(file, null, 2_000_000L, true)) {
      int[] counts = new int[src.info().channelCount()];
      long start = System.nanoTime();
      for (int i = 0; i < 25; i++) src.next(counts);
      // not a latency assertion: pacing can only make replay slower than 25 x 2 ms, never faster
      assertTrue(System.nanoTime() - start >= 48_000_000L, "paced replay ran faster than real time");
      assertTrue(src.binCompleteNanos() - start >= 48_000_000L);
    }
  }

  @Test
  void filesWrittenByJhdfAreReadToo() throws Exception {
    Path f = dir.resolve("jhdf.nwb");
    try (WritableHdfFile w = HdfFile.write(f)) {
      WritableGroup units = w.putGroup("units");
      units.putDataset("spike_times", new double[] {0.001, 0.015, 0.0151, 0.002, 0.025});
      units.putDataset("spike_times_index", new long[] {3, 5});
    }
    try (NwbReplaySource src = new NwbReplaySource(f, null, 10_000_000L, false)) {
      int[] c = new int[2];
      assertEquals(SpikeSource.BIN, src.next(c));
      assertArrayEquals(new int[] {1, 1}, c);
      src.next(c);
      assertArrayEquals(new int[] {2, 0}, c);
      src.next(c);
      assertArrayEquals(new int[] {0, 1}, c);
      assertEquals(SpikeSource.END_OF_STREAM, src.next(c));
    }
  }

  @Test
  void badFilesGetErrorsNamingFileAndDataset() throws Exception {
    IOException missing = assertThrows(IOException.class, () -> NwbRecording.open(dir.resolve("nope.nwb"), null));
    assertTrue(missing.getMessage().contains("nope.nwb"));
    Path noUnits = dir.resolve("nounits.nwb");
    try (WritableHdfFile w = HdfFile.write(noUnits)) {
      w.putGroup("acquisition");
    }
    IOException e = assertThrows(IOException.class, () -> NwbRecording.open(noUnits, null));
    assertTrue(e.getMessage().contains("no Units table with spike_times and spike_times_index (looked at units and "
        + "processing/*/*)"), e.getMessage());
    Path badIndex = dir.resolve("badindex.nwb");
    try (WritableHdfFile w = HdfFile.write(badIndex)) {
      WritableGroup units = w.putGroup("units");
      units.putDataset("spike_times", new double[] {0.1, 0.2});
      units.putDataset("spike_times_index", new long[] {2, 1});
    }
    e = assertThrows(IOException.class, () -> NwbRecording.open(badIndex, null));
    assertTrue(e.getMessage().contains("spike_times_index[1] = 1"), e.getMessage());
    Path notHdf = dir.resolve("text.nwb");
    Files.writeString(notHdf, "this is not HDF5");
    e = assertThrows(IOException.class, () -> NwbRecording.open(notHdf, null));
    assertTrue(e.getMessage().startsWith(notHdf.toString()), e.getMessage());
  }
}
