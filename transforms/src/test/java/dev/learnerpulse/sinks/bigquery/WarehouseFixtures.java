package dev.learnerpulse.sinks.bigquery;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.SQL_101;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.LearnerWindowMetrics.PaneTiming;
import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.TooLateEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Hand-written output records, and rows spelled the way the fake warehouse returns them. */
final class WarehouseFixtures {
  static final String ACME = "T-acme";
  static final Instant W0 = Instant.parse("2026-11-20T09:00:00Z");
  static final Instant W1 = W0.plus(Duration.standardMinutes(1));
  static final Instant SEEN = Instant.parse("2026-11-21T12:00:00Z");

  private WarehouseFixtures() {}

  /**
   * An enriched pane where each later pane has seen one more interaction: {@code 3 + pane}
   * interactions of 12.5 s in all, one assessment at 55 % against a 70 % pass mark.
   */
  static LearnerWindowMetrics pane(String learner, String course, Instant windowStart, long pane) {
    int interactions = 3 + (int) pane;
    return LearnerWindowMetrics.builder()
        .setTenantId(ACME)
        .setLearnerId(learner)
        .setCourseId(course)
        .setWindowStart(windowStart)
        .setWindowEnd(windowStart.plus(Duration.standardMinutes(1)))
        .setInteractions(interactions)
        .setActiveSeconds(12.5)
        .setAssessments(1)
        .setAvgScorePct(55.0)
        .setBestScorePct(55.0)
        .setPassingScorePct(70.0)
        .setFinalPassed(false)
        .setProgressPct(40.0)
        .setProgressStatus("in_progress")
        .setCompleted(false)
        .setCertificationState(null)
        .setEngagementScore(Math.min(100, 2 * interactions + 12.5 / 30 + 10))
        .setAtRisk(true)
        .setEnriched(true)
        .setEvents(interactions + 2)
        .setPaneIndex(pane)
        .setPaneTiming(pane == 0 ? PaneTiming.EARLY : PaneTiming.ON_TIME)
        .build();
  }

  /** A pane of a learner and course the reference data does not know: every nullable is null. */
  static LearnerWindowMetrics unenriched(String learner, String course, Instant windowStart) {
    return LearnerWindowMetrics.builder()
        .setTenantId(null)
        .setLearnerId(learner)
        .setCourseId(course)
        .setWindowStart(windowStart)
        .setWindowEnd(windowStart.plus(Duration.standardMinutes(1)))
        .setInteractions(1)
        .setActiveSeconds(0)
        .setAssessments(0)
        .setAvgScorePct(null)
        .setBestScorePct(null)
        .setPassingScorePct(70.0)
        .setFinalPassed(false)
        .setProgressPct(null)
        .setProgressStatus(null)
        .setCompleted(false)
        .setCertificationState(null)
        .setEngagementScore(2)
        .setAtRisk(false)
        .setEnriched(false)
        .setEvents(1)
        .setPaneIndex(0)
        .setPaneTiming(PaneTiming.ON_TIME)
        .build();
  }

  static DeadLetter malformed(long offset) {
    return DeadLetter.create(
        SourceTable.LEARNER_PROGRESS.defaultTopic(),
        0,
        offset,
        W0.plus(Duration.standardSeconds(5)),
        "k-" + offset,
        "oops",
        DeadLetter.Encoding.TEXT,
        ReasonCode.MALFORMED,
        "not JSON: Unrecognized token 'oops'",
        SEEN);
  }

  static DeadLetter badScore(long offset) {
    return DeadLetter.create(
        SourceTable.ASSESSMENT_EVENTS.defaultTopic(),
        2,
        offset,
        W0,
        null,
        "{\"score\":11,\"max_score\":10}",
        DeadLetter.Encoding.TEXT,
        ReasonCode.BAD_VALUE,
        "score 11 > max_score 10",
        SEEN);
  }

  static TooLateEvent tooLate() {
    return TooLateEvent.create(
        SourceTable.COURSE_INTERACTIONS.defaultTopic(),
        1,
        7,
        SEEN.minus(Duration.standardSeconds(1)),
        SourceTable.COURSE_INTERACTIONS,
        Op.CREATE,
        ADA,
        SQL_101,
        W0.plus(Duration.standardSeconds(30)),
        W0,
        W1,
        W1.plus(Duration.standardMinutes(5)),
        null,
        SEEN);
  }

  static LearnerAlert certificateIssued() {
    return LearnerAlert.create(
        "5b1c3f2e-0000-3000-8000-000000000001",
        LearnerAlert.Kind.CERTIFICATE_ISSUED,
        "acme",
        ADA,
        SQL_101,
        W0.plus(Duration.standardSeconds(30)),
        null,
        null,
        SourceTable.CERTIFICATION_STATE.defaultTopic(),
        0,
        12,
        SEEN.minus(Duration.standardSeconds(2)),
        "lxp.public.certification_state|c|L-ada|C-sql-101|lsn=300");
  }

  /** A row as the fake returns it: field, value, field, value, ... with every value as text. */
  static Map<String, Object> row(Object... fieldsAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      row.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
    }
    return row;
  }
}
