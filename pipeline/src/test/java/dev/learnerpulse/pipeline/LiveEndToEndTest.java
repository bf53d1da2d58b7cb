package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.pipeline.local.EmbeddedKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * The streaming job end to end against a real Kafka broker and a real Redis: the committed test
 * data produced to the broker, the job started from the earliest offsets, and the dashboard state
 * it leaves in Redis compared with what a backfill of the same records computes.
 */
class LiveEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TESTDATA = Path.of("..", "testdata");
  /**
   * Fields whose values depend on how panes fired, not on the data. Everything else must equal the
   * backfill, the reference-derived fields included: the job's reference data is complete as of
   * its launch, when the whole test data is already in the topics.
   */
  private static final Set<String> PANE_FIELDS = Set.of("pane_index", "pane_timing");

  @TempDir static Path work;
  private static EmbeddedKafka kafka;
  private static RedisServer redis;
  private static int redisPort;

  @BeforeAll
  static void startServers() throws IOException {
    kafka = EmbeddedKafka.start();
    List<String> topics = new ArrayList<>();
    for (SourceTable table : SourceTable.values()) {
      topics.add(table.defaultTopic());
    }
    topics.add("lxp.learner_pulse.dlq");
    kafka.createTopics(topics, 3);
    try (ServerSocket socket = new ServerSocket(0)) {
      redisPort = socket.getLocalPort();
    }
    redis =
        RedisServer.newRedisServer()
            .port(redisPort)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
    redis.start();
  }

  @AfterAll
  static void stopServers() throws IOException {
    if (redis != null) {
      redis.stop();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void dashboardStateEqualsTheBackfillOfTheSameRecords() throws Exception {
    produceTestData();
    Map<String, JsonNode> expected = latestWindowPerLearnerAndCourse(backfill());

    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--mode=streaming",
                "--bootstrapServers=" + kafka.bootstrapServers(),
                "--redisUrl=redis://127.0.0.1:" + redisPort,
                "--outputDir=" + work.resolve("live"),
                "--backlogStart=2026-11-20T08:50:00Z",
                "--earlyFiring=1s",
                "--referenceRefresh=1s",
                "--blockOnRun=false")
            .as(LearnerPulseOptions.class);
    PipelineResult result = LearnerPulse.run(options);
    try (Jedis jedis = new Jedis("127.0.0.1", redisPort)) {
      Map<String, Map<String, String>> actual = Map.of();
      // Generous: the DirectRunner reads the backlog at tens of records/s on a busy machine.
      long deadline = System.currentTimeMillis() + 600_000;
      while (System.currentTimeMillis() < deadline) {
        actual = dashboard(jedis, expected.keySet());
        if (matches(expected, actual)) {
          break;
        }
        Thread.sleep(2_000);
      }
      List<String> mismatches = new ArrayList<>();
      for (Map.Entry<String, JsonNode> entry : expected.entrySet()) {
        Map<String, String> want = fields(entry.getValue());
        Map<String, String> got = contractFields(actual.getOrDefault(entry.getKey(), Map.of()));
        if (!want.equals(got)) {
          Map<String, String> diff = new TreeMap<>();
          for (String field : want.keySet()) {
            if (!want.get(field).equals(got.get(field))) {
              diff.put(field, want.get(field) + " != " + got.get(field));
            }
          }
          for (String field : got.keySet()) {
            if (!want.containsKey(field)) {
              diff.put(field, "absent != " + got.get(field));
            }
          }
          mismatches.add(entry.getKey() + " " + diff);
        }
      }
      assertEquals(List.of(), mismatches, mismatches.size() + " of " + expected.size() + " differ");
    } finally {
      result.cancel();
    }
  }

  private static void produceTestData() throws IOException {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config);
        Stream<Path> files = Files.list(TESTDATA)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jsonl"))::iterator) {
        if (file.getFileName().toString().contains("unknown_table")) {
          continue;
        }
        for (String line : Files.readAllLines(file)) {
          JsonNode record = JSON.readTree(line);
          producer.send(
              new ProducerRecord<>(
                  record.get("topic").asText(),
                  record.get("partition").asInt(),
                  record.get("ts").asLong(),
                  record.get("key").isNull() ? null : record.get("key").asText(),
                  record.get("payload").isNull() ? null : record.get("payload").asText()));
        }
      }
      producer.flush();
    }
  }

  private static List<JsonNode> backfill() throws IOException {
    Path out = work.resolve("backfill");
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--mode=backfill",
                "--inputPattern=" + TESTDATA.toAbsolutePath() + "/*.jsonl",
                "--outputDir=" + out)
            .as(LearnerPulseOptions.class);
    LearnerPulse.run(options).waitUntilFinish();
    return TableFiles.rows(out, "learner_window_metrics");
  }

  /** The row of each learner and course's latest window: what the dashboard hash holds. */
  private static Map<String, JsonNode> latestWindowPerLearnerAndCourse(List<JsonNode> rows) {
    Map<String, JsonNode> latest = new TreeMap<>();
    for (JsonNode row : rows) {
      String key = "lp:learner:" + row.get("learner_id").asText() + ":course:" + row.get("course_id").asText();
      JsonNode current = latest.get(key);
      if (current == null
          || row.get("window_start").asText().compareTo(current.get("window_start").asText()) > 0) {
        latest.put(key, row);
      }
    }
    return latest;
  }

  private static Map<String, Map<String, String>> dashboard(Jedis jedis, Set<String> keys) {
    Map<String, Map<String, String>> hashes = new HashMap<>();
    for (String key : keys) {
      hashes.put(key, jedis.hgetAll(key));
    }
    return hashes;
  }

  private static boolean matches(Map<String, JsonNode> expected, Map<String, Map<String, String>> actual) {
    for (Map.Entry<String, JsonNode> entry : expected.entrySet()) {
      Map<String, String> hash = actual.get(entry.getKey());
      if (hash == null || !fields(entry.getValue()).equals(contractFields(hash))) {
        return false;
      }
    }
    return true;
  }

  /** The row's contract fields as the dashboard writes them: text, nulls left out. */
  private static Map<String, String> fields(JsonNode row) {
    Map<String, String> fields = new TreeMap<>();
    row.fields()
        .forEachRemaining(
            field -> {
              if (!field.getValue().isNull() && !PANE_FIELDS.contains(field.getKey())) {
                fields.put(field.getKey(), canonical(field.getValue().asText()));
              }
            });
    return fields;
  }

  private static Map<String, String> contractFields(Map<String, String> hash) {
    Map<String, String> fields = new TreeMap<>();
    for (Map.Entry<String, String> field : hash.entrySet()) {
      if (!PANE_FIELDS.contains(field.getKey()) && !field.getKey().endsWith("_ms")
          && !field.getKey().endsWith("_pane_index")) {
        fields.put(field.getKey(), canonical(field.getValue()));
      }
    }
    return fields;
  }

  /** Numbers compared by value: JSON writes 55.0 where the dashboard hash holds 55. */
  private static String canonical(String value) {
    try {
      return new java.math.BigDecimal(value).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return value;
    }
  }
}
