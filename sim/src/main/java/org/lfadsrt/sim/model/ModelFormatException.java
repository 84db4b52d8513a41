package org.lfadsrt.sim.model;

import java.io.IOException;

/** A model file is missing something, has a wrong shape or an unsupported hyperparameter. */
public class ModelFormatException extends IOException {
  public ModelFormatException(String message) {
    super(message);
  }
}
