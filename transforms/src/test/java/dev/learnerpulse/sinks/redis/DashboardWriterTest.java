package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.sinks.redis.Panes.ACME;
import static dev.learnerpulse.sinks.redis.Panes.ADA;
import static dev.learnerpulse.sinks.redis.Panes.GRACE;
import static dev.learnerpulse.sinks.redis.Panes.LINUS;
import static dev.learnerpulse.sinks.redis.Panes.ML_201;
import static dev.learnerpulse.sinks.redis.Panes.SQL_101;
import static dev.learnerpulse.sinks.redis.Panes.browse;
import static dev.learnerpulse.sinks.redis.Panes.browsing;
import static dev.learnerpulse.sinks.redis.Panes.progress;
import static dev.learnerpulse.sinks.redis.Panes.progressing;
import static dev.learnerpulse.sinks.redis.Panes.quiz;
import static dev.learnerpulse.sinks.redis.Panes.quizzing;
import static dev.learnerpulse.sinks.redis.Panes.windowStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.model.LearnerWindowMetrics;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ZRangeParams;

/**
 * The write semantics against a real Redis: ordering guards, course aggregates, replays, outages.
 */
class DashboardWriterTest {
  private static final DashboardKeys KEYS = DashboardKeys.withPrefix("lp");
  private static final long TTL = Duration.standardDays(7).getMillis();
  private static final long WINDOW_TTL = Duration.standardDays(1).getMillis();
  private static final java.time.Instant NOW = java.time.Instant.parse("2026-11-20T09:10:00Z");

  private static EmbeddedRedis redis;
  private DashboardWriter writer;
  private Jedis jedis;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void connect() {
    redis.flushAll();
    writer = newWriter(Clock.fixed(NOW, ZoneOffset.UTC));
    jedis = redis.client();
  }

  @AfterEach
  void close() {
    writer.close();
    jedis.close();
  }

  /**
   * A writer that fails at the first error ({@code retryTimeoutMillis} 0) unless told otherwise.
   */
  private static DashboardWriter newWriter(Clock clock) {
    return newWriter(clock, 0);
  }

  private static DashboardWriter newWriter(Clock clock, long retryTimeoutMillis) {
    DashboardWriter writer =
        new DashboardWriter(redis.endpoint(), KEYS, TTL, WINDOW_TTL, clock, retryTimeoutMillis);
    writer.connect();
    return writer;
  }

  private DashboardWriter.Flushed write(LearnerWindowMetrics... panes) {
    return write(writer, List.of(panes));
  }

  private static DashboardWriter.Flushed write(
      DashboardWriter writer, List<LearnerWindowMetrics> panes) {
    panes.forEach(writer::add);
    return writer.flush();
  }

  private Map<String, String> learner(String learner, String course) {
    return jedis.hgetAll(KEYS.learner(ACME, course, learner));
  }

  @Test
  void learnerHashHoldsEveryNonNullContractFieldAndTheOrderingMarks() {
    write(quiz(ADA, SQL_101, 0, 2, 55.5));

    Map<String, String> expected = new java.util.HashMap<>();
    expected.put("tenant_id", "T-acme");
    expected.put("learner_id", ADA);
    expected.put("course_id", SQL_101);
    expected.put("window_start", "2026-11-20T09:00:00.000Z");
    expected.put("window_end", "2026-11-20T09:01:00.000Z");
    expected.put("interactions", "1");
    expected.put("active_seconds", "30");
    expected.put("assessments", "1");
    expected.put("avg_score_pct", "55.5");
    expected.put("best_score_pct", "55.5");
    expected.put("passing_score_pct", "70");
    expected.put("final_passed", "false");
    expected.put("completed", "false");
    expected.put("engagement_score", "13");
    expected.put("at_risk", "true");
    expected.put("enriched", "true");
    expected.put("events", "2");
    expected.put("pane_index", "2");
    expected.put("pane_timing", "ON_TIME");
    expected.put("window_start_ms", Long.toString(windowStart(0).getMillis()));
    expected.put("score_window_start_ms", Long.toString(windowStart(0).getMillis()));
    expected.put("score_pane_index", "2");
    assertEquals(expected, learner(ADA, SQL_101));
  }

