package dev.learnerpulse.sinks.bigquery;

import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import dev.learnerpulse.sinks.OutputRows;
import java.util.List;

/**
 * The BigQuery tables of docs/contract.md §4.1, {@code learner_alerts} included, defined once:
 * schema, partitioning and clustering. The sink creates tables from these (with {@code
 * CREATE_IF_NEEDED}) and {@link ExportSchemas} writes the same schemas for Terraform, so the two
 * cannot drift.
 *
 * <p>Field names and order are those of {@link OutputRows}; {@code WarehouseTableTest} fails when
 * they differ. Types use BigQuery's legacy names (INTEGER, FLOAT, BOOLEAN) because that is how the
 * tables API reports them back, so Terraform sees no diff after applying; they are the same types
 * as INT64, FLOAT64 and BOOL.
 *
 * <p>Partitioning: metrics by day of {@code window_start} (the contract's choice: queries ask about
 * event-time days); dead letters by day of {@code seen_at}, because a dead letter may have no
 * usable event time at all and people look for "what was refused today"; too-late events by day of
 * {@code event_time}, so the days they missed line up with the metrics partitions they would have
 * changed; alerts by day of {@code event_time}, when the learner's state changed.
 */
public enum WarehouseTable {
  LEARNER_WINDOW_METRICS(
      OutputRows.METRICS_TABLE,
      "One pane of fused metrics per learner, course and event-time window; a later pane of the"
          + " same window replaces an earlier one (see learner_window_metrics_latest).",
      "window_start",
      List.of("tenant_id", "course_id"),
      List.of(
          nullable(
              "tenant_id",
              "STRING",
              "The learner's tenant from learners, else the course's from courses, else null."),
          required("learner_id", "STRING", "The learner of the key (learner_id, course_id)."),
          required("course_id", "STRING", "The course of the key (learner_id, course_id)."),
          required("window_start", "TIMESTAMP", "Start of the fixed event-time window, UTC."),
          required(
              "window_end", "TIMESTAMP", "End of the fixed event-time window (exclusive), UTC."),
          required(
              "interactions", "INTEGER", "course_interactions changes (op c or r) in the window."),
          required(
              "active_seconds",
              "FLOAT",
              "Sum of their duration_ms / 1000 (null duration counts 0), rounded to 2 decimals."),
          required(
              "assessments", "INTEGER", "assessment_events changes (op c or r) in the window."),
          nullable(
              "avg_score_pct",
              "FLOAT",
              "Mean of 100 * score / max_score over those attempts, rounded to 2 decimals."),
          nullable(
              "best_score_pct",
              "FLOAT",
              "Max of 100 * score / max_score over those attempts, rounded to 2 decimals."),
          required(
              "passing_score_pct",
              "FLOAT",
              "The course's passing_score_pct; 70.0 when the course is unknown."),
          required(
              "final_passed",
              "BOOLEAN",
              "Some attempt in the window has final = true and score pct >= passing_score_pct."),
          nullable(
              "progress_pct",
              "FLOAT",
              "From the learner_progress change (op c, r, u) with the latest event time in the"
                  + " window."),
          nullable("progress_status", "STRING", "That learner_progress change's status."),
          required("completed", "BOOLEAN", "progress_status = completed."),
          nullable(
              "certification_state",
              "STRING",
              "From the certification_state change with the latest event time in the window."),
          required(
              "engagement_score",
              "FLOAT",
              "min(100, 2 * interactions + active_seconds / 30 + 10 * assessments), rounded to 2"
                  + " decimals."),
          required(
              "at_risk",
              "BOOLEAN",
              "avg_score_pct is not null and avg_score_pct < passing_score_pct."),
          required(
              "enriched",
              "BOOLEAN",
              "Both the course and the learner were found in the reference data."),
          required("events", "INTEGER", "Valid changes of all four streams in the window."),
          required(
              "pane_index",
              "INTEGER",
              "Beam's pane index; the greatest one per key and window is the latest pane."),
          required("pane_timing", "STRING", "Beam's pane timing: EARLY, ON_TIME or LATE."))),

  DEAD_LETTERS(
      OutputRows.DEAD_LETTERS_TABLE,
      "Records that could not be used, kept whole with the reason; also output rows the warehouse"
          + " refused (reason WAREHOUSE_REJECTED).",
      "seen_at",
      List.of("reason", "topic"),
      List.of(
          required(
              "topic",
              "STRING",
              "Kafka topic of the record; for WAREHOUSE_REJECTED, the table that refused the row."),
          required("partition", "INTEGER", "Kafka partition of the record; -1 when none."),
          required("offset", "INTEGER", "Kafka offset of the record; -1 when none."),
          required("kafka_timestamp", "TIMESTAMP", "The record's Kafka timestamp."),
          nullable(
              "key",
              "STRING",
              "The record key as text, or base64: followed by base64 when binary."),
          nullable(
              "value",
              "STRING",
              "The raw value, as text or base64 per value_encoding; null for a tombstone. For"
                  + " WAREHOUSE_REJECTED, the refused row as JSON."),
          required("value_encoding", "STRING", "How value holds the raw bytes: TEXT or BASE64."),
          required(
              "reason",
              "STRING",
              "Reason code: MALFORMED, NOT_AN_ENVELOPE, UNKNOWN_OP, UNKNOWN_TOPIC, MISSING_FIELD,"
                  + " BAD_VALUE, FUTURE_EVENT, UNKNOWN_SCHEMA or WAREHOUSE_REJECTED."),
          required(
              "detail",
              "STRING",
              "What exactly was wrong, for a person: the field, the value, the expectation."),
          required(
              "seen_at", "TIMESTAMP", "When Learner Pulse refused the record (processing time)."))),

