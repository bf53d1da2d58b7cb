package dev.learnerpulse.fusion;

import dev.learnerpulse.enrich.ReferenceTables;
import dev.learnerpulse.model.AssessmentEvent;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.Course;
import dev.learnerpulse.model.CourseInteraction;
import dev.learnerpulse.model.Learner;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.LearnerWindowMetrics.PaneTiming;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Every field of {@code learner_window_metrics} (contract section 3) computed from the four streams'
 * changes of one learner, course and window. Pure, so each formula is tested on hand-computed
 * examples; nothing is rounded until {@link LearnerWindowMetrics.Builder#build()}.
 */
public final class LearnerMetrics {
  /** The passing score of a course the reference data does not know. */
  public static final double DEFAULT_PASSING_SCORE_PCT = 70.0;

  /**
   * "Latest" among changes of one row: the greater event time, then the greater {@code
   * source.ts_ms}, then the later Kafka offset.
   */
  public static final Comparator<Change> LATEST =
      Comparator.comparing(Change::getEventTime)
          .thenComparing(c -> c.getSourceTsMs() == null ? Long.MIN_VALUE : c.getSourceTsMs())
          .thenComparingLong(Change::getOffset);

  private LearnerMetrics() {}

  public static LearnerWindowMetrics compute(
      String learnerId,
      String courseId,
      IntervalWindow window,
      PaneInfo pane,
      Iterable<Change> progress,
      Iterable<Change> interactions,
      Iterable<Change> assessments,
      Iterable<Change> certifications,
      ReferenceTables references) {
    // Sums are exact (whole milliseconds, BigDecimal of each score) so that no metric depends on
    // the order a runner hands the changes over: a double sum in another order can differ in its
    // last bit, and rounding to 2 decimals can turn that into a different output.
    int interactionCount = 0;
    long activeMillis = 0;
    for (Change change : interactions) {
      CourseInteraction interaction = change.getInteraction();
      interactionCount++;
      if (interaction.getDurationMs() != null) {
        activeMillis += interaction.getDurationMs();
      }
    }
    double activeSeconds = activeMillis / 1000.0;

    Course course = references.course(courseId);
    Learner learner = references.learner(learnerId);
    double passing = references.passingScorePct(courseId, DEFAULT_PASSING_SCORE_PCT);

    int assessmentCount = 0;
    BigDecimal scoreSum = BigDecimal.ZERO;
    Double best = null;
    boolean finalPassed = false;
    for (Change change : assessments) {
      AssessmentEvent attempt = change.getAssessment();
      double pct = attempt.scorePct();
      assessmentCount++;
      scoreSum = scoreSum.add(new BigDecimal(pct));
      best = best == null ? pct : Math.max(best, pct);
      finalPassed |= attempt.getIsFinal() && pct >= passing;
    }
    Double average =
        assessmentCount == 0
            ? null
            : scoreSum.divide(BigDecimal.valueOf(assessmentCount), MathContext.DECIMAL64).doubleValue();

    Change latestProgress = latest(progress);
    Change latestCertification = latest(certifications);
    String status = latestProgress == null ? null : latestProgress.getProgress().getStatus();
    int events =
        interactionCount + assessmentCount + size(progress) + size(certifications);

    return LearnerWindowMetrics.builder()
        .setTenantId(references.tenant(learnerId, courseId))
        .setLearnerId(learnerId)
        .setCourseId(courseId)
        .setWindowStart(window.start())
        .setWindowEnd(window.end())
        .setInteractions(interactionCount)
        .setActiveSeconds(activeSeconds)
        .setAssessments(assessmentCount)
        .setAvgScorePct(average)
        .setBestScorePct(best)
        .setPassingScorePct(passing)
        .setFinalPassed(finalPassed)
        .setProgressPct(latestProgress == null ? null : latestProgress.getProgress().getProgressPct())
        .setProgressStatus(status)
        .setCompleted("completed".equals(status))
        .setCertificationState(
            latestCertification == null ? null : latestCertification.getCertification().getState())
        .setEngagementScore(
            Math.min(100.0, 2.0 * interactionCount + activeSeconds / 30.0 + 10.0 * assessmentCount))
        .setAtRisk(average != null && average < passing)
        .setEnriched(course != null && learner != null)
        .setEvents(events)
        .setPaneIndex(pane.getIndex())
        .setPaneTiming(timing(pane.getTiming()))
        .build();
  }

  static @Nullable Change latest(Iterable<Change> changes) {
    Change latest = null;
    for (Change change : changes) {
      if (latest == null || LATEST.compare(change, latest) > 0) {
        latest = change;
      }
    }
    return latest;
  }

  private static int size(Iterable<Change> changes) {
    int size = 0;
    for (Change ignored : changes) {
      size++;
    }
    return size;
  }

  private static PaneTiming timing(PaneInfo.Timing timing) {
    switch (timing) {
      case EARLY:
        return PaneTiming.EARLY;
      case ON_TIME:
        return PaneTiming.ON_TIME;
      case LATE:
        return PaneTiming.LATE;
      default:
        return PaneTiming.UNKNOWN;
    }
  }
}
