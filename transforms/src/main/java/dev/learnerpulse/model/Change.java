package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A validated change of one source table: where it came from, Debezium's envelope facts that
 * identity and tie-breaking need, and exactly one typed row (the one its {@link #getTable()}
 * names).
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Change {

  public abstract SourceTable getTable();

  public abstract Op getOp();

  public abstract String getTopic();

  public abstract int getPartition();

  public abstract long getOffset();

  public abstract Instant getKafkaTimestamp();

  /** Debezium's {@code source.ts_ms}: when the database made the change. */
  public abstract @Nullable Long getSourceTsMs();

  /**
   * The change's position in the source log ({@code lsn}, MySQL {@code file/pos/row}, MongoDB
   * {@code ord/ts_ms}) in one canonical text form; null when the source block has none.
   */
  public abstract @Nullable String getSourcePosition();

  /** The row's business timestamp; null for reference tables, which have none. */
  public abstract @Nullable Instant getEventTime();

  public abstract @Nullable LearnerProgress getProgress();

  public abstract @Nullable CourseInteraction getInteraction();

  public abstract @Nullable AssessmentEvent getAssessment();

  public abstract @Nullable CertificationState getCertification();

  public abstract @Nullable Course getCourse();

  public abstract @Nullable Learner getLearner();

  public static Builder builder() {
    return new AutoValue_Change.Builder();
  }

  public abstract Builder toBuilder();

  /** The learner the row is about; null only for a course row. */
  public @Nullable String learnerId() {
    switch (getTable()) {
      case LEARNER_PROGRESS:
        return getProgress().getLearnerId();
      case COURSE_INTERACTIONS:
        return getInteraction().getLearnerId();
      case ASSESSMENT_EVENTS:
        return getAssessment().getLearnerId();
      case CERTIFICATION_STATE:
        return getCertification().getLearnerId();
      case LEARNERS:
        return getLearner().getLearnerId();
      default:
        return null;
    }
  }

  /** The course the row is about; null only for a learner row. */
  public @Nullable String courseId() {
    switch (getTable()) {
      case LEARNER_PROGRESS:
        return getProgress().getCourseId();
      case COURSE_INTERACTIONS:
        return getInteraction().getCourseId();
      case ASSESSMENT_EVENTS:
        return getAssessment().getCourseId();
      case CERTIFICATION_STATE:
        return getCertification().getCourseId();
      case COURSES:
        return getCourse().getCourseId();
      default:
        return null;
    }
  }

  /** The row's primary key as text, in the order of {@link SourceTable#primaryKey()}. */
  public String primaryKey() {
    switch (getTable()) {
      case COURSE_INTERACTIONS:
        return String.valueOf(getInteraction().getInteractionId());
      case ASSESSMENT_EVENTS:
        return String.valueOf(getAssessment().getId());
      case COURSES:
        return getCourse().getCourseId();
      case LEARNERS:
        return getLearner().getLearnerId();
      default:
        return learnerId() + "|" + courseId();
    }
  }

  /**
   * The contract's identity of a change: topic, op, primary key and source position. Two records
   * with equal identities are the same change seen twice.
   */
  public String identity() {
    return getTopic() + "|" + getOp().code() + "|" + primaryKey() + "|" + getSourcePosition();
  }

  /** Builds a {@link Change}; exactly one row must be set, matching the table. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setTable(SourceTable table);

    public abstract Builder setOp(Op op);

    public abstract Builder setTopic(String topic);

    public abstract Builder setPartition(int partition);

    public abstract Builder setOffset(long offset);

    public abstract Builder setKafkaTimestamp(Instant kafkaTimestamp);

    public abstract Builder setSourceTsMs(@Nullable Long sourceTsMs);

    public abstract Builder setSourcePosition(@Nullable String sourcePosition);

    public abstract Builder setEventTime(@Nullable Instant eventTime);

    public abstract Builder setProgress(@Nullable LearnerProgress progress);

    public abstract Builder setInteraction(@Nullable CourseInteraction interaction);

    public abstract Builder setAssessment(@Nullable AssessmentEvent assessment);

    public abstract Builder setCertification(@Nullable CertificationState certification);

    public abstract Builder setCourse(@Nullable Course course);

    public abstract Builder setLearner(@Nullable Learner learner);

    public abstract Change build();
  }
}
