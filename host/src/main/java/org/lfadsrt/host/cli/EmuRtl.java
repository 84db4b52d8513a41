package org.lfadsrt.host.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.BusCounters;
import org.lfadsrt.host.backend.EmuBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.NativeBackend;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * cosim's RTL in process: the emu backend of liblfadsrt (the Verilated kernel the host's {@code emu} backend runs, behind
 * the same host model as the harness) through the host's backend interface, no files and no subprocess. Each case opens
 * its own emulated device (so the online stream's SEQ starts at 1), with the harness's memory timing: read latency
 * {@link CosimCommand#MEMORY_LATENCY}, no jitter, write responses 4 cycles after the last beat, no limit on outstanding
 * bursts, {@code --stall} back-pressure seeded by {@code --seed}; and room for all the case's trials in one run. The
 * kernel's configuration is the library's (drivers/Makefile EMU_PARAMS: by default W = 16, 8 x 4 MAC lanes): images it
 * cannot take are skipped, naming the limit.
 *
 * <p>Online mode: the stream's first bin, the reset bin and the bin after the whole-trial run start a new window
 * (LFADS_MODE_ONLINE_RESET; the driver requires it after a whole-trial run, which ends the window as a reset does, spec
 * §13). The driver reads no register after an online run, so the last run's CYCLES register is not compared (the status
 * blocks' CYCLES of every bin are); the harness's error-path checks (an online run with no image loaded) have no
 * counterpart through the driver, which refuses such a run itself.
 */
final class EmuRtl implements CosimRtl {
  private static final int TIMEOUT_MS = 3_600_000;

  private final KernelConfig config;
  private final String description;
  private final String deviceOptions; // the emu URI options of every case's device but max_trials

  private EmuRtl(KernelConfig config, String description, String deviceOptions) {
    this.config = config;
    this.description = description;
    this.deviceOptions = deviceOptions;
  }

  /** Opens the library's emulated device once to read its configuration; a BackendException says why it cannot. */
  static EmuRtl open(int stall, long seed, int slots) throws BackendException {
    if (!NativeBackend.libraryAvailable()) {
      throw new BackendException(BackendException.Kind.NOT_AVAILABLE, NativeBackend.libraryError());
    }
    String deviceOptions = deviceOptions(stall, seed, slots);
    NativeBackend.Probe p = EmuBackend.probeOptions(deviceOptions + "&max_trials=1");
    return new EmuRtl(config(p.identity().dataWidth(), p.identity().macLanes(), p.description()), p.description(),
        deviceOptions);
  }

  /**
   * The kernel parameters from the emu device's description ("...; kernel: row_lanes=8 col_lanes=4 max_n_in=256 ...");
   * the data width from its CONFIG register, whose MAC lane count must agree.
   */
  static KernelConfig config(int width, int macLanes, String description) throws BackendException {
    Map<String, String> kv = new LinkedHashMap<>();
    int at = description.indexOf("kernel:");
    if (at >= 0) {
      for (String token : description.substring(at + "kernel:".length()).trim().split("\\s+")) {
        int eq = token.indexOf('=');
        if (eq > 0) kv.put(token.substring(0, eq), token.substring(eq + 1));
      }
    }
    KernelConfig k;
    try {
      k = KernelConfig.of(kv, width);
    } catch (RuntimeException e) {
      throw new BackendException(BackendException.Kind.NOT_AVAILABLE, "the emu library does not list its kernel's "
          + "parameters (" + e.getMessage() + " in its description '" + description + "'): rebuild it with `make -C "
          + "drivers`, which passes drivers/Makefile EMU_PARAMS to it");
    }
    if (k.rows() * k.cols() != macLanes) {
      throw new BackendException(BackendException.Kind.NOT_AVAILABLE, "the emu library's kernel reports " + macLanes
          + " MAC lanes in CONFIG, its description " + k.rows() + "x" + k.cols() + ": '" + description + "'");
    }
    return k;
  }

  /** The emu URI options: the harness's memory timing (see the class comment) and the buffer slots. */
  private static String deviceOptions(int stall, long seed, int slots) {
    return String.format(Locale.ROOT, "mem_latency=%d&mem_jitter=0&mem_write_latency=4&mem_outstanding=0"
            + "&mem_stall_pct=%d&mem_seed=%s&slots=%d", CosimCommand.MEMORY_LATENCY, stall,
        Integer.toUnsignedString((int) seed), slots);
  }

  /** A device for one case, with room for {@code maxTrials} trials in one run. */
  private EmuBackend device(KernelImage image, int maxTrials) throws BackendException {
    return new EmuBackend(image, deviceOptions + "&max_trials=" + maxTrials, TIMEOUT_MS);
  }

  @Override
  public List<String> describe() {
    return List.of("emu library (in process): " + config.summary() + "; " + description);
  }

  @Override
  public KernelConfig configFor(KernelImage image) {
    return config.whyNot(image) == null ? config : null;
  }

  @Override
  public String skipReason(KernelImage image) {
    return "the emu library's kernel does not take it: " + config.whyNot(image)
        + " (drivers/Makefile EMU_PARAMS)";
  }

  @Override
  public TrialRun runTrials(CosimCommand.Case c, KernelConfig k) {
    int n = c.trials().length;
    try (EmuBackend emu = device(c.image(), n)) {
      InferenceBatch batch = new InferenceBatch(emu.shape(), n);
      ByteBuffer spikes = batch.spikes();
      int perTrial = emu.shape().spikeBytesPerTrial();
      byte[] trial = new byte[perTrial];
      for (int t = 0; t < n; t++) {
        CosimCommand.putTrial(c.trials()[t], trial, 0);
        spikes.put(t * perTrial, trial);
      }
      emu.infer(batch);
      byte[] words = new byte[n * emu.shape().outputWordsPerTrial() * 4];
      batch.rawOutputBytes().get(0, words);
      return new TrialRun(words, emu.shape().outputWordsPerTrial() * 4, emu.lastDeviceCycles(), null);
    } catch (BackendException e) {
      return TrialRun.failed(e.getMessage());
    }
  }

  @Override
  public OnlineRun runOnline(CosimCommand.Case c, CosimCommand.OnlinePlan plan, KernelConfig k) {
    KernelImage img = c.image();
    int nIn = img.nIn(), tEnc = img.tEnc();
    int slotWords = NativeBackend.ONLINE_STATUS_WORDS + img.facDim() + img.nOut();
    ByteBuffer slotsOut = ByteBuffer.allocate(plan.bins() * slotWords * 4).order(ByteOrder.LITTLE_ENDIAN);
    try (EmuBackend emu = device(img, 1)) {
      InferenceBatch whole = new InferenceBatch(emu.shape(), 1);
      byte[] bin = new byte[nIn];
      int[] slot = new int[slotWords];
      long writesMax = 0, reads = 0;
      int counted = 0;
      for (int b = 0; b < plan.bins(); b++) {
        boolean afterWholeTrial = b == plan.wholeTrialBin();
        if (afterWholeTrial) { // the first T_enc bins of the stream as one trial, as the harness runs it
          for (int t = 0; t < tEnc; t++) {
            CosimCommand.putBin(plan.stream()[t], bin, 0);
            whole.spikes().put(t * nIn, bin);
          }
          emu.infer(whole);
        }
        CosimCommand.putBin(plan.stream()[b], bin, 0);
        BusCounters before = emu.totalCounters();
        emu.onlineRunRaw(bin, 0, b == 0 || b == plan.resetBin() || afterWholeTrial, slot);
        BusCounters after = emu.totalCounters();
        // The first bin after the image load or a whole-trial run also programs the buffer pointers (the harness's
        // setup, outside its per-bin count).
        if (b != 0 && !afterWholeTrial) {
          writesMax = Math.max(writesMax, after.regWrites() - before.regWrites());
          reads += after.regReads() - before.regReads();
          counted++;
        }
        for (int j = 0; j < slotWords; j++) slotsOut.putInt((b * slotWords + j) * 4, slot[j]);
      }
      String readsPerBin = counted == 0 || reads % counted == 0 ? Long.toString(counted == 0 ? 0 : reads / counted)
          : String.format(Locale.ROOT, "%.3f", (double) reads / counted);
      return new OnlineRun(slotsOut.array(), slotWords * 4, 1, -1, null, Long.toString(writesMax), readsPerBin, null);
    } catch (BackendException e) {
      return OnlineRun.failed(e.getMessage());
    }
  }

  @Override
  public void close() {
    // each case's device is closed after its run
  }
}
