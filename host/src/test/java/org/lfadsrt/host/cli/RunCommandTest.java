package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code run} in-process: stops by itself, accounts for every bin in both modes, rejects bad options by name. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunCommandTest {

  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    try {
      int code = Main.commandLine().execute(args);
      return new Outcome(code, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static long[] summary(String text) {
    Matcher m = Pattern.compile("(\\d+) bins in, (\\d+) results published, (\\d+) dropped").matcher(text);
    assertTrue(m.find(), text);
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
  }

  @Test
  void onlineRunOnTheBundledModelStopsAfterBins() {
    Outcome o = run("run", "--bins", "120", "--fast", "--port", "0", "--status-ms", "100");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("model bundled-demo (N_in 30"), o.out());
    assertTrue(o.out().contains("backend " + ModelOptions.defaultBackend() + ", mode online"), o.out());
    assertTrue(o.out().contains("listening on 127.0.0.1:"), o.out());
    assertArrayEquals(new long[] {120, 120, 0}, summary(o.out()));
    assertTrue(o.out().contains("end_to_end"), o.out());
  }

  @Test
  void trialModeInfersTheUnfinishedLastTrialAtTheEnd() {
    // bundled model: T_enc = 50, synthetic trials of 50 bins; 120 bins = 2 trials + 20 bins of a third
    Outcome o = run("run", "--mode", "trial", "--backend", "float", "--bins", "120", "--fast", "--port", "0", "--quiet");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("mode trial"), o.out());
    assertArrayEquals(new long[] {120, 120, 0}, summary(o.out()));
  }

  @Test
  void badOptionsAreNamed() {
    Outcome backend = run("run", "--backend", "quantum", "--bins", "1", "--port", "0");
    assertNotEquals(0, backend.code());
    assertTrue(backend.err().contains("unknown backend 'quantum' (available: float"), backend.err());
    Outcome source = run("run", "--source", "carrier-pigeon", "--bins", "1", "--port", "0");
    assertNotEquals(0, source.code());
    assertTrue(source.err().contains("--source must be synthetic, nwb:FILE, tcp:PORT, replay:FILE, zmq:tcp://HOST:PORT or intan:HOST:PORT"), source.err());
    Outcome exposed = run("run", "--bind", "0.0.0.0", "--bins", "1", "--port", "0");
    assertEquals(2, exposed.code());
    assertTrue(exposed.err().contains("give --token"), exposed.err());
  }
}
