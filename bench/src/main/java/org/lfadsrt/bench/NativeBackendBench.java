package org.lfadsrt.bench;

import java.util.concurrent.TimeUnit;
import org.lfadsrt.host.backend.EmuBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.NativeBackend;
import org.lfadsrt.host.backend.SoftwareBackend;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The native path's costs. Run from the repository root after {@code make -C drivers} (the library is found in
 * drivers/build).
 *
 * <ul>
 *   <li>{@link Calls}: one JNA direct-mapped call that does no work ({@code lfads_noop}: handle check only), next
 *       to a Java call that cannot be inlined, as the baseline of the same run. Goal: median &le; 2 us.
 *   <li>{@link Throughput}: {@code infer} of a batch on the Verilated kernel ({@code emu}) and, as the baseline,
 *       on the Java bit-accurate model ({@code software}), same image and spikes ({@link #MODEL}).
 *       Trials/s = batch / time per call.
 * </ul>
 */
public class NativeBackendBench {

  /**
   * A small model (the default emulated kernel, 8 x 4 MAC lanes, simulates it in milliseconds):
   * 16 channels, 20 bins, 16-unit encoders and generator, 8-dim initial condition, 4 factors, no controller.
   */
  static final LfadsConfig MODEL = new LfadsConfig(16, 20, 20, 16, 16, 0, 0, 0, 0, 8, 16, 4, 5.0);

  static KernelImage demoImage() {
    LfadsModel m = RandomModels.demo(MODEL, 7);
    return Quantizer.quantize(m, RandomModels.poissonSpikes(m.config(), 32, 0.3, 1L), 16);
  }

  @State(Scope.Thread)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Fork(1)
  public static class Calls {
    EmuBackend emu;

    @Setup(Level.Trial)
    public void open() throws Exception {
      emu = new EmuBackend(demoImage(), "", 60_000);
    }

    @TearDown(Level.Trial)
    public void close() {
      emu.close();
    }

    @Benchmark
    public int jnaNoop() {
      return emu.noop();
    }

    @Benchmark
    public int javaNoInlineBaseline() {
      return javaNoop(emu);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int javaNoop(Object o) {
      return o == null ? -1 : 0;
    }
  }

  @State(Scope.Thread)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 3)
  @Fork(1)
  public static class Throughput {
    @Param({"emu", "software"})
    public String backend;

    @Param({"8"})
    public int batch;

    NativeBackend nativeBackend;
    org.lfadsrt.host.backend.InferenceBackend be;
    InferenceBatch b;

    @Setup(Level.Trial)
    public void open() throws Exception {
      KernelImage image = demoImage();
      be = backend.equals("emu") ? (nativeBackend = new EmuBackend(image, "", 600_000)) : new SoftwareBackend(image);
      b = new InferenceBatch(be.shape(), batch);
      java.util.SplittableRandom r = new java.util.SplittableRandom(3);
      for (int i = 0; i < b.spikes().capacity(); i++) b.spikes().put(i, (byte) (r.nextInt(10) < 8 ? 0 : 1 + r.nextInt(3)));
    }

    @TearDown(Level.Trial)
    public void close() {
      if (nativeBackend != null) {
        System.out.printf("%n[emu] kernel cycles per %d-trial batch: %d (%.1f us at 300 MHz)%n", batch,
            be.lastDeviceCycles(), be.lastDeviceCycles() / 300.0);
      }
      be.close();
    }

    @Benchmark
    public double inferBatch() throws Exception {
      be.infer(b);
      return b.logrates()[0];
    }
  }
}
