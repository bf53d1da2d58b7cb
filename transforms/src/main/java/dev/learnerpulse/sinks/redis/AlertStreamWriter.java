package dev.learnerpulse.sinks.redis;

import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.sinks.OutputRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.checkerframework.checker.nullness.qual.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Adds batches of {@link LearnerAlert}s to their tenants' Redis streams over one connection, each
 * by one call of a script ({@code add_alert.lua}) that adds it only if its id has not been added
 * before: a retried bundle or a replayed alert adds nothing. The stream is trimmed to about its
 * MAXLEN on every add. Not thread-safe; the Beam write holds one per DoFn instance.
 */
final class AlertStreamWriter implements AutoCloseable {
  static final String ADD_ALERT = DashboardWriter.script("add_alert.lua");

  private final Counter retries = Metrics.counter(AlertStreamRedis.class, "writeRetries");
  private final RedisEndpoint endpoint;
  private final DashboardKeys keys;
  private final long maxLen;
  private final long addedTtlMillis;
  private final RedisRetry retry;
  private final List<LearnerAlert> pending = new ArrayList<>();

  private @Nullable Jedis jedis;

  AlertStreamWriter(
      RedisEndpoint endpoint,
      DashboardKeys keys,
      long maxLen,
      long addedTtlMillis,
      long retryTimeoutMillis) {
    this.endpoint = endpoint;
    this.keys = keys;
    this.maxLen = maxLen;
    this.addedTtlMillis = addedTtlMillis;
    this.retry = new RedisRetry(retryTimeoutMillis, retries);
  }

  void add(LearnerAlert alert) {
    pending.add(alert);
  }

  int pendingCount() {
    return pending.size();
  }

  /** Drops what a failed bundle left behind; its retry brings the elements again. */
  void discardPending() {
    pending.clear();
  }

  /** Sends the pending alerts in one pipeline; returns how many were new to Redis. */
  int flush() {
    if (pending.isEmpty()) {
      return 0;
    }
    return retry.retrying(this::flushOnce);
  }

  private int flushOnce() {
    try {
      if (jedis == null || !jedis.isConnected() || jedis.isBroken()) {
        close();
        jedis = endpoint.connect();
      }
      List<Response<Object>> responses = new ArrayList<>(pending.size());
      try (Pipeline pipeline = jedis.pipelined()) {
        for (LearnerAlert alert : pending) {
          responses.add(
              pipeline.eval(
                  ADD_ALERT,
                  List.of(keys.alerts(alert.getTenantId()), keys.alertAdded(alert.getAlertId())),
                  args(alert)));
        }
        pipeline.sync();
      }
      int added = 0;
      for (Response<Object> response : responses) {
        added += ((Long) response.get()).intValue();
      }
      pending.clear();
      return added;
    } catch (RuntimeException e) {
      close();
      throw new DashboardWriteException(
          "Cannot add " + pending.size() + " alerts to Redis streams at " + endpoint.address(), e);
    }
  }

  /** MAXLEN, the mark's TTL, then the alert's non-null fields under their table names, as text. */
  private List<String> args(LearnerAlert alert) {
    List<String> args = new ArrayList<>(32);
    args.add(Long.toString(maxLen));
    args.add(Long.toString(addedTtlMillis));
    for (Map.Entry<String, Object> field : OutputRows.of(alert).entrySet()) {
      if (field.getValue() != null) {
        args.add(field.getKey());
        args.add(DashboardWriter.text(field.getValue()));
      }
    }
    return args;
  }

  @Override
  public void close() {
    if (jedis != null) {
      try {
        jedis.close();
      } catch (RuntimeException e) {
        // Already broken; nothing to release.
      }
      jedis = null;
    }
  }
}
