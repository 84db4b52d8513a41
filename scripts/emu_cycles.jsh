// Device cycles and bus cost of one emu window with and without the emulated memory latency (drivers/README.md).
// Run from the repository root after `make native` and `mvn -o -q -pl host -am -DskipTests compile`:
//   mvn -o -q -pl host dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
//   jshell --class-path "host/target/classes:sim/target/classes:$(cat /tmp/cp.txt)" -R-Dlfadsrt.native=$PWD/drivers/build/liblfadsrt.so scripts/emu_cycles.jsh
import org.lfadsrt.host.backend.*;
import org.lfadsrt.sim.fixed.*;
import org.lfadsrt.sim.model.*;
void measure(String name, LfadsConfig c, String opts) throws Exception {
  KernelImage image = Quantizer.quantize(RandomModels.demo(c, 2026), RandomModels.poissonSpikes(c, 16, 0.5, 2027), 16);
  try (EmuBackend emu = new EmuBackend(image, opts, 600_000)) {
    InferenceBatch b = new InferenceBatch(emu.shape(), 1);
    b.trials(1);
    for (int t = 0; t < emu.shape().tEnc(); t++) for (int i = 0; i < emu.shape().nIn(); i++) b.spike(0, t, i, (t * 7 + i) % 3);
    long t0 = System.nanoTime();
    emu.infer(b);
    long t1 = System.nanoTime();
    System.out.printf("%s [%s]: %d device cycles (%.1f us at 300 MHz); per call: %s; host wall %.2f s; %s%n", name, opts, emu.lastDeviceCycles(),
        emu.lastDeviceCycles() / 300.0, emu.lastCallCounters(), (t1 - t0) / 1e9, emu.deviceDescription());
  }
}
for (String o : new String[] {"mem_latency=1&mem_jitter=0", "", "mem_stall_pct=20"}) measure("paper", RandomModels.paperConfig(), o);
for (String o : new String[] {"mem_latency=1&mem_jitter=0", ""}) measure("mc_maze", RandomModels.mcMazeConfig(), o);
/exit
