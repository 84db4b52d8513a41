package org.lfadsrt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Thread CPU time per iteration of several steps run side by side, the companion of JMH's wall-clock figures: on a
 * shared machine wall time includes waiting for a core, CPU time does not, and interleaving the steps iteration by
 * iteration lets the load hit them all alike.
 */
final class ThreadCpu {
  private ThreadCpu() {}

  /** What a CPU-time main measures on one golden model: returns its JSON object. */
  @FunctionalInterface
  interface PerModel {
    String json(GoldenFixture model, int iterations) throws Exception;
  }

  /**
   * The command line every CPU-time main shares, {@code GOLDEN_DIR ITERATIONS MODEL...}: loads each model in turn and
   * prints one JSON object, {@code {"MODEL": {...}, ...}}.
   */
  static void printPerModel(String[] args, PerModel body) throws Exception {
    Path dir = Path.of(args[0]);
    int iterations = Integer.parseInt(args[1]);
    StringBuilder json = new StringBuilder("{");
    for (int a = 2; a < args.length; a++) {
      GoldenFixture g = GoldenFixture.load(dir, args[a]);
      if (a > 2) json.append(", ");
      json.append('"').append(g.name).append("\": ").append(body.json(g, iterations));
    }
    System.out.println(json.append("}"));
  }

  /** One timed piece of work; {@code i} counts iterations from 0 across warm-up and measurement alike. */
  @FunctionalInterface
  interface Step {
    void run(long i) throws Exception;
  }

  /**
   * Runs every step once per iteration, for {@code warmupNanos} of wall time untimed and then {@code iterations}
   * times timed, followed each iteration by {@code check} (untimed, may be null). With {@code alternate} the order of
   * the steps is reversed on every other iteration, so neither always runs on the caches the other left.
   *
   * @return per step, the sorted CPU times in µs
   */
  static double[][] measure(int iterations, long warmupNanos, boolean alternate, Step check, Step... steps)
      throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] us = new double[steps.length][iterations];
    long[] stamps = new long[steps.length + 1];
    long i = 0;
    long warmEnd = System.nanoTime() + warmupNanos;
    while (System.nanoTime() < warmEnd) round(mx, i++, alternate, stamps, check, steps);
    for (int j = 0; j < iterations; j++) {
      boolean reversed = round(mx, i++, alternate, stamps, check, steps);
      for (int s = 0; s < steps.length; s++) {
        us[reversed ? steps.length - 1 - s : s][j] = (stamps[s + 1] - stamps[s]) / 1e3;
      }
    }
    for (double[] v : us) Arrays.sort(v);
    return us;
  }

  /** One iteration; stamps[s] .. stamps[s + 1] brackets the s-th step run. Returns whether the order was reversed. */
  private static boolean round(ThreadMXBean mx, long i, boolean alternate, long[] stamps, Step check, Step[] steps)
      throws Exception {
    boolean reversed = alternate && (i & 1) == 1;
    stamps[0] = mx.getCurrentThreadCpuTime();
    for (int s = 0; s < steps.length; s++) {
      steps[reversed ? steps.length - 1 - s : s].run(i);
      stamps[s + 1] = mx.getCurrentThreadCpuTime();
    }
    if (check != null) check.run(i);
    return reversed;
  }

  static double median(double[] sorted) {
    return sorted[sorted.length / 2];
  }

  /** The {@code q} quantile (0..1) of sorted samples, nearest rank below. */
  static double percentile(double[] sorted, double q) {
    return sorted[(int) (sorted.length * q)];
  }
}
