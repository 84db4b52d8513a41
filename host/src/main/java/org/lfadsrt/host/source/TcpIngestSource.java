package org.lfadsrt.host.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Network ingest: the acquisition system connects over TCP and pushes binned counts or spike events
 * ({@link IngestProtocol}). One acquisition connection at a time; when it closes, the source waits for
 * the next. Reads happen on the hot-path thread itself with blocking I/O into one reused buffer, so a
 * bin costs no allocation and no thread hand-off.
 *
 * <p>Spike events are binned on the acquisition clock: bin k covers [t0 + k w, t0 + (k+1) w) where t0
 * is the first event or tick time; a bin is complete when an event or tick at or after its end arrives.
 * A malformed frame gets an ERROR frame back naming the problem, and the connection is closed.
 */
public final class TcpIngestSource extends AbstractSpikeSource {
  private final StreamInfo info;
  private final ServerSocket server;
  /** Instead of a server socket: each element is one "connection" (fuzzing and tests). */
  private final java.util.function.Supplier<InputStream> connections;
  /**
   * A forward jump of the acquisition clock beyond this many bins is a discontinuity: the grid re-anchors
   * and the bin index jumps (a visible gap) instead of emitting every empty bin in between.
   */
  public static final long MAX_EMPTY_BINS = 1000;
  private long clockJumps;
  private long skippedBins;
  private final ByteBuffer frame;
  private final byte[] lengthBytes = new byte[4];
  private final int[] accumulating;
  private Socket socket;
  private InputStream in;
  private long malformedFrames;
  // Spike-event state: the frame being consumed and the acquisition-time bin grid.
  private int eventsLeft;
  private boolean tickPending;
  private long tickTime;
  private long binStartNs = Long.MIN_VALUE;
  private boolean pendingTrialStart;
  private boolean accumulated;

