package org.lfadsrt.host.testsupport;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check can fail: a deliberately leaked buffer is reported by the detector the build installs. */
class LeakCheckSelfTest {
  @Test
  void aLeakedBufferIsReported() throws Exception {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(), "surefire sets paranoid level");
    FailingLeakDetector.drain();
    leak();
    java.util.List<String> leaks = java.util.List.of();
    for (int round = 0; round < 20 && leaks.isEmpty(); round++) {
      System.gc();
      Thread.sleep(20);
      for (int i = 0; i < 64; i++) PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
      leaks = FailingLeakDetector.drain();
    }
    assertFalse(leaks.isEmpty(), "the deliberate leak was detected");
  }

  private static void leak() {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(32);
    b.writeInt(42); // never released
  }
}
