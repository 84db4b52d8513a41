package org.lfadsrt.host.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.ResultSink;

/**
 * Keeps every published result and writes them as an NWB 2.x file (schema {@value #NWB_VERSION}, namespace
 * {@code core}) that NWB tools open: an {@code NWBFile} root with its required datasets and groups, and a
 * {@code ProcessingModule} {@code processing/lfads} holding {@code TimeSeries} {@code factors}, {@code rates} (the
 * reconstruction's means) and, with a decoder, {@code decoded_behavior}; timestamps are the bin ends in seconds after
 * the session start, the model's provenance is the module's description. Results whose window held a bin some unit
 * did not observe (the input's {@code obs_intervals}; {@link BinResult#FLAG_UNOBSERVED}) are listed, merged into runs
 * of consecutive bins, in the NWB-standard {@code intervals/invalid_times} ({@code TimeIntervals}: "time intervals to
 * be removed from analysis"). Written with the reference HDF5 library
 * ({@link Hdf5File}; jhdf's writer corrupts empty groups), strings variable-length UTF-8 as pynwb writes them.
 * docs/nwb-output.md lists what is written.
 *
 * <p>Hot path: {@link #publish} copies one result into arrays grown by doubling (no allocation per bin once they
 * are large enough; sized up front when the bin count is known).
 */
public final class NwbResultWriter implements ResultSink {
  /** The NWB schema version the file declares (root attribute {@code nwb_version}). */
  public static final String NWB_VERSION = "2.7.0";

  private final int facDim, nRates, decodedDim;
  private long[] bins;
  private boolean[] unobserved; // per row: the result's window held a bin some unit did not observe (obs_intervals)
  private float[] factors, rates, decoded;
  private int count;

  /**
   * @param expectedBins initial capacity (e.g. a replay's total bins); the arrays grow past it
   */
  public NwbResultWriter(int facDim, int nRates, int decodedDim, int expectedBins) {
    this.facDim = facDim;
    this.nRates = nRates;
    this.decodedDim = decodedDim;
    int cap = Math.max(16, expectedBins);
    bins = new long[cap];
    unobserved = new boolean[cap];
    factors = new float[cap * facDim];
    rates = new float[cap * nRates];
    decoded = new float[cap * decodedDim];
  }

  @Override
  public void publish(BinResult r) {
    if (count == bins.length) grow();
    bins[count] = r.binIndex;
    unobserved[count] = (r.flags & BinResult.FLAG_UNOBSERVED) != 0;
    System.arraycopy(r.factors, 0, factors, count * facDim, facDim);
    System.arraycopy(r.rates, 0, rates, count * nRates, nRates);
    System.arraycopy(r.decoded, 0, decoded, count * decodedDim, decodedDim);
    count++;
  }

  private void grow() {
    int cap = bins.length * 2;
    bins = java.util.Arrays.copyOf(bins, cap);
    unobserved = java.util.Arrays.copyOf(unobserved, cap);
    factors = java.util.Arrays.copyOf(factors, cap * facDim);
    rates = java.util.Arrays.copyOf(rates, cap * nRates);
    decoded = java.util.Arrays.copyOf(decoded, cap * decodedDim);
  }

  /** Results kept so far. */
  public int count() {
    return count;
  }

  /**
   * What the file says about where its data came from.
   *
   * @param sessionStartTime ISO 8601 with offset (the input NWB's {@code session_start_time}, else the run's start)
   * @param t0Seconds        start of bin 0, seconds after the session start
   * @param binSeconds       bin width
   * @param source           the input (an NWB file, the synthetic source, ...)
   * @param model            model file (and session)
   * @param backend          backend name
   * @param reconstruction   the reconstruction, e.g. "Poisson (182 neurons, parameters logrates)"
   * @param rateUnit         unit of the rates' data (e.g. "spikes per bin" for Poisson)
   * @param decodedNames     names of the decoded outputs (empty without a decoder)
   */
  public record Provenance(String sessionStartTime, double t0Seconds, double binSeconds, String source, String model,
      String backend, String mode, String reconstruction, String rateUnit, List<String> decodedNames) {}

