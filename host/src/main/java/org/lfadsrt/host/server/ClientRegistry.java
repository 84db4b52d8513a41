package org.lfadsrt.host.server;

import io.netty.channel.Channel;
import java.util.Arrays;

/**
 * The connected clients, as a copy-on-write array the hot path reads without locking. Registration enforces
 * {@link ServerConfig#maxClients()}.
 */
final class ClientRegistry {
  private final Object lock = new Object();
  private final int maxClients;
  private final int resultFrameBytes;
  private final int queueBytes;
  private long nextId;
  private boolean closing;
  private volatile ClientSession[] sessions = new ClientSession[0];

  ClientRegistry(int maxClients, int resultFrameBytes, int queueBytes) {
    this.maxClients = maxClients;
    this.resultFrameBytes = resultFrameBytes;
    this.queueBytes = queueBytes;
  }

  /** The current clients (do not modify). */
  ClientSession[] sessions() {
    return sessions;
  }

  int count() {
    return sessions.length;
  }

  /** A new session for {@code ch}, or null when the server is full or closing. */
  ClientSession register(Channel ch, boolean webSocket) {
    synchronized (lock) {
      if (closing || sessions.length >= maxClients) return null;
      ClientSession s = new ClientSession(++nextId, ch, webSocket, new ClientFrameRing(resultFrameBytes, queueBytes));
      ClientSession[] next = Arrays.copyOf(sessions, sessions.length + 1);
      next[next.length - 1] = s;
      sessions = next;
      ch.closeFuture().addListener(f -> unregister(s));
      return s;
    }
  }

  /** Refuses new sessions from now on; returns the sessions there are. */
  ClientSession[] close() {
    synchronized (lock) {
      closing = true;
      return sessions;
    }
  }

  private void unregister(ClientSession s) {
    synchronized (lock) {
      ClientSession[] cur = sessions;
      int idx = -1;
      for (int i = 0; i < cur.length; i++) if (cur[i] == s) idx = i;
      if (idx < 0) return;
      ClientSession[] next = new ClientSession[cur.length - 1];
      System.arraycopy(cur, 0, next, 0, idx);
      System.arraycopy(cur, idx + 1, next, idx, cur.length - idx - 1);
      sessions = next;
    }
  }
}
