package dev.learnerpulse.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The archived-topic format of contract section 1: one JSON object per line as {@code kcat -C -J}
 * writes it, {@code {"topic":…,"partition":0,"offset":42,"tstype":"create","ts":…,"key":…,
 * "payload":…}}, where {@code key} and {@code payload} are the record's key and value as text (null
 * for none, so a null payload is a tombstone).
 */
public final class KcatJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KcatJson() {}

  /** Parses one line of a dump. */
  public static SourceRecord parse(String line) throws InvalidRecordException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED, "archive line is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException(ReasonCode.MALFORMED, "archive line is not a JSON object");
    }
    JsonNode topic = node.get("topic");
    JsonNode partition = node.get("partition");
    JsonNode offset = node.get("offset");
    JsonNode ts = node.get("ts");
    if (topic == null || !topic.isTextual()
        || partition == null || !partition.canConvertToInt()
        || offset == null || !offset.isIntegralNumber()
        || ts == null || !ts.isIntegralNumber()) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED, "archive line lacks topic, partition, offset or ts");
    }
    return SourceRecord.create(
        topic.textValue(),
        partition.intValue(),
        offset.longValue(),
        new Instant(ts.longValue()),
        text(node.get("key")),
        text(node.get("payload")));
  }

  /** Renders a record as one dump line (text key and value, as kcat does). */
  public static String format(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      @Nullable String key,
      @Nullable String payload) {
    ObjectNode node = JSON.createObjectNode();
    node.put("topic", topic);
    node.put("partition", partition);
    node.put("offset", offset);
    node.put("tstype", "create");
    node.put("ts", timestampMillis);
    node.put("key", key);
    node.put("payload", payload);
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte @Nullable [] text(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return (node.isTextual() ? node.textValue() : node.toString()).getBytes(StandardCharsets.UTF_8);
  }
}
