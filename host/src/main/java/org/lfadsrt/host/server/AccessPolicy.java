package org.lfadsrt.host.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may do what (docs/security.md). Data (HELLO, SUBSCRIBE, HEARTBEAT, the dashboard, /ws, /metrics)
 * is open to any client that can connect. Control operations need rights:
 * <ul>
 *   <li>with a start-up token configured, a session has rights only if its HELLO carried that token,
 *       whatever the bind address;</li>
 *   <li>without a token, only a server bound to loopback 127.0.0.1 / ::1 grants rights (any local user
 *       can already stop the process); a server bound anywhere else without a token refuses all control.</li>
 * </ul>
 * Limits per client: inbound messages per second (token bucket, {@link #MESSAGES_PER_SECOND} with a
 * burst of {@link #MESSAGE_BURST}), inbound frame size ({@link Protocol#MAX_CLIENT_FRAME}), and the
 * number of clients ({@link ServerConfig#maxClients()}).
 */
public final class AccessPolicy {
  /** Sustained inbound messages per second per client (SUBSCRIBE, HEARTBEAT, CONTROL, WebSocket frames). */
  public static final double MESSAGES_PER_SECOND = 20;
  /** Inbound messages a client may send at once before the rate applies. */
  public static final double MESSAGE_BURST = 40;

  private AccessPolicy() {}

  /** True for the addresses that keep the server on this machine. */
  public static boolean isLoopbackDefault(String bindAddress) {
    return bindAddress.equals("127.0.0.1") || bindAddress.equals("::1") || bindAddress.equals("localhost");
  }

  /** Whether a session that said {@code helloToken} may run control operations on a server with {@code config}. */
  public static boolean grantsControl(ServerConfig config, String helloToken) {
    String token = config.token();
    if (token != null && !token.isEmpty()) {
      return helloToken != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
          helloToken.getBytes(StandardCharsets.UTF_8));
    }
    return isLoopbackDefault(config.bindAddress());
  }

  /** A token bucket of inbound messages for one client; called on its event loop only. */
  public static final class RateLimit {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastNanos;

    public RateLimit(double perSecond, double burst) {
      this.perSecond = perSecond;
      this.burst = burst;
      this.tokens = burst;
      this.lastNanos = System.nanoTime();
    }

    public static RateLimit standard() {
      return new RateLimit(MESSAGES_PER_SECOND, MESSAGE_BURST);
    }

    /**
     * Gives back the message just taken: it was one that does not count (an accepted WebSocket credit, whose rate the
     * results bound; see docs/protocol.md "WebSocket/JSON view").
     */
    public void refund() {
      tokens = Math.min(burst, tokens + 1);
    }

    /** Takes one message; false when the client is over its rate. */
    public boolean tryAcquire() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - lastNanos) * perSecond / 1e9);
      lastNanos = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }
  }
}
