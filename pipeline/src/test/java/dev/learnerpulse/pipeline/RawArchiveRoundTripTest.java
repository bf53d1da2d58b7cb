package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.archive.RawRecords;
import dev.learnerpulse.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, the raw change archive end to end: the streaming job with {@code --rawArchive} on an
 * embedded Flink cluster over the committed test data and a few records with headers and bytes
 * decoding rejects, produced to a real broker. The archive then holds exactly the records in the
 * topics (each once, bytes, headers, offsets, in the hour of its Kafka timestamp), and a backfill
 * of the archive writes and counts exactly what the backfill of a {@code kcat -C -J} dump of the
 * same topics does.
 */
class RawArchiveRoundTripTest {
  private static final Path TESTDATA = Path.of("..", "testdata");
  private static final String PROGRESS = "lxp.public.learner_progress";
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
  private static final long PATIENCE_MILLIS = Duration.standardMinutes(10).getMillis();

  @TempDir static Path work;
  private static EmbeddedKafka kafka;

  /** Every record in the change and reference topics, as a plain consumer reads it. */
  private static List<ConsumerRecord<byte[], byte[]>> inTopics;

  private static Map<String, Long> produced;

  @BeforeAll
  static void produceAndArchive() throws Exception {
    kafka = EmbeddedKafka.start();
    kafka.createTopics(TestDataTopics.sourceTopics(), 4);
    produced = new TreeMap<>(TestDataTopics.produce(kafka.bootstrapServers(), TESTDATA));
    produceWithHeaders();
    inTopics = consumeAll();
    assertEquals(produced.values().stream().mapToLong(Long::longValue).sum(), inTopics.size());

    try (LiveJob job =
        LiveJob.start(
            "--bootstrapServers=" + kafka.bootstrapServers(),
            "--outputDir=" + work.resolve("live"),
            "--rawArchive=" + work.resolve("raw"),
            "--rawArchiveFrequency=1s",
            "--backlogStart=2026-11-20T08:50:00Z",
            "--earlyFiring=1s",
            "--referenceRefresh=1s",
            "--deadLetterTopic=none",
            "--alerts=false")) {
      awaitArchived(job, inTopics.size());
    }
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theArchiveHoldsEveryRecordReadOnceUnchangedInTheHourOfItsKafkaTimestamp()
      throws IOException {
    List<String> expected = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : inTopics) {
      List<String> headers = new ArrayList<>();
      for (Header header : record.headers()) {
        headers.add(header.key() + "=" + base64(header.value()));
      }
      expected.add(
          comparable(
              record.topic(),
              record.partition(),
              record.offset(),
              record.timestamp(),
              record.timestampType().toString(),
              record.key(),
              record.value(),
              headers));
    }
    List<String> archived = new ArrayList<>();
    for (Map.Entry<String, List<GenericRecord>> file : archiveFiles().entrySet()) {
      for (GenericRecord record : file.getValue()) {
        long timestamp = RawRecords.timestampMillis(record);
        assertTrue(
            file.getKey()
                .startsWith(HOUR.format(java.time.Instant.ofEpochMilli(timestamp)) + "/raw-"),
            file.getKey() + " holds a record of " + timestamp);
        List<String> headers = new ArrayList<>();
        for (Object header : (List<?>) record.get("headers")) {
          GenericRecord h = (GenericRecord) header;
          headers.add(h.get("key") + "=" + base64(RawRecords.bytes(h.get("value"))));
        }
        archived.add(
            comparable(
                record.get("topic").toString(),
                (Integer) record.get("partition"),
                (Long) record.get("offset"),
                timestamp,
                record.get("timestamp_type").toString(),
                RawRecords.bytes(record.get("key")),
                RawRecords.bytes(record.get("value")),
                headers));
      }
    }
    expected.sort(null);
    archived.sort(null);
    assertEquals(expected, archived);
    assertTrue(
        archived.stream().anyMatch(r -> r.contains("trace=YWJj, trace=null")), "headers kept");
  }

