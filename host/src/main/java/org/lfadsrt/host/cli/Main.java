package org.lfadsrt.host.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code lfads-rt.jar}. Each capability is one picocli subcommand in its own class;
 * add new ones to the {@code subcommands} list below.
 */
@Command(
    name = "lfads-rt",
    mixinStandardHelpOptions = true,
    version = "lfads-rt 0.1.0",
    description = "Real-time LFADS latent-dynamics inference: live host, model tools, FPGA kernel co-simulation.",
    subcommands = {
        CommandLine.HelpCommand.class,
        RunCommand.class,
        ReplayCommand.class,
        CalibrateCommand.class,
        SynthCommand.class,
        DemoCommand.class,
        InferCommand.class,
        DevicesCommand.class,
        QuantizeCommand.class,
        CosimCommand.class,
        org.lfadsrt.host.latency.BenchCommand.class,
        org.lfadsrt.host.lab.BrandCommand.class,
        SoakCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line; tests use this to run subcommands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
        // an operator error gets one line naming the problem, not a stack trace
        .setExecutionExceptionHandler((ex, cl, parsed) -> {
          cl.getErr().println("lfads-rt " + cl.getCommandName() + ": " + (ex.getMessage() != null ? ex.getMessage() : ex));
          return 1;
        });
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
