package org.lfadsrt.sim.fixed;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicts the RTL kernel's CYCLES register (hdl/rtl/lfads_engine.v) for any dimensions and MAC-lane
 * configuration, without simulating: the kernel's schedule depends only on the dimensions, never on data.
 *
 * <p>The model replays the engine's pass sequencer cycle by cycle: passes issue in program order, one
 * R x C weight tile per cycle; a pass may start in the cycle its predecessor issues its last tile, but only
 * once every vector it reads has been written back (scoreboard). A row block is written back
 * {@link #writebackLatency(Lanes)} cycles after its last tile issued, so a dependent pass's first tile follows
 * the producer's last tile by {@code writebackLatency(lanes) + 2} cycles. Per trial the kernel also reads the
 * trial's spikes (one 64-byte beat per cycle after the memory latency) and flushes the last output beat;
 * those constants were measured on the Verilator harness (hdl/harness) and are validated by
 * {@code CycleModelTest} against harness runs of several shapes and lane counts.
 */
public final class CycleModel {

  /**
   * Issue-side stages before the MAC array without SLR crossing stages (hdl/rtl/lfads_engine.v, lfads_issue_stages in
   * hdl/rtl/lfads_pipeline.vh): column addresses, registered reads, registered column select (the weight lanes read
   * in step: address register, RAMB read, DO_REG).
   */
  public static final int ISSUE_STAGES = 3;
  /**
   * The kernel's default SLR crossing stages (lfads_kernel / lfads_engine SLR_CROSSING_STAGES): one register stage at
   * each SLR crossing, +1 issue stage (S3, the column vector's hop) and +1 write-back stage (the results' hop).
   */
  public static final int DEFAULT_SLR_CROSSING_STAGES = 1;
  /** Post-lane register stages (LFADS_POST_LATENCY, hdl/rtl/lfads_pipeline.vh). */
  public static final int POST_LATENCY = 13;

  /** MAC-array latency (lfads_mac_latency, hdl/rtl/lfads_pipeline.vh): DSP A/B, M, P, the row-sum tree
   * two adder levels per stage, the alignment shift, the accumulate. */
  public static int macLatency(int cols) {
    int depth = 32 - Integer.numberOfLeadingZeros(cols - 1);   // log2(cols), cols a power of two
    return 3 + (depth + 1) / 2 + 2;
  }

  /** Issue stages before the MAC array (lfads_issue_stages, hdl/rtl/lfads_pipeline.vh). */
  public static int issueStages(int slrCrossingStages) {
    return ISSUE_STAGES + slrCrossingStages;
  }

  /** Stages from the post lanes' output to the write-back's registers (lfads_writeback_stages). */
  public static int writebackStages(int slrCrossingStages) {
    return slrCrossingStages;
  }

  /**
   * Cycles from a tile's issue to the end of its row block's write-back cycle: issue stages + MAC array
   * + post lanes (whose last stage feeds the write-back registers) + the results' crossing stage. 26 at the default
   * 64 x 32 lanes with the SLR crossing stages (24 without them).
   */
  public static int writebackLatency(Lanes lanes) {
    return issueStages(lanes.slrCrossingStages()) + macLatency(lanes.cols()) + POST_LATENCY
        + writebackStages(lanes.slrCrossingStages());
  }
  /** Cycles from the trial's state to its first spike beat, besides the memory latency (request, AR). */
  public static final int INPUT_SETUP = 3;
  /**
   * Per-run cycles (start handshake, final write responses of the harness memory, done). 7 since the result
   * writer hands its beats to AXI from a data stage one cycle behind its packer control (lfads_axi_writer:
   * the last beat, and so the last write response, leaves one cycle later; the trial schedule is unchanged).
   */
  public static final int RUN_OVERHEAD = 7;
  /** Output beat: 32-bit words per 64-byte AXI beat. */
  private static final int BEAT_WORDS = 16;

  private static final int BEAT_BYTES = 64;

  /**
   * Kernel configuration: MAC array shape, the device-memory read latency in cycles, the vector slots' size and the
   * register stages at each SLR crossing (the harness's {@code --info} key slr_crossing_stages).
   */
  public record Lanes(int rows, int cols, int memoryLatency, int maxHidden, int slrCrossingStages) {
    public Lanes(int rows, int cols, int memoryLatency) {
      this(rows, cols, memoryLatency, 256);
    }

    public Lanes(int rows, int cols, int memoryLatency, int maxHidden) {
      this(rows, cols, memoryLatency, maxHidden, DEFAULT_SLR_CROSSING_STAGES);
    }

    public Lanes {
      if (rows < 1 || cols < 1 || Integer.bitCount(rows) != 1 || Integer.bitCount(cols) != 1 || rows < cols) {
        throw new IllegalArgumentException("lanes: rows and cols must be powers of two with rows >= cols, got "
            + rows + " x " + cols);
      }
      if (maxHidden < 1) {
        throw new IllegalArgumentException("maxHidden must be >= 1, got " + maxHidden);
      }
      if (memoryLatency < 1) {
        throw new IllegalArgumentException("memoryLatency must be >= 1, got " + memoryLatency);
      }
      if (slrCrossingStages != 0 && slrCrossingStages != 1) {
        throw new IllegalArgumentException("slrCrossingStages must be 0 or 1, got " + slrCrossingStages);
      }
    }

    /** The default configuration that is measured and synthesised: 64 x 32 MACs. */
    public static Lanes defaults() {
      return new Lanes(64, 32, 20);
    }
  }

  /** Model dimensions (the image header's). Controller dimensions are 0 without a controller. */
  public record Dims(int nIn, int nOut, int tEnc, int tRec, int hIc, int hCi, int hCon, int co, int ic, int hGen,
      int fac) {
    public static Dims of(KernelImage img) {
      return new Dims(img.nIn(), img.nOut(), img.tEnc(), img.tRec(), img.hIcEnc(), img.hCiEnc(), img.hCon(),
          img.coDim(), img.icDim(), img.hGen(), img.facDim());
    }

    boolean controller() {
      return hCi > 0;
    }
  }

  /** Cycle counts of one configuration. */
  public record Prediction(long passCyclesPerTrial, long cyclesPerTrial, long runOverhead) {
    /** CYCLES of a run of {@code trials} trials without image load. */
    public long runCycles(long trials) {
      return runOverhead + trials * cyclesPerTrial;
    }

    public double microsecondsPerTrial(double clockMhz) {
      return cyclesPerTrial / clockMhz;
    }
  }

  private CycleModel() {}

  // scoreboard bits (as the RTL's vector-store slots)
  private static int h(int l) { return 1 << l; }
  private static int z(int l) { return 1 << (6 + l); }
  private static int rh(int l) { return 1 << (12 + l); }
  private static final int ICM = 1 << 18, CO = 1 << 19, FV = 1 << 20, FS = 1 << 21, CIH = 1 << 22;

  private record Pass(boolean skip, int tiles, int src, int dst, int rowBlocks, int rows, boolean emits) {
    /** The same pass without its rows emitted to the output stream (online: factors of an earlier step). */
    Pass silent() {
      return new Pass(skip, tiles, src, dst, rowBlocks, rows, false);
    }
  }

  /** Sequencer done cycle and the cycle the trial's last output beat has left the packer (next trial). */
  record Schedule(long done, long flushDone) {}

  public static Prediction predict(Dims d, Lanes lanes) {
    Schedule s = passCycles(d, lanes);
    long beats = ((long) d.tEnc() * d.nIn() + BEAT_BYTES - 1) / BEAT_BYTES;
    // input phase: spike beats after the memory latency, in parallel with copying the h0 states
    // (5 layers x words per state slot, one word per cycle)
    int slotWords = cdiv(lanes.maxHidden(), lanes.rows());
    long input = Math.max(INPUT_SETUP + lanes.memoryLatency() + beats, 5L * slotWords + 2);
    long trial = input + s.flushDone();
    return new Prediction(s.done(), trial, RUN_OVERHEAD);
  }

  public static Prediction predict(KernelImage img, Lanes lanes) {
    return predict(Dims.of(img), lanes);
  }

  private static int cdiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * Pass geometry of the kernel's 11 layers at one MAC-array shape: rows per gate, column blocks (the
   * non-empty input segments, each padded to C columns) and the scoreboard sources each layer reads besides
   * its own state. Builds the program's passes; shared by the whole-trial and the online program.
   */
  private static final class LayerGeometry {
    private final int r;
    private final int[] rows;
    private final int[] ncb = new int[11];
    /** Column blocks of an encoder layer's input segment (the spikes), which the online mode's cached steps skip. */
    private final int inBlocks;
    // column sources read by each layer besides its own state (scoreboard)
    private static final int[] XSRC = {0, 0, 0, 0, CIH | FS, CO, h(0) | h(1), ICM, h(4), h(5), FV};

    LayerGeometry(Dims d, Lanes lanes) {
      r = lanes.rows();
      int c = lanes.cols();
      rows = new int[] {d.hIc(), d.hIc(), d.hCi(), d.hCi(), d.hCon(), d.hGen(), d.ic(), d.hGen(), d.co(), d.fac(),
          d.nOut()};
      int[][] segs = {
          {d.nIn(), d.hIc()}, {d.nIn(), d.hIc()}, {d.nIn(), d.hCi()}, {d.nIn(), d.hCi()},
          {d.hCi(), d.hCi(), d.fac(), d.hCon()}, {d.co(), d.hGen()},
          {d.hIc(), d.hIc()}, {d.ic()}, {d.hCon()}, {d.hGen()}, {d.fac()}};
      for (int l = 0; l < 11; l++) {
        for (int len : segs[l]) ncb[l] += cdiv(len, c);
      }
      inBlocks = cdiv(d.nIn(), c);
    }

    /** GRU pass A of layer l: the update and reset gates (z, r*h). */
    Pass gruA(int l) {
      int blocks = cdiv(rows[l], r);
      return new Pass(false, 2 * blocks * ncb[l], XSRC[l] | h(l), z(l) | rh(l), 2 * blocks, rows[l], false);
    }

    /** GRU pass B of layer l: the candidate and the new state (the CI encoders' also feed the controller). */
    Pass gruB(int l) {
      int blocks = cdiv(rows[l], r);
      int dst = h(l) | ((l == 2 || l == 3) ? CIH : 0);
      return new Pass(false, blocks * ncb[l], XSRC[l] | rh(l) | h(l) | z(l), dst, blocks, rows[l], false);
    }

    /**
     * The same encoder pass (layer 0..3) without its input columns: the online mode's step of a bin whose input
     * projection is on chip (or a leading zero bin's, which starts from the bias), each row block only its
     * recurrent column blocks.
     */
    Pass projected(Pass p) {
      return new Pass(false, p.tiles() - p.rowBlocks() * inBlocks, p.src(), p.dst(), p.rowBlocks(), p.rows(),
          p.emits());
    }

    /** Linear pass of layer l writing {@code dst}; factor passes that write FV and the readout emit their rows to
     * the output stream. */
    Pass lin(int l, int dst) {
      boolean emits = l == 10 || (l == 9 && (dst & FV) != 0);
      int blocks = cdiv(rows[l], r);
      return new Pass(false, blocks * ncb[l], XSRC[l], dst, blocks, rows[l], emits);
    }
  }

  /**
   * The program's part that the whole-trial and the online program share: the encoders over T_enc steps
   * (forward/backward, and CI with a controller, interleaved per step), then the IC mean and the generator's
   * initial state (and, with a controller, the initial factors it reads).
   */
  private static List<Pass> encoderAndSetup(Dims d, LayerGeometry g, boolean online) {
    List<Pass> prog = new ArrayList<>();
    int[] encLayers = d.controller() ? new int[] {0, 1, 2, 3} : new int[] {0, 1};
    for (int s = 0; s < d.tEnc(); s++) {
      // online: only the newest bin (forward layers' last step, backward layers' first) runs its input columns
      for (int l : encLayers) prog.add(encoderPass(g, g.gruA(l), l, s, d, online));
      for (int l : encLayers) prog.add(encoderPass(g, g.gruB(l), l, s, d, online));
    }
    prog.add(g.lin(6, ICM));
    prog.add(g.lin(7, h(5)));
    if (d.controller()) prog.add(g.lin(9, FS));
    return prog;
  }

  /** Encoder pass of layer l at program step s: whole in a trial, without its input columns online unless its bin is
   * the newest (bin T_enc - 1: the forward layers' step T_enc - 1, the backward layers' step 0). */
  private static Pass encoderPass(LayerGeometry g, Pass whole, int l, int s, Dims d, boolean online) {
    int bin = (l % 2 == 0) ? s : d.tEnc() - 1 - s;
    return (online && d.nIn() > 0 && bin != d.tEnc() - 1) ? g.projected(whole) : whole;
  }

  /** Cycles from the sequencer's start to its done (all passes issued and written back). */
  static Schedule passCycles(Dims d, Lanes lanes) {
    LayerGeometry g = new LayerGeometry(d, lanes);
    boolean hc = d.controller();
    List<Pass> prog = encoderAndSetup(d, g, false);
    for (int t = 0; t < d.tRec(); t++) {
      if (hc) {
        prog.add(g.gruA(4));
        prog.add(t == 0 ? skip() : g.lin(10, 0));
        prog.add(g.gruB(4));
        prog.add(g.lin(8, CO));
        prog.add(g.gruA(5));
        prog.add(g.gruB(5));
        prog.add(g.lin(9, FV | FS));
      } else {
        prog.add(g.gruA(5));
        prog.add(t == 0 ? skip() : g.lin(9, FV | FS));
        prog.add(g.gruB(5));
        prog.add(t == 0 ? skip() : g.lin(10, 0));
      }
    }
    return decoderTailAndReplay(prog, d, g, lanes);
  }

  // ---------------------------------------------------------------------------------------------
  // Online mode (FLAG_ONLINE, docs/kernel-numerics.md section 13): one bin in, the window ending at it, the newest
  // step's outputs and the status block out.

  /** Cycles from the accepted start to the cycle the status block's CYCLES word is taken, besides the input
   * phase and the pass schedule (start handshake, the run's last result write response, measured on the harness).
   * 6 since the result writer's data stage (as {@link #RUN_OVERHEAD}): the last result beat leaves a cycle later. */
  public static final int ONLINE_STATUS_OVERHEAD = 6;
  /** Cycles from the status word's CYCLES to ap_done: the one-beat status write and its response (harness). */
  public static final int ONLINE_STATUS_WRITE = 9;

  /**
   * An online run's cycles: {@code statusCycles} is the status block's CYCLES word, {@code runCycles} the CYCLES
   * register (accepted start to ap_done), {@code passCycles} the sequencer's part.
   */
  public record OnlinePrediction(long passCycles, long statusCycles, long runCycles) {
    public double microseconds(double clockMhz) {
      return runCycles / clockMhz;
    }
  }

  /** Predicts one online run (one bin pushed, the window ending at it inferred, outputs of its newest step). */
  public static OnlinePrediction predictOnline(Dims d, Lanes lanes) {
    Schedule s = onlinePassCycles(d, lanes);
    long lines = cdiv(d.nIn(), BEAT_BYTES);
    int slotWords = cdiv(lanes.maxHidden(), lanes.rows());
    long input = Math.max(INPUT_SETUP + lanes.memoryLatency() + lines, 5L * slotWords + 2);
    long status = ONLINE_STATUS_OVERHEAD + input + s.flushDone();
    return new OnlinePrediction(s.done(), status, status + ONLINE_STATUS_WRITE);
  }

  public static OnlinePrediction predictOnline(KernelImage img, Lanes lanes) {
    return predictOnline(Dims.of(img), lanes);
  }

  /**
   * The online program (hdl/rtl/lfads_engine.v, `online`): the encoders as in a trial but with the input projections
   * kept on chip (only the newest bin's steps run their input columns; every other step only its recurrent ones),
   * the decoder only up to the newest bin's step T_enc - 1, no factor/readout pass of an earlier step except the
   * controller's factor feedback, and only the newest step's factors and log-rates emitted. The same for every bin,
   * the first after a reset included (a leading zero bin's step starts from the bias: no ring fill).
   */
  static Schedule onlinePassCycles(Dims d, Lanes lanes) {
    LayerGeometry g = new LayerGeometry(d, lanes);
    boolean hc = d.controller();
    List<Pass> prog = encoderAndSetup(d, g, true);
    for (int t = 0; t < d.tEnc(); t++) {
      // the RTL's program keeps the skipped readout / factor entries: each still takes one sequencer cycle
      if (hc) {
        prog.add(g.gruA(4));
        prog.add(skip());
        prog.add(g.gruB(4));
        prog.add(g.lin(8, CO));
        prog.add(g.gruA(5));
        prog.add(g.gruB(5));
        Pass fac = g.lin(9, FV | FS);
        prog.add(t == d.tEnc() - 1 ? fac : fac.silent());
      } else {
        prog.add(g.gruA(5));
        prog.add(skip());
        prog.add(g.gruB(5));
        prog.add(skip());
      }
    }
    return decoderTailAndReplay(prog, d, g, lanes);
  }

  /**
   * Both programs' end: the last step's factors (the controller-less generator computes them after its last
   * step; with a controller they are the loop's last factor pass) and readout, then the cycle replay.
   */
  private static Schedule decoderTailAndReplay(List<Pass> prog, Dims d, LayerGeometry g, Lanes lanes) {
    if (!d.controller()) prog.add(g.lin(9, FV | FS));
    prog.add(g.lin(10, 0));
    return replay(prog, lanes.rows(), writebackLatency(lanes));
  }

  private static Pass skip() {
    return new Pass(true, 0, 0, 0, 0, 0, false);
  }

  /**
   * Cycle-by-cycle replay of the RTL sequencer (cycle 0 = the cycle seq_start is high), then of the
   * result writer's packer (lfads_axi_writer: up to 16 words per cycle into a beat, one cycle to hand a
   * full beat over, the AXI handshake taking one more) and of the end-of-trial flush.
   */
  private static Schedule replay(List<Pass> prog, int r, int wbl) {
    int[] busy = new int[23];
    java.util.ArrayDeque<long[]> pending = new java.util.ArrayDeque<>();
    List<long[]> chunks = new ArrayList<>();   // {cycle visible in the writer FIFO, words}
    int idx = 0;
    long remaining = 0;
    Pass cur = null;
    long curStart = 0;
    long lastIssue = Long.MIN_VALUE / 2;
    long done;
    for (long cyc = 1; ; cyc++) {
      while (!pending.isEmpty() && pending.peekFirst()[0] <= cyc) {
        long[] p = pending.pollFirst();
        for (int b = 0; b < 23; b++) if ((p[1] >> b & 1) != 0) busy[b]--;
      }
      int busyMask = 0;
      for (int b = 0; b < 23; b++) if (busy[b] != 0) busyMask |= 1 << b;
      boolean issuing = remaining > 0;
      boolean lastTile = remaining == 1;
      if (issuing) {
        lastIssue = cyc;
        long tileIndex = cyc - curStart;
        int ncb = cur.tiles() / cur.rowBlocks();
        if (cur.emits() && (tileIndex + 1) % ncb == 0) {
          int rb = (int) (tileIndex / ncb);
          // written back at the end of cyc + wbl, registered to the writer, in its FIFO two cycles later
          chunks.add(new long[] {cyc + wbl + 2, Math.min(r, cur.rows() - rb * r)});
        }
        if (lastTile) pending.addLast(new long[] {cyc + wbl + 1, cur.dst()});
      }
      boolean loaded = false;
      if (idx < prog.size()) {
        Pass p = prog.get(idx);
        if (p.skip()) {
          idx++;
        } else if ((!issuing || lastTile) && (busyMask & p.src()) == 0) {
          for (int b = 0; b < 23; b++) if ((p.dst() >> b & 1) != 0) busy[b]++;
          idx++;
          loaded = true;
          remaining = p.tiles();
          cur = p;
          curStart = cyc + 1;
        }
      }
      if (!loaded && issuing) remaining--;
      if (idx == prog.size() && remaining == 0 && !issuing && cyc >= lastIssue + wbl + 1
          && busyMask == 0 && pending.isEmpty()) {
        done = cyc;
        break;
      }
    }
    return new Schedule(done, packer(chunks, done));
  }

  /** Cycle (relative to the sequencer start) at which the engine starts the next trial. */
  private static long packer(List<long[]> chunks, long seqDone) {
    int next = 0;                  // next chunk to enter the FIFO
    java.util.ArrayDeque<long[]> fifo = new java.util.ArrayDeque<>();
    int fill = 0, ptr = 0;
    boolean outBusy = false, flushPending = false;
    int handed = -1;               // cycle offset of the AXI handshake in flight
    for (long c = 1; ; c++) {
      while (next < chunks.size() && chunks.get(next)[0] <= c) fifo.addLast(chunks.get(next++));
      boolean flush = c == seqDone + 1;
      boolean fifoEmpty = fifo.isEmpty();
      boolean packerEmpty = fifoEmpty && fill == 0 && !flushPending;
      // engine: TFLUSH leaves when the packer is empty and its flush pulse is over
      if (c >= seqDone + 2 && packerEmpty) return c + 1;
      boolean lineFull = fill == BEAT_WORDS;
      boolean handOver = !outBusy && (lineFull || (flushPending && fifoEmpty && fill != 0));
      boolean nextOutBusy = outBusy;
      if (outBusy && c >= handed + 1) nextOutBusy = false;   // AW / W accepted the cycle after hand-over
      boolean nextFlushPending = flushPending || flush;
      if (handOver) {
        nextOutBusy = true;
        handed = (int) c;
        fill = 0;
      } else {
        int fill0 = fill;
        if (!fifoEmpty && !lineFull) {
          long[] h = fifo.peekFirst();
          int take = (int) Math.min(h[1] - ptr, BEAT_WORDS - fill);
          fill += take;
          if (ptr + take == h[1]) {
            ptr = 0;
            fifo.pollFirst();
          } else {
            ptr += take;
          }
        }
        if (flushPending && fifoEmpty && fill0 == 0 && !flush) nextFlushPending = false;
      }
      outBusy = nextOutBusy;
      flushPending = nextFlushPending;
    }
  }
}
