package dev.learnerpulse.testkit.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.SourceTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** Column values as Debezium writes them for a {@link WireFormat}. */
final class Cells {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final DateTimeFormatter ZONED_MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Cells() {}

  /** A {@code numeric(5,2)} value in the deployment's {@code decimal.handling.mode}. */
  static JsonNode decimal(BigDecimal value, WireFormat format) {
    BigDecimal scaled = value.setScale(2, RoundingMode.HALF_UP);
    switch (format.decimals()) {
      case PRECISE:
        return NODES.textNode(
            Base64.getEncoder().encodeToString(scaled.unscaledValue().toByteArray()));
      case STRING:
        return NODES.textNode(scaled.toPlainString());
      default:
        return NODES.numberNode(scaled.doubleValue());
    }
  }

  /** {@code io.debezium.time.ZonedTimestamp}: ISO-8601 UTC with six fraction digits. */
  static JsonNode zonedTimestamp(long micros) {
    Instant instant =
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    return NODES.textNode(ZONED_MICROS.format(instant));
  }

  /** A BSON date in the deployment's Extended JSON flavour. */
  static JsonNode mongoDate(long millis, WireFormat format) {
    ObjectNode date = NODES.objectNode();
    switch (format.extendedJson()) {
      case RELAXED:
        date.put("$date", ISO_MILLIS.format(Instant.ofEpochMilli(millis)));
        break;
      case CANONICAL:
        date.putObject("$date").put("$numberLong", Long.toString(millis));
        break;
      default:
        date.put("$date", millis);
    }
    return date;
  }

  /** A BSON int32 or double in the deployment's Extended JSON flavour. */
  static JsonNode mongoNumber(double value, boolean int32, WireFormat format) {
    if (format.extendedJson() == WireFormat.ExtendedJsonMode.CANONICAL) {
      ObjectNode number = NODES.objectNode();
      if (int32) {
        number.put("$numberInt", Integer.toString((int) value));
      } else {
        number.put("$numberDouble", Double.toString(value));
      }
      return number;
    }
    return int32 ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  static ObjectNode objectId(String hex) {
    ObjectNode id = NODES.objectNode();
    id.put("$oid", hex);
    return id;
  }

  /** The business timestamp of a change table, encoded as its connector writes it. */
  static JsonNode eventTime(SourceTable table, long millis, WireFormat format) {
    switch (table) {
      case COURSE_INTERACTIONS:
        return NODES.numberNode(millis);
      case ASSESSMENT_EVENTS:
        return mongoDate(millis, format);
      default:
        return zonedTimestamp(millis * 1_000L + 417);
    }
  }

  /** The business timestamp column of a change table. */
  static String eventTimeColumn(SourceTable table) {
    switch (table) {
      case COURSE_INTERACTIONS:
        return "occurred_at";
      case ASSESSMENT_EVENTS:
        return "submitted_at";
      default:
        return "updated_at";
    }
  }
}
