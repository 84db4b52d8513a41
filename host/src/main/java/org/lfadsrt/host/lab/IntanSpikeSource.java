package org.lfadsrt.host.lab;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.StreamInfo;

/**
 * Intan RHX TCP spike output ({@code --source intan:HOST:5002}): lfads-rt connects to RHX's spike port and reads
 * its 14-byte spike chunks (docs/lab-integration.md), all little-endian:
 *
 * <pre>
 * offset size field
 *  0     4    magic 0x3ae2710f
 *  4     5    native channel name, ASCII (e.g. "A-000")
 *  9     4    timestamp, uint32 sample number on the amplifier clock
 * 13     1    spike id: 0x01..0x08 sorted unit types, 0x40 unclassified, 0x80 artifact
 * </pre>
 *
 * Spikes are binned per channel on the sample clock ({@code rate=} Hz, default 30000; {@link AcquisitionBinner}):
 * a bin is complete when a spike {@code slack=} samples (default 128, one RHX data block, whose spikes come channel
 * by channel, not in time order) past its end arrives, so with sparse spikes a bin waits for the next spike on any
 * channel. Artifacts (0x80) are not counted. Channels: {@code channels=A-000,A-001,...} in model order, or
 * by first appearance. A chunk with a bad magic costs that chunk: the reader resynchronises on the next magic.
 * When RHX closes the connection the source reconnects. Reads happen on the hot-path thread into one buffer.
 */
public final class IntanSpikeSource implements SpikeSource {
  public static final int MAGIC = 0x3ae2710f;
  public static final int CHUNK_BYTES = 14;
  public static final int ID_ARTIFACT = 0x80;
  static final Set<String> PARAMS = Set.of("rate", "channels", "slack");
  /** RHX sends a data block's spikes channel by channel: within a block (128 samples) they are not in time order. */
  public static final int DEFAULT_SLACK_SAMPLES = 128;

  private final long slackSamples;
  private final String host;
  private final int port;
  private final StreamInfo info;
  private final AcquisitionBinner binner;
  private final ChannelMap map;
  private final LongIntTable byName = new LongIntTable(4096);
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private volatile Socket socket;
  private InputStream in;
  private volatile boolean closed;
  private long completeNanos;
  private long lastTimestamp = -1;
  private long wraps;
  private long chunks;
  private long resyncBytes;
  private long artifacts;
  private long connections;
  private long unmapped;

  /** Parses {@code HOST:PORT[?rate=HZ&channels=A-000,...]}. */
  public static IntanSpikeSource open(String spec, int channels, long binWidthNanos) {
    SourceParams p = new SourceParams(spec, PARAMS);
    Object[] hp = SourceParams.hostPort("--source intan:", p.base);
    return new IntanSpikeSource((String) hp[0], (Integer) hp[1], channels, binWidthNanos, p.number("rate", 30000),
        ChannelMap.parse(p.get("channels", null)), (long) p.number("slack", DEFAULT_SLACK_SAMPLES));
  }

  public IntanSpikeSource(String host, int port, int channels, long binWidthNanos, double sampleRateHz,
      List<String> channelNames, long slackSamples) {
    if (slackSamples < 0) throw new IllegalArgumentException("intan: slack must be >= 0, got " + slackSamples);
    this.slackSamples = slackSamples;
    if (!(sampleRateHz > 0)) throw new IllegalArgumentException("intan: rate must be > 0, got " + sampleRateHz);
    this.host = host;
    this.port = port;
    this.map = new ChannelMap(channels, channelNames);
    this.binner = new AcquisitionBinner(channels, AcquisitionBinner.binSamples(sampleRateHz, binWidthNanos));
    this.info = new StreamInfo("intan-rhx-spikes", "SpikeCounts", "intan:" + host + ":" + port, channels, binWidthNanos,
        map.names());
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public int next(int[] counts) throws IOException, InterruptedException {
    while (!closed) {
      if (binner.ready()) {
        binner.emit(counts);
        completeNanos = System.nanoTime();
        return BIN;
      }
      try {
        if (in == null) connect();
        if (in == null) continue;
        readChunk();
        onChunk();
      } catch (IOException e) {
        dropConnection();
        if (!closed) Thread.sleep(200); // RHX stopped or restarting: try again shortly
      }
    }
    return END_OF_STREAM;
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    socket = s;
    if (closed) {
      s.close();
      return;
    }
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(host, port), 5000);
    in = new BufferedInputStream(s.getInputStream(), 1 << 16);
    binner.reset();
    lastTimestamp = -1;
    connections++;
  }

  /** Reads the next chunk into {@link #chunk}, sliding byte by byte until the magic lines up. */
  private void readChunk() throws IOException {
    readFully(0, CHUNK_BYTES);
    while (intAt(0) != MAGIC) {
      System.arraycopy(chunk, 1, chunk, 0, CHUNK_BYTES - 1);
      readFully(CHUNK_BYTES - 1, 1);
      resyncBytes++;
    }
  }

  private void readFully(int off, int len) throws IOException {
    while (len > 0) {
      int r = in.read(chunk, off, len);
      if (r < 0) throw new EOFException("intan: RHX closed the spike connection");
      off += r;
      len -= r;
    }
  }

  private int intAt(int off) {
    return (chunk[off] & 0xFF) | (chunk[off + 1] & 0xFF) << 8 | (chunk[off + 2] & 0xFF) << 16 | (chunk[off + 3] & 0xFF) << 24;
  }

  private void onChunk() {
    chunks++;
    long ts = intAt(9) & 0xFFFF_FFFFL;
    if (lastTimestamp >= 0 && ts + (1L << 31) < lastTimestamp) wraps++; // uint32 wrap (~40 h at 30 kHz)
    lastTimestamp = ts;
    long sample = ts + (wraps << 32);
    binner.start(sample);
    binner.advance(sample - slackSamples);
    int id = chunk[13] & 0xFF;
    if (id == ID_ARTIFACT) {
      artifacts++;
      return;
    }
    long key = 0;
    for (int i = 4; i < 9; i++) key = key << 8 | (chunk[i] & 0xFF);
    int channel = byName.get(key);
    if (channel == LongIntTable.MISSING) {
      channel = map.channel(new String(chunk, 4, 5, StandardCharsets.US_ASCII).trim());
      byName.put(key, channel);
    }
    if (channel >= 0) binner.add(channel, sample);
    else unmapped++;
  }

  private void dropConnection() {
    try {
      Socket s = socket;
      if (s != null) s.close();
    } catch (IOException ignored) {
      // closing a broken socket
    }
    socket = null;
    in = null;
  }

  @Override
  public long binCompleteNanos() {
    return completeNanos;
  }

  @Override
  public long binIndex() {
    return binner.index();
  }

  /** Chunks read, bytes skipped to resynchronise, artifacts ignored, events of unmapped channels, connections made. */
  public long chunks() { return chunks; }
  public long resyncBytes() { return resyncBytes; }
  public long artifacts() { return artifacts; }
  public long unmappedEvents() { return unmapped; }
  public long connections() { return connections; }
  public List<String> channelNames() { return map.names(); }

  @Override
  public void close() {
    closed = true;
    dropConnection();
  }
}
