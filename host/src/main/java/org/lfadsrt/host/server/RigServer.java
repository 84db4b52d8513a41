package org.lfadsrt.host.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.metrics.ServerStats;
import org.lfadsrt.host.metrics.StatusReport;
import org.lfadsrt.host.pipeline.ResultSink;
import org.lfadsrt.host.metrics.Stage;

/**
 * The Netty server experiment rigs connect to: session set-up and bootstrap. One TCP port speaks three things,
 * told apart by the first bytes of a connection: the binary rig protocol ({@link Protocol}), and HTTP for the
 * dashboard page, {@code /metrics}, {@code /status.json} and the WebSocket/JSON view at {@code /ws}.
 *
 * <p>The work is split three ways: this class accepts connections ({@link ConnectionGate}: handshake timeout,
 * pending-HELLO cap, per-address connection rate), builds their pipelines, keeps the client registry and sends
 * HANDSHAKE, STATUS and NOTICE; {@link ResultPublisher} carries results from the hot path to the clients under
 * the freshness contract (bounded queue and age per client); {@link ControlExecutor} decides control rights,
 * backs token guessing off, runs CONTROL operations and audits them. Status text (STATUS counters, JSON,
 * Prometheus) comes from {@link StatusReport}.
 */
public final class RigServer implements ResultSink, AutoCloseable {
  /**
   * The socket transport: Netty's native epoll on Linux when its library loads (it wakes the event loop through
   * an eventfd and writes with one syscall per flush, where NIO goes through a JDK selector), else NIO. The system
   * property {@code lfadsrt.transport=nio} forces NIO (to compare the two, or if the native library misbehaves).
   */
  public static final String TRANSPORT = !"nio".equals(System.getProperty("lfadsrt.transport")) && Epoll.isAvailable()
      ? "epoll" : "nio";
  /** Smallest SO_SNDBUF asked for (Linux doubles the request and has its own floor of about 4.6 KB). */
  static final int MIN_SEND_BUFFER = 2048;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("lfadsrt.server");

  private final ServerConfig config;
  private volatile StreamDescription stream;
  private final PipelineStats stats;
  private final ServerStats serverStats = new ServerStats();
  private final long sessionId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
  private final int resultFrameBytes;
  private final int sendBufferBytes;
  private final ClientRegistry clients;
  private final ResultPublisher publisher;
  private final ControlExecutor control;
  private final ConnectionGate gate;
  private final QuietErrors quietErrors;
  private final Consumer<String> log;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;
  /** The one worker event loop every client channel is registered with; drains the clients' frame rings. */
  private volatile io.netty.channel.EventLoop workerLoop;

  public RigServer(ServerConfig config, StreamDescription stream, PipelineStats stats) {
    this(config, stream, stats, System::nanoTime, LOG::info);
  }

  /**
   * @param clock monotonic ns the server judges result age, connection rates and token back-off by (tests inject
   *              one; results' {@code t_source} are on the same clock)
   * @param log   where the audit and protocol-error lines go (one line each)
   */
  RigServer(ServerConfig config, StreamDescription stream, PipelineStats stats, LongSupplier clock, Consumer<String> log) {
    this.config = config;
    this.stream = stream;
    this.stats = stats;
    this.log = log;
    int needed = ResultFlyweight.frameBytes(Protocol.STREAM_ALL, stream.shape().facDim(), stream.shape().nOut(),
        stream.decodedDim());
    this.resultFrameBytes = needed;
    if (needed > config.maxServerFrame()) {
      throw new IllegalArgumentException("a RESULT of this model takes " + needed + " bytes, above the maximum frame "
          + config.maxServerFrame());
    }
    ServerLimits limits = config.limits();
    this.sendBufferBytes = config.socketSendBuffer() > 0 ? config.socketSendBuffer()
        : sendBufferBytes(needed, stream.source().binWidthNanos(), limits.maxResultAgeMillis());
    this.clients = new ClientRegistry(config.maxClients(), needed, config.clientQueueBytes());
    this.gate = new ConnectionGate(limits, serverStats, clock);
    this.control = new ControlExecutor(config, serverStats, clock, log);
    this.publisher = new ResultPublisher(clients, stats, serverStats, clock, limits.maxResultAgeMillis() * 1_000_000L, log);
    this.quietErrors = new QuietErrors(serverStats, log);
    serverStats.gauges(clients::count, gate::pending);
  }

