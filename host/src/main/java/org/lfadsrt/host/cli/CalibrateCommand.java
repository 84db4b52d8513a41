package org.lfadsrt.host.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.calibration.DecoderCalibration;
import org.lfadsrt.sim.model.LfadsModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code calibrate}: fits the behaviour decoder ({@link DecoderCalibration}), reports R² on the fit data
 * and on the last 20 % held out, and writes the decoder JSON for {@code run --decoder}.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = "Fit a ridge-regression behaviour decoder (factors -> behaviour) on a recording.")
public final class CalibrateCommand implements Callable<Integer> {

  @Mixin ModelOptions modelOptions = new ModelOptions();

  @Option(names = "--recording", required = true, paramLabel = "R.nwb", description = "NWB recording with units and a behaviour time series.")
  Path recording;

  @Option(names = "--out", required = true, paramLabel = "D.json", description = "Decoder file to write.")
  Path out;

  @Option(names = "--behavior", description = "Behaviour TimeSeries group (default: ${DEFAULT-VALUE}).")
  String behavior = "processing/behavior/hand_vel";

  @Option(names = "--lambda", description = "Ridge penalty (default: ${DEFAULT-VALUE}).")
  double lambda = 1.0;

  @Option(names = "--lag-ms", description = "Behaviour lag after the bin (NLB uses 100 ms for MC_Maze; default: ${DEFAULT-VALUE}).")
  double lagMillis = 0;

  @Mixin NwbUnitOptions nwbUnits = new NwbUnitOptions();

  @Override
  public Integer call() throws Exception {
    LfadsModel model = modelOptions.loadModel();
    DecoderCalibration.Fit fit;
    try (InferenceBackend backend = modelOptions.openBackend(model)) {
      fit = DecoderCalibration.fit(backend, recording, behavior, lambda, lagMillis, nwbUnits.rows(), nwbUnits.unitsTable,
          modelOptions.binWidthNanos());
    }
    fit.decoder().save(out);
    System.out.printf(Locale.ROOT, "calibrate: %d bins, %d factors -> %s, lambda %g; R^2 fit %.4f, held-out (last 20%%) %.4f%n",
        fit.bins(), model.config().facDim(), fit.decoder().outputNames(), lambda, fit.r2Fit(), fit.r2HeldOut());
    System.out.println("calibrate: wrote " + out);
    return 0;
  }
}
