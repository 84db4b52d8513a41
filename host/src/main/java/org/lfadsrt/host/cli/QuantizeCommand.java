package org.lfadsrt.host.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lfadsrt.sim.fixed.FidelityReport;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.ImageSidecar;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.io.NdArray;
import org.lfadsrt.sim.io.Npy;
import org.lfadsrt.sim.io.NpzReader;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quantize}: float model + calibration spikes -> kernel image (docs/kernel-numerics.md), then a fidelity
 * report of the image against the float model on the calibration spikes. Bad input: one line on stderr, exit 2.
 */
@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    description = "Quantize a model into a fixed-point kernel image, calibrated on spike counts; print a fidelity report.")
public final class QuantizeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "M.npz", description = "float model (docs/model-format.md)")
  Path model;

  @Option(names = "--calib", required = true, paramLabel = "S.npy",
      description = "calibration spike counts, integer (trials, T_enc, N_in), 0..255; .npy, or .npz with an array 'spikes'")
  Path calib;

  @Option(names = "--out", required = true, paramLabel = "K.img", description = "kernel image to write")
  Path out;

  @Option(names = "--session", paramLabel = "NAME|INDEX",
      description = "session of a multi-session model (its read-in is folded into the encoders); required when it has several")
  String session;

  @Option(names = "--bits", defaultValue = "16", paramLabel = "W", description = "data width, 8..18 (default: ${DEFAULT-VALUE})")
  int bits;

  @Option(names = "--report", paramLabel = "FILE.json", description = "also write the fidelity report as JSON")
  Path report;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outw = spec.commandLine().getOut();
    try {
      if (bits < 8 || bits > 18) throw new InferCommand.InputError("--bits must be in 8..18, got " + bits);
      LfadsModel m;
      try {
        m = ModelFile.load(model, session);
      } catch (NoSuchFileException e) {
        throw new InferCommand.InputError("model file not found: " + model);
      } catch (IOException e) {
        throw new InferCommand.InputError(oneLine(e.getMessage()));
      }
      int[][][] trials = calibration(m.config());
      Quantizer.Result q;
      try {
        q = Quantizer.quantize(m, trials, Quantizer.Options.defaults().withBits(bits));
      } catch (IllegalArgumentException e) {
        throw new InferCommand.InputError(oneLine(e.getMessage()));
      }
      KernelImage img = q.image();
      try {
        img.write(out);
      } catch (IOException e) {
        throw new InferCommand.InputError("cannot write " + out + ": " + oneLine(e.getMessage()));
      }
      FidelityReport r = FidelityReport.compare(m, img, trials);
      String modelName = model.getFileName() + (session == null ? "" : " session " + session);
      try {
        new ImageSidecar(modelName, m.reconstruction(), r).writeFor(out);
      } catch (IOException e) {
        throw new InferCommand.InputError("cannot write " + ImageSidecar.pathFor(out) + ": " + oneLine(e.getMessage()));
      }
      outw.printf("quantize: %s -> %s (%d bytes) + %s (fidelity estimate, reconstruction %s)%n", modelName, out,
          1024 + 4L * img.payloadWords(), ImageSidecar.pathFor(out).getFileName(), m.reconstruction().kind().className());
      outw.print(img.describe());
      outw.print(r.summary());
      if (report != null) {
        try {
          r.writeJson(report);
        } catch (IOException e) {
          throw new InferCommand.InputError("cannot write " + report + ": " + oneLine(e.getMessage()));
        }
        outw.println("report: " + report);
      }
      outw.flush();
      return 0;
    } catch (InferCommand.InputError e) {
      err.println("quantize: " + e.getMessage());
      err.flush();
      return InferCommand.EXIT_BAD_INPUT;
    }
  }

  private int[][][] calibration(LfadsConfig c) throws InferCommand.InputError {
    NdArray a;
    try {
      if (calib.getFileName().toString().endsWith(".npz")) {
        // e.g. the output of `synth --out S.npz`: use its `spikes` array
        NpzReader npz = NpzReader.open(calib);
        if (!npz.hasArray("spikes")) {
          throw new InferCommand.InputError(calib + ": archive has no array 'spikes' (arrays: "
              + String.join(", ", npz.arrayNames()) + ")");
        }
        a = npz.array("spikes");
      } else {
        a = Npy.read(calib);
      }
    } catch (NoSuchFileException e) {
      throw new InferCommand.InputError("calibration file not found: " + calib);
    } catch (IOException e) {
      throw new InferCommand.InputError(oneLine(e.getMessage()));
    }
    if (a.isFloating() || a.dtype() == NdArray.DType.BOOL) {
      throw new InferCommand.InputError(calib + ": dtype " + a.dtype().descr() + " is not an integer type (spike counts)");
    }
    if (a.ndim() != 3 || a.dim(0) < 1 || a.dim(1) != c.encodSeqLen() || a.dim(2) != c.encodDataDim()) {
      throw new InferCommand.InputError(calib + ": shape " + a.shapeString() + ", expected (trials >= 1, "
          + c.encodSeqLen() + ", " + c.encodDataDim() + ") for this model (T_enc = encod_seq_len, N_in = encod_data_dim)");
    }
    long[] v = a.longData();
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] > 255) {
        int n = i % c.encodDataDim(), t = (i / c.encodDataDim()) % c.encodSeqLen();
        int trial = i / (c.encodDataDim() * c.encodSeqLen());
        throw new InferCommand.InputError(calib + ": count " + v[i] + " at trial " + trial + ", bin " + t + ", channel " + n
            + " is outside 0..255");
      }
    }
    return a.toIntArray3();
  }

  private static String oneLine(String s) {
    return s == null ? "unknown error" : s.replace('\n', ' ');
  }
}
