package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.sinks.JsonLines;
import dev.learnerpulse.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay-dead-letters} reads the dead-letter topic (or dead_letters rows in files), filters,
 * and re-produces each original key and value, byte for byte, to the original topic, against a real
 * broker.
 */
class ReplayDeadLettersTest {
  private static final String DLQ = "lxp.learner_pulse.dlq";
  private static final String PROGRESS = "lxp.public.learner_progress";
  private static final String INTERACTIONS = "lxp.engagement.course_interactions";
  private static final byte[] AVRO = {0, 0, 0, 0, 7, 2, (byte) 0xff, 10};

  /**
   * Ada's progress row failed on an unknown schema at 10:00, Grace's interaction (Avro) at 10:05, a
   * malformed progress value at 11:00.
   */
  private static final DeadLetter ADA =
      DeadLetter.create(
          PROGRESS,
          0,
          41,
          Instant.parse("2026-11-20T09:59:58Z"),
          "{\"learner_id\":\"ada\"}",
          "{\"payload\":{\"op\":\"u\"}}",
          DeadLetter.Encoding.TEXT,
          ReasonCode.UNKNOWN_SCHEMA,
          "schema 7 unknown",
          Instant.parse("2026-11-20T10:00:00Z"));

  private static final DeadLetter GRACE =
      DeadLetter.create(
          INTERACTIONS,
          1,
          7,
          Instant.parse("2026-11-20T10:04:59Z"),
          "base64:" + Base64.getEncoder().encodeToString(new byte[] {1, 2, (byte) 0xfe}),
          Base64.getEncoder().encodeToString(AVRO),
          DeadLetter.Encoding.BASE64,
          ReasonCode.UNKNOWN_SCHEMA,
          "schema 7 unknown",
          Instant.parse("2026-11-20T10:05:00Z"));
  private static final DeadLetter BROKEN =
      DeadLetter.create(
          PROGRESS,
          2,
          99,
          Instant.parse("2026-11-20T10:59:00Z"),
          "{\"learner_id\":\"linus\"}",
          "{not json",
          DeadLetter.Encoding.TEXT,
          ReasonCode.MALFORMED,
          "Unexpected character",
          Instant.parse("2026-11-20T11:00:00Z"));

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    List<String> topics = new ArrayList<>();
    for (SourceTable table : SourceTable.values()) {
      topics.add(table.defaultTopic());
    }
    kafka.createTopics(topics, 1);
    kafka.createTopics(List.of(DLQ), 2);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      for (DeadLetter deadLetter : List.of(ADA, GRACE, BROKEN)) {
        producer.send(DeadLetterTopic.ToProducerRecordFn.record(DLQ, deadLetter)).get();
      }
    }
    Files.writeString(
        dir.resolve("dead_letters-00000.jsonl"),
        JsonLines.of(ADA) + "\n" + JsonLines.of(BROKEN) + "\n");
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static ReplayOptions options(String... args) {
    List<String> all = new ArrayList<>(List.of("--bootstrapServers=" + kafka.bootstrapServers()));
    all.addAll(List.of(args));
    return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).as(ReplayOptions.class);
  }

  private static ReplayDeadLetters.Summary replay(String... args) {
    return ReplayDeadLetters.run(options(args), SecretReader.files(dir.toString()));
  }

  /** Every record of {@code topic}, as key, value and replay header. */
  private static List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      return records;
    }
  }

  private static String replayOf(ConsumerRecord<byte[], byte[]> record) {
    return new String(
        record.headers().lastHeader(ReplayDeadLetters.REPLAY_HEADER).value(),
        StandardCharsets.UTF_8);
  }

  @Test
  void replaysFilteredDeadLettersFromTheTopicByteForByte() {
    ReplayDeadLetters.Summary dry =
        replay("--reasons=unknown_schema", "--seenUntil=2026-11-20T10:30:00Z", "--dryRun=true");
    assertEquals(
        "replay-dead-letters: read 3 dead letters from topic "
            + DLQ
            + "\n"
            + "  matched 2 by reason {UNKNOWN_SCHEMA=2}\n"
            + "  matched 2 by topic {"
            + INTERACTIONS
            + "=1, "
            + PROGRESS
            + "=1}\n"
            + "  dry run: produced nothing\n",
        dry.render());
    assertEquals(List.of(), records(INTERACTIONS));

    ReplayDeadLetters.Summary done =
        replay(
            "--reasons=UNKNOWN_SCHEMA",
            "--seenUntil=2026-11-20T10:30:00Z",
            "--topics=" + INTERACTIONS);
    assertEquals(1, done.produced);
    List<ConsumerRecord<byte[], byte[]>> replayed = records(INTERACTIONS);
    assertEquals(1, replayed.size());
    assertArrayEquals(new byte[] {1, 2, (byte) 0xfe}, replayed.get(0).key());
    assertArrayEquals(AVRO, replayed.get(0).value());
    assertEquals(DLQ + "/", replayOf(replayed.get(0)).substring(0, DLQ.length() + 1));
  }

  @Test
  void replaysDeadLetterRowsFromFiles() {
    ReplayDeadLetters.Summary done =
        replay(
            "--deadLetterFiles=" + dir.resolve("dead_letters-*.jsonl"),
            "--reasons=MALFORMED",
            "--maxRate=0");
    assertEquals(1, done.produced);
    List<ConsumerRecord<byte[], byte[]>> replayed = records(PROGRESS);
    assertEquals(1, replayed.size());
    assertEquals(
        "{\"learner_id\":\"linus\"}", new String(replayed.get(0).key(), StandardCharsets.UTF_8));
    assertEquals("{not json", new String(replayed.get(0).value(), StandardCharsets.UTF_8));
    assertEquals(dir.resolve("dead_letters-00000.jsonl") + ":2", replayOf(replayed.get(0)));
  }
}
