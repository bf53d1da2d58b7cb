package dev.learnerpulse.sinks.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The key layout: readable for ordinary ids, unambiguous for any id, one Cluster slot a course. */
class DashboardKeysTest {
  private static final DashboardKeys KEYS = DashboardKeys.withPrefix("lp");
  private static final Instant W = Instant.parse("2026-11-20T09:00:00Z");

  /** Characters that broke or could break a layout: separators, braces, escapes, odd unicode. */
  private static final String[] PIECES = {
    "x",
    "y",
    "z",
    ":",
    "course",
    ":course:",
    "{",
    "}",
    "%",
    "%3A",
    "%u",
    " ",
    "\t",
    "~",
    "~none",
    "~empty",
    "é",
    "\u00e9",
    "e\u0301",
    "😀",
    "\uD83D",
    "\uDE00",
    "\u0000",
    "/",
    "*",
    "-",
    "L-ada"
  };

  /** What a segment may hold: no separator, brace, whitespace or other character. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._@%~-]+");

  record Triple(@Nullable String tenant, String course, String learner) {}

  @Test
  void ordinaryIdsReadAsTheyAre() {
    assertEquals(
        "lp:tenant:T-acme:course:{C-sql-101}:learner:L-ada",
        KEYS.learner("T-acme", "C-sql-101", "L-ada"));
    assertEquals("lp:tenant:T-acme:course:{C-sql-101}:live", KEYS.live("T-acme", "C-sql-101"));
    assertEquals(
        "lp:tenant:T-acme:course:{C-sql-101}:window:1795165200000:active",
        KEYS.windowActive("T-acme", "C-sql-101", W));
    assertEquals("lp:tenant:~none:course:{C-sql-101}:live", KEYS.live(null, "C-sql-101"));
    assertEquals("lp:tenants", KEYS.tenants());
    assertEquals("lp:tenant:T-acme:courses", KEYS.courses("T-acme"));
    assertEquals("lp:tenant:~none:courses", KEYS.courses(null));
    assertEquals("lp:tenant:T-acme:alerts", KEYS.alerts("T-acme"));
    assertEquals("lp:pipeline:freshness", KEYS.freshness());
  }

  @Test
  void theIssuesCollisionGivesTwoKeys() {
    String acme = KEYS.learner("acme", "z", "x:course:y");
    String globex = KEYS.learner("globex", "y:course:z", "x");
    assertEquals("lp:tenant:acme:course:{z}:learner:x%3Acourse%3Ay", acme);
    assertEquals("lp:tenant:globex:course:{y%3Acourse%3Az}:learner:x", globex);
    // The same ids in one tenant: still two keys.
    assertNotEquals(
        KEYS.learner("acme", "z", "x:course:y"), KEYS.learner("acme", "y:course:z", "x"));
  }

  @Test
  void distinctTriplesGiveDistinctKeysAndSegmentsRoundTrip() {
    long seed = 20261203L;
    Random random = new Random(seed);
    Map<String, List<Object>> seen = new HashMap<>();
    List<Triple> triples = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String tenant = random.nextInt(8) == 0 ? null : id(random);
      triples.add(new Triple(tenant, id(random), id(random)));
    }
    triples.add(new Triple(null, "", ""));
    triples.add(new Triple("", "", ""));
    triples.add(new Triple("~none", "~empty", ""));
    for (Triple t : triples) {
      List<String> keys = keysOf(t);
      for (int kind = 0; kind < keys.size(); kind++) {
        // What the key stands for: a learner's keys the triple, a course's (tenant, course),
        // the course's learner -> tenant hash the course, a tenant's the tenant.
        List<Object> meaning =
            switch (kind) {
              case 0, 10 -> Arrays.asList(kind, t.tenant(), t.course(), t.learner());
              case 11 -> Arrays.asList(kind, t.course());
              case 12, 13 -> Arrays.asList(kind, t.tenant());
              default -> Arrays.asList(kind, t.tenant(), t.course());
            };
        String key = keys.get(kind);
        List<Object> before = seen.putIfAbsent(key, meaning);
        assertTrue(
            before == null || before.equals(meaning),
            () -> "seed " + seed + ": " + before + " and " + meaning + " share " + key);
      }
      for (String id : new String[] {t.tenant(), t.course(), t.learner()}) {
        if (id != null) {
          String segment = DashboardKeys.segment(id);
          assertEquals(id, DashboardKeys.id(segment), () -> "seed " + seed);
          assertTrue(SEGMENT.matcher(segment).matches(), segment);
        }
      }
      String learner = KEYS.learner(t.tenant(), t.course(), t.learner());
      assertTrue(KEYS.isLearnerHash(learner), () -> learner);
      assertEquals(t.tenant(), DashboardKeys.id(learner.split(":")[2]));
    }
    assertNull(DashboardKeys.id(DashboardKeys.NO_TENANT));
  }

  @Test
  void everyKeyOfACoursePaneIsInTheCourseSlotWhateverTheTenant() {
    for (String course : List.of("C-sql-101", "", "y:course:z", "{}", "a}b{c", "😀 %")) {
      int slot = JedisClusterCRC16.getSlot("{" + DashboardKeys.segment(course) + "}");
      for (String tenant : new String[] {"acme", null, "{globex}", ""}) {
        for (String key : KEYS.paneKeys(tenant, course, "L:{1}", W)) {
          assertEquals(slot, JedisClusterCRC16.getSlot(key), key);
          assertEquals(1, key.chars().filter(c -> c == '{').count(), key);
        }
      }
    }
  }

  @Test
  void onlyLearnerHashesAreLearnerHashes() {
    assertTrue(KEYS.isLearnerHash(KEYS.learner("acme", "C", "L")));
    assertFalse(KEYS.isLearnerHash(KEYS.learnerWindows("acme", "C", "L")));
    assertFalse(KEYS.isLearnerHash(KEYS.live("acme", "C")));
    assertFalse(KEYS.isLearnerHash("lp:learner:L:course:C"));
    assertFalse(DashboardKeys.withPrefix("other").isLearnerHash(KEYS.learner("acme", "C", "L")));
  }

  @Test
  void prefixesThatWouldMoveTheHashTagAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> DashboardKeys.withPrefix("lp{x}"));
    assertThrows(IllegalArgumentException.class, () -> DashboardKeys.withPrefix("l p"));
    assertThrows(IllegalArgumentException.class, () -> DashboardKeys.withPrefix(""));
    assertThrows(IllegalArgumentException.class, () -> DashboardKeys.id("a:b"));
    assertThrows(IllegalArgumentException.class, () -> DashboardKeys.id("%4"));
  }

  /** Every key one pane's script is given, then the tenant's. */
  private static List<String> keysOf(Triple t) {
    List<String> keys = new ArrayList<>(KEYS.paneKeys(t.tenant(), t.course(), t.learner(), W));
    keys.add(KEYS.courses(t.tenant()));
    keys.add(KEYS.alerts(t.tenant()));
    return keys;
  }

  /** An id of up to four pieces, some of them random code points. */
  private static String id(Random random) {
    StringBuilder id = new StringBuilder();
    int n = random.nextInt(5);
    for (int i = 0; i < n; i++) {
      if (random.nextInt(4) == 0) {
        id.appendCodePoint(random.nextInt(0x11000));
      } else {
        id.append(PIECES[random.nextInt(PIECES.length)]);
      }
    }
    return id.toString();
  }
}
