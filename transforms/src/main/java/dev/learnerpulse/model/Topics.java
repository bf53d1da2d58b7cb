package dev.learnerpulse.model;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Which Kafka topic carries which source table. Topic names are pipeline options; this immutable
 * value is what transforms receive instead of the options.
 *
 * <pre>{@code
 * Topics topics = Topics.defaults().withTopic(SourceTable.COURSES, "tenant-a.public.courses");
 * }</pre>
 */
public final class Topics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EnumMap<SourceTable, String> topicByTable;
  private final HashMap<String, SourceTable> tableByTopic;

  private Topics(Map<SourceTable, String> topicByTable) {
    this.topicByTable = new EnumMap<>(topicByTable);
    this.tableByTopic = new HashMap<>();
    for (Map.Entry<SourceTable, String> entry : this.topicByTable.entrySet()) {
      SourceTable previous = tableByTopic.put(entry.getValue(), entry.getKey());
      if (previous != null) {
        throw new IllegalArgumentException(
            "Topic "
                + entry.getValue()
                + " is configured for both "
                + previous
                + " and "
                + entry.getKey());
      }
    }
  }

  /** The contract's default topic names. */
  public static Topics defaults() {
    EnumMap<SourceTable, String> topics = new EnumMap<>(SourceTable.class);
    for (SourceTable table : SourceTable.values()) {
      topics.put(table, table.defaultTopic());
    }
    return new Topics(topics);
  }

  /** These topics with {@code table} read from {@code topic} instead. */
  public Topics withTopic(SourceTable table, String topic) {
    requireNonNull(table, "table");
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("The topic of " + table + " must not be empty");
    }
    EnumMap<SourceTable, String> topics = new EnumMap<>(topicByTable);
    topics.put(table, topic);
    return new Topics(topics);
  }

  public String topic(SourceTable table) {
    return topicByTable.get(table);
  }

  /** The table a topic carries, or null for a topic Learner Pulse does not read. */
  public @Nullable SourceTable table(String topic) {
    return tableByTopic.get(topic);
  }

  public Map<SourceTable, String> asMap() {
    return Collections.unmodifiableMap(topicByTable);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Topics && ((Topics) other).topicByTable.equals(topicByTable);
  }

  @Override
  public int hashCode() {
    return topicByTable.hashCode();
  }

  @Override
  public String toString() {
    return "Topics" + topicByTable;
  }
}
