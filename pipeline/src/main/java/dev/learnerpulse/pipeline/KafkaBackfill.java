package dev.learnerpulse.pipeline;

import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.Topics;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * A backfill's source read straight from Kafka: the change topics' records between {@code from}
 * (inclusive) and {@code to} (exclusive) by Kafka timestamp, and the compacted reference topics
 * from their start up to {@code to}, because a backfill enriches with the reference data as at the
 * end of its period, whenever those rows were written.
 *
 * <p>The offsets are resolved once, at launch, per partition ({@code offsetsForTimes}: the first
 * offset at or after the instant, else the partition's end), so the read is a fixed, bounded list
 * of offset ranges that any batch runner runs, one partition per worker, and whose size is the
 * backfill's total for progress. Not KafkaIO's {@code withStartReadTime}/{@code withStopReadTime}:
 * in Beam 2.70 its read fails on a partition with no record after the instant (an empty partition,
 * or a {@code --to} after the newest record), the common case here.
 */
final class KafkaBackfill implements Sources {
  private static final Duration POLL = Duration.ofMillis(500);

  /**
   * A range that gives nothing for this long while short of its end has lost records to retention.
   */
  private static final long STALL_MILLIS = 60_000;

  private final KafkaConnection connection;
  private final List<PartitionRange> ranges;

  private KafkaBackfill(KafkaConnection connection, List<PartitionRange> ranges) {
    this.connection = connection;
    this.ranges = ranges;
  }

  /** Resolves the offset ranges of {@code topics} for the period now, against the cluster. */
  static KafkaBackfill resolve(
      KafkaConnection connection, Topics topics, Instant from, Instant to) {
    List<PartitionRange> ranges = new ArrayList<>();
    try (Consumer<byte[], byte[]> consumer = consumer(connection)) {
      topics
          .asMap()
          .forEach(
              (table, topic) -> {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : consumer.partitionsFor(topic)) {
                  partitions.add(new TopicPartition(topic, info.partition()));
                }
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                Map<TopicPartition, Long> starts =
                    table.isReference()
                        ? consumer.beginningOffsets(partitions)
                        : offsetsAt(consumer, partitions, from, ends);
                Map<TopicPartition, Long> stops = offsetsAt(consumer, partitions, to, ends);
                for (TopicPartition partition : partitions) {
                  long start = starts.get(partition);
                  long stop = stops.get(partition);
                  if (start < stop) {
                    ranges.add(
                        new PartitionRange(partition.topic(), partition.partition(), start, stop));
                  }
                }
              });
    }
    ranges.sort(
        java.util.Comparator.comparing(PartitionRange::topic)
            .thenComparing(PartitionRange::partition));
    return new KafkaBackfill(connection, ranges);
  }

  /** Per partition, the first offset whose timestamp is at or after {@code time}, else the end. */
  private static Map<TopicPartition, Long> offsetsAt(
      Consumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      Instant time,
      Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(p -> query.put(p, time.getMillis()));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    consumer
        .offsetsForTimes(query)
        .forEach(
            (partition, found) ->
                offsets.put(partition, found == null ? ends.get(partition) : found.offset()));
    return offsets;
  }

  private static Consumer<byte[], byte[]> consumer(KafkaConnection connection) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Records that retention removed after launch fail the read; they are never skipped silently.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    return new KafkaSources.ConsumerFactory(connection).apply(config);
  }

  /** The offset ranges to read, by topic and partition. */
  List<PartitionRange> ranges() {
    return ranges;
  }

  /** How many records the ranges hold (fewer in a compacted topic: an upper bound). */
  @Override
  public long size() {
    long total = 0;
    for (PartitionRange range : ranges) {
      total += range.stop() - range.start();
    }
    return total;
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> changeRecords() {
    return new ReadRanges(connection, ranges);
  }

  /** Reads each offset range with a consumer of its own; Kafka's records cannot fail to be read. */
  private static final class ReadRanges extends PTransform<PBegin, PCollectionTuple> {
    private final KafkaConnection connection;
    private final List<PartitionRange> ranges;

    ReadRanges(KafkaConnection connection, List<PartitionRange> ranges) {
      this.connection = connection;
      this.ranges = ranges;
    }

    @Override
    public PCollectionTuple expand(PBegin input) {
      return ComputeLearnerPulse.inputs(
          input
              .apply(
                  "OffsetRanges",
                  Create.of(ranges).withCoder(SerializableCoder.of(PartitionRange.class)))
              .apply("SpreadRanges", Reshuffle.viaRandomKey())
              .apply("ReadRange", ParDo.of(new ReadRangeFn(connection))));
    }
  }

  /** The offsets {@code [start, stop)} of one partition. */
  record PartitionRange(String topic, int partition, long start, long stop)
      implements Serializable {}

  static final class ReadRangeFn extends DoFn<PartitionRange, SourceRecord> {
    private final KafkaConnection connection;

    ReadRangeFn(KafkaConnection connection) {
      this.connection = connection;
    }

    @ProcessElement
    public void process(@Element PartitionRange range, OutputReceiver<SourceRecord> out) {
      TopicPartition partition = new TopicPartition(range.topic(), range.partition());
      long stop = range.stop();
      try (Consumer<byte[], byte[]> consumer = consumer(connection)) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, range.start());
        long lastProgress = System.currentTimeMillis();
        while (consumer.position(partition) < stop) {
          boolean any = false;
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            any = true;
            if (record.offset() < stop) {
              out.output(
                  SourceRecord.create(
                      record.topic(),
                      record.partition(),
                      record.offset(),
                      new Instant(record.timestamp()),
                      record.key(),
                      record.value()));
            }
          }
          if (any) {
            lastProgress = System.currentTimeMillis();
          } else if (System.currentTimeMillis() - lastProgress > STALL_MILLIS) {
            throw new IllegalStateException(
                partition
                    + " gave no record for "
                    + STALL_MILLIS / 1000
                    + " s at offset "
                    + consumer.position(partition)
                    + ", short of "
                    + stop);
          }
        }
      }
    }
  }
}
