package dev.learnerpulse.testkit.testdata;

import java.math.BigDecimal;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The rows of the four change tables as the databases hold them, before any wire encoding. */
final class Rows {
  private Rows() {}

  /** {@code learner_progress}; {@code updated_at} in microseconds, as PostgreSQL keeps it. */
  record Progress(
      String learnerId,
      String courseId,
      BigDecimal progressPct,
      String status,
      long updatedAtMicros) {}

  /** {@code course_interactions}; {@code occurred_at} is {@code datetime(3)}. */
  record Interaction(
      long interactionId,
      String learnerId,
      String courseId,
      String kind,
      @Nullable Integer durationMs,
      long occurredAtMillis) {}

  /**
   * An {@code assessment_events} document. Points are whole numbers (stored as BSON int32) on
   * quizzes out of 100 and may be halves (BSON double) elsewhere; {@code final} may be absent.
   */
  record Attempt(
      String objectId,
      String learnerId,
      String courseId,
      String assessmentId,
      double score,
      int maxScore,
      @Nullable Boolean isFinal,
      long submittedAtMillis) {}

  /** {@code certification_state}; {@code updated_at} in microseconds. */
  record Certification(String learnerId, String courseId, String state, long updatedAtMicros) {}
}
