package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A change in a learner's state in a course that someone must act on ({@code learner_alerts}), with
 * the change that caused it. Its {@link #getAlertId() id} is derived from the kind and that
 * change's identity only, so a replay of the same change yields the same id and sinks can drop the
 * copy.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class LearnerAlert {

  /** What happened. */
  public enum Kind {
    /** The newest certification_state of the learner and course became {@code issued}. */
    CERTIFICATE_ISSUED,
    /** The newest learner_progress status became {@code completed}. */
    COURSE_COMPLETED,
    /** The mean of the learner's scored attempts in the course fell below the passing score. */
    AT_RISK,
    /** An at-risk learner's mean came back to the passing score or above. */
    RECOVERED
  }

  public abstract String getAlertId();

  public abstract Kind getKind();

  public abstract @Nullable String getTenantId();

  public abstract String getLearnerId();

  public abstract String getCourseId();

  /** The business timestamp of the change that caused the alert. */
  public abstract Instant getEventTime();

  /** AT_RISK and RECOVERED: the mean of 100 * score / max_score over all attempts so far. */
  public abstract @Nullable Double getAvgScorePct();

  /** AT_RISK and RECOVERED: the passing score it was compared with. */
  public abstract @Nullable Double getPassingScorePct();

  /** Kafka topic, partition, offset and timestamp of the change that caused the alert. */
  public abstract String getTopic();

  public abstract int getPartition();

  public abstract long getOffset();

  public abstract Instant getKafkaTimestamp();

  /** The change's identity (docs/contract.md §2.7). */
  public abstract String getIdentity();

  @SchemaCreate
  public static LearnerAlert create(
      String alertId,
      Kind kind,
      @Nullable String tenantId,
      String learnerId,
      String courseId,
      Instant eventTime,
      @Nullable Double avgScorePct,
      @Nullable Double passingScorePct,
      String topic,
      int partition,
      long offset,
      Instant kafkaTimestamp,
      String identity) {
    return new AutoValue_LearnerAlert(
        alertId,
        kind,
        tenantId,
        learnerId,
        courseId,
        eventTime,
        avgScorePct,
        passingScorePct,
        topic,
        partition,
        offset,
        kafkaTimestamp,
        identity);
  }

  /** An alert of {@code kind} caused by {@code change}, its id derived from both. */
  public static LearnerAlert of(
      Kind kind,
      Change change,
      @Nullable String tenantId,
      @Nullable Double avgScorePct,
      @Nullable Double passingScorePct) {
    return create(
        id(kind, change),
        kind,
        tenantId,
        change.learnerId(),
        change.courseId(),
        change.getEventTime(),
        avgScorePct,
        passingScorePct,
        change.getTopic(),
        change.getPartition(),
        change.getOffset(),
        change.getKafkaTimestamp(),
        change.identity());
  }

  /**
   * A name-based UUID of the kind and the change's identity: the same on every replay of the
   * change, wherever it is read from (offsets differ after a topic is re-produced; identities do
   * not).
   */
  static String id(Kind kind, Change change) {
    return UUID.nameUUIDFromBytes(
            (kind.name() + "|" + change.identity()).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
