package org.lfadsrt.host.server;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.cli.Main;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.source.SyntheticSource;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The access rules of docs/security.md, one test each. "Another address" is 127.0.0.2: outside the
 * loopback default the rules treat it like any external interface, yet the test stays on this machine.
 */
@Timeout(300) // a hang guard, generous for a loaded machine
class SecurityTest {
  static final LfadsModel MODEL = RandomModels.demo(new LfadsConfig(4, 3, 3, 4, 4, 0, 1, 0, 0, 2, 4, 2, 5.0), 5);
  private LiveSystem live;
  private final List<Socket> sockets = new ArrayList<>();
  private final AtomicInteger controls = new AtomicInteger();

  @AfterEach
  void tearDown() throws IOException {
    for (Socket s : sockets) s.close();
    if (live != null) live.close();
  }

  private RigServer server(String bind, String token, int maxClients) throws Exception {
    ServerConfig cfg = new ServerConfig(bind, 0, Protocol.DEFAULT_MAX_SERVER_FRAME, 64 * 1024, maxClients, token);
    live = new LiveSystem(new SyntheticSource(4, 1_000_000, true, 1, 10, 0), new FloatBackend(MODEL), Mode.ONLINE, null, cfg,
        "sec", 10, -1, 1000).startServer();
    live.server().controlHandler((op, arg) -> {
      controls.incrementAndGet();
      return "did " + op;
    });
    return live.server();
  }

  final class Client {
    final Socket s;
    final DataInputStream in;

    Client(String host, int port) throws IOException {
      s = new Socket();
      s.connect(new InetSocketAddress(host, port), 60_000);
      s.setSoTimeout(60_000);
      sockets.add(s);
      in = new DataInputStream(s.getInputStream());
    }

    void send(RigMessage m) throws IOException {
      s.getOutputStream().write(RigEncoder.toBytes(m));
      s.getOutputStream().flush();
    }

    Object read() throws IOException {
      int length = Integer.reverseBytes(in.readInt());
      byte[] body = new byte[length];
      in.readFully(body);
      return RigDecoder.decodeFrame(Unpooled.wrappedBuffer(body));
    }

    /** The next frame that is not STATUS or HEARTBEAT. */
    Object reply() throws IOException {
      while (true) {
        Object o = read();
        if (!(o instanceof RigMessage.Status) && !(o instanceof RigMessage.Heartbeat)) return o;
      }
    }

    Client hello(String token) throws IOException {
      send(new RigMessage.Hello(1, 1, "t", token));
      assertInstanceOf(RigMessage.Handshake.class, reply());
      return this;
    }

    boolean closedByServer() {
      try {
        while (true) read();
      } catch (EOFException e) {
        return true;
      } catch (IOException e) {
        return e.getMessage() != null && e.getMessage().contains("reset");
      }
    }
  }

  @Test
  void loopbackWithoutATokenAllowsControl() throws Exception {
    RigServer srv = server("127.0.0.1", null, 8);
    Client c = new Client("127.0.0.1", srv.port()).hello("");
    c.send(new RigMessage.Control(Protocol.OP_STOP, ""));
    RigMessage.ControlReply r = assertInstanceOf(RigMessage.ControlReply.class, c.reply());
    assertEquals(0, r.status());
    assertEquals(1, controls.get());
  }

