package dev.learnerpulse.pipeline;

import dev.learnerpulse.archive.RawRecords;
import dev.learnerpulse.archive.WriteRawArchive;
import dev.learnerpulse.decode.Timestamps;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The live change and reference topics, read with KafkaIO. Each record's timestamp is its Kafka
 * timestamp, and each partition's watermark is the newest timestamp read minus {@code maxDelay}; a
 * partition with nothing to read and no record for {@code idleTimeout} advances with processing
 * time minus {@code maxDelay}, so an idle partition never holds the watermark back for good ({@link
 * KafkaTimePolicy}). The job's watermark is the slowest partition's. Event time proper (the row's
 * business timestamp) is stamped after decoding.
 *
 * <p>The change topics start at {@code startPosition} (or the group's committed offsets); the
 * compacted reference topics are a read of their own, so their watermark is theirs, always whole,
 * from the earliest offset and with no committed offsets, because each job needs every row of them,
 * whatever an earlier job had read.
 */
final class KafkaSources implements Sources {
  private final KafkaConnection connection;
  private final Topics topics;
  private final @Nullable String consumerGroup;
  private final String startPosition;
  private final Duration maxDelay;
  private final Duration idleTimeout;
  private final @Nullable WriteRawArchive rawArchive;

  KafkaSources(
      KafkaConnection connection,
      Topics topics,
      @Nullable String consumerGroup,
      String startPosition,
      Duration maxDelay,
      Duration idleTimeout) {
    this(connection, topics, consumerGroup, startPosition, maxDelay, idleTimeout, null);
  }

  private KafkaSources(
      KafkaConnection connection,
      Topics topics,
      @Nullable String consumerGroup,
      String startPosition,
      Duration maxDelay,
      Duration idleTimeout,
      @Nullable WriteRawArchive rawArchive) {
    this.connection = connection;
    this.topics = topics;
    this.consumerGroup = consumerGroup == null || consumerGroup.isBlank() ? null : consumerGroup;
    this.startPosition = startPosition;
    this.maxDelay = maxDelay;
    this.idleTimeout = idleTimeout;
    this.rawArchive = rawArchive;
  }

  /**
   * The same reads, each also writing every record it reads to the raw change archive, as KafkaIO
   * gave it: before decoding, so its exact bytes and its headers are kept, and a record decoding
   * would reject is archived too. The change and reference reads write files of their own ({@code
   * <run>-changes}, {@code <run>-references}), so their names never meet.
   */
  KafkaSources withRawArchive(WriteRawArchive archive) {
    return new KafkaSources(
        connection, topics, consumerGroup, startPosition, maxDelay, idleTimeout, archive);
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> changeRecords() {
    return Sources.withoutReadFailures("ReadTopics", new ReadTopics(changes(), archive("changes")));
  }

  @Override
  public PTransform<PBegin, PCollection<SourceRecord>> referenceRecords() {
    return new ReadTopics(references(), archive("references"));
  }

  private @Nullable WriteRawArchive archive(String read) {
    return rawArchive == null ? null : rawArchive.withRunId(rawArchive.runId() + "-" + read);
  }

  KafkaIO.Read<byte[], byte[]> changes() {
    Map<String, Object> config = new HashMap<>();
    boolean fromTime = !startPosition.equals("earliest") && !startPosition.equals("latest");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromTime ? "earliest" : startPosition);
    if (consumerGroup != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    }
    KafkaIO.Read<byte[], byte[]> read = read(topics(false), config, idleTimeout);
    if (fromTime) {
      read = read.withStartReadTime(Instant.parse(startPosition));
    }
    if (consumerGroup != null) {
      read = read.commitOffsetsInFinalize();
    }
    return read;
  }

  KafkaIO.Read<byte[], byte[]> references() {
    return read(
        topics(true), Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), Duration.ZERO);
  }

  private List<String> topics(boolean reference) {
    List<String> names = new ArrayList<>();
    topics
        .asMap()
        .forEach(
            (table, topic) -> {
              if (table.isReference() == reference) {
                names.add(topic);
              }
            });
    return names;
  }

  private KafkaIO.Read<byte[], byte[]> read(
      List<String> names, Map<String, Object> config, Duration idleTimeout) {
    return KafkaIO.<byte[], byte[]>read()
        .withBootstrapServers(connection.bootstrapServers())
        .withTopics(names)
        .withKeyDeserializer(ByteArrayDeserializer.class)
        .withValueDeserializer(ByteArrayDeserializer.class)
        .withConsumerConfigUpdates(config)
        .withConsumerFactoryFn(new ConsumerFactory(connection))
        .withTimestampPolicyFactory(new KafkaTimePolicy(maxDelay, idleTimeout));
  }

  private static final class ReadTopics extends PTransform<PBegin, PCollection<SourceRecord>> {
    private final KafkaIO.Read<byte[], byte[]> read;
    private final @Nullable WriteRawArchive archive;

    ReadTopics(KafkaIO.Read<byte[], byte[]> read, @Nullable WriteRawArchive archive) {
      this.read = read;
      this.archive = archive;
    }

    @Override
    public PCollection<SourceRecord> expand(PBegin input) {
      PCollection<KafkaRecord<byte[], byte[]>> records = input.apply("ReadFromKafka", read);
      if (archive != null) {
        records
            .apply("ToRawRecords", ParDo.of(new ToRawRecordFn()))
            .setCoder(AvroCoder.of(RawRecords.SCHEMA))
            .apply("WriteRawArchive", archive);
      }
      return records.apply("ToSourceRecords", ParDo.of(new ToSourceRecordFn()));
    }
  }

  /** A Kafka record as the raw archive keeps it: every field, the headers in their order. */
  static final class ToRawRecordFn extends DoFn<KafkaRecord<byte[], byte[]>, GenericRecord> {
    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record, OutputReceiver<GenericRecord> out) {
      List<GenericRecord> headers = new ArrayList<>();
      if (record.getHeaders() != null) {
        for (Header header : record.getHeaders()) {
          headers.add(RawRecords.header(header.key(), header.value()));
        }
      }
      out.output(
          RawRecords.record(
              record.getTopic(),
              record.getPartition(),
              record.getOffset(),
              record.getTimestamp(),
              record.getTimestampType().toString(),
              record.getKV().getKey(),
              record.getKV().getValue(),
              headers));
    }
  }

  static final class ToSourceRecordFn extends DoFn<KafkaRecord<byte[], byte[]>, SourceRecord> {
    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record, OutputReceiver<SourceRecord> out) {
      out.output(
          SourceRecord.create(
              record.getTopic(),
              record.getPartition(),
              record.getOffset(),
              new Instant(record.getTimestamp()),
              record.getKV().getKey(),
              record.getKV().getValue()));
    }
  }

  /**
   * Consumers with the connection's credentials, read on the worker and added here so they never
   * reach the job graph or display data.
   */
  static final class ConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private final KafkaConnection connection;

    ConsumerFactory(KafkaConnection connection) {
      this.connection = connection;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      return connection.consumer(config);
    }
  }

  /**
   * Kafka time minus the maximum delay, per partition. A partition that has nothing left to read
   * and has given no record for {@code idleTimeout} is idle and follows the clock (the time of the
   * last backlog check) minus the maximum delay, so neither an empty partition nor one whose
   * producer went quiet holds the watermark for good.
   *
   * <p>Why wait before following the clock: a record whose event time lies before its Kafka time
   * minus the maximum delay is late from the moment it is read, and the model does not hold the
   * watermark for a late element (a GroupByKey, and on the DirectRunner a stateful step, adds a
   * hold only for elements ahead of its output watermark). At the end of a catch-up on old records,
   * following the clock at once let the watermark leap from the backlog's time to now while the
   * last record of a partition was still on its way to the too-late guard, which then judged it by
   * the new watermark: too late, though its own Kafka time (the backfill's rule) said on time
   * (docs/contract.md §3.4). The idle timeout gives such a record that long to reach the guard.
   * Reference records never reach the guard, so their reads use a zero timeout: the first snapshot
   * waits on their watermark, and compacted topics often have empty partitions.
   */
  static final class KafkaTimePolicy implements TimestampPolicyFactory<byte[], byte[]> {
    private final Duration maxDelay;
    private final Duration idleTimeout;

    KafkaTimePolicy(Duration maxDelay, Duration idleTimeout) {
      this.maxDelay = maxDelay;
      this.idleTimeout = idleTimeout;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new PartitionTime(
          maxDelay, idleTimeout, previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE));
    }
  }

  static final class PartitionTime extends TimestampPolicy<byte[], byte[]> {
    private final Duration maxDelay;
    private final Duration idleTimeout;
    private Instant watermark;

    /** The backlog check time of the last record, or of the first check; null before either. */
    private @Nullable Instant lastActive;

    PartitionTime(Duration maxDelay, Duration idleTimeout, Instant previousWatermark) {
      this.maxDelay = maxDelay;
      this.idleTimeout = idleTimeout;
      this.watermark = previousWatermark;
    }

    /**
     * A record's Kafka time; one outside Beam's range (a producer may set any CreateTime) would
     * make KafkaIO fail, so it gets the partition's watermark instead and moves nothing: validation
     * dead-letters it on its real timestamp ({@code BAD_VALUE}, docs/contract.md §2.5).
     */
    @Override
    public Instant getTimestampForRecord(
        PartitionContext context, KafkaRecord<byte[], byte[]> record) {
      lastActive = checkTime(context);
      if (!Timestamps.inRange(record.getTimestamp())) {
        return watermark;
      }
      Instant timestamp = new Instant(record.getTimestamp());
      advanceTo(timestamp.minus(maxDelay));
      return timestamp;
    }

    @Override
    public Instant getWatermark(PartitionContext context) {
      Instant checkedAt = checkTime(context);
      if (checkedAt != null) {
        if (lastActive == null) {
          lastActive = checkedAt;
        }
        if (context.getMessageBacklog() == 0 && !checkedAt.isBefore(lastActive.plus(idleTimeout))) {
          advanceTo(checkedAt.minus(maxDelay));
        }
      }
      return watermark;
    }

    /**
     * The time the backlog was last measured; null while it has not been (KafkaIO starts at MIN).
     */
    private static @Nullable Instant checkTime(PartitionContext context) {
      Instant checkedAt = context.getBacklogCheckTime();
      return checkedAt == null || !checkedAt.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)
          ? null
          : checkedAt;
    }

    private void advanceTo(Instant candidate) {
      if (candidate.isAfter(watermark)) {
        watermark = candidate;
      }
    }
  }
}
