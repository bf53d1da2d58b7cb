package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** A document of {@code assessment_events} (MongoDB), validated. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class AssessmentEvent {

  /** The document's {@code _id} (an ObjectId's hex string). */
  public abstract @Nullable String getId();

  public abstract String getLearnerId();

  public abstract String getCourseId();

  public abstract @Nullable String getAssessmentId();

  public abstract double getScore();

  public abstract double getMaxScore();

  /** Whether this attempt is the final one; false when the document does not say. */
  public abstract boolean getIsFinal();

  public abstract Instant getSubmittedAt();

  /** 100 * score / max_score, unrounded. */
  public double scorePct() {
    return 100.0 * getScore() / getMaxScore();
  }

  @SchemaCreate
  public static AssessmentEvent create(
      @Nullable String id,
      String learnerId,
      String courseId,
      @Nullable String assessmentId,
      double score,
      double maxScore,
      boolean isFinal,
      Instant submittedAt) {
    return new AutoValue_AssessmentEvent(
        id, learnerId, courseId, assessmentId, score, maxScore, isFinal, submittedAt);
  }
}
