package dev.learnerpulse.sinks;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.TooLateEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The output tables as rows with the contract's field names, in the contract's order: timestamps as
 * ISO-8601 UTC text, enumerations by name. The one place where output field names are spelled; JSON
 * lines, the warehouse and the dashboard cache all start from these rows.
 */
public final class OutputRows {
  public static final String METRICS_TABLE = "learner_window_metrics";
  public static final String DEAD_LETTERS_TABLE = "dead_letters";
  public static final String TOO_LATE_TABLE = "too_late_events";
  public static final String ALERTS_TABLE = "learner_alerts";

  private OutputRows() {}

  public static Map<String, Object> of(LearnerWindowMetrics m) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("tenant_id", m.getTenantId());
    row.put("learner_id", m.getLearnerId());
    row.put("course_id", m.getCourseId());
    row.put("window_start", iso(m.getWindowStart()));
    row.put("window_end", iso(m.getWindowEnd()));
    row.put("interactions", m.getInteractions());
    row.put("active_seconds", m.getActiveSeconds());
    row.put("assessments", m.getAssessments());
    row.put("avg_score_pct", m.getAvgScorePct());
    row.put("best_score_pct", m.getBestScorePct());
    row.put("passing_score_pct", m.getPassingScorePct());
    row.put("final_passed", m.getFinalPassed());
    row.put("progress_pct", m.getProgressPct());
    row.put("progress_status", m.getProgressStatus());
    row.put("completed", m.getCompleted());
    row.put("certification_state", m.getCertificationState());
    row.put("engagement_score", m.getEngagementScore());
    row.put("at_risk", m.getAtRisk());
    row.put("enriched", m.getEnriched());
    row.put("events", m.getEvents());
    row.put("pane_index", m.getPaneIndex());
    row.put("pane_timing", m.getPaneTiming().name());
    return row;
  }

  public static Map<String, Object> of(DeadLetter d) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("topic", d.getTopic());
    row.put("partition", d.getPartition());
    row.put("offset", d.getOffset());
    row.put("kafka_timestamp", iso(d.getKafkaTimestamp()));
    row.put("key", d.getKey());
    row.put("value", d.getValue());
    row.put("value_encoding", d.getValueEncoding().name());
    row.put("reason", d.getReason().name());
    row.put("detail", d.getDetail());
    row.put("seen_at", iso(d.getSeenAt()));
    return row;
  }

  public static Map<String, Object> of(TooLateEvent t) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("topic", t.getTopic());
    row.put("partition", t.getPartition());
    row.put("offset", t.getOffset());
    row.put("kafka_timestamp", iso(t.getKafkaTimestamp()));
    row.put("source_table", t.getSourceTable().name().toLowerCase(java.util.Locale.ROOT));
    row.put("op", t.getOp().code());
    row.put("learner_id", t.getLearnerId());
    row.put("course_id", t.getCourseId());
    row.put("event_time", iso(t.getEventTime()));
    row.put("window_start", iso(t.getWindowStart()));
    row.put("window_end", iso(t.getWindowEnd()));
    row.put("expired_at", iso(t.getExpiredAt()));
    row.put("identity", t.getIdentity());
    row.put("seen_at", iso(t.getSeenAt()));
    return row;
  }

  public static Map<String, Object> of(LearnerAlert a) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("alert_id", a.getAlertId());
    row.put("kind", a.getKind().name());
    row.put("tenant_id", a.getTenantId());
    row.put("learner_id", a.getLearnerId());
    row.put("course_id", a.getCourseId());
    row.put("event_time", iso(a.getEventTime()));
    row.put("avg_score_pct", a.getAvgScorePct());
    row.put("passing_score_pct", a.getPassingScorePct());
    row.put("topic", a.getTopic());
    row.put("partition", a.getPartition());
    row.put("offset", a.getOffset());
    row.put("kafka_timestamp", iso(a.getKafkaTimestamp()));
    row.put("identity", a.getIdentity());
    return row;
  }

  static @Nullable String iso(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
