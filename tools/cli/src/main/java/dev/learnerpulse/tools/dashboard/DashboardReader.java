package dev.learnerpulse.tools.dashboard;

import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.sinks.redis.RedisEndpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

/**
 * Everything the web dashboard shows, read from the keys the pipeline writes (docs/redis.md), with
 * every key name built by {@link DashboardKeys}: this class is the one place that knows the layout
 * on the reading side. Each call reads one tenant's keys only, so no page can mix tenants.
 *
 * <p>One connection, used by one request at a time: a page asks once a second and each answer is a
 * few pipelined commands, so a lock costs less than a pool. A broken connection is reopened by the
 * next call.
 */
final class DashboardReader implements AutoCloseable {
  /** How far back the course chart goes. */
  static final long CHART_SPAN_MILLIS = 60 * 60_000L;

  /** At most this many windows in the chart, whatever the window size. */
  static final int CHART_MAX_WINDOWS = 240;

  static final int LEADERBOARD = 10;
  static final int AT_RISK_SHOWN = 100;
  static final int ALERTS_SHOWN = 20;

  private final RedisEndpoint endpoint;
  private final DashboardKeys keys;
  private @Nullable Jedis jedis;

  DashboardReader(RedisEndpoint endpoint, DashboardKeys keys) {
    this.endpoint = endpoint;
    this.keys = keys;
  }

  String address() {
    return endpoint.address();
  }

  /** The tenants, sorted; {@link DashboardKeys#NO_TENANT} stands for rows without a tenant. */
  synchronized List<String> tenants() {
    return read(
        redis -> {
          List<String> tenants = new ArrayList<>(redis.zrange(keys.tenants(), 0, -1));
          tenants.sort(Comparator.naturalOrder());
          if (redis.exists(keys.courses(null))) {
            tenants.add(DashboardKeys.NO_TENANT);
          }
          return tenants;
        });
  }

  /** The tenant's courses with their newest window at a glance, sorted by course id. */
  synchronized List<CourseGlance> courses(String tenant) {
    @Nullable String t = tenantId(tenant);
    return read(
        redis -> {
          List<String> courses = new ArrayList<>(redis.zrange(keys.courses(t), 0, -1));
          courses.sort(Comparator.naturalOrder());
          List<Response<Map<String, String>>> live = new ArrayList<>();
          try (Pipeline p = redis.pipelined()) {
            for (String course : courses) {
              live.add(p.hgetAll(keys.live(t, course)));
            }
            p.sync();
          }
          List<CourseGlance> glances = new ArrayList<>();
          for (int i = 0; i < courses.size(); i++) {
            glances.add(CourseGlance.of(courses.get(i), live.get(i).get()));
          }
          return glances;
        });
  }

  /** One course: its newest window, who is at risk, the leaderboard and the last hour's windows. */
  synchronized CourseDetail course(String tenant, String course) {
    @Nullable String t = tenantId(tenant);
    return read(
        redis -> {
          Map<String, String> live = redis.hgetAll(keys.live(t, course));
          List<Tuple> top =
              redis.zrevrangeWithScores(keys.engagement(t, course), 0, LEADERBOARD - 1);
          List<Ranked> leaderboard = new ArrayList<>();
          for (Tuple entry : top) {
            leaderboard.add(new Ranked(entry.getElement(), entry.getScore()));
          }
          return new CourseDetail(
              course,
              CourseGlance.of(course, live),
              atRisk(redis, t, course),
              leaderboard,
              windows(redis, t, course, top.isEmpty() ? null : top.get(0).getElement()));
        });
  }

  private List<AtRisk> atRisk(Jedis redis, @Nullable String t, String course) {
    List<String> learners = new ArrayList<>(redis.smembers(keys.atRisk(t, course)));
    List<Response<List<String>>> marks = new ArrayList<>();
    try (Pipeline p = redis.pipelined()) {
      for (String learner : learners) {
        marks.add(
            p.hmget(
                keys.learner(t, course, learner),
                "avg_score_pct",
                "passing_score_pct",
                "window_start"));
      }
      p.sync();
    }
    List<AtRisk> atRisk = new ArrayList<>();
    for (int i = 0; i < learners.size(); i++) {
      List<String> m = marks.get(i).get();
      atRisk.add(new AtRisk(learners.get(i), number(m.get(0)), number(m.get(1)), m.get(2)));
    }
    atRisk.sort(
        Comparator.comparing((AtRisk a) -> a.scorePct() == null ? Double.MAX_VALUE : a.scorePct())
            .thenComparing(AtRisk::learner));
    return atRisk.size() > AT_RISK_SHOWN ? atRisk.subList(0, AT_RISK_SHOWN) : atRisk;
  }

