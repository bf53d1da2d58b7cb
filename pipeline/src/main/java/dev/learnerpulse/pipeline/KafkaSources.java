package dev.learnerpulse.pipeline;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.CustomTimestampPolicyWithLimitedDelay;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The live change and reference topics, read with KafkaIO. Each record's timestamp is its Kafka
 * timestamp, and each partition's watermark is the newest timestamp read minus {@code maxDelay};
 * a partition with nothing to read advances with processing time minus {@code maxDelay}, so an idle
 * partition never holds the watermark back for good ({@link CustomTimestampPolicyWithLimitedDelay}).
 * The job's watermark is the slowest partition's. Event time proper (the row's business timestamp)
 * is stamped after decoding.
 */
final class KafkaSources implements Sources {
  private final KafkaConnection connection;
  private final Topics topics;
  private final @Nullable String consumerGroup;
  private final String startPosition;
  private final Duration maxDelay;

  KafkaSources(
      KafkaConnection connection,
      Topics topics,
      @Nullable String consumerGroup,
      String startPosition,
      Duration maxDelay) {
    this.connection = connection;
    this.topics = topics;
    this.consumerGroup = consumerGroup == null || consumerGroup.isBlank() ? null : consumerGroup;
    this.startPosition = parseStart(startPosition);
    this.maxDelay = maxDelay;
  }

  private static String parseStart(String start) {
    String value = start == null ? "earliest" : start.trim();
    if (value.equalsIgnoreCase("earliest") || value.equalsIgnoreCase("latest")) {
      return value.toLowerCase(java.util.Locale.ROOT);
    }
    try {
      Instant.parse(value);
      return value;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--startPosition must be earliest, latest or an ISO-8601 instant, not '" + start + "'");
    }
  }

  @Override
  public PTransform<PBegin, WithFailures.Result<PCollection<SourceRecord>, DeadLetter>>
      changeRecords() {
    return new ReadFromKafka(read());
  }

  private KafkaIO.Read<byte[], byte[]> read() {
    Map<String, Object> config = new HashMap<>();
    boolean fromTime = !startPosition.equals("earliest") && !startPosition.equals("latest");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromTime ? "earliest" : startPosition);
    if (consumerGroup != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    }
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(connection.bootstrapServers())
            .withTopics(new ArrayList<>(topics.asMap().values()))
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(config)
            .withConsumerFactoryFn(new ConsumerFactory(connection))
            .withTimestampPolicyFactory(new KafkaTimePolicy(maxDelay));
    if (fromTime) {
      read = read.withStartReadTime(Instant.parse(startPosition));
    }
    if (consumerGroup != null) {
      read = read.commitOffsetsInFinalize();
    }
    return read;
  }

  private static final class ReadFromKafka
      extends PTransform<PBegin, WithFailures.Result<PCollection<SourceRecord>, DeadLetter>> {
    private final KafkaIO.Read<byte[], byte[]> read;

    ReadFromKafka(KafkaIO.Read<byte[], byte[]> read) {
      this.read = read;
    }

    @Override
    public WithFailures.Result<PCollection<SourceRecord>, DeadLetter> expand(PBegin input) {
      PCollection<SourceRecord> records =
          input
              .apply("ReadFromKafka", read)
              .apply("ToSourceRecords", ParDo.of(new ToSourceRecordFn()));
      PCollection<DeadLetter> none;
      try {
        none =
            input.apply(
                "NoReadFailures",
                Create.empty(input.getPipeline().getSchemaRegistry().getSchemaCoder(DeadLetter.class)));
      } catch (NoSuchSchemaException e) {
        throw new IllegalStateException(e);
      }
      return WithFailures.Result.of(records, none);
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

  /** Consumers with the connection's credentials, added here so they never reach display data. */
  static final class ConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private final KafkaConnection connection;

    ConsumerFactory(KafkaConnection connection) {
      this.connection = connection;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      Map<String, Object> withCredentials = new HashMap<>(config);
      withCredentials.putAll(connection.clientConfig());
      return new KafkaConsumer<>(withCredentials);
    }
  }

  /** Kafka time minus the maximum delay, per partition, idle partitions following the clock. */
  static final class KafkaTimePolicy implements TimestampPolicyFactory<byte[], byte[]> {
    private final Duration maxDelay;

    KafkaTimePolicy(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new CustomTimestampPolicyWithLimitedDelay<>(
          record -> new Instant(record.getTimestamp()), maxDelay, previousWatermark);
    }
  }
}
