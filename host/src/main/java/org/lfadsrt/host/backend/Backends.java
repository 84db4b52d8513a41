package org.lfadsrt.host.backend;

import java.util.List;
import org.lfadsrt.sim.model.LfadsModel;

/** Opens a backend by its {@code --backend} name. Add new backends here. */
public final class Backends {
  private Backends() {}

  /** Names accepted by {@link #open}. */
  public static List<String> names() {
    return List.of(FloatBackend.NAME);
  }

  /** The backend {@code run} uses when none is given. */
  public static String defaultName() {
    return FloatBackend.NAME;
  }

  public static InferenceBackend open(String name, LfadsModel model) throws BackendException {
    switch (name) {
      case FloatBackend.NAME:
        return new FloatBackend(model);
      default:
        throw new BackendException(BackendException.Kind.NOT_AVAILABLE,
            "unknown backend '" + name + "' (available: " + String.join(", ", names()) + ")");
    }
  }
}
