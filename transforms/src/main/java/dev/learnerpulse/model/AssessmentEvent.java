package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.math.BigDecimal;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A document of {@code assessment_events} (MongoDB), validated. Scores are the decimals as written
 * (docs/contract.md §3.8: score arithmetic is exact), so 9.7 of 10 is exactly 97 % and 1e307 of
 * 1e307 is 100 %, where doubles give 96.99999999999999 and Infinity. Kept in {@link
 * Decimals#canonical} form.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class AssessmentEvent {

  /** The document's {@code _id} (an ObjectId's hex string). */
  public abstract @Nullable String getId();

  public abstract String getLearnerId();

  public abstract String getCourseId();

  public abstract @Nullable String getAssessmentId();

  public abstract BigDecimal getScore();

  /** Positive, and never less than {@link #getScore()}. */
  public abstract BigDecimal getMaxScore();

  /** Whether this attempt is the final one; false when the document does not say. */
  public abstract boolean getIsFinal();

  public abstract Instant getSubmittedAt();

  @SchemaCreate
  public static AssessmentEvent create(
      @Nullable String id,
      String learnerId,
      String courseId,
      @Nullable String assessmentId,
      BigDecimal score,
      BigDecimal maxScore,
      boolean isFinal,
      Instant submittedAt) {
    return new AutoValue_AssessmentEvent(
        id,
        learnerId,
        courseId,
        assessmentId,
        Decimals.canonical(score),
        Decimals.canonical(maxScore),
        isFinal,
        submittedAt);
  }
}
