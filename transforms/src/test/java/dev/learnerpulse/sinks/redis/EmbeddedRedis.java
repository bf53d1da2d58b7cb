package dev.learnerpulse.sinks.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;
import redis.embedded.RedisServer;

/**
 * A real redis-server (6.2, shipped in the embedded-redis jar) on a free port, for one test class.
 * It keeps its data across {@link #restart()} when {@link #save()} ran before, as a crashed and
 * restarted Memorystore instance keeps its last snapshot.
 */
final class EmbeddedRedis implements AutoCloseable {
  /** Freshness fields that hold the wall clock of the write, the one thing a replay may change. */
  static final Set<String> WALL_CLOCK_FIELDS = Set.of("written_at", "written_at_ms");

  private final int port;
  private final Path dir;
  private RedisServer server;

  private EmbeddedRedis(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  static EmbeddedRedis start() {
    try {
      EmbeddedRedis redis = new EmbeddedRedis(freePort(), Files.createTempDirectory("redis-"));
      redis.startServer();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String host() {
    return "127.0.0.1";
  }

  RedisEndpoint endpoint() {
    return RedisEndpoint.of(host(), port);
  }

  Jedis client() {
    return new Jedis(host(), port);
  }

  void flushAll() {
    try (Jedis jedis = client()) {
      jedis.flushAll();
      jedis.scriptFlush();
    }
  }

  /** Snapshots the data to disk so that it survives {@link #stop()}. */
  void save() {
    try (Jedis jedis = client()) {
      jedis.save();
    }
  }

  void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void restart() {
    startServer();
  }

  /**
   * Every key with its type and value in a canonical text form (members and fields sorted), less
   * the wall-clock fields of the freshness hash: two equal dumps are the same dashboard state.
   */
  Map<String, String> dump() {
    Map<String, String> dump = new TreeMap<>();
    try (Jedis jedis = client()) {
      for (String key : new TreeSet<>(jedis.keys("*"))) {
        String type = jedis.type(key);
        String value =
            switch (type) {
              case "string" -> jedis.get(key);
              case "hash" -> {
                Map<String, String> fields = new TreeMap<>(jedis.hgetAll(key));
                fields.keySet().removeAll(WALL_CLOCK_FIELDS);
                yield fields.toString();
              }
              case "set" -> new TreeSet<>(jedis.smembers(key)).toString();
              case "zset" -> {
                List<String> members = new ArrayList<>();
                for (Tuple t : jedis.zrangeWithScores(key, 0, -1)) {
                  members.add(t.getElement() + "=" + t.getScore());
                }
                yield members.toString();
              }
              default -> throw new IllegalStateException("Unexpected " + type + " at " + key);
            };
        dump.put(key, type + " " + value);
      }
    }
    return dump;
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
              .setting("appendonly no")
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