  @Test
  void anotherAddressNeedsTheTokenForControlWhileSubscribersStayReadOnly() throws Exception {
    RigServer srv = server("127.0.0.2", "s3cret-token", 8);
    Client anonymous = new Client("127.0.0.2", srv.port()).hello("");
    anonymous.send(new RigMessage.Subscribe(Protocol.STREAM_ALL, 1));
    assertInstanceOf(RigMessage.Status.class, anonymous.read(), "data is open to anyone who can connect");
    for (int op : new int[] {Protocol.OP_STOP, Protocol.OP_START, Protocol.OP_LOAD_MODEL, Protocol.OP_SWITCH_BACKEND,
        Protocol.OP_CALIBRATE}) {
      anonymous.send(new RigMessage.Control(op, "x"));
      RigMessage.Error e = assertInstanceOf(RigMessage.Error.class, anonymous.reply());
      assertEquals(Protocol.ERR_UNAUTHORIZED, e.code());
      assertTrue(e.message().contains("no control rights"), e.message());
    }
    Client wrong = new Client("127.0.0.2", srv.port()).hello("s3cret-tokeN");
    wrong.send(new RigMessage.Control(Protocol.OP_STOP, ""));
    assertEquals(Protocol.ERR_UNAUTHORIZED, assertInstanceOf(RigMessage.Error.class, wrong.reply()).code());
    assertEquals(0, controls.get(), "nothing reached the control handler");

    Client operator = new Client("127.0.0.2", srv.port()).hello("s3cret-token");
    operator.send(new RigMessage.Control(Protocol.OP_STOP, ""));
    assertEquals(0, assertInstanceOf(RigMessage.ControlReply.class, operator.reply()).status());
    assertEquals(1, controls.get());
  }

  @Test
  void aTokenOnLoopbackIsRequiredToo() throws Exception {
    RigServer srv = server("127.0.0.1", "tok", 8);
    Client c = new Client("127.0.0.1", srv.port()).hello("");
    c.send(new RigMessage.Control(Protocol.OP_STOP, ""));
    assertEquals(Protocol.ERR_UNAUTHORIZED, assertInstanceOf(RigMessage.Error.class, c.reply()).code());
  }

  @Test
  void anotherAddressWithoutATokenRefusesAllControl() throws Exception {
    RigServer srv = server("127.0.0.2", null, 8);
    Client c = new Client("127.0.0.2", srv.port()).hello("anything");
    c.send(new RigMessage.Control(Protocol.OP_STOP, ""));
    RigMessage.Error e = assertInstanceOf(RigMessage.Error.class, c.reply());
    assertEquals(Protocol.ERR_UNAUTHORIZED, e.code());
    assertTrue(e.message().contains("without a token refuses all control"), e.message());
    assertEquals(0, controls.get());
  }

