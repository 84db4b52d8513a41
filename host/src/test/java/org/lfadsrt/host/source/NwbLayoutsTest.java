package org.lfadsrt.host.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NWB layouts beyond {@code /units} (host/src/test/python/make_nwb.py --variant, expected binning from numpy):
 * a Units table in a processing module, several tables, obs_intervals, spikes before the session start, empty
 * datasets, lzf + fletcher32 filters, missing behaviour.
 */
class NwbLayoutsTest {
  static final long BIN = 10_000_000L;
  @TempDir Path dir;

  @BeforeAll
  static void needsH5py() {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
  }

  Path make(String name, String... args) throws Exception {
    Path f = dir.resolve(name + ".nwb");
    String[] all = new String[args.length + 1];
    all[0] = "--variant";
    System.arraycopy(args, 0, all, 1, args.length);
    NwbFixtures.run(f, all);
    return f;
  }

  static JsonNode expected(Path f) throws IOException {
    return new ObjectMapper().readTree(Path.of(f + ".expected.json").toFile());
  }

  /** Replays all bins, checking counts against numpy and collecting the bins flagged unobserved. */
  static Set<Integer> replay(NwbReplaySource src, JsonNode exp) throws Exception {
    int[] c = new int[src.info().channelCount()];
    Set<Integer> unobserved = new HashSet<>();
    int bin = 0;
    for (int flags; (flags = src.next(c)) != SpikeSource.END_OF_STREAM; bin++) {
      JsonNode want = exp.get("counts").get(bin);
      for (int u = 0; u < c.length; u++) assertEquals(want.get(u).asInt(), c[u], "bin " + bin + " unit " + u);
      if ((flags & SpikeSource.UNOBSERVED) != 0) unobserved.add(bin);
    }
    assertEquals(exp.get("bins").asInt(), bin);
    return unobserved;
  }

  @Test
  void unitsInAProcessingModuleAreFound() throws Exception {
    Path f = make("ecephys", "--units-path", "processing/ecephys/units", "--units", "4", "--seed", "3");
    try (NwbReplaySource src = new NwbReplaySource(f, null, BIN, false)) {
      assertEquals("processing/ecephys/units", src.recording().unitsTable());
      assertEquals("2026-12-01T10:00:00+00:00", src.recording().sessionStartTime());
      assertTrue(replay(src, expected(f)).isEmpty());
    }
  }

  @Test
  void severalUnitsTablesAreListedAndOneIsChosenByPath() throws Exception {
    Path f = make("two", "--units-path", "processing/ecephys/units", "--second-table", "units", "--units", "3");
    IOException e = assertThrows(IOException.class, () -> NwbRecording.open(f, null));
    assertTrue(e.getMessage().endsWith("several Units tables (units, processing/ecephys/units); choose one with "
        + "--units-table PATH"), e.getMessage());
    try (NwbReplaySource src = new NwbReplaySource(f, null, "/processing/ecephys/units", BIN, false)) {
      assertEquals("processing/ecephys/units", src.recording().unitsTable());
      replay(src, expected(f));
    }
    e = assertThrows(IOException.class, () -> NwbRecording.open(f, null, "processing/ecephys"));
    assertTrue(e.getMessage().contains("--units-table processing/ecephys is not a Units table"), e.getMessage());
  }

  @Test
  void binsOutsideObsIntervalsAreFlaggedNotSilentlyZero() throws Exception {
    Path f = make("obs", "--obs-gap", "0.5", "0.8", "--units", "4", "--seed", "5");
    JsonNode exp = expected(f);
    Set<Integer> want = new HashSet<>();
    exp.get("unobserved").forEach(n -> want.add(n.asInt()));
    assertTrue(want.size() > 30, "fixture has a gap: " + want.size());
    try (NwbReplaySource src = new NwbReplaySource(f, null, BIN, false)) {
      assertEquals(want, replay(src, exp));
      assertEquals(want.size(), src.unobservedBins());
      assertTrue(src.describe().contains("bins outside a unit's obs_intervals are flagged unobserved"));
    }
  }

