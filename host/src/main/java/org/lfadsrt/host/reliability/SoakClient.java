package org.lfadsrt.host.reliability;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.RigEncoder;
import org.lfadsrt.host.server.RigMessage;

/**
 * Rig clients with the behaviours a soak throws at the server, each on its own thread:
 * <ul>
 *   <li>{@link Kind#FULL}: subscribes to everything and checks the sequence numbers it receives (strictly
 *       increasing; every gap is a result the server dropped for it, so gaps never exceed its drops);</li>
 *   <li>{@link Kind#STALLING}: reads, then stops reading for a while (its queue fills, it loses results);</li>
 *   <li>{@link Kind#CHURNING}: connects, subscribes, reads a little, then disconnects in the middle of a
 *       frame (abortive close), again and again;</li>
 *   <li>{@link Kind#GARBAGE}: connects and sends malformed frames, expects an ERROR, disconnects, again.</li>
 * </ul>
 */
public final class SoakClient implements Runnable {
  public enum Kind { FULL, STALLING, CHURNING, GARBAGE }

  private final Kind kind;
  private final int port;
  private final long seed;
  private volatile boolean stop;
  private volatile long results;
  private volatile long gaps;
  private volatile long lastSeq = -1;
  private volatile long orderViolations;
  private volatile long errorsReceived;
  private volatile long notices;
  private volatile long sessions;
  private volatile long stallsDone;
  private volatile String lastNotice = "";
  private volatile Throwable failure;

  public SoakClient(Kind kind, int port, long seed) {
    this.kind = kind;
    this.port = port;
    this.seed = seed;
  }

  public Kind kind() { return kind; }
  public long results() { return results; }
  public long gaps() { return gaps; }
  public long orderViolations() { return orderViolations; }
  public long errorsReceived() { return errorsReceived; }
  public long notices() { return notices; }
  public String lastNotice() { return lastNotice; }
  public long sessions() { return sessions; }
  public long stalls() { return stallsDone; }
  public Throwable failure() { return failure; }
  public void stop() { stop = true; }

  /** For FULL/STALLING: connect and subscribe now (before the pipeline starts), so every result is owed. */
  private Socket socket;
  private DataInputStream in;

  public SoakClient connect() throws IOException {
    if (kind == Kind.FULL || kind == Kind.STALLING) {
      socket = open(kind == Kind.STALLING ? 8192 : 0);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
      send(socket, new RigMessage.Hello(1, 1, "soak-" + kind, ""));
      send(socket, new RigMessage.Subscribe(Protocol.STREAM_ALL, 1));
      sessions++;
      // the server answers SUBSCRIBE with a STATUS: from then on every result is owed to us
      byte[] body = new byte[1 << 16];
      int type;
      do {
        type = readFrame(in, body);
        if (type == Protocol.ERROR) throw new IOException("server refused the subscription");
      } while (type != Protocol.STATUS);
    }
    return this;
  }

  @Override
  public void run() {
    try {
      switch (kind) {
        case FULL, STALLING -> readAll();
        case CHURNING -> churn();
        case GARBAGE -> garbage();
      }
    } catch (IOException | RuntimeException e) {
      if (!stop) failure = e;
    }
  }

  private void readAll() throws IOException {
    byte[] body = new byte[1 << 20];
    ByteBuffer view = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    long nextStall = System.nanoTime() + 500_000_000L;
    try {
      while (true) {
        int type = readFrame(in, body);
        if (type == Protocol.RESULT) {
          long seq = view.getLong(4);
          if (seq <= lastSeq) orderViolations++;
          else gaps += seq - lastSeq - 1;
          lastSeq = seq;
          results++;
        } else if (type == Protocol.NOTICE) {
          notices++;
          int n = Short.toUnsignedInt(view.getShort(6));
          lastNotice = new String(body, 8, n, java.nio.charset.StandardCharsets.UTF_8);
        } else if (type == Protocol.ERROR) {
          errorsReceived++;
        }
        if (kind == Kind.STALLING && System.nanoTime() > nextStall) {
          stallsDone++;
          LockSupport.parkNanos(300_000_000L); // stop reading: the server must drop for us, not wait
          nextStall = System.nanoTime() + 700_000_000L;
        }
      }
    } catch (EOFException | SocketException e) {
      // server closed at shutdown
    } finally {
      socket.close();
    }
  }

  private void churn() throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    while (!stop) {
      try (Socket s = open(0)) {
        sessions++;
        DataInputStream din = new DataInputStream(s.getInputStream());
        send(s, new RigMessage.Hello(1, 1, "soak-churn", ""));
        send(s, new RigMessage.Subscribe(Protocol.STREAM_ALL, 1 + r.nextInt(3)));
        byte[] body = new byte[1 << 16];
        int frames = 5 + r.nextInt(50);
        for (int i = 0; i < frames && !stop; i++) readFrame(din, body);
        din.readNBytes(1 + r.nextInt(20)); // into the next frame
        s.setSoLinger(true, 0); // reset, mid-frame
      } catch (EOFException | SocketException e) {
        if (stop) return;
      }
      LockSupport.parkNanos(20_000_000L);
    }
  }

  private void garbage() throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    while (!stop) {
      try (Socket s = open(0)) {
        sessions++;
        DataInputStream din = new DataInputStream(s.getInputStream());
        byte[] junk;
        switch (r.nextInt(4)) {
          case 0 -> { // unknown type
            junk = new byte[] {4, 0, 0, 0, 0x55, 1, 0, 0};
          }
          case 1 -> { // unsupported version
            junk = new byte[] {8, 0, 0, 0, 0x01, 9, 0, 0, 1, 2, 3, 4};
          }
          case 2 -> { // oversized
            junk = new byte[] {0, 0, 0, 0x40, 0x01, 1, 0, 0};
          }
          default -> { // truncated HELLO body
            junk = new byte[] {6, 0, 0, 0, 0x01, 1, 0, 0, 0x4C, 0x46};
          }
        }
        s.getOutputStream().write(junk);
        s.getOutputStream().flush();
        byte[] body = new byte[1 << 16];
        if (readFrame(din, body) == Protocol.ERROR) errorsReceived++;
      } catch (EOFException | SocketException e) {
        if (stop) return;
      }
      LockSupport.parkNanos(50_000_000L);
    }
  }

  private Socket open(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(60_000);
    return s;
  }

  private static void send(Socket s, RigMessage m) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(RigEncoder.toBytes(m));
    out.flush();
  }

  /** Reads one frame's body (after the length) into {@code body}; returns its type. */
  private static int readFrame(DataInputStream in, byte[] body) throws IOException {
    int length = Integer.reverseBytes(in.readInt());
    if (length < 4 || length > body.length) throw new IOException("server sent a frame of length " + length);
    in.readFully(body, 0, length);
    return body[0] & 0xFF;
  }
}
