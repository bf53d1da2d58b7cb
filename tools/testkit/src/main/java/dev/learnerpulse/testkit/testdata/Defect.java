package dev.learnerpulse.testkit.testdata;

import static dev.learnerpulse.testkit.testdata.Cells.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceTable;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The deliberately bad records, one constant per way a record can go wrong in JSON, each with the
 * reason code the contract gives it. A defect corrupts a copy of a good change at one stage of
 * rendering: the row, the envelope, the MongoDB document text, or the final value text. Each breaks
 * exactly one rule, so its reason is unambiguous.
 */
enum Defect {
  STRUCT_TO_STRING(
      ReasonCode.MALFORMED, null, "value written by StringConverter: Struct{...}, not JSON") {
    @Override
    String corruptText(String value, @Nullable ObjectNode row) {
      StringBuilder text = new StringBuilder("Struct{after=Struct{");
      for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        text.append(field.getKey()).append('=').append(field.getValue().asText());
        if (it.hasNext()) {
          text.append(',');
        }
      }
      return text.append("},op=c}").toString();
    }
  },
  TRUNCATED_JSON(ReasonCode.MALFORMED, null, "value cut off after two thirds of its text") {
    @Override
    String corruptText(String value, @Nullable ObjectNode row) {
      return value.substring(0, value.length() * 2 / 3);
    }
  },
  MONGO_SHELL_SYNTAX(
      ReasonCode.MALFORMED,
      SourceTable.ASSESSMENT_EVENTS,
      "after in mongo shell syntax (ObjectId(\"...\")), not Extended JSON") {
    @Override
    String corruptDocument(String document) {
      return document.replaceAll("\\{\"\\$oid\": (\"[0-9a-f]{24}\")}", "ObjectId($1)");
    }
  },
  FLATTENED_ROW(
      ReasonCode.NOT_AN_ENVELOPE, null, "the bare row, as ExtractNewRecordState writes it: no op") {
    @Override
    String corruptText(String value, @Nullable ObjectNode row) {
      return SourceConnector.text(row);
    }
  },
  NO_SOURCE(ReasonCode.NOT_AN_ENVELOPE, null, "envelope without its source block") {
    @Override
    void corruptEnvelope(ObjectNode envelope) {
      envelope.remove("source");
    }
  },
  UNKNOWN_OP(ReasonCode.UNKNOWN_OP, null, "op \"x\"") {
    @Override
    void corruptEnvelope(ObjectNode envelope) {
      envelope.put("op", "x");
    }
  },
  NO_PROGRESS_PCT(ReasonCode.MISSING_FIELD, SourceTable.LEARNER_PROGRESS, "progress_pct null") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.putNull("progress_pct");
    }
  },
  NO_STATUS(ReasonCode.MISSING_FIELD, SourceTable.LEARNER_PROGRESS, "status absent") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.remove("status");
    }
  },
  NO_KIND(ReasonCode.MISSING_FIELD, SourceTable.COURSE_INTERACTIONS, "kind absent") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.remove("kind");
    }
  },
  NO_OCCURRED_AT(ReasonCode.MISSING_FIELD, SourceTable.COURSE_INTERACTIONS, "occurred_at null") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.putNull("occurred_at");
    }
  },
  NO_COURSE_ID(ReasonCode.MISSING_FIELD, SourceTable.COURSE_INTERACTIONS, "course_id null") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.putNull("course_id");
    }
  },
  NO_SCORE(ReasonCode.MISSING_FIELD, SourceTable.ASSESSMENT_EVENTS, "score absent") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.remove("score");
    }
  },
  NO_SUBMITTED_AT(ReasonCode.MISSING_FIELD, SourceTable.ASSESSMENT_EVENTS, "submitted_at absent") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.remove("submitted_at");
    }
  },
  NO_LEARNER_ID(ReasonCode.MISSING_FIELD, SourceTable.ASSESSMENT_EVENTS, "learner_id absent") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.remove("learner_id");
    }
  },
  NO_STATE(ReasonCode.MISSING_FIELD, SourceTable.CERTIFICATION_STATE, "state null") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.putNull("state");
    }
  },
  NO_CERT_UPDATED_AT(
      ReasonCode.MISSING_FIELD, SourceTable.CERTIFICATION_STATE, "updated_at absent") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.remove("updated_at");
    }
  },
  PROGRESS_OVER_100(ReasonCode.BAD_VALUE, SourceTable.LEARNER_PROGRESS, "progress_pct 120.00") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.set("progress_pct", Cells.decimal(new BigDecimal("120.00"), format));
    }
  },
  UNKNOWN_STATUS(ReasonCode.BAD_VALUE, SourceTable.LEARNER_PROGRESS, "status \"paused\"") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("status", "paused");
    }
  },
  NUMERIC_LEARNER_ID(ReasonCode.BAD_VALUE, SourceTable.LEARNER_PROGRESS, "learner_id a number") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("learner_id", 1042);
    }
  },
  UNPARSEABLE_UPDATED_AT(
      ReasonCode.BAD_VALUE, SourceTable.LEARNER_PROGRESS, "updated_at \"20/11/2026 09:14\"") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("updated_at", "20/11/2026 09:14");
    }
  },
  UNKNOWN_KIND(ReasonCode.BAD_VALUE, SourceTable.COURSE_INTERACTIONS, "kind \"quiz_open\"") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("kind", "quiz_open");
    }
  },
  NEGATIVE_DURATION(ReasonCode.BAD_VALUE, SourceTable.COURSE_INTERACTIONS, "duration_ms -1500") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("duration_ms", -1500);
    }
  },
  TEXT_DURATION(ReasonCode.BAD_VALUE, SourceTable.COURSE_INTERACTIONS, "duration_ms \"90s\"") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("duration_ms", "90s");
    }
  },
  EMPTY_LEARNER_ID(ReasonCode.BAD_VALUE, SourceTable.COURSE_INTERACTIONS, "learner_id \"\"") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("learner_id", "");
    }
  },
  SCORE_ABOVE_MAX(ReasonCode.BAD_VALUE, SourceTable.ASSESSMENT_EVENTS, "score 23.5 of max 20") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.set("score", Cells.mongoNumber(23.5, false, format));
      row.set("max_score", Cells.mongoNumber(20, true, format));
    }
  },
  NEGATIVE_SCORE(ReasonCode.BAD_VALUE, SourceTable.ASSESSMENT_EVENTS, "score -2") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.set("score", Cells.mongoNumber(-2, true, format));
    }
  },
  ZERO_MAX_SCORE(ReasonCode.BAD_VALUE, SourceTable.ASSESSMENT_EVENTS, "score 0 of max 0") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.set("score", Cells.mongoNumber(0, true, format));
      row.set("max_score", Cells.mongoNumber(0, true, format));
    }
  },
  TEXT_FINAL(ReasonCode.BAD_VALUE, SourceTable.ASSESSMENT_EVENTS, "final \"yes\"") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("final", "yes");
    }
  },
  UNPARSEABLE_SUBMITTED_AT(
      ReasonCode.BAD_VALUE,
      SourceTable.ASSESSMENT_EVENTS,
      "submitted_at {\"$date\":\"last tuesday\"}") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.set("submitted_at", NODES.objectNode().put("$date", "last tuesday"));
    }
  },
  UNKNOWN_STATE(ReasonCode.BAD_VALUE, SourceTable.CERTIFICATION_STATE, "state \"expired\"") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.put("state", "expired");
    }
  },
  FUTURE_PROGRESS(
      ReasonCode.FUTURE_EVENT,
      SourceTable.LEARNER_PROGRESS,
      "updated_at 2 h 7 min after Kafka ts") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      future(SourceTable.LEARNER_PROGRESS, row, format, kafkaTs);
    }
  },
  FUTURE_INTERACTION(
      ReasonCode.FUTURE_EVENT,
      SourceTable.COURSE_INTERACTIONS,
      "occurred_at 2 h 7 min after Kafka ts") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      future(SourceTable.COURSE_INTERACTIONS, row, format, kafkaTs);
    }
  },
  FUTURE_ATTEMPT(
      ReasonCode.FUTURE_EVENT,
      SourceTable.ASSESSMENT_EVENTS,
      "submitted_at 2 h 7 min after Kafka ts") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      future(SourceTable.ASSESSMENT_EVENTS, row, format, kafkaTs);
    }
  },
  FUTURE_CERTIFICATION(
      ReasonCode.FUTURE_EVENT,
      SourceTable.CERTIFICATION_STATE,
      "updated_at 2 h 7 min after Kafka ts") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      future(SourceTable.CERTIFICATION_STATE, row, format, kafkaTs);
    }
  },
  NO_COURSE_KEY(ReasonCode.MISSING_FIELD, SourceTable.COURSES, "course_id null") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.putNull("course_id");
    }
  },
  NO_LEARNER_KEY(ReasonCode.MISSING_FIELD, SourceTable.LEARNERS, "learner_id null") {
    @Override
    void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {
      row.putNull("learner_id");
    }
  };

  /** A clock skew well past the contract's one hour. */
  private static final long SKEW_MILLIS = (2 * 60 + 7) * 60_000L;

  final ReasonCode reason;

  /** The table the defect belongs to; null when it fits any change table. */
  final @Nullable SourceTable table;

  final String description;

  Defect(ReasonCode reason, @Nullable SourceTable table, String description) {
    this.reason = reason;
    this.table = table;
    this.description = description;
  }

  void corruptRow(ObjectNode row, WireFormat format, long kafkaTs) {}

  void corruptEnvelope(ObjectNode envelope) {}

  String corruptDocument(String document) {
    return document;
  }

  String corruptText(String value, @Nullable ObjectNode row) {
    return value;
  }

  boolean isReference() {
    return table != null && table.isReference();
  }

  private static void future(SourceTable table, ObjectNode row, WireFormat format, long kafkaTs) {
    row.set(Cells.eventTimeColumn(table), Cells.eventTime(table, kafkaTs + SKEW_MILLIS, format));
  }
}
