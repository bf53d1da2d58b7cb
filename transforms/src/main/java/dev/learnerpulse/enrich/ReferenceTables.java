package dev.learnerpulse.enrich;

import com.google.auto.value.AutoValue;
import dev.learnerpulse.model.Course;
import dev.learnerpulse.model.Learner;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The reference rows enrichment looks up: the latest course and learner rows by key. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ReferenceTables implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public abstract Map<String, Course> getCourses();

  public abstract Map<String, Learner> getLearners();

  /**
   * Grows with every update folded in (a later snapshot of the same topics has a greater version),
   * so the newest of several snapshots can be told apart.
   */
  public abstract long getVersion();

  @SchemaCreate
  public static ReferenceTables create(
      Map<String, Course> courses, Map<String, Learner> learners, long version) {
    return new AutoValue_ReferenceTables(Map.copyOf(courses), Map.copyOf(learners), version);
  }

  public static ReferenceTables empty() {
    return create(Map.of(), Map.of(), 0);
  }

  /**
   * The newest snapshot of a side input's latest pane: a streaming refresh may deliver more than
   * one snapshot in a pane.
   */
  public static ReferenceTables newest(Iterable<ReferenceTables> snapshots) {
    ReferenceTables newest = empty();
    for (ReferenceTables snapshot : snapshots) {
      if (snapshot.getVersion() >= newest.getVersion()) {
        newest = snapshot;
      }
    }
    return newest;
  }

  public @Nullable Course course(String courseId) {
    return getCourses().get(courseId);
  }

  public @Nullable Learner learner(String learnerId) {
    return getLearners().get(learnerId);
  }

  /**
   * The learner's tenant, else the course's, else null (docs/contract.md §3.5, {@code tenant_id}).
   */
  public @Nullable String tenant(String learnerId, String courseId) {
    Learner learner = learner(learnerId);
    if (learner != null && learner.getTenantId() != null) {
      return learner.getTenantId();
    }
    Course course = course(courseId);
    return course == null ? null : course.getTenantId();
  }

  /**
   * The course's passing score, the decimal as written; {@code fallback} when the course or its
   * score is unknown.
   */
  public BigDecimal passingScorePct(String courseId, BigDecimal fallback) {
    Course course = course(courseId);
    return course != null && course.getPassingScorePct() != null
        ? course.getPassingScorePct()
        : fallback;
  }
}