  @Test
  void theRunCommandRefusesAnotherAddressWithoutAToken() {
    java.io.StringWriter err = new java.io.StringWriter();
    var cl = Main.commandLine();
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(buf, true));
    try {
      assertEquals(2, cl.execute("run", "--bind", "127.0.0.2", "--port", "0", "--bins", "1"));
    } finally {
      System.setErr(saved);
    }
    assertTrue(buf.toString().contains("give --token"), buf.toString() + err);
  }

  @Test
  void aClientOverItsMessageRateIsCutOffOthersAreNot() throws Exception {
    RigServer srv = server("127.0.0.1", null, 8);
    Client calm = new Client("127.0.0.1", srv.port()).hello("");
    Client flood = new Client("127.0.0.1", srv.port()).hello("");
    // Lock-step (send one, read its answer) so the server never closes with our bytes unread: a close
    // with unread input makes TCP reset the connection, which can discard the error frame before we read it.
    boolean limited = false;
    try {
      for (int i = 0; i < 200 && !limited; i++) {
        flood.send(new RigMessage.Heartbeat(i, 0));
        Object o = flood.read();
        while (!(o instanceof RigMessage.Heartbeat) && !limited) {
          if (o instanceof RigMessage.Error e && e.code() == Protocol.ERR_RATE_LIMITED) {
            limited = true;
          } else {
            o = flood.read();
          }
        }
      }
    } catch (IOException closed) {
      // the server closed the connection
    }
    assertTrue(limited, "flooding client told it is rate limited");
    assertTrue(flood.closedByServer());
    calm.send(new RigMessage.Heartbeat(1, 0));
    assertInstanceOf(RigMessage.Heartbeat.class, calm.read(), "the calm client is served as before");
  }

  @Test
  void clientsBeyondTheLimitAreTurnedAway() throws Exception {
    RigServer srv = server("127.0.0.1", null, 2);
    new Client("127.0.0.1", srv.port()).hello("");
    new Client("127.0.0.1", srv.port()).hello("");
    Client third = new Client("127.0.0.1", srv.port());
    third.send(new RigMessage.Hello(1, 1, "third", ""));
    RigMessage.Error e = assertInstanceOf(RigMessage.Error.class, third.read());
    assertEquals(Protocol.ERR_TOO_MANY_CLIENTS, e.code());
    assertTrue(third.closedByServer());
  }

  @Test
  void anOversizedFrameIsRefusedAndTheConnectionClosed() throws Exception {
    RigServer srv = server("127.0.0.1", null, 8);
    Client c = new Client("127.0.0.1", srv.port()).hello("");
    byte[] big = new byte[8 + Protocol.MAX_CLIENT_FRAME];
    int len = big.length - 4;
    big[0] = (byte) len;
    big[1] = (byte) (len >>> 8);
    big[4] = Protocol.HEARTBEAT;
    big[5] = 1;
    c.s.getOutputStream().write(big);
    RigMessage.Error e = assertInstanceOf(RigMessage.Error.class, c.reply());
    assertEquals(Protocol.ERR_FRAME_TOO_LARGE, e.code());
    assertTrue(c.closedByServer());
  }

  @Test
  void theWebSocketViewHonoursTheClientLimitAndTheMessageRate() throws Exception {
    RigServer srv = server("127.0.0.1", null, 1);
    HttpClient http = HttpClient.newHttpClient();
    List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket.Listener listener = new WebSocket.Listener() {
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        got.add(data.toString());
        ws.request(1);
        return null;
      }

      public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        closed.complete(status);
        return null;
      }

      public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
      }
    };
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + srv.port() + "/ws"), listener)
        .get(60, TimeUnit.SECONDS);
    // flood: the read-only view ignores what clients send, and cuts off a client that sends too much.
    // The cut-off races our next send: the server closes the socket whenever it likes, so a send that
    // fails because the connection is gone is the expected end of the flood, not an error. The bound on
    // sends is far beyond the burst, so the flood ends by the server's close, never by the loop count.
    int sent = 0;
    while (sent < 10_000 && !closed.isDone()) {
      try {
        ws.sendText("{\"op\":\"stop\"}", true).get(60, TimeUnit.SECONDS);
        sent++;
      } catch (ExecutionException sendFailed) {
        assertInstanceOf(IOException.class, sendFailed.getCause(), "a send fails only because the server closed");
        break;
      }
    }
    assertTrue(sent > AccessPolicy.MESSAGE_BURST, "the server let the burst through before cutting off: " + sent);
    closed.get(60, TimeUnit.SECONDS);
    assertTrue(got.stream().anyMatch(s -> s.contains("rate limited")), got.toString());
    assertEquals(0, controls.get(), "nothing sent over the WebSocket reaches control");

    // the limit of one client: a rig client holds the slot, a WebSocket is turned away. The server frees the flooding
    // WebSocket's slot when its channel has closed, which can come after our side saw the Close frame: wait for it.
    long slotDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (srv.clientCount() > 0) {
      assertTrue(System.nanoTime() < slotDeadline, "the closed WebSocket's client slot was never freed");
      Thread.sleep(5);
    }
    new Client("127.0.0.1", srv.port()).hello("");
    List<String> second = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> closed2 = new CompletableFuture<>();
    http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + srv.port() + "/ws"), new WebSocket.Listener() {
      public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        second.add(data.toString());
        w.request(1);
        return null;
      }

      public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
        closed2.complete(status);
        return null;
      }

      public void onError(WebSocket w, Throwable error) {
        closed2.complete(-1);
      }
    }).get(60, TimeUnit.SECONDS);
    closed2.get(60, TimeUnit.SECONDS);
    assertTrue(second.stream().anyMatch(s -> s.contains("too many clients")), second.toString());
  }
}
