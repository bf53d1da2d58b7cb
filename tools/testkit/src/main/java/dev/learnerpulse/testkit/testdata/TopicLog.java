package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Utils;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The records of every topic as Kafka would hold them, each with the outcome the contract gives it.
 * Partitions follow Kafka's default partitioner (murmur2 of the key; keyless records go to
 * partition 0); offsets rise per partition in Kafka-timestamp order.
 */
public final class TopicLog {
  static final int PARTITIONS = 3;

  /** One record, its expected outcome, and for a valid change its event time in milliseconds. */
  public record Entry(
      String topic,
      int partition,
      long kafkaTs,
      long seq,
      @Nullable String key,
      @Nullable String value,
      Outcome outcome,
      @Nullable ReasonCode reason,
      boolean veryLate,
      boolean snapshot,
      @Nullable Long eventTime) {}

  private final Map<String, List<Entry>> byTopic = new TreeMap<>();
  private long seq;

  void add(
      String topic,
      Rendered record,
      long kafkaTs,
      Outcome outcome,
      @Nullable ReasonCode reason,
      boolean veryLate,
      boolean snapshot,
      @Nullable Long eventTime) {
    byTopic
        .computeIfAbsent(topic, t -> new ArrayList<>())
        .add(
            new Entry(
                topic,
                partition(record.partitionKey()),
                kafkaTs,
                seq++,
                record.key(),
                record.value(),
                outcome,
                reason,
                veryLate,
                snapshot,
                eventTime));
  }

  /** The same record delivered again at {@code kafkaTs}: a duplicate of a valid change. */
  void redeliver(Entry original, long kafkaTs) {
    byTopic
        .get(original.topic())
        .add(
            new Entry(
                original.topic(),
                original.partition(),
                kafkaTs,
                seq++,
                original.key(),
                original.value(),
                Outcome.DUPLICATE,
                null,
                false,
                original.snapshot(),
                original.eventTime()));
  }

  public Map<String, List<Entry>> topics() {
    return byTopic;
  }

  /** A topic's records in the order kcat prints them, as dump lines with offsets assigned. */
  public List<String> dumpLines(String topic) {
    List<Entry> entries = inDumpOrder(topic);
    long[] nextOffset = new long[PARTITIONS];
    List<String> lines = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      lines.add(
          KcatJson.format(
              topic, e.partition(), nextOffset[e.partition()]++, e.kafkaTs(), e.key(), e.value()));
    }
    return lines;
  }

  /** A topic's records in the order of its dump file. */
  public List<Entry> inDumpOrder(String topic) {
    List<Entry> entries = new ArrayList<>(byTopic.get(topic));
    entries.sort(Comparator.comparingLong(Entry::kafkaTs).thenComparingLong(Entry::seq));
    return entries;
  }

  private static int partition(@Nullable String partitionKey) {
    if (partitionKey == null) {
      return 0;
    }
    return Utils.toPositive(Utils.murmur2(partitionKey.getBytes(StandardCharsets.UTF_8)))
        % PARTITIONS;
  }
}