  /**
   * The SO_SNDBUF asked for when none is configured: the bytes of the results one maximum result age holds
   * ({@code frameBytes * maxAge / binWidth}), halved because Linux doubles the request, at least
   * {@link #MIN_SEND_BUFFER}. So what the server's kernel holds for a stalled client is about one maximum age of
   * results (or the kernel's floor, when that is more).
   */
  static int sendBufferBytes(int frameBytes, long binWidthNanos, int maxAgeMillis) {
    long resultsPerAge = Math.max(1, maxAgeMillis * 1_000_000L / Math.max(1, binWidthNanos));
    return (int) Math.max(MIN_SEND_BUFFER, Math.min(1 << 20, frameBytes * resultsPerAge / 2));
  }

  public RigServer start() throws InterruptedException {
    boolean epoll = TRANSPORT.equals("epoll");
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> serverChannelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    boss = new MultiThreadIoEventLoopGroup(1, io);
    // One worker thread: every client channel is on it, so one drain task per bin serves them all.
    workers = new MultiThreadIoEventLoopGroup(1, io);
    workerLoop = (io.netty.channel.EventLoop) workers.next();
    publisher.workerLoop(workerLoop);
    // Netty's outbound buffer holds at most about two RESULT frames (plus a STATUS) before the channel turns
    // unwritable: a slow client's results wait in its frame ring, where stale ones can still be skipped.
    int high = writeHighWaterMark();
    ServerBootstrap b = new ServerBootstrap();
    b
        .group(boss, workers)
        .channel(serverChannelClass)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.SO_SNDBUF, sendBufferBytes)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (!gate.admit(ch)) return;
            ch.pipeline().addLast("sniffer", new ProtocolSniffer());
            ch.pipeline().addLast("errors", quietErrors);
          }
        });
    serverChannel = b.bind(new InetSocketAddress(config.bindAddress(), config.port())).sync().channel();
    return this;
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public String bindAddress() {
    return config.bindAddress();
  }

  /** Bytes Netty queues for a client before its channel turns unwritable (about two RESULT frames and a STATUS). */
  int writeHighWaterMark() {
    return 2 * resultFrameBytes + 1024;
  }

  /** The send-buffer size the kernel actually gave the client sockets (what SO_SNDBUF reads back), for tests. */
  int actualSendBuffer() {
    for (ClientSession s : clients.sessions()) {
      if (s.channel instanceof SocketChannel sc) return sc.config().getSendBufferSize();
    }
    return -1;
  }

  /** The SO_SNDBUF requested for each client socket (the kernel may double it). */
  public int sendBufferBytes() {
    return sendBufferBytes;
  }

  /** The backend now running (after a failover or a switch): new HANDSHAKEs name it. */
  public void updateBackend(String backend) {
    StreamDescription d = stream;
    if (!d.backend().equals(backend)) {
      stream = new StreamDescription(d.source(), d.shape(), backend, d.mode(), d.model(), d.decodedNames());
    }
  }

  /** The model now running (after a load-model): new HANDSHAKEs name it. */
  public void updateModel(String model) {
    StreamDescription d = stream;
    stream = new StreamDescription(d.source(), d.shape(), d.backend(), d.mode(), model, d.decodedNames());
  }

  /** The decoder now running (after a live calibrate; same number of outputs): new HANDSHAKEs name its outputs. */
  public void updateDecodedNames(java.util.List<String> names) {
    StreamDescription d = stream;
    if (names.size() != d.decodedDim()) throw new IllegalArgumentException("stream has " + d.decodedDim() + " decoded outputs");
    stream = new StreamDescription(d.source(), d.shape(), d.backend(), d.mode(), d.model(), java.util.List.copyOf(names));
  }

  public StreamDescription stream() {
    return stream;
  }

  public PipelineStats stats() {
    return stats;
  }

  /** The server's own counters (connections, authentication, control, freshness). */
  public ServerStats serverStats() {
    return serverStats;
  }

  /** The worker event loop's thread (writes every client's frames), for CPU and allocation accounting. */
  public Thread workerThread() throws InterruptedException {
    try {
      return workerLoop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("worker event loop did not answer", e);
    }
  }

  /** Connected clients (binary and WebSocket, subscribed or not). */
  public int clientCount() {
    return clients.count();
  }

  // ------------------------------------------------------------------ hot path (ResultPublisher)

  /**
   * Lets the worker event loop wait for an expected result by spinning, for at most {@code micros} after the hint
   * ({@link #resultExpected}), instead of sleeping until the hot path wakes it: waking a sleeping thread costs tens
   * of microseconds on a virtual machine, and it would land between the result and its first socket write. The wake
   * moves to the hint, before the backend computes, where it overlaps the computation. Costs the event loop's core
   * for up to {@code micros} per bin (the backend's compute time when it finishes within it). 0 turns it off (the
   * default).
   */
  public RigServer publishSpinMicros(long micros) {
    publisher.publishSpinMicros(micros);
    return this;
  }

  @Override
  public void resultExpected() {
    publisher.resultExpected();
  }

  @Override
  public void publish(BinResult r) {
    publisher.publish(r);
  }

  /**
   * Event loop: {@code s}'s channel can take frames again. Netty reports this from inside its flush, where a
   * further flush is ignored, so the drain runs as the loop's next task.
   */
  void writable(ClientSession s) {
    s.channel.eventLoop().execute(() -> publisher.drainOne(s));
  }

  /** Event loop: a credit-mode client granted credit; the newest fresh results waiting for it go now. */
  void credited(ClientSession s) {
    publisher.drainOne(s);
  }

  // ------------------------------------------------------------------ control (ControlExecutor)

  /** Sets who carries out CONTROL operations of authorised clients (default: refuse all). */
  public RigServer controlHandler(ControlHandler handler) {
    control.handler(handler);
    return this;
  }

  ControlHandler controlHandler() {
    return control.handler();
  }

  ControlExecutor control() {
    return control;
  }

  ConnectionGate gate() {
    return gate;
  }

  Consumer<String> log() {
    return log;
  }

  // ------------------------------------------------------------------ notices and periodic status

  /** Tells every client about an event (backend failover, recording failure): NOTICE frames, JSON for /ws. */
  public void broadcastNotice(int code, String message) {
    String json = "{\"type\":\"notice\",\"code\":" + code + ",\"message\":\"" + escape(message) + "\"}";
    for (ClientSession s : clients.sessions()) {
      if (!s.channel.isActive()) continue;
      if (s.webSocket) s.channel.writeAndFlush(new TextWebSocketFrame(json), s.channel.voidPromise());
      else s.channel.writeAndFlush(new RigMessage.Notice(code, message), s.channel.voidPromise());
    }
  }

  /**
   * Sends STATUS + HEARTBEAT to binary subscribers and a JSON status to WebSocket clients. Reporter thread; each
   * client's status is written on its event loop after its waiting results, so a STATUS never overtakes a RESULT.
   */
  public void broadcastStatus() {
    ClientSession[] ss = clients.sessions();
    if (ss.length == 0) return;
    String json = statusJson();
    for (ClientSession s : ss) {
      if (!s.channel.isActive() || !(s.webSocket || s.subscribed)) continue;
      s.channel.eventLoop().execute(() -> sendStatus(s, json));
    }
  }

  /** Event loop: the status for {@code s}, unless results are still waiting for it (then the next status). */
  private void sendStatus(ClientSession s, String json) {
    publisher.drainOne(s);
    // A client whose queue is not empty gets the next status instead: nothing may pile up for a stalled peer. In
    // credit mode waiting results are not owed to the client (they wait for its credit), so only writability counts.
    if (!s.channel.isActive() || !s.channel.isWritable() || (s.ring.waiting() && !s.creditMode)) return;
    if (s.webSocket) {
      s.channel.writeAndFlush(new TextWebSocketFrame(json), s.channel.voidPromise());
    } else {
      s.channel.write(status(s), s.channel.voidPromise());
      s.channel.writeAndFlush(new RigMessage.Heartbeat(System.nanoTime(), 0), s.channel.voidPromise());
    }
  }

  RigMessage.Status status(ClientSession s) {
    Histogram e2e = stats.recent(Stage.END_TO_END);
    List<RigMessage.DropCount> drops = new ArrayList<>();
    for (DropReason r : DropReason.values()) drops.add(new RigMessage.DropCount(r.label(), stats.drops(r)));
    List<RigMessage.DropCount> counters = new ArrayList<>();
    counters.add(new RigMessage.DropCount("pending_handshakes", serverStats.pendingHandshakes()));
    for (ServerStats.Counter c : ServerStats.Counter.values()) counters.add(new RigMessage.DropCount(c.label(), serverStats.get(c)));
    return new RigMessage.Status(stats.binsIn(), stats.publishedCount(), stats.droppedTotal(), s == null ? 0 : s.drops(),
        clientCount(), e2e.getValueAtPercentile(50), e2e.getValueAtPercentile(99), e2e.getMaxValue(),
        stats.binsPerSecond(), drops, counters);
  }

  /** The status as JSON ({@link StatusReport#json}). */
  public String statusJson() {
    return StatusReport.json(stats, serverStats);
  }

  /** The handshake for a new client. */
  RigMessage.Handshake handshake() {
    var src = stream.source();
    var shape = stream.shape();
    return new RigMessage.Handshake(Protocol.VERSION, sessionId, System.nanoTime(), epochNanos(),
        shape.nIn(), shape.nOut(), shape.facDim(), stream.decodedDim(), shape.tEnc(), shape.tRec(),
        src.binWidthNanos(), src.nominalRateHz(), config.maxServerFrame(), config.clientQueueBytes(),
        "lfads-rt:" + src.name(), "LatentFactors", src.sourceId(), stream.backend(), stream.mode(), stream.model(),
        "float32", stream.decodedNames(), config.limits().maxResultAgeMillis(), Protocol.FEATURES);
  }

  /** JSON form of the handshake for a push-mode WebSocket client. */
  String handshakeJson() {
    return handshakeJson(false);
  }

  /**
   * JSON form of the handshake for WebSocket clients; {@code session} is a string (a u64 does not fit a JS number),
   * {@code features} as in HANDSHAKE, {@code credit} the mode this connection is in.
   */
  String handshakeJson(boolean creditMode) {
    RigMessage.Handshake h = handshake();
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"type\":\"hello\",\"version\":").append(h.version())
        .append(",\"session\":\"").append(Long.toUnsignedString(h.sessionId())).append('"')
        .append(",\"stream\":\"").append(escape(h.streamName())).append('"')
        .append(",\"source_id\":\"").append(escape(h.sourceId())).append('"')
        .append(",\"backend\":\"").append(escape(h.backend())).append('"')
        .append(",\"mode\":\"").append(escape(h.mode())).append('"')
        .append(",\"model\":\"").append(escape(h.model())).append('"')
        .append(",\"n_in\":").append(h.nIn()).append(",\"n_out\":").append(h.nOut())
        .append(",\"fac_dim\":").append(h.facDim()).append(",\"decoded_dim\":").append(h.decodedDim())
        .append(",\"t_enc\":").append(h.tEnc()).append(",\"bin_width_ns\":").append(h.binWidthNanos())
        .append(",\"max_result_age_ms\":").append(h.maxResultAgeMillis())
        .append(",\"features\":").append(h.features()).append(",\"credit\":").append(creditMode)
        .append(",\"decoded_names\":[");
    for (int i = 0; i < h.decodedNames().size(); i++) {
      if (i > 0) sb.append(',');
      sb.append('"').append(escape(h.decodedNames().get(i))).append('"');
    }
    return sb.append("]}").toString();
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.toString();
  }

  static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  // ------------------------------------------------------------------ sessions

  ClientSession register(Channel ch, boolean webSocket) {
    return clients.register(ch, webSocket);
  }

  /** Per-client counters {id, results sent (or queued to be), results dropped}, for tests and the summary. */
  public List<long[]> clientCounters() {
    List<long[]> out = new ArrayList<>();
    for (ClientSession s : clients.sessions()) out.add(new long[] {s.id, s.sent(), s.drops()});
    return out;
  }

  ServerConfig config() {
    return config;
  }

  @Override
  public void close() {
    ClientSession[] ss = clients.close();
    control.close();
    for (ClientSession s : ss) {
      if (!s.webSocket && s.channel.isActive()) {
        s.channel.writeAndFlush(new RigMessage.Error(Protocol.ERR_SHUTTING_DOWN, "server shutting down"));
      }
      s.channel.close();
    }
    if (serverChannel != null) serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    if (workers != null) workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    if (boss != null) boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------ pipelines

  /** Looks at the first bytes: "GET " starts HTTP (dashboard, metrics, WebSocket), anything else is the rig protocol. */
  private final class ProtocolSniffer extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (in.readableBytes() < 4) return;
      boolean http = in.getByte(in.readerIndex()) == 'G' && in.getByte(in.readerIndex() + 1) == 'E'
          && in.getByte(in.readerIndex() + 2) == 'T' && in.getByte(in.readerIndex() + 3) == ' ';
      var p = ctx.pipeline();
      if (http) {
        p.addBefore("errors", "http", new HttpServerCodec());
        p.addBefore("errors", "aggregator", new HttpObjectAggregator(8192));
        p.addBefore("errors", "ws-guard", new WebSocketGuard(serverStats, log));
        p.addBefore("errors", "ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws").checkStartsWith(true).maxFramePayloadLength(Protocol.MAX_CLIENT_FRAME).build()));
        p.addBefore("errors", "json", new ResultJsonEncoder());
        p.addBefore("errors", "web", new WebHandler(RigServer.this));
      } else {
        p.addFirst("write-timestamps", new SocketWriteTimestamps(stats));
        p.addBefore("errors", "decoder", new RigDecoder(Protocol.MAX_CLIENT_FRAME));
        p.addBefore("errors", "encoder", new RigEncoder());
        p.addBefore("errors", "session", new RigSessionHandler(RigServer.this));
      }
      p.remove(this);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
