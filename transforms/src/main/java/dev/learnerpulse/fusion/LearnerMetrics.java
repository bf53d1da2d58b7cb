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
import java.math.RoundingMode;
import java.util.Comparator;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Every field of {@code learner_window_metrics} (docs/contract.md §3.6) computed from the four
 * streams' changes of one learner, course and window. Pure, so each formula is tested on
 * hand-computed examples; nothing is rounded until {@link LearnerWindowMetrics.Builder#build()}.
 */
public final class LearnerMetrics {
  /** The passing score of a course the reference data does not know. */
  public static final BigDecimal DEFAULT_PASSING_SCORE_PCT = new BigDecimal("70.00");

  private static final BigDecimal ONE_HUNDRED = BigDecimal.valueOf(100);

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
    // Sums are exact (whole milliseconds, exact fractions of the scores) so that no metric depends
    // on the order a runner hands the changes over: a double sum in another order can differ in
    // its last bit, and rounding to 2 decimals can turn that into a different output.
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
    // Percentages, their mean and the comparisons with the passing score are exact on the values
    // as written (docs/contract.md §3.8); only the written percentages are rounded.
    BigDecimal passing = references.passingScorePct(courseId, DEFAULT_PASSING_SCORE_PCT);

    int assessmentCount = 0;
    ScoreRatios attempts = new ScoreRatios();
    boolean finalPassed = false;
    for (Change change : assessments) {
      AssessmentEvent attempt = change.getAssessment();
      assessmentCount++;
      attempts.add(attempt.getScore(), attempt.getMaxScore());
      finalPassed |=
          attempt.getIsFinal()
              && comparePercent(attempt.getScore(), attempt.getMaxScore(), passing) >= 0;
    }
    BigDecimal average = attempts.meanPercent();
    BigDecimal best = attempts.bestPercent();
    boolean atRisk = assessmentCount > 0 && attempts.compareMeanPercent(passing) < 0;

    Change latestProgress = latest(progress);
    Change latestCertification = latest(certifications);
    String status = latestProgress == null ? null : latestProgress.getProgress().getStatus();
    int events = interactionCount + assessmentCount + size(progress) + size(certifications);

    return LearnerWindowMetrics.builder()
        .setTenantId(references.tenant(learnerId, courseId))
        .setLearnerId(learnerId)
        .setCourseId(courseId)
        .setWindowStart(window.start())
        .setWindowEnd(window.end())
        .setInteractions(interactionCount)
        .setActiveSeconds(activeSeconds)
        .setAssessments(assessmentCount)
        .setAvgScorePct(average == null ? null : average.doubleValue())
        .setBestScorePct(best == null ? null : best.doubleValue())
        .setPassingScorePct(percent(passing).doubleValue())
        .setFinalPassed(finalPassed)
        .setProgressPct(
            latestProgress == null ? null : latestProgress.getProgress().getProgressPct())
        .setProgressStatus(status)
        .setCompleted("completed".equals(status))
        .setCertificationState(
            latestCertification == null ? null : latestCertification.getCertification().getState())
        .setEngagementScore(
            Math.min(100.0, 2.0 * interactionCount + activeSeconds / 30.0 + 10.0 * assessmentCount))
        .setAtRisk(atRisk)
        .setEnriched(course != null && learner != null)
        .setEvents(events)
        .setPaneIndex(pane.getIndex())
        .setPaneTiming(timing(pane.getTiming()))
        .build();
  }

  /** {@code value} half-up to 2 decimals: a percentage as the row writes it. */
  static BigDecimal percent(BigDecimal value) {
    return value.setScale(2, RoundingMode.HALF_UP);
  }

  /** 100 * numerator / denominator, exactly, then half-up to 2 decimals. */
  static BigDecimal percent(BigDecimal numerator, BigDecimal denominator) {
    return numerator.multiply(ONE_HUNDRED).divide(denominator, 2, RoundingMode.HALF_UP);
  }

  /** 100 * numerator / denominator compared with {@code pct}, exactly (denominator positive). */
  static int comparePercent(BigDecimal numerator, BigDecimal denominator, BigDecimal pct) {
    return numerator.multiply(ONE_HUNDRED).compareTo(pct.multiply(denominator));
  }

  /**
   * The window's attempts as exact fractions score / max_score: their sum as one fraction {@code
   * sum / denominator} (attempts out of the same max_score, the usual case, share a denominator),
   * and the greatest. Percentages and comparisons are taken from these once, at the end, so the
   * mean of 97 and 34 is exactly 65.5 and a third of a point is never lost before the rounding.
   * Alerts keep a learner's running mean the same way ({@link #of}), so they agree with the rows.
   */
  public static final class ScoreRatios {
    private long count;
    private BigDecimal sum = BigDecimal.ZERO;
    private BigDecimal denominator = BigDecimal.ONE;
    private @Nullable BigDecimal bestScore;
    private @Nullable BigDecimal bestMax;

    /** The mean so far, from {@link #count}, {@link #sum} and {@link #denominator}. */
    public static ScoreRatios of(long count, BigDecimal sum, BigDecimal denominator) {
      ScoreRatios ratios = new ScoreRatios();
      ratios.count = count;
      ratios.sum = sum;
      ratios.denominator = denominator;
      return ratios;
    }

    public long count() {
      return count;
    }

    public BigDecimal sum() {
      return sum;
    }

    public BigDecimal denominator() {
      return denominator;
    }

    public void add(BigDecimal score, BigDecimal maxScore) {
      count++;
      if (count == 1) {
        sum = score;
        denominator = maxScore;
      } else if (maxScore.compareTo(denominator) == 0) {
        sum = sum.add(score);
      } else {
        sum = sum.multiply(maxScore).add(score.multiply(denominator));
        denominator = denominator.multiply(maxScore);
      }
      // score / maxScore > bestScore / bestMax, both denominators positive.
      if (bestScore == null
          || score.multiply(bestMax).compareTo(bestScore.multiply(maxScore)) > 0) {
        bestScore = score;
        bestMax = maxScore;
      }
    }

    /** The mean of 100 * score / max_score, half-up to 2 decimals; null without attempts. */
    public @Nullable BigDecimal meanPercent() {
      return count == 0 ? null : percent(sum, meanDenominator());
    }

    /** The exact mean of 100 * score / max_score compared with {@code pct}; some attempt needed. */
    public int compareMeanPercent(BigDecimal pct) {
      return comparePercent(sum, meanDenominator(), pct);
    }

    private BigDecimal meanDenominator() {
      return denominator.multiply(BigDecimal.valueOf(count));
    }

    /** The greatest 100 * score / max_score, half-up to 2 decimals; null without attempts. */
    @Nullable BigDecimal bestPercent() {
      return count == 0 ? null : percent(bestScore, bestMax);
    }
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
