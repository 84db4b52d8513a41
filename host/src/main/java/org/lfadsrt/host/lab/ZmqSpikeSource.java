package org.lfadsrt.host.lab;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.lfadsrt.host.source.SpikeSource;
import org.lfadsrt.host.source.StreamInfo;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Open Ephys GUI ZMQ Interface plugin ({@code --source zmq:tcp://HOST:5556}), through JeroMQ. The plugin publishes
 * multipart messages {@code DATA\0 | JSON | float32 samples} (one per channel per block: {@code content:{stream,
 * channel_num, channel_name, num_samples, sample_num, sample_rate}}) and {@code EVENT\0 | JSON | payload} (spikes:
 * {@code type:"spike", spike:{stream, electrode, sample_num, sorted_id, ...}}; TTL events: {@code type:"event"}).
 *
 * <p>Binned on the stream's sample clock ({@link AcquisitionBinner}, {@code rate=} Hz, default 30000): spike events
 * per electrode ({@code by=electrode}, default) or per sorted unit ({@code by=unit}: electrode and {@code sorted_id}),
 * mapped to model channels with {@code channels=NAME,...} (unit names {@code ELECTRODE#ID}) or by first appearance;
 * or, with {@code threshold=MICROVOLTS}, threshold crossings of the continuous data (channel {@code channel_num},
 * a negative threshold counts downward crossings, a positive one upward; {@code refractory_ms=}, default 1). DATA
 * messages advance the clock, so bins complete on time even without spikes; {@code stream=NAME} keeps one stream.
 *
 * <p>Heartbeat as the plugin expects from a client: {@code {"application","uuid","type":"heartbeat"}} to its REP
 * socket ({@code heartbeat=tcp://HOST:PORT}, default the data port + 1) every {@code heartbeat_ms} (default 2000),
 * on its own thread; a heartbeat without a reply within a second re-opens that socket (the plugin drops clients
 * silent for 5 s from its list; the data flows regardless). Frames are received into reused buffers; a message
 * that cannot be parsed is counted and skipped.
 */
public final class ZmqSpikeSource implements SpikeSource {
  static final Set<String> PARAMS = Set.of("rate", "by", "channels", "threshold", "refractory_ms", "stream", "heartbeat",
      "heartbeat_ms");
  public static final String APPLICATION = "lfads-rt";

  private final StreamInfo info;
  private final ZContext context = new ZContext();
  private final ZMQ.Socket sub;
  private final String endpoint;
  private final JsonFactory json = new JsonFactory();
  private final ByteBuffer envelope = ByteBuffer.allocate(64);
  private final ByteBuffer header = ByteBuffer.allocate(64 * 1024);
  private final ByteBuffer extra = ByteBuffer.allocate(16);
  private final ByteBuffer payload = ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private final int channels;
  private final long binWidthNanos;
  private final Double rateParam;
  private final boolean byUnit;
  private final Double threshold;
  private final double refractoryMs;
  private final String streamFilter;
  private final ChannelMap map;
  private AcquisitionBinner binner;
  private long refractorySamples;
  private final float[] previous;
  private final long[] lastCrossing;
  private final Thread heartbeat;
  private final String heartbeatEndpoint;
  private final long heartbeatMillis;
  private final String uuid = UUID.randomUUID().toString();
  private volatile boolean closed;
  /** The hot-path thread is inside next(): then it closes the sockets itself (they are not shared across threads). */
  private volatile boolean inNext;
  private final java.util.concurrent.atomic.AtomicBoolean contextClosed = new java.util.concurrent.atomic.AtomicBoolean();
  private long completeNanos;
  private boolean sawData;
  private long messages;
  private long malformed;
  private long unmapped;
  private volatile long heartbeatsSent;
  private volatile long heartbeatReplies;

  // fields of the message being parsed
  private String type;
  private String electrode;
  private String stream;
  private long sortedId;
  private long sampleNum = -1;
  private long channelNum = -1;
  private long numSamples;
  private double sampleRate;

  /** Parses {@code tcp://HOST:PORT[?rate=..&by=..&channels=..&threshold=..&stream=..&heartbeat=..&heartbeat_ms=..]}. */
  public static ZmqSpikeSource open(String spec, int channels, long binWidthNanos) {
    SourceParams p = new SourceParams(spec, PARAMS);
    if (!p.base.startsWith("tcp://")) {
      throw new IllegalArgumentException("--source zmq: needs tcp://HOST:PORT, got '" + p.base + "'");
    }
    Object[] hp = SourceParams.hostPort("--source zmq:", p.base.substring(6));
    String hb = p.get("heartbeat", "tcp://" + hp[0] + ":" + ((Integer) hp[1] + 1));
    String by = p.get("by", "electrode");
    if (!by.equals("electrode") && !by.equals("unit")) {
      throw new IllegalArgumentException("--source zmq: by must be electrode or unit, got '" + by + "'");
    }
    Double rate = p.get("rate", null) == null ? null : p.number("rate", 0);
    Double thr = p.get("threshold", null) == null ? null : p.number("threshold", 0);
    return new ZmqSpikeSource(p.base, channels, binWidthNanos, rate, by.equals("unit"), thr,
        p.number("refractory_ms", 1.0), p.get("stream", null), ChannelMap.parse(p.get("channels", null)), hb,
        (long) p.number("heartbeat_ms", 2000));
  }

  public ZmqSpikeSource(String endpoint, int channels, long binWidthNanos, Double sampleRateHz, boolean byUnit,
      Double threshold, double refractoryMs, String stream, List<String> channelNames, String heartbeatEndpoint,
      long heartbeatMillis) {
    if (sampleRateHz != null && !(sampleRateHz > 0)) throw new IllegalArgumentException("zmq: rate must be > 0");
    if (threshold != null && threshold == 0) throw new IllegalArgumentException("zmq: threshold must not be 0");
    if (heartbeatMillis < 100) throw new IllegalArgumentException("zmq: heartbeat_ms must be >= 100");
    this.endpoint = endpoint;
    this.channels = channels;
    this.binWidthNanos = binWidthNanos;
    this.rateParam = sampleRateHz;
    this.byUnit = byUnit;
    this.threshold = threshold;
    this.refractoryMs = refractoryMs;
    this.streamFilter = stream;
    this.map = new ChannelMap(channels, channelNames);
    this.previous = new float[channels];
    this.lastCrossing = new long[channels];
    java.util.Arrays.fill(previous, Float.NaN);
    java.util.Arrays.fill(lastCrossing, Long.MIN_VALUE / 2);
    if (threshold == null || sampleRateHz != null) makeBinner(sampleRateHz == null ? 30000 : sampleRateHz);
    this.sub = context.createSocket(SocketType.SUB);
    sub.setReceiveTimeOut(100);
    sub.setRcvHWM(100_000);
    sub.connect(endpoint);
    sub.subscribe(ZMQ.SUBSCRIPTION_ALL);
    this.info = new StreamInfo("open-ephys-zmq", "SpikeCounts", "zmq:" + endpoint, channels, binWidthNanos,
        threshold != null ? StreamInfo.numberedChannels(channels) : map.names());
    this.heartbeatEndpoint = heartbeatEndpoint;
    this.heartbeatMillis = heartbeatMillis;
    this.heartbeat = new Thread(this::heartbeatLoop, "lfads-zmq-heartbeat");
    heartbeat.setDaemon(true);
    heartbeat.start();
  }

  private void makeBinner(double rate) {
    binner = new AcquisitionBinner(channels, AcquisitionBinner.binSamples(rate, binWidthNanos));
    refractorySamples = Math.round(rate * refractoryMs / 1000);
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public int next(int[] counts) {
    inNext = true;
    try {
      return nextEvent(counts);
    } finally {
      inNext = false;
      if (closed) closeContext();
    }
  }

  private int nextEvent(int[] counts) {
    while (!closed) {
      if (binner != null && binner.ready()) {
        binner.emit(counts);
        completeNanos = System.nanoTime();
        return BIN;
      }
      try {
        if (!receive()) continue;
        messages++;
        onMessage();
      } catch (org.zeromq.ZMQException e) {
        if (closed) break;
        malformed++;
      } catch (IOException | RuntimeException e) {
        malformed++;
      }
    }
    return END_OF_STREAM;
  }

  /** Receives one whole multipart message into the three buffers; false on timeout. */
  private boolean receive() {
    envelope.clear();
    if (sub.recvByteBuffer(envelope, 0) < 0) return false; // timeout (-1)
    envelope.flip();
    header.clear();
    payload.clear();
    boolean haveHeader = false;
    while (sub.hasReceiveMore()) {
      ByteBuffer target = !haveHeader ? header : payload.position() == 0 ? payload : extra;
      extra.clear();
      sub.recvByteBuffer(target, 0); // frames beyond the payload: read into scratch and ignored
      haveHeader = true;
    }
    header.flip();
    payload.flip();
    return true;
  }

  private void onMessage() throws IOException {
    type = null;
    electrode = null;
    stream = null;
    sortedId = 0;
    sampleNum = -1;
    channelNum = -1;
    numSamples = 0;
    sampleRate = 0;
    try (JsonParser p = json.createParser(header.array(), 0, header.limit())) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("header is not a JSON object");
      parseObject(p, 0);
    }
    if (streamFilter != null && stream != null && !streamFilter.equals(stream)) return;
    if ("spike".equals(type)) {
      if (threshold != null || sampleNum < 0 || electrode == null) return;
      // DATA messages are the clock when they flow: a block's spikes need not come in time order. Without them
      // (a spike-only stream) each spike advances the clock.
      binner.start(sampleNum);
      if (!sawData) binner.advance(sampleNum);
      int c = map.channel(byUnit ? electrode + "#" + sortedId : electrode);
      if (c >= 0) binner.add(c, sampleNum);
      else unmapped++;
    } else if ("data".equals(type)) {
      if (sampleNum < 0) return;
      if (binner == null) {
        if (!(sampleRate > 0)) throw new IOException("DATA without sample_rate");
        makeBinner(sampleRate);
      }
      sawData = true;
      binner.advance(sampleNum);
      if (threshold != null) crossings();
    }
  }

  /** Threshold crossings of one channel's block (float32 samples in the payload). */
  private void crossings() {
    if (channelNum < 0 || channelNum >= channels) {
      unmapped++;
      return;
    }
    int c = (int) channelNum;
    int n = (int) Math.min(numSamples, payload.remaining() / 4);
    float thr = threshold.floatValue();
    boolean down = thr < 0;
    float prev = previous[c];
    for (int i = 0; i < n; i++) {
      float x = payload.getFloat(4 * i);
      boolean crossed = down ? prev >= thr && x < thr : prev <= thr && x > thr;
      long s = sampleNum + i;
      if (crossed && s - lastCrossing[c] > refractorySamples) {
        binner.add(c, s);
        lastCrossing[c] = s;
      }
      prev = x;
    }
    previous[c] = prev;
  }

  /** Walks a JSON object, keeping the fields the source needs (depth 0: the message, 1: content or spike). */
  private void parseObject(JsonParser p, int depth) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_OBJECT && t != null) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_OBJECT) {
        if (depth == 0 && ("content".equals(name) || "spike".equals(name))) parseObject(p, depth + 1);
        else p.skipChildren();
        continue;
      }
      if (v == JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      if (depth == 0) {
        if ("type".equals(name)) type = p.getText();
      } else {
        switch (name) {
          case "electrode" -> electrode = p.getText();
          case "stream" -> stream = p.getText();
          case "sorted_id" -> sortedId = p.getValueAsLong();
          case "sample_num" -> sampleNum = p.getValueAsLong(-1);
          case "channel_num" -> channelNum = p.getValueAsLong(-1);
          case "num_samples" -> numSamples = p.getValueAsLong();
          case "sample_rate" -> sampleRate = p.getValueAsDouble();
          default -> { }
        }
      }
    }
    if (sampleNum > (1L << 60)) sampleNum = -1; // untrusted: keep the binner's arithmetic far from overflow
  }

  private void heartbeatLoop() {
    byte[] beat = ("{\"application\": \"" + APPLICATION + "\", \"uuid\": \"" + uuid + "\", \"type\": \"heartbeat\"}")
        .getBytes(StandardCharsets.UTF_8);
    ZMQ.Socket req = null;
    try {
      while (!closed) {
        if (req == null) {
          req = context.createSocket(SocketType.REQ);
          req.setReceiveTimeOut(1000);
          req.setLinger(0);
          req.connect(heartbeatEndpoint);
        }
        req.send(beat, 0);
        heartbeatsSent++;
        byte[] reply = req.recv(0);
        if (reply != null) {
          heartbeatReplies++;
        } else {
          context.destroySocket(req); // REQ is stuck without a reply: start over
          req = null;
        }
        Thread.sleep(heartbeatMillis);
      }
    } catch (InterruptedException | org.zeromq.ZMQException | IllegalStateException e) {
      // closing
    }
  }

  @Override
  public long binCompleteNanos() {
    return completeNanos;
  }

  @Override
  public long binIndex() {
    return binner == null ? -1 : binner.index();
  }

  public long messages() { return messages; }
  public long malformedMessages() { return malformed; }
  public long unmappedEvents() { return unmapped; }
  public long heartbeatsSent() { return heartbeatsSent; }
  public long heartbeatReplies() { return heartbeatReplies; }
  public String uuid() { return uuid; }
  public String endpoint() { return endpoint; }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    heartbeat.interrupt();
    try {
      heartbeat.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!inNext) closeContext();
  }

  private void closeContext() {
    if (contextClosed.compareAndSet(false, true)) context.close();
  }
}
