package dev.learnerpulse.validate;

import static dev.learnerpulse.model.InvalidRecordException.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.decode.Timestamps;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import java.math.BigDecimal;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Typed reads of a decoded row's fields. Absent and null read as null (required-ness is checked
 * before); any other mismatch with the contract's type is {@code BAD_VALUE} naming the field.
 */
final class RowFields {
  private final ObjectNode row;

  RowFields(ObjectNode row) {
    this.row = row;
  }

  boolean isMissing(String field) {
    JsonNode value = row.get(field);
    return value == null || value.isNull();
  }

  @Nullable String text(String field) throws InvalidRecordException {
    JsonNode value = row.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw wrongType(field, "text", value);
    }
    if (value.textValue().isBlank()) {
      throw bad(field, "is an empty string");
    }
    return value.textValue();
  }

  /** Text that must be one of {@code allowed}. */
  @Nullable String enumeration(String field, java.util.Set<String> allowed)
      throws InvalidRecordException {
    String value = text(field);
    if (value != null && !allowed.contains(value)) {
      throw bad(
          field, "'" + abbreviate(value) + "' is not one of " + new java.util.TreeSet<>(allowed));
    }
    return value;
  }

  @Nullable Double number(String field) throws InvalidRecordException {
    JsonNode value = row.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw wrongType(field, "a number", value);
    }
    return finite(field, value);
  }

  /**
   * The number exactly as the record wrote it: a decimal stays its decimal, a JSON or BSON double
   * is the shortest decimal text that reads back as that double (the text as written, for any value
   * a source writes with up to 15 significant digits), so 9.7 is 9.7, not 9.699999999999999289. Its
   * size is already bounded where it was read: decoding bounds every decimal ({@code
   * decode.Decimals}), Jackson every number's text, and a double's exponent is at most 308.
   */
  @Nullable BigDecimal decimal(String field) throws InvalidRecordException {
    JsonNode value = row.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw wrongType(field, "a number", value);
    }
    if (value.isBigDecimal()) {
      return value.decimalValue();
    }
    if (value.isIntegralNumber()) {
      return new BigDecimal(value.bigIntegerValue());
    }
    return BigDecimal.valueOf(finite(field, value));
  }

  private static double finite(String field, JsonNode value) throws InvalidRecordException {
    double number = value.doubleValue();
    if (!Double.isFinite(number)) {
      throw bad(field, abbreviate(value.asText()) + " is not a finite number");
    }
    return number;
  }

  @Nullable Long integer(String field) throws InvalidRecordException {
    JsonNode value = row.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isNumber()
        && value.doubleValue() == Math.rint(value.doubleValue())
        && Math.abs(value.doubleValue()) < 9.0e15) {
      return (long) value.doubleValue();
    }
    throw wrongType(field, "an integer", value);
  }

  @Nullable Integer int32(String field) throws InvalidRecordException {
    Long value = integer(field);
    if (value == null) {
      return null;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw bad(field, value + " does not fit a 32-bit integer");
    }
    return value.intValue();
  }

  @Nullable Boolean bool(String field) throws InvalidRecordException {
    JsonNode value = row.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw wrongType(field, "a boolean", value);
    }
    return value.booleanValue();
  }

  /**
   * Epoch milliseconds (MySQL Timestamp, BSON date) or ISO-8601 text with an offset, within {@link
   * Timestamps#range()}: a time beyond it cannot be an element's timestamp.
   */
  @Nullable Instant timestamp(String field) throws InvalidRecordException {
    JsonNode value = row.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      if (!value.canConvertToLong() || !Timestamps.inRange(value.longValue())) {
        throw bad(field, abbreviate(value.asText()) + " ms is outside " + Timestamps.range());
      }
      return new Instant(value.longValue());
    }
    if (value.isTextual()) {
      java.time.Instant parsed = Timestamps.parseIso(value.textValue());
      if (parsed == null) {
        throw bad(field, "'" + abbreviate(value.textValue()) + "' is not an ISO-8601 timestamp");
      }
      if (!Timestamps.inRange(parsed)) {
        throw bad(
            field, "'" + abbreviate(value.textValue()) + "' is outside " + Timestamps.range());
      }
      return new Instant(parsed.toEpochMilli());
    }
    throw wrongType(field, "a timestamp", value);
  }

  static InvalidRecordException bad(String field, String detail) {
    return new InvalidRecordException(ReasonCode.BAD_VALUE, field + ": " + detail);
  }

  private static InvalidRecordException wrongType(String field, String expected, JsonNode value) {
    return bad(
        field,
        "expected "
            + expected
            + ", got "
            + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
            + " "
            + abbreviate(value.toString()));
  }
}
