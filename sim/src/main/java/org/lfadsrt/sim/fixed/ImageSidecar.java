package org.lfadsrt.sim.fixed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.lfadsrt.sim.model.Reconstruction;

/**
 * What a kernel image does not hold but its users need: the quantizer's fidelity estimate and the model's
 * reconstruction distribution (what the readout outputs mean). Written by {@code quantize} next to the image as
 * {@code K.img.json} (docs/kernel-numerics.md "Image sidecar"); the image layout (KernelContract) and the RTL are
 * unchanged, and an image without a sidecar still runs (as a Poisson model, with no fidelity estimate).
 *
 * @param model          the model file the image was quantized from (file name, and session for multi-session)
 * @param reconstruction the model's reconstruction
 * @param fidelity       the quantizer's estimate: fixed vs float on the calibration trials
 */
public record ImageSidecar(String model, Reconstruction reconstruction, FidelityReport fidelity) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** {@code K.img} -> {@code K.img.json}. */
  public static Path pathFor(Path image) {
    return image.resolveSibling(image.getFileName().toString() + ".json");
  }

  public void writeFor(Path image) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    ObjectNode r = root.putObject("reconstruction");
    r.put("type", reconstruction.kind().className());
    r.put("neurons", reconstruction.neurons());
    if (reconstruction.kind() == Reconstruction.Kind.ZERO_INFLATED_GAMMA) {
      r.put("gamma_loc", reconstruction.gammaLoc());
      ArrayNode scale = r.putArray("scale");
      for (double[] row : reconstruction.zigScale()) {
        ArrayNode a = scale.addArray();
        for (double v : row) a.add(v);
      }
    }
    root.set("fidelity", JSON.valueToTree(fidelity));
    root.put("goals_met", fidelity.meetsGoals());
    Files.writeString(pathFor(image), JSON.writeValueAsString(root));
  }

  /** The sidecar of {@code image}, or null when there is none; a malformed one is an error naming the file. */
  public static ImageSidecar readFor(Path image) throws IOException {
    Path p = pathFor(image);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(p));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new IOException(p + ": not a kernel-image sidecar (" + e.getMessage() + ")", e);
    }
    try {
      JsonNode r = root.get("reconstruction");
      Reconstruction.Kind kind = Reconstruction.Kind.forName(r.get("type").asText());
      int neurons = r.get("neurons").asInt();
      Reconstruction rec;
      if (kind == Reconstruction.Kind.ZERO_INFLATED_GAMMA) {
        double[][] scale = new double[2][neurons];
        for (int i = 0; i < 2; i++)
          for (int j = 0; j < neurons; j++) scale[i][j] = r.get("scale").get(i).get(j).asDouble();
        rec = Reconstruction.zeroInflatedGamma(scale, r.get("gamma_loc").asDouble());
      } else {
        rec = Reconstruction.of(kind, neurons);
      }
      FidelityReport f = JSON.treeToValue(root.get("fidelity"), FidelityReport.class);
      return new ImageSidecar(root.path("model").asText(""), rec, f);
    } catch (RuntimeException | IOException e) {
      throw new IOException(p + ": malformed kernel-image sidecar (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The lines a fixed-point run prints: the estimate, and when the 16-bit goals are missed a warning naming the
   * remedies.
   */
  public static String fidelityLines(FidelityReport f) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "fixed-point fidelity (quantizer estimate, W=%d, %d calibration trials): mean |d output| %.2e (goal <= %.0e), "
            + "max %.2e; Poisson LL rel diff %.2e (goal <= %.1e): goals %s%n",
        f.bits(), f.trials(), f.meanAbsDeltaLograte(), FidelityReport.GOAL_MEAN_ABS_DELTA_LOGRATE,
        f.maxAbsDeltaLograte(), f.poissonLlRelDiff(), FidelityReport.GOAL_POISSON_LL_REL_DIFF,
        f.meetsGoals() ? "met" : "NOT met"));
    if (!f.meetsGoals()) {
      b.append("WARNING: this kernel image misses the fixed-point fidelity goals; its outputs differ from the float "
          + "model by more than intended. Remedies: quantize on more (and real) calibration data (quantize --calib), "
          + "train with cell_clip so the states stay in range, or use wider words (quantize --bits 18)")
          .append(f.saturations().isEmpty() ? "" : "; saturating: " + f.saturations()).append('\n');
    }
    return b.toString();
  }
}
