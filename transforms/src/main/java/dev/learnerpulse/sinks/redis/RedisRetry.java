package dev.learnerpulse.sinks.redis;

import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Retries a whole batch of guarded Redis writes while Redis is unreachable (or answers that it is
 * loading, read-only or busy), with exponential backoff until the waits add up to the retry
 * timeout: a restart or failover costs the bundle a wait instead of failing it, which on the
 * DirectRunner would fail the job. Other errors, and the last one after the timeout, are thrown.
 * Shared by the dashboard and the alert stream writes.
 */
final class RedisRetry {
  /** 0.2 s doubling up to 5 s; FluentBackoff randomizes each wait by up to half. */
  private static final FluentBackoff BACKOFF =
      FluentBackoff.DEFAULT
          .withExponent(2)
          .withInitialBackoff(Duration.millis(200))
          .withMaxBackoff(Duration.standardSeconds(5));

  private static final Logger LOG = LoggerFactory.getLogger(RedisRetry.class);

  /** Replies of a server that will take the write again shortly. */
  private static final List<String> TRANSIENT_REPLIES =
      List.of("LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN");

  private final FluentBackoff backoff;
  private final Counter retries;

  /**
   * Waits adding up to {@code retryTimeoutMillis} (0: no retry); each retry counts in {@code
   * retries}.
   */
  RedisRetry(long retryTimeoutMillis, Counter retries) {
    this.backoff =
        retryTimeoutMillis == 0
            ? BACKOFF.withMaxRetries(0)
            : BACKOFF.withMaxCumulativeBackoff(Duration.millis(retryTimeoutMillis));
    this.retries = retries;
  }

  /**
   * Runs {@code attempt} until it succeeds, waiting after each transient failure until the waits
   * add up to the retry timeout. Safe because an attempt is a whole batch of guarded writes: what a
   * failed attempt applied, the next applies again to the same effect.
   */
  <T> T retrying(Supplier<T> attempt) {
    BackOff waits = backoff.backoff();
    long firstFailure = 0;
    for (int attempts = 1; ; attempts++) {
      try {
        return attempt.get();
      } catch (DashboardWriteException e) {
        if (attempts == 1) {
          firstFailure = System.nanoTime();
        }
        if (!isTransient(e) || !waitToRetry(waits, e, attempts + 1)) {
          if (attempts == 1) {
            throw e;
          }
          long elapsed = (System.nanoTime() - firstFailure) / 1_000_000;
          throw new DashboardWriteException(
              "Gave up after " + attempts + " attempts in " + elapsed + " ms", e);
        }
        retries.inc();
      }
    }
  }

  /** Logs and waits before attempt {@code next}; false when the retry timeout is used up. */
  private static boolean waitToRetry(BackOff waits, DashboardWriteException failure, int next) {
    try {
      return BackOffUtils.next(
          millis -> {
            LOG.warn("{}; attempt {} in {} ms", failure.getMessage(), next, millis);
            Sleeper.DEFAULT.sleep(millis);
          },
          waits);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }

  /** Redis unreachable or the connection lost, or a reply that says to come back shortly. */
  private static boolean isTransient(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof JedisConnectionException) {
        return true;
      }
      if (e instanceof JedisDataException && e.getMessage() != null) {
        String reply = e.getMessage();
        if (TRANSIENT_REPLIES.stream().anyMatch(code -> reply.startsWith(code + " "))) {
          return true;
        }
      }
    }
    return false;
  }
}
