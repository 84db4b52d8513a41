package org.lfadsrt.host.lab;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ?key=value&...} part of a {@code --source} spec of a lab source ({@code intan:HOST:PORT?rate=30000}).
 * Unknown keys are refused by name, so a typo never silently falls back to a default.
 */
final class SourceParams {
  final String base;
  private final Map<String, String> values = new LinkedHashMap<>();

  SourceParams(String spec, Set<String> known) {
    int q = spec.indexOf('?');
    base = q < 0 ? spec : spec.substring(0, q);
    if (q >= 0 && q + 1 < spec.length()) {
      for (String kv : spec.substring(q + 1).split("&")) {
        int eq = kv.indexOf('=');
        String k = eq < 0 ? kv : kv.substring(0, eq);
        if (!known.contains(k)) {
          throw new IllegalArgumentException("--source " + base + ": unknown parameter '" + k + "' (known: "
              + String.join(", ", known) + ")");
        }
        values.put(k, eq < 0 ? "" : kv.substring(eq + 1));
      }
    }
  }

  String get(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  double number(String key, double dflt) {
    String v = values.get(key);
    if (v == null) return dflt;
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--source " + base + ": " + key + "=" + v + " is not a number");
    }
  }

  /** Splits {@code HOST:PORT} (the last colon), checking the port. */
  static Object[] hostPort(String what, String hostPort) {
    int c = hostPort.lastIndexOf(':');
    if (c <= 0) throw new IllegalArgumentException(what + " needs HOST:PORT, got '" + hostPort + "'");
    try {
      int port = Integer.parseInt(hostPort.substring(c + 1));
      if (port < 1 || port > 65535) throw new NumberFormatException();
      return new Object[] {hostPort.substring(0, c), port};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " needs a port 1..65535, got '" + hostPort + "'");
    }
  }
}
