package org.lfadsrt.host.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.server.Protocol;
import org.lfadsrt.host.server.RigEncoder;
import org.lfadsrt.host.server.RigMessage;

/** The {@code run} command wires the real control operations: a loopback client stops and restarts inference. */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunControlTest {

  /** Collects everything printed, readable while the command runs. */
  static final class Captured extends OutputStream {
    private final StringBuffer text = new StringBuffer();

    @Override
    public void write(int b) {
      text.append((char) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      text.append(new String(b, off, len, StandardCharsets.UTF_8));
    }

    String text() {
      return text.toString();
    }
  }

  static void send(Socket s, RigMessage m) throws Exception {
    s.getOutputStream().write(RigEncoder.toBytes(m));
    s.getOutputStream().flush();
  }

  /** Reads frames until a CONTROL_REPLY; returns {status, message}. */
  static Object[] reply(DataInputStream in) throws Exception {
    while (true) {
      int length = Integer.reverseBytes(in.readInt());
      byte[] body = new byte[length];
      in.readFully(body);
      if ((body[0] & 0xFF) != Protocol.CONTROL_REPLY) continue;
      ByteBuffer v = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
      int status = Short.toUnsignedInt(v.getShort(6));
      int n = Short.toUnsignedInt(v.getShort(8));
      return new Object[] {status, new String(body, 10, n, StandardCharsets.UTF_8)};
    }
  }

  @Test
  void aLoopbackClientStopsAndStartsARunningRun() throws Exception {
    Captured out = new Captured();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int[] code = {-1};
    Thread run = new Thread(() -> code[0] = Main.commandLine().execute("run", "--backend", "float", "--port", "0",
        "--duration", "20", "--quiet"));
    try {
      run.start();
      Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
      Matcher m;
      long until = System.nanoTime() + 240_000_000_000L; // a hang guard
      while (!(m = listening.matcher(out.text())).find()) {
        assertTrue(System.nanoTime() < until && run.isAlive(), "run did not start: " + out.text());
        Thread.sleep(20);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))), 60_000);
        s.setSoTimeout(60_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        send(s, new RigMessage.Hello(1, 1, "op", ""));
        send(s, new RigMessage.Control(Protocol.OP_STOP, ""));
        Object[] stop = reply(in);
        assertEquals(0, stop[0], (String) stop[1]);
        Thread.sleep(300);
        send(s, new RigMessage.Control(Protocol.OP_LOAD_MODEL, "/nonexistent/model.npz"));
        Object[] bad = reply(in);
        assertEquals(Protocol.ERR_CONTROL_FAILED, bad[0]);
        assertTrue(((String) bad[1]).contains("no such file"), (String) bad[1]);
        send(s, new RigMessage.Control(Protocol.OP_START, ""));
        Object[] start = reply(in);
        assertEquals(0, start[0], (String) start[1]);
      }
      run.join(240_000);
    } finally {
      System.setOut(saved);
    }
    assertEquals(0, code[0], out.text());
    Matcher stopped = Pattern.compile("dropped stopped\\s+(\\d+)").matcher(out.text());
    assertTrue(stopped.find(), "the summary counts the bins skipped while stopped: " + out.text());
    assertTrue(Long.parseLong(stopped.group(1)) > 10, stopped.group());
  }
}
