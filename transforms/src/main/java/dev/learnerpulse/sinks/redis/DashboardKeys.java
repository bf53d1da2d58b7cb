package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.sinks.redis.Args.checkArgument;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The dashboard's key layout under one prefix (docs/redis.md describes it for readers). Windows are
 * named by their start in epoch milliseconds, which {@link #currentWindow(String)} holds, so a
 * reader goes from a course to its newest window's keys without parsing dates.
 */
public final class DashboardKeys implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_PREFIX = "lp";

  private final String prefix;

  private DashboardKeys(String prefix) {
    this.prefix = prefix;
  }

  public static DashboardKeys withPrefix(String prefix) {
    checkArgument(
        prefix != null && !prefix.isEmpty() && prefix.chars().noneMatch(Character::isWhitespace),
        "key prefix must be non-empty and without whitespace, was '%s'",
        prefix);
    return new DashboardKeys(prefix);
  }

  public String prefix() {
    return prefix;
  }

  /** HASH: the learner's newest window in the course (contract fields plus ordering marks). */
  public String learner(String learnerId, String courseId) {
    return prefix + ":learner:" + learnerId + ":course:" + courseId;
  }

  /** STRING: start (epoch ms) of the newest window the course has seen. */
  public String currentWindow(String courseId) {
    return course(courseId) + ":current_window";
  }

  /** HASH: the course's newest window at a glance. */
  public String live(String courseId) {
    return course(courseId) + ":live";
  }

  /** SET: learners whose newest progress change says completed. */
  public String completed(String courseId) {
    return course(courseId) + ":completed";
  }

  /** SET: learners whose newest scored window is below the course's passing score. */
  public String atRisk(String courseId) {
    return course(courseId) + ":at_risk";
  }

  /** ZSET: learner to engagement_score of the learner's newest window. */
  public String engagement(String courseId) {
    return course(courseId) + ":engagement";
  }

  /** ZSET: learner to engagement_score, for learners active in the window. */
  public String windowActive(String courseId, Instant windowStart) {
    return window(courseId, windowStart) + ":active";
  }

  /** ZSET: learner to avg_score_pct, for learners with an assessment in the window. */
  public String windowScores(String courseId, Instant windowStart) {
    return window(courseId, windowStart) + ":scores";
  }

  /** HASH: learner to the pane index last applied for the window (the window's ordering mark). */
  public String windowPanes(String courseId, Instant windowStart) {
    return window(courseId, windowStart) + ":panes";
  }

  /** HASH: counts and the average score of the window's learners. */
  public String windowSummary(String courseId, Instant windowStart) {
    return window(courseId, windowStart) + ":summary";
  }

  /** The common start of a course's window keys; the window's start in ms follows it. */
  String windowPrefix(String courseId) {
    return course(courseId) + ":window:";
  }

  /**
   * STREAM: the tenant's alerts, newest last (written by the alert sink, not by the dashboard
   * write); a null tenant is {@code ~none}.
   */
  public String alerts(@Nullable String tenant) {
    return prefix + ":alerts:" + (tenant == null ? "~none" : tenant);
  }

  /** STRING: marks an alert as added to its stream, so a replay of it adds nothing. */
  public String alertAdded(String alertId) {
    return prefix + ":alert_added:" + alertId;
  }

  /** HASH: newest window_end written and when, for freshness alerts. */
  public String freshness() {
    return prefix + ":pipeline:freshness";
  }

  private String course(String courseId) {
    return prefix + ":course:" + courseId;
  }

  private String window(String courseId, Instant windowStart) {
    return windowPrefix(courseId) + windowStart.getMillis();
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
