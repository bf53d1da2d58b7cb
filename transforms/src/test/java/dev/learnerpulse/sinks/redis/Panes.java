package dev.learnerpulse.sinks.redis;

import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.LearnerWindowMetrics.PaneTiming;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Panes of learner_window_metrics as a dashboard sees them: a learner who only browsed, one who
 * took a quiz, one whose progress changed; windows numbered from 09:00 on the fixtures' day.
 */
final class Panes {
  static final String ACME = "T-acme";
  static final String ADA = "L-ada";
  static final String GRACE = "L-grace";
  static final String LINUS = "L-linus";
  static final String SQL_101 = "C-sql-101";
  static final String ML_201 = "C-ml-201";
  static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
  static final Duration WINDOW = Duration.standardSeconds(60);

  private Panes() {}

  static Instant windowStart(int window) {
    return T0.plus(WINDOW.multipliedBy(window));
  }

  /** A browsing-only pane: some interactions, no assessment, no progress change. */
  static LearnerWindowMetrics.Builder browsing(
      String learner, String course, int window, long paneIndex, int interactions) {
    double activeSeconds = 30.0 * interactions;
    return LearnerWindowMetrics.builder()
        .setTenantId(ACME)
        .setLearnerId(learner)
        .setCourseId(course)
        .setWindowStart(windowStart(window))
        .setWindowEnd(windowStart(window + 1))
        .setInteractions(interactions)
        .setActiveSeconds(activeSeconds)
        .setAssessments(0)
        .setPassingScorePct(70.0)
        .setFinalPassed(false)
        .setCompleted(false)
        .setEngagementScore(Math.min(100, 2.0 * interactions + activeSeconds / 30))
        .setAtRisk(false)
        .setEnriched(true)
        .setEvents(interactions)
        .setPaneIndex(paneIndex)
        .setPaneTiming(paneIndex == 0 ? PaneTiming.EARLY : PaneTiming.ON_TIME);
  }

  static LearnerWindowMetrics browse(
      String learner, String course, int window, long pane, int interactions) {
    return browsing(learner, course, window, pane, interactions).build();
  }

  /** A pane with one quiz attempt scoring {@code pct} (at risk below the passing 70). */
  static LearnerWindowMetrics quiz(
      String learner, String course, int window, long pane, double pct) {
    return quizzing(learner, course, window, pane, pct).build();
  }

  static LearnerWindowMetrics.Builder quizzing(
      String learner, String course, int window, long pane, double pct) {
    return browsing(learner, course, window, pane, 1)
        .setAssessments(1)
        .setAvgScorePct(pct)
        .setBestScorePct(pct)
        .setAtRisk(pct < 70.0)
        .setEngagementScore(13.0)
        .setEvents(2);
  }

  /** A pane whose newest progress change has this status. */
  static LearnerWindowMetrics progress(
      String learner, String course, int window, long pane, String status) {
    return progressing(learner, course, window, pane, status).build();
  }

  static LearnerWindowMetrics.Builder progressing(
      String learner, String course, int window, long pane, String status) {
    return browsing(learner, course, window, pane, 1)
        .setProgressPct(status.equals("completed") ? 100.0 : 40.0)
        .setProgressStatus(status)
        .setCompleted(status.equals("completed"))
        .setEvents(2);
  }
}
