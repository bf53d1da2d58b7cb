package dev.learnerpulse.testing;

import dev.learnerpulse.model.SourceTable;
import java.math.BigDecimal;
import org.joda.time.Instant;

/** A few named learners and courses, and one valid change of each table about them. */
public final class Fixtures {
  public static final String ADA = "L-ada";
  public static final String GRACE = "L-grace";
  public static final String SQL_101 = "C-sql-101";
  public static final String ML_201 = "C-ml-201";
  public static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

  private Fixtures() {}

  public static Instant at(int seconds) {
    return T0.plus(seconds * 1000L);
  }

  public static ChangeJson progress(
      String learner, String course, String pct, String status, Instant at) {
    return ChangeJson.of(SourceTable.LEARNER_PROGRESS)
        .set("learner_id", learner)
        .set("course_id", course)
        .set("progress_pct", new BigDecimal(pct))
        .set("status", status)
        .set("updated_at", at);
  }

  public static ChangeJson interaction(
      long id, String learner, String course, String kind, Integer durationMs, Instant at) {
    return ChangeJson.of(SourceTable.COURSE_INTERACTIONS)
        .set("interaction_id", id)
        .set("learner_id", learner)
        .set("course_id", course)
        .set("kind", kind)
        .set("duration_ms", durationMs)
        .set("occurred_at", at)
        .position(1000 + id);
  }

  public static ChangeJson assessment(
      String id,
      String learner,
      String course,
      double score,
      double maxScore,
      Boolean isFinal,
      Instant at) {
    ChangeJson change =
        ChangeJson.of(SourceTable.ASSESSMENT_EVENTS)
            .set("_id", id)
            .set("learner_id", learner)
            .set("course_id", course)
            .set("assessment_id", "quiz-1")
            .set("score", score)
            .set("max_score", maxScore)
            .set("submitted_at", at)
            .position(1);
    return isFinal == null ? change : change.set("final", isFinal);
  }

  public static ChangeJson certification(String learner, String course, String state, Instant at) {
    return ChangeJson.of(SourceTable.CERTIFICATION_STATE)
        .set("learner_id", learner)
        .set("course_id", course)
        .set("state", state)
        .set("updated_at", at);
  }

  public static ChangeJson course(String course, String tenant, String passingPct) {
    return ChangeJson.of(SourceTable.COURSES)
        .op("r")
        .set("course_id", course)
        .set("tenant_id", tenant)
        .set("title", "Course " + course)
        .set("passing_score_pct", new BigDecimal(passingPct))
        .set("module_count", 8);
  }

  public static ChangeJson learner(String learner, String tenant) {
    return ChangeJson.of(SourceTable.LEARNERS)
        .op("r")
        .set("learner_id", learner)
        .set("tenant_id", tenant)
        .set("cohort_id", "2026-autumn")
        .set("country", "NL");
  }
}