  TOO_LATE_EVENTS(
      OutputRows.TOO_LATE_TABLE,
      "Valid changes that came later than the allowed lateness, after their window had closed for"
          + " good; kept instead of dropped.",
      "event_time",
      List.of("course_id", "learner_id"),
      List.of(
          required("topic", "STRING", "Kafka topic of the change."),
          required("partition", "INTEGER", "Kafka partition of the change."),
          required("offset", "INTEGER", "Kafka offset of the change."),
          required("kafka_timestamp", "TIMESTAMP", "The change's Kafka timestamp."),
          required(
              "source_table",
              "STRING",
              "The source table: learner_progress, course_interactions, assessment_events or"
                  + " certification_state."),
          required("op", "STRING", "Debezium op code: c, r or u."),
          required("learner_id", "STRING", "The learner of the change."),
          required("course_id", "STRING", "The course of the change."),
          required(
              "event_time",
              "TIMESTAMP",
              "The row's business timestamp (updated_at, occurred_at or submitted_at)."),
          required("window_start", "TIMESTAMP", "Start of the window the change fell into, UTC."),
          required("window_end", "TIMESTAMP", "End of that window (exclusive), UTC."),
          required(
              "expired_at",
              "TIMESTAMP",
              "When the window closed for good: its end plus the allowed lateness."),
          nullable(
              "identity",
              "STRING",
              "The change's identity (topic, op, primary key, source position), to trace it."),
          required(
              "seen_at",
              "TIMESTAMP",
              "When Learner Pulse set the change aside (processing time)."))),

  LEARNER_ALERTS(
      OutputRows.ALERTS_TABLE,
      "Changes in a learner's state in a course that someone must act on, one row per transition;"
          + " alert_id is the same when a replay emits the alert again.",
      "event_time",
      List.of("tenant_id", "course_id"),
      List.of(
          required(
              "alert_id",
              "STRING",
              "Name-based UUID of the kind and the causing change's identity: stable across"
                  + " replays, for deduplication."),
          required("kind", "STRING", "CERTIFICATE_ISSUED, COURSE_COMPLETED, AT_RISK or RECOVERED."),
          nullable(
              "tenant_id",
              "STRING",
              "The learner's tenant from learners, else the course's from courses, else null."),
          required("learner_id", "STRING", "The learner."),
          required("course_id", "STRING", "The course."),
          required(
              "event_time",
              "TIMESTAMP",
              "The business timestamp of the change that caused the alert."),
          nullable(
              "avg_score_pct",
              "FLOAT",
              "AT_RISK, RECOVERED: mean of 100 * score / max_score over all the learner's attempts"
                  + " in the course so far."),
          nullable(
              "passing_score_pct",
              "FLOAT",
              "AT_RISK, RECOVERED: the course's passing score it was compared with (70.0 when"
                  + " unknown)."),
          required("topic", "STRING", "Kafka topic of the change that caused the alert."),
          required("partition", "INTEGER", "Its Kafka partition."),
          required("offset", "INTEGER", "Its Kafka offset."),
          required("kafka_timestamp", "TIMESTAMP", "Its Kafka timestamp."),
          required(
              "identity",
              "STRING",
              "Its identity (topic, op, primary key, source position), to trace it.")));

  /** The primary key of {@link #LEARNER_WINDOW_METRICS} for Storage Write API upserts. */
  public static final List<String> METRICS_PRIMARY_KEY =
      List.of("learner_id", "course_id", "window_start");

  private final String defaultName;
  private final String description;
  private final String partitionField;
  private final List<String> clusteringFields;
  private final List<TableFieldSchema> fields;

  WarehouseTable(
      String defaultName,
      String description,
      String partitionField,
      List<String> clusteringFields,
      List<TableFieldSchema> fields) {
    this.defaultName = defaultName;
    this.description = description;
    this.partitionField = partitionField;
    this.clusteringFields = clusteringFields;
    this.fields = fields;
  }

  /** The table's name unless the run renames it. */
  public String defaultName() {
    return defaultName;
  }

  public String description() {
    return description;
  }

  /** A fresh copy: the API model classes are mutable. */
  public TableSchema schema() {
    return new TableSchema().setFields(fields.stream().map(WarehouseTable::copy).toList());
  }

  public TimePartitioning timePartitioning() {
    return new TimePartitioning().setType("DAY").setField(partitionField);
  }

  public Clustering clustering() {
    return new Clustering().setFields(clusteringFields);
  }

  /** The field names in schema order. */
  public List<String> fieldNames() {
    return fields.stream().map(TableFieldSchema::getName).toList();
  }

  private static TableFieldSchema required(String name, String type, String description) {
    return field(name, type, "REQUIRED", description);
  }

  private static TableFieldSchema nullable(String name, String type, String description) {
    return field(name, type, "NULLABLE", description);
  }

  private static TableFieldSchema field(String name, String type, String mode, String description) {
    return new TableFieldSchema()
        .setName(name)
        .setType(type)
        .setMode(mode)
        .setDescription(description);
  }

  private static TableFieldSchema copy(TableFieldSchema f) {
    return field(f.getName(), f.getType(), f.getMode(), f.getDescription());
  }
}
