package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.sinks.redis.Args.checkArgument;

import com.google.auto.value.AutoValue;
import dev.learnerpulse.model.LearnerWindowMetrics;
import java.time.Clock;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Writes the live dashboard state (docs/contract.md §4.2) to Redis: each learner's newest window,
 * sets of active, completed and at-risk learners per tenant and course, indexes of the tenants and
 * their courses, and a freshness mark. Every pane is applied by one Lua script that keeps a pane
 * from overwriting a newer one, so bundle retries and replays from the earliest offsets leave Redis
 * as it was. docs/redis.md describes the keys.
 *
 * <pre>{@code
 * metrics.apply("WriteDashboard",
 *     DashboardRedis.write()
 *         .withEndpoint("10.0.0.3", 6378)
 *         .withTls(true)
 *         .withAuth(authString)
 *         .withTtl(Duration.standardDays(7)));
 * }</pre>
 */
public final class DashboardRedis {
  public static final Duration DEFAULT_TTL = Duration.standardDays(7);
  public static final Duration DEFAULT_WINDOW_TTL = Duration.standardDays(1);
  public static final int DEFAULT_BATCH_SIZE = 1000;
  public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.standardMinutes(5);

  private DashboardRedis() {}

  /** A write to localhost:6379 under prefix {@code lp}, no TLS, no AUTH, default TTLs. */
  public static Write write() {
    return new AutoValue_DashboardRedis_Write.Builder()
        .setEndpoint(RedisEndpoint.of("localhost", 6379))
        .setKeys(DashboardKeys.withPrefix(DashboardKeys.DEFAULT_PREFIX))
        .setTtl(DEFAULT_TTL)
        .setWindowTtl(DEFAULT_WINDOW_TTL)
        .setBatchSize(DEFAULT_BATCH_SIZE)
        .setRetryTimeout(DEFAULT_RETRY_TIMEOUT)
        .setClock(Clock.systemUTC())
        .build();
  }

  /** The configured write; each {@code withX} checks its argument and returns a new one. */
  @AutoValue
  public abstract static class Write extends PTransform<PCollection<LearnerWindowMetrics>, PDone> {
    private static final long serialVersionUID = 1L;

    abstract RedisEndpoint endpoint();

    abstract DashboardKeys keys();

    abstract Duration ttl();

    abstract Duration windowTtl();

    abstract int batchSize();

    abstract Duration retryTimeout();

    abstract Clock clock();

    abstract Builder toBuilder();

    public Write withEndpoint(String host, int port) {
      RedisEndpoint current = endpoint();
      RedisEndpoint endpoint =
          RedisEndpoint.of(host, port)
              .withTls(current.tls())
              .withTimeoutMillis(current.timeoutMillis());
      if (current.caCertificates() != null) {
        endpoint = endpoint.withCaCertificates(current.caCertificates());
      }
      if (current.password() != null) {
        endpoint = endpoint.withAuth(current.user(), current.password());
      }
      return toBuilder().setEndpoint(endpoint).build();
    }

    /** A fully configured endpoint, in place of the {@code withEndpoint/Tls/Auth} options. */
    public Write withEndpoint(RedisEndpoint endpoint) {
      checkArgument(endpoint != null, "endpoint can not be null");
      return toBuilder().setEndpoint(endpoint).build();
    }

    public Write withTls(boolean tls) {
      return toBuilder().setEndpoint(endpoint().withTls(tls)).build();
    }

    /** AUTH with a password for the default user (Memorystore's AUTH string). */
    public Write withAuth(String password) {
      return toBuilder().setEndpoint(endpoint().withAuth(password)).build();
    }

    /** AUTH as an ACL user. */
    public Write withAuth(@Nullable String user, String password) {
      return toBuilder().setEndpoint(endpoint().withAuth(user, password)).build();
    }

    public Write withTimeoutMillis(int timeoutMillis) {
      return toBuilder().setEndpoint(endpoint().withTimeoutMillis(timeoutMillis)).build();
    }

    /**
     * How long learner hashes and course keys live after their last write; {@link Duration#ZERO}
     * keeps them forever.
     */
    public Write withTtl(Duration ttl) {
      checkNotNegative(ttl, "ttl");
      return toBuilder().setTtl(ttl).build();
    }

