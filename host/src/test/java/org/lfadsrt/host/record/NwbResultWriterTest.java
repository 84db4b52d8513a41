package org.lfadsrt.host.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.source.NwbFixtures;

/** The NWB file NwbResultWriter writes, read back with h5py (host/src/test/python/check_nwb.py checks the schema). */
public class NwbResultWriterTest {
  @TempDir Path dir;

  /** Runs check_nwb.py; returns its JSON, failing with its message when a check fails. */
  public static JsonNode check(Path nwb) throws Exception {
    return check(nwb, false);
  }

  /** {@link #check(Path)}; {@code full}: every series also carries all its data rows and timestamps. */
  public static JsonNode check(Path nwb, boolean full) throws Exception {
    Path script = Path.of(System.getProperty("lfadsrt.root", "."), "host", "src", "test", "python", "check_nwb.py");
    List<String> cmd = new java.util.ArrayList<>(List.of(NwbFixtures.PYTHON.toString(), script.toString(), nwb.toString()));
    if (full) cmd.add("--full");
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertEquals(0, p.waitFor(), "check_nwb.py: " + err);
    return new ObjectMapper().readTree(out);
  }

  @Test
  void writesAnNwbFileWithFactorsRatesAndDecodedBehaviour() throws Exception {
    assumeTrue(NwbFixtures.available(), "needs /usr/bin/python3 with h5py");
    NwbResultWriter w = new NwbResultWriter(3, 2, 1, 4); // grows past 4
    BinResult r = new BinResult(3, 2, 1);
    for (int i = 0; i < 10; i++) {
      r.binIndex = 5 + i;
      for (int k = 0; k < 3; k++) r.factors[k] = i + k / 10f;
      r.rates[0] = i;
      r.rates[1] = -i;
      r.decoded[0] = 2 * i;
      w.publish(r);
    }
    Path f = dir.resolve("out.nwb");
    w.write(f, new NwbResultWriter.Provenance("2026-12-01T10:00:00+00:00", 1.5, 0.01, "rec.nwb", "m.npz session A",
        "float", "online", "Poisson (2 neurons, parameters logrates)", "spikes per bin", List.of("vx")));
    JsonNode j = check(f);
    assertEquals(NwbResultWriter.NWB_VERSION, j.get("nwb_version").asText());
    assertTrue(j.get("description").asText().contains("model m.npz session A, backend float"));
    JsonNode fac = j.get("series").get("factors");
    assertEquals("[10,3]", fac.get("shape").toString());
    assertEquals(1.5 + 6 * 0.01, fac.get("first_ts").asDouble(), 1e-12, "bin 5 ends at t0 + 6 bins");
    assertEquals(1.5 + 15 * 0.01, fac.get("last_ts").asDouble(), 1e-12);
    assertEquals(9.2, fac.get("last_row").get(2).asDouble(), 1e-6);
    JsonNode rates = j.get("series").get("rates");
    assertEquals("spikes per bin", rates.get("unit").asText());
    assertEquals(-9, rates.get("last_row").get(1).asDouble(), 0);
    assertEquals(18, j.get("series").get("decoded_behavior").get("last_row").get(0).asDouble(), 0);
  }
}
