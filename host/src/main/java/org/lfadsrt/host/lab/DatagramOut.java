package org.lfadsrt.host.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A non-blocking UDP sender for rig outputs: a datagram that cannot be handed to the kernel at once (socket buffer
 * full) or that fails (no route, receiver's port closed) is dropped and counted, never waited for, so a slow or
 * absent receiver never holds up the hot path.
 */
final class DatagramOut implements AutoCloseable {
  private final DatagramChannel channel;
  private final InetSocketAddress target;
  private final String description;
  private volatile long sent;
  private volatile long dropped;

  DatagramOut(String option, String hostPort) throws IOException {
    Object[] hp = SourceParams.hostPort(option, hostPort);
    this.target = new InetSocketAddress((String) hp[0], (Integer) hp[1]);
    if (target.isUnresolved()) throw new IllegalArgumentException(option + ": cannot resolve host '" + hp[0] + "'");
    this.channel = DatagramChannel.open();
    channel.configureBlocking(false);
    this.description = option + " " + hostPort;
  }

  /** Sends {@code datagram} from its position to its limit; returns whether it left. */
  boolean send(ByteBuffer datagram) {
    try {
      if (channel.send(datagram, target) > 0) {
        sent++;
        return true;
      }
    } catch (IOException e) {
      // unreachable or refused: a rig output never stops the pipeline
    }
    dropped++;
    return false;
  }

  long sent() { return sent; }
  long dropped() { return dropped; }
  InetSocketAddress target() { return target; }

  String summary() {
    return description + ": " + sent + " datagrams sent, " + dropped + " dropped";
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
