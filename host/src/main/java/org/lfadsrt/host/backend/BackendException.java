package org.lfadsrt.host.backend;

/** A backend failed to run a batch: device error, timeout, bad image. The message says which and where. */
public class BackendException extends Exception {

  /** What went wrong, so callers (failover, accounting) can react without parsing messages. */
  public enum Kind { TIMEOUT, DEVICE_ERROR, BAD_IMAGE, NOT_AVAILABLE, INVALID_INPUT }

  private final Kind kind;

  public BackendException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public BackendException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
