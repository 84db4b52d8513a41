package org.lfadsrt.sim.fixed;

import static org.lfadsrt.sim.contract.KernelContract.*;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bit-accurate kernel model: executes a {@link KernelImage} with integer arithmetic only, exactly as
 * docs/kernel-numerics.md specifies (§4 exact dot products in long accumulators, one rounding per narrowing,
 * saturation everywhere, §5 ClippedGRU, §6 interpolated tables, §7 data flow). Every shift is precomputed from
 * the image; the per-trial path allocates nothing.
 *
 * <p>Not thread-safe: one instance holds one set of work buffers. Create one per thread (construction is cheap
 * next to the image). Saturation counters accumulate over runs until {@link #resetCounters()}.
 */
public final class FixedLfads {

  /** What a saturation/clip counter counts. */
  public enum Site {
    /** spike count above 255 clamped on input (the host normally does this). */
    INPUT,
    /** pre-activation narrowed to PW bits. */
    PRE_ACTIVATION,
    /** pre-activation outside the activation table's range (the table's end value is used; not an error). */
    TABLE_RANGE,
    /** r∘h narrowed to W bits. */
    RESET_STATE,
    /** GRU state clipped to ±CLIP_Q (cell clipping, as in the float model; not an error). */
    CELL_CLIP,
    /** linear-layer output narrowed to W bits. */
    OUTPUT,
    /** the factor layer's state-format feedback narrowed to W bits. */
    OUTPUT_STATE,
  }

  private static final int SITES = Site.values().length;

  /**
   * How matrix-vector sums are held. Both give the same bits (the sums are exact integers, §4); {@code LONG} uses
   * 64-bit integer multiply-add, {@code EXACT_DOUBLE} the same operations on integer-valued doubles (exact below
   * 2^53, guaranteed by the image's accumulator proof when ACC_WIDTH ≤ 53), which the JIT vectorises.
   * Every rounding, saturation and table step is integer in both.
   */
  public enum Accumulation {
    LONG,
    EXACT_DOUBLE;

    /** EXACT_DOUBLE when the image's accumulator bound keeps every partial sum below 2^53, else LONG. */
    public static Accumulation fastestFor(KernelImage image) {
      return image.accWidth() <= 53 ? EXACT_DOUBLE : LONG;
    }
  }

  private final boolean exactDouble;

  private final KernelImage image;
  private final int w, fs, fg, fp, pw, clipQ;
  private final int nIn, nOut, tEnc, tRec, ciLag, facDim, icDim, hGen;
  private final boolean hasCon;
  private final long wMax, wMin, pMax, pMin;
  private final int[] sigmoid, tanh;
  private final long[] sigmoidSeg, tanhSeg; // per segment: start value << 32 | (end - start) as 32 bits (one load)
  private final int segBits, sigE, tanhE, sigS, tanhS;
  private final long sigLo, sigHi, tanhLo, tanhHi, sigMask, tanhMask;

  private final Gru icf, icb, cif, cib, con, gen;
  private final Linear icLin, g0, co, fac, ro;
  private final int facKState, facKOut;

  // Work buffers (per instance, reused across trials).
  private final int[] input; // the trial's counts, T_enc x N_in
  private final int[] x; // current bin's clamped spike counts
  private final int[] icIn; // [hf, hb]
  private final int[] ciF, ciB; // CI encoder outputs, T_enc x H_ci
  private final int[] conIn; // [ci_fwd, ci_bwd, fS]
  private final int[] coOut, g, facState, ciState;
  private final long[] facAcc;
  private final EncoderProjections trialProj; // the full-window path's per-bin projections, slot t = bin t
  private final long[] sat = new long[LAYER_COUNT * SITES];

  /** A model with long accumulation (the reference). */
  public FixedLfads(KernelImage image) {
    this(image, Accumulation.LONG);
  }

  public FixedLfads(KernelImage image, Accumulation accumulation) {
    this.image = image;
    if (accumulation == Accumulation.EXACT_DOUBLE && image.accWidth() > 53) {
      throw new IllegalArgumentException("EXACT_DOUBLE needs ACC_WIDTH <= 53, image has " + image.accWidth());
    }
    this.exactDouble = accumulation == Accumulation.EXACT_DOUBLE;
    w = image.dataWidth();
    fs = image.fracState();
    fg = image.fracGate();
    fp = image.fracPre();
    pw = image.preWidth();
    clipQ = image.clipQ();
    nIn = image.nIn();
    nOut = image.nOut();
    tEnc = image.tEnc();
    tRec = image.tRec();
    ciLag = image.ciLag();
    facDim = image.facDim();
    icDim = image.icDim();
    hGen = image.hGen();
    hasCon = image.hasController();
    wMax = FixedPoint.maxOf(w);
    wMin = FixedPoint.minOf(w);
    pMax = FixedPoint.maxOf(pw);
    pMin = FixedPoint.minOf(pw);
    sigmoid = image.section(S_SIGMOID_TABLE);
    tanh = image.section(S_TANH_TABLE);
    sigmoidSeg = segments(sigmoid);
    tanhSeg = segments(tanh);
    segBits = image.actSegBits();
    sigE = image.sigmoidRangeExp();
    tanhE = image.tanhRangeExp();
    sigS = sigE + 1 + fp - segBits;
    tanhS = tanhE + 1 + fp - segBits;
    sigLo = -(1L << (sigE + fp));
    sigHi = (1L << (sigE + fp)) - 1;
    tanhLo = -(1L << (tanhE + fp));
    tanhHi = (1L << (tanhE + fp)) - 1;
    sigMask = (1L << sigS) - 1;
    tanhMask = (1L << tanhS) - 1;

    icf = new Gru(LAYER_IC_FWD, S_IC_FWD_H0, 0, true);
    icb = new Gru(LAYER_IC_BWD, S_IC_BWD_H0, 0, true);
    cif = hasCon ? new Gru(LAYER_CI_FWD, S_CI_FWD_H0, 0, true) : null;
    cib = hasCon ? new Gru(LAYER_CI_BWD, S_CI_BWD_H0, 0, true) : null;
    con = hasCon ? new Gru(LAYER_CON, S_CON_H0, fs, false) : null;
    gen = new Gru(LAYER_GEN, -1, image.fracCo(), false);
    icLin = new Linear(LAYER_IC_LIN, fs, image.fracIc());
    g0 = new Linear(LAYER_G0, image.fracIc(), fs);
    co = hasCon ? new Linear(LAYER_CO, fs, image.fracCo()) : null;
    fac = new Linear(LAYER_FAC, fs, image.fracFac());
    ro = new Linear(LAYER_RO, image.fracFac(), image.fracLograte());
    facKState = image.accFrac(LAYER_FAC) - fs;
    facKOut = image.accFrac(LAYER_FAC) - image.fracFac();

    input = new int[tEnc * nIn];
    x = new int[nIn];
    icIn = new int[2 * image.hIcEnc()];
    int hci = image.hCiEnc();
    ciF = new int[tEnc * hci];
    ciB = new int[tEnc * hci];
    conIn = new int[hasCon ? 2 * hci + facDim : 0];
    coOut = new int[image.coDim()];
    g = new int[hGen];
    facState = new int[facDim];
    facAcc = new long[facDim];
    ciState = new int[Math.max(hci, 1)];
    trialProj = newProjections();
  }

  public KernelImage image() {
    return image;
  }

  /** Runs one trial: {@code spikes[t][i]}, T_enc x N_in counts (>= 0; counts above 255 saturate and are counted). */
  public FixedOutput infer(int[][] spikes) {
    FixedOutput out = FixedOutput.forImage(image);
    run(spikes, out, null);
    return out;
  }

  /** Runs a batch of trials. */
  public FixedOutput[] inferBatch(int[][][] trials) {
    FixedOutput[] outs = new FixedOutput[trials.length];
    for (int i = 0; i < trials.length; i++) outs[i] = infer(trials[i]);
    return outs;
  }

  /**
   * Runs one trial into {@code out} (allocation-free), reporting every intermediate to {@code trace} when
   * it is not null.
   */
  public void run(int[][] spikes, FixedOutput out, FixedTrace trace) {
    if (spikes.length != tEnc) {
      throw new IllegalArgumentException("spikes: expected " + tEnc + " bins (T_enc), found " + spikes.length);
    }
    for (int t = 0; t < tEnc; t++) {
      if (spikes[t].length != nIn) {
        throw new IllegalArgumentException("spikes[" + t + "]: expected " + nIn + " channels (N_in), found " + spikes[t].length);
      }
      System.arraycopy(spikes[t], 0, input, t * nIn, nIn);
    }
    runLoaded(out, trace);
  }

  /** Runs one trial from flat counts {@code spikes[off + t * N_in + i]} (T_enc x N_in, bin-major). */
  public void run(int[] spikes, int off, FixedOutput out, FixedTrace trace) {
    if (off < 0 || spikes.length - off < input.length) {
      throw new IllegalArgumentException("spikes: need " + input.length + " counts from offset " + off + ", array has "
          + spikes.length);
    }
    System.arraycopy(spikes, off, input, 0, input.length);
    runLoaded(out, trace);
  }

  /** Runs one trial from the device input layout (§10): T_enc x N_in unsigned bytes at {@code input[off]}. */
  public void run(byte[] device, int off, FixedOutput out, FixedTrace trace) {
    if (off < 0 || device.length - off < input.length) {
      throw new IllegalArgumentException("input: need " + input.length + " bytes from offset " + off + ", buffer has "
          + device.length);
    }
    for (int i = 0; i < input.length; i++) input[i] = device[off + i] & 0xFF;
    runLoaded(out, trace);
  }

  private void runLoaded(FixedOutput out, FixedTrace trace) {
    checkOutput(out);
    for (int t = 0; t < tEnc; t++) {
      loadSpikes(t, true);
      project(x, trialProj, t);
    }
    runProjected(trialProj, 0, out, trace);
  }

  private void checkOutput(FixedOutput out) {
    if (out.tRec != tRec || out.facDim != facDim || out.nOut != nOut || out.icMean.length != icDim) {
      throw new IllegalArgumentException("output buffer shaped for another model");
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Per-bin encoder input projections (the part of a window's work that depends on one bin only).
  // ------------------------------------------------------------------------------------------------------

  /**
   * For every encoder GRU that reads spikes (IC fwd/bwd, CI fwd/bwd), {@code T_enc} slots of its input partial sum
   * {@code Wih·x·2^(A-Fwi) + b·2^(A-Fb)} (3H exact integers per slot, at the layer's accumulator fraction A). §4/§5
   * add the input, recurrent and bias terms into one exact accumulator and round once, so adding the recurrent
   * term to this cached integer later gives the same accumulator, hence the same bits, as computing it in one go.
   */
  static final class EncoderProjections {
    final long[] icf, icb, cif, cib;

    EncoderProjections(int slots, int hIc, int hCi) {
      icf = new long[slots * 3 * hIc];
      icb = new long[slots * 3 * hIc];
      cif = new long[slots * 3 * hCi];
      cib = new long[slots * 3 * hCi];
    }
  }

  EncoderProjections newProjections() {
    return new EncoderProjections(tEnc, image.hIcEnc(), hasCon ? image.hCiEnc() : 0);
  }

  int nIn() {
    return nIn;
  }

  int tEnc() {
    return tEnc;
  }

  /** Projects one bin of clamped counts {@code bin} (N_in, 0..255) into slot {@code slot} of every encoder. */
  void project(int[] bin, EncoderProjections p, int slot) {
    icf.project(bin, p.icf, slot * 3 * icf.h);
    icb.project(bin, p.icb, slot * 3 * icb.h);
    if (hasCon) {
      cif.project(bin, p.cif, slot * 3 * cif.h);
      cib.project(bin, p.cib, slot * 3 * cib.h);
    }
  }

  /**
   * Checks, clamps (counting counts above 255 as {@link Site#INPUT}) and projects {@code counts[off..off+N_in)}
   * into slot {@code slot}. {@code binNumber} names the bin in errors.
   */
  void projectCounts(int[] counts, int off, EncoderProjections p, int slot, long binNumber) {
    for (int i = 0; i < nIn; i++) {
      int v = counts[off + i];
      if (v < 0) {
        throw new IllegalArgumentException("negative spike count " + v + " in pushed bin " + binNumber + ", channel " + i);
      }
      if (v > SPIKE_COUNT_MAX) {
        sat[Site.INPUT.ordinal()]++;
        v = SPIKE_COUNT_MAX;
      }
      x[i] = v;
    }
    project(x, p, slot);
  }

  /** Projects an all-zero bin (the window's content before any bin arrived) into {@code slot}. */
  void projectZeroBin(EncoderProjections p, int slot) {
    java.util.Arrays.fill(x, 0);
    project(x, p, slot);
  }

  /**
   * Runs one window whose bin t (0 = oldest) has its projections in slot {@code (oldest + t) mod T_enc} of {@code p}:
   * everything after the input projections (§7 steps 1-7).
   */
  void runProjected(EncoderProjections p, int oldest, FixedOutput out, FixedTrace trace) {
    checkOutput(out);
    if (oldest < 0 || oldest >= tEnc) throw new IllegalArgumentException("oldest slot " + oldest + " outside 0.." + (tEnc - 1));
    int hic = icf.h;
    int stIc = 3 * hic;
    // 1-2. IC encoder, forward then backward; states end in icIn = [hf, hb].
    icf.reset();
    for (int t = 0; t < tEnc; t++) {
      icf.stepProjected(p.icf, slotOf(oldest, t) * stIc, t, trace);
    }
    icb.reset();
    for (int t = tEnc - 1; t >= 0; t--) {
      icb.stepProjected(p.icb, slotOf(oldest, t) * stIc, t, trace);
    }
    System.arraycopy(icf.state, 0, icIn, 0, hic);
    System.arraycopy(icb.state, 0, icIn, hic, hic);
    // 3-4. ic_mean and g0.
    icLin.apply(icIn, out.icMean, -1, trace);
    g0.apply(out.icMean, g, -1, trace);
    // 5. CI encoder outputs for every bin.
    int hci = image.hCiEnc();
    if (hasCon) {
      int stCi = 3 * hci;
      cif.reset();
      for (int t = 0; t < tEnc; t++) {
        cif.stepProjected(p.cif, slotOf(oldest, t) * stCi, t, trace);
        System.arraycopy(cif.state, 0, ciF, t * hci, hci);
      }
      cib.reset();
      for (int t = tEnc - 1; t >= 0; t--) {
        cib.stepProjected(p.cib, slotOf(oldest, t) * stCi, t, trace);
        System.arraycopy(cib.state, 0, ciB, t * hci, hci);
      }
      con.reset();
    }
    // 6. Initial factor (state format only; not emitted).
    fac.accumulate(g, facAcc);
    for (int k = 0; k < facDim; k++) facState[k] = (int) narrow(facAcc[k], facKState, w, LAYER_FAC, Site.OUTPUT_STATE);
    if (trace != null) trace.record(LAYER_FAC, FixedTrace.Probe.OUTPUT_STATE, -1, facState, facDim);
    // 7. Decoder steps.
    gen.loadState(g);
    int[] fOut = out.factors, lrOut = out.logrates;
    for (int t = 0; t < tRec; t++) {
      if (hasCon) {
        for (int k = 0; k < hci; k++) {
          conIn[k] = (t < tEnc && t >= ciLag) ? ciF[(t - ciLag) * hci + k] : 0;
          conIn[hci + k] = (t + ciLag < tEnc) ? ciB[(t + ciLag) * hci + k] : 0;
        }
        System.arraycopy(facState, 0, conIn, 2 * hci, facDim);
        con.step(conIn, t, trace);
        co.apply(con.state, coOut, t, trace);
        gen.step(coOut, t, trace);
      } else {
        gen.step(null, t, trace);
      }
      fac.accumulate(gen.state, facAcc);
      int fo = t * facDim;
      for (int k = 0; k < facDim; k++) {
        long a = facAcc[k];
        fOut[fo + k] = (int) narrow(a, facKOut, w, LAYER_FAC, Site.OUTPUT);
        facState[k] = (int) narrow(a, facKState, w, LAYER_FAC, Site.OUTPUT_STATE);
      }
      if (trace != null) {
        trace.record(LAYER_FAC, FixedTrace.Probe.OUTPUT, t, copyOf(fOut, fo, facDim), facDim);
        trace.record(LAYER_FAC, FixedTrace.Probe.OUTPUT_STATE, t, facState, facDim);
      }
      ro.applyInto(fOut, fo, lrOut, t * nOut, t, trace);
    }
  }

  private int slotOf(int oldest, int t) {
    int s = oldest + t;
    return s >= tEnc ? s - tEnc : s;
  }

  private static int[] copyOf(int[] a, int from, int len) {
    int[] c = new int[len];
    System.arraycopy(a, from, c, 0, len);
    return c;
  }

  /** Copies bin {@code t}, clamping counts above 255 and counting them when {@code count}. */
  private void loadSpikes(int t, boolean count) {
    int base = t * nIn;
    for (int i = 0; i < nIn; i++) {
      int v = input[base + i];
      if (v < 0) throw new IllegalArgumentException("negative spike count " + v + " in bin " + t + ", channel " + i);
      if (v > SPIKE_COUNT_MAX) {
        if (count) sat[Site.INPUT.ordinal()]++;
        v = SPIKE_COUNT_MAX;
      }
      x[i] = v;
    }
  }

  /** REQ with a precomputed shift k = Ffrom - Fto, counting saturations at (layer, site). */
  private long narrow(long v, int k, int width, int layer, Site site) {
    long r = k >= 0 ? FixedPoint.rsh(v, k) : FixedPoint.shiftForReq(v, k);
    long max = (1L << (width - 1)) - 1;
    if (r > max) {
      sat[layer * SITES + site.ordinal()]++;
      return max;
    }
    if (r < -max - 1) {
      sat[layer * SITES + site.ordinal()]++;
      return -max - 1;
    }
    return r;
  }

  /**
   * Segment i of a table as one long, so that the fast step's interpolation is one load: its start value T[i] in the
   * high 32 bits, its rise T[i+1] - T[i] in the low 32 (gate values of W bits: the rise fits whenever W < 32, and a
   * table whose rise does not fit is refused here rather than silently wrapped).
   */
  private static long[] segments(int[] t) {
    long[] seg = new long[t.length - 1];
    for (int i = 0; i < seg.length; i++) {
      long d = (long) t[i + 1] - t[i];
      if (d != (int) d) throw new IllegalStateException("activation table step " + d + " does not fit 32 bits at " + i);
      seg[i] = ((long) t[i] << 32) | (d & 0xFFFF_FFFFL);
    }
    return seg;
  }

  private int sigmoidOf(long p, int layer) {
    if (p < sigLo || p > sigHi) {
      sat[layer * SITES + Site.TABLE_RANGE.ordinal()]++;
      p = p < sigLo ? sigLo : sigHi;
    }
    long u = p - sigLo;
    int idx = (int) (u >> sigS);
    long t0 = sigmoid[idx];
    long y = t0 + FixedPoint.rsh((sigmoid[idx + 1] - t0) * (u & sigMask), sigS);
    return (int) (y > wMax ? wMax : (y < wMin ? wMin : y));
  }

  private int tanhOf(long p, int layer) {
    if (p < tanhLo || p > tanhHi) {
      sat[layer * SITES + Site.TABLE_RANGE.ordinal()]++;
      p = p < tanhLo ? tanhLo : tanhHi;
    }
    long u = p - tanhLo;
    int idx = (int) (u >> tanhS);
    long t0 = tanh[idx];
    long y = t0 + FixedPoint.rsh((tanh[idx + 1] - t0) * (u & tanhMask), tanhS);
    return (int) (y > wMax ? wMax : (y < wMin ? wMin : y));
  }

  // ------------------------------------------------------------------------------------------------------
  // Saturation counters.
  // ------------------------------------------------------------------------------------------------------

  public long count(int layer, Site site) {
    return site == Site.INPUT ? sat[Site.INPUT.ordinal()] : sat[layer * SITES + site.ordinal()];
  }

  public void resetCounters() {
    java.util.Arrays.fill(sat, 0);
  }

  /** Nonzero counters by name, e.g. {@code "GEN.pre_activation" -> 12}; spikes clamped on input as {@code "input"}. */
  public Map<String, Long> counters() {
    Map<String, Long> m = new LinkedHashMap<>();
    if (sat[Site.INPUT.ordinal()] > 0) m.put("input", sat[Site.INPUT.ordinal()]);
    for (int l = 0; l < LAYER_COUNT; l++) {
      for (Site s : Site.values()) {
        if (s == Site.INPUT) continue;
        long c = sat[l * SITES + s.ordinal()];
        if (c > 0) m.put(LAYER_NAMES.get(l) + "." + s.name().toLowerCase(), c);
      }
    }
    return m;
  }

  // ------------------------------------------------------------------------------------------------------
  // Layers.
  // ------------------------------------------------------------------------------------------------------

  /** One ClippedGRU cell (§5) with its precomputed alignment shifts. */
  private final class Gru {
    final int layer, h, nx, h0Section;
    final int[] wih, whh, b, h0;
    final int shX, shH, shB, kPre, gateToState, updateShift;
    final boolean spikeInput;
    final int[] state, next, gates, rh;
    final long[] proj, recAcc, inSum;
    final IntMatrix wihM, whhM;
    final int[] pre;

    Gru(int layer, int h0Section, int inputFrac, boolean spikeInput) {
      this.layer = layer;
      this.h0Section = h0Section;
      this.spikeInput = spikeInput;
      int[] ws = LayerPlan.weightSections(layer);
      int bs = LayerPlan.biasSection(layer);
      h = image.sectionRows(ws[1]) / 3;
      nx = image.sectionCols(ws[0]);
      wih = image.section(ws[0]);
      whh = image.section(ws[1]);
      b = image.section(bs);
      h0 = h0Section >= 0 ? image.section(h0Section) : null;
      int a = image.accFrac(layer);
      shX = nx == 0 ? 0 : a - image.sectionFrac(ws[0]) - inputFrac;
      shH = a - image.sectionFrac(ws[1]) - fs;
      shB = a - image.sectionFrac(bs);
      kPre = a - fp;
      gateToState = fg - fs;
      updateShift = 2 * fg - fs;
      state = new int[h];
      next = new int[h];
      gates = new int[3 * h];
      rh = new int[h];
      wihM = new IntMatrix(wih, 3 * h, nx, exactDouble);
      whhM = new IntMatrix(whh, 3 * h, h, exactDouble);
      proj = new long[3 * h];
      recAcc = new long[3 * h];
      inSum = new long[3 * h];
      pre = new int[2 * h];
      if (nx == 0) project(null, inSum, 0); // constant: only step() reads inSum, and only overwrites it when nx > 0
    }

    void reset() {
      System.arraycopy(h0, 0, state, 0, h);
    }

    void loadState(int[] s) {
      System.arraycopy(s, 0, state, 0, h);
    }

    /**
     * {@code dst[off + j] = Wih[j]·x·2^shX + b[j]·2^shB} for the 3H rows: the input and bias terms of the exact
     * accumulator (x has nx entries; null when nx = 0).
     */
    void project(int[] in, long[] dst, int off) {
      int h3 = 3 * h;
      long[] pj = proj;
      if (nx == 0) {
        for (int j = 0; j < h3; j++) dst[off + j] = (long) b[j] << shB;
        return;
      }
      wihM.mul(in, 0, pj, 0, h3);
      for (int j = 0; j < h3; j++) dst[off + j] = (pj[j] << shX) + ((long) b[j] << shB);
    }

    /**
     * h = GRU(x, h); x has nx entries (null when nx = 0). With no input (the generator of a model without a
     * controller) the input-plus-bias sums are the bias alone, the same every step: computed once, here in the
     * constructor.
     */
    void step(int[] in, int t, FixedTrace trace) {
      if (nx == 0) {
        stepProjected(inSum, 0, t, trace);
        return;
      }
      project(in, inSum, 0);
      stepProjected(inSum, 0, t, trace);
    }

    /** h = GRU(x, h) given x's input-plus-bias partial sums {@code ih[off .. off + 3H)} (see {@link #project}). */
    void stepProjected(long[] ih, int off, int t, FixedTrace trace) {
      if (exactDouble) stepTight(ih, off, t, trace);
      else stepReference(ih, off, t, trace);
    }

    /**
     * {@link #stepReference} with every constant in a local, the rounding shifts inlined and the saturation counts
     * summed in locals (added to the counters once per step, which gives the same totals): the element-wise part of
     * a step is about a third of a window's time once the products are vectorised. Same bits, same counts, same
     * trace records (AccumulationTest compares it with the reference word for word, intermediates included).
     */
    void stepTight(long[] ih, int off, int t, FixedTrace trace) {
      final int h = this.h, h2 = 2 * h;
      final int[] s = state, pre = this.pre, gates = this.gates, rh = this.rh, next = this.next;
      final long wMax = FixedLfads.this.wMax, wMin = FixedLfads.this.wMin;
      int resetSat = 0, clipSat = 0;
      // z and r rows: sigmoid.
      long sats = activate(ih, off, whhM.mulDenseSums(s, 0, 0, h2), 0, h2, 0, sigmoidSeg, sigLo, sigHi, sigMask, sigS);
      // r∘h, narrowed from Fg + Fs to Fs.
      {
        final int k = fg;
        final boolean right = k >= 0 && k < 62;
        final long half = k > 0 && k < 62 ? 1L << (k - 1) : 0;
        for (int i = 0; i < h; i++) {
          long prod = (long) gates[h + i] * s[i];
          long v = right ? (prod + half) >> k : FixedPoint.shiftForReq(prod, k);
          if (v > wMax) {
            v = wMax;
            resetSat++;
          } else if (v < wMin) {
            v = wMin;
            resetSat++;
          }
          rh[i] = (int) v;
        }
      }
      if (trace != null) {
        trace.record(layer, FixedTrace.Probe.PRE_ZR, t, pre, h2);
        trace.record(layer, FixedTrace.Probe.GATE_Z, t, copyOf(gates, 0, h), h);
        trace.record(layer, FixedTrace.Probe.GATE_R, t, copyOf(gates, h, h), h);
        trace.record(layer, FixedTrace.Probe.RESET_STATE, t, rh, h);
      }
      // n rows read r∘h: tanh.
      sats += activate(ih, off, whhM.mulDenseSums(rh, 0, h2, 3 * h), h2, 3 * h, h2, tanhSeg, tanhLo, tanhHi, tanhMask, tanhS);
      if (trace != null) {
        trace.record(layer, FixedTrace.Probe.PRE_N, t, pre, h);
        trace.record(layer, FixedTrace.Probe.CANDIDATE, t, copyOf(gates, h2, h), h);
      }
      // Update, one rounding from 2·Fg to Fs, then the cell clip.
      {
        final long one = 1L << fg;
        final int g2s = gateToState, k = updateShift;
        final boolean right = k >= 0 && k < 62;
        final long half = k > 0 && k < 62 ? 1L << (k - 1) : 0;
        final long clip = clipQ;
        for (int i = 0; i < h; i++) {
          long z = gates[i];
          long u = ((z * s[i]) << g2s) + (one - z) * gates[h2 + i];
          long hn = right ? (u + half) >> k : FixedPoint.rsh(u, k);
          if (hn > clip) {
            hn = clip;
            clipSat++;
          } else if (hn < -clip) {
            hn = -clip;
            clipSat++;
          }
          next[i] = (int) hn;
        }
      }
      System.arraycopy(next, 0, s, 0, h);
      int base = layer * SITES;
      sat[base + Site.PRE_ACTIVATION.ordinal()] += sats >>> 32;
      sat[base + Site.TABLE_RANGE.ordinal()] += (int) sats;
      sat[base + Site.RESET_STATE.ordinal()] += resetSat;
      sat[base + Site.CELL_CLIP.ordinal()] += clipSat;
      if (trace != null) trace.record(layer, FixedTrace.Probe.STATE, t, s, h);
    }

    /**
     * Rows [from, to) of a step's gate pre-activations and activations: the exact sum {@code ih[off + j] + rec[j]·2^shH}
     * (rec: the recurrent products, exact integer-valued doubles) narrowed to the pre-activation format ({@code pre[j -
     * preBase]}), clamped to the table's range and looked up with interpolation in {@code seg} ({@code gates[j]}). One
     * loop for the sigmoid (z, r) and tanh (n) rows. Returns the saturation counts packed as {@code pre << 32 | table}.
     */
    private long activate(long[] ih, int off, double[] rec, int from, int to, int preBase, long[] seg, long lo, long hi,
        long mask, int sh) {
      final int[] pre = this.pre, gates = this.gates;
      final int shH = this.shH, kPre = this.kPre;
      final boolean preRight = kPre >= 0 && kPre < 62;
      final long preHalf = kPre > 0 && kPre < 62 ? 1L << (kPre - 1) : 0;
      final long pMax = FixedLfads.this.pMax, pMin = FixedLfads.this.pMin;
      final long wMax = FixedLfads.this.wMax, wMin = FixedLfads.this.wMin;
      final long half = sh > 0 ? 1L << (sh - 1) : 0;
      int preSat = 0, tableSat = 0;
      for (int j = from; j < to; j++) {
        long acc = ih[off + j] + ((long) rec[j] << shH);
        long p0 = preRight ? (acc + preHalf) >> kPre : FixedPoint.shiftForReq(acc, kPre);
        long p = Math.max(pMin, Math.min(pMax, p0)); // branch-free clamps: the counts are sums of comparisons
        preSat += p != p0 ? 1 : 0;
        pre[j - preBase] = (int) p;
        long pt = Math.max(lo, Math.min(hi, p));
        tableSat += pt != p ? 1 : 0;
        p = pt;
        long u = p - lo;
        long sv = seg[(int) (u >> sh)];
        long y = (sv >> 32) + ((((long) (int) sv) * (u & mask) + half) >> sh);
        gates[j] = (int) (y > wMax ? wMax : (y < wMin ? wMin : y));
      }
      return (long) preSat << 32 | tableSat;
    }

    /** The step written as the spec reads (§5), narrowing through {@link #narrow}: the reference for LONG. */
    void stepReference(long[] ih, int off, int t, FixedTrace trace) {
      int h3 = 3 * h;
      int[] s = state;
      long[] rec = recAcc;
      // z and r rows.
      whhM.mul(s, 0, rec, 0, 2 * h);
      for (int j = 0; j < 2 * h; j++) {
        long acc = ih[off + j] + (rec[j] << shH);
        long p = narrow(acc, kPre, pw, layer, Site.PRE_ACTIVATION);
        pre[j] = (int) p;
        gates[j] = sigmoidOf(p, layer);
      }
      for (int k = 0; k < h; k++) {
        rh[k] = (int) narrow((long) gates[h + k] * s[k], fg, w, layer, Site.RESET_STATE);
      }
      if (trace != null) {
        trace.record(layer, FixedTrace.Probe.PRE_ZR, t, pre, 2 * h);
        trace.record(layer, FixedTrace.Probe.GATE_Z, t, copyOf(gates, 0, h), h);
        trace.record(layer, FixedTrace.Probe.GATE_R, t, copyOf(gates, h, h), h);
        trace.record(layer, FixedTrace.Probe.RESET_STATE, t, rh, h);
      }
      // n rows read r∘h.
      whhM.mul(rh, 0, rec, 2 * h, h3);
      for (int k = 0; k < h; k++) {
        int j = 2 * h + k;
        long acc = ih[off + j] + (rec[j] << shH);
        long p = narrow(acc, kPre, pw, layer, Site.PRE_ACTIVATION);
        pre[k] = (int) p;
        gates[j] = tanhOf(p, layer);
      }
      if (trace != null) {
        trace.record(layer, FixedTrace.Probe.PRE_N, t, pre, h);
        trace.record(layer, FixedTrace.Probe.CANDIDATE, t, copyOf(gates, 2 * h, h), h);
      }
      long one = 1L << fg;
      for (int k = 0; k < h; k++) {
        long z = gates[k];
        long u = ((z * s[k]) << gateToState) + (one - z) * gates[2 * h + k];
        long hn = FixedPoint.rsh(u, updateShift);
        if (hn > clipQ) {
          hn = clipQ;
          sat[layer * SITES + Site.CELL_CLIP.ordinal()]++;
        } else if (hn < -clipQ) {
          hn = -clipQ;
          sat[layer * SITES + Site.CELL_CLIP.ordinal()]++;
        }
        next[k] = (int) hn; // |hn| <= CLIP_Q <= 2^(W-1)-1: the final SAT never changes it
      }
      System.arraycopy(next, 0, s, 0, h);
      if (trace != null) trace.record(layer, FixedTrace.Probe.STATE, t, s, h);
    }
  }

  /** A linear layer (§4): y = REQ(W x + b, A, Fy, W). */
  private final class Linear {
    final int layer, rows, cols;
    final int[] wq, b;
    final int shB, kOut;
    final long[] acc;
    final IntMatrix wm;

    Linear(int layer, int inputFrac, int outFrac) {
      this.layer = layer;
      int ws = LayerPlan.weightSections(layer)[0];
      int bs = LayerPlan.biasSection(layer);
      rows = image.sectionRows(ws);
      cols = image.sectionCols(ws);
      wq = image.section(ws);
      b = bs >= 0 ? image.section(bs) : null;
      int a = image.accFrac(layer);
      if (a != image.sectionFrac(ws) + inputFrac) throw new IllegalStateException("ACC_FRAC of " + layer);
      shB = bs >= 0 ? a - image.sectionFrac(bs) : 0;
      kOut = a - outFrac;
      acc = new long[rows];
      wm = new IntMatrix(wq, rows, cols, exactDouble);
    }

    void accumulate(int[] in, long[] acc) {
      wm.mul(in, 0, acc, 0, rows);
      if (b != null) for (int j = 0; j < rows; j++) acc[j] += (long) b[j] << shB;
    }

    void apply(int[] in, int[] out, int t, FixedTrace trace) {
      applyInto(in, 0, out, 0, t, trace);
    }

    void applyInto(int[] in, int inOff, int[] out, int outOff, int t, FixedTrace trace) {
      long[] acc = this.acc;
      wm.mul(in, inOff, acc, 0, rows);
      for (int j = 0; j < rows; j++) {
        long v = acc[j];
        if (b != null) v += (long) b[j] << shB;
        out[outOff + j] = (int) narrow(v, kOut, w, layer, Site.OUTPUT);
      }
      if (trace != null) trace.record(layer, FixedTrace.Probe.OUTPUT, t, outOff == 0 ? out : copyOf(out, outOff, rows), rows);
    }
  }

  /**
   * {@code out[j] = Σ_i W[j][i]·v[voff + i]} for rows [from, to) of a row-major matrix with {@code n} columns, exact
   * in long. Four rows at a time share each input load (the sum's order does not matter: it is exact).
   */
  static void matVec(int[] wq, int n, int[] v, int voff, long[] out, int from, int to) {
    int j = from;
    for (; j + 3 < to; j += 4) {
      int o0 = j * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int i = 0; i < n; i++) {
        long x = v[voff + i];
        s0 += wq[o0 + i] * x;
        s1 += wq[o1 + i] * x;
        s2 += wq[o2 + i] * x;
        s3 += wq[o3 + i] * x;
      }
      out[j] = s0;
      out[j + 1] = s1;
      out[j + 2] = s2;
      out[j + 3] = s3;
    }
    for (; j < to; j++) {
      int o = j * n;
      long s = 0;
      for (int i = 0; i < n; i++) s += wq[o + i] * (long) v[voff + i];
      out[j] = s;
    }
  }
}
