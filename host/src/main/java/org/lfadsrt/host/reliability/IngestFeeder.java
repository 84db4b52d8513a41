package org.lfadsrt.host.reliability;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.lfadsrt.host.source.IngestProtocol;

/**
 * A stand-in acquisition system for soaks: connects to a {@code TcpIngestSource} and pushes BIN_COUNTS
 * frames as fast as the socket takes them (accelerated time: bin k carries acquisition time k x width).
 * Faults: every {@code malformedEvery} bins it sends a frame with the wrong channel count, waits for the
 * host's ERROR and the close, and reconnects (the bins before the bad frame all count, none after it was
 * sent); every {@code stallEvery} bins it stops sending for {@code stallMillis}. Ends with END_OF_STREAM.
 */
public final class IngestFeeder implements Runnable {
  private final int port;
  private final int channels;
  private final long bins;
  private final long binWidthNanos;
  private final long malformedEvery;
  private final long stallEvery;
  private final long stallMillis;
  private final long seed;
  private volatile long sent;
  private volatile long malformedSent;
  private volatile long errorsReceived;
  private volatile long stalls;
  private volatile long reconnects;
  private volatile Throwable failure;
  private volatile boolean stop;

  public IngestFeeder(int port, int channels, long bins, long binWidthNanos, long malformedEvery, long stallEvery, long stallMillis,
      long seed) {
    this.port = port;
    this.channels = channels;
    this.bins = bins;
    this.binWidthNanos = binWidthNanos;
    this.malformedEvery = malformedEvery;
    this.stallEvery = stallEvery;
    this.stallMillis = stallMillis;
    this.seed = seed;
  }

  public long sent() { return sent; }
  public long malformedSent() { return malformedSent; }
  public long errorsReceived() { return errorsReceived; }
  public long stalls() { return stalls; }
  public long reconnects() { return reconnects; }
  public Throwable failure() { return failure; }
  public void stop() { stop = true; }

  @Override
  public void run() {
    SplittableRandom rnd = new SplittableRandom(seed);
    int frameBytes = 4 + 4 + 10 + 2 * channels;
    ByteBuffer frame = ByteBuffer.allocate(frameBytes).order(ByteOrder.LITTLE_ENDIAN);
    Socket socket = null;
    try {
      socket = connect();
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      for (long k = 0; k < bins && !stop; k++) {
        if (malformedEvery > 0 && k > 0 && k % malformedEvery == 0) {
          out.write(malformedFrame());
          out.flush();
          malformedSent++;
          awaitErrorAndClose(socket);
          socket = connect();
          out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
          reconnects++;
        }
        if (stallEvery > 0 && k > 0 && k % stallEvery == 0) {
          out.flush();
          stalls++;
          LockSupport.parkNanos(stallMillis * 1_000_000L);
        }
        frame.clear();
        frame.putInt(frameBytes - 4).put((byte) IngestProtocol.BIN_COUNTS).put((byte) IngestProtocol.VERSION).putShort((short) 0);
        frame.putLong((k + 1) * binWidthNanos).putShort((short) channels);
        for (int c = 0; c < channels; c++) frame.putShort((short) (rnd.nextInt(4) == 0 ? rnd.nextInt(6) : 0));
        out.write(frame.array(), 0, frameBytes);
        sent++;
      }
      byte[] eos = {4, 0, 0, 0, (byte) IngestProtocol.END_OF_STREAM, (byte) IngestProtocol.VERSION, 0, 0};
      out.write(eos);
      out.flush();
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      try {
        if (socket != null) socket.close();
      } catch (IOException ignored) {
        // done
      }
    }
  }

  private byte[] malformedFrame() {
    int n = channels + 1; // wrong channel count
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 10 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(4 + 10 + 2 * n).put((byte) IngestProtocol.BIN_COUNTS).put((byte) IngestProtocol.VERSION).putShort((short) 0);
    b.putLong(0).putShort((short) n);
    return b.array();
  }

  private void awaitErrorAndClose(Socket socket) throws IOException {
    socket.setSoTimeout(30_000);
    InputStream in = socket.getInputStream();
    byte[] head = in.readNBytes(5);
    if (head.length == 5 && (head[4] & 0xFF) == IngestProtocol.ERROR) errorsReceived++;
    while (in.read() >= 0) {
      // until the host closes the connection
    }
    socket.close();
  }

  private Socket connect() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 200; attempt++) {
      try {
        Socket s = new Socket();
        s.setTcpNoDelay(false);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
      } catch (IOException e) {
        last = e;
        LockSupport.parkNanos(10_000_000L);
      }
    }
    throw last;
  }
}
