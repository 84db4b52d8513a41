package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.record.NwbResultWriterTest;
import org.lfadsrt.host.source.NwbFixtures;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.LfadsOutput;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;

/**
 * {@code infer} on an NWB recording: its intervals/trials binned as replay bins them (checked against the counts
 * make_nwb.py computes with numpy, and against FloatLfads on those windows), and {@code --record-nwb}: the NWB file
 * read back with h5py (check_nwb.py: every required attribute of NWBFile, ProcessingModule, TimeSeries and the
 * invalid_times TimeIntervals), its rows equal to infer's own .npz, timestamped with the input's bin ends, and equal
 * to what {@code replay --mode trial --record-nwb} writes for the same trials.
 */
class InferNwbOutputTest {
  @TempDir Path dir;

  static Path multisession() {
    Path root = Path.of(System.getProperty("lfadsrt.root", "..")).toAbsolutePath().normalize();
    return root.resolve("sim/src/test/resources/lfads_torch/multisession/model.npz");
  }

  @Test
  void inferWritesEachTrialsBinsAsNwbWithTheInputsTimesAndObsIntervals() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
    Path in = dir.resolve("in.nwb");
    // 12 trials every 1/12 s from 0.05 s, of 2.5, 5.8 and 10.8 bins in turn (the last kind overlaps the next trial
    // and is longer than T_enc = 10); units in a processing module; every unit misses [0.4, 0.5), odd ones [0, 0.1)
    NwbFixtures.run(in, "--variant", "--units-path", "processing/ecephys/units", "--units", "7", "--duration", "1",
        "--obs-gap", "0.4", "0.5", "--trials", "12", "--seed", "11");
    JsonNode exp = new ObjectMapper().readTree(Path.of(in + ".expected.json").toFile());
    Path npz = dir.resolve("o.npz"), out = dir.resolve("o.nwb");
    InferCommandTest.Result r = InferCommandTest.run("infer", "--model", multisession().toString(), "--session", "sessB",
        "--spikes", in.toString(), "--out", npz.toString(), "--record-nwb", out.toString());
    assertEquals(0, r.code(), r.out() + r.err());

    LfadsModel m = ModelFile.load(multisession(), "sessB");
    int tEnc = m.config().encodSeqLen(), tRec = m.config().reconSeqLen(), trials = 12, units = 7;
    double t0 = exp.get("t0").asDouble(), w = 0.01;
    Set<Integer> unobservedBins = new HashSet<>();
    exp.get("unobserved").forEach(b -> unobservedBins.add(b.asInt()));
    NpzReader o = NpzReader.open(npz);
    double[] factors = o.array("factors").doubleData(), rates = o.array("rates").doubleData();
    assertEquals("(12, 12, 6)", o.array("factors").shapeString());
    FloatLfads reference = new FloatLfads(m);
    int[] first = new int[trials], inTrial = new int[trials];
    boolean[] unobserved = new boolean[trials];
    int truncated = 0;
    for (int k = 0; k < trials; k++) {
      first[k] = exp.get("trial_start_bins").get(k).asInt();
      int last = exp.get("trial_end_bins").get(k).asInt();
      if (last - first[k] + 1 > tEnc) truncated++;
      inTrial[k] = Math.min(last - first[k] + 1, tEnc);
      int[][] window = new int[tEnc][units]; // zero after the trial's last bin, as replay --mode trial pads
      for (int t = 0; t < inTrial[k]; t++) {
        for (int c = 0; c < units; c++) window[t][c] = exp.get("counts").get(first[k] + t).get(c).asInt();
        if (unobservedBins.contains(first[k] + t)) unobserved[k] = true;
      }
      LfadsOutput want = reference.infer(window);
      for (int s = 0; s < tRec; s++) {
        for (int j = 0; j < 6; j++) {
          assertEquals(want.factors()[s][j], factors[(k * tRec + s) * 6 + j], 1e-9, "trial " + k + " step " + s);
        }
      }
      assertEquals(t0 + first[k] * w, o.array("trial_start_time").get(k), 1e-12);
      assertEquals(inTrial[k], o.array("trial_bins").longData()[k]);
      assertEquals(unobserved[k] ? 1 : 0, o.array("trial_unobserved").longData()[k], "trial " + k);
    }
    assertTrue(truncated == 3 && unobserved[0], "the fixture has 3 long trials (2, 5, 8) and an unobserved one: " + truncated);
    assertTrue(r.out().contains("infer: 12 trials of intervals/trials in windows of 10 bins of 10.0 ms"), r.out());
    assertTrue(r.out().contains("3 trials longer than 10 bins"), r.out());
    assertTrue(r.out().contains("infer: NWB 2.7.0: "), r.out());

