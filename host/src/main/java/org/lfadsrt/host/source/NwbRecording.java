package org.lfadsrt.host.source;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
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
  private final Path file;
  private final double[][] unitSpikeTimes; // per selected unit, ascending seconds
  private final List<String> unitNames;
  private final double[] trialStart;
  private final double[] trialStop;

  private NwbRecording(Path file, double[][] unitSpikeTimes, List<String> unitNames, double[] trialStart, double[] trialStop) {
    this.file = file;
    this.unitSpikeTimes = unitSpikeTimes;
    this.unitNames = unitNames;
    this.trialStart = trialStart;
    this.trialStop = trialStop;
  }

  /**
   * Reads units and trials.
   *
   * @param units unit rows to keep (table order); null keeps the held-in units when a {@code heldout}
   *              column exists, else every unit
   */
  public static NwbRecording open(Path file, int[] units) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException(file + ": no such NWB file");
    try (HdfFile hdf = new HdfFile(file)) {
      double[] spikeTimes = doubles(dataset(hdf, file, "units/spike_times"), file, "units/spike_times");
      long[] index = longs(dataset(hdf, file, "units/spike_times_index"), file, "units/spike_times_index");
      int n = index.length;
      long previous = 0;
      for (int u = 0; u < n; u++) {
        if (index[u] < previous || index[u] > spikeTimes.length) {
          throw new IOException(file + ": units/spike_times_index[" + u + "] = " + index[u]
              + " is not a cumulative end offset into spike_times (length " + spikeTimes.length + ")");
        }
        previous = index[u];
      }
      long[] ids = optionalLongs(hdf, file, "units/id");
      long[] heldout = optionalLongs(hdf, file, "units/heldout");
      int[] selected = units;
      if (selected == null) {
        List<Integer> keep = new ArrayList<>();
        for (int u = 0; u < n; u++) if (heldout == null || heldout[u] == 0) keep.add(u);
        selected = keep.stream().mapToInt(Integer::intValue).toArray();
      }
      if (selected.length == 0) throw new IOException(file + ": no units selected (table has " + n + ")");
      double[][] perUnit = new double[selected.length][];
      List<String> names = new ArrayList<>();
      for (int i = 0; i < selected.length; i++) {
        int u = selected[i];
        if (u < 0 || u >= n) throw new IOException(file + ": unit " + u + " out of range 0.." + (n - 1));
        int from = u == 0 ? 0 : (int) index[u - 1];
        int to = (int) index[u];
        double[] times = java.util.Arrays.copyOfRange(spikeTimes, from, to);
        for (int k = 0; k < times.length; k++) {
          if (!Double.isFinite(times[k])) throw new IOException(file + ": unit " + u + " spike " + k + " time is " + times[k]);
        }
        java.util.Arrays.sort(times);
        perUnit[i] = times;
        names.add("unit" + (ids == null ? u : ids[u]));
      }
      double[] start = new double[0], stop = new double[0];
      if (exists(hdf, "intervals/trials/start_time")) {
        start = doubles(dataset(hdf, file, "intervals/trials/start_time"), file, "intervals/trials/start_time");
        stop = doubles(dataset(hdf, file, "intervals/trials/stop_time"), file, "intervals/trials/stop_time");
        if (start.length != stop.length) {
          throw new IOException(file + ": intervals/trials has " + start.length + " start_time but " + stop.length + " stop_time");
        }
      }
      return new NwbRecording(file, perUnit, List.copyOf(names), start, stop);
    } catch (HdfException e) {
      throw new IOException(file + ": not a readable HDF5/NWB file: " + e.getMessage(), e);
    }
  }

  /** A behaviour series (e.g. processing/behavior/hand_vel): rows of {@code data} at {@code timestamps}. */
  public record Behaviour(double[] timestamps, double[][] data) {}

  /** Reads a TimeSeries group: {@code data} (T or T x D) and {@code timestamps} (T). */
  public static Behaviour readBehaviour(Path file, String groupPath) throws IOException {
    try (HdfFile hdf = new HdfFile(file)) {
      Object raw = dataset(hdf, file, groupPath + "/data").getData();
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
      if (ts.length != data.length) {
        throw new IOException(file + ": " + groupPath + " has " + data.length + " rows but " + ts.length + " timestamps");
      }
      return new Behaviour(ts, data);
    } catch (HdfException e) {
      throw new IOException(file + ": cannot read " + groupPath + ": " + e.getMessage(), e);
    }
  }

  public Path file() { return file; }
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
      throw new IOException(file + ": missing " + path + " (is this an NWB file with sorted units?)");
    }
    if (!(node instanceof Dataset ds)) throw new IOException(file + ": " + path + " is not a dataset");
    return ds;
  }

  private static long[] optionalLongs(HdfFile hdf, Path file, String path) throws IOException {
    return exists(hdf, path) ? longs(dataset(hdf, file, path), file, path) : null;
  }

  static double[] doubles(Dataset ds, Path file, String path) throws IOException {
    Object d = ds.getData();
    if (d instanceof double[] a) return a;
    if (d instanceof float[] a) {
      double[] r = new double[a.length];
      for (int i = 0; i < a.length; i++) r[i] = a[i];
      return r;
    }
    throw new IOException(file + ": " + path + " must be a 1-D float array, got " + describe(d));
  }

  static long[] longs(Dataset ds, Path file, String path) throws IOException {
    Object d = ds.getData();
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
