package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.util.Set;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.joda.time.Instant;

/** A row of {@code certification_state} (PostgreSQL), validated. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CertificationState {
  public static final Set<String> STATES = Set.of("in_progress", "eligible", "issued", "revoked");

  public abstract String getLearnerId();

  public abstract String getCourseId();

  public abstract String getState();

  public abstract Instant getUpdatedAt();

  @SchemaCreate
  public static CertificationState create(
      String learnerId, String courseId, String state, Instant updatedAt) {
    return new AutoValue_CertificationState(learnerId, courseId, state, updatedAt);
  }
}
