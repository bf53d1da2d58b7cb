package dev.learnerpulse.sinks.redis;

import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.sinks.OutputRows;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ZAddParams;

/**
 * Writes batches of {@link LearnerWindowMetrics} to the dashboard keys over one connection: each
 * pane is one call of a Lua script that compares the pane's (window_start, pane_index) with the
 * stored marks and applies only what is not older, so a batch can be retried, replayed or reordered
 * without changing the result. Not thread-safe; the Beam write holds one per DoFn instance.
 *
 * <p>Connecting and flushing are retried as {@link RedisRetry} says, the whole batch each time.
 */
final class DashboardWriter implements AutoCloseable {
  static final String APPLY_PANE = script("apply_pane.lua");
  static final String ADVANCE_FRESHNESS = script("advance_freshness.lua");

  /** Attempts that failed and were tried again; in the job's metrics beside the pane counters. */
  private final Counter retries = Metrics.counter(DashboardRedis.class, "writeRetries");

  private final RedisEndpoint endpoint;
  private final DashboardKeys keys;
  private final long stateTtlMillis;
  private final long windowTtlMillis;
  private final Clock clock;
  private final RedisRetry retry;
  private final List<LearnerWindowMetrics> pending = new ArrayList<>();

  private @Nullable Jedis jedis;
  private @Nullable String applyPaneSha;
  private @Nullable String advanceFreshnessSha;

  /** What a flush did: panes that changed something, and panes older than what Redis held. */
  record Flushed(int applied, int superseded) {
    static final Flushed NOTHING = new Flushed(0, 0);
  }

  DashboardWriter(
      RedisEndpoint endpoint,
      DashboardKeys keys,
      long stateTtlMillis,
      long windowTtlMillis,
      Clock clock,
      long retryTimeoutMillis) {
    this.endpoint = endpoint;
    this.keys = keys;
    this.stateTtlMillis = stateTtlMillis;
    this.windowTtlMillis = windowTtlMillis;
    this.clock = clock;
    this.retry = new RedisRetry(retryTimeoutMillis, retries);
  }

  /** Opens the connection and loads the scripts, unless a healthy connection is already open. */
  void connect() {
    retry.retrying(
        () -> {
          connectOnce();
          return null;
        });
  }

  private void connectOnce() {
    if (jedis != null && jedis.isConnected() && !jedis.isBroken()) {
      return;
    }
    disconnect();
    Jedis opened = endpoint.connect();
    try {
      applyPaneSha = opened.scriptLoad(APPLY_PANE);
      advanceFreshnessSha = opened.scriptLoad(ADVANCE_FRESHNESS);
    } catch (RuntimeException e) {
      opened.close();
      throw new DashboardWriteException(
          "Cannot load the dashboard scripts into Redis at " + endpoint.address(), e);
    }
    jedis = opened;
  }

  void add(LearnerWindowMetrics metrics) {
    pending.add(metrics);
  }

  int pendingCount() {
    return pending.size();
  }

  /** Drops what a failed bundle left behind; its retry brings the elements again. */
  void discardPending() {
    pending.clear();
  }

  /**
   * Sends the pending panes in one pipeline, then advances the freshness hash. Scripts the server
   * lost (a restart, SCRIPT FLUSH) are sent again in full with EVAL, in order; nothing had run for
   * them. Any failure closes the connection so the next attempt opens a fresh one.
   */
  Flushed flush() {
    if (pending.isEmpty()) {
      return Flushed.NOTHING;
    }
    return retry.retrying(this::flushOnce);
  }

  private Flushed flushOnce() {
    try {
      connectOnce();
      Flushed flushed = send(pending);
      pending.clear();
      return flushed;
    } catch (DashboardWriteException e) {
      disconnect();
      throw e;
    } catch (RuntimeException e) {
      disconnect();
      throw new DashboardWriteException(
          "Cannot write " + pending.size() + " dashboard panes to Redis at " + endpoint.address(),
          e);
    }
  }

