package org.lfadsrt.sim.fixed;

import static org.lfadsrt.sim.contract.KernelContract.LAYER_NAMES;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link FixedTrace} that keeps a copy of every record, in execution order, and finds the first difference
 * from another recording (e.g. an RTL dump converted to the same records): the co-simulation's way to say
 * where a mismatch starts (layer, probe, step, index) rather than only that the outputs differ.
 */
public final class TraceRecorder implements FixedTrace {

  /** One traced vector. */
  public record Entry(int layer, Probe probe, int step, int[] values) {
    public String where() {
      return LAYER_NAMES.get(layer) + " " + probe + " step " + step;
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  @Override
  public void record(int layer, Probe probe, int step, int[] values, int length) {
    entries.add(new Entry(layer, probe, step, Arrays.copyOf(values, length)));
  }

  public List<Entry> entries() {
    return entries;
  }

  public void clear() {
    entries.clear();
  }

  /** The values recorded for (layer, probe, step); throws when there is none. */
  public int[] get(int layer, Probe probe, int step) {
    for (Entry e : entries) if (e.layer == layer && e.probe == probe && e.step == step) return e.values;
    throw new IllegalArgumentException("no trace for " + LAYER_NAMES.get(layer) + " " + probe + " step " + step);
  }

  /**
   * The first difference between this recording and {@code other}, in execution order, as
   * {@code "GEN STATE step 12 index 5: expected 1234, found 1240"}; null when they are identical.
   * Records present in only one of them count as a difference.
   */
  public String firstMismatch(TraceRecorder other) {
    int n = Math.min(entries.size(), other.entries.size());
    for (int i = 0; i < n; i++) {
      Entry a = entries.get(i), b = other.entries.get(i);
      if (a.layer != b.layer || a.probe != b.probe || a.step != b.step) {
        return "record " + i + ": expected " + a.where() + ", found " + b.where();
      }
      int m = Math.min(a.values.length, b.values.length);
      for (int k = 0; k < m; k++) {
        if (a.values[k] != b.values[k]) {
          return a.where() + " index " + k + ": expected " + a.values[k] + ", found " + b.values[k];
        }
      }
      if (a.values.length != b.values.length) {
        return a.where() + ": expected " + a.values.length + " values, found " + b.values.length;
      }
    }
    if (entries.size() != other.entries.size()) {
      return "expected " + entries.size() + " records, found " + other.entries.size();
    }
    return null;
  }
}
