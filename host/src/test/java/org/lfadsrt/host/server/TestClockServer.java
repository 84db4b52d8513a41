package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.lfadsrt.host.backend.ModelShape;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.source.StreamInfo;

/**
 * Test fixture: a started {@link RigServer} on loopback (free port) whose clock is the test's. The clock stands still
 * unless the test moves it, so age bounds, back-offs and rate limits give exact, load-independent outcomes. The
 * server's log and audit lines are collected in {@link #log}. Closing the fixture closes the server.
 */
final class TestClockServer implements AutoCloseable {
  static final long MS = 1_000_000L;
  /** The stream's bin width. */
  static final long BIN = 10 * MS;
  /** The maximum result age of {@link #freshnessConfig()}. */
  static final int MAX_AGE_MS = 250;
  static final ModelShape SHAPE = new ModelShape(8, 10, 10, 4, 16);
  static final StreamInfo INFO = new StreamInfo("t", "SpikeCounts", "test", 8, BIN, StreamInfo.numberedChannels(8));
  /** An arbitrary start of the test's monotonic clock. */
  static final long START = 1_000_000 * MS;

  private final AtomicLong now = new AtomicLong(START);
  final List<String> log = new CopyOnWriteArrayList<>();
  final RigServer server;

  /** The freshness and credit tests' server: 16 KiB client queues, 8 clients, results at most 250 ms old. */
  static ServerConfig freshnessConfig() {
    return new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 16 * 1024, 8, null, 0,
        ServerLimits.DEFAULTS.withMaxResultAgeMillis(MAX_AGE_MS));
  }

  TestClockServer() throws InterruptedException {
    this(freshnessConfig());
  }

  TestClockServer(ServerConfig config) throws InterruptedException {
    server = new RigServer(config, new StreamDescription(INFO, SHAPE, "test", "online", "m", List.of()),
        new PipelineStats(), now::get, log::add).start();
  }

  int port() {
    return server.port();
  }

  /** The server's clock now, in nanoseconds. */
  long now() {
    return now.get();
  }

  /** Moves the server's clock on by {@code nanos}. */
  void advance(long nanos) {
    now.addAndGet(nanos);
  }

  /**
   * Publishes result {@code seq} made now on the test clock; {@code reader}, a push client reading along, must get it
   * in order with nothing dropped before the clock moves on by one bin.
   */
  void publish(BinResult r, long seq, TestRigClient reader) throws IOException {
    r.seq = seq;
    r.binIndex = seq;
    r.tSource = now.get();
    server.publish(r);
    RigMessage.Result got = reader.readUntil(RigMessage.Result.class);
    assertEquals(seq, got.seq(), "the client reading along gets every result in order");
    assertEquals(0, got.clientDrops(), "nothing dropped for the client reading along");
    now.addAndGet(BIN);
  }

  @Override
  public void close() {
    server.close();
  }
}
