package org.lfadsrt.host.pipeline;

/** How bins become inference windows. */
public enum Mode {
  /** At every bin, infer over the last T_enc bins and emit the newest step. */
  ONLINE,
  /** Collect bins between trial start and end markers, infer the whole trial, emit one result per bin. */
  TRIAL
}
