package org.lfadsrt.host.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.lfadsrt.sim.model.LfadsModel;

/**
 * The backends {@code --backend NAME} can select. Adding a backend is one line in the static
 * block: {@code register("software", SoftwareBackend::new);} with a factory from a loaded model.
 */
public final class Backends {

  /** Creates a backend for a loaded model. */
  @FunctionalInterface
  public interface Factory {
    InferenceBackend create(LfadsModel model) throws BackendException;
  }

  private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

  static {
    register(FloatBackend.NAME, FloatBackend::new);
  }

  private Backends() {}

  public static synchronized void register(String name, Factory factory) {
    if (FACTORIES.putIfAbsent(name, factory) != null) {
      throw new IllegalStateException("backend '" + name + "' registered twice");
    }
  }

  /** Names in registration order (for help texts and error messages). */
  public static synchronized Set<String> names() {
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(FACTORIES.keySet()));
  }

  /** Creates backend {@code name}; an unknown name is an error listing the known ones. */
  public static InferenceBackend create(String name, LfadsModel model) throws BackendException {
    Factory f;
    synchronized (Backends.class) {
      f = FACTORIES.get(name);
    }
    if (f == null) {
      throw new BackendException(BackendException.Kind.NOT_AVAILABLE,
          "unknown backend '" + name + "' (available: " + String.join(", ", names()) + ")");
    }
    return f.create(model);
  }
}
