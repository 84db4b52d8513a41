package org.lfadsrt.host.server;

import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A blocking rig-protocol client for tests, using the production encoder and frame decoder. */
final class TestRigClient implements AutoCloseable {
  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  TestRigClient(int port, int receiveBuffer) throws IOException {
    this("127.0.0.1", port, receiveBuffer);
  }

  TestRigClient(String host, int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress(host, port), 60_000);
    socket.setSoTimeout(60_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
    out = socket.getOutputStream();
  }

  void send(RigMessage m) throws IOException {
    sendRaw(RigEncoder.toBytes(m));
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Next message, or a ProtocolError for a bad frame; throws EOFException when the server closed. */
  Object read() throws IOException {
    int length = Integer.reverseBytes(in.readInt());
    byte[] body = new byte[length];
    in.readFully(body);
    return RigDecoder.decodeFrame(Unpooled.wrappedBuffer(body));
  }

  /** Reads until a message of the given class arrives (skipping STATUS/HEARTBEAT etc.). */
  <T> T readUntil(Class<T> type) throws IOException {
    while (true) {
      Object o = read();
      if (type.isInstance(o)) return type.cast(o);
    }
  }

  /** CREDIT: ready to read {@code grant} more results (credit mode). */
  void credit(long grant) throws IOException {
    send(RigMessage.Credit.of(grant));
  }

  RigMessage.Handshake hello(String name) throws IOException {
    send(new RigMessage.Hello(1, 1, name, ""));
    return readUntil(RigMessage.Handshake.class);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
