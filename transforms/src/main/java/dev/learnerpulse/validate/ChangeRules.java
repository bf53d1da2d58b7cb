package dev.learnerpulse.validate;

import dev.learnerpulse.decode.Timestamps;
import dev.learnerpulse.model.AssessmentEvent;
import dev.learnerpulse.model.CertificationState;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.Course;
import dev.learnerpulse.model.CourseInteraction;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.Learner;
import dev.learnerpulse.model.LearnerProgress;
import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import java.math.BigDecimal;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The rules of docs/contract.md §2.3-§2.5 applied to a decoded envelope, in a fixed order so that a
 * record with several faults always gets the same reason: ignored ops first, then required fields
 * ({@code MISSING_FIELD}), then types, enumerations and ranges ({@code BAD_VALUE}), then event time
 * against the Kafka timestamp ({@code FUTURE_EVENT}).
 */
public final class ChangeRules {
  /** How far past its Kafka timestamp an event time may lie. */
  public static final Duration MAX_CLOCK_SKEW = Duration.standardHours(1);

  private static final BigDecimal ONE_HUNDRED = BigDecimal.valueOf(100);

  private ChangeRules() {}

  /**
   * Tombstones, deletes, truncates, and updates of the immutable interaction and assessment facts:
   * the contract's {@code ignored} outcome.
   */
  public static boolean isIgnored(ChangeEnvelope envelope) {
    Op op = envelope.getOp();
    return op == null
        || op == Op.DELETE
        || op == Op.TRUNCATE
        || (op == Op.UPDATE && envelope.getTable().ignoresUpdates());
  }

  /** The typed, valid change of a non-ignored envelope. */
  public static Change validate(ChangeEnvelope envelope) throws InvalidRecordException {
    SourceTable table = envelope.getTable();
    RowFields row = new RowFields(envelope.getRow());
    for (String field : table.requiredFields()) {
      if (row.isMissing(field)) {
        throw new InvalidRecordException(ReasonCode.MISSING_FIELD, field + " is missing or null");
      }
    }
    SourceRecord record = envelope.getRecord();
    if (!Timestamps.inRange(record.getTimestamp().getMillis())) {
      // A reference row's element timestamp, and the too-late rule's clock for every change.
      throw new InvalidRecordException(
          ReasonCode.BAD_VALUE,
          "Kafka timestamp "
              + record.getTimestamp().getMillis()
              + " ms is outside "
              + Timestamps.range());
    }
    Change.Builder change =
        Change.builder()
            .setTable(table)
            .setOp(envelope.getOp())
            .setTopic(record.getTopic())
            .setPartition(record.getPartition())
            .setOffset(record.getOffset())
            .setKafkaTimestamp(record.getTimestamp())
            .setSourceTsMs(envelope.getSourceTsMs())
            .setSourcePosition(envelope.getSourcePosition());
    Instant eventTime;
    switch (table) {
      case LEARNER_PROGRESS:
        {
          double progress = row.number("progress_pct");
          if (progress < 0 || progress > 100) {
            throw RowFields.bad("progress_pct", progress + " is outside 0..100");
          }
          LearnerProgress value =
              LearnerProgress.create(
                  row.text("learner_id"),
                  row.text("course_id"),
                  progress,
                  row.enumeration("status", LearnerProgress.STATUSES),
                  row.timestamp("updated_at"));
          change.setProgress(value);
          eventTime = value.getUpdatedAt();
          break;
        }
      case COURSE_INTERACTIONS:
        {
          Long interactionId = row.integer("interaction_id");
          String learnerId = row.text("learner_id");
          String courseId = row.text("course_id");
          String kind = row.enumeration("kind", CourseInteraction.KINDS);
          Integer duration = row.int32("duration_ms");
          if (duration != null && duration < 0) {
            throw RowFields.bad("duration_ms", duration + " is negative");
          }
          CourseInteraction value =
              CourseInteraction.create(
                  interactionId, learnerId, courseId, kind, duration, row.timestamp("occurred_at"));
          change.setInteraction(value);
          eventTime = value.getOccurredAt();
          break;
        }
      case ASSESSMENT_EVENTS:
        {
          String id = row.text("_id");
          String learnerId = row.text("learner_id");
          String courseId = row.text("course_id");
          String assessmentId = row.text("assessment_id");
          BigDecimal score = row.decimal("score");
          BigDecimal maxScore = row.decimal("max_score");
          if (score.signum() < 0) {
            throw RowFields.bad("score", score + " is negative");
          }
          if (maxScore.signum() <= 0) {
            throw RowFields.bad("max_score", maxScore + " is not positive");
          }
          if (score.compareTo(maxScore) > 0) {
            throw RowFields.bad("score", score + " is greater than max_score " + maxScore);
          }
          Boolean isFinal = row.bool("final");
          AssessmentEvent value =
              AssessmentEvent.create(
                  id,
                  learnerId,
                  courseId,
                  assessmentId,
                  score,
                  maxScore,
                  isFinal != null && isFinal,
                  row.timestamp("submitted_at"));
          change.setAssessment(value);
          eventTime = value.getSubmittedAt();
          break;
        }
      case CERTIFICATION_STATE:
        {
          CertificationState value =
              CertificationState.create(
                  row.text("learner_id"),
                  row.text("course_id"),
                  row.enumeration("state", CertificationState.STATES),
                  row.timestamp("updated_at"));
          change.setCertification(value);
          eventTime = value.getUpdatedAt();
          break;
        }
      case COURSES:
        {
          BigDecimal passing = row.decimal("passing_score_pct");
          if (passing != null && (passing.signum() < 0 || passing.compareTo(ONE_HUNDRED) > 0)) {
            throw RowFields.bad("passing_score_pct", passing + " is outside 0..100");
          }
          Integer modules = row.int32("module_count");
          if (modules != null && modules < 0) {
            throw RowFields.bad("module_count", modules + " is negative");
          }
          change.setCourse(
              Course.create(
                  row.text("course_id"),
                  row.text("tenant_id"),
                  row.text("title"),
                  passing,
                  modules));
          eventTime = null;
          break;
        }
      case LEARNERS:
        change.setLearner(
            Learner.create(
                row.text("learner_id"),
                row.text("tenant_id"),
                row.text("cohort_id"),
                row.text("country")));
        eventTime = null;
        break;
      default:
        throw new IllegalStateException("Unhandled table " + table);
    }
    if (eventTime != null && eventTime.isAfter(record.getTimestamp().plus(MAX_CLOCK_SKEW))) {
      throw new InvalidRecordException(
          ReasonCode.FUTURE_EVENT,
          "event time "
              + eventTime
              + " is more than "
              + MAX_CLOCK_SKEW.getStandardMinutes()
              + " minutes after the Kafka timestamp "
              + record.getTimestamp());
    }
    return change.setEventTime(eventTime).build();
  }
}
