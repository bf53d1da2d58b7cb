package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A row of the {@code learners} reference table. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Learner implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String getLearnerId();

  public abstract @Nullable String getTenantId();

  public abstract @Nullable String getCohortId();

  public abstract @Nullable String getCountry();

  @SchemaCreate
  public static Learner create(
      String learnerId,
      @Nullable String tenantId,
      @Nullable String cohortId,
      @Nullable String country) {
    return new AutoValue_Learner(learnerId, tenantId, cohortId, country);
  }
}
