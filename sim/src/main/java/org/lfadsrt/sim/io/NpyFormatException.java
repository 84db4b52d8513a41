package org.lfadsrt.sim.io;

import java.io.IOException;

/** A {@code .npy}/{@code .npz} file is malformed or uses a feature this reader does not support. */
public class NpyFormatException extends IOException {
  public NpyFormatException(String message) {
    super(message);
  }
}
