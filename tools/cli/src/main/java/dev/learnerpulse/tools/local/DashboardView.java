package dev.learnerpulse.tools.local;

import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.pipeline.OutcomeReport;
import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.sinks.redis.RedisUrl;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The local run's terminal view: what a dashboard would show, read back from the Redis keys the
 * pipeline writes (docs/redis.md) with plain commands, plus the run's outcome counts. Each {@link
 * #render} opens nothing new: it reads over one connection that lives as long as the view.
 */
final class DashboardView implements AutoCloseable {
  static final int TOP = 3;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Jedis jedis;
  private final DashboardKeys keys;

  private DashboardView(Jedis jedis, DashboardKeys keys) {
    this.jedis = jedis;
    this.keys = keys;
  }

  /** A view of the dashboard under {@code prefix} in the Redis of {@code redisUrl}. */
  static DashboardView open(String redisUrl, String prefix) {
    return new DashboardView(
        RedisUrl.parse(redisUrl, null).connect(), DashboardKeys.withPrefix(prefix));
  }

  /** A course as a tenant sees it; a null tenant for rows no reference data attributed. */
  record TenantCourse(@Nullable String tenant, String course) {
    String label() {
      return (tenant == null ? "-" : tenant) + "/" + course;
    }
  }

  /**
   * Every tenant's courses, from the writer's indexes (no SCAN), sorted by tenant and course, with
   * the rows of no tenant last; courses whose keys have expired or moved are left out.
   */
  List<TenantCourse> courses() {
    List<@Nullable String> tenants =
        new ArrayList<>(new TreeSet<>(jedis.zrange(keys.tenants(), 0, -1)));
    tenants.add(null);
    List<TenantCourse> courses = new ArrayList<>();
    for (String tenant : tenants) {
      for (String course : new TreeSet<>(jedis.zrange(keys.courses(tenant), 0, -1))) {
        if (jedis.exists(keys.live(tenant, course))) {
          courses.add(new TenantCourse(tenant, course));
        }
      }
    }
    return courses;
  }

  /** Learner hashes (one per learner and course): each has its entry in its course's engagement. */
  long learnerHashes() {
    long n = 0;
    for (TenantCourse c : courses()) {
      n += jedis.zcard(keys.engagement(c.tenant(), c.course()));
    }
    return n;
  }

  /** The freshness hash: newest window end written and when. */
  Map<String, String> freshness() {
    return jedis.hgetAll(keys.freshness());
  }

  /** One line: newest window end written, how far it is from now, and the last write's age. */
  String freshnessLine(long nowMillis) {
    Map<String, String> f = freshness();
    if (f.get("window_end_ms") == null) {
      return "freshness   nothing written to Redis yet";
    }
    long windowEnd = Long.parseLong(f.get("window_end_ms"));
    long writtenAt = Long.parseLong(f.getOrDefault("written_at_ms", "0"));
    return String.format(
        "freshness   newest window end %s UTC (%s), last write %.1fs ago",
        TIME.format(java.time.Instant.ofEpochMilli(windowEnd)),
        relative(windowEnd - nowMillis),
        (nowMillis - writtenAt) / 1000.0);
  }

  private static String relative(long millis) {
    long s = Math.round(millis / 1000.0);
    return s > 0 ? "in " + s + "s" : s == 0 ? "now" : -s + "s ago";
  }

  /** Outcome totals over all topics, and dead letters per reason. */
  static String outcomesLine(@Nullable OutcomeReport report) {
    if (report == null) {
      return "outcomes    (no metrics yet)";
    }
    long input = 0;
    Map<Outcome, Long> totals = new TreeMap<>();
    for (String topic : report.topics()) {
      input += report.input(topic);
      for (Outcome outcome : Outcome.values()) {
        totals.merge(outcome, report.count(topic, outcome), Long::sum);
      }
    }
    StringBuilder line = new StringBuilder("outcomes    input ").append(input);
    for (Outcome outcome : Outcome.values()) {
      line.append("  ")
          .append(outcome.label())
          .append(' ')
          .append(totals.getOrDefault(outcome, 0L));
    }
    Map<String, Long> reasons = new TreeMap<>();
    for (ReasonCode reason : ReasonCode.values()) {
      long n = report.reason(reason.name());
      if (n > 0) {
        reasons.put(reason.name(), n);
      }
    }
    if (!reasons.isEmpty()) {
      line.append("\n            dead letters by reason ").append(reasons);
    }
    return line.toString();
  }

  /** The course table: newest window, learners, score, completion, risk and the top engaged. */
  String courseTable() {
    List<TenantCourse> courses = courses();
    if (courses.isEmpty()) {
      return "courses     none in Redis yet\n";
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-16s %-8s %6s %6s %9s %9s %7s  %-22s %s%n",
            "tenant/course",
            "window",
            "active",
            "scored",
            "avg score",
            "completed",
            "at risk",
            "at-risk learners",
            "top engaged (engagement score)"));
    for (TenantCourse c : courses) {
      Map<String, String> live = jedis.hgetAll(keys.live(c.tenant(), c.course()));
      long completed = jedis.scard(keys.completed(c.tenant(), c.course()));
      List<String> atRisk =
          new ArrayList<>(new TreeSet<>(jedis.smembers(keys.atRisk(c.tenant(), c.course()))));
      List<Tuple> top =
          jedis.zrevrangeWithScores(keys.engagement(c.tenant(), c.course()), 0, TOP - 1);
      StringBuilder topText = new StringBuilder();
      for (Tuple t : top) {
        topText.append(String.format("%s %s  ", t.getElement(), number(t.getScore())));
      }
      String windowStart = live.get("window_start_ms");
      out.append(
          String.format(
              "%-16s %-8s %6s %6s %9s %9d %7d  %-22s %s%n",
              c.label(),
              windowStart == null
                  ? "-"
                  : TIME.format(java.time.Instant.ofEpochMilli(Long.parseLong(windowStart))),
              live.getOrDefault("active_learners", "0"),
              live.getOrDefault("scored_learners", "0"),
              live.getOrDefault("avg_score_pct", "-"),
              completed,
              atRisk.size(),
              abbreviate(String.join(",", atRisk), 22),
              topText.toString().trim()));
    }
    return out.toString();
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : String.format("%.2f", value);
  }

  private static String abbreviate(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 3) + "...";
  }

  /** The whole view under {@code header} lines. */
  String render(String header, @Nullable OutcomeReport report, long nowMillis) {
    return header
        + "\n"
        + outcomesLine(report)
        + "\n"
        + freshnessLine(nowMillis)
        + "\n"
        + String.format("redis       %d learner-course hashes%n", learnerHashes())
        + "\n"
        + courseTable();
  }

  @Override
  public void close() {
    jedis.close();
  }
}
