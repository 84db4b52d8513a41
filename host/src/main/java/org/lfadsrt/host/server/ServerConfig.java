package org.lfadsrt.host.server;

/**
 * Rig server settings, validated once at construction.
 *
 * @param bindAddress      address to bind; 127.0.0.1 by default so nothing is reachable off the machine
 * @param port             TCP port (0 picks a free one; see {@link RigServer#port()})
 * @param maxServerFrame   largest frame the server will send (the model's RESULT must fit)
 * @param clientQueueBytes bytes queued per client before further results for it are dropped (counted)
 * @param maxClients       connections beyond this get ERROR TOO_MANY_CLIENTS and are closed
 * @param token            control token (issue 8); null when bound to loopback
 * @param socketSendBuffer SO_SNDBUF per client in bytes; 0 sizes it from the stream (see
 *                         {@link RigServer#sendBufferBytes}) so the kernel holds at most about one maximum result age
 * @param limits           result freshness, handshake and authentication limits
 */
public record ServerConfig(String bindAddress, int port, int maxServerFrame, int clientQueueBytes, int maxClients, String token,
    int socketSendBuffer, ServerLimits limits) {
  public static final int DEFAULT_PORT = 7411;

  public ServerConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
    if (maxServerFrame < 256) throw new IllegalArgumentException("maxServerFrame must be >= 256, got " + maxServerFrame);
    if (clientQueueBytes < 1024) throw new IllegalArgumentException("clientQueueBytes must be >= 1024, got " + clientQueueBytes);
    if (socketSendBuffer < 0) throw new IllegalArgumentException("socketSendBuffer must be >= 0, got " + socketSendBuffer);
    if (maxClients < 1) throw new IllegalArgumentException("maxClients must be >= 1, got " + maxClients);
    if (limits == null) limits = ServerLimits.DEFAULTS;
  }

  public ServerConfig(String bindAddress, int port, int maxServerFrame, int clientQueueBytes, int maxClients, String token,
      int socketSendBuffer) {
    this(bindAddress, port, maxServerFrame, clientQueueBytes, maxClients, token, socketSendBuffer, ServerLimits.DEFAULTS);
  }

  public ServerConfig withLimits(ServerLimits l) {
    return new ServerConfig(bindAddress, port, maxServerFrame, clientQueueBytes, maxClients, token, socketSendBuffer, l);
  }

  public ServerConfig(String bindAddress, int port, int maxServerFrame, int clientQueueBytes, int maxClients, String token) {
    this(bindAddress, port, maxServerFrame, clientQueueBytes, maxClients, token, 0, ServerLimits.DEFAULTS);
  }

  public static ServerConfig loopback(int port) {
    return new ServerConfig("127.0.0.1", port, Protocol.DEFAULT_MAX_SERVER_FRAME, 64 * 1024, 64, null, 0, ServerLimits.DEFAULTS);
  }
}
