package org.lfadsrt.sim.fixed;

import java.util.ArrayList;
import java.util.List;

/** Test trace: keeps a copy of every record. */
final class RecordingTrace implements FixedTrace {
  record Entry(int layer, Probe probe, int step, int[] values) {}

  final List<Entry> entries = new ArrayList<>();

  @Override
  public void record(int layer, Probe probe, int step, int[] values, int length) {
    entries.add(new Entry(layer, probe, step, java.util.Arrays.copyOf(values, length)));
  }

  int[] get(int layer, Probe probe, int step) {
    for (Entry e : entries) if (e.layer == layer && e.probe == probe && e.step == step) return e.values;
    throw new AssertionError("no trace " + layer + " " + probe + " " + step);
  }
}
