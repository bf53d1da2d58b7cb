package dev.learnerpulse.pipeline;

import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.certification;
import static dev.learnerpulse.testing.Fixtures.course;
import static dev.learnerpulse.testing.Fixtures.learner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.alerts.DetectLearnerAlerts;
import dev.learnerpulse.model.LearnerAlert.Kind;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.sinks.redis.AlertStreamRedis;
import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.sinks.redis.EmbeddedRedis;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A certificate issued, produced to the real broker as Debezium writes it, reaches the alerts topic
 * and the tenant's Redis stream as one alert, though the change is delivered twice and followed by
 * a newer change that is still {@code issued}: the streaming job on the embedded Flink cluster.
 */
class LiveAlertsTest {
  private static final String ALERTS_TOPIC = "lxp.learner_pulse.alerts";
  private static final String LEARNER = "L-live-ada";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Only a guard against a job that never gets there: on a busy 2-core machine it takes minutes.
   */
  private static final long PATIENCE_MILLIS = 600_000;

  @Test
  void aCertificateIssuedLandsOnceInTheAlertsTopicAndTheRedisStream(@TempDir Path work)
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        EmbeddedRedis redis = EmbeddedRedis.start()) {
      List<String> topics = new ArrayList<>();
      for (SourceTable table : SourceTable.values()) {
        topics.add(table.defaultTopic());
      }
      topics.add(ALERTS_TOPIC);
      topics.add("lxp.learner_pulse.dlq");
      kafka.createTopics(topics, 1);

      Instant now = Instant.now();
      ChangeJson eligible =
          certification(LEARNER, SQL_101, "eligible", now.minus(3_000)).position(700);
      ChangeJson issued = certification(LEARNER, SQL_101, "issued", now.minus(2_000)).position(800);
      ChangeJson stillIssued =
          certification(LEARNER, SQL_101, "issued", now.minus(1_000)).position(900);
      List<ChangeJson> changes =
          List.of(
              course(SQL_101, "acme", "70.00"),
              learner(LEARNER, "acme"),
              eligible,
              issued,
              issued, // a redelivery
              stillIssued);
      try (KafkaProducer<String, String> producer = producer(kafka)) {
        for (ChangeJson change : changes) {
          producer
              .send(new ProducerRecord<>(change.table().defaultTopic(), LEARNER, change.json()))
              .get();
        }
      }

      try (LiveJob job =
          LiveJob.start(
              "--bootstrapServers=" + kafka.bootstrapServers(),
              "--redisUrl=" + redis.url(),
              "--outputDir=" + work.resolve("out"),
              "--backlogStart=" + now.minus(3_600_000),
              // References complete at launch (the default): the alert's tenant is the learner's,
              // not whatever the first snapshot had read.
              "--referenceRefresh=1s")) {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        String issuedCounter = DetectLearnerAlerts.counterName(Kind.CERTIFICATE_ISSUED);
        // Every change read and its alert written to Redis (added or found there already).
        while (job.input() < changes.size()
            || job.counter(DetectLearnerAlerts.class, issuedCounter) < 1
            || job.counter(AlertStreamRedis.class, "alertsAdded")
                    + job.counter(AlertStreamRedis.class, "alertsRepeated")
                < job.counter(DetectLearnerAlerts.class, issuedCounter)) {
          job.failIfEnded();
          if (System.currentTimeMillis() > deadline) {
            fail("No alert after " + PATIENCE_MILLIS + " ms; records read " + job.input());
          }
          Thread.sleep(500);
        }
        assertEquals(1, job.counter(DetectLearnerAlerts.class, issuedCounter));

        List<JsonNode> published = readAlertsTopic(kafka, 1, deadline);
        assertEquals(1, published.size(), published.toString());
        JsonNode alert = published.get(0);
        assertEquals("CERTIFICATE_ISSUED", alert.path("kind").asText());
        assertEquals("acme", alert.path("tenant_id").asText());
        assertEquals(LEARNER, alert.path("learner_id").asText());
        assertEquals(SQL_101, alert.path("course_id").asText());
        assertEquals(issued.table().defaultTopic(), alert.path("topic").asText());
        assertEquals(1, alert.path("offset").asLong()); // eligible is 0, the redelivery 2

        try (Jedis jedis = redis.client()) {
          List<StreamEntry> stream =
              jedis.xrange(
                  DashboardKeys.withPrefix("lp").alerts("acme"),
                  (StreamEntryID) null,
                  (StreamEntryID) null);
          assertEquals(1, stream.size(), stream.toString());
          Map<String, String> fields = stream.get(0).getFields();
          assertEquals(alert.path("alert_id").asText(), fields.get("alert_id"));
          assertEquals("CERTIFICATE_ISSUED", fields.get("kind"));
          assertEquals(LEARNER, fields.get("learner_id"));
        }
      }
    }
  }

  private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(config);
  }

  /**
   * The alerts topic from the beginning to its end, once it holds at least {@code atLeast} records
   * (the Kafka write may trail the Redis one).
   */
  private static List<JsonNode> readAlertsTopic(EmbeddedKafka kafka, int atLeast, long deadline)
      throws Exception {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    TopicPartition partition = new TopicPartition(ALERTS_TOPIC, 0);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(List.of(partition));
      while (consumer.endOffsets(List.of(partition)).get(partition) < atLeast) {
        if (System.currentTimeMillis() > deadline) {
          fail("The alerts topic has no alert");
        }
        Thread.sleep(200);
      }
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      consumer.seekToBeginning(List.of(partition));
      List<JsonNode> alerts = new ArrayList<>();
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          assertEquals(LEARNER + "/" + SQL_101, record.key());
          alerts.add(JSON.readTree(record.value()));
        }
      }
      return alerts;
    }
  }
}
