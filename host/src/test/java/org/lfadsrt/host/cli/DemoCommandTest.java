package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.floatmodel.FloatLfads;
import org.lfadsrt.sim.model.BundledModels;
import org.lfadsrt.sim.synth.RateScores;
import org.lfadsrt.sim.synth.SyntheticRecording;
import picocli.CommandLine;

class DemoCommandTest {

  private static String[] run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void heldoutDemoPrintsEveryTrialTheOverallR2AndLatency() {
    String[] r = run("demo", "--repeats", "1");
    assertEquals("0", r[0], r[2]);
    String out = r[1];
    Matcher trialLine = Pattern.compile("(?m)^\\s*(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+(-?[0-9.]+)$").matcher(out);
    int lines = 0;
    SyntheticRecording heldout = BundledModels.demoHeldout();
    FloatLfads lfads = new FloatLfads(BundledModels.demo());
    while (trialLine.find()) {
      int trial = Integer.parseInt(trialLine.group(1));
      assertEquals(lines, trial);
      // the printed per-trial R^2 is the float model's, recomputed here independently of the backend path
      double expected = RateScores.r2Pooled(lfads.infer(heldout.spikes()[trial]).rates(), heldout.rates()[trial]);
      assertEquals(expected, Double.parseDouble(trialLine.group(4)), 0.0015, "trial " + trial);
      // true mean rate (Hz) printed matches the file
      double sum = 0;
      for (double[] bin : heldout.rates()[trial]) for (double v : bin) sum += v;
      assertEquals(sum / (50 * 30 * 0.01), Double.parseDouble(trialLine.group(3)), 0.006);
      lines++;
    }
    assertEquals(heldout.trials(), lines, out);
    Matcher overall = Pattern.compile("per-neuron mean ([0-9.]+)").matcher(out);
    assertTrue(overall.find(), out);
    assertTrue(Double.parseDouble(overall.group(1)) >= 0.85, out);
    Matcher latency = Pattern.compile("(\\d+) timed trials after a warm-up pass\\): median ([0-9.]+) us, p99 ([0-9.]+) us").matcher(out);
    assertTrue(latency.find(), out);
    assertEquals(heldout.trials(), Integer.parseInt(latency.group(1)));
    assertTrue(Double.parseDouble(latency.group(2)) > 0);
    assertTrue(Double.parseDouble(latency.group(3)) >= Double.parseDouble(latency.group(2)));
  }

  @Test
  void freshTrialsOnRequest() {
    String[] r = run("demo", "--trials", "3", "--trial-seed", "5", "--repeats", "1");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("3 fresh trials (trial seed 5)"), r[1]);
    assertEquals(3, Pattern.compile("(?m)^\\s*\\d+\\s+[0-9.]+\\s+[0-9.]+\\s+-?[0-9.]+$").matcher(r[1]).results().count());
  }

  @Test
  void badOptionsFailWithAMessage() {
    String[] r = run("demo", "--backend", "nonesuch", "--repeats", "1");
    assertNotEquals("0", r[0]);
    assertTrue(r[2].contains("nonesuch"), r[2]);
    String[] r2 = run("demo", "--repeats", "0");
    assertNotEquals("0", r2[0]);
    assertTrue(r2[2].contains("--repeats"), r2[2]);
  }
}
