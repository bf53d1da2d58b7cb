package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A valid change that came later than the allowed lateness: its window had already closed for good.
 * Kept ({@code too_late_events}) with enough to find the record again and to see by how much it
 * missed, instead of being dropped inside a GroupByKey.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class TooLateEvent {

  public abstract String getTopic();

  public abstract int getPartition();

  public abstract long getOffset();

  public abstract Instant getKafkaTimestamp();

  public abstract SourceTable getSourceTable();

  public abstract Op getOp();

  public abstract String getLearnerId();

  public abstract String getCourseId();

  public abstract Instant getEventTime();

  public abstract Instant getWindowStart();

  public abstract Instant getWindowEnd();

  /** When the window closed for good: its end plus the allowed lateness. */
  public abstract Instant getExpiredAt();

  /** The change's identity (docs/contract.md §2.7), to trace it. */
  public abstract @Nullable String getIdentity();

  /** When Learner Pulse set it aside (processing time). */
  public abstract Instant getSeenAt();

  @SchemaCreate
  public static TooLateEvent create(
      String topic,
      int partition,
      long offset,
      Instant kafkaTimestamp,
      SourceTable sourceTable,
      Op op,
      String learnerId,
      String courseId,
      Instant eventTime,
      Instant windowStart,
      Instant windowEnd,
      Instant expiredAt,
      @Nullable String identity,
      Instant seenAt) {
    return new AutoValue_TooLateEvent(
        topic,
        partition,
        offset,
        kafkaTimestamp,
        sourceTable,
        op,
        learnerId,
        courseId,
        eventTime,
        windowStart,
        windowEnd,
        expiredAt,
        identity,
        seenAt);
  }

  /** The too-late record of {@code change}, which fell into the window {@code [start, end)}. */
  public static TooLateEvent of(
      Change change, Instant windowStart, Instant windowEnd, Instant expiredAt, Instant seenAt) {
    return create(
        change.getTopic(),
        change.getPartition(),
        change.getOffset(),
        change.getKafkaTimestamp(),
        change.getTable(),
        change.getOp(),
        change.learnerId(),
        change.courseId(),
        change.getEventTime(),
        windowStart,
        windowEnd,
        expiredAt,
        change.identity(),
        seenAt);
  }
}
