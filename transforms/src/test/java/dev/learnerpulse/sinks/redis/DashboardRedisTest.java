package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.sinks.redis.Panes.ACME;
import static dev.learnerpulse.sinks.redis.Panes.ADA;
import static dev.learnerpulse.sinks.redis.Panes.GRACE;
import static dev.learnerpulse.sinks.redis.Panes.SQL_101;
import static dev.learnerpulse.sinks.redis.Panes.browse;
import static dev.learnerpulse.sinks.redis.Panes.progress;
import static dev.learnerpulse.sinks.redis.Panes.quiz;
import static dev.learnerpulse.sinks.redis.Panes.windowStart;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.learnerpulse.model.LearnerWindowMetrics;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import redis.clients.jedis.Jedis;

/** The Beam write end to end on the DirectRunner against a real Redis. */
public class DashboardRedisTest {
  private static final java.time.Instant NOW = java.time.Instant.parse("2026-11-20T09:10:00Z");
  private static final DashboardKeys KEYS = DashboardKeys.withPrefix("lp");

  /** Long enough to retry a few times, short enough for a test that waits it out. */
  private static final long RETRY_TIMEOUT_MILLIS = 1_000;

  private static EmbeddedRedis redis;

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @BeforeClass
  public static void startRedis() {
    redis = EmbeddedRedis.start();
  }

  @AfterClass
  public static void stopRedis() {
    redis.close();
  }

  @Before
  public void emptyRedis() {
    redis.flushAll();
  }

