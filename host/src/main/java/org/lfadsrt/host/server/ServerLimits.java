package org.lfadsrt.host.server;

/**
 * Freshness and admission limits of the rig server (docs/protocol.md "Freshness", docs/security.md). The
 * defaults are what {@code run} uses unless told otherwise; {@code RunCommand}'s option defaults are these
 * constants (a test compares them).
 *
 * @param maxResultAgeMillis          a result older than this (now - t_source) when its client can take it is
 *                                    never sent; it is counted in that client's {@code client_drops}
 * @param handshakeTimeoutMillis      a connection that has not completed HELLO (or sent a complete HTTP request)
 *                                    by then is closed
 * @param maxPendingHandshakes        connections beyond this many without HELLO are refused at accept
 * @param connectsPerSecondPerAddress sustained new connections per second from one address (burst twice this);
 *                                    0 disables the limit
 * @param authFreeFailures            failed tokens an address may send before back-off starts
 * @param authBackoffMillis           back-off after the first counted failure; doubles with each further one
 * @param authBackoffMaxMillis        longest back-off
 */
public record ServerLimits(int maxResultAgeMillis, int handshakeTimeoutMillis, int maxPendingHandshakes,
    int connectsPerSecondPerAddress, int authFreeFailures, int authBackoffMillis, int authBackoffMaxMillis) {
  public static final int DEFAULT_MAX_RESULT_AGE_MS = 250;
  public static final int DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;
  public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 64;
  public static final int DEFAULT_CONNECTS_PER_SECOND = 50;
  public static final int DEFAULT_AUTH_FREE_FAILURES = 3;
  public static final int DEFAULT_AUTH_BACKOFF_MS = 250;
  public static final int DEFAULT_AUTH_BACKOFF_MAX_MS = 30_000;

  public static final ServerLimits DEFAULTS = new ServerLimits(DEFAULT_MAX_RESULT_AGE_MS, DEFAULT_HANDSHAKE_TIMEOUT_MS,
      DEFAULT_MAX_PENDING_HANDSHAKES, DEFAULT_CONNECTS_PER_SECOND, DEFAULT_AUTH_FREE_FAILURES, DEFAULT_AUTH_BACKOFF_MS,
      DEFAULT_AUTH_BACKOFF_MAX_MS);

  public ServerLimits {
    // The age travels as a u16 in HANDSHAKE.
    if (maxResultAgeMillis < 1 || maxResultAgeMillis > 65_535) {
      throw new IllegalArgumentException("max result age must be 1..65535 ms, got " + maxResultAgeMillis);
    }
    if (handshakeTimeoutMillis < 1) throw new IllegalArgumentException("handshake timeout must be >= 1 ms, got " + handshakeTimeoutMillis);
    if (maxPendingHandshakes < 1) throw new IllegalArgumentException("max pending handshakes must be >= 1, got " + maxPendingHandshakes);
    if (connectsPerSecondPerAddress < 0) {
      throw new IllegalArgumentException("connections per second per address must be >= 0, got " + connectsPerSecondPerAddress);
    }
    if (authFreeFailures < 0) throw new IllegalArgumentException("free auth failures must be >= 0, got " + authFreeFailures);
    if (authBackoffMillis < 1 || authBackoffMaxMillis < authBackoffMillis) {
      throw new IllegalArgumentException("auth back-off must be >= 1 ms and <= its maximum, got " + authBackoffMillis + ".."
          + authBackoffMaxMillis);
    }
  }

  public ServerLimits withMaxResultAgeMillis(int ms) {
    return new ServerLimits(ms, handshakeTimeoutMillis, maxPendingHandshakes, connectsPerSecondPerAddress, authFreeFailures,
        authBackoffMillis, authBackoffMaxMillis);
  }

  public ServerLimits withHandshake(int timeoutMillis, int maxPending, int connectsPerSecond) {
    return new ServerLimits(maxResultAgeMillis, timeoutMillis, maxPending, connectsPerSecond, authFreeFailures,
        authBackoffMillis, authBackoffMaxMillis);
  }

  public ServerLimits withAuthBackoff(int freeFailures, int backoffMillis, int backoffMaxMillis) {
    return new ServerLimits(maxResultAgeMillis, handshakeTimeoutMillis, maxPendingHandshakes, connectsPerSecondPerAddress,
        freeFailures, backoffMillis, backoffMaxMillis);
  }
}
