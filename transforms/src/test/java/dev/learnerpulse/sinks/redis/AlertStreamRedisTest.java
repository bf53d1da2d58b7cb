package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.GRACE;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static org.junit.Assert.assertEquals;

import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerAlert.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/** The alert stream write on the DirectRunner against a real Redis. */
public class AlertStreamRedisTest {
  private static final DashboardKeys KEYS = DashboardKeys.withPrefix("lp");
  private static final Instant AT = Instant.parse("2026-11-20T09:00:30Z");

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

  private static AlertStreamRedis.Write write() {
    return AlertStreamRedis.write().withEndpoint(redis.endpoint()).withKeyPrefix("lp");
  }

  private static LearnerAlert alert(
      String id, Kind kind, String tenant, String learner, Double mean) {
    return LearnerAlert.create(
        id,
        kind,
        tenant,
        learner,
        SQL_101,
        AT,
        mean,
        mean == null ? null : 70.0,
        "lxp.assessments.assessment_events",
        1,
        42,
        AT.plus(Duration.millis(5)),
        "lxp.assessments.assessment_events|c|" + id + "|ord=1");
  }

  private static List<Map<String, String>> stream(String key) {
    try (Jedis jedis = redis.client()) {
      List<Map<String, String>> entries = new ArrayList<>();
      for (StreamEntry entry : jedis.xrange(key, (StreamEntryID) null, (StreamEntryID) null)) {
        entries.add(entry.getFields());
      }
      return entries;
    }
  }

  @Test
  public void eachAlertGoesToItsTenantsStreamWithItsFields() {
    p.apply(
            Create.of(
                alert("a-1", Kind.AT_RISK, "acme", ADA, 65.5),
                alert("a-2", Kind.CERTIFICATE_ISSUED, null, GRACE, null)))
        .apply(write());
    p.run().waitUntilFinish();

    Map<String, String> atRisk = new LinkedHashMap<>();
    atRisk.put("alert_id", "a-1");
    atRisk.put("kind", "AT_RISK");
    atRisk.put("tenant_id", "acme");
    atRisk.put("learner_id", ADA);
    atRisk.put("course_id", SQL_101);
    atRisk.put("event_time", "2026-11-20T09:00:30.000Z");
    atRisk.put("avg_score_pct", "65.5");
    atRisk.put("passing_score_pct", "70");
    atRisk.put("topic", "lxp.assessments.assessment_events");
    atRisk.put("partition", "1");
    atRisk.put("offset", "42");
    atRisk.put("kafka_timestamp", "2026-11-20T09:00:30.005Z");
    atRisk.put("identity", "lxp.assessments.assessment_events|c|a-1|ord=1");
    assertEquals(List.of(atRisk), stream(KEYS.alerts("acme")));
    assertEquals(1, stream(KEYS.alerts(null)).size());
    assertEquals("CERTIFICATE_ISSUED", stream(KEYS.alerts(null)).get(0).get("kind"));
  }

  /** The same alert in one bundle, in a second run (a replay): added once. */
  @Test
  public void aRepeatedAlertIsAddedOnce() {
    LearnerAlert issued = alert("a-3", Kind.CERTIFICATE_ISSUED, "acme", ADA, null);
    p.apply(Create.of(issued, issued)).apply(write());
    PipelineResult first = p.run();
    first.waitUntilFinish();

    TestPipeline again = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    again.apply(Create.of(issued)).apply(write());
    again.run().waitUntilFinish();

    assertEquals(
        List.of("a-3"), stream(KEYS.alerts("acme")).stream().map(e -> e.get("alert_id")).toList());
    try (Jedis jedis = redis.client()) {
      long ttl = jedis.pttl(KEYS.alertAdded("a-3"));
      assertEquals(true, ttl > 0 && ttl <= AlertStreamRedis.DEFAULT_ADDED_TTL.getMillis());
    }
  }

  /** MAXLEN ~ trims by whole nodes: never below the bound, and far below what was added. */
  @Test
  public void theStreamIsBounded() {
    List<LearnerAlert> many = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      many.add(alert("m-" + i, Kind.AT_RISK, "acme", ADA, 50.0));
    }
    p.apply(Create.of(many)).apply(write().withMaxLen(100).withBatchSize(50));
    p.run().waitUntilFinish();

    try (Jedis jedis = redis.client()) {
      long length = jedis.xlen(KEYS.alerts("acme"));
      assertEquals("length " + length, true, length >= 100 && length < 300);
    }
  }
}
