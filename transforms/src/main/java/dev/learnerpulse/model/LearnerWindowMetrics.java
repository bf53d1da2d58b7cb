package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One pane of fused metrics for a learner and course in an event-time window (docs/contract.md
 * §3.6, {@code learner_window_metrics}). Its doubles are already rounded half-up to 2 decimals:
 * this is the output record, and nothing before it rounds.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class LearnerWindowMetrics {
  /** Beam's pane timing, as the contract names it. */
  public enum PaneTiming {
    EARLY,
    ON_TIME,
    LATE,
    UNKNOWN
  }

  public abstract @Nullable String getTenantId();

  public abstract String getLearnerId();

  public abstract String getCourseId();

  public abstract Instant getWindowStart();

  public abstract Instant getWindowEnd();

  public abstract int getInteractions();

  public abstract double getActiveSeconds();

  public abstract int getAssessments();

  public abstract @Nullable Double getAvgScorePct();

  public abstract @Nullable Double getBestScorePct();

  public abstract double getPassingScorePct();

  public abstract boolean getFinalPassed();

  public abstract @Nullable Double getProgressPct();

  public abstract @Nullable String getProgressStatus();

  public abstract boolean getCompleted();

  public abstract @Nullable String getCertificationState();

  public abstract double getEngagementScore();

  public abstract boolean getAtRisk();

  public abstract boolean getEnriched();

  public abstract int getEvents();

  public abstract long getPaneIndex();

  public abstract PaneTiming getPaneTiming();

  public static Builder builder() {
    return new AutoValue_LearnerWindowMetrics.Builder();
  }

  public abstract Builder toBuilder();

  /** Half-up to 2 decimals, from the shortest decimal text of the double (so 2.675 gives 2.68). */
  public static double round2(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }

  static @Nullable Double round2(@Nullable Double value) {
    return value == null ? null : round2(value.doubleValue());
  }

  /** Builds the record; {@link #build()} rounds every double half-up to 2 decimals. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setTenantId(@Nullable String tenantId);

    public abstract Builder setLearnerId(String learnerId);

    public abstract Builder setCourseId(String courseId);

    public abstract Builder setWindowStart(Instant windowStart);

    public abstract Builder setWindowEnd(Instant windowEnd);

    public abstract Builder setInteractions(int interactions);

    public abstract Builder setActiveSeconds(double activeSeconds);

    public abstract Builder setAssessments(int assessments);

    public abstract Builder setAvgScorePct(@Nullable Double avgScorePct);

    public abstract Builder setBestScorePct(@Nullable Double bestScorePct);

    public abstract Builder setPassingScorePct(double passingScorePct);

    public abstract Builder setFinalPassed(boolean finalPassed);

    public abstract Builder setProgressPct(@Nullable Double progressPct);

    public abstract Builder setProgressStatus(@Nullable String progressStatus);

    public abstract Builder setCompleted(boolean completed);

    public abstract Builder setCertificationState(@Nullable String certificationState);

    public abstract Builder setEngagementScore(double engagementScore);

    public abstract Builder setAtRisk(boolean atRisk);

    public abstract Builder setEnriched(boolean enriched);

    public abstract Builder setEvents(int events);

    public abstract Builder setPaneIndex(long paneIndex);

    public abstract Builder setPaneTiming(PaneTiming paneTiming);

    abstract double getActiveSeconds();

    abstract @Nullable Double getAvgScorePct();

    abstract @Nullable Double getBestScorePct();

    abstract double getPassingScorePct();

    abstract @Nullable Double getProgressPct();

    abstract double getEngagementScore();

    abstract LearnerWindowMetrics autoBuild();

    public LearnerWindowMetrics build() {
      setActiveSeconds(round2(getActiveSeconds()));
      setAvgScorePct(round2(getAvgScorePct()));
      setBestScorePct(round2(getBestScorePct()));
      setPassingScorePct(round2(getPassingScorePct()));
      setProgressPct(round2(getProgressPct()));
      setEngagementScore(round2(getEngagementScore()));
      return autoBuild();
    }
  }
}
