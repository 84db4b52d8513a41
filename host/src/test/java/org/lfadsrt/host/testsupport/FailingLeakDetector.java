package org.lfadsrt.host.testsupport;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector, installed for every test JVM through {@code -Dio.netty.customResourceLeakDetector}
 * (host/pom.xml, with {@code io.netty.leakDetection.level=paranoid}): besides logging, it remembers every
 * reported leak so {@link LeakCheckExtension} can fail the test class that caused it.
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<String> LEAKS = new ArrayList<>();

  public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    super(resourceType, samplingInterval, maxActive);
  }

  public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    synchronized (LEAKS) {
      LEAKS.add(resourceType + " leaked:" + records);
    }
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    synchronized (LEAKS) {
      LEAKS.add(resourceType + " leaked (untraced)");
    }
    super.reportUntracedLeak(resourceType);
  }

  /** Leaks reported since the last call. */
  public static List<String> drain() {
    synchronized (LEAKS) {
      List<String> out = new ArrayList<>(LEAKS);
      LEAKS.clear();
      return out;
    }
  }
}
