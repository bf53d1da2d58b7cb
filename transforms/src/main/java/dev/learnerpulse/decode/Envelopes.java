package dev.learnerpulse.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Debezium envelope's parts made into a {@link ChangeEnvelope}, the same for every wire format:
 * the checks of {@code op} and {@code source}, the source position, the shortcut that leaves the
 * row of an ignored change unread, and the reading of {@code after} (a row, or a MongoDB Extended
 * JSON document in a string).
 */
final class Envelopes {
  private Envelopes() {}

  /** The {@code after} of one envelope, read only when the change needs its row. */
  interface After {
    /** The value of {@code after}: a row object, a document string, or null when absent. */
    @Nullable JsonNode value() throws InvalidRecordException;

    /** Replaces a wire format's encodings in a row object {@link #value()} returned. */
    default void normalize(ObjectNode row) throws InvalidRecordException {}
  }

  static ChangeEnvelope create(
      SourceRecord record,
      SourceTable table,
      @Nullable JsonNode opNode,
      @Nullable JsonNode source,
      After after)
      throws InvalidRecordException {
    if (opNode == null || opNode.isNull()) {
      throw new InvalidRecordException(ReasonCode.NOT_AN_ENVELOPE, "no op field");
    }
    if (source == null || !source.isObject()) {
      throw new InvalidRecordException(ReasonCode.NOT_AN_ENVELOPE, "no source block");
    }
    Op op = opNode.isTextual() ? Op.fromCode(opNode.textValue()) : null;
    if (op == null) {
      throw new InvalidRecordException(ReasonCode.UNKNOWN_OP, "unknown op " + opNode);
    }
    Long sourceTsMs =
        source.path("ts_ms").isIntegralNumber() ? source.get("ts_ms").longValue() : null;
    String position = sourcePosition(source);
    boolean rowUnused =
        op == Op.DELETE || op == Op.TRUNCATE || (op == Op.UPDATE && table.ignoresUpdates());
    if (rowUnused) {
      return ChangeEnvelope.create(record, table, op, sourceTsMs, position, null);
    }
    JsonNode value = after.value();
    ObjectNode row;
    if (value == null || value.isNull()) {
      throw new InvalidRecordException(
          ReasonCode.MISSING_FIELD, "after is missing for op " + op.code());
    } else if (value.isTextual()) {
      row = ExtendedJson.parseDocument(value.textValue());
    } else if (value.isObject()) {
      row = (ObjectNode) value;
      after.normalize(row);
    } else {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED, "after is " + value.getNodeType() + ", not a row or document");
    }
    return ChangeEnvelope.create(record, table, op, sourceTsMs, position, row);
  }

  /**
   * The source position in one canonical text: PostgreSQL {@code lsn}, MySQL {@code file/pos/row},
   * MongoDB {@code ord} with {@code ts_ms}.
   */
  static @Nullable String sourcePosition(JsonNode source) {
    JsonNode lsn = source.get("lsn");
    if (lsn != null && !lsn.isNull()) {
      return "lsn=" + lsn.asText();
    }
    JsonNode file = source.get("file");
    if (file != null && !file.isNull()) {
      return "file="
          + file.asText()
          + ",pos="
          + source.path("pos").asText()
          + ",row="
          + source.path("row").asText();
    }
    JsonNode ord = source.get("ord");
    if (ord != null && !ord.isNull()) {
      return "ord=" + ord.asText() + ",ts_ms=" + source.path("ts_ms").asText();
    }
    return null;
  }
}
