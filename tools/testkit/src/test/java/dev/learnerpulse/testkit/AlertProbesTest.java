package dev.learnerpulse.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.learnerpulse.sinks.redis.DashboardKeys;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * The alert benchmark's matching, against a real Redis stream written as the alert sink writes it:
 * only the probes' own certificate alerts count, once each, from the entry newest at the start.
 */
class AlertProbesTest {
  private static final DashboardKeys KEYS = DashboardKeys.withPrefix("lp");

  private static void alert(Jedis jedis, String kind, String learner, String course) {
    jedis.xadd(
        KEYS.alerts(SyntheticChanges.TENANT),
        StreamEntryID.NEW_ENTRY,
        Map.of(
            "kind",
            kind,
            "tenant_id",
            SyntheticChanges.TENANT,
            "learner_id",
            learner,
            "course_id",
            course));
  }

  @Test
  void everyProbeHasAPairOfItsOwn() {
    Set<String> pairs = new HashSet<>();
    for (int n = 0; n < 10_000; n++) {
      pairs.add(AlertProbes.learner(n) + "|" + AlertProbes.course(n));
    }
    assertEquals(10_000, pairs.size());
    assertEquals("P000", AlertProbes.learner(100));
    assertEquals("A00001", AlertProbes.course(100));
  }

  @Test
  void eachProbeAlertCountsOnceAsReadTimeMinusSendTimeTheRestAreMissing() {
    String p0 = AlertProbes.learner(0);
    String c0 = AlertProbes.course(0);
    String p1 = AlertProbes.learner(1);
    String c1 = AlertProbes.course(1);
    try (EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        Jedis jedis = new Jedis(redis.host(), redis.port())) {
      // Before the probes start: not theirs, even with a probe's learner and course.
      alert(jedis, "CERTIFICATE_ISSUED", p0, c0);
      try (AlertProbes probes = new AlertProbes(redis.host(), redis.port(), KEYS)) {
        probes.sent(p0, c0, 1_000);
        probes.sent(p1, c1, 1_010);
        probes.sent(AlertProbes.learner(100), AlertProbes.course(100), 9_000);

        // The background load's alert, another kind for a probe, the probe's alert and a copy.
        alert(jedis, "CERTIFICATE_ISSUED", "L00001", "C03");
        alert(jedis, "AT_RISK", p1, c1);
        alert(jedis, "CERTIFICATE_ISSUED", p0, c0);
        alert(jedis, "CERTIFICATE_ISSUED", p0, c0);
        probes.received(probes.read(100), 1_500);
        assertEquals(new LatencyProbes.Result(List.of(500L), 1), probes.between(0, 2_000));
        assertEquals(new LatencyProbes.Result(List.of(500L), 2), probes.between(0, 10_000));

        alert(jedis, "CERTIFICATE_ISSUED", p1, c1);
        probes.received(probes.read(100), 2_000);
        assertEquals(new LatencyProbes.Result(List.of(500L, 990L), 0), probes.between(0, 2_000));
        assertEquals(new LatencyProbes.Result(List.of(500L, 990L), 1), probes.between(0, 10_000));
        assertEquals(new LatencyProbes.Result(List.of(), 1), probes.between(2_000, 10_000));
      }
    }
  }
}
