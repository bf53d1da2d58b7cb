package dev.learnerpulse.fusion;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.GRACE;
import static dev.learnerpulse.testing.Fixtures.ML_201;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.enrich.ReferenceTables;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.Course;
import dev.learnerpulse.model.Learner;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.LearnerWindowMetrics.PaneTiming;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.Outcomes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Every field of learner_window_metrics on hand-computed examples (docs/contract.md §3.6). */
class LearnerMetricsTest {
  private static final IntervalWindow WINDOW = new IntervalWindow(at(0), at(60));
  private static final Outcomes OUTCOMES = new Outcomes();
  private static final Course SQL_COURSE =
      Course.create(SQL_101, "tenant-course", "SQL", new BigDecimal("80.00"), 8);
  private static final Learner ADA_ROW = Learner.create(ADA, "tenant-learner", "c", "NL");

  private long offset;

  /** One window's changes of ADA in SQL_101, stream by stream. */
  private final List<Change> progress = new ArrayList<>();

  private final List<Change> interactions = new ArrayList<>();
  private final List<Change> assessments = new ArrayList<>();
  private final List<Change> certifications = new ArrayList<>();

  private Change valid(ChangeJson json) {
    return valid(json, offset++);
  }

  private static Change valid(ChangeJson json, long offset) {
    Outcomes.Result result = OUTCOMES.of(json.record(offset, at(59)));
    assertEquals(Outcome.VALID, result.outcome, result.toString());
    return result.change;
  }

  private LearnerWindowMetrics compute(ReferenceTables references) {
    return LearnerMetrics.compute(
        ADA,
        SQL_101,
        WINDOW,
        PaneInfo.ON_TIME_AND_ONLY_FIRING,
        progress,
        interactions,
        assessments,
        certifications,
        references);
  }

  private LearnerWindowMetrics compute() {
    return compute(ReferenceTables.empty());
  }

  private static ReferenceTables references(Course course, Learner learner) {
    Map<String, Course> courses = new HashMap<>();
    Map<String, Learner> learners = new HashMap<>();
    if (course != null) {
      courses.put(course.getCourseId(), course);
    }
    if (learner != null) {
      learners.put(learner.getLearnerId(), learner);
    }
    return ReferenceTables.create(courses, learners, 1);
  }

  private void attempt(String id, double score, double maxScore, Boolean isFinal) {
    assessments.add(valid(assessment(id, ADA, SQL_101, score, maxScore, isFinal, at(10))));
  }

