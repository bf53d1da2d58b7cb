package dev.learnerpulse.sinks.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * A real redis-server (6.2, shipped in the embedded-redis jar) on a free port, for one test class
 * (the pipeline's end-to-end tests use it too). Every write is in its append-only file, synced
 * before Redis answers, so a {@link #stop()} and {@link #restart()} on the same port loses nothing
 * it acknowledged, as Memorystore with persistence.
 */
public final class EmbeddedRedis implements AutoCloseable {
  /** Freshness fields that hold the wall clock of the write, the one thing a replay may change. */
  static final Set<String> WALL_CLOCK_FIELDS = Set.of("written_at", "written_at_ms");

  private final int port;
  private final Path dir;
  private RedisServer server;

  private EmbeddedRedis(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  public static EmbeddedRedis start() {
    try {
      EmbeddedRedis redis = new EmbeddedRedis(freePort(), Files.createTempDirectory("redis-"));
      redis.startServer();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** The pipeline's {@code --redisUrl} of this server. */
  public String url() {
    return "redis://" + host() + ":" + port;
  }

  RedisEndpoint endpoint() {
    return RedisEndpoint.of(host(), port);
  }

  public Jedis client() {
    return new Jedis(host(), port);
  }

  public void flushAll() {
    try (Jedis jedis = client()) {
      jedis.flushAll();
      jedis.scriptFlush();
    }
  }

  public void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void restart() {
    startServer();
  }

  /**
   * Every key with its type and value, less the wall-clock fields of the freshness hash: two equal
   * dumps are the same dashboard state.
   */
  public Map<String, Value> dump() {
    Map<String, Value> dump = new TreeMap<>();
    try (Jedis jedis = client()) {
      for (String key : jedis.keys("*")) {
        Map<String, String> entries = new TreeMap<>();
        String type = jedis.type(key);
        switch (type) {
          case "string" -> entries.put("", jedis.get(key));
          case "hash" -> {
            entries.putAll(jedis.hgetAll(key));
            entries.keySet().removeAll(WALL_CLOCK_FIELDS);
          }
          case "set" -> jedis.smembers(key).forEach(member -> entries.put(member, ""));
          case "zset" ->
              jedis
                  .zrangeWithScores(key, 0, -1)
                  .forEach(t -> entries.put(t.getElement(), Double.toString(t.getScore())));
          default -> throw new IllegalStateException("Unexpected " + type + " at " + key);
        }
        dump.put(key, new Value(type, entries));
      }
    }
    return dump;
  }

  /**
   * One key's value in a canonical form: a string's text under the empty name, a hash's fields, a
   * set's members (with empty values), a sorted set's members with their scores; sorted by name.
   */
  public record Value(String type, Map<String, String> entries) {
    @Override
    public String toString() {
      return type
          + " "
          + switch (type) {
            case "string" -> entries.get("");
            case "set" -> entries.keySet().toString();
            default -> entries.toString();
          };
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void startServer() {
    try {
      server =
          RedisServer.newRedisServer()
              .port(port)
              .bind(host())
              .setting("save \"\"")
              .setting("appendonly yes")
              .setting("appendfsync always")
              .setting("dir " + dir)
              .build();
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
