package org.lfadsrt.host.cli;

import org.lfadsrt.host.source.UnitSelection;
import picocli.CommandLine.Option;

/**
 * {@code --units} and {@code --units-table}: which sorted units of an NWB recording to read, the same two options
 * wherever a command reads one (calibrate, infer, replay, run --source nwb:).
 */
final class NwbUnitOptions {
  @Option(names = "--units", paramLabel = "i,j,..",
      description = "NWB unit rows to read, comma-separated (default: the held-in units).")
  String units;

  @Option(names = "--units-table", paramLabel = "PATH",
      description = "NWB Units table to read when the file has several (e.g. processing/ecephys/units; default: the only one).")
  String unitsTable;

  /** The unit rows chosen, or null for the held-in units. */
  int[] rows() {
    return UnitSelection.parse(units);
  }
}