  private static DashboardRedis.Write write() {
    return DashboardRedis.write()
        .withEndpoint(redis.host(), redis.port())
        .withKeyPrefix("lp")
        .withClock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static final List<LearnerWindowMetrics> PANES =
      List.of(
          browse(ADA, SQL_101, 0, 0, 2),
          quiz(ADA, SQL_101, 0, 1, 55.0),
          browse(ADA, SQL_101, 1, 0, 4),
          progress(GRACE, SQL_101, 0, 0, "completed"),
          quiz(GRACE, SQL_101, 1, 0, 91.25));

  @Test
  public void writesTheDashboardFromAPipeline() {
    p.apply("Panes", Create.of(PANES)).apply("WriteDashboard", write());
    p.run().waitUntilFinish();

    String w0 = Long.toString(windowStart(0).getMillis());
    String w1 = Long.toString(windowStart(1).getMillis());
    Map<String, String> ada = new HashMap<>();
    ada.put("tenant_id", "T-acme");
    ada.put("learner_id", ADA);
    ada.put("course_id", SQL_101);
    ada.put("window_start", "2026-11-20T09:01:00.000Z");
    ada.put("window_end", "2026-11-20T09:02:00.000Z");
    ada.put("interactions", "4");
    ada.put("active_seconds", "120");
    ada.put("assessments", "0");
    ada.put("passing_score_pct", "70");
    ada.put("final_passed", "false");
    ada.put("completed", "false");
    ada.put("engagement_score", "12");
    ada.put("at_risk", "false");
    ada.put("enriched", "true");
    ada.put("events", "4");
    ada.put("pane_index", "0");
    ada.put("pane_timing", "EARLY");
    ada.put("window_start_ms", w1);
    ada.put("score_window_start_ms", w0);
    ada.put("score_pane_index", "1");

    Map<String, String> grace = new HashMap<>();
    grace.put("tenant_id", "T-acme");
    grace.put("learner_id", GRACE);
    grace.put("course_id", SQL_101);
    grace.put("window_start", "2026-11-20T09:01:00.000Z");
    grace.put("window_end", "2026-11-20T09:02:00.000Z");
    grace.put("interactions", "1");
    grace.put("active_seconds", "30");
    grace.put("assessments", "1");
    grace.put("avg_score_pct", "91.25");
    grace.put("best_score_pct", "91.25");
    grace.put("passing_score_pct", "70");
    grace.put("final_passed", "false");
    grace.put("completed", "false");
    grace.put("engagement_score", "13");
    grace.put("at_risk", "false");
    grace.put("enriched", "true");
    grace.put("events", "2");
    grace.put("pane_index", "0");
    grace.put("pane_timing", "EARLY");
    grace.put("window_start_ms", w1);
    grace.put("progress_window_start_ms", w0);
    grace.put("progress_pane_index", "0");
    grace.put("score_window_start_ms", w1);
    grace.put("score_pane_index", "0");

    try (Jedis jedis = redis.client()) {
      assertEquals(ada, jedis.hgetAll(KEYS.learner(ACME, SQL_101, ADA)));
      assertEquals(grace, jedis.hgetAll(KEYS.learner(ACME, SQL_101, GRACE)));
      assertEquals(
          Map.of(
              "window_start", "2026-11-20T09:01:00.000Z",
              "window_start_ms", w1,
              "active_learners", "2",
              "scored_learners", "1",
              "avg_score_pct", "91.25",
              "completed_learners", "1",
              "at_risk_learners", "1"),
          jedis.hgetAll(KEYS.live(ACME, SQL_101)));
      assertEquals(Set.of(GRACE), jedis.smembers(KEYS.completed(ACME, SQL_101)));
      assertEquals(Set.of(ADA), jedis.smembers(KEYS.atRisk(ACME, SQL_101)));
      assertEquals(
          Map.of(
              "window_end",
              "2026-11-20T09:02:00.000Z",
              "window_end_ms",
              Long.toString(windowStart(2).getMillis()),
              "written_at",
              "2026-11-20T09:10:00.000Z",
              "written_at_ms",
              Long.toString(NOW.toEpochMilli())),
          jedis.hgetAll(KEYS.freshness()));
    }
  }

  @Test
  public void anUnreachableRedisFailsTheRunAfterTheRetryTimeoutAndARerunAppliesOnce() {
    run(PANES);
    Map<String, EmbeddedRedis.Value> appliedOnce = redis.dump();
    redis.flushAll();

    run(PANES.subList(0, 2));
    Map<String, EmbeddedRedis.Value> beforeOutage = redis.dump();
    redis.stop();
    try {
      RuntimeException e = assertThrows(RuntimeException.class, () -> run(PANES));
      assertTrue(messages(e), messages(e).contains("Redis at 127.0.0.1:" + redis.port()));
      assertTrue(messages(e), messages(e).contains("Gave up after"));
    } finally {
      redis.restart();
    }
    assertEquals(beforeOutage, redis.dump());

    run(PANES);
    assertEquals(appliedOnce, redis.dump());
  }

  @Test
  public void optionsAreCheckedWhereTheyAreSet() {
    DashboardRedis.Write write = DashboardRedis.write();
    assertThrows(IllegalArgumentException.class, () -> write.withEndpoint("", 6379));
    assertThrows(IllegalArgumentException.class, () -> write.withEndpoint("redis", 0));
    assertThrows(IllegalArgumentException.class, () -> write.withTtl(Duration.millis(-1)));
    assertThrows(IllegalArgumentException.class, () -> write.withWindowTtl(null));
    assertThrows(IllegalArgumentException.class, () -> write.withKeyPrefix("l p"));
    assertThrows(IllegalArgumentException.class, () -> write.withAuth("user", ""));
    assertThrows(IllegalArgumentException.class, () -> write.withBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> write.withRetryTimeout(Duration.millis(-1)));
    assertEquals(
        "10.0.0.3:6378 (TLS) (AUTH)",
        write
            .withAuth("secret")
            .withTls(true)
            .withEndpoint("10.0.0.3", 6378)
            .endpoint()
            .toString());
  }

  private static void run(List<LearnerWindowMetrics> panes) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply("Panes", Create.of(panes))
        .apply(
            "WriteDashboard",
            write().withBatchSize(2).withRetryTimeout(Duration.millis(RETRY_TIMEOUT_MILLIS)));
    pipeline.run().waitUntilFinish();
  }

  private static String messages(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t.getMessage()).append('\n');
    }
    return text.toString();
  }
}