  @Test
  void interactionsAndActiveSecondsCountANullDurationAsZero() {
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 30_000, at(1))));
    interactions.add(valid(interaction(2, ADA, SQL_101, "page_view", null, at(2))));
    interactions.add(valid(interaction(3, ADA, SQL_101, "download", 45_500, at(3))));

    LearnerWindowMetrics metrics = compute();

    assertEquals(3, metrics.getInteractions());
    // 30 000 ms + 0 (null) + 45 500 ms = 75.5 s
    assertEquals(75.5, metrics.getActiveSeconds());
    // 2 * 3 + 75.5 / 30 + 10 * 0 = 6 + 2.51666... = 8.51666... -> 8.52
    assertEquals(8.52, metrics.getEngagementScore());
    assertEquals(0, metrics.getAssessments());
    assertNull(metrics.getAvgScorePct());
    assertNull(metrics.getBestScorePct());
    assertFalse(metrics.getAtRisk());
    assertEquals(3, metrics.getEvents());
  }

  @Test
  void theMetricsDoNotDependOnTheOrderOfTheChanges() {
    // Summed as doubles of seconds, 27.08 + 39.009 + 55.945 + 38.311 is 160.345 in this order and
    // 160.34499999999997 in the reverse one, which round to 160.35 and 160.34; runners do not
    // promise an order. Exactly: 160 345 ms = 160.345 s -> 160.35.
    int[] durations = {27_080, 39_009, 55_945, 38_311};
    for (int i = 0; i < durations.length; i++) {
      interactions.add(valid(interaction(i, ADA, SQL_101, "video_play", durations[i], at(i))));
    }
    attempt("a1", 1, 3, false);
    attempt("a2", 2, 7, false);
    attempt("a3", 5, 11, false);
    LearnerWindowMetrics forward = compute();
    java.util.Collections.reverse(interactions);
    java.util.Collections.reverse(assessments);
    LearnerWindowMetrics reversed = compute();

    assertEquals(forward, reversed);
    assertEquals(160.35, forward.getActiveSeconds());
  }

  @Test
  void assessmentsAverageAndBestPercentages() {
    attempt("a1", 45, 60, false); // 100 * 45 / 60 = 75
    attempt("a2", 8, 10, false); // 80
    attempt("a3", 13, 20, false); // 65

    LearnerWindowMetrics metrics = compute();

    assertEquals(3, metrics.getAssessments());
    // (75 + 80 + 65) / 3 = 73.333... -> 73.33
    assertEquals(73.33, metrics.getAvgScorePct());
    assertEquals(80.0, metrics.getBestScorePct());
    // unknown course: passing 70, 73.33 >= 70
    assertEquals(70.0, metrics.getPassingScorePct());
    assertFalse(metrics.getAtRisk());
    // 2 * 0 + 0 / 30 + 10 * 3 = 30
    assertEquals(30.0, metrics.getEngagementScore());
  }

  @Test
  void passingScoreComesFromTheCourseAndAtRiskComparesWithIt() {
    attempt("a1", 45, 60, false); // 75
    attempt("a2", 8, 10, false); // 80
    attempt("a3", 13, 20, false); // 65, average 73.33

    LearnerWindowMetrics known = compute(references(SQL_COURSE, null));
    assertEquals(80.0, known.getPassingScorePct());
    assertTrue(known.getAtRisk(), "73.33 < 80");

    LearnerWindowMetrics unknown =
        compute(references(Course.create(ML_201, "t", "ML", new BigDecimal("90"), 3), null));
    assertEquals(70.0, unknown.getPassingScorePct());
    assertFalse(unknown.getAtRisk(), "73.33 >= 70");
  }

  @Test
  void aCourseWithoutPassingScoreFallsBackTo70() {
    attempt("a1", 6, 10, false); // 60 < 70
    LearnerWindowMetrics metrics =
        compute(references(Course.create(SQL_101, "t", "SQL", null, 8), null));
    assertEquals(70.0, metrics.getPassingScorePct());
    assertTrue(metrics.getAtRisk());
  }

  @Test
  void finalPassedNeedsAFinalAttemptAtOrAbovePassing() {
    attempt("a1", 14, 20, true); // 100 * 14 / 20 = 70.0, exactly the default passing score
    assertTrue(compute().getFinalPassed(), "70.0 >= 70.0");
  }

  @Test
  void finalPassedIgnoresNonFinalAttemptsAndAbsentFinalMeansFalse() {
    attempt("a1", 20, 20, false); // 100, not final
    attempt("a2", 20, 20, null); // 100, final absent: false
    attempt("a3", 13.9, 20, true); // 69.5 < 70
    LearnerWindowMetrics metrics = compute();
    assertFalse(metrics.getFinalPassed());
    assertEquals(100.0, metrics.getBestScorePct());
  }

  @Test
  void finalPassedUsesTheCoursePassingScore() {
    attempt("a1", 15, 20, true); // 75: passes 70, fails the course's 80
    assertTrue(compute().getFinalPassed());
    assertFalse(compute(references(SQL_COURSE, null)).getFinalPassed());
  }

  private static ReferenceTables passing(String pct) {
    return references(Course.create(SQL_101, "t", "SQL", new BigDecimal(pct), 8), null);
  }

  @Test
  void aMeanEqualToThePassingScoreIsNotAtRisk() {
    // Issue 13: in doubles 100 * 9.7 / 10 is 96.99999999999999, the mean 65.49999999999999 < 65.5.
    attempt("a1", 9.7, 10, false); // exactly 97
    attempt("a2", 3.4, 10, false); // exactly 34
    LearnerWindowMetrics metrics = compute(passing("65.50"));
    assertEquals(65.5, metrics.getAvgScorePct());
    assertEquals(97.0, metrics.getBestScorePct());
    assertEquals(65.5, metrics.getPassingScorePct());
    assertFalse(metrics.getAtRisk());
  }

  @Test
  void aFinalAttemptExactlyAtThePassingScorePasses() {
    attempt("a1", 6.55, 10, true); // exactly 65.5; 65.49999999999999 in doubles
    assertTrue(compute(passing("65.5")).getFinalPassed());
  }

  @Test
  void hugeFiniteScoresAreExact() {
    attempt("a1", 1e307, 1e307, true); // 100 * 1e307 overflows a double to Infinity
    attempt("a2", 5e306, 1e307, false); // 50
    LearnerWindowMetrics metrics = compute();
    assertEquals(75.0, metrics.getAvgScorePct());
    assertEquals(100.0, metrics.getBestScorePct());
    assertTrue(metrics.getFinalPassed());
    assertFalse(metrics.getAtRisk());
  }

  @Test
  void theMeanOfFractionsIsExactAndRoundedOnceHalfUp() {
    // (100 / 3 + 200 / 3 + 100 / 8) / 3 = (100 + 12.5) / 3 = 37.5 exactly
    attempt("a1", 1, 3, false);
    attempt("a2", 2, 3, false);
    attempt("a3", 1, 8, false);
    assertEquals(37.5, compute().getAvgScorePct());
    // 65.49 % and 65.5 % out of different max scores: exactly 65.495, written half-up 65.5, and
    // below a passing score of 65.50 (nothing is rounded before the comparison).
    assessments.clear();
    attempt("a1", 13.098, 20, false); // 65.49
    attempt("a2", 6.55, 10, false); // 65.5
    LearnerWindowMetrics metrics = compute(passing("65.50"));
    assertEquals(65.5, metrics.getAvgScorePct());
    assertEquals(65.5, metrics.getBestScorePct());
    assertTrue(metrics.getAtRisk());
    assertFalse(compute(passing("65.495")).getAtRisk(), "65.495 is not below 65.495");
    assertEquals(65.5, compute(passing("65.495")).getPassingScorePct());
  }

  @Test
  void progressIsTheLatestByEventTime() {
    progress.add(valid(progress(ADA, SQL_101, "60.00", "in_progress", at(20)).position(2)));
    progress.add(valid(progress(ADA, SQL_101, "40.00", "not_started", at(10)).position(1)));

    LearnerWindowMetrics metrics = compute();

    assertEquals(60.0, metrics.getProgressPct());
    assertEquals("in_progress", metrics.getProgressStatus());
    assertFalse(metrics.getCompleted());
    assertEquals(2, metrics.getEvents());
  }

  @Test
  void progressTiesGoToTheGreaterSourceTimestamp() {
    // Same event time; the later database change (greater source.ts_ms) wins, whatever the offset.
    progress.add(valid(progress(ADA, SQL_101, "90.00", "in_progress", at(20)).sourceTsMs(2000), 1));
    progress.add(valid(progress(ADA, SQL_101, "100.00", "completed", at(20)).sourceTsMs(3000), 0));
    LearnerWindowMetrics metrics = compute();
    assertEquals(100.0, metrics.getProgressPct());
    assertEquals("completed", metrics.getProgressStatus());
    assertTrue(metrics.getCompleted());
  }

  @Test
  void progressTiesOnSourceTimestampGoToTheLaterOffset() {
    progress.add(valid(progress(ADA, SQL_101, "100.00", "completed", at(20)).sourceTsMs(2000), 7));
    progress.add(valid(progress(ADA, SQL_101, "90.00", "in_progress", at(20)).sourceTsMs(2000), 8));
    LearnerWindowMetrics metrics = compute();
    assertEquals(90.0, metrics.getProgressPct());
    assertEquals("in_progress", metrics.getProgressStatus());
    assertFalse(metrics.getCompleted());
  }

  @Test
  void certificationIsTheLatestWithTheSameTieBreaks() {
    certifications.add(valid(certification(ADA, SQL_101, "in_progress", at(5)), 1));
    certifications.add(valid(certification(ADA, SQL_101, "issued", at(30)).sourceTsMs(10), 2));
    certifications.add(valid(certification(ADA, SQL_101, "eligible", at(30)).sourceTsMs(20), 3));
    certifications.add(valid(certification(ADA, SQL_101, "revoked", at(30)).sourceTsMs(20), 4));
    assertEquals("revoked", compute().getCertificationState());

    certifications.add(valid(certification(ADA, SQL_101, "issued", at(30)).sourceTsMs(20), 0));
    assertEquals("revoked", compute().getCertificationState(), "offset 0 < offset 4");
  }

  @Test
  void engagementIsCappedAt100() {
    for (int i = 0; i < 25; i++) {
      interactions.add(valid(interaction(i, ADA, SQL_101, "page_view", null, at(1))));
    }
    for (int i = 0; i < 6; i++) {
      attempt("a" + i, 9, 10, false);
    }
    // 2 * 25 + 0 / 30 + 10 * 6 = 110 -> min(100, 110) = 100
    assertEquals(100.0, compute().getEngagementScore());
    assertEquals(31, compute().getEvents());
  }

  @Test
  void engagementBelowTheCapIsNotCapped() {
    for (int i = 0; i < 4; i++) {
      attempt("a" + i, 9, 10, false);
    }
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 1_770_000, at(1))));
    // 2 * 1 + 1770 / 30 + 10 * 4 = 2 + 59 + 40 = 101 -> 100
    assertEquals(100.0, compute().getEngagementScore());
    interactions.clear();
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 1_710_000, at(1))));
    // 2 + 57 + 40 = 99
    assertEquals(99.0, compute().getEngagementScore());
  }

  @Test
  void enrichedNeedsBothTheCourseAndTheLearner() {
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 1_000, at(1))));
    assertTrue(compute(references(SQL_COURSE, ADA_ROW)).getEnriched());
    assertFalse(compute(references(SQL_COURSE, null)).getEnriched());
    assertFalse(compute(references(null, ADA_ROW)).getEnriched());
    assertFalse(compute().getEnriched());
  }

  @Test
  void tenantIsTheLearnersElseTheCoursesElseNull() {
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 1_000, at(1))));
    assertEquals("tenant-learner", compute(references(SQL_COURSE, ADA_ROW)).getTenantId());
    assertEquals("tenant-course", compute(references(SQL_COURSE, null)).getTenantId());
    assertEquals(
        "tenant-course",
        compute(references(SQL_COURSE, Learner.create(ADA, null, null, null))).getTenantId(),
        "a learner row without a tenant falls back to the course's");
    assertNull(compute(references(null, null)).getTenantId());
    assertNull(
        compute(references(Course.create(SQL_101, null, "SQL", new BigDecimal("80"), 8), null))
            .getTenantId());
    // Another learner's row does not count.
    assertEquals(
        "tenant-course",
        compute(references(SQL_COURSE, Learner.create(GRACE, "other", null, null))).getTenantId());
  }

  @Test
  void aLearnerWithOnlyOneStream() {
    certifications.add(valid(certification(ADA, SQL_101, "eligible", at(30))));
    LearnerWindowMetrics metrics = compute();
    assertEquals(
        LearnerWindowMetrics.builder()
            .setTenantId(null)
            .setLearnerId(ADA)
            .setCourseId(SQL_101)
            .setWindowStart(at(0))
            .setWindowEnd(at(60))
            .setInteractions(0)
            .setActiveSeconds(0)
            .setAssessments(0)
            .setAvgScorePct(null)
            .setBestScorePct(null)
            .setPassingScorePct(70.0)
            .setFinalPassed(false)
            .setProgressPct(null)
            .setProgressStatus(null)
            .setCompleted(false)
            .setCertificationState("eligible")
            .setEngagementScore(0)
            .setAtRisk(false)
            .setEnriched(false)
            .setEvents(1)
            .setPaneIndex(0)
            .setPaneTiming(PaneTiming.ON_TIME)
            .build(),
        metrics);
  }

  @Test
  void paneIndexAndTimingAreBeams() {
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 1_000, at(1))));
    LearnerWindowMetrics late =
        LearnerMetrics.compute(
            ADA,
            SQL_101,
            WINDOW,
            PaneInfo.createPane(false, false, PaneInfo.Timing.LATE, 3, 2),
            progress,
            interactions,
            assessments,
            certifications,
            ReferenceTables.empty());
    assertEquals(3, late.getPaneIndex());
    assertEquals(PaneTiming.LATE, late.getPaneTiming());
    LearnerWindowMetrics early =
        LearnerMetrics.compute(
            ADA,
            SQL_101,
            WINDOW,
            PaneInfo.createPane(true, false, PaneInfo.Timing.EARLY, 0, -1),
            progress,
            interactions,
            assessments,
            certifications,
            ReferenceTables.empty());
    assertEquals(PaneTiming.EARLY, early.getPaneTiming());
  }

  @Test
  void roundsHalfUpToTwoDecimalsAtOutputOnly() {
    attempt("a1", 1, 3, false); // 100 / 3 = 33.333... -> 33.33
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 2_675, at(1))));
    LearnerWindowMetrics metrics = compute();
    assertEquals(33.33, metrics.getAvgScorePct());
    assertEquals(33.33, metrics.getBestScorePct());
    // 2675 ms = 2.675 s -> 2.68 (half-up on the decimal 2.675, not the binary 2.67499...)
    assertEquals(2.68, metrics.getActiveSeconds());
    // 2 * 1 + 2.675 / 30 + 10 * 1 = 12.0891666... -> 12.09
    assertEquals(12.09, metrics.getEngagementScore());
  }

  @Test
  void engagementUsesTheUnroundedActiveSeconds() {
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 145, at(1))));
    LearnerWindowMetrics metrics = compute();
    // active 0.145 s is written 0.15, but engagement is 2 * 1 + 0.145 / 30 = 2.004833... -> 2.0;
    // from the rounded 0.15 it would be 2 + 0.005 = 2.005 -> 2.01.
    assertEquals(0.15, metrics.getActiveSeconds());
    assertEquals(2.0, metrics.getEngagementScore());
  }

  @Test
  void atRiskAndFinalPassedUseTheUnroundedAverage() {
    attempt("a1", 69.996, 100, true); // 69.996 %: written 70.0, but below 70
    LearnerWindowMetrics metrics = compute();
    assertEquals(70.0, metrics.getAvgScorePct());
    assertTrue(metrics.getAtRisk());
    assertFalse(metrics.getFinalPassed());
  }

  @Test
  void windowAndKeyAreCopied() {
    interactions.add(valid(interaction(1, ADA, SQL_101, "video_play", 1_000, at(1))));
    LearnerWindowMetrics metrics = compute();
    assertEquals(ADA, metrics.getLearnerId());
    assertEquals(SQL_101, metrics.getCourseId());
    assertEquals(Instant.parse("2026-11-20T09:00:00Z"), metrics.getWindowStart());
    assertEquals(Instant.parse("2026-11-20T09:01:00Z"), metrics.getWindowEnd());
  }
}
