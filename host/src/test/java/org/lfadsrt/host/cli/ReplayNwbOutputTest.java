package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.record.NwbResultWriterTest;
import org.lfadsrt.host.source.NwbFixtures;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.LfadsOutput;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

/**
 * {@code replay --record-nwb}: a two-session lfads-torch-style model (session sessB, 7 channels) replays an NWB file
 * whose units sit in processing/ecephys/units and have an obs_intervals gap; the NWB it writes is read back with
 * h5py (schema checks in check_nwb.py) and its last factors/rates rows match FloatLfads on the same window.
 */
class ReplayNwbOutputTest {
  @TempDir Path dir;

  @Test
  void replayWritesFactorsAndRatesAsNwb() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
    Path in = dir.resolve("in.nwb");
    NwbFixtures.run(in, "--variant", "--units-path", "processing/ecephys/units", "--units", "7", "--duration", "1",
        "--obs-gap", "0.4", "0.5", "--seed", "4");
    JsonNode exp = new ObjectMapper().readTree(Path.of(in + ".expected.json").toFile());
    Path root = Path.of(System.getProperty("lfadsrt.root", "..")).toAbsolutePath().normalize();
    Path model = root.resolve("sim/src/test/resources/lfads_torch/multisession/model.npz");
    Path out = dir.resolve("out.nwb");
    String text = CalibrateAndReplayCommandTest.run("replay", in.toString(), "--model", model.toString(), "--session",
        "sessB", "--backend", "float", "--port", "0", "--record-nwb", out.toString());
    int bins = exp.get("bins").asInt();
    assertTrue(text.contains("units table /processing/ecephys/units (7 units replayed), session start "
        + "2026-12-01T10:00:00+00:00"), text);
    assertTrue(text.contains("replay: " + exp.get("unobserved").size() + " of " + bins
        + " bins outside some unit's obs_intervals (results flagged unobserved)"), text);
    assertTrue(text.contains("replay: NWB 2.7.0: " + bins + " results (factors, rates) -> " + out), text);

    JsonNode j = NwbResultWriterTest.check(out);
    assertTrue(j.get("description").asText().contains("session sessB, backend float, mode online, reconstruction Poisson"),
        j.get("description").asText());
    JsonNode fac = j.get("series").get("factors"), rates = j.get("series").get("rates");
    assertEquals("[" + bins + ",6]", fac.get("shape").toString());
    assertEquals("[" + bins + ",9]", rates.get("shape").toString());
    assertEquals(0.01, fac.get("first_ts").asDouble(), 1e-12, "bin 0 ends at 10 ms");
    assertEquals(bins * 0.01, fac.get("last_ts").asDouble(), 1e-9);
    // every result whose window held an unobserved bin is in intervals/invalid_times (runs of consecutive bins)
    JsonNode invalid = j.get("invalid_times");
    assertTrue(invalid.isArray() && invalid.size() >= 1, String.valueOf(invalid));
    double invalidSeconds = 0;
    for (JsonNode run : invalid) invalidSeconds += run.get(1).asDouble() - run.get(0).asDouble();
    assertTrue(invalidSeconds >= exp.get("unobserved").size() * 0.01 - 1e-9, "at least the unobserved bins: " + invalid);

