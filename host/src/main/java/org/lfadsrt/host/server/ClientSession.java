package org.lfadsrt.host.server;

import io.netty.channel.Channel;

/**
 * One connected client. Subscription fields are written by the channel's event loop and read by the
 * hot-path thread (volatile); {@code decimationCounter} and {@code drops} are owned by the hot path.
 */
final class ClientSession {
  final long id;
  final Channel channel;
  final boolean webSocket;
  volatile boolean subscribed;
  volatile int streams;
  volatile int decimation = 1;
  volatile String name = "";
  int decimationCounter;
  volatile long drops;
  volatile long sent;
  /** RESULT frames from the hot path to this client's event loop (preallocated, see {@link ClientFrameRing}). */
  final ClientFrameRing ring;

  ClientSession(long id, Channel channel, boolean webSocket, ClientFrameRing ring) {
    this.id = id;
    this.channel = channel;
    this.webSocket = webSocket;
    this.ring = ring;
  }
}