  @Test
  void newerPaneOfTheSameWindowWins() {
    write(browse(ADA, SQL_101, 0, 0, 2));
    DashboardWriter.Flushed flushed = write(browse(ADA, SQL_101, 0, 1, 5));

    assertEquals(new DashboardWriter.Flushed(1, 0), flushed);
    assertEquals("5", learner(ADA, SQL_101).get("interactions"));
    assertEquals("1", learner(ADA, SQL_101).get("pane_index"));
    assertEquals(15.0, jedis.zscore(KEYS.windowActive(ACME, SQL_101, windowStart(0)), ADA));
  }

  @Test
  void olderPaneOfTheSameWindowNeverOverwrites() {
    write(browse(ADA, SQL_101, 0, 1, 5));
    Map<String, EmbeddedRedis.Value> before = redis.dump();

    DashboardWriter.Flushed flushed = write(browse(ADA, SQL_101, 0, 0, 2));

    assertEquals(new DashboardWriter.Flushed(0, 1), flushed);
    assertEquals(before, redis.dump());
  }

  @Test
  void olderWindowNeverOverwritesTheLatestButStillFillsItsOwnWindow() {
    write(browse(ADA, SQL_101, 2, 0, 5));
    write(browse(ADA, SQL_101, 1, 3, 1));

    assertEquals("2026-11-20T09:02:00.000Z", learner(ADA, SQL_101).get("window_start"));
    assertEquals("5", learner(ADA, SQL_101).get("interactions"));
    assertEquals(3.0, jedis.zscore(KEYS.windowActive(ACME, SQL_101, windowStart(1)), ADA));
    assertEquals(15.0, jedis.zscore(KEYS.engagement(ACME, SQL_101), ADA));
    assertEquals(
        Long.toString(windowStart(2).getMillis()), jedis.get(KEYS.currentWindow(ACME, SQL_101)));
  }

  @Test
  void samePaneReplayedChangesNothing() {
    LearnerWindowMetrics pane = quiz(ADA, SQL_101, 0, 1, 80.0);
    write(pane);
    Map<String, EmbeddedRedis.Value> before = redis.dump();

    DashboardWriter.Flushed flushed = write(pane, pane);

    assertEquals(new DashboardWriter.Flushed(2, 0), flushed);
    assertEquals(before, redis.dump());
  }

  @Test
  void fieldsThatBecomeNullDisappearFromTheLearnerHash() {
    write(quiz(ADA, SQL_101, 0, 0, 80.0));
    write(browse(ADA, SQL_101, 1, 0, 2));

    Map<String, String> hash = learner(ADA, SQL_101);
    assertFalse(hash.containsKey("avg_score_pct"));
    assertFalse(hash.containsKey("best_score_pct"));
    assertEquals("0", hash.get("assessments"));
  }

  @Test
  void courseAggregatesOfTheCurrentWindow() {
    write(
        quiz(ADA, SQL_101, 0, 0, 50.0),
        quiz(GRACE, SQL_101, 0, 0, 90.0),
        browse(LINUS, SQL_101, 0, 0, 20),
        progress(LINUS, ML_201, 0, 0, "completed"),
        progress(GRACE, SQL_101, 1, 0, "completed"),
        quiz(ADA, SQL_101, 1, 0, 65.25));

    String w0 = Long.toString(windowStart(0).getMillis());
    String w1 = Long.toString(windowStart(1).getMillis());
    assertEquals(w1, jedis.get(KEYS.currentWindow(ACME, SQL_101)));
    assertEquals(
        List.of(LINUS, GRACE, ADA), top(KEYS.windowActive(ACME, SQL_101, windowStart(0)), 3));
    assertEquals(
        Map.of(
            "active_learners",
            "3",
            "scored_learners",
            "2",
            "score_sum_centi",
            "14000",
            "avg_score_pct",
            "70.00"),
        jedis.hgetAll(KEYS.windowSummary(ACME, SQL_101, windowStart(0))));
    assertEquals(
        Map.of(
            "window_start", "2026-11-20T09:01:00.000Z",
            "window_start_ms", w1,
            "active_learners", "2",
            "scored_learners", "1",
            "avg_score_pct", "65.25",
            "completed_learners", "1",
            "at_risk_learners", "1"),
        jedis.hgetAll(KEYS.live(ACME, SQL_101)));
    assertEquals(Set.of(GRACE), jedis.smembers(KEYS.completed(ACME, SQL_101)));
    assertEquals(Set.of(ADA), jedis.smembers(KEYS.atRisk(ACME, SQL_101)));
    assertEquals(Set.of(LINUS), jedis.smembers(KEYS.completed(ACME, ML_201)));
    assertEquals(List.of(LINUS, ADA, GRACE), top(KEYS.engagement(ACME, SQL_101), 3));
    assertEquals(
        Long.toString(windowStart(0).getMillis()), jedis.get(KEYS.currentWindow(ACME, ML_201)));
    assertNotEquals(w0, w1);
  }

