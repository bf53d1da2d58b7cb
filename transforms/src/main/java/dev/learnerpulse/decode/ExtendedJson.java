package dev.learnerpulse.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.RowJson;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * MongoDB Extended JSON (v2, relaxed and canonical), as Debezium's MongoDB connector writes {@code
 * after} and {@code before}, turned into plain JSON: {@code {"$oid":…}} becomes its hex text, every
 * {@code $date} form becomes epoch milliseconds, and {@code $numberInt}, {@code $numberLong},
 * {@code $numberDouble} and {@code $numberDecimal} become numbers. A wrapper whose content does not
 * parse is left as it is, so validation names the field it is in.
 */
final class ExtendedJson {
  private static final ObjectMapper JSON = RowJson.reader();

  private ExtendedJson() {}

  /** Parses a document string; anything but a JSON object is {@code MALFORMED}. */
  static ObjectNode parseDocument(String document) throws InvalidRecordException {
    JsonNode node;
    try {
      node = JSON.readTree(document);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED, "after is not valid Extended JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED, "after is not an Extended JSON document");
    }
    ObjectNode parsed = (ObjectNode) node;
    normalizeFields(parsed);
    return parsed;
  }

  private static void normalizeFields(ObjectNode object) throws InvalidRecordException {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        field.setValue(unwrap(field.getKey(), (ObjectNode) value));
      }
    }
  }

  /** The plain value of the wrapper {@code value} of the field {@code field}. */
  private static JsonNode unwrap(String field, ObjectNode value) throws InvalidRecordException {
    if (value.size() != 1) {
      normalizeFields(value);
      return value;
    }
    Map.Entry<String, JsonNode> only = value.fields().next();
    JsonNode content = only.getValue();
    try {
      switch (only.getKey()) {
        case "$oid":
          return content.isTextual() ? content : value;
        case "$date":
          return date(content, value);
        case "$numberInt":
          return content.isTextual()
              ? IntNode.valueOf(Integer.parseInt(content.textValue()))
              : value;
        case "$numberLong":
          return content.isTextual()
              ? LongNode.valueOf(Long.parseLong(content.textValue()))
              : value;
        case "$numberDouble":
          return content.isTextual()
              ? DoubleNode.valueOf(Double.parseDouble(content.textValue()))
              : value;
        case "$numberDecimal":
          {
            BigDecimal decimal =
                content.isTextual() ? Decimals.parse(field, content.textValue()) : null;
            return decimal == null ? value : DecimalNode.valueOf(decimal);
          }
        default:
          normalizeFields(value);
          return value;
      }
    } catch (NumberFormatException e) {
      return value;
    }
  }

  /** {@code $date} as millis, as ISO-8601 text, or as {@code {"$numberLong":"…"}}. */
  private static JsonNode date(JsonNode content, JsonNode original) {
    if (content.isIntegralNumber()) {
      // Beyond a long is left as it is, for validation to name; longValue() would wrap it.
      return content.canConvertToLong() ? LongNode.valueOf(content.longValue()) : original;
    }
    if (content.isTextual()) {
      Long millis = Timestamps.parseIsoMillis(content.textValue());
      return millis == null ? TextNode.valueOf(content.textValue()) : LongNode.valueOf(millis);
    }
    JsonNode numberLong = content.get("$numberLong");
    if (numberLong != null && numberLong.isTextual()) {
      return LongNode.valueOf(Long.parseLong(numberLong.textValue()));
    }
    return original;
  }
}
