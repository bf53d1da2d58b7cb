package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.model.SourceTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The committed test data ({@code kcat -C -J} dumps) produced to a broker as the connectors would
 * have produced it: same partition, Kafka timestamp, key and value. The topic no table maps to is
 * left out ({@link #SKIPPED}); a job reading the six topics never sees it.
 */
final class TestDataTopics {
  static final String SKIPPED = "unknown_table";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestDataTopics() {}

  /** The six source tables' default topics, to create before {@link #produce}. */
  static List<String> sourceTopics() {
    List<String> topics = new ArrayList<>();
    for (SourceTable table : SourceTable.values()) {
      topics.add(table.defaultTopic());
    }
    return topics;
  }

  /** The records produced, per topic. */
  static Map<String, Long> produce(String bootstrapServers, Path testdata) throws IOException {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    // Plain ordered retries: an idempotent producer whose first batches meet a partition without
    // its leader yet can retry them into OUT_OF_ORDER_SEQUENCE_NUMBER until they expire.
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    Map<String, Long> counts = new TreeMap<>();
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config);
        Stream<Path> files = Files.list(testdata)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jsonl"))::iterator) {
        if (file.getFileName().toString().contains(SKIPPED)) {
          continue;
        }
        for (String line : Files.readAllLines(file)) {
          JsonNode record = JSON.readTree(line);
          String topic = record.get("topic").asText();
          sends.add(
              producer.send(
                  new ProducerRecord<>(
                      topic,
                      record.get("partition").asInt(),
                      record.get("ts").asLong(),
                      record.get("key").isNull() ? null : record.get("key").asText(),
                      record.get("payload").isNull() ? null : record.get("payload").asText())));
          counts.merge(topic, 1L, Long::sum);
        }
      }
      producer.flush();
    }
    // A send that failed (a timeout on a loaded machine) must fail the test here, not show up
    // later as records missing from the broker.
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (InterruptedException | ExecutionException e) {
        throw new IOException("A test record was not produced", e);
      }
    }
    return counts;
  }

  /** A copy of the dumps that were produced (all but {@link #SKIPPED}) in {@code dir}. */
  static Path producedDumps(Path testdata, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(testdata)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jsonl"))::iterator) {
        if (!file.getFileName().toString().contains(SKIPPED)) {
          Files.copy(file, dir.resolve(file.getFileName()));
        }
      }
    }
    return dir;
  }
}