  @Test
  void atRiskLearnerLeavesTheSetWhenANewerScoredWindowPasses() {
    write(quiz(ADA, SQL_101, 0, 0, 50.0));
    assertEquals(Set.of(ADA), jedis.smembers(KEYS.atRisk(ACME, SQL_101)));

    write(browse(ADA, SQL_101, 1, 0, 3));
    assertEquals(
        Set.of(ADA), jedis.smembers(KEYS.atRisk(ACME, SQL_101)), "no score: no news on risk");

    write(quiz(ADA, SQL_101, 2, 0, 85.0));
    assertEquals(Set.of(), jedis.smembers(KEYS.atRisk(ACME, SQL_101)));
    assertEquals("0", jedis.hget(KEYS.live(ACME, SQL_101), "at_risk_learners"));

    write(quiz(ADA, SQL_101, 1, 4, 40.0));
    assertEquals(
        Set.of(),
        jedis.smembers(KEYS.atRisk(ACME, SQL_101)),
        "a late older window says nothing new");
  }

  @Test
  void completionFollowsTheNewestProgressChange() {
    write(progress(GRACE, SQL_101, 0, 0, "completed"));
    write(browse(GRACE, SQL_101, 1, 0, 2));
    assertEquals(
        Set.of(GRACE), jedis.smembers(KEYS.completed(ACME, SQL_101)), "browsing keeps completion");

    write(progress(GRACE, SQL_101, 2, 0, "in_progress"));
    assertEquals(Set.of(), jedis.smembers(KEYS.completed(ACME, SQL_101)));
  }

  @Test
  void arrivalOrderDoesNotMatter() {
    List<LearnerWindowMetrics> panes = history();
    write(writer, panes);
    Map<String, EmbeddedRedis.Value> inOrder = redis.dump();

    Random random = new Random(42);
    for (int round = 0; round < 5; round++) {
      redis.flushAll();
      List<LearnerWindowMetrics> shuffled = new ArrayList<>(panes);
      Collections.shuffle(shuffled, random);
      for (LearnerWindowMetrics pane : shuffled) {
        write(pane);
      }
      assertEquals(inOrder, redis.dump(), "round " + round);
    }
  }

  @Test
  void replayingEverythingTwiceLeavesRedisAsItWas() {
    List<LearnerWindowMetrics> panes = history();
    write(writer, panes);
    Map<String, EmbeddedRedis.Value> once = redis.dump();
    String windowEnd = jedis.hget(KEYS.freshness(), "window_end");

    try (DashboardWriter later =
        newWriter(Clock.offset(Clock.fixed(NOW, ZoneOffset.UTC), java.time.Duration.ofHours(1)))) {
      write(later, panes);
      write(later, panes);
    }

    assertEquals(once, redis.dump());
    assertEquals("2026-11-20T09:04:00.000Z", windowEnd);
    assertEquals("2026-11-20T10:10:00.000Z", jedis.hget(KEYS.freshness(), "written_at"));
  }

  @Test
  void freshnessNeverGoesBack() {
    write(browse(ADA, SQL_101, 3, 0, 1));
    write(browse(GRACE, SQL_101, 0, 0, 1));

    assertEquals(
        Map.of(
            "window_end",
            "2026-11-20T09:04:00.000Z",
            "window_end_ms",
            Long.toString(windowStart(4).getMillis()),
            "written_at",
            "2026-11-20T09:10:00.000Z",
            "written_at_ms",
            Long.toString(NOW.toEpochMilli())),
        jedis.hgetAll(KEYS.freshness()));
  }

