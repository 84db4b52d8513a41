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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.lfadsrt.host.pipeline.BinResult;
import org.lfadsrt.host.metrics.DropReason;
import org.lfadsrt.host.metrics.PipelineStats;
import org.lfadsrt.host.pipeline.ResultSink;
import org.lfadsrt.host.metrics.Stage;

/**
 * The Netty server experiment rigs connect to. One TCP port speaks three things, told apart by the
 * first bytes of a connection: the binary rig protocol ({@link Protocol}), and HTTP for the dashboard
 * page, {@code /metrics}, {@code /status.json} and the WebSocket/JSON view at {@code /ws}.
 *
 * <p>{@link #publish} runs on the pipeline's hot-path thread and allocates nothing: per subscribed client
 * it encodes the RESULT into the next slot of the client's preallocated {@link ClientFrameRing}, then wakes
 * the worker event loop once (for all clients), which writes and flushes the new frames. A client whose
 * ring has no free slot, or whose channel is not {@link Channel#isWritable() writable} (the per-client
 * queue bound, a {@link WriteBufferWaterMark}), loses that result, counted in its RESULT and STATUS
 * frames; nobody else is slowed.
 */
public final class RigServer implements ResultSink, AutoCloseable {
  /**
   * The socket transport: Netty's native epoll on Linux when its library loads (it wakes the event loop through
   * an eventfd and writes with one syscall per flush, where NIO goes through a JDK selector), else NIO. The system
   * property {@code lfadsrt.transport=nio} forces NIO (to compare the two, or if the native library misbehaves).
   */
  public static final String TRANSPORT = !"nio".equals(System.getProperty("lfadsrt.transport")) && Epoll.isAvailable()
      ? "epoll" : "nio";

  private final ServerConfig config;
  private volatile StreamDescription stream;
  private final PipelineStats stats;
  private final long sessionId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
  private final AtomicLong nextClientId = new AtomicLong();
  private final Object sessionsLock = new Object();
  private volatile ClientSession[] sessions = new ClientSession[0];
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;
  private volatile boolean closing;
  private volatile ControlHandler controlHandler = ControlHandler.NONE;
  /** The one worker event loop every client channel is registered with; drains the clients' frame rings. */
  private volatile io.netty.channel.EventLoop workerLoop;
  private final java.util.concurrent.atomic.AtomicBoolean drainPending = new java.util.concurrent.atomic.AtomicBoolean();
  private final Runnable drainTask = this::drain;
  // Publish spin (off unless publishSpinMicros > 0): IDLE, ARMED (a result is expected; the event loop is, or will
  // be, spinning for it), READY (published while ARMED: the spinning loop drains it, nobody had to wake it).
  private static final int SPIN_IDLE = 0, SPIN_ARMED = 1, SPIN_READY = 2;
  private final java.util.concurrent.atomic.AtomicInteger spinState = new java.util.concurrent.atomic.AtomicInteger();
  private final Runnable spinTask = this::spinForResult;
  private volatile long publishSpinNanos;
  private final int resultFrameBytes;

  public RigServer(ServerConfig config, StreamDescription stream, PipelineStats stats) {
    this.config = config;
    this.stream = stream;
    this.stats = stats;
    int needed = ResultFlyweight.frameBytes(Protocol.STREAM_ALL, stream.shape().facDim(), stream.shape().nOut(),
        stream.decodedDim());
    this.resultFrameBytes = needed;
    if (needed > config.maxServerFrame()) {
      throw new IllegalArgumentException("a RESULT of this model takes " + needed + " bytes, above the maximum frame "
          + config.maxServerFrame());
    }
  }

