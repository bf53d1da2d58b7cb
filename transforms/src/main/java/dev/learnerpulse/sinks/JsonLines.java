package dev.learnerpulse.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.DeadLetter;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The JSON-lines rendering of Learner Pulse's output tables, for file outputs (backfill, local
 * runs): field names as in the contract, timestamps ISO-8601 UTC.
 */
public final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  public static String of(DeadLetter deadLetter) {
    ObjectNode node = JSON.createObjectNode();
    node.put("topic", deadLetter.getTopic());
    node.put("partition", deadLetter.getPartition());
    node.put("offset", deadLetter.getOffset());
    node.put("kafka_timestamp", iso(deadLetter.getKafkaTimestamp()));
    node.put("key", deadLetter.getKey());
    node.put("value", deadLetter.getValue());
    node.put("value_encoding", deadLetter.getValueEncoding().name());
    node.put("reason", deadLetter.getReason().name());
    node.put("detail", deadLetter.getDetail());
    node.put("seen_at", iso(deadLetter.getSeenAt()));
    return write(node);
  }

  static @Nullable String iso(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }

  static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render " + node, e);
    }
  }
}
