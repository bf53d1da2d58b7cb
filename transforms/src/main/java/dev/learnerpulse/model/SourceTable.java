package dev.learnerpulse.model;

import java.util.List;

/**
 * The six Debezium-captured tables of docs/contract.md §1.1: four change streams and two compacted
 * reference tables. Each knows its default topic, its primary key and the columns the contract
 * requires, so decoding and validation share one description of the source schema.
 */
public enum SourceTable {
  LEARNER_PROGRESS(
      "lxp.public.learner_progress",
      false,
      List.of("learner_id", "course_id"),
      List.of("learner_id", "course_id", "progress_pct", "status", "updated_at"),
      List.of("progress_pct")),
  COURSE_INTERACTIONS(
      "lxp.engagement.course_interactions",
      false,
      List.of("interaction_id"),
      List.of("learner_id", "course_id", "kind", "occurred_at"),
      List.of()),
  ASSESSMENT_EVENTS(
      "lxp.assessments.assessment_events",
      false,
      List.of("_id"),
      List.of("learner_id", "course_id", "score", "max_score", "submitted_at"),
      List.of()),
  CERTIFICATION_STATE(
      "lxp.public.certification_state",
      false,
      List.of("learner_id", "course_id"),
      List.of("learner_id", "course_id", "state", "updated_at"),
      List.of()),
  COURSES(
      "lxp.public.courses",
      true,
      List.of("course_id"),
      List.of("course_id"),
      List.of("passing_score_pct")),
  LEARNERS("lxp.public.learners", true, List.of("learner_id"), List.of("learner_id"), List.of());

  /** The scale of every {@code numeric} column in the contract: {@code numeric(5,2)}. */
  public static final int DECIMAL_SCALE = 2;

  private final String defaultTopic;
  private final boolean reference;
  private final List<String> primaryKey;
  private final List<String> requiredFields;
  private final List<String> decimalFields;

  SourceTable(
      String defaultTopic,
      boolean reference,
      List<String> primaryKey,
      List<String> requiredFields,
      List<String> decimalFields) {
    this.defaultTopic = defaultTopic;
    this.reference = reference;
    this.primaryKey = primaryKey;
    this.requiredFields = requiredFields;
    this.decimalFields = decimalFields;
  }

  public String defaultTopic() {
    return defaultTopic;
  }

  /** True for the compacted reference tables (courses, learners), which feed enrichment. */
  public boolean isReference() {
    return reference;
  }

  public List<String> primaryKey() {
    return primaryKey;
  }

  /** Fields that must be present and non-null in a created, read or updated row. */
  public List<String> requiredFields() {
    return requiredFields;
  }

  /**
   * The {@code numeric} columns, which Debezium writes per {@code decimal.handling.mode}: base64 of
   * the unscaled value (precise), text, or a double.
   */
  public List<String> decimalFields() {
    return decimalFields;
  }

  /**
   * Whether an update ({@code op} u) of this table is an outcome of its own: interactions and
   * assessment attempts are immutable facts, so the contract ignores their updates.
   */
  public boolean ignoresUpdates() {
    return this == COURSE_INTERACTIONS || this == ASSESSMENT_EVENTS;
  }
}
