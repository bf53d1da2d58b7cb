package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.util.Set;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** A row of {@code course_interactions} (MySQL), validated. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CourseInteraction {
  public static final Set<String> KINDS =
      Set.of("page_view", "video_play", "video_complete", "forum_post", "download");

  public abstract @Nullable Long getInteractionId();

  public abstract String getLearnerId();

  public abstract String getCourseId();

  public abstract String getKind();

  public abstract @Nullable Integer getDurationMs();

  public abstract Instant getOccurredAt();

  @SchemaCreate
  public static CourseInteraction create(
      @Nullable Long interactionId,
      String learnerId,
      String courseId,
      String kind,
      @Nullable Integer durationMs,
      Instant occurredAt) {
    return new AutoValue_CourseInteraction(
        interactionId, learnerId, courseId, kind, durationMs, occurredAt);
  }
}
