package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.sinks.redis.Args.checkArgument;

import com.google.auto.value.AutoValue;
import dev.learnerpulse.model.LearnerAlert;
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
 * Adds each alert to its tenant's Redis stream ({@link DashboardKeys#alerts}, {@code XADD} with
 * {@code MAXLEN ~}), where a dashboard reads them as a live feed ({@code XREVRANGE}, or {@code
 * XREAD BLOCK} from the last id seen). Once per alert id: a mark per id ({@link
 * DashboardKeys#alertAdded}, kept for {@link #withAddedTtl}) makes a retried bundle or a replay add
 * nothing. Stream entries get Redis' own ids, so they are in the order Redis took them.
 *
 * <pre>{@code
 * alerts.apply("AlertsToRedis",
 *     AlertStreamRedis.write().withEndpoint(endpoint).withMaxLen(10_000));
 * }</pre>
 */
public final class AlertStreamRedis {
  public static final long DEFAULT_MAX_LEN = 10_000;
  public static final Duration DEFAULT_ADDED_TTL = Duration.standardDays(7);

  private AlertStreamRedis() {}

  /** To localhost:6379 under prefix {@code lp}, 10,000 entries per stream, marks kept 7 days. */
  public static Write write() {
    return new AutoValue_AlertStreamRedis_Write.Builder()
        .setEndpoint(RedisEndpoint.of("localhost", 6379))
        .setKeys(DashboardKeys.withPrefix(DashboardKeys.DEFAULT_PREFIX))
        .setMaxLen(DEFAULT_MAX_LEN)
        .setAddedTtl(DEFAULT_ADDED_TTL)
        .setBatchSize(DashboardRedis.DEFAULT_BATCH_SIZE)
        .setRetryTimeout(DashboardRedis.DEFAULT_RETRY_TIMEOUT)
        .build();
  }

  /** The configured write; each {@code withX} checks its argument and returns a new one. */
  @AutoValue
  public abstract static class Write extends PTransform<PCollection<LearnerAlert>, PDone> {
    private static final long serialVersionUID = 1L;

    abstract RedisEndpoint endpoint();

    abstract DashboardKeys keys();

    abstract long maxLen();

    abstract Duration addedTtl();

    abstract int batchSize();

    abstract Duration retryTimeout();

    abstract Builder toBuilder();

    public Write withEndpoint(RedisEndpoint endpoint) {
      checkArgument(endpoint != null, "endpoint can not be null");
      return toBuilder().setEndpoint(endpoint).build();
    }

    public Write withKeyPrefix(String prefix) {
      return toBuilder().setKeys(DashboardKeys.withPrefix(prefix)).build();
    }

    /**
     * About how many alerts each tenant's stream keeps ({@code MAXLEN ~}: trimmed by whole nodes).
     */
    public Write withMaxLen(long maxLen) {
      checkArgument(maxLen > 0, "maxLen must be positive, was %s", maxLen);
      return toBuilder().setMaxLen(maxLen).build();
    }

    /**
     * How long an alert's added-mark lives: a replay of the alert within it adds nothing. {@link
     * Duration#ZERO} keeps marks forever.
     */
    public Write withAddedTtl(Duration ttl) {
      checkArgument(
          ttl != null && !ttl.isShorterThan(Duration.ZERO),
          "addedTtl can not be negative, was %s",
          ttl);
      return toBuilder().setAddedTtl(ttl).build();
    }

    /** Alerts sent per pipeline round trip; a bundle is flushed at least at its end. */
    public Write withBatchSize(int batchSize) {
      checkArgument(batchSize > 0, "batchSize must be positive, was %s", batchSize);
      return toBuilder().setBatchSize(batchSize).build();
    }

    /** As {@link DashboardRedis.Write#withRetryTimeout}. */
    public Write withRetryTimeout(Duration retryTimeout) {
      checkArgument(
          retryTimeout != null && !retryTimeout.isShorterThan(Duration.ZERO),
          "retryTimeout can not be negative, was %s",
          retryTimeout);
      return toBuilder().setRetryTimeout(retryTimeout).build();
    }

    @Override
    public PDone expand(PCollection<LearnerAlert> alerts) {
      alerts.apply("AddToStreams", ParDo.of(new AddAlertsFn(this)));
      return PDone.in(alerts.getPipeline());
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("endpoint", endpoint().toString()))
          .add(DisplayData.item("keyPrefix", keys().prefix()))
          .add(DisplayData.item("maxLen", maxLen()))
          .add(DisplayData.item("addedTtl", addedTtl()))
          .add(DisplayData.item("retryTimeout", retryTimeout()));
    }

    AlertStreamWriter newWriter() {
      return new AlertStreamWriter(
          endpoint(), keys(), maxLen(), addedTtl().getMillis(), retryTimeout().getMillis());
    }

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setEndpoint(RedisEndpoint endpoint);

      abstract Builder setKeys(DashboardKeys keys);

      abstract Builder setMaxLen(long maxLen);

      abstract Builder setAddedTtl(Duration ttl);

      abstract Builder setBatchSize(int batchSize);

      abstract Builder setRetryTimeout(Duration retryTimeout);

      abstract Write build();
    }
  }

  /** One connection per instance; alerts pipelined and flushed at the batch size and bundle end. */
  static final class AddAlertsFn extends DoFn<LearnerAlert, Void> {
    private static final long serialVersionUID = 1L;

    private final Write spec;
    private final Counter added = Metrics.counter(AlertStreamRedis.class, "alertsAdded");
    private final Counter repeated = Metrics.counter(AlertStreamRedis.class, "alertsRepeated");

    private transient @Nullable AlertStreamWriter writer;

    AddAlertsFn(Write spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      writer = spec.newWriter();
    }

    @StartBundle
    public void startBundle() {
      writer.discardPending();
    }

    @ProcessElement
    public void processElement(@Element LearnerAlert alert) {
      writer.add(alert);
      if (writer.pendingCount() >= spec.batchSize()) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() {
      flush();
    }

    private void flush() {
      int sent = writer.pendingCount();
      int fresh = writer.flush();
      added.inc(fresh);
      repeated.inc(sent - fresh);
    }

    @Teardown
    public void teardown() {
      if (writer != null) {
        writer.close();
      }
    }
  }
}