  @Test
  void aBackfillOfTheArchiveWritesWhatTheBackfillOfADumpOfTheSameRecordsWrites() throws Exception {
    Path dumps = Files.createDirectories(work.resolve("dumps"));
    Map<String, List<String>> lines = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : inTopics) {
      lines
          .computeIfAbsent(record.topic(), t -> new ArrayList<>())
          .add(
              KcatJson.format(
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  record.timestamp(),
                  record.key(),
                  record.value()));
    }
    for (Map.Entry<String, List<String>> topic : lines.entrySet()) {
      Files.write(dumps.resolve(topic.getKey() + ".jsonl"), topic.getValue());
    }
    OutcomeReport fromDump =
        KafkaBackfillTest.backfill(
            work.resolve("from-dump"), "--inputPattern=" + dumps + "/*.jsonl");
    OutcomeReport fromArchive =
        KafkaBackfillTest.backfill(
            work.resolve("from-archive"),
            "--inputPattern=" + work.resolve("raw") + "/dt=*/hour=*/*.avro");
    KafkaBackfillTest.assertSameOutputs(
        work.resolve("from-dump"), fromDump, work.resolve("from-archive"), fromArchive);
    for (Map.Entry<String, Long> topic : produced.entrySet()) {
      assertEquals(topic.getValue(), fromArchive.input(topic.getKey()), topic.getKey());
    }
  }

  /**
   * Records the connectors never write: headers (one key twice, once without a value), bytes that
   * are not text, text that is not JSON. Decoding dead-letters the last two; the archive keeps all.
   */
  private static void produceWithHeaders() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    long at = Instant.parse("2026-11-20T10:15:00Z").getMillis();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(
          new ProducerRecord<>(
              PROGRESS,
              3,
              at,
              bytes("{\"learner_id\":\"L001\"}"),
              new byte[] {0, 1, (byte) 0xff, '\n', '{'},
              List.of(
                  new RecordHeader("trace", bytes("abc")),
                  new RecordHeader("trace", (byte[]) null))));
      producer.send(
          new ProducerRecord<>(
              PROGRESS,
              3,
              at + 1,
              null,
              bytes("not json"),
              List.of(new RecordHeader("source", bytes("test")))));
      producer.flush();
    }
    produced.merge(PROGRESS, 2L, Long::sum);
  }

  private static List<ConsumerRecord<byte[], byte[]>> consumeAll() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : TestDataTopics.sourceTopics()) {
        for (int p = 0; p < 4; p++) {
          partitions.add(new TopicPartition(topic, p));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Waits until the archive holds {@code records} records; the job's files appear by renaming. */
  private static void awaitArchived(LiveJob job, long records) throws Exception {
    long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
    long archived = 0;
    while (System.currentTimeMillis() < deadline) {
      job.failIfEnded();
      archived = archiveFiles().values().stream().mapToLong(List::size).sum();
      if (archived >= records) {
        return;
      }
      Thread.sleep(500);
    }
    fail("After " + PATIENCE_MILLIS + " ms the archive holds " + archived + " of " + records);
  }

  /** The archive's finished files by their path under it, with their records. */
  private static Map<String, List<GenericRecord>> archiveFiles() throws IOException {
    Path root = work.resolve("raw");
    Map<String, List<GenericRecord>> files = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return files;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        String name = root.relativize(path).toString();
        if (!name.startsWith("dt=") || !name.endsWith(".avro")) {
          continue;
        }
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader =
            new DataFileReader<>(path.toFile(), new GenericDatumReader<>())) {
          reader.forEach(records::add);
        }
        files.put(name, records);
      }
    }
    return files;
  }

  private static String comparable(
      String topic,
      int partition,
      long offset,
      long timestamp,
      String type,
      byte[] key,
      byte[] value,
      List<String> headers) {
    return topic
        + "/"
        + partition
        + "@"
        + offset
        + " "
        + timestamp
        + " "
        + type
        + " key="
        + base64(key)
        + " value="
        + base64(value)
        + " headers="
        + headers;
  }

  private static String base64(byte[] bytes) {
    return bytes == null ? "null" : Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
