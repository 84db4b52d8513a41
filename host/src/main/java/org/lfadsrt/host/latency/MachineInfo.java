package org.lfadsrt.host.latency;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine, the JVM and the source revision. */
final class MachineInfo {
  private MachineInfo() {}

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2] + " (1/5/15 min)";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String jvm() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
  }

  static String gcNames() {
    List<String> names = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) names.add(gc.getName());
    return String.join(", ", names);
  }

  static String jvmArgs() {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    return args.isEmpty() ? "(none)" : String.join(" ", args);
  }

  static long maxHeapMb() {
    return Runtime.getRuntime().maxMemory() >> 20;
  }

  /** Total collections and collection milliseconds so far, over every collector. */
  static long[] gcTotals() {
    long count = 0, millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** {@code git rev-parse --short HEAD} plus "-dirty" when the tree has changes; "unknown" outside a checkout. */
  static String gitRevision() {
    String rev = run("git", "rev-parse", "--short=12", "HEAD");
    if (rev == null) return "unknown (not a git checkout)";
    String status = run("git", "status", "--porcelain", "--untracked-files=no");
    return rev + (status != null && !status.isBlank() ? "-dirty" : "");
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
