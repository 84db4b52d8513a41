package org.lfadsrt.host.decoder;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RidgeDecoderTest {

  /** x = 1,2,3; y = 2,4,7. Centred: sum(xc*yc) = 5, sum(xc^2) = 2, so beta = 5 / (2 + lambda), b = 13/3 - 2 beta. */
  @Test
  void matchesTheHandComputedOneDimensionalCase() {
    double[][] x = {{1}, {2}, {3}};
    double[][] y = {{2}, {4}, {7}};
    RidgeDecoder d = RidgeDecoder.fit(x, y, 1.0, List.of("y"), 0);
    assertEquals(5.0 / 3.0, d.weight(0, 0), 1e-12);
    assertEquals(13.0 / 3.0 - 2 * 5.0 / 3.0, d.bias(0), 1e-12);
    RidgeDecoder ols = RidgeDecoder.fit(x, y, 0.0, List.of("y"), 0);
    assertEquals(2.5, ols.weight(0, 0), 1e-9);
    assertEquals(13.0 / 3.0 - 5.0, ols.bias(0), 1e-9);
  }

  @Test
  void recoversAKnownLinearMapAndAppliesItWithoutAllocation() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] a = {{0.5, -1.0, 2.0, 0.0}, {1.5, 0.25, -0.75, 3.0}};
    double[] b = {0.1, -2.0};
    double[][] x = new double[200][4], y = new double[200][2];
    for (int i = 0; i < 200; i++) {
      for (int j = 0; j < 4; j++) x[i][j] = r.nextDouble() * 4 - 2;
      for (int k = 0; k < 2; k++) {
        y[i][k] = b[k];
        for (int j = 0; j < 4; j++) y[i][k] += a[k][j] * x[i][j];
      }
    }
    RidgeDecoder d = RidgeDecoder.fit(x, y, 1e-9, List.of("vx", "vy"), 0);
    for (int k = 0; k < 2; k++) {
      assertEquals(b[k], d.bias(k), 1e-8);
      for (int j = 0; j < 4; j++) assertEquals(a[k][j], d.weight(k, j), 1e-8);
    }
    // more penalty shrinks the weights
    RidgeDecoder shrunk = RidgeDecoder.fit(x, y, 1e4, List.of("vx", "vy"), 0);
    assertTrue(Math.abs(shrunk.weight(1, 3)) < Math.abs(d.weight(1, 3)));
    float[] f = {1, 0, 0, 1};
    float[] out = new float[2];
    d.apply(f, out);
    assertEquals(0.1 + 0.5, out[0], 1e-6);
    assertEquals(-2.0 + 1.5 + 3.0, out[1], 1e-6);
  }

  @Test
  void jsonRoundTripAndErrors(@TempDir Path dir) throws IOException {
    RidgeDecoder d = new RidgeDecoder(new double[][] {{1, 2}, {3, 4}}, new double[] {5, 6}, 0.5, List.of("a", "b"), 10);
    Path f = dir.resolve("d.json");
    d.save(f);
    RidgeDecoder back = RidgeDecoder.load(f);
    assertEquals(4.0, back.weight(1, 1));
    assertEquals(6.0, back.bias(1));
    assertEquals(List.of("a", "b"), back.outputNames());
    assertEquals(10, back.lagBins());
    Files.writeString(f, "{\"format\":\"something-else\"}");
    assertTrue(assertThrows(IOException.class, () -> RidgeDecoder.load(f)).getMessage().contains("format"));
    Files.writeString(f, "{\"format\":\"lfads-rt-ridge-decoder\",\"version\":1,\"weights\":[[1,2],[3]],\"bias\":[0,0],\"outputs\":[\"a\",\"b\"]}");
    assertTrue(assertThrows(IOException.class, () -> RidgeDecoder.load(f)).getMessage().contains("unequal"));
    Files.writeString(f, "not json");
    assertTrue(assertThrows(IOException.class, () -> RidgeDecoder.load(f)).getMessage().contains("not a JSON"));
  }
}