  public RigServer start() throws InterruptedException {
    boolean epoll = TRANSPORT.equals("epoll");
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> serverChannelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    boss = new MultiThreadIoEventLoopGroup(1, io);
    // One worker thread: every client channel is on it, so one drain task per bin serves them all.
    workers = new MultiThreadIoEventLoopGroup(1, io);
    workerLoop = (io.netty.channel.EventLoop) workers.next();
    ServerBootstrap b = new ServerBootstrap();
    if (config.socketSendBuffer() > 0) b.childOption(ChannelOption.SO_SNDBUF, config.socketSendBuffer());
    b
        .group(boss, workers)
        .channel(serverChannelClass)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(config.clientQueueBytes() / 2, config.clientQueueBytes()))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("sniffer", new ProtocolSniffer());
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
    return sessions.length;
  }

  // ------------------------------------------------------------------ hot path

  /**
   * Lets the worker event loop wait for an expected result by spinning, for at most {@code micros} after the hint
   * ({@link #resultExpected}), instead of sleeping until the hot path wakes it: waking a sleeping thread costs tens
   * of microseconds on a virtual machine, and it would land between the result and its first socket write. The wake
   * moves to the hint, before the backend computes, where it overlaps the computation. Costs the event loop's core
   * for up to {@code micros} per bin (the backend's compute time when it finishes within it). 0 turns it off (the
   * default).
   */
  public RigServer publishSpinMicros(long micros) {
    if (micros < 0) throw new IllegalArgumentException("publish spin must be >= 0 us, got " + micros);
    publishSpinNanos = micros * 1000;
    return this;
  }

  @Override
  public void resultExpected() {
    if (publishSpinNanos == 0 || workerLoop == null || sessions.length == 0) return;
    if (spinState.compareAndSet(SPIN_IDLE, SPIN_ARMED)) workerLoop.execute(spinTask);
  }

  /**
   * Event loop, after a {@link #resultExpected} hint: spins until the result is published (then writes it at once)
   * or the spin time is up (then the publish wakes this loop as usual). The state machine hands each result to
   * exactly one of the two paths.
   */
  private void spinForResult() {
    long deadline = System.nanoTime() + publishSpinNanos;
    while (spinState.get() == SPIN_ARMED && System.nanoTime() - deadline < 0) Thread.onSpinWait();
    if (spinState.compareAndSet(SPIN_ARMED, SPIN_IDLE)) return; // timed out: publish() will schedule the drain
    spinState.set(SPIN_IDLE); // READY: the frames are in the rings
    drain();
  }

  @Override
  public void publish(BinResult r) {
    ClientSession[] ss = sessions;
    boolean queued = false;
    for (int i = 0; i < ss.length; i++) {
      ClientSession s = ss[i];
      if (!s.subscribed) continue;
      if (++s.decimationCounter < s.decimation) continue;
      s.decimationCounter = 0;
      ByteBuf buf = s.channel.isWritable() ? s.ring.claim() : null;
      if (buf == null) {
        s.drops++;
        stats.clientDrop();
        continue;
      }
      ResultFlyweight.encode(buf, r, s.streams, s.drops, System.nanoTime());
      s.ring.publish();
      s.sent++;
      queued = true;
    }
    // One wake-up of the event loop per bin for all clients (not one write task and one flush task per
    // client): it writes and flushes every client's new frames. No wake-up while one is pending.
    if (!queued) return;
    if (spinState.get() == SPIN_ARMED && spinState.compareAndSet(SPIN_ARMED, SPIN_READY)) return; // the loop is spinning
    if (!drainPending.get() && drainPending.compareAndSet(false, true)) workerLoop.execute(drainTask);
  }

  /**
   * Event loop: writes every client's queued frames and flushes each channel once. The flag is cleared
   * before the rings are read, so a frame published after the read schedules the next drain.
   */
  private void drain() {
    drainPending.set(false);
    ClientSession[] ss = sessions;
    for (int i = 0; i < ss.length; i++) {
      ClientSession s = ss[i];
      Channel ch = s.channel;
      if (!ch.eventLoop().inEventLoop()) {
        ch.eventLoop().execute(() -> drainOne(s)); // not with the single worker loop this server runs
        continue;
      }
      drainOne(s);
    }
  }

  private static void drainOne(ClientSession s) {
    if (s.ring.drainTo(s.channel)) s.channel.flush();
  }

  // ------------------------------------------------------------------ control and notices

  /** Sets who carries out CONTROL operations of authorised clients (default: refuse all). */
  public RigServer controlHandler(ControlHandler handler) {
    this.controlHandler = handler == null ? ControlHandler.NONE : handler;
    return this;
  }

  ControlHandler controlHandler() {
    return controlHandler;
  }

  /**
   * Runs control operations one at a time, off the event loops: loading a model or fitting a decoder takes
   * longer than an event loop may block. Its daemon thread starts on first use.
   */
  private final java.util.concurrent.ExecutorService controlExecutor = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "lfads-control");
    t.setDaemon(true);
    return t;
  });

  /** Carries out {@code op} on the control thread and writes the CONTROL_REPLY to {@code channel}. */
  void runControl(Channel channel, int op, String argument) {
    try {
      controlExecutor.execute(() -> {
        RigMessage reply;
        try {
          reply = new RigMessage.ControlReply(op, 0, controlHandler.handle(op, argument));
        } catch (ControlHandler.ControlException ex) {
          reply = new RigMessage.ControlReply(op, Protocol.ERR_CONTROL_FAILED, ex.getMessage());
        } catch (RuntimeException ex) {
          reply = new RigMessage.ControlReply(op, Protocol.ERR_CONTROL_FAILED,
              ControlHandler.opName(op) + " failed: " + ex);
        }
        if (channel.isActive()) channel.writeAndFlush(reply);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      channel.writeAndFlush(new RigMessage.Error(Protocol.ERR_SHUTTING_DOWN, "server shutting down"));
    }
  }

  /** Tells every client about an event (backend failover, recording failure): NOTICE frames, JSON for /ws. */
  public void broadcastNotice(int code, String message) {
    String json = "{\"type\":\"notice\",\"code\":" + code + ",\"message\":\"" + escape(message) + "\"}";
    for (ClientSession s : sessions) {
      if (!s.channel.isActive()) continue;
      if (s.webSocket) s.channel.writeAndFlush(new TextWebSocketFrame(json), s.channel.voidPromise());
      else s.channel.writeAndFlush(new RigMessage.Notice(code, message), s.channel.voidPromise());
    }
  }

  // ------------------------------------------------------------------ periodic status

  /** Sends STATUS + HEARTBEAT to binary subscribers and a JSON status to WebSocket clients. Reporter thread. */
  public void broadcastStatus() {
    ClientSession[] ss = sessions;
    if (ss.length == 0) return;
    String json = statusJson();
    long now = System.nanoTime();
    for (ClientSession s : ss) {
      // A client whose queue is full gets the next status instead: nothing may pile up for a stalled peer.
      if (!s.channel.isActive() || !s.channel.isWritable()) continue;
      if (s.webSocket) {
        s.channel.writeAndFlush(new TextWebSocketFrame(json), s.channel.voidPromise());
      } else if (s.subscribed) {
        s.channel.write(status(s), s.channel.voidPromise());
        s.channel.writeAndFlush(new RigMessage.Heartbeat(now, 0), s.channel.voidPromise());
      }
    }
  }

  RigMessage.Status status(ClientSession s) {
    Histogram e2e = stats.recent(Stage.END_TO_END);
    List<RigMessage.DropCount> drops = new ArrayList<>();
    for (DropReason r : DropReason.values()) drops.add(new RigMessage.DropCount(r.label(), stats.drops(r)));
    return new RigMessage.Status(stats.binsIn(), stats.publishedCount(), stats.droppedTotal(), s == null ? 0 : s.drops,
        clientCount(), e2e.getValueAtPercentile(50), e2e.getValueAtPercentile(99), e2e.getMaxValue(),
        stats.binsPerSecond(), drops);
  }

  /** The status as JSON: counters, recent percentiles and the whole-run end-to-end histogram (log buckets). */
  public String statusJson() {
    Histogram recent = stats.recent(Stage.END_TO_END);
    Histogram total = stats.total(Stage.END_TO_END);
    StringBuilder sb = new StringBuilder(1024);
    sb.append("{\"type\":\"status\",\"bins_in\":").append(stats.binsIn())
        .append(",\"published\":").append(stats.publishedCount())
        .append(",\"dropped\":").append(stats.droppedTotal())
        .append(",\"client_drops\":").append(stats.clientDrops())
        .append(",\"clients\":").append(clientCount())
        .append(",\"bins_per_s\":").append(String.format(java.util.Locale.ROOT, "%.1f", stats.binsPerSecond()))
        .append(",\"p50_us\":").append(us(recent.getValueAtPercentile(50)))
        .append(",\"p99_us\":").append(us(recent.getValueAtPercentile(99)))
        .append(",\"p999_us\":").append(us(recent.getValueAtPercentile(99.9)))
        .append(",\"max_us\":").append(us(recent.getMaxValue()))
        .append(",\"drops\":{");
    DropReason[] reasons = DropReason.values();
    for (int i = 0; i < reasons.length; i++) {
      if (i > 0) sb.append(',');
      sb.append('"').append(reasons[i].label()).append("\":").append(stats.drops(reasons[i]));
    }
    sb.append("},\"hist\":[");
    boolean first = true;
    long lower = 0;
    for (long upper = 1000; upper <= 1_000_000_000L; upper *= 2) {
      long count = total.getCountBetweenValues(lower + 1, upper);
      if (!first) sb.append(',');
      sb.append('[').append(upper / 1000.0).append(',').append(count).append(']');
      first = false;
      lower = upper;
    }
    sb.append("]}");
    return sb.toString();
  }

  private static String us(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1000.0);
  }

  /** The handshake for a new client. */
  RigMessage.Handshake handshake() {
    var src = stream.source();
    var shape = stream.shape();
    return new RigMessage.Handshake(Protocol.VERSION, sessionId, System.nanoTime(), epochNanos(),
        shape.nIn(), shape.nOut(), shape.facDim(), stream.decodedDim(), shape.tEnc(), shape.tRec(),
        src.binWidthNanos(), src.nominalRateHz(), config.maxServerFrame(), config.clientQueueBytes(),
        "lfads-rt:" + src.name(), "LatentFactors", src.sourceId(), stream.backend(), stream.mode(), stream.model(),
        "float32", stream.decodedNames());
  }

  /** JSON form of the handshake for WebSocket clients. */
  String handshakeJson() {
    RigMessage.Handshake h = handshake();
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"type\":\"hello\",\"version\":").append(h.version())
        .append(",\"session\":").append(h.sessionId())
        .append(",\"stream\":\"").append(escape(h.streamName())).append('"')
        .append(",\"source_id\":\"").append(escape(h.sourceId())).append('"')
        .append(",\"backend\":\"").append(escape(h.backend())).append('"')
        .append(",\"mode\":\"").append(escape(h.mode())).append('"')
        .append(",\"model\":\"").append(escape(h.model())).append('"')
        .append(",\"n_in\":").append(h.nIn()).append(",\"n_out\":").append(h.nOut())
        .append(",\"fac_dim\":").append(h.facDim()).append(",\"decoded_dim\":").append(h.decodedDim())
        .append(",\"t_enc\":").append(h.tEnc()).append(",\"bin_width_ns\":").append(h.binWidthNanos())
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
    synchronized (sessionsLock) {
      if (closing) return null;
      if (sessions.length >= config.maxClients()) return null;
      ClientSession s = new ClientSession(nextClientId.incrementAndGet(), ch, webSocket,
          new ClientFrameRing(resultFrameBytes, config.clientQueueBytes()));
      ClientSession[] next = java.util.Arrays.copyOf(sessions, sessions.length + 1);
      next[next.length - 1] = s;
      sessions = next;
      ch.closeFuture().addListener(f -> unregister(s));
      return s;
    }
  }

  private void unregister(ClientSession s) {
    synchronized (sessionsLock) {
      ClientSession[] cur = sessions;
      int idx = -1;
      for (int i = 0; i < cur.length; i++) if (cur[i] == s) idx = i;
      if (idx < 0) return;
      ClientSession[] next = new ClientSession[cur.length - 1];
      System.arraycopy(cur, 0, next, 0, idx);
      System.arraycopy(cur, idx + 1, next, idx, cur.length - idx - 1);
      sessions = next;
    }
  }

  /** Per-client drops, for tests and the summary. */
  public List<long[]> clientCounters() {
    List<long[]> out = new ArrayList<>();
    for (ClientSession s : sessions) out.add(new long[] {s.id, s.sent, s.drops});
    return out;
  }

  ServerConfig config() {
    return config;
  }

  @Override
  public void close() {
    closing = true;
    controlExecutor.shutdownNow();
    for (ClientSession s : sessions) {
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
        p.addLast("http", new HttpServerCodec());
        p.addLast("aggregator", new HttpObjectAggregator(8192));
        p.addLast("ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws").checkStartsWith(true).maxFramePayloadLength(Protocol.MAX_CLIENT_FRAME).build()));
        p.addLast("json", new ResultJsonEncoder());
        p.addLast("web", new WebHandler(RigServer.this));
      } else {
        p.addFirst("write-timestamps", new org.lfadsrt.host.server.SocketWriteTimestamps(stats));
        p.addLast("decoder", new RigDecoder(Protocol.MAX_CLIENT_FRAME));
        p.addLast("encoder", new RigEncoder());
        p.addLast("session", new RigSessionHandler(RigServer.this));
      }
      p.remove(this);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
