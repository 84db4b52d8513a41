package org.lfadsrt.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lfadsrt.host.backend.BackendConfig;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.Backends;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.backend.InferenceBatch;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.ResultSink;
import org.lfadsrt.host.source.NwbRecording;
import org.lfadsrt.host.source.NwbTrialWindows;
import org.lfadsrt.sim.fixed.FidelityReport;
import org.lfadsrt.sim.fixed.ImageSidecar;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.Reconstruction;
import java.util.List;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.io.NpzWriter;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code infer}: offline inference of a file of trials. Input: an integer {@code .npy} of shape
 * (trials, T_enc, N_in) with counts 0..255 (the kernel's uint8 input format, shared by every
 * backend). Output: an {@code .npz} with float64 {@code factors}, the reconstruction's raw parameters by name
 * ({@code logrates} for Poisson; {@code logalphas, logbetas} for Gamma, ...) and {@code rates} = the
 * distribution's mean, each (trials, T_rec, .). Fixed-point backends print the quantizer's fidelity estimate. Bad input: one line on stderr, exit code 2.
 *
 * <p>An NWB recording as input ({@code --spikes R.nwb}): its {@code intervals/trials} are the trials, binned at
 * {@code --bin-ms} exactly as {@code replay} bins them ({@link NwbTrialWindows}: each trial's first T_enc bins, zero
 * after its stop_time, obs_intervals flagged); the .npz adds {@code trial_start_time}, {@code trial_bins} and
 * {@code trial_unobserved}; {@code --record-nwb FILE} writes the results as NWB (one row a bin inside a trial, bin-end
 * timestamps after the input's session start, unobserved trials in intervals/invalid_times; docs/nwb-output.md).
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = "Run LFADS inference on a .npy of spike counts (trials, T_enc, N_in), or on the trials of an NWB "
        + "recording; write factors, logrates, rates (.npz; --record-nwb: NWB too).")
public final class InferCommand implements Callable<Integer> {
  /** Exit code for bad input (files, shapes, dtypes, counts, unknown backend). */
  public static final int EXIT_BAD_INPUT = 2;
  /** Exit code for a backend failure while running. */
  public static final int EXIT_BACKEND = 3;

  @Spec CommandSpec spec;

  private LfadsModel loadedModel;

  @Option(names = "--model", required = true, paramLabel = "M.npz|K.img",
      description = "model file (docs/model-format.md), or a kernel image for --backend software, emu or xrt")
  Path model;

  @Option(names = "--spikes", required = true, paramLabel = "S.npy", description = "integer counts (trials, T_enc, N_in), 0..255; .npy, or .npz with an array 'spikes'; or an NWB "
          + "recording (.nwb: its intervals/trials, binned at --bin-ms)")
  Path spikes;

  @Option(names = "--out", required = true, paramLabel = "O.npz", description = "output: factors, logrates, rates (float64)")
  Path out;

  @Option(names = "--backend", defaultValue = "float", paramLabel = "NAME",
      description = "inference backend (default: ${DEFAULT-VALUE}; available: ${COMPLETION-CANDIDATES})",
      completionCandidates = BackendNames.class)
  String backend;

  @Option(names = "--session", paramLabel = "NAME|INDEX",
      description = "session of a multi-session model (its read-in and readout); required when it has several")
  String session;

  @Option(names = "--bin-ms", paramLabel = "MS", description = "NWB input: bin width in milliseconds (default: 10)")
  Double binMillis;

  @picocli.CommandLine.Mixin NwbUnitOptions nwbUnits = new NwbUnitOptions();

  @Option(names = "--record-nwb", paramLabel = "FILE.nwb",
      description = "NWB input: also write the factors, rates (and --decoder's behaviour) as an NWB 2.x file, one row "
          + "a bin inside a trial, timestamped with the input's bin times")
  Path recordNwb;

  @Option(names = "--decoder", paramLabel = "D.json",
      description = "with --record-nwb: behaviour decoder applied to each row's factors (decoded_behavior)")
  Path decoder;