    /**
     * How long one window's keys live after their last write. Windows are many (1440 a day per
     * course at the default 60 s), so they get their own, shorter default; ZERO keeps them.
     */
    public Write withWindowTtl(Duration windowTtl) {
      checkNotNegative(windowTtl, "windowTtl");
      return toBuilder().setWindowTtl(windowTtl).build();
    }

    public Write withKeyPrefix(String prefix) {
      return toBuilder().setKeys(DashboardKeys.withPrefix(prefix)).build();
    }

    /** Panes sent per pipeline round trip; a bundle is flushed at least at its end. */
    public Write withBatchSize(int batchSize) {
      checkArgument(batchSize > 0, "batchSize must be positive, was %s", batchSize);
      return toBuilder().setBatchSize(batchSize).build();
    }

    /**
     * How long a bundle's waits between retries (exponential backoff) may add up to while Redis is
     * unreachable (restarting, failing over) before it fails and is left to the runner; {@link
     * Duration#ZERO} fails at the first error. A wait, because the DirectRunner does not retry a
     * failed bundle but fails the job, and on Dataflow a short outage then costs no failed work
     * items.
     */
    public Write withRetryTimeout(Duration retryTimeout) {
      checkNotNegative(retryTimeout, "retryTimeout");
      return toBuilder().setRetryTimeout(retryTimeout).build();
    }

    /** The clock stamping the freshness hash's {@code written_at}; tests fix it. */
    public Write withClock(Clock clock) {
      checkArgument(clock != null, "clock can not be null");
      return toBuilder().setClock(clock).build();
    }

    private static void checkNotNegative(Duration duration, String name) {
      checkArgument(duration != null, "%s can not be null", name);
      checkArgument(
          !duration.isShorterThan(Duration.ZERO), "%s can not be negative, was %s", name, duration);
    }

    @Override
    public PDone expand(PCollection<LearnerWindowMetrics> metrics) {
      metrics.apply("ApplyPanes", ParDo.of(new WriteDashboardFn(this)));
      return PDone.in(metrics.getPipeline());
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("endpoint", endpoint().toString()))
          .add(DisplayData.item("keyPrefix", keys().prefix()))
          .add(DisplayData.item("ttl", ttl()))
          .add(DisplayData.item("windowTtl", windowTtl()))
          .add(DisplayData.item("batchSize", batchSize()))
          .add(DisplayData.item("retryTimeout", retryTimeout()));
    }

    DashboardWriter newWriter() {
      return new DashboardWriter(
          endpoint(),
          keys(),
          ttl().getMillis(),
          windowTtl().getMillis(),
          clock(),
          retryTimeout().getMillis());
    }

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setEndpoint(RedisEndpoint endpoint);

      abstract Builder setKeys(DashboardKeys keys);

      abstract Builder setTtl(Duration ttl);

      abstract Builder setWindowTtl(Duration windowTtl);

      abstract Builder setBatchSize(int batchSize);

      abstract Builder setRetryTimeout(Duration retryTimeout);

      abstract Builder setClock(Clock clock);

      abstract Write build();
    }
  }

  /**
   * One connection per instance, opened in setup and checked again at each bundle's start; panes
   * are pipelined and flushed at the batch size and at the bundle's end, so a bundle only succeeds
   * once Redis has applied all of it.
   */
  static final class WriteDashboardFn extends DoFn<LearnerWindowMetrics, Void> {
    private static final long serialVersionUID = 1L;

    private final Write spec;
    private final Counter applied = Metrics.counter(DashboardRedis.class, "panesApplied");
    private final Counter superseded = Metrics.counter(DashboardRedis.class, "panesSuperseded");

    private transient @Nullable DashboardWriter writer;

    WriteDashboardFn(Write spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      writer = spec.newWriter();
      writer.connect();
    }

    @StartBundle
    public void startBundle() {
      writer.discardPending();
      writer.connect();
    }

    @ProcessElement
    public void processElement(@Element LearnerWindowMetrics metrics) {
      writer.add(metrics);
      if (writer.pendingCount() >= spec.batchSize()) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() {
      flush();
    }

    private void flush() {
      DashboardWriter.Flushed flushed = writer.flush();
      applied.inc(flushed.applied());
      superseded.inc(flushed.superseded());
    }

    @Teardown
    public void teardown() {
      if (writer != null) {
        writer.close();
      }
    }
  }
}