  @Test
  void keysExpireAfterTheirTtlAndZeroMeansNever() {
    write(quiz(ADA, SQL_101, 0, 0, 50.0));
    assertTtl(TTL, KEYS.learner(ACME, SQL_101, ADA));
    assertTtl(TTL, KEYS.atRisk(ACME, SQL_101));
    assertTtl(TTL, KEYS.live(ACME, SQL_101));
    assertTtl(WINDOW_TTL, KEYS.windowActive(ACME, SQL_101, windowStart(0)));
    assertTtl(WINDOW_TTL, KEYS.windowSummary(ACME, SQL_101, windowStart(0)));
    assertEquals(-1, jedis.pttl(KEYS.freshness()));

    redis.flushAll();
    try (DashboardWriter forever =
        new DashboardWriter(redis.endpoint(), KEYS, 0, 0, Clock.systemUTC(), 0)) {
      write(forever, List.of(quiz(ADA, SQL_101, 0, 0, 50.0)));
    }
    for (String key : jedis.keys("*")) {
      assertEquals(-1, jedis.pttl(key), key);
    }
  }

  /** ZRANGE key 0 n-1 REV, the dashboard's "top n" read. */
  private List<String> top(String key, int n) {
    return jedis.zrange(key, ZRangeParams.zrangeParams(0, n - 1).rev());
  }

  private void assertTtl(long expected, String key) {
    long ttl = jedis.pttl(key);
    assertTrue(ttl > expected - 60_000 && ttl <= expected, key + " ttl " + ttl);
  }

  @Test
  void scriptsLostByTheServerAreSentAgainWithEval() {
    write(browse(ADA, SQL_101, 0, 0, 1));
    jedis.scriptFlush();

    DashboardWriter.Flushed flushed =
        write(browse(ADA, SQL_101, 0, 1, 4), browse(GRACE, SQL_101, 0, 0, 2));

    assertEquals(new DashboardWriter.Flushed(2, 0), flushed);
    assertEquals("4", learner(ADA, SQL_101).get("interactions"));
    assertEquals("2", learner(GRACE, SQL_101).get("interactions"));
  }

  @Test
  void redisDownFailsNamingTheEndpointAndARetryAfterRestartAppliesOnce() {
    List<LearnerWindowMetrics> panes = history();
    List<LearnerWindowMetrics> first = panes.subList(0, panes.size() / 2);
    write(writer, panes);
    Map<String, EmbeddedRedis.Value> appliedOnce = redis.dump();
    redis.flushAll();

    write(writer, first);
    Map<String, EmbeddedRedis.Value> beforeOutage = redis.dump();
    redis.stop();
    try {
      panes.forEach(writer::add);
      DashboardWriteException e = assertThrows(DashboardWriteException.class, writer::flush);
      assertTrue(e.getMessage().contains("127.0.0.1:" + redis.port()), e.getMessage());
      DashboardWriteException down = assertThrows(DashboardWriteException.class, writer::connect);
      assertTrue(down.getMessage().contains("127.0.0.1:" + redis.port()), down.getMessage());
    } finally {
      redis.restart();
    }

    assertEquals(beforeOutage, redis.dump(), "the snapshot survived the restart");
    writer.discardPending();
    writer.connect();
    write(writer, panes);
    assertEquals(appliedOnce, redis.dump());
  }

