package dev.learnerpulse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server (6.2, shipped inside the embedded-redis jar for linux-amd64) on a free port
 * of 127.0.0.1, without persistence, for the one-command local run, the latency benchmark and their
 * tests.
 *
 * <pre>{@code
 * try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
 *   String url = redis.url(); // redis://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class EmbeddedRedisServer implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  private final RedisServer server;
  private final int port;
  private final Path dir;

  private EmbeddedRedisServer(RedisServer server, int port, Path dir) {
    this.server = server;
    this.port = port;
    this.dir = dir;
  }

  public static EmbeddedRedisServer start() {
    try {
      int port = freePort();
      Path dir = Files.createTempDirectory("learner-pulse-redis");
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind(HOST)
              .setting("save \"\"")
              .setting("appendonly no")
              .setting("dir " + dir)
              .build();
      server.start();
      return new EmbeddedRedisServer(server, port, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded redis-server", e);
    }
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** The {@code --redisUrl} of this server. */
  public String url() {
    return "redis://" + HOST + ":" + port;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stop the embedded redis-server", e);
    } finally {
      dir.toFile().delete();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
