package dev.learnerpulse.tools.dashboard;

import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.LearnerWindowMetrics.PaneTiming;
import dev.learnerpulse.sinks.redis.DashboardRedis;
import dev.learnerpulse.testkit.EmbeddedRedisServer;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Panes as the fusion emits them, written as the job writes them: the dashboard tests' data. */
final class DashboardPanes {
  /** The start of window 0. */
  static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

  static final Duration WINDOW = Duration.standardSeconds(60);

  private DashboardPanes() {}

  /** A pane of {@code interactions} in the {@code window}-th window after {@link #T0}. */
  static LearnerWindowMetrics.Builder pane(
      String tenant, String learner, String course, int window, int interactions) {
    double activeSeconds = 30.0 * interactions;
    return LearnerWindowMetrics.builder()
        .setTenantId(tenant)
        .setLearnerId(learner)
        .setCourseId(course)
        .setWindowStart(T0.plus(WINDOW.multipliedBy(window)))
        .setWindowEnd(T0.plus(WINDOW.multipliedBy(window + 1)))
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
        .setPaneIndex(0)
        .setPaneTiming(PaneTiming.ON_TIME);
  }

  static LearnerWindowMetrics browse(
      String tenant, String learner, String course, int window, int interactions) {
    return pane(tenant, learner, course, window, interactions).build();
  }

  /** One assessment scored {@code pct}, at risk below the passing 70. */
  static LearnerWindowMetrics quiz(
      String tenant, String learner, String course, int window, double pct) {
    return pane(tenant, learner, course, window, 1)
        .setAssessments(1)
        .setAvgScorePct(pct)
        .setBestScorePct(pct)
        .setAtRisk(pct < 70.0)
        .setEvents(2)
        .build();
  }

  /** Writes the panes as the job does: the pipeline's DashboardRedis write, on the DirectRunner. */
  static void write(EmbeddedRedisServer redis, List<LearnerWindowMetrics> panes) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply("Panes", Create.of(panes))
        .apply("WriteDashboard", DashboardRedis.write().withEndpoint(redis.host(), redis.port()));
    pipeline.run().waitUntilFinish();
  }
}
