package org.lfadsrt.host.server;

import io.netty.channel.Channel;

/**
 * One connected client. Subscription fields are written by the channel's event loop and read by the
 * hot-path thread (volatile); {@code decimationCounter}, {@code offered} and {@code queueDrops} are written
 * by the hot path only, {@code staleDrops}, {@code credit} and {@code creditSkips} by the event loop only.
 */
final class ClientSession {
  final long id;
  final Channel channel;
  final boolean webSocket;
  /** Who the client is in logs: its address and, after HELLO, its name. */
  final String address;
  volatile boolean subscribed;
  volatile int streams;
  volatile int decimation = 1;
  /** The client asked (SUBSCRIBE flag) to be disconnected rather than lose a result. */
  volatile boolean disconnectOnOverflow;
  /** Credit (pull) mode (SUBSCRIBE flag 2): a result is sent only against {@link #credit}. */
  volatile boolean creditMode;
  /** Credit mode: results the client is ready to read (granted by CREDIT, not yet used). Event loop only. */
  long credit;
  volatile String name = "";
  int decimationCounter;
  /** Results offered to this client (after decimation), dropped or not; written by the hot path only. */
  volatile long offered;
  /** Results dropped because the client's queue was full (drop-oldest, or the newest when the oldest was in flight). */
  volatile long queueDrops;
  /** Results skipped because they were older than the maximum result age when the client could take them. */
  volatile long staleDrops;
  /** Credit mode: results skipped because a newer one was waiting when the client had credit for fewer. */
  volatile long creditSkips;
  /** Set once when a disconnect-on-overflow client is being closed. */
  volatile boolean overflowed;
  /** RESULT frames from the hot path to this client's event loop (preallocated, see {@link ClientFrameRing}). */
  final ClientFrameRing ring;

  ClientSession(long id, Channel channel, boolean webSocket, ClientFrameRing ring) {
    this.id = id;
    this.channel = channel;
    this.webSocket = webSocket;
    this.ring = ring;
    this.address = String.valueOf(channel.remoteAddress());
  }

  /** Results queued for this client and not dropped: sent, or about to be. */
  long sent() {
    return offered - drops();
  }

  /** Every result this client did not get (queue full, too old, or superseded in credit mode). */
  long drops() {
    return queueDrops + staleDrops + creditSkips;
  }

  /** For logs: {@code name@address} or the address alone. */
  String who() {
    return name.isEmpty() ? address : "'" + name + "'@" + address;
  }
}
