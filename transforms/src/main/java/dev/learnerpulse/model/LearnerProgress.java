package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.util.Set;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.joda.time.Instant;

/** A row of {@code learner_progress} (PostgreSQL), validated. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class LearnerProgress {
  public static final Set<String> STATUSES = Set.of("not_started", "in_progress", "completed");

  public abstract String getLearnerId();

  public abstract String getCourseId();

  public abstract double getProgressPct();

  public abstract String getStatus();

  public abstract Instant getUpdatedAt();

  @SchemaCreate
  public static LearnerProgress create(
      String learnerId, String courseId, double progressPct, String status, Instant updatedAt) {
    return new AutoValue_LearnerProgress(learnerId, courseId, progressPct, status, updatedAt);
  }
}
