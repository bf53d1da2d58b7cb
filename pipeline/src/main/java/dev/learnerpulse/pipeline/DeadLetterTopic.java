package dev.learnerpulse.pipeline;

import dev.learnerpulse.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Produces every dead letter to a Kafka topic with the original key and value unchanged and the
 * reason in headers ({@code lp.reason}, {@code lp.detail}, {@code lp.topic}, {@code lp.partition},
 * {@code lp.offset}, {@code lp.seen_at}), so the team that owns the source can inspect and replay
 * them with ordinary Kafka tools.
 */
final class DeadLetterTopic extends PTransform<PCollection<DeadLetter>, PDone> {
  private final KafkaConnection connection;
  private final String topic;

  DeadLetterTopic(KafkaConnection connection, String topic) {
    this.connection = connection;
    this.topic = topic;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    return produce(
        deadLetters.apply("ToProducerRecords", ParDo.of(new ToProducerRecordFn(topic))),
        connection,
        topic);
  }

  /**
   * Produces {@code records} (binary key and value) to {@code topic} with the job's credentials.
   */
  static PDone produce(
      PCollection<ProducerRecord<byte[], byte[]>> records,
      KafkaConnection connection,
      String topic) {
    return records
        .setCoder(
            ProducerRecordCoder.of(
                NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of())))
        .apply(
            "ProduceToKafka",
            KafkaIO.<byte[], byte[]>writeRecords()
                .withBootstrapServers(connection.bootstrapServers())
                .withTopic(topic)
                .withKeySerializer(ByteArraySerializer.class)
                .withValueSerializer(ByteArraySerializer.class)
                .withProducerFactoryFn(new ProducerFactory(connection)));
  }

  static final class ToProducerRecordFn extends DoFn<DeadLetter, ProducerRecord<byte[], byte[]>> {
    private final String topic;

    ToProducerRecordFn(String topic) {
      this.topic = topic;
    }

    @ProcessElement
    public void process(
        @Element DeadLetter deadLetter, OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
      out.output(record(topic, deadLetter));
    }

    /** The record of {@code deadLetter} on {@code topic}: what the replay command reads back. */
    static ProducerRecord<byte[], byte[]> record(String topic, DeadLetter deadLetter) {
      RecordHeaders headers = new RecordHeaders();
      header(headers, "lp.reason", deadLetter.getReason().name());
      header(headers, "lp.detail", deadLetter.getDetail());
      header(headers, "lp.topic", deadLetter.getTopic());
      header(headers, "lp.partition", Integer.toString(deadLetter.getPartition()));
      header(headers, "lp.offset", Long.toString(deadLetter.getOffset()));
      header(headers, "lp.kafka_timestamp", deadLetter.getKafkaTimestamp().toString());
      header(headers, "lp.seen_at", deadLetter.getSeenAt().toString());
      return new ProducerRecord<>(
          topic, null, null, keyBytes(deadLetter.getKey()), deadLetter.valueBytes(), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The original key: dead letters keep binary keys as {@code base64:...}. */
    static byte @Nullable [] keyBytes(@Nullable String key) {
      if (key == null) {
        return null;
      }
      return key.startsWith("base64:")
          ? Base64.getDecoder().decode(key.substring("base64:".length()))
          : key.getBytes(StandardCharsets.UTF_8);
    }
  }

  static final class ProducerFactory
      implements SerializableFunction<Map<String, Object>, Producer<byte[], byte[]>> {
    private final KafkaConnection connection;

    ProducerFactory(KafkaConnection connection) {
      this.connection = connection;
    }

    @Override
    public Producer<byte[], byte[]> apply(Map<String, Object> config) {
      return connection.producer(config);
    }
  }
}