  @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "trials per backend call (default: ${DEFAULT-VALUE})")
  int batchSize;

  /** Device and kernel-image options of the fixed-point backends (software, emu, xrt). */
  @picocli.CommandLine.Mixin
  DeviceOptions device = new DeviceOptions();

  /** Backend names for the help text. */
  static final class BackendNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Backends.names().iterator();
    }
  }

  /** A one-line input error. */
  static final class InputError extends Exception {
    InputError(String message) {
      super(message);
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outw = spec.commandLine().getOut();
    try {
      if (batchSize < 1) throw new InputError("--batch must be >= 1, got " + batchSize);
      ModelShape shape;
      checkNwbOptions(isNwb());
      NwbTrialWindows nwb = isNwb() ? readNwb() : null;
      RidgeDecoder dec = loadDecoder();
      NdArray counts = nwb != null
          ? NdArray.ofLongs(NdArray.DType.U1, nwb.counts(), nwb.trials(), nwb.tEnc(), nwb.channels()) : loadSpikes();
      try (InferenceBackend be = openBackend(counts)) {
        shape = be.shape();
        checkSpikes(counts, shape);
        if (dec != null && dec.inputDim() != shape.facDim()) {
          throw new InputError("--decoder " + decoder + " takes " + dec.inputDim() + " inputs but the model has "
              + shape.facDim() + " factors");
        }
        int trials = counts.dim(0);
        long t0 = System.nanoTime();
        double[] factors = new double[trials * shape.tRec() * shape.facDim()];
        double[] logrates = new double[trials * shape.tRec() * shape.nOut()];
        run(be, shape, counts, factors, logrates);
        long elapsed = System.nanoTime() - t0;
        Reconstruction recon = be.reconstruction();
        int neurons = recon.neurons(), steps = trials * shape.tRec();
        double[] rates = new double[steps * neurons];
        for (int i = 0; i < steps; i++) recon.means(logrates, i * shape.nOut(), rates, i * neurons);
        try (NpzWriter w = NpzWriter.create(out)) {
          w.put("factors", NdArray.ofDoubles(factors, trials, shape.tRec(), shape.facDim()));
          // the readout's raw parameters, each (trials, T_rec, neurons), named as lfads-torch's recons.py does
          List<String> names = recon.kind().paramNames();
          for (int p = 0; p < names.size(); p++) {
            double[] a = new double[steps * neurons];
            for (int i = 0; i < steps; i++) System.arraycopy(logrates, i * shape.nOut() + p * neurons, a, i * neurons, neurons);
            w.put(names.get(p), NdArray.ofDoubles(a, trials, shape.tRec(), neurons));
          }
          w.put("rates", NdArray.ofDoubles(rates, trials, shape.tRec(), neurons));
          if (nwb != null) {
            // where each trial's window lies in the recording (seconds after session_start_time)
            double[] start = new double[trials];
            long[] inTrial = new long[trials], unobserved = new long[trials];
            for (int k = 0; k < trials; k++) {
              start[k] = nwb.trialStartSeconds(k);
              inTrial[k] = nwb.inTrialBins(k);
              unobserved[k] = nwb.unobserved(k) ? 1 : 0;
            }
            w.put("trial_start_time", NdArray.ofDoubles(start, trials));
            w.put("trial_bins", NdArray.ofLongs(NdArray.DType.I8, inTrial, trials));
            w.put("trial_unobserved", NdArray.ofLongs(NdArray.DType.BOOL, unobserved, trials));
          }
        } catch (IOException e) {
          throw new InputError("cannot write " + out + ": " + e.getMessage());
        }
        outw.printf("infer: %d trials, backend %s, %.3f ms/trial -> %s (factors, %s, rates = %s means)%n", trials,
            be.name(), elapsed / 1e6 / trials, out, String.join(", ", recon.kind().paramNames()),
            recon.kind().className());
        outw.flush();
        if (recordNwb != null) writeNwb(be, nwb, dec, factors, rates);
      }
      return 0;
    } catch (InputError e) {
      err.println("infer: " + e.getMessage());
      err.flush();
      return EXIT_BAD_INPUT;
    } catch (BackendException e) {
      err.println("infer: backend " + backend + ": " + e.getMessage());
      err.flush();
      return e.kind() == BackendException.Kind.NOT_AVAILABLE || e.kind() == BackendException.Kind.INVALID_INPUT
          ? EXIT_BAD_INPUT : EXIT_BACKEND;
    }
  }

  /**
   * The backend for {@code --model}: a kernel image (magic "LFKI") runs as is on the fixed backend; a float model
   * given to the fixed backend is quantized with the defaults, calibrated on the input spikes.
   */
  private InferenceBackend openBackend(NdArray counts) throws InputError, BackendException {
    PrintWriter err = spec.commandLine().getErr();
    String backend = Backends.canonical(this.backend);
    if (KernelImageFiles.isKernelImage(model)) {
      if (session != null) throw new InputError("--session applies to model files; " + model + " is a kernel image of one session");
      KernelImage image = KernelImageFiles.read(model);
      ImageSidecar side = sidecar(model);
      if (!Backends.IMAGE_BACKENDS.contains(backend)) {
        throw new InputError(model + " is a kernel image: it runs on --backend " + String.join(", ", Backends.IMAGE_BACKENDS));
      }
      return Backends.openImage(backend, image, device.config(err), reconOf(side));
    }
    LfadsModel m = loadModel();
    BackendConfig config = device.config(err);
    if (Backends.IMAGE_BACKENDS.contains(backend)) {
      if (config.image() == null) {
        // quantize calibrated on the input spikes, so software and emu agree on the same image
        checkSpikes(counts, FloatBackend.shapeOf(m.config()));
        int[][][] trials = counts.toIntArray3();
        config = config.withImage(Quantizer.quantize(m, trials,
            Quantizer.Options.defaults().withBits(config.bits())).image());
        printFidelity(FidelityReport.compare(m, config.image(), trials), "calibrated on the input trials");
      } else {
        sidecar(device.image);
      }
    }
    return Backends.open(backend, m, config);
  }

  /** The image's sidecar (printing its fidelity estimate), or null (saying there is no estimate). */
  private ImageSidecar sidecar(Path image) throws InputError {
    ImageSidecar side;
    try {
      side = ImageSidecar.readFor(image);
    } catch (IOException e) {
      throw new InputError(oneLine(e.getMessage()));
    }
    if (side == null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("infer: " + image + " has no sidecar " + ImageSidecar.pathFor(image).getFileName()
          + ": no fidelity estimate, and its outputs are taken as Poisson log-rates (quantize writes the sidecar)");
      err.flush();
    } else {
      printFidelity(side.fidelity(), "from " + ImageSidecar.pathFor(image).getFileName());
    }
    return side;
  }

  private static Reconstruction reconOf(ImageSidecar side) {
    return side == null ? null : side.reconstruction();
  }

  private void printFidelity(FidelityReport f, String where) {
    String lines = ImageSidecar.fidelityLines(f);
    PrintWriter outw = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (String line : lines.split("\n")) {
      if (line.startsWith("WARNING")) {
        err.println("infer: " + line);
      } else {
        outw.println("infer: " + line + " (" + where + ")");
      }
    }
    outw.flush();
    err.flush();
  }

  private LfadsModel loadModel() throws InputError {
    if (loadedModel != null) return loadedModel;
    try {
      return loadedModel = ModelFile.load(model, session);
    } catch (NoSuchFileException e) {
      throw new InputError("model file not found: " + model);
    } catch (IOException e) {
      throw new InputError(oneLine(e.getMessage()));
    }
  }

  private boolean isNwb() {
    return spikes.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".nwb");
  }

  /** Options that only an NWB input gives meaning to are refused on a .npy/.npz (an option given is applied or refused). */
  private void checkNwbOptions(boolean nwbInput) throws InputError {
    if (nwbInput) {
      if (decoder != null && recordNwb == null) {
        throw new InputError("--decoder applies to the NWB output: give --record-nwb FILE.nwb too");
      }
      return;
    }
    if (recordNwb != null) {
      throw new InputError("--record-nwb: the bin times of " + spikes + " are unknown (a .npy/.npz holds counts only); "
          + "NWB output needs an NWB recording as --spikes (its trials are binned and timestamped)");
    }
    for (String opt : new String[] {"--bin-ms", "--units", "--units-table", "--decoder"}) {
      if (spec.commandLine().getParseResult().hasMatchedOption(opt)) {
        throw new InputError(opt + " applies to an NWB recording as --spikes; " + spikes + " holds binned trials");
      }
    }
  }

  /** The backend-facing dimensions of --model (a model file or a kernel image), before a backend is opened. */
  private ModelShape modelShape() throws InputError {
    if (KernelImageFiles.isKernelImage(model)) {
      KernelImage im = KernelImageFiles.read(model);
      return new ModelShape(im.nIn(), im.tEnc(), im.tRec(), im.facDim(), im.nOut());
    }
    return FloatBackend.shapeOf(loadModel().config());
  }

  /** The NWB recording's trials as windows of the model's T_enc bins (NwbTrialWindows: replay's binning). */
  private NwbTrialWindows readNwb() throws InputError {
    ModelShape shape = modelShape();
    double ms = binMillis == null ? 10.0 : binMillis;
    if (!(ms > 0) || ms > 10_000) throw new InputError("--bin-ms must be in (0, 10000], got " + ms);
    NwbTrialWindows w;
    try {
      NwbRecording rec = NwbRecording.open(spikes, nwbUnits.rows(), nwbUnits.unitsTable);
      if (rec.unitCount() != shape.nIn()) {
        throw new InputError(spikes + ": " + rec.unitCount() + " units selected from the Units table /"
            + rec.unitsTable() + " but the model takes N_in = " + shape.nIn() + " channels; choose " + shape.nIn()
            + " unit rows with --units i,j,..");
      }
      w = NwbTrialWindows.read(rec, Math.round(ms * 1e6), shape.tEnc());
    } catch (IOException | IllegalArgumentException e) {
      throw new InputError(oneLine(e.getMessage()));
    }
    PrintWriter outw = spec.commandLine().getOut();
    outw.println("infer: " + w.source().describe());
    int unobserved = 0;
    for (int k = 0; k < w.trials(); k++) if (w.unobserved(k)) unobserved++;
    outw.printf(java.util.Locale.ROOT, "infer: %d trials of intervals/trials in windows of %d bins of %s ms (bins after a "
        + "trial's stop_time are zero); %d trials longer than %d bins (their first %d inferred); %d trials with a bin "
        + "outside some unit's obs_intervals (trial_unobserved); %d counts above 255 saturated%n", w.trials(), w.tEnc(),
        ms, w.truncatedTrials(), w.tEnc(), w.tEnc(), unobserved, w.saturatedCounts());
    outw.flush();
    return w;
  }

  private RidgeDecoder loadDecoder() throws InputError {
    if (decoder == null) return null;
    try {
      return RidgeDecoder.load(decoder);
    } catch (IOException | RuntimeException e) {
      throw new InputError("--decoder " + decoder + ": " + oneLine(e.getMessage()));
    }
  }

  /**
   * {@code --record-nwb}: one row a bin inside a trial (the steps {@code replay --mode trial} publishes), trials in
   * start order, a bin shared by overlapping trials written once (from the earlier trial) so the timestamps ascend;
   * each row's values are this run's own (the .npz's factors and rates at that trial and step).
   */
  private void writeNwb(InferenceBackend be, NwbTrialWindows nwb, RidgeDecoder dec, double[] factors, double[] rates)
      throws InputError {
    ModelShape shape = be.shape();
    int neurons = be.reconstruction().neurons(), fac = shape.facDim(), trials = nwb.trials();
    long rows = 0;
    for (int k = 0; k < trials; k++) rows += Math.min(nwb.inTrialBins(k), shape.tRec());
    NwbOutput out = new NwbOutput(recordNwb, nwb.source(), be, modelName(), Mode.TRIAL, dec, rows,
        "infer: one row a bin inside a trial of intervals/trials (the first " + shape.tEnc()
            + " bins of each; a bin of overlapping trials once, from the earlier trial)");
    ResultSink sink = out.tap(null);
    BinResult r = new BinResult(fac, neurons, dec == null ? 0 : dec.outputDim());
    Integer[] order = new Integer[trials];
    for (int k = 0; k < trials; k++) order[k] = k;
    java.util.Arrays.sort(order, java.util.Comparator.comparingLong(nwb::firstBin));
    long lastWritten = -1, seq = 0;
    for (int k : order) {
      int steps = Math.min(nwb.inTrialBins(k), shape.tRec());
      for (int s = 0; s < steps; s++) {
        long bin = nwb.firstBin(k) + s;
        if (bin <= lastWritten) continue;
        int step = k * shape.tRec() + s;
        for (int j = 0; j < fac; j++) r.factors[j] = (float) factors[step * fac + j];
        for (int j = 0; j < neurons; j++) r.rates[j] = (float) rates[step * neurons + j];
        if (dec != null) dec.apply(r.factors, r.decoded);
        r.seq = seq++;
        r.binIndex = bin;
        r.flags = BinResult.FLAG_TRIAL | (s == 0 ? BinResult.FLAG_TRIAL_FIRST : 0)
            | (s == steps - 1 ? BinResult.FLAG_TRIAL_LAST : 0) | (nwb.unobserved(k) ? BinResult.FLAG_UNOBSERVED : 0);
        sink.publish(r);
        lastWritten = bin;
      }
    }
    try {
      PrintWriter outw = spec.commandLine().getOut();
      outw.println(out.writeFile("infer"));
      outw.flush();
    } catch (IOException e) {
      throw new InputError(oneLine(e.getMessage()));
    }
  }

  private String modelName() {
    return model.getFileName() + (session == null ? "" : " session " + session);
  }

  private NdArray loadSpikes() throws InputError {
    try {
      if (spikes.getFileName().toString().endsWith(".npz")) {
        // e.g. the output of `synth --out S.npz`: use its `spikes` array
        NpzReader npz = NpzReader.open(spikes);
        if (!npz.hasArray("spikes")) {
          throw new InputError(spikes + ": archive has no array 'spikes' (arrays: "
              + String.join(", ", npz.arrayNames()) + ")");
        }
        return npz.array("spikes");
      }
      return Npy.read(spikes);
    } catch (NoSuchFileException e) {
      throw new InputError("spikes file not found: " + spikes);
    } catch (IOException e) {
      throw new InputError(oneLine(e.getMessage()));
    }
  }

  private void checkSpikes(NdArray a, ModelShape shape) throws InputError {
    if (a.isFloating() || a.dtype() == NdArray.DType.BOOL) {
      throw new InputError(spikes + ": dtype " + a.dtype().descr() + " is not an integer type (spike counts must be integers)");
    }
    if (a.ndim() != 3) {
      throw new InputError(spikes + ": shape " + a.shapeString() + " has " + a.ndim()
          + " dimensions, expected 3: (trials, " + shape.tEnc() + ", " + shape.nIn() + ")");
    }
    if (a.dim(0) < 1 || a.dim(1) != shape.tEnc() || a.dim(2) != shape.nIn()) {
      throw new InputError(spikes + ": shape " + a.shapeString() + ", expected (trials >= 1, "
          + shape.tEnc() + ", " + shape.nIn() + ") for this model (T_enc = encod_seq_len, N_in = encod_data_dim)");
    }
    long[] v = a.longData();
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] > 255) {
        int n = i % shape.nIn();
        int t = (i / shape.nIn()) % shape.tEnc();
        int trial = i / (shape.nIn() * shape.tEnc());
        throw new InputError(spikes + ": " + (v[i] < 0 ? "negative count " : "count ") + v[i] + " at trial " + trial
            + ", bin " + t + ", channel " + n + (v[i] < 0 ? "" : " exceeds 255 (counts are 8-bit per bin)"));
      }
    }
  }

  private void run(InferenceBackend be, ModelShape shape, NdArray counts, double[] factors, double[] logrates)
      throws BackendException {
    int trials = counts.dim(0);
    int cap = Math.min(batchSize, trials);
    InferenceBatch batch = new InferenceBatch(shape, cap);
    long[] v = counts.longData();
    int perTrial = shape.spikeBytesPerTrial();
    int facPer = shape.tRec() * shape.facDim();
    int lrPer = shape.tRec() * shape.nOut();
    for (int first = 0; first < trials; first += cap) {
      int n = Math.min(cap, trials - first);
      batch.trials(n);
      for (int i = 0; i < n * perTrial; i++) batch.spikes().put(i, (byte) v[first * perTrial + i]);
      be.infer(batch);
      System.arraycopy(batch.factors(), 0, factors, first * facPer, n * facPer);
      System.arraycopy(batch.logrates(), 0, logrates, first * lrPer, n * lrPer);
    }
  }

  private static String oneLine(String s) {
    return s == null ? "unknown error" : s.replace('\n', ' ');
  }
}
