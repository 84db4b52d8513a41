package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.server.ServerLimits;
import org.lfadsrt.host.source.SyntheticSource;
import org.lfadsrt.sim.model.BundledModels;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * CLI honesty (issue 16): every default an option's help states is the value the command uses, and an option the
 * chosen source would ignore is refused with a message naming it.
 */
class CliDefaultsTest {
  static final Pattern DEFAULT = Pattern.compile("\\(default: ([^;()]+?)\\)");

  static void collect(CommandLine cl, List<CommandLine> out) {
    out.add(cl);
    for (CommandLine sub : cl.getSubcommands().values()) collect(sub, out);
  }

  /** Every "(default: X)" in any option's help (as printed, with ${DEFAULT-VALUE} filled in) is the option's initial value. */
  @Test
  void everyStatedDefaultIsTheOptionsValueBeforeParsing() {
    List<CommandLine> all = new ArrayList<>();
    collect(Main.commandLine(), all);
    int checked = 0;
    List<String> wrong = new ArrayList<>();
    for (CommandLine cl : all) {
      for (OptionSpec o : cl.getCommandSpec().options()) {
        String help = String.join(" ", o.renderedDescription());
        Matcher m = DEFAULT.matcher(help);
        if (!m.find()) continue;
        String stated = m.group(1).trim().replaceAll("[\\[\\] ]", "");
        if (o.defaultValue() != null && o.defaultValue().startsWith("${env:")) continue; // from the environment
        // what the command gets when the option is not given: the annotation's defaultValue, else the field's initial value
        Object value = o.defaultValue() != null ? o.defaultValue() : o.initialValue();
        boolean numeric = stated.matches("[-+]?[0-9][0-9.,]*");
        if (value == null || (!numeric && value instanceof Number n && n.doubleValue() == 0)) continue; // "default: <what it means>"
        String used = value.getClass().isArray() ? java.util.Arrays.toString((int[]) value) : value.toString();
        used = used.replaceAll("[\\[\\] ]", "");
        if (value instanceof Double d && d == Math.rint(d) && !stated.contains(".")) used = String.valueOf(d.longValue());
        if (!stated.equalsIgnoreCase(used)) wrong.add(cl.getCommandName() + " " + o.longestName() + ": help says " + stated + ", value " + used);
        checked++;
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    assertTrue(checked > 20, "found " + checked + " stated defaults");
  }

  /** The values those defaults stand for are the ones the server and source actually get. */
  @Test
  void theDefaultsAreWhatTheServerAndTheSourceGet() throws Exception {
    assertEquals(ServerLimits.DEFAULTS, new ServerOptions().limits(), "server limits");
    RunCommand run = new RunCommand();
    ServerConfig loopback = ServerConfig.loopback(0);
    assertEquals(loopback.clientQueueBytes(), run.clientQueueKb * 1024);
    assertEquals(loopback.maxClients(), run.maxClients);
    assertEquals(ServerConfig.DEFAULT_PORT, run.port);
    ModelOptions model = new ModelOptions();
    model.loadModel(); // the bundled demo
    assertEquals(BundledModels.DEMO_SYSTEM.binMs(), model.binMillis, 0.0, "--bin-ms default is the bundled model's bin");
    SyntheticSource src = new SyntheticSource(model.syntheticConfig(30, 0), false, 1, false);
    assertTrue(src.info().sourceId().endsWith(",seed=" + model.seed), "the source reports the --seed it was given: "
        + src.info().sourceId());
    src.close();
  }

  static String runRefused(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, Main.commandLine().execute(args), String.join(" ", args) + " must be refused");
    } finally {
      System.setErr(saved);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void optionsTheSourceWouldIgnoreAreRefused() {
    String e = runRefused("run", "--bin-ms", "2", "--bins", "1", "--port", "0");
    assertTrue(e.contains("--bin-ms") && e.contains("bundled demo model"), e);
    e = runRefused("run", "--units", "1,2", "--bins", "1", "--port", "0");
    assertTrue(e.contains("--units") && e.contains("synthetic"), e);
    e = runRefused("run", "--source", "tcp:0", "--seed", "3", "--port", "0");
    assertTrue(e.contains("--seed"), e);
    e = runRefused("run", "--trial-bins", "5", "--bins", "1", "--port", "0");
    assertTrue(e.contains("--trial-bins") && e.contains("online"), e);
    e = runRefused("run", "--source", "tcp:0", "--fast", "--port", "0");
    assertTrue(e.contains("--fast"), e);
    e = runRefused("run", "--max-result-age-ms", "0", "--bins", "1", "--port", "0");
    assertTrue(e.contains("max result age"), e);
  }

  @Test
  void theTokenComesFromAFileAndNotAlsoFromTheCommandLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path f = dir.resolve("token");
    java.nio.file.Files.writeString(f, "s3cret\n");
    ServerOptions o = new ServerOptions();
    o.tokenFile = f;
    assertEquals("s3cret", o.token(null, false));
    assertEquals("s3cret", o.token("from-env", false), "the file wins over the environment");
    assertThrows(IllegalArgumentException.class, () -> o.token("x", true));
    java.nio.file.Files.writeString(f, "\n");
    assertThrows(IllegalArgumentException.class, () -> o.token(null, false));
    String e = runRefused("run", "--token-file", f.toString(), "--bins", "1", "--port", "0");
    assertTrue(e.contains("empty"), e);
  }
}
