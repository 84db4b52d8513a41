package org.lfadsrt.host.cli;

import java.util.concurrent.Callable;
import org.lfadsrt.host.reliability.DecoderFuzz;
import org.lfadsrt.host.reliability.Soak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code soak}: the reliability soak (issue 8). Pushes {@code --bins} bins in accelerated time through
 * ingest, pipeline, server and clients with faults injected, proves every bin accounted for and memory
 * flat, then fuzzes every decoder with {@code --fuzz} inputs. Exit code 0 only when both pass.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Reliability soak: bins through the live system with faults injected; accounting and memory checks; decoder fuzzing.")
public final class SoakCommand implements Callable<Integer> {

  @Option(names = "--bins", description = "Bins to push through (default: ${DEFAULT-VALUE}).")
  long bins = 10_000_000;

  @Option(names = "--fuzz", description = "Fuzz inputs across all decoders after the soak; 0 skips (default: ${DEFAULT-VALUE}).")
  long fuzz = 10_000_000;

  @Option(names = "--seed", description = "Seed of the model, the spike counts and the fuzzer (default: ${DEFAULT-VALUE}).")
  long seed = 7;

  @Override
  public Integer call() throws Exception {
    if (bins < 1000) {
      System.err.println("soak: --bins must be >= 1000, got " + bins);
      return 2;
    }
    Soak.Config base = Soak.Config.forBins(bins);
    Soak.Config c = new Soak.Config(base.bins(), seed, base.malformedEvery(), base.feederStallEvery(), base.feederStallMillis(),
        base.invalidEvery(), base.jumpEvery(), base.lateEvery(), base.sourceStallEvery(), base.backendFailEvery(),
        base.fallbackFailEvery(), base.reprobeAfter(), base.statusMillis());
    Soak.Report report = Soak.run(c, System.out);
    report.print(System.out);
    boolean ok = report.violations().isEmpty();
    if (fuzz > 0) {
      DecoderFuzz.Report f = DecoderFuzz.run(fuzz, seed, System.out);
      f.print(System.out);
      ok &= f.failures().isEmpty();
    }
    System.out.flush();
    return ok ? 0 : 1;
  }
}