    // the rows the NWB file must hold, worked out here: each trial's bins inside its window, in start order, a bin
    // shared with an earlier trial skipped; values from the .npz at (trial, step)
    List<long[]> rows = new ArrayList<>(); // {bin, trial, step}
    long lastBin = -1;
    for (int k = 0; k < trials; k++) {
      for (int s = 0; s < Math.min(inTrial[k], tRec); s++) {
        if (first[k] + s <= lastBin) continue;
        rows.add(new long[] {first[k] + s, k, s});
        lastBin = first[k] + s;
      }
    }
    JsonNode j = NwbResultWriterTest.check(out, true);
    assertEquals("2026-12-01T10:00:00+00:00", j.get("session_start_time").asText(), "the input's session start");
    String desc = j.get("description").asText();
    assertTrue(desc.contains("model model.npz session sessB, backend float, mode trial") && desc.contains("in.nwb")
        && desc.contains("infer: one row a bin inside a trial of intervals/trials"), desc);
    JsonNode fac = j.get("series").get("factors"), rat = j.get("series").get("rates");
    assertEquals("[" + rows.size() + ",6]", fac.get("shape").toString());
    assertEquals("[" + rows.size() + ",9]", rat.get("shape").toString());
    List<double[]> expectInvalid = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      long bin = rows.get(i)[0];
      int k = (int) rows.get(i)[1], s = (int) rows.get(i)[2];
      assertEquals(t0 + (bin + 1) * w, fac.get("timestamps").get(i).asDouble(), 1e-9, "row " + i + ": bin end");
      assertEquals(t0 + (bin + 1) * w, rat.get("timestamps").get(i).asDouble(), 1e-9);
      for (int q = 0; q < 6; q++) {
        assertEquals((float) factors[(k * tRec + s) * 6 + q], fac.get("data").get(i).get(q).asDouble(), 0, "row " + i);
      }
      for (int q = 0; q < 9; q++) {
        assertEquals((float) rates[(k * tRec + s) * 9 + q], rat.get("data").get(i).get(q).asDouble(), 0, "row " + i);
      }
      if (unobserved[k]) {
        double[] prev = expectInvalid.isEmpty() ? null : expectInvalid.get(expectInvalid.size() - 1);
        if (prev != null && Math.abs(prev[1] - (t0 + bin * w)) < 1e-9) prev[1] = t0 + (bin + 1) * w;
        else expectInvalid.add(new double[] {t0 + bin * w, t0 + (bin + 1) * w});
      }
    }
    JsonNode invalid = j.get("invalid_times");
    assertEquals(expectInvalid.size(), invalid.size(), invalid.toString());
    for (int i = 0; i < expectInvalid.size(); i++) {
      assertEquals(expectInvalid.get(i)[0], invalid.get(i).get(0).asDouble(), 1e-9);
      assertEquals(expectInvalid.get(i)[1], invalid.get(i).get(1).asDouble(), 1e-9);
    }
  }

  @Test
  void inferAndReplayInTrialModeWriteTheSameNwbRows() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
    Path in = dir.resolve("trials.nwb");
    NwbFixtures.run(in, "--units", "7", "--duration", "1", "--bin-ms", "10", "--seed", "8", "--trials", "10");
    Path fromInfer = dir.resolve("infer.nwb"), fromReplay = dir.resolve("replay.nwb"), dec = dir.resolve("dec.json");
    double[][] weights = {{0.5, -1, 0.25, 0, 2, -0.75}, {1, 1, 1, -1, -1, -1}};
    double[] bias = {0.1, -3};
    new RidgeDecoder(weights, bias, 1.0, List.of("vx", "vy"), 0).save(dec);
    InferCommandTest.Result r = InferCommandTest.run("infer", "--model", multisession().toString(), "--session", "1",
        "--spikes", in.toString(), "--out", dir.resolve("o.npz").toString(), "--record-nwb", fromInfer.toString(),
        "--decoder", dec.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("(factors, rates, decoded_behavior) -> " + fromInfer), r.out());
    CalibrateAndReplayCommandTest.run("replay", in.toString(), "--model", multisession().toString(), "--session", "1",
        "--backend", "float", "--port", "0", "--mode", "trial", "--record-nwb", fromReplay.toString(), "--decoder",
        dec.toString());
    JsonNode a = NwbResultWriterTest.check(fromInfer, true), b = NwbResultWriterTest.check(fromReplay, true);
    for (String series : new String[] {"factors", "rates", "decoded_behavior"}) {
      JsonNode x = a.get("series").get(series), y = b.get("series").get(series);
      assertEquals(y.get("shape"), x.get("shape"), series);
      assertEquals(y.get("timestamps"), x.get("timestamps"), series + " timestamps");
      assertEquals(y.get("data"), x.get("data"), series + " data");
    }
    // decoded_behavior = W f + b of the row's factors, worked out here
    JsonNode f = a.get("series").get("factors").get("data"), d = a.get("series").get("decoded_behavior").get("data");
    assertTrue(f.size() > 10);
    for (int i = 0; i < f.size(); i++) {
      for (int k = 0; k < 2; k++) {
        double want = bias[k];
        for (int j = 0; j < 6; j++) want += weights[k][j] * (float) f.get(i).get(j).asDouble();
        assertEquals(want, d.get(i).get(k).asDouble(), 1e-5 * Math.max(1, Math.abs(want)), "row " + i + " output " + k);
      }
    }
  }

  @Test
  void inferRefusesNwbOptionsItCannotHonour() throws Exception {
    Path npy = dir.resolve("s.npy");
    org.lfadsrt.sim.io.Npy.write(npy, NdArray.ofLongs(NdArray.DType.I4, new long[10 * 7], 1, 10, 7));
    InferCommandTest.Result r = InferCommandTest.run("infer", "--model", multisession().toString(), "--session", "sessB",
        "--spikes", npy.toString(), "--out", dir.resolve("o.npz").toString(), "--record-nwb", dir.resolve("o.nwb").toString());
    assertEquals(InferCommand.EXIT_BAD_INPUT, r.code());
    assertTrue(r.err().contains("--record-nwb: the bin times of " + npy + " are unknown"), r.err());
    r = InferCommandTest.run("infer", "--model", multisession().toString(), "--session", "sessB", "--spikes",
        npy.toString(), "--out", dir.resolve("o.npz").toString(), "--units", "0,1");
    assertTrue(r.code() == InferCommand.EXIT_BAD_INPUT && r.err().contains("--units applies to an NWB recording"), r.err());

    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
    Path in = dir.resolve("no-trials.nwb");
    NwbFixtures.run(in, "--variant", "--units", "7", "--duration", "0.3", "--seed", "3");
    r = InferCommandTest.run("infer", "--model", multisession().toString(), "--session", "sessB", "--spikes",
        in.toString(), "--out", dir.resolve("o.npz").toString());
    assertTrue(r.code() == InferCommand.EXIT_BAD_INPUT && r.err().contains("no intervals/trials: infer takes whole trials"),
        r.err());
    r = InferCommandTest.run("infer", "--model", multisession().toString(), "--session", "sessA", "--spikes",
        in.toString(), "--out", dir.resolve("o.npz").toString());
    assertTrue(r.code() == InferCommand.EXIT_BAD_INPUT && r.err().contains("7 units selected from the Units table /units "
        + "but the model takes N_in = 11 channels; choose 11 unit rows with --units"), r.err());
  }
}
