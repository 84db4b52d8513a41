package org.lfadsrt.host.latency;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.ResultFlyweight;
import org.lfadsrt.host.server.RigEncoder;
import org.lfadsrt.host.server.RigMessage;

/**
 * A rig-protocol client on its own thread that timestamps the arrival of every RESULT frame (after the
 * whole frame has been read) and records, per frame: source to arrival, encode to arrival, and arrival
 * minus source minus backend compute (client-observed host overhead). Reads into one reused buffer.
 */
final class LoopbackClient implements AutoCloseable {
  private static final long HIGHEST_NS = 60_000_000_000L;

  final int index;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] frame = new byte[4096];
  private final Thread thread;
  final Histogram arrival = new Histogram(1, HIGHEST_NS, 3);
  final Histogram delivery = new Histogram(1, HIGHEST_NS, 3);
  final Histogram overhead = new Histogram(1, HIGHEST_NS, 3);
  volatile long received;
  volatile long lastSeq = -1;
  volatile long seqGaps;
  volatile long lastClientDrops;
  volatile Throwable failure;
  private volatile boolean closing;

  /** Connects, says HELLO, subscribes to every stream and waits for the server's STATUS reply (subscribed). */
  LoopbackClient(int index, int port) throws IOException {
    this.index = index;
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setReceiveBufferSize(1 << 20);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    out = socket.getOutputStream();
    send(new RigMessage.Hello(Protocol.VERSION, Protocol.VERSION, "bench-client-" + index, ""));
    awaitType(Protocol.HANDSHAKE);
    send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1));
    awaitType(Protocol.STATUS);
    socket.setSoTimeout(0);
    thread = new Thread(this::readLoop, "bench-client-" + index);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void send(RigMessage m) throws IOException {
    out.write(RigEncoder.toBytes(m));
    out.flush();
  }

  private void awaitType(int type) throws IOException {
    while (true) {
      int t = readFrame();
      if (t == type) return;
      if (t == Protocol.ERROR) throw new IOException("bench client " + index + ": server answered ERROR during setup");
    }
  }

  /** Reads one frame into {@link #frame} (from its length field on); returns its type. */
  private int readFrame() throws IOException {
    int b0 = in.read(), b1 = in.read(), b2 = in.read(), b3 = in.read();
    if ((b0 | b1 | b2 | b3) < 0) throw new EOFException("server closed");
    int length = b0 | b1 << 8 | b2 << 16 | b3 << 24;
    if (length < 4 || length > Protocol.DEFAULT_MAX_SERVER_FRAME) throw new IOException("bad frame length " + length);
    int total = length + Protocol.LENGTH_FIELD_BYTES;
    if (frame.length < total) frame = new byte[total];
    frame[0] = (byte) b0;
    frame[1] = (byte) b1;
    frame[2] = (byte) b2;
    frame[3] = (byte) b3;
    int off = Protocol.LENGTH_FIELD_BYTES;
    while (off < total) {
      int n = in.read(frame, off, total - off);
      if (n < 0) throw new EOFException("server closed mid-frame");
      off += n;
    }
    return frame[Protocol.LENGTH_FIELD_BYTES] & 0xFF;
  }

  private long longAt(int offset) {
    long v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | (frame[offset + i] & 0xFFL);
    return v;
  }

  private void readLoop() {
    try {
      while (!closing) {
        int type = readFrame();
        if (type != Protocol.RESULT) continue;
        long now = System.nanoTime();
        long tSource = longAt(ResultFlyweight.T_SOURCE_OFFSET);
        long compute = longAt(ResultFlyweight.T_BACKEND_DONE_OFFSET) - longAt(ResultFlyweight.T_BACKEND_START_OFFSET);
        long seq = longAt(ResultFlyweight.SEQ_OFFSET);
        record(arrival, now - tSource);
        record(delivery, now - longAt(ResultFlyweight.T_ENCODE_OFFSET));
        record(overhead, now - tSource - compute);
        if (lastSeq >= 0 && seq != lastSeq + 1) seqGaps++;
        lastSeq = seq;
        lastClientDrops = longAt(ResultFlyweight.CLIENT_DROPS_OFFSET) & 0xFFFF_FFFFL;
        received++;
      }
    } catch (EOFException | SocketException e) {
      // server closed or we closed: the end of the run
    } catch (IOException | RuntimeException e) {
      if (!closing) failure = e;
    }
  }

  private static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(1, Math.min(nanos, HIGHEST_NS)));
  }

  /** Waits up to {@code millis} until this client has received {@code count} results. */
  boolean awaitReceived(long count, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (received < count && System.nanoTime() < deadline && thread.isAlive()) Thread.sleep(5);
    return received >= count;
  }

  @Override
  public void close() {
    closing = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
