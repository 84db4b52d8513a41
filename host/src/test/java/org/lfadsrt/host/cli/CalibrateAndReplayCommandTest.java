package org.lfadsrt.host.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.source.NwbFixtures;
import org.lfadsrt.host.source.NwbReplaySource;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.floatmodel.LfadsOutput;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import org.lfadsrt.sim.model.RandomModels;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code calibrate} and {@code replay} on a generated NWB recording whose behaviour is a known linear
 * function of the factors (computed independently with FloatLfads over each window).
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CalibrateAndReplayCommandTest {
  @TempDir static Path dir;
  static Path nwb;
  static Path modelFile;
  static final LfadsModel MODEL = RandomModels.smallDemo(5);
  static final double[][] A = {{0.8, -1.2, 0.3, 2.0}, {-0.5, 0.4, 1.1, -0.9}};
  static final double[] B = {0.25, -1.5};

  @BeforeAll
  static void recording() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with python3-h5py");
    nwb = dir.resolve("rec.nwb");
    NwbFixtures.run(nwb, "--units", "32", "--duration", "3", "--bin-ms", "10", "--seed", "11");
    modelFile = dir.resolve("model.npz");
    ModelFile.save(MODEL, modelFile);
    // behaviour at the end of every full-window bin = A f + B, f = newest factors of that window
    int tEnc = MODEL.config().encodSeqLen();
    List<int[]> bins = new ArrayList<>();
    double t0;
    try (NwbReplaySource src = new NwbReplaySource(nwb, null, 10_000_000L, false)) {
      t0 = src.t0();
      int[] c = new int[32];
      while (src.next(c) != SpikeSource.END_OF_STREAM) bins.add(c.clone());
    }
    FloatLfads ref = new FloatLfads(MODEL);
    int n = bins.size() - (tEnc - 1);
    double[] data = new double[n * 2], ts = new double[n];
    for (int i = tEnc - 1; i < bins.size(); i++) {
      int[][] w = new int[tEnc][];
      for (int t = 0; t < tEnc; t++) w[t] = bins.get(i - (tEnc - 1) + t);
      LfadsOutput o = ref.infer(w);
      double[] f = o.factors()[tEnc - 1];
      int row = i - (tEnc - 1);
      ts[row] = t0 + (i + 1) * 0.010;
      for (int k = 0; k < 2; k++) {
        double y = B[k];
        for (int j = 0; j < 4; j++) y += A[k][j] * f[j];
        data[row * 2 + k] = y;
      }
    }
    Npy.write(dir.resolve("beh.npy"), NdArray.ofDoubles(data, n, 2));
    Npy.write(dir.resolve("ts.npy"), NdArray.ofDoubles(ts, n));
    NwbFixtures.run(nwb, "--add-behavior", dir.resolve("beh.npy").toString(), dir.resolve("ts.npy").toString());
  }

  static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    try {
      int code = Main.commandLine().execute(args);
      assertEquals(0, code, buf.toString());
    } finally {
      System.setOut(old);
    }
    return buf.toString();
  }

  @Test
  void calibrateRecoversTheBehaviourMap() throws Exception {
    Path out = dir.resolve("decoder.json");
    String text = run("calibrate", "--recording", nwb.toString(), "--out", out.toString(), "--model", modelFile.toString(),
        "--backend", "float", "--lambda", "1e-9"); // the reference factors above are FloatLfads'!
    assertTrue(text.contains("R^2 fit 1.0000"), text);
    RidgeDecoder d = RidgeDecoder.load(out);
    assertEquals(List.of("hand_vel_x", "hand_vel_y"), d.outputNames());
    for (int k = 0; k < 2; k++) {
      assertEquals(B[k], d.bias(k), 1e-4);
      for (int j = 0; j < 4; j++) assertEquals(A[k][j], d.weight(k, j), 1e-4, "w[" + k + "][" + j + "]");
    }
  }

  @Test
  void replayRunsTheWholeFileWithAProgressBar() {
    String text = run("replay", nwb.toString(), "--model", modelFile.toString(), "--backend", "float", "--port", "0",
        "--status-ms", "100");
    assertTrue(text.contains("[##############################] 100.0%"), text);
    var m = java.util.regex.Pattern.compile("(\\d+) bins in, (\\d+) results published, 0 dropped").matcher(text);
    assertTrue(m.find(), text);
    assertEquals(m.group(1), m.group(2));
    assertTrue(text.contains("/" + m.group(1) + " bins"), text);
  }

  @Test
  void mismatchedChannelCountsAreNamed() {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      int code = Main.commandLine().execute("calibrate", "--recording", nwb.toString(), "--out", dir.resolve("x.json").toString(),
          "--model", modelFile.toString(), "--units", "0,1,2");
      assertNotEquals(0, code);
    } finally {
      System.setErr(oldErr);
    }
    assertTrue(err.toString().contains("3 selected units (Units table /units) but the model expects N_in = 32: choose 32 "
        + "unit rows with --units ROW,ROW,..."), err.toString());
  }
}
