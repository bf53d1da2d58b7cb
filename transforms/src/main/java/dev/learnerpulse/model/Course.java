package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.math.BigDecimal;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A row of the {@code courses} reference table. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Course implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String getCourseId();

  public abstract @Nullable String getTenantId();

  public abstract @Nullable String getTitle();

  /** The decimal as written ({@code numeric(5,2)}), 0..100, in {@link Decimals#canonical} form. */
  public abstract @Nullable BigDecimal getPassingScorePct();

  public abstract @Nullable Integer getModuleCount();

  @SchemaCreate
  public static Course create(
      String courseId,
      @Nullable String tenantId,
      @Nullable String title,
      @Nullable BigDecimal passingScorePct,
      @Nullable Integer moduleCount) {
    return new AutoValue_Course(
        courseId, tenantId, title, Decimals.canonical(passingScorePct), moduleCount);
  }
}