  /** Writes the NWB file (replacing {@code file}). */
  public void write(Path file, Provenance p) throws IOException {
    double[] timestamps = new double[count];
    for (int i = 0; i < count; i++) timestamps[i] = p.t0Seconds() + (bins[i] + 1) * p.binSeconds();
    String now = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    String start = p.sessionStartTime() != null ? p.sessionStartTime() : now;
    String provenance = "LFADS inference by lfads-rt: model " + p.model() + ", backend " + p.backend() + ", mode "
        + p.mode() + ", reconstruction " + p.reconstruction() + ", source " + p.source() + ", bins of "
        + p.binSeconds() * 1e3 + " ms; timestamps are bin ends (s after session_start_time)";
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Hdf5File h = new Hdf5File(tmp)) {
      long root = h.root();
      h.stringAttribute(root, "nwb_version", NWB_VERSION);
      typed(h, root, "NWBFile");
      h.stringArrayDataset(root, "file_create_date", new String[] {now});
      h.stringDataset(root, "identifier", UUID.randomUUID().toString());
      h.stringDataset(root, "session_description", "lfads-rt inference results of " + p.source());
      h.stringDataset(root, "session_start_time", start);
      h.stringDataset(root, "timestamps_reference_time", start);
      for (String g : new String[] {"acquisition", "analysis", "stimulus", "stimulus/presentation", "stimulus/templates"}) {
        h.closeGroup(h.group(root, g));
      }
      long general = h.group(root, "general");
      h.stringDataset(general, "source_script", provenance);
      h.stringAttribute(general, "source_script_file_name", "lfads-rt");
      h.closeGroup(general);
      long processing = h.group(root, "processing");
      long module = h.group(processing, "lfads");
      typed(h, module, "ProcessingModule");
      h.stringAttribute(module, "description", provenance);
      timeSeries(h, module, "factors", factors, facDim, "n/a",
          "LFADS latent factors (fac_dim = " + facDim + ") per bin; " + provenance, timestamps);
      timeSeries(h, module, "rates", rates, nRates, p.rateUnit(),
          "reconstruction means per neuron (" + p.reconstruction() + ") per bin; " + provenance, timestamps);
      if (decodedDim > 0) {
        timeSeries(h, module, "decoded_behavior", decoded, decodedDim, "n/a",
            "behaviour decoded from the factors by the ridge decoder (" + String.join(", ", p.decodedNames()) + "); "
                + provenance, timestamps);
      }
      h.closeGroup(module);
      h.closeGroup(processing);
      invalidTimes(h, root, p);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("cannot write NWB file " + file + ": " + e.getMessage(), e);
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * {@code intervals/invalid_times}: the runs of consecutive unobserved rows as [start of the first bin, end of the
   * last bin), a TimeIntervals table (hdmf-common DynamicTable: colnames, description, id, one VectorData a column).
   * Written only when some row is unobserved.
   */
  private void invalidTimes(Hdf5File h, long root, Provenance p) throws IOException {
    java.util.List<double[]> runs = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!unobserved[i]) continue;
      double start = p.t0Seconds() + bins[i] * p.binSeconds(), stop = start + p.binSeconds();
      double[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && i > 0 && unobserved[i - 1] && bins[i] == bins[i - 1] + 1) {
        last[1] = stop;
      } else {
        runs.add(new double[] {start, stop});
      }
    }
    if (runs.isEmpty()) return;
    double[] starts = new double[runs.size()], stops = new double[runs.size()];
    long[] ids = new long[runs.size()];
    for (int i = 0; i < ids.length; i++) {
      starts[i] = runs.get(i)[0];
      stops[i] = runs.get(i)[1];
      ids[i] = i;
    }
    long intervals = h.group(root, "intervals");
    long table = h.group(intervals, "invalid_times");
    typed(h, table, "TimeIntervals");
    h.stringAttribute(table, "description", "time intervals to be removed from analysis: lfads-rt results whose "
        + "input window held a bin some unit did not observe (the input's obs_intervals)");
    h.stringArrayAttribute(table, "colnames", new String[] {"start_time", "stop_time"});
    long id = h.longDataset(table, "id", ids);
    typed(h, id, "ElementIdentifiers", "hdmf-common");
    h.closeDataset(id);
    column(h, table, "start_time", starts, "Start time of epoch, in seconds");
    column(h, table, "stop_time", stops, "Stop time of epoch, in seconds");
    h.closeGroup(table);
    h.closeGroup(intervals);
  }

  private static void column(Hdf5File h, long table, String name, double[] values, String description)
      throws IOException {
    long d = h.doubleDataset(table, name, values, values.length, 0);
    typed(h, d, "VectorData", "hdmf-common");
    h.stringAttribute(d, "description", description);
    h.closeDataset(d);
  }

  private static void typed(Hdf5File h, long node, String type) throws IOException {
    typed(h, node, type, "core");
  }

  private static void typed(Hdf5File h, long node, String type, String namespace) throws IOException {
    h.stringAttribute(node, "namespace", namespace);
    h.stringAttribute(node, "neurodata_type", type);
    h.stringAttribute(node, "object_id", UUID.randomUUID().toString());
  }

  private void timeSeries(Hdf5File h, long parent, String name, float[] flat, int cols, String unit, String description,
      double[] timestamps) throws IOException {
    long ts = h.group(parent, name);
    typed(h, ts, "TimeSeries");
    h.stringAttribute(ts, "description", description);
    h.stringAttribute(ts, "comments", "no comments");
    long d = h.floatDataset(ts, "data", java.util.Arrays.copyOf(flat, count * cols), count, cols);
    h.stringAttribute(d, "unit", unit);
    h.doubleAttribute(d, "conversion", 1.0);
    h.doubleAttribute(d, "resolution", -1.0);
    h.doubleAttribute(d, "offset", 0.0);
    h.stringAttribute(d, "continuity", "continuous");
    h.closeDataset(d);
    long t = h.doubleDataset(ts, "timestamps", timestamps, count, 0);
    h.intAttribute(t, "interval", 1);
    h.stringAttribute(t, "unit", "seconds");
    h.closeDataset(t);
    h.closeGroup(ts);
  }
}