  public TcpIngestSource(String bindAddress, int port, int channels, long binWidthNanos) throws IOException {
    this.connections = null;
    this.frame = ByteBuffer.allocate(IngestProtocol.MAX_FRAME).order(ByteOrder.LITTLE_ENDIAN);
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port));
    this.info = new StreamInfo("tcp-ingest", "SpikeCounts", "tcp:" + bindAddress + ":" + server.getLocalPort(), channels,
        binWidthNanos, StreamInfo.numberedChannels(channels));
    this.accumulating = new int[channels];
  }

  /** A source reading ingest frames from a sequence of streams (null ends it) instead of TCP connections. */
  public static TcpIngestSource overStreams(java.util.function.Supplier<InputStream> connections, int channels,
      long binWidthNanos) {
    return new TcpIngestSource(connections, channels, binWidthNanos);
  }

  private TcpIngestSource(java.util.function.Supplier<InputStream> connections, int channels, long binWidthNanos) {
    this.server = null;
    this.connections = connections;
    this.frame = ByteBuffer.allocate(Math.min(IngestProtocol.MAX_FRAME, 64 * 1024)).order(ByteOrder.LITTLE_ENDIAN);
    this.info = new StreamInfo("stream-ingest", "SpikeCounts", "streams", channels, binWidthNanos,
        StreamInfo.numberedChannels(channels));
    this.accumulating = new int[channels];
  }

  /** Forward clock jumps re-anchored (see {@link #MAX_EMPTY_BINS}). */
  public long clockJumps() {
    return clockJumps;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server == null ? -1 : server.getLocalPort();
  }

  /** Frames rejected as malformed since start. */
  public long malformedFrames() {
    return malformedFrames;
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public int next(int[] counts) throws IOException {
    while (!closed) {
      try {
        if (in == null) accept();
        if (in == null) return END_OF_STREAM;
        int flags = step(counts);
        if (flags != 0) return flags;
      } catch (EOFException | SocketException e) {
        dropConnection();
      } catch (MalformedIngestException e) {
        malformedFrames++;
        sendError(e.getMessage());
        dropConnection();
      }
    }
    return END_OF_STREAM;
  }

  /** Consumes input until an event is ready; returns its flags, or 0 to keep going. */
  private int step(int[] counts) throws IOException, MalformedIngestException {
    long binWidth = info.binWidthNanos();
    if (eventsLeft > 0 || tickPending) {
      long t = tickPending ? tickTime : frame.getLong(frame.position() + 2);
      if (binStartNs == Long.MIN_VALUE) binStartNs = t;
      long gap = saturatingSub(t, binStartNs); // acquisition times are untrusted: no overflow
      if (gap >= binWidth) { // the current bin is complete
        System.arraycopy(accumulating, 0, counts, 0, counts.length);
        java.util.Arrays.fill(accumulating, 0);
        long skip = gap / binWidth - 1; // empty bins between the completed one and the one holding t
        if (skip > MAX_EMPTY_BINS) { // clock jumped ahead: no flood of empty bins, the index shows the gap
          clockJumps++;
          binStartNs = gap == Long.MAX_VALUE ? t : binStartNs + (skip + 1) * binWidth;
          int flags = emitBin();
          skippedBins = Math.min(skip, (Long.MAX_VALUE - index) / 4); // the next bin's index shows the gap
          return flags;
        }
        binStartNs += binWidth;
        return emitBin();
      }
      if (tickPending) {
        tickPending = false;
      } else {
        int channel = Short.toUnsignedInt(frame.getShort());
        frame.getLong();
        eventsLeft--;
        if (channel >= accumulating.length) {
          throw new MalformedIngestException("SPIKE_EVENTS: channel " + channel + " >= channel count " + accumulating.length);
        }
        accumulating[channel]++;
        accumulated = true;
      }
      return 0;
    }
    int type = readFrame();
    switch (type) {
      case IngestProtocol.BIN_COUNTS -> {
        if (frame.remaining() < 10) throw new MalformedIngestException("BIN_COUNTS: body shorter than 10 bytes");
        frame.getLong();
        int n = Short.toUnsignedInt(frame.getShort());
        if (n != counts.length) {
          throw new MalformedIngestException("BIN_COUNTS: " + n + " channels, the stream has " + counts.length);
        }
        if (frame.remaining() != 2 * n) {
          throw new MalformedIngestException("BIN_COUNTS: " + frame.remaining() + " count bytes for " + n + " channels");
        }
        for (int c = 0; c < n; c++) counts[c] = Short.toUnsignedInt(frame.getShort());
        return emitBin();
      }
      case IngestProtocol.SPIKE_EVENTS -> {
        if (frame.remaining() < 2) throw new MalformedIngestException("SPIKE_EVENTS: missing event count");
        int n = Short.toUnsignedInt(frame.getShort());
        if (frame.remaining() != n * IngestProtocol.SPIKE_EVENT_BYTES) {
          throw new MalformedIngestException("SPIKE_EVENTS: " + frame.remaining() + " bytes for " + n + " events");
        }
        eventsLeft = n;
        return 0;
      }
      case IngestProtocol.TICK -> {
        if (frame.remaining() != 8) throw new MalformedIngestException("TICK: body must be 8 bytes, got " + frame.remaining());
        tickTime = frame.getLong();
        tickPending = true;
        return 0;
      }
      case IngestProtocol.TRIAL_START -> {
        pendingTrialStart = true;
        return 0;
      }
      case IngestProtocol.TRIAL_END -> {
        return TRIAL_END;
      }
      case IngestProtocol.END_OF_STREAM -> {
        closed = true;
        return END_OF_STREAM;
      }
      default -> throw new MalformedIngestException("unknown ingest frame type 0x" + Integer.toHexString(type));
    }
  }

  private static long saturatingSub(long a, long b) {
    long d = a - b;
    if (((a ^ b) & (a ^ d)) < 0) return a > b ? Long.MAX_VALUE : Long.MIN_VALUE;
    return d;
  }

  private int emitBin() {
    index += 1 + skippedBins;
    skippedBins = 0;
    completeNanos = System.nanoTime();
    accumulated = false;
    int flags = BIN;
    if (pendingTrialStart) {
      flags |= TRIAL_START;
      pendingTrialStart = false;
    }
    return flags;
  }

  /** Reads one frame into {@link #frame} (positioned at the body); returns its type. */
  private int readFrame() throws IOException, MalformedIngestException {
    readFully(lengthBytes, 0, 4);
    long length = Integer.toUnsignedLong(ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    if (length < IngestProtocol.HEADER_REST) throw new MalformedIngestException("frame length " + length + " < 4");
    if (length > frame.capacity()) {
      throw new MalformedIngestException("frame length " + length + " exceeds maximum " + frame.capacity());
    }
    frame.clear();
    readFully(frame.array(), 0, (int) length);
    frame.limit((int) length);
    int type = Byte.toUnsignedInt(frame.get());
    int version = Byte.toUnsignedInt(frame.get());
    frame.getShort();
    if (version != IngestProtocol.VERSION) {
      throw new MalformedIngestException("ingest protocol version " + version + " unsupported (this host speaks " + IngestProtocol.VERSION + ")");
    }
    return type;
  }

  private void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int r = in.read(b, off, len);
      if (r < 0) throw new EOFException("acquisition connection closed");
      off += r;
      len -= r;
    }
  }

  private void accept() throws IOException {
    if (connections != null) {
      in = connections.get();
      resetConnectionState();
      return;
    }
    try {
      socket = server.accept();
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      resetConnectionState();
    } catch (SocketException e) {
      if (!closed) throw e;
      in = null;
    }
  }

  private void resetConnectionState() {
    eventsLeft = 0;
    tickPending = false;
    binStartNs = Long.MIN_VALUE;
    java.util.Arrays.fill(accumulating, 0);
  }

  private void sendError(String message) {
    if (socket == null) return;
    try {
      byte[] text = message.getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(4 + 4 + text.length).put((byte) IngestProtocol.ERROR).put((byte) IngestProtocol.VERSION).putShort((short) 0);
      b.putShort((short) 1).putShort((short) text.length).put(text);
      OutputStream out = socket.getOutputStream();
      out.write(b.array());
      out.flush();
    } catch (IOException ignored) {
      // the peer is gone or broken; the connection is dropped next anyway
    }
  }

  private void dropConnection() {
    try {
      if (socket != null) socket.close();
      else if (in != null && connections != null) in.close();
    } catch (IOException ignored) {
      // closing a broken socket
    }
    socket = null;
    in = null;
  }

  @Override
  public void close() {
    super.close();
    try {
      if (server != null) server.close();
    } catch (IOException ignored) {
      // already closed
    }
    dropConnection();
  }

  private static final class MalformedIngestException extends Exception {
    MalformedIngestException(String message) {
      super(message, null, false, false);
    }
  }
}
