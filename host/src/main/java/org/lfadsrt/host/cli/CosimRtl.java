package org.lfadsrt.host.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lfadsrt.sim.fixed.CycleModel;
import org.lfadsrt.sim.fixed.KernelImage;

/**
 * Where {@code cosim} runs the RTL kernel: {@link HarnessRtl} (the Verilated harness binaries, one subprocess per
 * case, files in between) or {@link EmuRtl} (the emu backend of liblfadsrt, in process). Both drive the same Verilated
 * kernel through the same host model (hdl/harness/lfads_host_model.h) with the same memory timing and hand back the
 * device's raw words and CYCLES; {@link CosimCommand} compares them with the Java model, one comparison for both.
 */
interface CosimRtl extends AutoCloseable {

  /** Lines describing the RTL configurations on offer, printed before the cases. */
  List<String> describe();

  /** The kernel configuration that runs this image; null when none does ({@link #skipReason} says why). */
  KernelConfig configFor(KernelImage image);

  /** Why no configuration runs this image, naming the limit. */
  String skipReason(KernelImage image);

  /** All the case's trials in one kernel run (after the image load). */
  TrialRun runTrials(CosimCommand.Case c, KernelConfig k) throws IOException, InterruptedException;

  /** The case's bins streamed through the online mode, one run per bin, as {@code plan} says. */
  OnlineRun runOnline(CosimCommand.Case c, CosimCommand.OnlinePlan plan, KernelConfig k)
      throws IOException, InterruptedException;

  @Override
  void close();

  /**
   * The whole-trial run's results: {@code words} holds trial k's T_rec x (fac + n_out) little-endian kernel words (per
   * step: factors then log-rates) at {@code k * trialStride}; {@code cycles} is the run's CYCLES register.
   */
  record TrialRun(byte[] words, int trialStride, long cycles, String error) {
    static TrialRun failed(String error) {
      return new TrialRun(null, 0, 0, error);
    }
  }

  /**
   * The online stream's results: bin b's output slot (status block, then its factor and log-rate words at
   * OnlineBuffers.RESULT_OFFSET) at {@code b * slotStride} of {@code slots}. {@code firstSeq}: the SEQ the stream's first
   * run must report. {@code runCycles}: the last run's CYCLES register, -1 when the RTL runner cannot read it.
   * {@code errorChecks}: what the runner's own error-path checks reported ("ok"), null when it made none.
   * {@code regWritesPerBinMax}, {@code regReadsPerBin}: the host's register accesses per bin, the stream's setup
   * (pointers, image load, a whole-trial run and the bin after it) left out.
   */
  record OnlineRun(byte[] slots, int slotStride, int firstSeq, long runCycles, String errorChecks,
      String regWritesPerBinMax, String regReadsPerBin, String error) {
    static OnlineRun failed(String error) {
      return new OnlineRun(null, 0, 0, -1, null, null, null, error);
    }
  }

  /**
   * A Verilated kernel's parameters (the harness's {@code --info} keys, also what the emu library's lfads_describe
   * lists): data width, MAC array, on-chip memory limits.
   */
  record KernelConfig(int width, int rows, int cols, int maxHidden, int maxTiles, int maxIn, int maxOut, int maxTEnc,
      int maxTRec, int maxRowBlocks, int slrCrossingStages) {

    /** From {@code key: value} or {@code key=value} pairs; {@code width} when given overrides data_width. */
    static KernelConfig of(Map<String, String> kv, Integer width) {
      return new KernelConfig(width != null ? width : i(kv, "data_width"), i(kv, "row_lanes"), i(kv, "col_lanes"),
          i(kv, "max_hidden"), i(kv, "max_tiles"), i(kv, "max_n_in"), i(kv, "max_n_out"), i(kv, "max_t_enc"),
          i(kv, "max_t_rec"), i(kv, "max_row_blocks"), i(kv, "slr_crossing_stages"));
    }

    private static int i(Map<String, String> kv, String key) {
      String v = kv.get(key);
      if (v == null) throw new IllegalStateException("missing " + key);
      return Integer.parseInt(v.trim());
    }

    /** Null when this kernel takes the image; else the first limit it exceeds, named. */
    String whyNot(KernelImage img) {
      if (img.dataWidth() != width) return "image W=" + img.dataWidth() + ", kernel W=" + width;
      int[] hid = {img.hIcEnc(), img.hCiEnc(), img.hCon(), img.coDim(), img.icDim(), img.hGen(), img.facDim()};
      for (int h : hid) if (h > maxHidden) return "hidden size " + h + " > max_hidden " + maxHidden;
      if (img.nIn() > maxIn) return "n_in " + img.nIn() + " > max_n_in " + maxIn;
      if (img.nOut() > maxOut) return "n_out " + img.nOut() + " > max_n_out " + maxOut;
      if (img.tEnc() > maxTEnc) return "t_enc " + img.tEnc() + " > max_t_enc " + maxTEnc;
      if (img.tRec() > maxTRec) return "t_rec " + img.tRec() + " > max_t_rec " + maxTRec;
      long[] g = CosimCommand.geometry(img, rows, cols);
      if (g[0] > maxTiles) return g[0] + " weight tiles of " + rows + "x" + cols + " > max_tiles " + maxTiles;
      if (g[1] > maxRowBlocks) return g[1] + " row blocks > max_row_blocks " + maxRowBlocks;
      return null;
    }

    /** The configuration as sim's CycleModel takes it, at the memory latency both RTL runners give the kernel. */
    CycleModel.Lanes lanes() {
      return new CycleModel.Lanes(rows, cols, CosimCommand.MEMORY_LATENCY, maxHidden, slrCrossingStages);
    }

    String summary() {
      return String.format(Locale.ROOT, "W=%d, %dx%d MAC lanes, max hidden %d, max tiles %d, SLR crossing stages %d",
          width, rows, cols, maxHidden, maxTiles, slrCrossingStages);
    }
  }
}
