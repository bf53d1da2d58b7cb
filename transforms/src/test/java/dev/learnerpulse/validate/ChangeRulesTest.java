package dev.learnerpulse.validate;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.assessment;
import static dev.learnerpulse.testing.Fixtures.at;
import static dev.learnerpulse.testing.Fixtures.certification;
import static dev.learnerpulse.testing.Fixtures.course;
import static dev.learnerpulse.testing.Fixtures.interaction;
import static dev.learnerpulse.testing.Fixtures.learner;
import static dev.learnerpulse.testing.Fixtures.progress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.learnerpulse.model.AssessmentEvent;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.CourseInteraction;
import dev.learnerpulse.model.LearnerProgress;
import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.Outcomes;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangeRulesTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Instant KAFKA_TS = at(2);
  private final Outcomes outcomes = new Outcomes();

  private Outcomes.Result outcome(ChangeJson change) {
    return outcomes.of(change.record(11, KAFKA_TS));
  }

  private Change valid(ChangeJson change) {
    Outcomes.Result result = outcome(change);
    assertEquals(Outcome.VALID, result.outcome, result.toString());
    return result.change;
  }

  @Test
  void validProgressIsTyped() {
    Change change = valid(progress(ADA, SQL_101, "45.50", "in_progress", at(0)).withSchemas());
    assertEquals(
        LearnerProgress.create(ADA, SQL_101, 45.5, "in_progress", at(0)), change.getProgress());
    assertEquals(SourceTable.LEARNER_PROGRESS, change.getTable());
    assertEquals(Op.CREATE, change.getOp());
    assertEquals(at(0), change.getEventTime());
    assertEquals(KAFKA_TS, change.getKafkaTimestamp());
    assertEquals(11, change.getOffset());
    assertEquals(ADA, change.learnerId());
    assertEquals(SQL_101, change.courseId());
  }

  @Test
  void validInteractionWithAndWithoutDuration() {
    assertEquals(
        CourseInteraction.create(42L, ADA, SQL_101, "video_play", 90_000, at(3)),
        valid(interaction(42, ADA, SQL_101, "video_play", 90_000, at(3))).getInteraction());
    assertEquals(
        CourseInteraction.create(43L, ADA, SQL_101, "page_view", null, at(3)),
        valid(interaction(43, ADA, SQL_101, "page_view", null, at(3))).getInteraction());
  }

  @Test
  void assessmentFinalDefaultsToFalse() {
    AssessmentEvent absent =
        valid(assessment("a1", ADA, SQL_101, 7, 10, null, at(4))).getAssessment();
    assertFalse(absent.getIsFinal());
    AssessmentEvent nullFinal =
        valid(assessment("a1", ADA, SQL_101, 7, 10, null, at(4)).set("final", NODES.nullNode()))
            .getAssessment();
    assertFalse(nullFinal.getIsFinal());
    AssessmentEvent canonical =
        valid(assessment("a1", ADA, SQL_101, 7.0, 10.0, true, at(4)).canonical()).getAssessment();
    assertEquals(
        AssessmentEvent.create(
            "a1", ADA, SQL_101, "quiz-1", BigDecimal.valueOf(7), BigDecimal.TEN, true, at(4)),
        canonical);
  }

  @Test
  void scoreEqualToMaxScoreAndZeroScoreAreValid() {
    valid(assessment("a1", ADA, SQL_101, 10, 10, true, at(4)));
    valid(assessment("a2", ADA, SQL_101, 0, 10, true, at(4)));
  }

  @Test
  void progressBoundsAreInclusive() {
    valid(progress(ADA, SQL_101, "0.00", "not_started", at(0)));
    valid(
        progress(ADA, SQL_101, "100.00", "completed", at(0))
            .decimalMode(ChangeJson.DecimalMode.DOUBLE));
  }

  @Test
  void certificationAndReferenceRows() {
    assertEquals(
        "issued",
        valid(certification(ADA, SQL_101, "issued", at(9))).getCertification().getState());
    Change course = valid(course(SQL_101, "acme", "75.00"));
    assertEquals(new BigDecimal("75"), course.getCourse().getPassingScorePct());
    assertEquals(null, course.getEventTime());
    assertEquals("acme", valid(learner(ADA, "acme")).getLearner().getTenantId());
  }

  @Test
  void updatesOfProgressAreValidButUpdatesOfFactsAreIgnored() {
    assertEquals(
        Op.UPDATE, valid(progress(ADA, SQL_101, "50", "in_progress", at(0)).op("u")).getOp());
    assertEquals(
        Outcome.IGNORED,
        outcome(interaction(1, ADA, SQL_101, "page_view", 1, at(0)).op("u")).outcome);
    assertEquals(
        Outcome.IGNORED, outcome(assessment("a", ADA, SQL_101, 1, 2, true, at(0)).op("u")).outcome);
    assertEquals(
        Outcome.IGNORED,
        outcome(progress(ADA, SQL_101, "50", "in_progress", at(0)).op("d")).outcome);
    assertEquals(
        Outcome.IGNORED, outcome(certification(ADA, SQL_101, "issued", at(0)).op("t")).outcome);
  }

  @Test
  void snapshotReadsAreValid() {
    assertEquals(Op.READ, valid(certification(ADA, SQL_101, "eligible", at(0)).op("r")).getOp());
  }

  static Stream<Arguments> missingFields() {
    return Stream.of(
        Arguments.of(progress(ADA, SQL_101, "1", "in_progress", at(0)), "learner_id"),
        Arguments.of(progress(ADA, SQL_101, "1", "in_progress", at(0)), "course_id"),
        Arguments.of(progress(ADA, SQL_101, "1", "in_progress", at(0)), "progress_pct"),
        Arguments.of(progress(ADA, SQL_101, "1", "in_progress", at(0)), "status"),
        Arguments.of(progress(ADA, SQL_101, "1", "in_progress", at(0)), "updated_at"),
        Arguments.of(interaction(1, ADA, SQL_101, "page_view", 1, at(0)), "kind"),
        Arguments.of(interaction(1, ADA, SQL_101, "page_view", 1, at(0)), "occurred_at"),
        Arguments.of(interaction(1, ADA, SQL_101, "page_view", 1, at(0)), "learner_id"),
        Arguments.of(assessment("a", ADA, SQL_101, 1, 2, true, at(0)), "score"),
        Arguments.of(assessment("a", ADA, SQL_101, 1, 2, true, at(0)), "max_score"),
        Arguments.of(assessment("a", ADA, SQL_101, 1, 2, true, at(0)), "submitted_at"),
        Arguments.of(assessment("a", ADA, SQL_101, 1, 2, true, at(0)), "course_id"),
        Arguments.of(certification(ADA, SQL_101, "issued", at(0)), "state"),
        Arguments.of(certification(ADA, SQL_101, "issued", at(0)), "updated_at"));
  }

  @ParameterizedTest
  @MethodSource("missingFields")
  void absentOrNullRequiredFieldIsMissingField(ChangeJson change, String field) {
    Outcomes.Result absent = outcome(change.remove(field));
    assertEquals(ReasonCode.MISSING_FIELD, absent.reason, absent.toString());
    assertTrue(absent.detail.contains(field), absent.detail);
    Outcomes.Result nulled = outcome(change.set(field, NODES.nullNode()));
    assertEquals(ReasonCode.MISSING_FIELD, nulled.reason, nulled.toString());
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(progress(ADA, SQL_101, "120.00", "in_progress", at(0)), "progress_pct"),
        Arguments.of(progress(ADA, SQL_101, "-0.01", "in_progress", at(0)), "progress_pct"),
        Arguments.of(progress(ADA, SQL_101, "1", "paused", at(0)), "status"),
        Arguments.of(progress(ADA, SQL_101, "1", "", at(0)), "status"),
        Arguments.of(
            progress(ADA, SQL_101, "1", "in_progress", at(0)).set("learner_id", 42), "learner_id"),
        Arguments.of(
            progress(ADA, SQL_101, "1", "in_progress", at(0)).set("learner_id", ""), "learner_id"),
        Arguments.of(
            progress(ADA, SQL_101, "1", "in_progress", at(0)).set("updated_at", "yesterday"),
            "updated_at"),
        Arguments.of(
            progress(ADA, SQL_101, "1", "in_progress", at(0))
                .set("updated_at", "2026-11-20T09:00:00"),
            "updated_at"),
        Arguments.of(
            progress(ADA, SQL_101, "1", "in_progress", at(0)).set("progress_pct", "lots"),
            "progress_pct"),
        Arguments.of(
            progress(ADA, SQL_101, "1", "in_progress", at(0)).set("progress_pct", true),
            "progress_pct"),
        Arguments.of(interaction(1, ADA, SQL_101, "teleport", 1, at(0)), "kind"),
        Arguments.of(interaction(1, ADA, SQL_101, "page_view", -1, at(0)), "duration_ms"),
        Arguments.of(
            interaction(1, ADA, SQL_101, "page_view", 1, at(0)).set("duration_ms", "long"),
            "duration_ms"),
        Arguments.of(
            interaction(1, ADA, SQL_101, "page_view", 1, at(0)).set("duration_ms", 1.5),
            "duration_ms"),
        Arguments.of(
            interaction(1, ADA, SQL_101, "page_view", 1, at(0)).set("occurred_at", true),
            "occurred_at"),
        Arguments.of(assessment("a", ADA, SQL_101, -1, 10, true, at(0)), "score"),
        Arguments.of(assessment("a", ADA, SQL_101, 11, 10, true, at(0)), "score"),
        Arguments.of(assessment("a", ADA, SQL_101, 0, 0, true, at(0)), "max_score"),
        Arguments.of(assessment("a", ADA, SQL_101, 0, -5, true, at(0)), "max_score"),
        Arguments.of(assessment("a", ADA, SQL_101, 1, 10, true, at(0)).set("score", "9"), "score"),
        Arguments.of(
            assessment("a", ADA, SQL_101, 1, 10, true, at(0)).set("final", "yes"), "final"),
        Arguments.of(
            assessment("a", ADA, SQL_101, 1, 10, true, at(0)).set("submitted_at", "soon"),
            "submitted_at"),
        Arguments.of(certification(ADA, SQL_101, "pending", at(0)), "state"),
        Arguments.of(course(SQL_101, "acme", "101.00"), "passing_score_pct"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValueNamesTheField(ChangeJson change, String field) {
    Outcomes.Result result = outcome(change);
    assertEquals(ReasonCode.BAD_VALUE, result.reason, result.toString());
    assertTrue(result.detail.startsWith(field + ":"), result.detail);
  }

  @Test
  void nanScoreIsBadValue() {
    String value =
        assessment("a", ADA, SQL_101, 1, 10, true, at(0))
            .canonical()
            .json()
            .replace("{\\\"$numberDouble\\\":\\\"1.0\\\"}", "{\\\"$numberDouble\\\":\\\"NaN\\\"}");
    assertTrue(value.contains("NaN"), value);
    Outcomes.Result result =
        outcomes.of(
            SourceRecord.ofText(
                SourceTable.ASSESSMENT_EVENTS.defaultTopic(), 0, 1, KAFKA_TS, null, value));
    assertEquals(ReasonCode.BAD_VALUE, result.reason, result.toString());
  }

  @Test
  void eventTimeMoreThanAnHourAfterKafkaTimeIsFutureEvent() {
    Instant kafka = at(0);
    ChangeJson inAnHour =
        progress(ADA, SQL_101, "1", "in_progress", kafka.plus(Duration.standardHours(1)));
    assertEquals(Outcome.VALID, outcomes.of(inAnHour.record(1, kafka)).outcome);
    ChangeJson later =
        progress(ADA, SQL_101, "1", "in_progress", kafka.plus(Duration.standardHours(1)).plus(1));
    assertEquals(ReasonCode.FUTURE_EVENT, outcomes.of(later.record(1, kafka)).reason);
    ChangeJson mongo =
        assessment("a", ADA, SQL_101, 1, 2, true, kafka.plus(Duration.standardHours(2)));
    assertEquals(ReasonCode.FUTURE_EVENT, outcomes.of(mongo.record(1, kafka)).reason);
  }

  @Test
  void unknownTopicIsDeadLettered() {
    SourceRecord record =
        SourceRecord.ofText(
            "lxp.public.unknown",
            0,
            1,
            KAFKA_TS,
            null,
            progress(ADA, SQL_101, "1", "in_progress", at(0)).json());
    assertEquals(ReasonCode.UNKNOWN_TOPIC, outcomes.of(record).reason);
  }

  @Test
  void identityIgnoresOffsetButNotPositionOrOp() {
    ChangeJson change = progress(ADA, SQL_101, "1", "in_progress", at(0)).position(900);
    Change first = outcomes.of(change.record(1, KAFKA_TS)).change;
    Change redelivered = outcomes.of(change.record(57, KAFKA_TS.plus(5000))).change;
    assertEquals(first.identity(), redelivered.identity());
    assertNotEquals(first.identity(), valid(change.position(901)).identity());
    assertNotEquals(first.identity(), valid(change.position(900).op("r")).identity());
    assertEquals(new BigDecimal("1"), new BigDecimal("1"));
  }

  /** The reason and detail a record gets, as one string: what a reader of the dead letters sees. */
  private String deadLetter(SourceRecord record) {
    Outcomes.Result result = outcomes.of(record);
    assertEquals(Outcome.DEAD_LETTER, result.outcome, result.toString());
    return result.reason + " " + result.detail;
  }

  private static final String RANGE =
      "the range of event times, -290308-12-21T19:59:05.225Z to 294247-01-09T04:00:54.775Z";

  @Test
  void eventTimesOutsideBeamsRangeAreBadValues() {
    // Issue 13, item 1: each of these crashed the job in AssignEventTime.
    assertEquals(
        "BAD_VALUE submitted_at: -9223372036854775808 ms is outside " + RANGE,
        deadLetter(
            assessment("a", ADA, SQL_101, 1, 2, true, at(0))
                .set(
                    "submitted_at",
                    java.util.Map.of(
                        "$date", java.util.Map.of("$numberLong", "-9223372036854775808")))
                .record(1, KAFKA_TS)));
    assertEquals(
        "BAD_VALUE updated_at: '+999999999-12-31T23:59:59.999Z' is outside " + RANGE,
        deadLetter(
            progress(ADA, SQL_101, "1", "in_progress", at(0))
                .set("updated_at", "+999999999-12-31T23:59:59.999Z")
                .record(1, KAFKA_TS)));
    Instant farFuture = new Instant(9223372030000000000L);
    assertEquals(
        "BAD_VALUE Kafka timestamp 9223372030000000000 ms is outside " + RANGE,
        deadLetter(interaction(1, ADA, SQL_101, "page_view", 1, farFuture).record(1, farFuture)));
    assertEquals(
        "BAD_VALUE occurred_at: 9223372030000000000 ms is outside " + RANGE,
        deadLetter(interaction(1, ADA, SQL_101, "page_view", 1, farFuture).record(1, KAFKA_TS)));
    assertEquals(
        "BAD_VALUE Kafka timestamp 9223372030000000000 ms is outside " + RANGE,
        deadLetter(learner(ADA, "acme").record(1, farFuture)));
  }

  @Test
  void theEdgesOfBeamsRangeAreEventTimesStill() {
    Instant earliest = new Instant(-9223372036854775L);
    assertEquals(
        earliest, valid(interaction(1, ADA, SQL_101, "page_view", 1, earliest)).getEventTime());
    Instant latest = new Instant(9223286400000000L - 1);
    assertEquals(
        latest,
        outcomes
            .of(interaction(1, ADA, SQL_101, "page_view", 1, latest).record(1, latest))
            .change
            .getEventTime());
    assertEquals(
        "BAD_VALUE occurred_at: -9223372036854776 ms is outside " + RANGE,
        deadLetter(
            interaction(1, ADA, SQL_101, "page_view", 1, earliest.minus(1)).record(1, KAFKA_TS)));
  }

  @Test
  void timestampsBeyondALongNeverWrapAround() {
    // Issue 13, item 5: this decoded as a valid change at 2026-11-20 (x1000 wrapped around).
    assertEquals(
        "BAD_VALUE updated_at: '+584556076-02-20T23:38:51.384Z' is outside " + RANGE,
        deadLetter(
            certification(ADA, SQL_101, "issued", at(0))
                .set("updated_at", "+584556076-02-20T23:38:51.384Z")
                .record(1, KAFKA_TS)));
    assertEquals(
        "BAD_VALUE occurred_at: 18446744073709551616 ms is outside " + RANGE,
        deadLetter(
            interaction(1, ADA, SQL_101, "page_view", 1, at(0))
                .set("occurred_at", new java.math.BigInteger("18446744073709551616"))
                .record(1, KAFKA_TS)));
    assertEquals(
        "BAD_VALUE submitted_at: expected a timestamp, got object {\"$date\":18446744073709551616}",
        deadLetter(
            assessment("a", ADA, SQL_101, 1, 2, true, at(0))
                .set(
                    "submitted_at",
                    java.util.Map.of("$date", new java.math.BigInteger("18446744073709551616")))
                .record(1, KAFKA_TS)));
  }

  @Test
  void detailsSayWhatIsWrong() {
    // Issue 13, item 8: "NaN" read as base64 (137.35), and 1e400 as the string "Infinity".
    assertEquals(
        "BAD_VALUE progress_pct: 'NaN' is not a finite number",
        deadLetter(
            progress(ADA, SQL_101, "1", "in_progress", at(0))
                .set("progress_pct", "NaN")
                .record(1, KAFKA_TS)));
    assertEquals(
        "BAD_VALUE score: NaN is not a finite number",
        deadLetter(
            assessment("a", ADA, SQL_101, 1, 2, true, at(0))
                .set("score", java.util.Map.of("$numberDouble", "NaN"))
                .record(1, KAFKA_TS)));
    // A Decimal128 of 1E+400 is an exact, finite max_score since scores are decimals; what is
    // refused is a scale no source column has, before the decimal is built.
    assertEquals(
        "BAD_VALUE max_score: a decimal of scale -2000 is outside -1000..1000",
        deadLetter(
            assessment("a", ADA, SQL_101, 1, 2, true, at(0))
                .set("max_score", java.util.Map.of("$numberDecimal", "1E+2000"))
                .record(1, KAFKA_TS)));
  }

  @Test
  void hugeDecimalsAreRefusedBeforeTheyAreBuilt() {
    // Issue 13, items 2 and 7: megabytes of digits took seconds, 1,100 broke the accounting.
    String digits = "0." + "1".repeat(1_100);
    assertEquals(
        "BAD_VALUE progress_pct: a decimal of 1102 characters is longer than the 100 characters"
            + " (32 unscaled bytes) accepted",
        deadLetter(
            progress(ADA, SQL_101, "1", "in_progress", at(0))
                .set("progress_pct", digits)
                .record(1, KAFKA_TS)));
    assertEquals(
        "BAD_VALUE score: a decimal of 1102 characters is longer than the 100 characters"
            + " (32 unscaled bytes) accepted",
        deadLetter(
            assessment("a", ADA, SQL_101, 1, 2, true, at(0))
                .set("score", java.util.Map.of("$numberDecimal", digits))
                .record(1, KAFKA_TS)));
    byte[] unscaled = new byte[3_000_000];
    unscaled[0] = 1;
    String base64 = java.util.Base64.getEncoder().encodeToString(unscaled);
    assertEquals(
        "BAD_VALUE progress_pct: a decimal of base64 of 4000000 characters is longer than the 100"
            + " characters (32 unscaled bytes) accepted",
        deadLetter(
            progress(ADA, SQL_101, "1", "in_progress", at(0))
                .set("progress_pct", base64)
                .record(1, KAFKA_TS)));
  }
}