  @Test
  void spikesBeforeTheSessionStartAreCountedAndReported() throws Exception {
    Path f = make("neg", "--negative", "3", "--units", "4");
    JsonNode exp = expected(f);
    try (NwbReplaySource src = new NwbReplaySource(f, null, BIN, false)) {
      assertEquals(exp.get("negative").asLong(), src.recording().spikesBeforeSessionStart());
      assertEquals(12, src.spikesBeforeFirstBin());
      assertTrue(src.describe().contains("12 spikes before bin 0 (12 before the session start) not replayed"),
          src.describe());
      replay(src, exp);
    }
  }

  @Test
  void emptySpikeTimesGetAnExactMessage() throws Exception {
    Path f = make("empty", "--empty", "--units", "3");
    IOException e = assertThrows(IOException.class, () -> NwbRecording.open(f, null));
    assertEquals(f + ": units/spike_times is empty: the 3 units have no spikes, nothing to replay", e.getMessage());
  }

  @Test
  void lzfWithFletcher32IsReadExactly() throws Exception {
    // jhdf 0.9.4 alone fails here (Index -50 out of bounds); Fletcher32Filter verifies and strips the checksum
    Path f = make("lzf", "--lzf-fletcher", "--units", "3", "--seed", "9");
    try (NwbReplaySource src = new NwbReplaySource(f, null, BIN, false)) {
      replay(src, expected(f));
    }
  }

  @Test
  void corruptedFletcher32ChunkIsRejected() {
    // (the lzf file above is the independent check of the checksum itself: h5py computed it, the filter verified it)
    byte[] chunk = new byte[1001];
    for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (i * 37 + 11);
    long sum = Fletcher32Filter.checksum(chunk, chunk.length);
    byte[] stored = java.util.Arrays.copyOf(chunk, chunk.length + 4);
    for (int k = 0; k < 4; k++) stored[chunk.length + k] = (byte) (sum >>> (8 * k));
    Fletcher32Filter f = new Fletcher32Filter();
    org.junit.jupiter.api.Assertions.assertArrayEquals(chunk, f.decode(stored, new int[0]));
    stored[500] ^= 4;
    io.jhdf.exceptions.HdfFilterException e = assertThrows(io.jhdf.exceptions.HdfFilterException.class,
        () -> f.decode(stored, new int[0]));
    assertTrue(e.getMessage().startsWith("fletcher32 checksum mismatch"), e.getMessage());
  }

  @Test
  void channelMismatchNamesTheUnitsOption() throws Exception {
    Path f = make("four", "--units", "4");
    org.lfadsrt.sim.model.LfadsModel m = org.lfadsrt.sim.model.RandomModels.random(
        new org.lfadsrt.sim.model.LfadsConfig(5, 6, 6, 5, 4, 0, 1, 0, 0, 3, 6, 2, 5.0), 1);
    try (NwbReplaySource src = new NwbReplaySource(f, null, BIN, false)) {
      org.lfadsrt.host.pipeline.Pipeline p = new org.lfadsrt.host.pipeline.Pipeline(
          new org.lfadsrt.host.backend.FloatBackend(m), org.lfadsrt.host.pipeline.Mode.ONLINE, null, r -> {},
          new org.lfadsrt.host.metrics.PipelineStats());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new org.lfadsrt.host.pipeline.HotPathLoop(src, p, -1, -1));
      assertTrue(e.getMessage().endsWith("has 4 channels but the model expects N_in = 5; choose 5 unit rows of the "
          + "Units table with --units ROW,ROW,..."), e.getMessage());
    }
  }

  @Test
  void missingBehaviourGetsAnExactMessageListingTheSeries() throws Exception {
    Path f = make("nobeh", "--units-path", "processing/ecephys/units", "--units", "2");
    IOException e = assertThrows(IOException.class,
        () -> NwbRecording.readBehaviour(f, "processing/behavior/hand_vel"));
    assertEquals(f + ": no behaviour time series at processing/behavior/hand_vel (a TimeSeries with data and "
        + "timestamps); the file has no behaviour data in processing/*", e.getMessage());
  }
}
