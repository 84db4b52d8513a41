package org.lfadsrt.host.backend;

/** A backend failed to run a batch: device error, timeout, bad image. The message says which and where. */
public class BackendException extends Exception {

  /** What went wrong, so callers (failover, accounting) can react without parsing messages. */
  public enum Kind {
    /** The device did not finish within the configured timeout (a hung kernel). */
    TIMEOUT,
    /** The device reported an error, or its handle is unusable after an earlier failure. */
    DEVICE_ERROR,
    /** The device disappeared mid-run (register reads return all ones, XRT aborted the command). */
    DEVICE_LOST,
    /** The kernel image was rejected (header, section table, CRC, or by the kernel itself). */
    BAD_IMAGE,
    /** The backend cannot be opened here: library not built, no card, XRT not set up. */
    NOT_AVAILABLE,
    /** The call's arguments are wrong (batch shape, buffer sizes, options). */
    INVALID_INPUT
  }

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
