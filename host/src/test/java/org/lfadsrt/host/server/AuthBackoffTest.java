package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.metrics.ServerStats;

/**
 * Token guessing is slowed down per address, and every attempt and control action is audited (docs/security.md).
 * The server's clock is the test's and stands still unless moved, so the number of guesses the back-off lets
 * through is exact.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthBackoffTest {
  static final String TOKEN = "correct horse battery staple";
  final AtomicInteger done = new AtomicInteger();

  TestClockServer server() throws InterruptedException {
    // 3 free failures, then 250 ms doubling to 30 s; no connection-rate limit (this test is about tokens)
    ServerLimits limits = ServerLimits.DEFAULTS.withHandshake(60_000, 64, 0).withAuthBackoff(3, 250, 30_000);
    ServerConfig cfg = new ServerConfig("127.0.0.1", 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 64 * 1024, 8, TOKEN, 0, limits);
    TestClockServer ts = new TestClockServer(cfg);
    ts.server.controlHandler((op, arg) -> "did " + ControlHandler.opName(op) + " #" + done.incrementAndGet());
    return ts;
  }

  enum Outcome { WRONG_TOKEN_CHECKED, REFUSED_BY_BACKOFF, CONTROL_DONE }

  /** One guess as a guessing loop makes it: connect, HELLO with the token, try a stop. */
  static Outcome guess(RigServer server, String token) throws IOException {
    try (TestRigClient c = new TestRigClient(server.port(), 0)) {
      c.send(new RigMessage.Hello(1, 1, "guesser", token));
      Object first = c.read();
      if (first instanceof RigMessage.Error e) {
        assertEquals(Protocol.ERR_UNAUTHORIZED, e.code(), e.message());
        assertTrue(e.message().contains("refused for"), e.message());
        assertThrows(EOFException.class, c::read, "a HELLO refused by the back-off is closed");
        return Outcome.REFUSED_BY_BACKOFF;
      }
      assertInstanceOf(RigMessage.Handshake.class, first);
      c.send(new RigMessage.Control(Protocol.OP_STOP, ""));
      Object reply = c.readUntil(Object.class);
      while (reply instanceof RigMessage.Status || reply instanceof RigMessage.Heartbeat) reply = c.read();
      if (reply instanceof RigMessage.ControlReply r) {
        assertEquals(0, r.status(), r.message());
        return Outcome.CONTROL_DONE;
      }
      RigMessage.Error e = assertInstanceOf(RigMessage.Error.class, reply);
      assertEquals(Protocol.ERR_UNAUTHORIZED, e.code());
      return Outcome.WRONG_TOKEN_CHECKED;
    }
  }

  @Test
  void aGuessingLoopGetsThreeFreeGuessesThenOnePerBackOffAndEveryAttemptIsLogged() throws Exception {
    try (TestClockServer ts = server()) {
      RigServer server = ts.server;
      List<String> audit = ts.log;
      int checked = 0, refused = 0;
      for (int i = 0; i < 100; i++) {
        Outcome o = guess(server, "guess-" + i);
        assertNotEquals(Outcome.CONTROL_DONE, o);
        if (o == Outcome.WRONG_TOKEN_CHECKED) checked++;
        else refused++;
      }
      assertEquals(4, checked, "3 free failures, the 4th starts the back-off; the clock has not moved since");
      assertEquals(96, refused);
      assertEquals(4, server.serverStats().get(ServerStats.Counter.AUTH_FAILURES));
      assertEquals(96, server.serverStats().get(ServerStats.Counter.AUTH_BACKOFF_REFUSED));
      assertEquals(4, server.serverStats().get(ServerStats.Counter.CONTROL_UNAUTHORIZED));
      assertEquals(Outcome.REFUSED_BY_BACKOFF, guess(server, TOKEN), "during the back-off even the right token is not checked");

      ts.advance(250_000_000L); // the first back-off (250 ms) is over: one more guess, then 500 ms
      assertEquals(Outcome.WRONG_TOKEN_CHECKED, guess(server, "guess-100"));
      assertEquals(Outcome.REFUSED_BY_BACKOFF, guess(server, "guess-101"));
      ts.advance(499_000_000L);
      assertEquals(Outcome.REFUSED_BY_BACKOFF, guess(server, "guess-102"), "499 ms into a 500 ms back-off");
      ts.advance(1_000_000L);
      assertEquals(Outcome.CONTROL_DONE, guess(server, TOKEN), "after the back-off the right token works");
      assertEquals(Outcome.WRONG_TOKEN_CHECKED, guess(server, "guess-103"), "and clears the address's record");

      // a data client (no token) is never held up by the back-off
      for (int i = 0; i < 3; i++) assertEquals(Outcome.WRONG_TOKEN_CHECKED, guess(server, "guess-x" + i));
      assertEquals(Outcome.REFUSED_BY_BACKOFF, guess(server, "guess-x3"));
      try (TestRigClient data = new TestRigClient(server.port(), 0)) {
        data.hello("data-only");
      }

      // who, what, result for every attempt; the token never appears
      // checked wrong tokens: 4 in the loop, guess-100, guess-103, guess-x0..2 (x2 starts a back-off again); refused
      // unchecked: 96, the right token during the back-off, guess-101, guess-102, guess-x3
      assertEquals(9, audit.stream().filter(l -> l.startsWith("auth FAILED: wrong token from 'guesser'@")).count(), audit.toString());
      assertEquals(100, audit.stream().filter(l -> l.startsWith("auth refused (back-off")).count());
      assertTrue(audit.stream().anyMatch(l -> l.startsWith("control stop by 'guesser'@") && l.contains(": done: did stop #1")), audit.toString());
      assertTrue(audit.stream().anyMatch(l -> l.startsWith("control stop from 'guesser'@") && l.endsWith("REFUSED (no control rights)")));
      assertTrue(audit.stream().noneMatch(l -> l.contains(TOKEN) || l.contains("guess-")), "tokens are never logged");
      assertEquals(1, server.serverStats().get(ServerStats.Counter.CONTROL_DONE));
    }
  }

  @Test
  void theThrottleDoublesItsBackOffUpToTheMaximumAndForgetsASuccessfulAddress() {
    AtomicLong t = new AtomicLong();
    AuthThrottle th = new AuthThrottle(ServerLimits.DEFAULTS.withAuthBackoff(2, 100, 1000), t::get);
    long ms = 1_000_000;
    assertEquals(0, th.failed("a"));
    assertEquals(0, th.failed("a"));
    assertEquals(100 * ms, th.failed("a"));
    assertEquals(100 * ms, th.blockedFor("a"));
    assertEquals(0, th.blockedFor("b"), "other addresses are not affected");
    assertEquals(200 * ms, th.failed("a"));
    assertEquals(400 * ms, th.failed("a"));
    assertEquals(800 * ms, th.failed("a"));
    assertEquals(1000 * ms, th.failed("a"), "capped");
    assertEquals(1000 * ms, th.failed("a"));
    t.addAndGet(400 * ms);
    assertEquals(600 * ms, th.blockedFor("a"));
    th.succeeded("a");
    assertEquals(0, th.blockedFor("a"));
    assertEquals(0, th.failed("a"), "a fresh start after a success");
  }
}