  private Flushed send(List<LearnerWindowMetrics> panes) {
    List<ScriptCall> calls = new ArrayList<>(panes.size() + 1);
    Instant newestWindowEnd = panes.get(0).getWindowEnd();
    for (LearnerWindowMetrics metrics : panes) {
      calls.add(applyPane(metrics));
      if (metrics.getWindowEnd().isAfter(newestWindowEnd)) {
        newestWindowEnd = metrics.getWindowEnd();
      }
    }
    Instant now = new Instant(clock.millis());
    calls.add(
        new ScriptCall(
            ADVANCE_FRESHNESS,
            List.of(keys.freshness()),
            List.of(
                Long.toString(newestWindowEnd.getMillis()),
                newestWindowEnd.toString(),
                Long.toString(now.getMillis()),
                now.toString())));

    List<Object> results = run(calls, true);
    List<Integer> lost = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) instanceof JedisDataException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
          throw e;
        }
        lost.add(i);
      }
    }
    if (!lost.isEmpty()) {
      List<ScriptCall> again = new ArrayList<>(lost.size());
      lost.forEach(i -> again.add(calls.get(i)));
      List<Object> retried = run(again, false);
      for (int j = 0; j < lost.size(); j++) {
        if (retried.get(j) instanceof JedisDataException e) {
          throw e;
        }
        results.set(lost.get(j), retried.get(j));
      }
    }

    int applied = 0;
    Indexes indexes = new Indexes();
    for (int i = 0; i < panes.size(); i++) {
      List<?> reply = (List<?>) results.get(i);
      if (reply.subList(0, 3).stream().anyMatch(flag -> ((Long) flag) == 1L)) {
        applied++;
      }
      indexes.add(panes.get(i), DashboardKeys.id((String) reply.get(3)));
    }
    indexes.write();
    return new Flushed(applied, panes.size() - applied);
  }

  /**
   * The reader's indexes ({@link DashboardKeys#tenants()}, {@link DashboardKeys#courses}) for the
   * tenant each pane was written under, scored by the newest window end. Written after the panes,
   * in their own round trip because the indexes are in other Cluster slots; ZADD GT keeps the
   * highest score, so a retried or replayed batch leaves them as they were.
   */
  private final class Indexes {
    private final Map<String, Map<String, Double>> newest = new LinkedHashMap<>();

    void add(LearnerWindowMetrics pane, @Nullable String tenant) {
      double windowEnd = pane.getWindowEnd().getMillis();
      newest
          .computeIfAbsent(keys.courses(tenant), k -> new LinkedHashMap<>())
          .merge(pane.getCourseId(), windowEnd, Math::max);
      if (tenant != null) {
        newest
            .computeIfAbsent(keys.tenants(), k -> new LinkedHashMap<>())
            .merge(tenant, windowEnd, Math::max);
      }
    }

    void write() {
      List<Response<Long>> replies = new ArrayList<>();
      try (Pipeline pipeline = jedis.pipelined()) {
        for (Map.Entry<String, Map<String, Double>> index : newest.entrySet()) {
          replies.add(
              pipeline.zadd(index.getKey(), index.getValue(), ZAddParams.zAddParams().gt()));
          if (stateTtlMillis > 0) {
            replies.add(pipeline.pexpire(index.getKey(), stateTtlMillis));
          }
        }
        pipeline.sync();
      }
      replies.forEach(Response::get);
    }
  }

  /** Runs the calls in one pipeline; a failed call's result is its exception. */
  private List<Object> run(List<ScriptCall> calls, boolean bySha) {
    List<Response<Object>> responses = new ArrayList<>(calls.size());
    try (Pipeline pipeline = jedis.pipelined()) {
      for (ScriptCall call : calls) {
        responses.add(
            bySha
                ? pipeline.evalsha(sha(call.script()), call.keys(), call.args())
                : pipeline.eval(call.script(), call.keys(), call.args()));
      }
      pipeline.sync();
    }
    List<Object> results = new ArrayList<>(responses.size());
    for (Response<Object> response : responses) {
      try {
        results.add(response.get());
      } catch (JedisDataException e) {
        results.add(e);
      }
    }
    return results;
  }

  private String sha(String script) {
    return script.equals(APPLY_PANE) ? applyPaneSha : advanceFreshnessSha;
  }

  private ScriptCall applyPane(LearnerWindowMetrics m) {
    String tenant = m.getTenantId();
    String course = m.getCourseId();
    String learner = m.getLearnerId();
    Instant start = m.getWindowStart();
    List<String> scriptKeys = keys.paneKeys(tenant, course, learner, start);
    List<String> args = new ArrayList<>(64);
    args.add(Long.toString(start.getMillis()));
    args.add(Long.toString(m.getPaneIndex()));
    args.add(learner);
    args.add(text(m.getEngagementScore()));
    args.add(m.getAvgScorePct() == null ? "" : text(m.getAvgScorePct()));
    args.add(m.getProgressStatus() == null ? "" : flag(m.getCompleted()));
    args.add(m.getAvgScorePct() == null ? "" : flag(m.getAtRisk()));
    args.add(Long.toString(stateTtlMillis));
    args.add(Long.toString(windowTtlMillis));
    args.add(keys.windowPrefix(tenant, course));
    args.add(start.toString());
    args.add(keys.tenantHead());
    args.add(tenant == null ? DashboardKeys.NO_TENANT : DashboardKeys.segment(tenant));
    for (Map.Entry<String, String> field : learnerHash(m).entrySet()) {
      args.add(field.getKey());
      args.add(field.getValue());
    }
    return new ScriptCall(APPLY_PANE, scriptKeys, args);
  }

  /**
   * The learner hash: every non-null contract field of the pane under its contract name, as text,
   * plus {@code window_start_ms}, the window's ordering mark.
   */
  static Map<String, String> learnerHash(LearnerWindowMetrics m) {
    Map<String, String> hash = new LinkedHashMap<>();
    for (Map.Entry<String, Object> field : OutputRows.of(m).entrySet()) {
      if (field.getValue() != null) {
        hash.put(field.getKey(), text(field.getValue()));
      }
    }
    hash.put("window_start_ms", Long.toString(m.getWindowStart().getMillis()));
    return hash;
  }

  /** Plain decimal text: doubles never in exponent notation, booleans as true/false. */
  static String text(Object value) {
    if (value instanceof Double d) {
      return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  private static String flag(boolean value) {
    return value ? "1" : "0";
  }

  private void disconnect() {
    if (jedis != null) {
      try {
        jedis.close();
      } catch (RuntimeException e) {
        // Already broken; nothing to release.
      }
      jedis = null;
    }
  }

  @Override
  public void close() {
    disconnect();
  }

  private record ScriptCall(String script, List<String> keys, List<String> args) {}

  static String script(String name) {
    try (InputStream in = DashboardWriter.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing script resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
