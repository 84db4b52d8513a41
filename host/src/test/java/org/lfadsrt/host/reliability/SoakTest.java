package org.lfadsrt.host.reliability;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.metrics.DropReason;

/**
 * The short soak of {@code make test}: 10,000 bins (slowed by the paranoid leak detector) through ingest, pipeline, server and clients with
 * every fault kind injected several times (the long one is {@code make soak}: 10,000,000 bins).
 */
class SoakTest {
  @Test
  @Timeout(300)
  void everyBinIsAccountedForAndEveryFaultSurvived() throws Exception {
    Soak.Config c = new Soak.Config(10_000, 11, 2_001, 3_001, 100, 331, 1_499, 661, 2_003, 337, 1_201, 200, 200);
    Soak.Report r = Soak.run(c, null);
    r.print(System.out);
    assertEquals(java.util.List.of(), r.violations());
    assertEquals(0, r.unaccounted());
    assertEquals(10_000, r.entered());
    assertEquals(r.entered(), r.published() + r.dropped());
    // every fault kind really happened
    assertEquals(4, r.malformedFrames());
    assertEquals(4, r.ingestErrorsAnswered());
    assertTrue(r.failovers() >= 15, "failovers " + r.failovers());
    assertTrue(r.fallbackFailures() >= 1, "a bin lost to a failing fallback");
    assertTrue(r.invalid() >= 30 && r.jumps() >= 6 && r.late() >= 15 && r.sourceStalls() >= 4 && r.feederStalls() >= 3);
    assertTrue(r.churnSessions() >= 1 && r.garbageSessions() >= 1, "misbehaving clients ran");
    assertTrue(r.garbageErrors() >= r.garbageSessions() - 1, "every garbage sender got an ERROR (the last may be cut by the stop)");
    assertTrue(r.noticesSeen() >= 1, "failovers reached the clients");
    assertTrue(r.dropsByReason().contains(DropReason.INVALID.label() + " " + r.invalid()), r.dropsByReason().toString());
    assertTrue(r.dropsByReason().contains(DropReason.LATE.label() + " " + r.late()), r.dropsByReason().toString());
  }
}
