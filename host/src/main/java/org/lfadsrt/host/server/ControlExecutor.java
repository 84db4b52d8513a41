package org.lfadsrt.host.server;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.lfadsrt.host.metrics.ServerStats;

/**
 * Control rights and control operations: decides what a HELLO's token grants ({@link AccessPolicy}), slows
 * token guessing down per address ({@link AuthThrottle}), runs authorised operations one at a time on its own
 * thread (off the event loops: loading a model or fitting a decoder takes longer than an event loop may block),
 * and writes an audit line for every operation and every failed attempt (who, what, result), counting each
 * in {@link ServerStats}. The token itself is never logged.
 */
final class ControlExecutor implements AutoCloseable {
  /** What a HELLO's token gets. */
  enum Rights { CONTROL, DATA_ONLY, BACKED_OFF }

  private final ServerConfig config;
  private final ServerStats serverStats;
  private final AuthThrottle throttle;
  private final Consumer<String> audit;
  private volatile ControlHandler handler = ControlHandler.NONE;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "lfads-control");
    t.setDaemon(true);
    return t;
  });

  ControlExecutor(ServerConfig config, ServerStats serverStats, LongSupplier clock, Consumer<String> audit) {
    this.config = config;
    this.serverStats = serverStats;
    this.throttle = new AuthThrottle(config.limits(), clock);
    this.audit = audit;
  }

  void handler(ControlHandler h) {
    this.handler = h == null ? ControlHandler.NONE : h;
  }

  ControlHandler handler() {
    return handler;
  }

  /** The key failed tokens are counted under: the client's IP address (any port). */
  static String addressOf(Channel ch) {
    return ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress()
        : String.valueOf(ch.remoteAddress());
  }

  /**
   * The rights of a session whose HELLO carried {@code token}. With a server token configured, a non-empty
   * HELLO token is compared in constant time, unless the address is backing off after failed tokens
   * ({@link Rights#BACKED_OFF}: the caller refuses the HELLO); an empty token asks for data only.
   */
  Rights hello(Channel ch, String who, String token) {
    String serverToken = config.token();
    if (serverToken == null || serverToken.isEmpty()) {
      return AccessPolicy.grantsControl(config, token) ? Rights.CONTROL : Rights.DATA_ONLY;
    }
    if (token == null || token.isEmpty()) return Rights.DATA_ONLY;
    String address = addressOf(ch);
    long wait = throttle.blockedFor(address);
    if (wait > 0) {
      serverStats.increment(ServerStats.Counter.AUTH_BACKOFF_REFUSED);
      audit.accept("auth refused (back-off " + (wait + 999_999) / 1_000_000 + " ms after failed tokens) from " + who);
      return Rights.BACKED_OFF;
    }
    if (MessageDigest.isEqual(serverToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      throttle.succeeded(address);
      audit.accept("auth ok: control rights for " + who);
      return Rights.CONTROL;
    }
    long backoff = throttle.failed(address);
    serverStats.increment(ServerStats.Counter.AUTH_FAILURES);
    audit.accept("auth FAILED: wrong token from " + who
        + (backoff > 0 ? "; further tokens from " + address + " refused for " + backoff / 1_000_000 + " ms" : ""));
    return Rights.DATA_ONLY;
  }

  /** Nanoseconds {@code ch}'s address must wait before its token is checked again. */
  long backoffFor(Channel ch) {
    return throttle.blockedFor(addressOf(ch));
  }

  /** A CONTROL from a session without rights: counted and logged (the caller answers UNAUTHORIZED). */
  void unauthorized(String who, int op) {
    serverStats.increment(ServerStats.Counter.CONTROL_UNAUTHORIZED);
    audit.accept("control " + ControlHandler.opName(op) + " from " + who + ": REFUSED (no control rights)");
  }

  /** Carries out {@code op} on the control thread and writes the CONTROL_REPLY to {@code channel}. */
  void run(Channel channel, String who, int op, String argument) {
    String what = ControlHandler.opName(op) + (argument == null || argument.isEmpty() ? "" : " '" + argument + "'");
    try {
      thread.execute(() -> {
        RigMessage.ControlReply reply;
        try {
          reply = new RigMessage.ControlReply(op, 0, handler.handle(op, argument));
          serverStats.increment(ServerStats.Counter.CONTROL_DONE);
          audit.accept("control " + what + " by " + who + ": done: " + reply.message());
        } catch (ControlHandler.ControlException ex) {
          reply = new RigMessage.ControlReply(op, Protocol.ERR_CONTROL_FAILED, ex.getMessage());
        } catch (RuntimeException ex) {
          reply = new RigMessage.ControlReply(op, Protocol.ERR_CONTROL_FAILED, ControlHandler.opName(op) + " failed: " + ex);
        }
        if (reply.status() != 0) {
          serverStats.increment(ServerStats.Counter.CONTROL_FAILED);
          audit.accept("control " + what + " by " + who + ": FAILED: " + reply.message());
        }
        if (channel.isActive()) channel.writeAndFlush(reply);
      });
    } catch (RejectedExecutionException e) {
      channel.writeAndFlush(new RigMessage.Error(Protocol.ERR_SHUTTING_DOWN, "server shutting down"));
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
