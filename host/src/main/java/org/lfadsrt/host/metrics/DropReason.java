package org.lfadsrt.host.metrics;

/** Why a bin that entered the pipeline produced no result. Every bin is either published or one of these. */
public enum DropReason {
  /** The bin arrived later than the configured deadline. */
  LATE,
  /** The backend failed on the window containing this bin. */
  BACKEND_FAULT,
  /** The bin's counts were invalid (negative). */
  INVALID,
  /** Trial mode: the bin fell outside any trial. */
  OUTSIDE_TRIAL,
  /** Trial mode: the trial had more bins than the model's T_enc. */
  TRIAL_OVERFLOW,
  /** An operator's CONTROL stop was in effect (until start). */
  STOPPED;

  /** Lower-case name used in status lines, JSON and metrics. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