  /**
   * The windows of the hour up to the course's newest one. Windows are named by their start, and
   * their size is the newest learner hash's {@code window_end - window_start}: the job uses one
   * size. A window without a summary had nobody active (or has expired): it shows as zero.
   */
  private List<WindowPoint> windows(
      Jedis redis, @Nullable String t, String course, @Nullable String anyLearner) {
    String current = redis.get(keys.currentWindow(t, course));
    if (current == null || anyLearner == null) {
      return List.of();
    }
    long newest = Long.parseLong(current);
    List<String> bounds =
        redis.hmget(keys.learner(t, course, anyLearner), "window_start", "window_end");
    if (bounds.get(0) == null || bounds.get(1) == null) {
      return List.of();
    }
    long size = Instant.parse(bounds.get(1)).getMillis() - Instant.parse(bounds.get(0)).getMillis();
    if (size <= 0) {
      return List.of();
    }
    int count = (int) Math.min(CHART_MAX_WINDOWS, CHART_SPAN_MILLIS / size);
    List<Long> starts = new ArrayList<>();
    List<Response<Map<String, String>>> summaries = new ArrayList<>();
    try (Pipeline p = redis.pipelined()) {
      for (int i = count - 1; i >= 0; i--) {
        long start = newest - i * size;
        starts.add(start);
        summaries.add(p.hgetAll(keys.windowSummary(t, course, new Instant(start))));
      }
      p.sync();
    }
    List<WindowPoint> points = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      Map<String, String> summary = summaries.get(i).get();
      points.add(
          new WindowPoint(
              starts.get(i),
              whole(summary.get("active_learners")),
              number(summary.get("avg_score_pct"))));
    }
    return points;
  }

  /** The learner's newest window in the course: every field the pipeline wrote, by name. */
  synchronized LearnerDetail learner(String tenant, String course, String learner) {
    @Nullable String t = tenantId(tenant);
    return read(
        redis -> {
          Map<String, String> fields =
              new TreeMap<>(redis.hgetAll(keys.learner(t, course, learner)));
          Long rank = redis.zrevrank(keys.engagement(t, course), learner);
          long ranked = redis.zcard(keys.engagement(t, course));
          return new LearnerDetail(learner, course, fields, rank == null ? null : rank + 1, ranked);
        });
  }

  /** The newest window end written and the wall clock of the newest write, for all tenants. */
  synchronized Map<String, String> freshness() {
    return read(redis -> redis.hgetAll(keys.freshness()));
  }

  /** The tenant's newest alerts, newest first, as the alert sink wrote them. */
  synchronized List<Alert> alerts(String tenant) {
    @Nullable String t = tenantId(tenant);
    return read(
        redis -> {
          List<StreamEntry> entries =
              redis.xrevrange(
                  keys.alerts(t), StreamEntryID.MAXIMUM_ID, StreamEntryID.MINIMUM_ID, ALERTS_SHOWN);
          List<Alert> alerts = new ArrayList<>();
          for (StreamEntry entry : entries) {
            alerts.add(
                new Alert(
                    entry.getID().toString(),
                    entry.getID().getTime(),
                    new LinkedHashMap<>(entry.getFields())));
          }
          return alerts;
        });
  }

  /** The tenant id a page asked for; {@link DashboardKeys#NO_TENANT} is the rows without one. */
  static @Nullable String tenantId(String tenant) {
    return DashboardKeys.NO_TENANT.equals(tenant) ? null : tenant;
  }

  private interface Read<T> {
    T from(Jedis redis);
  }

  private <T> T read(Read<T> read) {
    if (jedis == null || !jedis.isConnected() || jedis.isBroken()) {
      close();
      jedis = endpoint.connect();
    }
    try {
      return read.from(jedis);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (jedis != null) {
      try {
        jedis.close();
      } catch (RuntimeException e) {
        // already broken
      }
      jedis = null;
    }
  }

  private static @Nullable Double number(@Nullable String text) {
    return text == null || text.isEmpty() ? null : Double.valueOf(text);
  }

  private static long whole(@Nullable String text) {
    return text == null || text.isEmpty() ? 0 : Long.parseLong(text);
  }

  /** A course's newest window: the {@code live} hash. */
  record CourseGlance(
      String course,
      @Nullable String windowStart,
      long activeLearners,
      long scoredLearners,
      @Nullable Double avgScorePct,
      long completedLearners,
      long atRiskLearners) {
    static CourseGlance of(String course, Map<String, String> live) {
      return new CourseGlance(
          course,
          live.get("window_start"),
          whole(live.get("active_learners")),
          whole(live.get("scored_learners")),
          number(live.get("avg_score_pct")),
          whole(live.get("completed_learners")),
          whole(live.get("at_risk_learners")));
    }
  }

  record AtRisk(
      String learner,
      @Nullable Double scorePct,
      @Nullable Double passingScorePct,
      @Nullable String windowStart) {}

  record Ranked(String learner, double engagementScore) {}

  record WindowPoint(long startMs, long activeLearners, @Nullable Double avgScorePct) {}

  record CourseDetail(
      String course,
      CourseGlance live,
      List<AtRisk> atRisk,
      List<Ranked> leaderboard,
      List<WindowPoint> windows) {}

  record LearnerDetail(
      String learner,
      String course,
      Map<String, String> fields,
      @Nullable Long engagementRank,
      long rankedLearners) {}

  record Alert(String id, long atMs, Map<String, String> fields) {}
}
