package org.lfadsrt.host.lab;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A private {@code redis-server} (Debian package, installed by scripts/setup.sh) for tests and the bench, on a Unix
 * socket in a fresh temporary directory (no TCP port, nothing persisted), and a Lettuce client on it.
 */
public final class LocalRedisServer implements AutoCloseable {
  static final String SERVER = "/usr/bin/redis-server";
  final Path dir;
  public final Path socket;
  private final Process process;
  public final RedisClient client;
  public final StatefulRedisConnection<String, byte[]> connection;

  public static boolean available() {
    return Files.isExecutable(Path.of(SERVER));
  }

  public LocalRedisServer() throws IOException, InterruptedException {
    BrandCommand.quietRedisClientLogs();
    dir = Files.createTempDirectory(Path.of("/tmp"), "lfrt-redis");
    socket = dir.resolve("redis.sock");
    process = new ProcessBuilder(SERVER, "--port", "0", "--unixsocket", socket.toString(), "--unixsocketperm", "700",
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    // Wait for the server to accept: the socket appears, then a PING answers (bounded by a generous deadline).
    long deadline = System.nanoTime() + 60_000_000_000L;
    StatefulRedisConnection<String, byte[]> c = null;
    RedisClient cl = RedisClient.create(RedisURI.Builder.socket(socket.toString()).withTimeout(Duration.ofSeconds(30)).build());
    while (c == null) {
      if (!process.isAlive()) throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
      if (Files.exists(socket)) {
        try {
          c = cl.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        } catch (RuntimeException e) {
          // not accepting yet
        }
      }
      if (c == null) {
        if (System.nanoTime() > deadline) throw new IOException("redis-server did not accept on " + socket + " within 60 s");
        Thread.sleep(20); // polling the condition, not timing it
      }
    }
    client = cl;
    connection = c;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    process.destroy();
    process.waitFor();
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
    }
    Files.deleteIfExists(dir);
  }
}
