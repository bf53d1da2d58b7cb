package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.sinks.redis.Args.checkArgument;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The dashboard's key layout under one prefix, for the writer and for readers (docs/redis.md
 * describes it). A course's state is kept per tenant: {@code
 * lp:tenant:T-acme:course:{C-sql-101}:live}.
 *
 * <p>Every id is one <em>segment</em> ({@link #segment}): letters, digits and {@code - _ . @} stay
 * as they are, every other character is percent-encoded as UTF-8 ({@code :} is {@code %3A}, an
 * opening brace {@code %7B}); a null tenant is {@code ~none} and an empty id {@code ~empty}, which
 * no id encodes to. A segment thus never holds {@code :}, braces or whitespace, so distinct ids
 * always give distinct keys and ordinary ids read as they are in redis-cli.
 *
 * <p>The course segment is the key's Redis Cluster hash tag ({@code {C-sql-101}}): every key one
 * pane's script touches, under any tenant, is in the course's slot.
 *
 * <p>A reader lists without SCAN:
 *
 * <pre>{@code
 * DashboardKeys keys = DashboardKeys.withPrefix("lp");
 * for (String tenant : jedis.zrange(keys.tenants(), 0, -1)) {
 *   for (String course : jedis.zrange(keys.courses(tenant), 0, -1)) {
 *     Map<String, String> live = jedis.hgetAll(keys.live(tenant, course)); // empty: skip it
 *   }
 * }
 * }</pre>
 */
public final class DashboardKeys implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_PREFIX = "lp";

  /** The tenant segment of rows whose tenant_id is null (docs/contract.md §3.5). */
  public static final String NO_TENANT = "~none";

  private static final String EMPTY = "~empty";

  /** Ends a course's hash tag before a learner segment; segments hold neither brace nor colon. */
  private static final String LEARNER_TAG = "}:learner:";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final String prefix;

  private DashboardKeys(String prefix) {
    this.prefix = prefix;
  }

  /** Keys under {@code prefix}: no whitespace, and no braces, which would move the hash tag. */
  public static DashboardKeys withPrefix(String prefix) {
    checkArgument(
        prefix != null
            && !prefix.isEmpty()
            && prefix.chars().noneMatch(c -> Character.isWhitespace(c) || c == '{' || c == '}'),
        "key prefix must be non-empty and without whitespace or braces, was '%s'",
        prefix);
    return new DashboardKeys(prefix);
  }

  public String prefix() {
    return prefix;
  }

  // ---- Reader entry points: no SCAN needed.

  /**
   * ZSET: tenant_id to the newest window_end (epoch ms) written for it; null tenants not listed.
   */
  public String tenants() {
    return prefix + ":tenants";
  }

  /** ZSET: course_id to the newest window_end (epoch ms) written for the tenant's course. */
  public String courses(@Nullable String tenant) {
    return tenantHead(tenant) + ":courses";
  }

  /** STREAM: the tenant's alerts (written by the alert sink, not by the dashboard write). */
  public String alerts(@Nullable String tenant) {
    return tenantHead(tenant) + ":alerts";
  }

  /** STRING: marks an alert as added to its stream, so a replay of it adds nothing. */
  public String alertAdded(String alertId) {
    return prefix + ":alert_added:" + segment(alertId);
  }

  /** HASH: newest window_end written and when, for freshness alerts. */
  public String freshness() {
    return prefix + ":pipeline:freshness";
  }

  // ---- A tenant's course.

  /** HASH: the learner's newest window in the course (contract fields plus ordering marks). */
  public String learner(@Nullable String tenant, String courseId, String learnerId) {
    return course(tenant, courseId) + ":learner:" + segment(learnerId);
  }

  /** STRING: start (epoch ms) of the newest window the tenant's course has seen. */
  public String currentWindow(@Nullable String tenant, String courseId) {
    return course(tenant, courseId) + ":current_window";
  }

  /** HASH: the course's newest window at a glance. */
  public String live(@Nullable String tenant, String courseId) {
    return course(tenant, courseId) + ":live";
  }

  /** SET: learners whose newest progress change says completed. */
  public String completed(@Nullable String tenant, String courseId) {
    return course(tenant, courseId) + ":completed";
  }

  /** SET: learners whose newest scored window is below the course's passing score. */
  public String atRisk(@Nullable String tenant, String courseId) {
    return course(tenant, courseId) + ":at_risk";
  }

  /** ZSET: learner to engagement_score of the learner's newest window. */
  public String engagement(@Nullable String tenant, String courseId) {
    return course(tenant, courseId) + ":engagement";
  }

  /** ZSET: learner to engagement_score, for learners active in the window. */
  public String windowActive(@Nullable String tenant, String courseId, Instant windowStart) {
    return window(tenant, courseId, windowStart) + ":active";
  }

  /** ZSET: learner to avg_score_pct, for learners with an assessment in the window. */
  public String windowScores(@Nullable String tenant, String courseId, Instant windowStart) {
    return window(tenant, courseId, windowStart) + ":scores";
  }

  /** HASH: learner to the pane index last applied for the window (the window's ordering mark). */
  public String windowPanes(@Nullable String tenant, String courseId, Instant windowStart) {
    return window(tenant, courseId, windowStart) + ":panes";
  }

  /** HASH: counts and the average score of the window's learners. */
  public String windowSummary(@Nullable String tenant, String courseId, Instant windowStart) {
    return window(tenant, courseId, windowStart) + ":summary";
  }

  /** Whether {@code key} is a learner hash ({@link #learner}) under this prefix. */
  public boolean isLearnerHash(String key) {
    int at = key.indexOf(LEARNER_TAG);
    return key.startsWith(tenantHead())
        && at > 0
        && key.indexOf(':', at + LEARNER_TAG.length()) < 0;
  }

  // ---- The writer's bookkeeping.

  /** The KEYS of apply_pane.lua for one pane, in the script's order. */
  List<String> paneKeys(
      @Nullable String tenant, String courseId, String learnerId, Instant windowStart) {
    return List.of(
        learner(tenant, courseId, learnerId),
        windowActive(tenant, courseId, windowStart),
        windowScores(tenant, courseId, windowStart),
        windowPanes(tenant, courseId, windowStart),
        windowSummary(tenant, courseId, windowStart),
        completed(tenant, courseId),
        atRisk(tenant, courseId),
        currentWindow(tenant, courseId),
        engagement(tenant, courseId),
        live(tenant, courseId),
        learnerWindows(tenant, courseId, learnerId),
        learnerTenants(courseId));
  }

  /** ZSET: the windows (start ms) whose keys hold the learner, so a tenant change can move them. */
  String learnerWindows(@Nullable String tenant, String courseId, String learnerId) {
    return learner(tenant, courseId, learnerId) + ":windows";
  }

  /** HASH: learner to the tenant segment the learner's state in the course is kept under. */
  String learnerTenants(String courseId) {
    return prefix + ":learner_tenants:{" + segment(courseId) + "}";
  }

  /** The common start of a course's window keys; the window's start in ms follows it. */
  String windowPrefix(@Nullable String tenant, String courseId) {
    return course(tenant, courseId) + ":window:";
  }

  /** What every tenant-scoped key starts with, before the tenant's segment. */
  String tenantHead() {
    return prefix + ":tenant:";
  }

  private String tenantHead(@Nullable String tenant) {
    return tenantHead() + (tenant == null ? NO_TENANT : segment(tenant));
  }

  private String course(@Nullable String tenant, String courseId) {
    return tenantHead(tenant) + ":course:{" + segment(courseId) + "}";
  }

  private String window(@Nullable String tenant, String courseId, Instant windowStart) {
    return windowPrefix(tenant, courseId) + windowStart.getMillis();
  }

  // ---- Segments.

  /**
   * The id as one key segment: unchanged when it is only letters, digits and {@code - _ . @};
   * otherwise each other character percent-encoded as UTF-8 (a lone surrogate, which has no UTF-8,
   * as {@code %uD800}); the empty id is {@code ~empty}.
   */
  public static String segment(String id) {
    checkArgument(id != null, "a key's id can not be null");
    if (id.isEmpty()) {
      return EMPTY;
    }
    StringBuilder out = null;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (plain(c)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(id.length() + 16).append(id, 0, i);
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < id.length()
          && Character.isLowSurrogate(id.charAt(i + 1))) {
        escape(out, id.substring(i, i + 2));
        i++;
      } else if (Character.isSurrogate(c)) {
        out.append("%u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]);
        out.append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
      } else {
        escape(out, String.valueOf(c));
      }
    }
    return out == null ? id : out.toString();
  }

  /** The id a segment of a key or index stands for; null for {@link #NO_TENANT}. */
  public static @Nullable String id(String segment) {
    if (segment.equals(NO_TENANT)) {
      return null;
    }
    if (segment.equals(EMPTY)) {
      return "";
    }
    StringBuilder out = new StringBuilder(segment.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); ) {
      char c = segment.charAt(i);
      checkArgument(c == '%' || plain(c), "not a key segment: '%s'", segment);
      if (c == '%' && i + 1 < segment.length() && segment.charAt(i + 1) == 'u') {
        checkArgument(i + 6 <= segment.length(), "not a key segment: '%s'", segment);
        flush(bytes, out);
        out.append((char) Integer.parseInt(segment.substring(i + 2, i + 6), 16));
        i += 6;
      } else if (c == '%') {
        checkArgument(i + 3 <= segment.length(), "not a key segment: '%s'", segment);
        bytes.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        flush(bytes, out);
        out.append(c);
        i++;
      }
    }
    flush(bytes, out);
    return out.toString();
  }

  private static boolean plain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '@';
  }

  private static void escape(StringBuilder out, String chars) {
    for (byte b : chars.getBytes(StandardCharsets.UTF_8)) {
      out.append('%').append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
    }
  }

  private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
    if (bytes.size() > 0) {
      out.append(bytes.toString(StandardCharsets.UTF_8));
      bytes.reset();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DashboardKeys && ((DashboardKeys) o).prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }

  @Override
  public String toString() {
    return prefix + ":*";
  }
}
