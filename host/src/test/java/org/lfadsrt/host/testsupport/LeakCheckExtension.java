package org.lfadsrt.host.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (junit-platform.properties turns on extension auto-detection): after
 * a class, collects garbage and allocates a few buffers so Netty's detector polls its queue, then fails
 * the class when any ByteBuf was leaked during it.
 */
public final class LeakCheckExtension implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) return;
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(20);
      for (int i = 0; i < 64; i++) {
        ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        a.release();
        b.release();
      }
    }
    List<String> leaks = FailingLeakDetector.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError((context == null ? "fuzz" : context.getDisplayName()) + ": Netty reported " + leaks.size() + " leaked buffer(s):\n"
          + String.join("\n", leaks.subList(0, Math.min(3, leaks.size()))));
    }
  }
}
