package org.lfadsrt.host.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.lfadsrt.host.backend.InferenceBackend;
import org.lfadsrt.host.decoder.RidgeDecoder;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.pipeline.ResultSink;
import org.lfadsrt.host.record.NwbResultWriter;
import org.lfadsrt.host.source.NwbReplaySource;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.sim.model.Reconstruction;

/** {@code --record-nwb FILE}: keeps the results of a run or replay and writes them as NWB at the end. */
final class NwbOutput {
  private final Path file;
  private final NwbResultWriter writer;
  private final NwbResultWriter.Provenance provenance;

  NwbOutput(Path file, SpikeSource src, InferenceBackend backend, String modelName, Mode mode, RidgeDecoder decoder,
      long expectedBins) {
    this(file, src, backend, modelName, mode, decoder, expectedBins, null);
  }

  /** @param sourceNote what the rows are, when not one a bin of the source (e.g. infer's trials); null for none */
  NwbOutput(Path file, SpikeSource src, InferenceBackend backend, String modelName, Mode mode, RidgeDecoder decoder,
      long expectedBins, String sourceNote) {
    this.file = file;
    Reconstruction r = backend.reconstruction();
    this.writer = new NwbResultWriter(backend.shape().facDim(), r.neurons(), decoder == null ? 0 : decoder.outputDim(),
        (int) Math.min(1 << 20, Math.max(1024, expectedBins)));
    String start;
    double t0;
    String source;
    if (src instanceof NwbReplaySource nwb) {
      start = nwb.recording().sessionStartTime();
      t0 = nwb.t0();
      source = nwb.recording().file().getFileName() + " (Units table /" + nwb.recording().unitsTable() + ")";
    } else {
      start = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      t0 = 0;
      source = src.info().sourceId();
    }
    if (sourceNote != null) source += ", " + sourceNote;
    this.provenance = new NwbResultWriter.Provenance(start, t0, src.info().binWidthNanos() / 1e9, source, modelName,
        backend.name(), mode.name().toLowerCase(Locale.ROOT), r.describe(),
        r.kind() == Reconstruction.Kind.POISSON ? "spikes per bin" : "n/a",
        decoder == null ? List.of() : decoder.outputNames());
  }

  /** The sink to give the live system: {@code other} (may be null) and this writer. */
  ResultSink tap(ResultSink other) {
    if (other == null) return writer;
    return new ResultSink() {
      @Override
      public void publish(BinResult r) {
        other.publish(r);
        writer.publish(r);
      }

      @Override
      public void resultExpected() {
        other.resultExpected();
      }
    };
  }

  /** Writes the file; a failure is reported, not thrown (the run's results are already published). */
  boolean write(PrintStream out, String command) {
    try {
      out.println(writeFile(command));
      return true;
    } catch (IOException e) {
      System.err.println(command + ": " + e.getMessage());
      return false;
    }
  }

  /** Writes the file; returns the line that says what was written. */
  String writeFile(String command) throws IOException {
    writer.write(file, provenance);
    return String.format("%s: NWB %s: %d results (factors, rates%s) -> %s", command, NwbResultWriter.NWB_VERSION,
        writer.count(), provenance.decodedNames().isEmpty() ? "" : ", decoded_behavior", file);
  }
}
