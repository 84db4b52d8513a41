package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/** LONG and EXACT_DOUBLE accumulation give identical bits, intermediates included, even when everything saturates. */
class AccumulationTest {

  @Property(tries = 40)
  void sameBitsEverywhere(@ForAll long seed, @ForAll @IntRange(min = 8, max = 18) int w, @ForAll boolean controller,
      @ForAll boolean hot) {
    LfadsConfig c = RandomModels.oddConfig(seed, controller);
    LfadsModel m = RandomModels.random(c, seed, hot ? RandomModels.Options.saturating() : RandomModels.Options.standard());
    int[][][] sp = RandomModels.poissonSpikes(c, 2, hot ? 20 : 0.5, seed);
    KernelImage img = Quantizer.quantize(m, sp, w);
    TraceRecorder a = new TraceRecorder(), b = new TraceRecorder();
    FixedOutput oa = FixedOutput.forImage(img), ob = FixedOutput.forImage(img);
    FixedLfads la = new FixedLfads(img, FixedLfads.Accumulation.LONG);
    FixedLfads lb = new FixedLfads(img, FixedLfads.Accumulation.EXACT_DOUBLE);
    la.run(sp[1], oa, a);
    lb.run(sp[1], ob, b);
    assertArrayEquals(oa.factors, ob.factors);
    assertArrayEquals(oa.logrates, ob.logrates);
    assertEquals(a.entries().size(), b.entries().size());
    for (int i = 0; i < a.entries().size(); i++) assertArrayEquals(a.entries().get(i).values(), b.entries().get(i).values());
    assertEquals(la.counters(), lb.counters());
  }

  @Test
  void fullSizeModelsAgree() {
    for (LfadsConfig c : List.of(RandomModels.paperConfig(), RandomModels.mcMazeConfig())) {
      LfadsModel m = RandomModels.random(c, 77, RandomModels.Options.saturating());
      int[][][] sp = RandomModels.poissonSpikes(c, 2, 3, 77);
      KernelImage img = Quantizer.quantize(m, sp, 18);
      assertArrayEquals(new FixedLfads(img).infer(sp[0]).logrates,
          new FixedLfads(img, FixedLfads.Accumulation.EXACT_DOUBLE).infer(sp[0]).logrates);
    }
  }

  @Test
  void exactDoubleNeedsTheBoundBelow2To53() {
    LfadsConfig c = RandomModels.oddConfig(3, false);
    LfadsModel m = RandomModels.random(c, 3);
    KernelImage img = Quantizer.quantize(m, RandomModels.poissonSpikes(c, 1, 1, 1),
        new Quantizer.Options(16, 60, 10, 1.25, 0)).image();
    assertEquals(FixedLfads.Accumulation.LONG, FixedLfads.Accumulation.fastestFor(img));
    assertThrows(IllegalArgumentException.class, () -> new FixedLfads(img, FixedLfads.Accumulation.EXACT_DOUBLE));
  }
}
