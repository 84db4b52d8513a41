package org.lfadsrt.host.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The BRAND node's parameters: {@code nodes.<nickname>.parameters} of the newest {@code supergraph_stream} entry's
 * {@code data} JSON (BRAND's supervisor writes it when a graph starts). Every key is checked; an unknown one is
 * refused by name (a typo in a graph YAML must not silently fall back to a default). Values may be JSON numbers or
 * the strings a YAML file often gives.
 *
 * @param model        model file (.npz), or {@code bundled} (the bundled demo model; default)
 * @param backend      inference backend (default: software when built, else float)
 * @param inputStream  stream to read (required), e.g. {@code thresh_cross_1}
 * @param inputField   {@code crossings} (thresholdExtraction, default) or {@code samples} (bin_multiple's binned_spikes)
 * @param inputDtype   element type of the field: int8, uint8, int16, int32, float32 (default: int16 for crossings, int8 otherwise)
 * @param binSize      input entries summed per model bin (default: 10 for crossings at 1 ms, 1 for samples)
 * @param inputPeriodMs time one input entry covers (default 1 for crossings, else the model bin width / bin_size)
 * @param outputStream stream to XADD results to (default: the nickname)
 * @param outputs      what {@code samples} holds, in order: factors, rates (default: factors)
 * @param syncKey      the key this node adds to the carried {@code sync} JSON (default: the nickname)
 * @param maxPending   results whose XADD is not yet acknowledged before new ones are dropped (default 4096)
 */
public record BrandParameters(String model, String backend, String inputStream, String inputField, String inputDtype,
    int binSize, double inputPeriodMs, String outputStream, List<String> outputs, String syncKey, int maxPending) {

  public static final List<String> KEYS = List.of("model", "backend", "input_stream", "input_field", "input_dtype",
      "bin_size", "input_period_ms", "output_stream", "outputs", "sync_key", "max_pending");
  public static final List<String> DTYPES = List.of("int8", "uint8", "int16", "int32", "float32");

  /** A parameter problem: the message names the key and what is wrong. */
  public static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  /** Parses the supergraph {@code data} JSON for {@code nickname}. */
  public static BrandParameters fromSupergraph(byte[] data, String nickname, String defaultBackend) throws Invalid {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(data);
    } catch (IOException e) {
      throw new Invalid("supergraph_stream data is not JSON: " + e.getMessage());
    }
    JsonNode node = root.path("nodes").path(nickname);
    if (node.isMissingNode()) {
      List<String> names = new ArrayList<>();
      root.path("nodes").fieldNames().forEachRemaining(names::add);
      throw new Invalid("the supergraph has no node '" + nickname + "' (nodes: " + String.join(", ", names) + ")");
    }
    JsonNode params = node.path("parameters");
    Map<String, JsonNode> p = new LinkedHashMap<>();
    if (params.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!KEYS.contains(e.getKey())) {
          throw new Invalid("node '" + nickname + "': unknown parameter '" + e.getKey() + "' (known: "
              + String.join(", ", KEYS) + ")");
        }
        p.put(e.getKey(), e.getValue());
      }
    } else if (!params.isMissingNode() && !params.isNull()) {
      throw new Invalid("node '" + nickname + "': parameters must be a mapping");
    }
    String inputStream = text(p, "input_stream", null);
    if (inputStream == null || inputStream.isEmpty()) throw new Invalid("node '" + nickname + "': parameter input_stream is required");
    String field = text(p, "input_field", "crossings");
    boolean crossings = field.equals("crossings");
    String dtype = text(p, "input_dtype", crossings ? "int16" : "int8");
    if (!DTYPES.contains(dtype)) throw new Invalid("parameter input_dtype: '" + dtype + "' is not one of " + DTYPES);
    int binSize = (int) number(p, "bin_size", crossings ? 10 : 1);
    if (binSize < 1 || binSize > 100_000) throw new Invalid("parameter bin_size must be 1..100000, got " + binSize);
    double period = number(p, "input_period_ms", crossings ? 1.0 : -1);
    List<String> outputs = new ArrayList<>();
    JsonNode o = p.get("outputs");
    if (o == null) {
      outputs.add("factors");
    } else if (o.isArray()) {
      for (JsonNode x : o) outputs.add(x.asText());
    } else {
      for (String s : o.asText().split(",")) outputs.add(s.trim());
    }
    for (String s : outputs) {
      if (!s.equals("factors") && !s.equals("rates")) throw new Invalid("parameter outputs: '" + s + "' is not factors or rates");
    }
    if (outputs.isEmpty()) throw new Invalid("parameter outputs is empty");
    int maxPending = (int) number(p, "max_pending", 4096);
    if (maxPending < 1) throw new Invalid("parameter max_pending must be >= 1");
    return new BrandParameters(text(p, "model", "bundled"), text(p, "backend", defaultBackend), inputStream, field, dtype,
        binSize, period, text(p, "output_stream", nickname), List.copyOf(outputs), text(p, "sync_key", nickname), maxPending);
  }

  /** Bytes per element of {@link #inputDtype}. */
  public int dtypeBytes() {
    return switch (inputDtype) {
      case "int8", "uint8" -> 1;
      case "int16" -> 2;
      default -> 4;
    };
  }

  private static String text(Map<String, JsonNode> p, String key, String dflt) {
    JsonNode v = p.get(key);
    return v == null || v.isNull() ? dflt : v.asText();
  }

  private static double number(Map<String, JsonNode> p, String key, double dflt) throws Invalid {
    JsonNode v = p.get(key);
    if (v == null || v.isNull()) return dflt;
    if (v.isNumber()) return v.asDouble();
    try {
      return Double.parseDouble(v.asText().trim());
    } catch (NumberFormatException e) {
      throw new Invalid("parameter " + key + ": '" + v.asText() + "' is not a number");
    }
  }
}