  @Test
  void aFlushWaitsForRedisToComeBackAndAppliesOnce() throws InterruptedException {
    List<LearnerWindowMetrics> panes = history();
    write(writer, panes);
    Map<String, EmbeddedRedis.Value> appliedOnce = redis.dump();
    redis.flushAll();
    write(writer, panes.subList(0, panes.size() / 2));

    try (DashboardWriter patient = newWriter(Clock.fixed(NOW, ZoneOffset.UTC), 60_000)) {
      redis.stop();
      Thread restart =
          new Thread(
              () -> {
                try {
                  Thread.sleep(1_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                redis.restart();
              });
      restart.start();
      DashboardWriter.Flushed flushed = write(patient, panes);
      restart.join();
      assertEquals(panes.size(), flushed.applied() + flushed.superseded());
    }
    assertEquals(appliedOnce, redis.dump());
  }

  @Test
  void errorsThatAreNotAnOutageAreNotRetried() {
    jedis.set(KEYS.learner(ACME, SQL_101, ADA), "not a hash");
    try (DashboardWriter patient = newWriter(Clock.fixed(NOW, ZoneOffset.UTC), 60_000)) {
      patient.add(browse(ADA, SQL_101, 0, 0, 1));
      DashboardWriteException e = assertThrows(DashboardWriteException.class, patient::flush);
      assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
      assertFalse(e.getMessage().contains("Gave up"), e.getMessage());
    }

    RedisEndpoint wrongPassword = redis.endpoint().withAuth("not-the-password");
    try (DashboardWriter refused =
        new DashboardWriter(wrongPassword, KEYS, TTL, WINDOW_TTL, Clock.systemUTC(), 60_000)) {
      DashboardWriteException e = assertThrows(DashboardWriteException.class, refused::connect);
      assertFalse(e.getMessage().contains("Gave up"), e.getMessage());
    }
  }

  @Test
  void idsThatSpellAnotherKeyWriteTheirOwnHashes() {
    // Issue 13 item 4: both wrote lp:learner:x:course:y:course:z in the old layout.
    LearnerWindowMetrics acme = browsing("x:course:y", "z", 0, 0, 2).setTenantId("acme").build();
    LearnerWindowMetrics globex =
        browsing("x", "y:course:z", 0, 0, 5).setTenantId("globex").build();
    write(acme, globex);

    Map<String, String> first = jedis.hgetAll(KEYS.learner("acme", "z", "x:course:y"));
    Map<String, String> second = jedis.hgetAll(KEYS.learner("globex", "y:course:z", "x"));
    assertEquals(List.of("acme", "x:course:y", "z", "2"), fields(first));
    assertEquals(List.of("globex", "x", "y:course:z", "5"), fields(second));
    assertEquals(
        Set.of(KEYS.learner("acme", "z", "x:course:y"), KEYS.learner("globex", "y:course:z", "x")),
        jedis.keys("lp:tenant:*").stream().filter(KEYS::isLearnerHash).collect(Collectors.toSet()));
    assertEquals(Map.of("x:course:y", 2 * 2.0 + 2), zmap(KEYS.engagement("acme", "z")));
    assertEquals(Map.of("x", 2 * 5.0 + 5), zmap(KEYS.engagement("globex", "y:course:z")));
  }

  @Test
  void readersListTenantsAndTheirCoursesByNewestWindowEnd() {
    write(
        browse(ADA, SQL_101, 0, 0, 1),
        browse(ADA, SQL_101, 2, 0, 1),
        browsing(GRACE, ML_201, 1, 0, 1).setTenantId("T-globex").build(),
        browsing(LINUS, "C:odd {id}", 0, 0, 1).setTenantId(null).build());
    write(browse(GRACE, SQL_101, 1, 0, 1));

    double end1 = windowStart(2).getMillis();
    double end2 = windowStart(3).getMillis();
    assertEquals(Map.of(ACME, end2, "T-globex", end1), zmap(KEYS.tenants()));
    assertEquals(Map.of(SQL_101, end2), zmap(KEYS.courses(ACME)));
    assertEquals(Map.of(ML_201, end1), zmap(KEYS.courses("T-globex")));
    assertEquals(
        Map.of("C:odd {id}", (double) windowStart(1).getMillis()), zmap(KEYS.courses(null)));
    assertEquals("1", jedis.hget(KEYS.live(null, "C:odd {id}"), "active_learners"));
    assertTtl(TTL, KEYS.tenants());
    assertTtl(TTL, KEYS.courses(null));
  }

  @Test
  void aLearnersStateFollowsTheTenantOfItsNewestPane() {
    // Enrichment arrives after the first panes: they carry no tenant, the later ones acme's.
    List<LearnerWindowMetrics> unknownFirst =
        List.of(
            browsing(ADA, SQL_101, 0, 0, 2).setTenantId(null).build(),
            progressing(ADA, SQL_101, 0, 1, "completed").setTenantId(null).build(),
            quizzing(ADA, SQL_101, 1, 0, 40.0).setTenantId(null).build(),
            browse(ADA, SQL_101, 1, 1, 3),
            browse(GRACE, SQL_101, 1, 0, 1));
    List<LearnerWindowMetrics> knownFromTheStart =
        unknownFirst.stream().map(pane -> pane.toBuilder().setTenantId(ACME).build()).toList();

    write(writer, knownFromTheStart);
    Map<String, EmbeddedRedis.Value> expected = redis.dump();

    for (List<LearnerWindowMetrics> order : List.of(unknownFirst, reversed(unknownFirst))) {
      redis.flushAll();
      for (LearnerWindowMetrics pane : order) {
        write(pane);
      }
      Map<String, EmbeddedRedis.Value> moved = redis.dump();
      // Nothing of the tenant-less panes is left but, in arrival order, the index entry of the
      // course they were first written to (readers skip it: that course has no live hash).
      expected.put(KEYS.courses(null), moved.get(KEYS.courses(null)));
      expected.values().removeIf(Objects::isNull);
      assertEquals(expected, moved, "order " + order);
      assertEquals(Set.of(), jedis.keys("lp:tenant:~none:course:*"));

      write(writer, unknownFirst);
      assertEquals(moved, redis.dump(), "a replay moves nothing back");
    }
    assertEquals(Set.of(ADA), jedis.smembers(KEYS.completed(ACME, SQL_101)));
    assertEquals(Set.of(ADA), jedis.smembers(KEYS.atRisk(ACME, SQL_101)));
    assertEquals("2", jedis.hget(KEYS.live(ACME, SQL_101), "active_learners"));
  }

  @Test
  void aLatePaneOfAFormerTenantIsAppliedWhereTheLearnerNowIs() {
    write(browsing(ADA, SQL_101, 2, 0, 4).setTenantId("T-globex").build());
    write(browse(ADA, SQL_101, 1, 0, 2));

    assertEquals(Set.of(), jedis.keys("lp:tenant:" + ACME + ":course:*"));
    assertEquals("T-globex", learnerIn("T-globex").get("tenant_id"));
    assertEquals(6.0, jedis.zscore(KEYS.windowActive("T-globex", SQL_101, windowStart(1)), ADA));
    assertEquals(Map.of(ADA, "T-globex"), jedis.hgetAll(KEYS.learnerTenants(SQL_101)));
  }

  private Map<String, String> learnerIn(String tenant) {
    return jedis.hgetAll(KEYS.learner(tenant, SQL_101, ADA));
  }

  private static List<String> fields(Map<String, String> hash) {
    return Arrays.asList(
        hash.get("tenant_id"),
        hash.get("learner_id"),
        hash.get("course_id"),
        hash.get("interactions"));
  }

  private Map<String, Double> zmap(String key) {
    Map<String, Double> members = new java.util.HashMap<>();
    jedis.zrangeWithScores(key, 0, -1).forEach(t -> members.put(t.getElement(), t.getScore()));
    return members;
  }

  private static List<LearnerWindowMetrics> reversed(List<LearnerWindowMetrics> panes) {
    List<LearnerWindowMetrics> reversed = new ArrayList<>(panes);
    Collections.reverse(reversed);
    return reversed;
  }

  /** Several learners over four windows, with early, on-time and late panes. */
  private static List<LearnerWindowMetrics> history() {
    return List.of(
        browse(ADA, SQL_101, 0, 0, 1),
        browse(ADA, SQL_101, 0, 1, 3),
        quiz(ADA, SQL_101, 1, 0, 45.0),
        quiz(ADA, SQL_101, 1, 1, 62.5),
        browse(ADA, SQL_101, 2, 0, 4),
        quiz(ADA, SQL_101, 1, 2, 72.35),
        quiz(GRACE, SQL_101, 0, 0, 95.0),
        progress(GRACE, SQL_101, 1, 0, "in_progress"),
        progress(GRACE, SQL_101, 2, 0, "completed"),
        browse(GRACE, SQL_101, 3, 0, 2),
        progress(LINUS, SQL_101, 0, 0, "completed"),
        progress(LINUS, SQL_101, 2, 1, "in_progress"),
        quiz(LINUS, SQL_101, 3, 0, 30.0),
        quiz(LINUS, ML_201, 0, 0, 88.8),
        browse(LINUS, ML_201, 1, 0, 7));
  }
}
