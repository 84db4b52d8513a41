package org.lfadsrt.host.source;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an NWB 2.x file the host replays, read with jhdf: sorted units from the {@code units}
 * DynamicTable ({@code spike_times} concatenated, {@code spike_times_index} cumulative end offsets,
 * optional {@code id} and NLB's boolean {@code heldout}), trials from {@code intervals/trials}
 * ({@code start_time}, {@code stop_time}), and optionally a behaviour time series (for calibration).
 */
public final class NwbRecording {
  static {
    Fletcher32Filter.install(); // jhdf's own leaves the checksum on the chunk (lzf + fletcher32 files failed)
  }

  private final Path file;
  private final String unitsTable;
  private final double[][] unitSpikeTimes; // per selected unit, ascending seconds
  private final double[][] unitObsIntervals; // per selected unit: [start0, stop0, start1, ...] sorted, or null (always observed)
  private final List<String> unitNames;
  private final double[] trialStart;
  private final double[] trialStop;
  private final String sessionStartTime;
  private final String identifier;
  private final long spikesBeforeSessionStart;

  private NwbRecording(Path file, String unitsTable, double[][] unitSpikeTimes, double[][] unitObsIntervals,
      List<String> unitNames, double[] trialStart, double[] trialStop, String sessionStartTime, String identifier,
      long spikesBeforeSessionStart) {
    this.file = file;
    this.unitsTable = unitsTable;
    this.unitSpikeTimes = unitSpikeTimes;
    this.unitObsIntervals = unitObsIntervals;
    this.unitNames = unitNames;
    this.trialStart = trialStart;
    this.trialStop = trialStop;
    this.sessionStartTime = sessionStartTime;
    this.identifier = identifier;
    this.spikesBeforeSessionStart = spikesBeforeSessionStart;
  }

  public static NwbRecording open(Path file, int[] units) throws IOException {
    return open(file, units, null);
  }

  /**
   * Reads units and trials.
   *
   * @param units      unit rows to keep (table order); null keeps the held-in units when a {@code heldout}
   *                   column exists, else every unit
   * @param unitsTable the Units table's path (e.g. {@code processing/ecephys/units}); null finds it: {@code units}
   *                   or a group in a processing module, and it must be the only one
   */
  public static NwbRecording open(Path file, int[] units, String unitsTable) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException(file + ": no such NWB file");
    try (HdfFile hdf = new HdfFile(file)) {
      String table = unitsTable == null ? findUnitsTable(hdf, file) : checkUnitsTable(hdf, file, unitsTable);
      String stPath = table + "/spike_times", idxPath = table + "/spike_times_index";
      double[] spikeTimes = doubles(dataset(hdf, file, stPath), file, stPath);
      long[] index = longs(dataset(hdf, file, idxPath), file, idxPath);
      int n = index.length;
      if (n == 0) throw new IOException(file + ": " + idxPath + " is empty: the Units table has no units");
      if (spikeTimes.length == 0) {
        throw new IOException(file + ": " + stPath + " is empty: the " + n + " units have no spikes, nothing to replay");
      }
      long previous = 0;
      for (int u = 0; u < n; u++) {
        if (index[u] < previous || index[u] > spikeTimes.length) {
          throw new IOException(file + ": " + idxPath + "[" + u + "] = " + index[u]
              + " is not a cumulative end offset into spike_times (length " + spikeTimes.length + ")");
        }
        previous = index[u];
      }
      long[] ids = optionalLongs(hdf, file, table + "/id");
      long[] heldout = optionalLongs(hdf, file, table + "/heldout");
      double[][] obs = null;
      long[] obsIndex = null;
      if (exists(hdf, table + "/obs_intervals")) {
        obs = matrix2(dataset(hdf, file, table + "/obs_intervals"), file, table + "/obs_intervals");
        obsIndex = longs(dataset(hdf, file, table + "/obs_intervals_index"), file, table + "/obs_intervals_index");
        if (obsIndex.length != n) {
          throw new IOException(file + ": " + table + "/obs_intervals_index has " + obsIndex.length + " rows, the table "
              + n + " units");
        }
      }
      int[] selected = units;
      if (selected == null) {
        List<Integer> keep = new ArrayList<>();
        for (int u = 0; u < n; u++) if (heldout == null || heldout[u] == 0) keep.add(u);
        selected = keep.stream().mapToInt(Integer::intValue).toArray();
      }
      if (selected.length == 0) throw new IOException(file + ": no units selected (table " + table + " has " + n + ")");
      double[][] perUnit = new double[selected.length][];
      double[][] perUnitObs = obs == null ? null : new double[selected.length][];
      List<String> names = new ArrayList<>();
      long negative = 0;
      for (int i = 0; i < selected.length; i++) {
        int u = selected[i];
        if (u < 0 || u >= n) throw new IOException(file + ": unit " + u + " out of range 0.." + (n - 1) + " (" + table + ")");
        int from = u == 0 ? 0 : (int) index[u - 1];
        int to = (int) index[u];
        double[] times = java.util.Arrays.copyOfRange(spikeTimes, from, to);
        for (int k = 0; k < times.length; k++) {
          if (!Double.isFinite(times[k])) throw new IOException(file + ": unit " + u + " spike " + k + " time is " + times[k]);
          if (times[k] < 0) negative++;
        }
        java.util.Arrays.sort(times);
        perUnit[i] = times;
        names.add("unit" + (ids == null ? u : ids[u]));
        if (obs != null) {
          int a = u == 0 ? 0 : (int) obsIndex[u - 1], b = (int) obsIndex[u];
          if (a > b || b > obs.length) {
            throw new IOException(file + ": " + table + "/obs_intervals_index[" + u + "] = " + b
                + " is not a cumulative end offset into obs_intervals (" + obs.length + " rows)");
          }
          double[][] rows = java.util.Arrays.copyOfRange(obs, a, b);
          java.util.Arrays.sort(rows, java.util.Comparator.comparingDouble(r -> r[0]));
          double[] flat = new double[2 * rows.length];
          for (int k = 0; k < rows.length; k++) {
            if (!(rows[k][1] >= rows[k][0])) {
              throw new IOException(file + ": " + table + "/obs_intervals of unit " + u + " has [" + rows[k][0] + ", "
                  + rows[k][1] + "], stop before start");
            }
            flat[2 * k] = rows[k][0];
            flat[2 * k + 1] = rows[k][1];
          }
          perUnitObs[i] = flat;
        }
      }
      double[] start = new double[0], stop = new double[0];
      if (exists(hdf, "intervals/trials/start_time")) {
        start = doubles(dataset(hdf, file, "intervals/trials/start_time"), file, "intervals/trials/start_time");
        stop = doubles(dataset(hdf, file, "intervals/trials/stop_time"), file, "intervals/trials/stop_time");
        if (start.length != stop.length) {
          throw new IOException(file + ": intervals/trials has " + start.length + " start_time but " + stop.length + " stop_time");
        }
      }
      return new NwbRecording(file, table, perUnit, perUnitObs, List.copyOf(names), start, stop,
          optionalString(hdf, file, "session_start_time"), optionalString(hdf, file, "identifier"), negative);
    } catch (HdfException | IllegalArgumentException | IndexOutOfBoundsException | UnsupportedOperationException e) {
      throw new IOException(file + ": not a readable HDF5/NWB file: " + e, e);
    }
  }

  /** The only Units table: {@code units}, or a group in {@code processing/*} with spike_times and spike_times_index. */
  private static String findUnitsTable(HdfFile hdf, Path file) throws IOException {
    List<String> found = new ArrayList<>();
    if (isUnitsTable(hdf, "units")) found.add("units");
    if (exists(hdf, "processing") && hdf.getByPath("processing") instanceof Group proc) {
      for (Node module : proc.getChildren().values()) {
        if (!(module instanceof Group g)) continue;
        for (Node child : g.getChildren().values()) {
          String path = "processing/" + module.getName() + "/" + child.getName();
          if (child instanceof Group && isUnitsTable(hdf, path)) found.add(path);
        }
      }
    }
    if (found.isEmpty()) {
      throw new IOException(file + ": no Units table with spike_times and spike_times_index (looked at units and "
          + "processing/*/*); is this an NWB file with sorted units? (--units-table PATH names one elsewhere)");
    }
    if (found.size() > 1) {
      throw new IOException(file + ": several Units tables (" + String.join(", ", found)
          + "); choose one with --units-table PATH");
    }
    return found.get(0);
  }

  private static String checkUnitsTable(HdfFile hdf, Path file, String path) throws IOException {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (!exists(hdf, p)) throw new IOException(file + ": --units-table " + path + ": no such group");
    if (!isUnitsTable(hdf, p)) {
      throw new IOException(file + ": --units-table " + path + " is not a Units table (needs spike_times and "
          + "spike_times_index)");
    }
    return p;
  }

  private static boolean isUnitsTable(HdfFile hdf, String path) {
    return exists(hdf, path + "/spike_times") && exists(hdf, path + "/spike_times_index");
  }

  private static String optionalString(HdfFile hdf, Path file, String path) throws IOException {
    if (!exists(hdf, path)) return null;
    Object d = dataset(hdf, file, path).getData();
    if (d instanceof String s) return s;
    if (d instanceof String[] a && a.length > 0) return a[0];
    return null;
  }

  static double[][] matrix2(Dataset ds, Path file, String path) throws IOException {
    Object d = data(ds, file, path);
    if (d instanceof double[][] a) return a;
    if (d instanceof float[][] f) {
      double[][] a = new double[f.length][];
      for (int i = 0; i < f.length; i++) {
        a[i] = new double[f[i].length];
        for (int j = 0; j < f[i].length; j++) a[i][j] = f[i][j];
      }
      return a;
    }
    if (d instanceof double[][][] || !(d instanceof Object[])) {
      throw new IOException(file + ": " + path + " must be an (n, 2) float array, got " + describe(d));
    }
    throw new IOException(file + ": " + path + " must be an (n, 2) float array, got " + describe(d));
  }

  /** A behaviour series (e.g. processing/behavior/hand_vel): rows of {@code data} at {@code timestamps}. */
  public record Behaviour(double[] timestamps, double[][] data) {}

  /** Reads a TimeSeries group: {@code data} (T or T x D) and {@code timestamps} (T). */
  public static Behaviour readBehaviour(Path file, String groupPath) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException(file + ": no such NWB file");
    try (HdfFile hdf = new HdfFile(file)) {
      if (!exists(hdf, groupPath + "/data") || !exists(hdf, groupPath + "/timestamps")) {
        List<String> series = new ArrayList<>();
        if (exists(hdf, "processing") && hdf.getByPath("processing") instanceof Group proc) {
          for (Node module : proc.getChildren().values()) {
            if (!(module instanceof Group g)) continue;
            for (Node child : g.getChildren().values()) {
              String path = "processing/" + module.getName() + "/" + child.getName();
              if (exists(hdf, path + "/data") && exists(hdf, path + "/timestamps")) series.add(path);
            }
          }
        }
        throw new IOException(file + ": no behaviour time series at " + groupPath + " (a TimeSeries with data and "
            + "timestamps); " + (series.isEmpty() ? "the file has no behaviour data in processing/*"
            : "time series in the file: " + String.join(", ", series)));
      }
      Object raw = data(dataset(hdf, file, groupPath + "/data"), file, groupPath + "/data");
      double[][] data;
      if (raw instanceof double[][] d) {
        data = d;
      } else if (raw instanceof float[][] f) {
        data = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
          data[i] = new double[f[i].length];
          for (int j = 0; j < f[i].length; j++) data[i][j] = f[i][j];
        }
      } else {
        double[] flat = doubles(dataset(hdf, file, groupPath + "/data"), file, groupPath + "/data");
        data = new double[flat.length][];
        for (int i = 0; i < flat.length; i++) data[i] = new double[] {flat[i]};
      }
      double[] ts = doubles(dataset(hdf, file, groupPath + "/timestamps"), file, groupPath + "/timestamps");
      if (ts.length == 0) throw new IOException(file + ": " + groupPath + "/timestamps is empty: no behaviour samples");
      if (ts.length != data.length) {
        throw new IOException(file + ": " + groupPath + " has " + data.length + " rows but " + ts.length + " timestamps");
      }
      return new Behaviour(ts, data);
    } catch (HdfException | IllegalArgumentException e) {
      throw new IOException(file + ": cannot read " + groupPath + ": " + e.getMessage(), e);
    }
  }

  public Path file() { return file; }
  /** Path of the Units table read (e.g. {@code units} or {@code processing/ecephys/units}). */
  public String unitsTable() { return unitsTable; }
  /** The file's {@code session_start_time} (ISO 8601), or null. Spike and trial times are seconds after it. */
  public String sessionStartTime() { return sessionStartTime; }
  /** The file's {@code identifier}, or null. */
  public String identifier() { return identifier; }
  /** Spikes of the selected units before the session start (t < 0): outside the recording, not replayed. */
  public long spikesBeforeSessionStart() { return spikesBeforeSessionStart; }
  /** True when the file has {@code obs_intervals} for its units. */
  public boolean hasObsIntervals() { return unitObsIntervals != null; }

  /**
   * True when every selected unit was observed over all of [from, to) (its {@code obs_intervals}); always true
   * without obs_intervals. A unit observed only in part of the span makes the bin unobserved: its count is not
   * a count of zero spikes.
   */
  public boolean observed(double from, double to) {
    if (unitObsIntervals == null) return true;
    for (double[] iv : unitObsIntervals) {
      boolean inside = false;
      for (int k = 0; k < iv.length; k += 2) {
        if (iv[k] <= from + 1e-12 && to <= iv[k + 1] + 1e-12) {
          inside = true;
          break;
        }
      }
      if (!inside) return false;
    }
    return true;
  }
  public int unitCount() { return unitSpikeTimes.length; }
  public double[] spikeTimes(int unit) { return unitSpikeTimes[unit]; }
  public List<String> unitNames() { return unitNames; }
  public int trialCount() { return trialStart.length; }
  public double trialStart(int i) { return trialStart[i]; }
  public double trialStop(int i) { return trialStop[i]; }

  /** Latest time in the recording: last spike or last trial stop. */
  public double endTime() {
    double end = 0;
    for (double[] t : unitSpikeTimes) if (t.length > 0) end = Math.max(end, t[t.length - 1]);
    for (double s : trialStop) end = Math.max(end, s);
    return end;
  }

  private static boolean exists(HdfFile hdf, String path) {
    try {
      hdf.getByPath(path);
      return true;
    } catch (HdfException e) {
      return false;
    }
  }

  private static Dataset dataset(HdfFile hdf, Path file, String path) throws IOException {
    Node node;
    try {
      node = hdf.getByPath(path);
    } catch (HdfException e) {
      throw new IOException(file + ": missing " + path);
    }
    if (!(node instanceof Dataset ds)) throw new IOException(file + ": " + path + " is not a dataset");
    return ds;
  }

  private static long[] optionalLongs(HdfFile hdf, Path file, String path) throws IOException {
    return exists(hdf, path) ? longs(dataset(hdf, file, path), file, path) : null;
  }

  /** The dataset's data; any jhdf failure (a filter it cannot decode, ...) becomes an error naming file and dataset. */
  static Object data(Dataset ds, Path file, String path) throws IOException {
    try {
      return ds.getData();
    } catch (RuntimeException e) {
      String filters = "";
      try {
        filters = ds.getFilters().isEmpty() ? "" : " (filters: " + ds.getFilters() + ")";
      } catch (RuntimeException ignored) {
        // the filter list itself is unreadable: report without it
      }
      throw new IOException(file + ": cannot read dataset /" + path + filters + ": " + e
          + (filters.toLowerCase(java.util.Locale.ROOT).contains("lzf")
              ? "; jhdf fails on some lzf datasets: rewrite the file with gzip (h5repack -f GZIP=4 IN OUT)" : ""), e);
    }
  }

  static double[] doubles(Dataset ds, Path file, String path) throws IOException {
    Object d = data(ds, file, path);
    if (d == null && ds.getSize() == 0) return new double[0]; // jhdf returns no data for an empty dataset
    if (d instanceof double[] a) return a;
    if (d instanceof float[] a) {
      double[] r = new double[a.length];
      for (int i = 0; i < a.length; i++) r[i] = a[i];
      return r;
    }
    throw new IOException(file + ": " + path + " must be a 1-D float array, got " + describe(d));
  }

  static long[] longs(Dataset ds, Path file, String path) throws IOException {
    Object d = data(ds, file, path);
    if (d == null && ds.getSize() == 0) return new long[0];
    if (d instanceof long[] a) return a;
    long[] r;
    if (d instanceof int[] a) {
      r = new long[a.length];
      for (int i = 0; i < a.length; i++) r[i] = a[i];
    } else if (d instanceof short[] a) {
      r = new long[a.length];
      for (int i = 0; i < a.length; i++) r[i] = a[i];
    } else if (d instanceof byte[] a) {
      r = new long[a.length];
      for (int i = 0; i < a.length; i++) r[i] = a[i];
    } else if (d instanceof boolean[] a) {
      r = new long[a.length];
      for (int i = 0; i < a.length; i++) r[i] = a[i] ? 1 : 0;
    } else if (d instanceof String[] a) { // h5py stores numpy bool as an HDF5 enum {FALSE, TRUE}
      r = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        String v = a[i].trim().toUpperCase(java.util.Locale.ROOT);
        if (v.equals("TRUE") || v.equals("1")) r[i] = 1;
        else if (v.equals("FALSE") || v.equals("0")) r[i] = 0;
        else throw new IOException(file + ": " + path + "[" + i + "] = '" + a[i] + "' is not a boolean or integer");
      }
    } else if (d instanceof java.math.BigInteger[] a) {
      r = new long[a.length];
      for (int i = 0; i < a.length; i++) r[i] = a[i].longValueExact();
    } else {
      throw new IOException(file + ": " + path + " must be a 1-D integer array, got " + describe(d));
    }
    return r;
  }

  private static String describe(Object d) {
    return d == null ? "nothing" : d.getClass().getSimpleName();
  }
}