    LfadsModel m = ModelFile.load(model, "sessB");
    int tEnc = m.config().encodSeqLen();
    int[][] window = new int[tEnc][7];
    for (int t = 0; t < tEnc; t++) {
      JsonNode row = exp.get("counts").get(bins - tEnc + t);
      for (int c = 0; c < 7; c++) window[t][c] = row.get(c).asInt();
    }
    LfadsOutput want = new FloatLfads(m).infer(window);
    for (int k = 0; k < 6; k++) {
      assertEquals(want.factors()[tEnc - 1][k], fac.get("last_row").get(k).asDouble(), 1e-6, "factor " + k);
    }
    for (int k = 0; k < 9; k++) {
      assertEquals(want.rates()[tEnc - 1][k], rates.get("last_row").get(k).asDouble(),
          1e-6 * Math.max(1, want.rates()[tEnc - 1][k]), "rate " + k);
    }
  }

  @Test
  void fixedPointReplayPrintsTheFidelityEstimate() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
    Path in = dir.resolve("in.nwb");
    NwbFixtures.run(in, "--variant", "--units", "7", "--duration", "0.3", "--seed", "6");
    Path root = Path.of(System.getProperty("lfadsrt.root", "..")).toAbsolutePath().normalize();
    Path model = root.resolve("sim/src/test/resources/lfads_torch/multisession/model.npz");
    String text = CalibrateAndReplayCommandTest.run("replay", in.toString(), "--model", model.toString(), "--session",
        "1", "--backend", "fixed", "--port", "0");
    assertTrue(text.contains("lfads-rt: fixed-point fidelity (quantizer estimate, W=16, 32 calibration trials)"), text);
    assertTrue(text.contains("goals met (synthetic calibration spikes; quantize on real data with `quantize`)"), text);
  }

  @Test
  void trialModeReplayWritesEachTrialsBins() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
    Path in = dir.resolve("trials.nwb");
    NwbFixtures.run(in, "--units", "7", "--duration", "1", "--bin-ms", "10", "--seed", "8", "--trials", "10");
    JsonNode exp = new ObjectMapper().readTree(Path.of(in + ".expected.json").toFile());
    Path root = Path.of(System.getProperty("lfadsrt.root", "..")).toAbsolutePath().normalize();
    Path model = root.resolve("sim/src/test/resources/lfads_torch/multisession/model.npz");
    Path out = dir.resolve("trials-out.nwb");
    CalibrateAndReplayCommandTest.run("replay", in.toString(), "--model", model.toString(), "--session", "sessB",
        "--backend", "float", "--port", "0", "--mode", "trial", "--record-nwb", out.toString());
    int inTrials = 0;
    for (int i = 0; i < 10; i++) {
      inTrials += exp.get("trial_end_bins").get(i).asInt() - exp.get("trial_start_bins").get(i).asInt() + 1;
    }
    JsonNode j = NwbResultWriterTest.check(out); // ascending timestamps checked there
    assertEquals(inTrials, j.get("series").get("factors").get("shape").get(0).asInt(), "one row per bin inside a trial");
    assertTrue(j.get("description").asText().contains("mode trial"));
    // infer on the same trials writes the same rows: InferNwbOutputTest
  }

  @Test
  void runFromAnNwbSourceWithSeveralTablesWritesNwbToo() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
    Path in = dir.resolve("two.nwb");
    NwbFixtures.run(in, "--variant", "--units-path", "processing/ecephys/units", "--second-table", "units", "--units",
        "7", "--duration", "0.4", "--seed", "2");
    Path root = Path.of(System.getProperty("lfadsrt.root", "..")).toAbsolutePath().normalize();
    Path model = root.resolve("sim/src/test/resources/lfads_torch/multisession/model.npz");
    RunCommandTest.Outcome o = RunCommandTest.run("run", "--source", "nwb:" + in, "--model", model.toString(),
        "--session", "sessB", "--backend", "float", "--fast", "--port", "0", "--quiet");
    assertTrue(o.code() != 0 && o.err().contains("several Units tables (units, processing/ecephys/units); choose one "
        + "with --units-table PATH"), o.out() + o.err());
    Path out = dir.resolve("run.nwb");
    o = RunCommandTest.run("run", "--source", "nwb:" + in, "--units-table", "processing/ecephys/units", "--model",
        model.toString(), "--session", "sessB", "--backend", "float", "--fast", "--port", "0", "--quiet",
        "--record-nwb", out.toString());
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("run: NWB 2.7.0: 40 results (factors, rates) -> " + out), o.out());
    JsonNode j = NwbResultWriterTest.check(out);
    assertEquals(40, j.get("series").get("rates").get("shape").get(0).asInt());
  }
}
