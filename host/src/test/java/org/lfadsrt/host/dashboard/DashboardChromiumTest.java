package org.lfadsrt.host.dashboard;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lfadsrt.host.backend.FloatBackend;
import org.lfadsrt.host.live.LiveSystem;
import org.lfadsrt.host.pipeline.Mode;
import org.lfadsrt.host.server.ServerConfig;
import org.lfadsrt.host.source.SyntheticSource;
import org.lfadsrt.sim.model.RandomModels;

/**
 * Opens the dashboard in headless Chromium (Debian's chromium) against a live system, checks over the
 * DevTools protocol that results and status arrive and that every canvas has drawn something, and
 * saves a screenshot to host/target/dashboard-screenshot.png.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DashboardChromiumTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void dashboardRendersLiveData() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "Debian chromium is not installed (scripts/setup.sh test installs it)");
    Path profile = Files.createTempDirectory("lfads-chromium");
    var model = RandomModels.smallDemo(3);
    SyntheticSource src = new SyntheticSource(32, 10_000_000L, true, 5, -1, 0);
    Process chrome = null;
    try (LiveSystem live = new LiveSystem(src, new FloatBackend(model), Mode.ONLINE, null, ServerConfig.loopback(0),
        "dashboard-test", -1, -1, 250)) {
      live.start();
      String url = "http://127.0.0.1:" + live.server().port() + "/";
      chrome = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-port=0",
          "--window-size=1200,1000", url)
          .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
        assertTrue(chrome.isAlive(), "chromium exited: " + Files.readString(profile.resolve("chromium.log")));
        assertTrue(System.nanoTime() < deadline, "chromium did not open its DevTools port");
        Thread.sleep(100);
      }
      int devtoolsPort = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      String wsUrl = null;
      while (wsUrl == null) {
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devtoolsPort + "/json/list")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode t : targets) {
          if ("page".equals(t.path("type").asText()) && t.path("url").asText().startsWith(url)) {
            wsUrl = t.path("webSocketDebuggerUrl").asText();
          }
        }
        assertTrue(System.nanoTime() < deadline, "no page target for " + url + ": " + targets);
        if (wsUrl == null) Thread.sleep(100);
      }
      try (Cdp cdp = new Cdp(http, wsUrl)) {
        JsonNode state = null;
        while (System.nanoTime() < deadline) {
          state = cdp.eval("JSON.stringify({received: lfadsDashboard.received, statusCount: lfadsDashboard.statusCount, "
              + "connected: lfadsDashboard.connected, hello: !!lfadsDashboard.hello, seq: lfadsDashboard.lastSeq})");
          if (state != null && state.path("received").asInt() >= 40 && state.path("statusCount").asInt() >= 2) break;
          Thread.sleep(200);
        }
        assertNotNull(state);
        assertTrue(state.path("received").asInt() >= 40, "dashboard received too few results: " + state);
        assertTrue(state.path("hello").asBoolean(), "no hello message: " + state);
        // every canvas has drawn something: count pixels that differ from its background. The page draws on
        // its own animation ticks, so poll until all four have painted (the bound is a hang guard only).
        JsonNode painted = null;
        long paintDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
          painted = cdp.eval("JSON.stringify(['phase','factors','raster','hist'].map(id => {"
              + "const c = document.getElementById(id), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
              + "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] > 20 || d[i + 1] > 20 || d[i + 2] > 20)) n++;"
              + "return n; }))");
          boolean all = painted != null;
          for (int i = 0; all && i < 4; i++) all = painted.get(i).asInt() > 200;
          if (all || System.nanoTime() > paintDeadline) break;
          Thread.sleep(100);
        }
        for (int i = 0; i < 4; i++) assertTrue(painted.get(i).asInt() > 200, "canvas " + i + " is blank: " + painted);
        JsonNode text = cdp.eval("JSON.stringify({p50: document.getElementById('p50').textContent, "
            + "received: document.getElementById('received').textContent})");
        assertTrue(text.path("p50").asText().matches("[0-9.]+ (µs|ms)"), "latency shown: " + text);
        JsonNode shot = cdp.call("Page.captureScreenshot", Map.of("format", "png"));
        byte[] png = Base64.getDecoder().decode(shot.path("data").asText());
        Path out = Path.of(System.getProperty("lfadsrt.root", "."), "host", "target", "dashboard-screenshot.png");
        Files.createDirectories(out.getParent());
        Files.write(out, png);
        assertTrue(png.length > 10_000, "screenshot is suspiciously small: " + png.length + " bytes");
        assertEquals((byte) 0x89, png[0]);
      }
    } finally {
      if (chrome != null) {
        chrome.destroy();
        if (!chrome.waitFor(10, TimeUnit.SECONDS)) chrome.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // best effort cleanup of the temporary profile
    }
  }

  /** A minimal Chrome DevTools Protocol client: one request at a time, answers matched by id. */
  static final class Cdp implements AutoCloseable, WebSocket.Listener {
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    Cdp(HttpClient http, String url) throws Exception {
      ws = http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(60, TimeUnit.SECONDS);
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> f = new CompletableFuture<>();
      pending.put(id, f);
      ws.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).get(60, TimeUnit.SECONDS);
      JsonNode reply = f.get(30, TimeUnit.SECONDS);
      if (reply.has("error")) throw new AssertionError(method + " failed: " + reply.get("error"));
      return reply.path("result");
    }

    /** Evaluates a JS expression returning a JSON string; null when the page is not ready yet. */
    JsonNode eval(String expression) throws Exception {
      JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
      if (r.has("exceptionDetails")) return null;
      return JSON.readTree(r.path("result").path("value").asText());
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode msg = JSON.readTree(partial.toString());
          CompletableFuture<JsonNode> f = msg.has("id") ? pending.remove(msg.get("id").asInt()) : null;
          if (f != null) f.complete(msg);
        } catch (Exception e) {
          // events we do not parse
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }
}
