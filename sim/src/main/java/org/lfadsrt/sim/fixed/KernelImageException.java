package org.lfadsrt.sim.fixed;

/** A kernel image that is corrupt or inconsistent; the message names the field, what was expected and what was found. */
public final class KernelImageException extends IllegalArgumentException {
  private final String field;

  public KernelImageException(String field, String expected, String found) {
    super("kernel image: " + field + ": expected " + expected + ", found " + found);
    this.field = field;
  }

  /** The header field or section that failed validation, e.g. "MAGIC" or "section GEN_WHH rows". */
  public String field() {
    return field;
  }
}
